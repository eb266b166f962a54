"""parse_events: typed events, diagnostics, on_bad_lines and line accounting."""

from __future__ import annotations

import io
import itertools
import os
import re
import threading
import warnings
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logparse import (
    MalformedRecordError,
    NotificationEvent,
    ParserWarning,
    RequestEvent,
    parse_events,
    read_log,
)
from logparse.redact import redact_text
from logparse.render import record_tokens, render_record

from .conftest import SAMPLES
from .test_redact import LEAK_INPUTS, SECRET_KEYS, leak_input, leaked

SEED = SAMPLES / "sunstone-notifications.txt"

# The first line of each notification in the seed capture, and its cause.
SEED_NOTIFICATIONS = [
    (22, "name_collision", "01:54:27"),
    (24, "name_collision", "01:54:37"),
    (26, "name_collision", "01:55:11"),
    (28, "invalid_vm_state", "01:55:11"),
    (30, "invalid_vm_state", "01:55:11"),
    (32, "invalid_vm_state", "01:55:11"),
    (34, "invalid_vm_state", "01:55:11"),
    (36, "name_collision", "01:55:11"),
    (38, "invalid_vm_state", "01:55:11"),
    (40, "name_collision", "01:55:11"),
    (42, "name_collision", "01:55:11"),
    (44, "name_collision", "02:01:29"),
]
SEED_REQUESTS = [(4, "snapshot_create"), (9, "saveas"), (12, "saveas")]


def collect(source, **options):
    diagnostics = []
    reader = parse_events(source, on_diagnostic=diagnostics.append, **options)
    events = list(reader)
    return events, diagnostics, reader.stats


@pytest.fixture(scope="module")
def seed():
    return collect(SEED)


def test_seed_notification_count(seed):
    events, _, _ = seed
    notifications = [event for event in events if isinstance(event, NotificationEvent)]
    assert len(notifications) == 12


@pytest.mark.parametrize("index, expected", list(enumerate(SEED_NOTIFICATIONS)))
def test_seed_notification_fields(seed, index, expected):
    line, cause, clock = expected
    notifications = [event for event in seed[0] if isinstance(event, NotificationEvent)]
    event = notifications[index]
    assert event.line == line
    assert event.end_line == line + 1
    assert event.cause == cause
    assert event.timestamp == datetime.fromisoformat(f"2014-09-18T{clock}")
    assert event.id == -1
    assert event.creator == "ops1"
    assert event.type == "ERROR_MSG"
    assert event.method == "VirtualMachineSaveDisk"
    assert event.is_failure


def test_seed_name_collision_object(seed):
    collisions = [event for event in seed[0] if getattr(event, "cause", "") == "name_collision"]
    assert {(event.object_type, event.object_id) for event in collisions} == {("IMAGE", 265)}


def test_seed_required_states(seed):
    states = [event for event in seed[0] if getattr(event, "cause", "") == "invalid_vm_state"]
    assert {event.required_states for event in states} == {("RUNNING", "POWEROFF", "SUSPENDED")}
    assert {event.vm_state for event in states} == {None}


def test_seed_message_folded(seed):
    event = seed[0][3]
    assert event.message == "Error allocating a new image. NAME is already taken by IMAGE 265."


def test_seed_requests(seed):
    requests = [(event.line, event.action) for event in seed[0] if isinstance(event, RequestEvent)]
    assert requests == SEED_REQUESTS


def test_request_params_typed(seed):
    request = seed[0][1]
    assert request.params == {
        "disk_id": 1,
        "image_name": "test-001",
        "type": "",
        "hot": True,
        "clonetemplate": False,
    }


def test_csrftoken_never_stored(seed):
    for event in seed[0]:
        assert "csrftoken" not in repr(event)
        assert "0f1e2d3c4b5a" not in repr(event)


def test_seed_accounting(seed):
    _, diagnostics, stats = seed
    assert stats.lines == 47
    assert stats.event_lines + stats.skipped_lines + stats.blank_lines == 47
    assert stats.malformed == 0
    assert [d.line for d in diagnostics if d.kind == "skipped"] == [1, 6, 20, 47]


