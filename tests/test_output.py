"""Serialising events and report tables."""

from __future__ import annotations

import io
import json
from datetime import datetime

import pandas as pd
import pytest

from logparse.events import NotificationEvent, RequestEvent
from logparse.output import (
    NOTIFICATION_KEYS,
    describe_causes,
    event_to_dict,
    write_events,
    write_table,
)

EVENT = NotificationEvent(
    id=-1,
    timestamp=datetime(2014, 9, 18, 1, 54, 27),
    creator="ops1",
    type="ERROR_MSG",
    method="VirtualMachineSaveDisk",
    message="VM has to be RUNNING, POWEROFF or SUSPENDED to snapshot disks.",
    cause="invalid_vm_state",
    required_states=("RUNNING", "POWEROFF", "SUSPENDED"),
    source="a.txt",
    line=3,
    end_line=4,
)


def test_event_to_dict_order_and_types():
    record = event_to_dict(EVENT)
    assert tuple(record) == NOTIFICATION_KEYS
    assert record["timestamp"] == "2014-09-18T01:54:27"
    assert record["required_states"] == ["RUNNING", "POWEROFF", "SUSPENDED"]


def test_jsonl_keeps_chinese_readable():
    event = RequestEvent(action="saveas", params={"image_name": "快照"})
    out = io.StringIO()
    write_events([event], out, "jsonl")
    assert "快照" in out.getvalue()
    assert json.loads(out.getvalue())["params"] == {"image_name": "快照"}


def test_table_shows_required_states():
    out = io.StringIO()
    write_events([EVENT], out, "table")
    assert "not RUNNING/POWEROFF/SUSPENDED" in out.getvalue()


def test_unknown_event_format():
    with pytest.raises(ValueError, match="use jsonl, csv or table"):
        write_events([EVENT], io.StringIO(), "xml")


FRAME = pd.DataFrame(
    {
        "cause": ["name_collision", "unknown"],
        "count": [7, 1],
        "first_seen": [pd.Timestamp("2014-09-18 01:54:27"), pd.NaT],
        "example": ["a | b <script>", "张三"],
    }
)


def test_markdown_escapes_cells():
    out = io.StringIO()
    write_table(FRAME, out, "markdown")
    row = out.getvalue().splitlines()[2]
    assert "a \\| b &lt;script&gt;" in row


def test_json_nat_is_null():
    out = io.StringIO()
    write_table(FRAME, out, "json")
    rows = json.loads(out.getvalue())
    assert rows[0]["first_seen"] == "2014-09-18T01:54:27"
    assert rows[1]["first_seen"] is None


def test_text_table_aligns_wide_characters():
    out = io.StringIO()
    write_table(FRAME, out, "table")
    lines = out.getvalue().splitlines()
    # "张三" takes two terminal columns per character, like 4 ASCII characters.
    assert lines[2].endswith("张三")
    assert len(lines[1]) == len("name_collision  7      2014-09-18 01:54:27  a | b <script>")


def test_empty_table():
    out = io.StringIO()
    write_table(FRAME.iloc[0:0], out, "table")
    assert out.getvalue() == "(no rows)\n"


def test_markdown_cell_line_breaks():
    frame = pd.DataFrame({"example": ["a\rb\nc\u2028d"]})
    out = io.StringIO()
    write_table(frame, out, "markdown")
    assert out.getvalue().splitlines()[2] == "| a b c d |"


def test_describe_causes_wraps_without_losing_words():
    row = {
        "id": "lease_unavailable",
        "description": "The virtual network has no free address (IP/MAC lease) for the NIC. " * 3,
        "example": "Cannot get IP/MAC lease from virtual network 5.",
        "hint": "Add an address range.",
    }
    text = describe_causes([row], {"lease_unavailable": ["lease_from_network"]}, width=60)
    lines = text.splitlines()
    assert lines[0] == "lease_unavailable"
    assert max(len(line) for line in lines) <= 60
    assert " ".join(text.split()).count("(IP/MAC lease) for the NIC.") == 3
    assert "  rules:       lease_from_network" in lines


def test_describe_causes_marks_missing_example_and_rules():
    row = {"id": "mine", "description": "d", "example": "", "hint": "h"}
    lines = describe_causes([row], {}, width=60).splitlines()
    assert "  example:     -" in lines
    assert "  rules:       none" in lines
