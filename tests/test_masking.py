"""Tests of template masking in logparse.masking."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logparse.masking import PLACEHOLDERS, mask, masking_passes

DATA = Path(__file__).resolve().parent / "data"
MEGABYTE = 1 << 20


@pytest.mark.parametrize(
    ("text", "template"),
    [
        (
            "Error allocating a new image. NAME is already taken by IMAGE 265.",
            "Error allocating a new image. NAME is already taken by IMAGE <NUM>.",
        ),
        ("User [5] : Not authorized", "User <ID> : Not authorized"),
        ("ADMIN CLUSTER [0, 100].", "ADMIN CLUSTER <ID>."),
        ('Wrong state to perform action "resume"', "Wrong state to perform action <QUOTED>"),
        ("Management of 'other' permissions", "Management of <QUOTED> permissions"),
        ("from /var/lib/one//datastores/0/0/deployment.1", "from <PATH>"),
        ("in /var/lib/one/datastores/0/7.", "in <PATH>."),
        ("host 10.0.1.15 port 22", "host <IP> port <NUM>"),
        ("listen 192.168.1.5:2633 now", "listen <IP> now"),
        ("addr 2001:db8::ff00:42:8329/64 up", "addr <IP> up"),
        ("loopback ::1 only", "loopback <IP> only"),
        ("mac 02:00:0a:00:00:01 set", "mac <MAC> set"),
        ("uuid 123e4567-e89b-12d3-a456-426614174000 gone", "uuid <UUID> gone"),
        ("image 0f1e2d3c4b5a6978 and 0x1F", "image <HEX> and <HEX>"),
        ("Requested: 1024 MB, Available: 512 MB", "Requested: <SIZE>, Available: <SIZE>"),
        ("size 10G", "size <SIZE>"),
        ("timeout after 30s, retry in 1h30m", "timeout after <DURATION>, retry in <DURATION>"),
        ("waited 5 minutes", "waited <DURATION>"),
        ("Tue Oct 24 17:35:17 2023: Cannot dispatch VM", "<TIME>: Cannot dispatch VM"),
        ("Mon Sep  4 01:02:03 2023 : failed", "<TIME> : failed"),
        ("at 2024-01-05T10:00:00Z", "at <TIME>"),
        ("see https://docs.opennebula.io/6.10/x.html.", "see <URL>."),
        ("failed (see http://mirror.example/img.qcow2) twice", "failed (see <URL>) twice"),
        ("http://wiki.example/Disk_(storage) moved", "<URL> moved"),
        ("Error monitoring Host node1 (0): -", "Error monitoring Host <TOKEN> (<NUM>): -"),
        ("host kvm-07.example.org down", "host <TOKEN> down"),
        ("limit of -1 reached", "limit of <NUM> reached"),
        ("Not enough CPU: 4/2", "Not enough CPU: <NUM>/<NUM>"),
        ("Req:0042 UID:5", "Req:<NUM> UID:<NUM>"),
        ("User [<uid>] : ADMIN GROUP [<gid>].", "User <ID> : ADMIN GROUP <ID>."),
        ("Error getting image [X].", "Error getting image <ID>."),
        ("IMAGE [...] and [\u2026]", "IMAGE <ID> and <ID>"),
    ],
)
def test_mask_placeholders(text: str, template: str) -> None:
    assert mask(text) == template


@pytest.mark.parametrize(
    "text",
    [
        "Cannot get IP/MAC lease from virtual network",
        "User couldn't be authenticated, aborting call.",
        "Cannot use DISK. DISK does not have a valid IMAGE_ID.",
        "VM has to be RUNNING, POWEROFF or SUSPENDED to save disks.",
        "[one.vm.disksaveas] deadbeef is a word",
        "Cannot dispatch VM to any Host.",
        "[DS] No datastores matched the VM requirements",
        "[<ID>] stays, because placeholders are upper-case",
    ],
)
def test_mask_keeps_constant_text(text: str) -> None:
    assert mask(text) == text


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "Cannot acquire image 12, it is in state: LOCKED",
            "Cannot acquire image 7, it is in state: LOCKED",
        ),
        ("Error monitoring Host node1 (0): -", "Error monitoring Host kvm-22 (14): -"),
        (
            "Error deploying virtual machine: Could not create domain from /a/0/deployment.1",
            "Error deploying virtual machine: Could not create domain from /b/35/deployment.0",
        ),
        ('Wrong state to perform action "resume"', 'Wrong state to perform action "poweroff"'),
        (
            "Sat Mar 2 13:37:28 2019 : Cannot dispatch VM to any Host.",
            "Tue Oct 24 17:35:17 2023 : Cannot dispatch VM to any Host.",
        ),
    ],
)
def test_mask_shared_template(first: str, second: str) -> None:
    assert mask(first) == mask(second)


def test_mask_elided_id_same_template() -> None:
    assert mask("User [<uid>] : IMAGE is locked.") == mask("User [7] : IMAGE is locked.")


def test_mask_distinct_shapes() -> None:
    assert mask("Cannot acquire image 12, it is locked") != mask("Error getting image [12].")


def test_placeholders_have_no_digits() -> None:
    for placeholder in PLACEHOLDERS:
        assert not re.search(r"\d", placeholder), placeholder


def test_passes_write_known_placeholders() -> None:
    written = {
        masking_pass.replacement
        for masking_pass in masking_passes()
        if isinstance(masking_pass.replacement, str)
    }
    assert written <= set(PLACEHOLDERS)


def test_mask_idempotent_on_labelled_set() -> None:
    with open(DATA / "labelled-messages.jsonl", encoding="utf-8") as file:
        messages = [json.loads(line)["content"] for line in file]
    for message in messages:
        template = mask(message)
        assert mask(template) == template, message


@given(st.text(max_size=300))
def test_mask_never_fails(text: str) -> None:
    assert isinstance(mask(text), str)


@given(st.text(max_size=200))
def test_mask_removes_digits(text: str) -> None:
    assert not re.search(r"\d", mask(text))


@pytest.mark.parametrize(
    "fragment",
    [
        "a",
        "1",
        "1:",
        "a:",
        "aa:",
        "1.",
        "[1",
        '"a',
        "'a ",
        "/",
        "~/a",
        "0x",
        "deadbeef1 ",
        "1h",
        "12 MB ",
        "Tue Oct 24 17:35:17 2023: ",
        "http://",
        "a-1.",
    ],
)
def test_mask_hostile_megabyte(fragment: str) -> None:
    text = fragment * (MEGABYTE // len(fragment))
    assert isinstance(mask(text), str)