def test_sources_equivalent():
    from_path = [event.line for event in collect(SEED)[0]]
    text = SEED.read_text("utf-8")
    assert [event.line for event in collect(io.StringIO(text))[0]] == from_path
    assert [event.line for event in collect(io.BytesIO(text.encode()))[0]] == from_path
    assert [event.line for event in collect(text.splitlines(keepends=True))[0]] == from_path


def test_streams_endless_input():
    consumed = 0

    def endless():
        nonlocal consumed
        while True:
            consumed += 1
            yield "{ content: [ImageAllocate] one, type: ERROR_MSG }\n"

    events = list(itertools.islice(parse_events(endless()), 3))
    assert [event.method for event in events] == ["ImageAllocate"] * 3
    # The scanner reads ahead by one chunk of 64 KiB at most.
    assert consumed < 5_000


def next_within(events, seconds: float):
    """Return the next event, or fail the test when none comes within ``seconds``."""
    outcome = []

    def take_next():
        try:
            outcome.append(next(events))
        except BaseException as error:
            # Raised again below, in the thread that runs the test.
            outcome.append(error)

    thread = threading.Thread(target=take_next, daemon=True)
    thread.start()
    thread.join(seconds)
    if not outcome:
        pytest.fail(f"no event within {seconds} s: the reader waits for input not written yet")
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def test_events_from_pipe_as_records_arrive():
    read_fd, write_fd = os.pipe()
    with open(read_fd, "rb") as stream:
        try:
            reader = parse_events(stream)
            os.write(write_fd, b"heading\n{ id: 1, content: [ImageAllocate] one, type: E }\n")
            first = next_within(reader, 20)
            assert (first.id, first.line) == (1, 2)

            os.write(write_fd, b"{ id: 2,\n")
            os.write(write_fd, b"  content: [ImageAllocate] two, type: E }\nnoise\n")
            second = next_within(reader, 20)
            assert (second.id, second.line, second.end_line) == (2, 3, 4)

            os.close(write_fd)
            write_fd = None
            assert list(reader) == []
            assert reader.stats.lines == 5
            assert reader.stats.skipped_lines == 2
        finally:
            if write_fd is not None:
                os.close(write_fd)


def test_events_from_pipe_after_open_quote():
    # The quote in record 2 is never closed. Record 3 must not wait for it.
    diagnostics = []
    read_fd, write_fd = os.pipe()
    with open(read_fd, "rb") as stream:
        try:
            reader = parse_events(stream, on_diagnostic=diagnostics.append, on_bad_lines="skip")
            os.write(write_fd, b"{ id: 1, content: [ImageAllocate] one, type: E }\n")
            os.write(write_fd, b'{ id: 2, content: "[VirtualMachineDeploy] Cannot dep\n')
            os.write(write_fd, b"{ id: 3, content: [ImageAllocate] three, type: E }\n")
            first = next_within(reader, 20)
            assert (first.id, first.line) == (1, 1)
            third = next_within(reader, 20)
            assert (third.id, third.line) == (3, 3)

            os.close(write_fd)
            write_fd = None
            assert list(reader) == []
            malformed = [diagnostic for diagnostic in diagnostics if diagnostic.kind == "malformed"]
            assert len(malformed) == 1
            assert malformed[0].line == 2
            assert "not closed before the next record starts" in str(malformed[0])
            assert reader.stats.malformed == 1
            assert reader.stats.malformed_lines == 1
        finally:
            if write_fd is not None:
                os.close(write_fd)


def test_source_name_option():
    events, _, _ = collect(["{ content: x, type: E }"], name="paste.txt")
    assert events[0].source == "paste.txt"


# Values


@pytest.mark.parametrize(
    "record, field, expected",
    [
        ("{ id: 17, content: x }", "id", 17),
        ("{ content: x }", "id", None),
        ("{ content: x }", "timestamp", None),
        ("{ content: x, date: 2014-09-18 }", "timestamp", None),
        ("{ content: x, date: 2014/09/18, time: 01:02 }", "timestamp", datetime(2014, 9, 18, 1, 2)),
        ("{ content: [one.vm.deploy] y }", "method", "one.vm.deploy"),
        ("{ content: Not enough space in datastore }", "method", None),
        ("{ content: a \n  b\t c }", "message", "a b c"),
        ("{ type: INFO_MSG }", "message", ""),
        ("{ zone: 0, zone: 1, content: x }", "extra", {"zone": 0, "zone#2": 1}),
        ('{ "labels": {"a": [1, true]}, content: x }', "extra", {"labels": {"a": [1, True]}}),
    ],
)
def test_notification_values(record, field, expected):
    events, _, _ = collect([record])
    assert getattr(events[0], field) == expected


@pytest.mark.parametrize(
    "record, words",
    [
        ("{ id: abc, content: x }", "id 'abc' is not a 64-bit integer"),
        ("{ content: x, date: 2014-02-30, time: 01:00:00 }", "date '2014-02-30' is not a valid"),
        ("{ content: x, date: 2014-02-03, time: 25:61:00 }", "time '25:61:00' is not a valid"),
    ],
)
def test_invalid_values_warned(record, words):
    events, diagnostics, stats = collect([record])
    assert len(events) == 1
    assert stats.invalid_values == 1
    assert diagnostics[0].kind == "invalid_value"
    assert words in diagnostics[0].message


def test_invalid_value_nulls_field():
    events, _, _ = collect(["{ id: abc, content: x, date: 2014-02-30, time: 01:00:00 }"])
    assert events[0].id is None
    assert events[0].timestamp is None


def test_object_without_known_keys_skipped():
    events, diagnostics, stats = collect(['{"error": {"code": 1}}\n'])
    assert events == []
    assert diagnostics[0].kind == "skipped"
    assert "neither a notification" in diagnostics[0].message
    assert stats.skipped_lines == 1


def test_secret_in_content_redacted():
    events, _, _ = collect(["{ content: login failed password=hunter2 token: abc, type: E }"])
    assert "hunter2" not in events[0].message
    assert "abc" not in events[0].message


def test_secret_param_redacted():
    events, _, _ = collect(
        ['{"action":{"perform":"x","params":{"password":"pw1"}},"csrftoken":"t"}']
    )
    assert events[0].params == {"password": "<redacted>"}


# Malformed records and on_bad_lines

BROKEN = [
    "{ content: [ImageAllocate] good, type: ERROR_MSG }\n",
    "{ id: 1, type: ERROR_MSG, creator ops1, content: [ImageClone] broken }\n",
    "{ content: [ImageDelete] good, type: ERROR_MSG }\n",
]


def test_malformed_keeps_neighbours():
    events, diagnostics, stats = collect(BROKEN, on_bad_lines="skip")
    assert [event.method for event in events] == ["ImageAllocate", "ImageDelete"]
    assert stats.malformed == 1
    assert stats.malformed_lines == 1


def test_malformed_diagnostic_location():
    _, diagnostics, _ = collect(BROKEN, on_bad_lines="skip", name="x.txt")
    malformed = [d for d in diagnostics if d.kind == "malformed"]
    assert str(malformed[0]) == "x.txt:2:35: malformed record: expected \":\", found 'ops1'"
    assert malformed[0].text == BROKEN[1]


def test_on_bad_lines_warn():
    with pytest.warns(ParserWarning, match="2:35: malformed record"):
        events = list(parse_events(BROKEN))
    assert len(events) == 2


def test_on_bad_lines_error():
    reader = parse_events(BROKEN, on_bad_lines="error")
    assert next(reader).method == "ImageAllocate"
    with pytest.raises(MalformedRecordError, match="malformed record") as caught:
        next(reader)
    assert caught.value.diagnostic.line == 2


def test_on_bad_lines_skip_is_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        events = list(parse_events(BROKEN, on_bad_lines="skip"))
    assert len(events) == 2


def test_on_bad_lines_callable_fixes_record():
    def fix(diagnostic):
        return diagnostic.text.replace("creator ops1", "creator: ops1")

    events = list(parse_events(BROKEN, on_bad_lines=fix))
    assert [event.method for event in events] == ["ImageAllocate", "ImageClone", "ImageDelete"]
    assert events[1].line == 2


def test_on_bad_lines_callable_drops_record():
    seen = []
    events = list(parse_events(BROKEN, on_bad_lines=lambda d: seen.append(d.line)))
    assert len(events) == 2
    assert seen == [2]


def test_on_bad_lines_invalid():
    with pytest.raises(ValueError, match="on_bad_lines must be 'error', 'warn', 'skip'"):
        parse_events(BROKEN, on_bad_lines="ignore")


def test_context_manager_closes_file(tmp_path):
    path = tmp_path / "log.txt"
    path.write_text("{ content: x }\n" * 3)
    with parse_events(path) as reader:
        next(reader)
    assert reader._opened.close is None


# Accounting properties


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.text(max_size=40),
            st.just(render_record({"content": "[M] a, b", "type": "ERROR_MSG"}) + "\n"),
            st.sampled_from(["{ id: 1, content: x", "\n", "{ a:", '"', "}", "\u00a0\n", "\r\n"]),
        ),
        max_size=30,
    ).map("".join)
)
def test_arbitrary_text_accounting(text):
    events, diagnostics, stats = collect([text], on_bad_lines="skip")
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    total = stats.event_lines + stats.malformed_lines + stats.skipped_lines + stats.blank_lines
    # The one item ends a line even when it is empty or has no line break.
    assert stats.lines == normalised.count("\n") + (0 if normalised.endswith("\n") else 1)
    assert total == stats.lines
    assert stats.events == len(events)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_accounting(data):
    events, diagnostics, stats = collect(io.BytesIO(data), on_bad_lines="skip")
    total = stats.event_lines + stats.malformed_lines + stats.skipped_lines + stats.blank_lines
    breaks = len(re.findall(rb"\r\n|\r|\n", data))
    assert stats.lines == breaks + (0 if data.endswith((b"\n", b"\r")) or not data else 1)
    assert total == stats.lines


# Render-then-parse of whole events

METHODS = st.sampled_from([None, "VirtualMachineSaveDisk", "one.vm.disksaveas", "ImageAllocate"])
PLAIN = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\u200b")
FOLDED = st.text(PLAIN, max_size=40).map(lambda text: " ".join(text.split()))
MESSAGES = FOLDED.filter(
    lambda text: not text.startswith(("[", "Req:")) and redact_text(text) == text
)
NAMES = FOLDED.filter(lambda text: text != "" and redact_text(text) == text)
TIMESTAMPS = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2099, 12, 31)).map(
    lambda moment: moment.replace(microsecond=0)
)
QUOTES = st.sampled_from(["none", "single", "double"])


@st.composite
def events_as_text(draw):
    method = draw(METHODS)
    message = draw(MESSAGES)
    timestamp = draw(TIMESTAMPS | st.none())
    fields = {
        "id": draw(st.integers(-(2**31), 2**31) | st.none()),
        "content": f"[{method}] {message}" if method else message,
        "creator": draw(NAMES | st.none()),
        "date": timestamp.strftime("%Y-%m-%d") if timestamp else None,
        "time": timestamp.strftime("%H:%M:%S") if timestamp else None,
        "type": draw(NAMES | st.none()),
    }
    extra = draw(st.dictionaries(st.sampled_from(["zone", "host", "备注"]), NAMES, max_size=2))
    keys = draw(st.permutations([*fields, *extra]))
    values = {**fields, **extra}
    styles = {key: draw(QUOTES) for key in fields}
    styles.update({key: draw(st.sampled_from(["single", "double"])) for key in extra})
    tokens = record_tokens([(key, values[key]) for key in keys], quote=styles)
    separators = [draw(st.sampled_from(["", " ", "\n", "\r\n", "\t", "\u00a0"])) for _ in tokens]
    text = "".join(token + separator for token, separator in zip(tokens, separators, strict=True))
    expected = {
        "id": fields["id"],
        "timestamp": timestamp,
        "creator": fields["creator"],
        "type": fields["type"],
        "method": method,
        "message": message,
        "extra": extra,
    }
    return expected, text


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(events_as_text())
def test_event_round_trip(case):
    expected, text = case
    events, diagnostics, _ = collect(io.BytesIO(text.encode("utf-8")))
    assert len(events) == 1, (text, diagnostics)
    for field, value in expected.items():
        assert getattr(events[0], field) == value, (field, text)


def test_duplicate_known_key_reported():
    record = "{ content: disk error, type: CDROM is not allowed, creator: u, type: ERROR_MSG }"
    events, diagnostics, stats = collect([record])
    assert events[0].type == "CDROM is not allowed"
    assert events[0].extra == {"type": "ERROR_MSG"}
    assert "key 'type' appears twice" in diagnostics[0].message
    assert stats.invalid_values == 1


@pytest.mark.parametrize(
    "second_line",
    [
        "[10:01] ops1: creator: oneadmin,date: 2014-09-18,time: 01:54:27,type: ERROR_MSG },",
        "> ops1: creator: oneadmin,date: 2014-09-18,time: 01:54:27,type: ERROR_MSG },",
    ],
    ids=["chat-name", "quote-mark"],
)
def test_key_hidden_by_line_prefix_reported(second_line):
    text = "{ id: -1,content: [ImageAllocate] NAME is already taken by IMAGE 265.,\n" + second_line
    events, diagnostics, _ = collect(io.StringIO(text))

    assert events[0].creator is None
    assert events[0].timestamp == datetime(2014, 9, 18, 1, 54, 27)
    assert len(diagnostics) == 1
    assert "no 'creator' key but its content contains 'creator:'" in diagnostics[0].message


def test_key_word_in_message_not_reported():
    text = "{ id: -1,content: Invalid disk type: CDROM is not allowed,date: 2014-09-18 }\n"
    events, diagnostics, _ = collect(io.StringIO(text))

    assert events[0].message == "Invalid disk type: CDROM is not allowed"
    assert diagnostics == []


def test_invalid_value_warns_without_callback():
    with pytest.warns(ParserWarning, match="id 'abc' is not a 64-bit integer"):
        events = list(parse_events(["{ id: abc, content: x }"]))
    assert events[0].id is None


def test_on_bad_lines_callable_wrong_type():
    with pytest.raises(TypeError, match="must return the corrected record as str"):
        list(parse_events(BROKEN, on_bad_lines=lambda diagnostic: 1))


def test_unicode_first_key_starts_record():
    events, _, _ = collect(["{ 内容: 备注, content: [ImageAllocate] x, type: ERROR_MSG }"])
    assert events[0].extra == {"内容": "备注"}


def test_secret_quoted_without_key_redacted():
    text = '{ type: E, "csrftoken" "SECRET20", content: x }\nnoise password "SECRET21"\n'
    _, diagnostics, _ = collect([text], on_bad_lines="skip")
    for diagnostic in diagnostics:
        assert "SECRET20" not in str(diagnostic)
        assert "SECRET20" not in diagnostic.text
        assert "SECRET21" not in str(diagnostic)
        assert "SECRET21" not in diagnostic.text


@pytest.mark.parametrize(
    "record, field, words",
    [
        ("{ id: 99999999999999999999, content: x }", "id", "not a 64-bit integer"),
        (
            "{ content: NAME is already taken by IMAGE 99999999999999999999999., type: E }",
            "object_id",
            "object id 99999999999999999999999 is not a 64-bit integer",
        ),
        (
            "{ content: x, date: 9999-09-18, time: 01:00:00 }",
            "timestamp",
            "outside 1677-09-22 to 2262-04-10",
        ),
    ],
)
def test_values_beyond_dataframe_range(record, field, words):
    events, diagnostics, _ = collect([record])
    assert getattr(events[0], field) is None
    assert words in diagnostics[0].message


def test_secret_in_creator_redacted():
    events, _, _ = collect(['{ content: x, creator: "password=S1", type: E }'])
    assert "S1" not in events[0].creator


def test_truncated_request_keeps_next_record():
    text = (
        '{"action":{"perform":"saveas","params":{"x":\n'
        "{ content: [ImageAllocate] NAME is already taken by IMAGE 2., type: ERROR_MSG }\n"
    )
    events, diagnostics, stats = collect([text], on_bad_lines="skip")
    assert [event.object_id for event in events] == [2]
    assert stats.malformed == 1
    assert stats.malformed_lines == 1


def test_deep_arrays_malformed():
    record = "{ type: E, a: " + "[" * 500 + "1" + "]" * 500 + ", content: x }"
    events, diagnostics, stats = collect([record], on_bad_lines="skip")
    assert events == []
    assert "deeper than 32 levels" in diagnostics[0].message


def test_corrected_text_rejected_again_is_reported():
    with pytest.warns(ParserWarning, match="corrected text is rejected too"):
        events, diagnostics, _ = collect(BROKEN, on_bad_lines=lambda diagnostic: "{ still broken")
    assert len(events) == 2
    assert any("corrected text is rejected too" in d.message for d in diagnostics)


def test_rejected_correction_warns_with_line():
    def fix(diagnostic):
        return "{ id: 1, type: ERROR_MSG, creator ops2 }"

    reader = parse_events(BROKEN, on_bad_lines=fix)
    with pytest.warns(ParserWarning) as caught:
        events = list(reader)
    messages = [str(warning.message) for warning in caught]
    assert len(events) == 2
    assert messages == [
        "<input>:2:35: the corrected text is rejected too: expected \":\", found 'ops2'; "
        "it is dropped"
    ]
    assert reader.stats.malformed == 1


def test_rejected_correction_reaches_on_diagnostic():
    with pytest.warns(ParserWarning):
        _, diagnostics, _ = collect(
            BROKEN, on_bad_lines=lambda diagnostic: "{ id: 1, type: ERROR_MSG, creator ops2 }"
        )
    rejected = [d for d in diagnostics if "corrected text is rejected too" in d.message]
    assert len(rejected) == 1
    assert (rejected[0].line, rejected[0].error_line, rejected[0].column) == (2, 2, 35)
    assert rejected[0].text == "{ id: 1, type: ERROR_MSG, creator ops2 }"


# A request body cut short by the next record

CUT_BODY = [
    '{"action":{"perform":"saveas","params":{"disk_id":"1"\n',
    "{ id: -1, content: [ImageAllocate] boom, type: ERROR_MSG }\n",
]


def test_cut_body_is_one_malformed_record():
    events, diagnostics, stats = collect(CUT_BODY, on_bad_lines="skip", name="x.txt")
    assert len(events) == 1
    assert [str(d) for d in diagnostics] == [
        "x.txt:1:54: malformed record: record is not closed before the next record "
        'starts: add the missing "}"'
    ]
    assert diagnostics[0].text == CUT_BODY[0]
    assert stats.malformed == 1
    assert stats.malformed_lines == 1
    assert stats.event_lines == 1


def test_cut_body_counted_once_in_frame():
    frame = read_log(CUT_BODY, on_bad_lines="skip")
    assert frame.attrs["stats"]["malformed"] == 1
    assert frame.attrs["stats"]["malformed_lines"] == 1
    assert len(frame) == 1


# Secrets in input whose values are hard to delimit


@pytest.mark.parametrize("shape", LEAK_INPUTS)
@pytest.mark.parametrize("key", SECRET_KEYS)
def test_hard_secrets_not_in_events_or_diagnostics(key, shape):
    events, diagnostics, _ = collect([leak_input(shape, key)], on_bad_lines="skip")
    assert leaked(repr(events)) == []
    assert leaked("\n".join(str(d) for d in diagnostics)) == []
    assert leaked("".join(d.text for d in diagnostics)) == []


def test_hard_secrets_not_in_warnings():
    text = leak_input("next line in malformed record", "csrftoken")
    with pytest.warns(ParserWarning) as caught:
        list(parse_events([text]))
    assert leaked("\n".join(str(warning.message) for warning in caught)) == []


def test_secret_in_request_action_redacted():
    events, _, _ = collect(['{"action":{"perform":"login password=hunter2"}}\n'])
    assert events[0].action == "login password=<redacted>"


# Decoding


def test_fallback_codec_named_in_message():
    data = "{ content: [ImageAllocate] Der Benutzer Müller, type: ERROR_MSG }\n".encode("cp1252")
    _, diagnostics, _ = collect(io.BytesIO(data))
    assert [d.kind for d in diagnostics] == ["encoding"]
    assert "decoded as Windows-1252 (Latin-1)" in diagnostics[0].message
    assert "GB18030" not in diagnostics[0].message


def test_gbk_read_as_utf8_named_in_message():
    # "系统" in GBK is also valid UTF-8; the line before makes the file Chinese.
    data = "{ content: [ImageAllocate] 镜像名称已被占用, type: ERROR_MSG }\n".encode(
        "gbk"
    ) + "{ content: [ImageAllocate] 系统, type: ERROR_MSG }\n".encode("gbk")
    events, diagnostics, _ = collect(io.BytesIO(data))
    assert [event.message for event in events] == ["镜像名称已被占用", "系统"]
    messages = [d.message for d in diagnostics if d.kind == "encoding"]
    assert any("is valid UTF-8 but reads as GBK-encoded Chinese" in m for m in messages)
    assert any("--encoding utf-8" in m for m in messages)


@pytest.mark.parametrize("value", ["e", "1", "ops"])
def test_short_secret_redacted_only_where_alone(value):
    data = f"{{ type: ERROR_MSG, password: {value}, creator ops1 }}\n"
    with pytest.warns(ParserWarning, match="found 'ops1'"):
        _, diagnostics, _ = collect(io.BytesIO(data.encode()))
    message = diagnostics[0].message
    assert "malformed record: expected" in message
    assert "found 'ops1'" in message


def test_empty_objects_stay_objects():
    data = b'{"action":{"perform":"resume","params":{"vm_template":{},"ids":[]}},"meta":{}}\n'
    events, diagnostics, _ = collect(io.BytesIO(data))
    assert diagnostics == []
    assert events[0].params == {"vm_template": {}, "ids": []}
    assert events[0].extra == {"meta": {}}


def test_empty_params_stay_an_object():
    events, _, _ = collect(io.BytesIO(b'{"action":{"perform":"resume","params":{}}}\n'))
    assert events[0].params == {}


def test_fallback_message_names_codecs_to_try():
    data = "{ content: [ImageAllocate] Der Benutzer Müller, type: ERROR_MSG }\n".encode("cp1252")
    _, diagnostics, _ = collect(io.BytesIO(data))
    expected = "--encoding (encoding= in Python), such as gbk, cp1252 or utf-8"
    assert expected in diagnostics[0].message


def test_secret_after_long_separator_in_next_span():
    # The key and an aligned separator of 259 characters end a malformed
    # record, and the value is the next line, which is skipped text.
    padding = " " * 64
    data = (
        f"{{ type: ERROR_MSG, creator ops1 csrftoken{padding}={padding}={padding}={padding[1:]}\n"
        "0f1e2d3c4b5a69788796a5b4c3d2e1f0\n"
    )
    with pytest.warns(ParserWarning):
        _, diagnostics, _ = collect(io.BytesIO(data.encode()))
    text = " ".join(d.message for d in diagnostics)
    assert "0f1e2d3c" not in text
