"""Serialising events and report tables."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import datetime

import pandas as pd
import pytest

from logparse import parse_events
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


def _reject_constant(name: str) -> None:
    raise ValueError(f"invalid strict JSON: constant {name} is not allowed")


def _strict_loads(text: str) -> object:
    return json.loads(text, parse_constant=_reject_constant)


LIMIT_RULE = """
[[rule]]
id = "limit_reached"
cause = "quota_exceeded"
pattern = 'limit of (?P<limit>\\S+) reached'
"""


@pytest.mark.parametrize("limit", ["nan", "inf", "-inf", "Infinity", "1e999"])
def test_jsonl_non_finite_limit_is_null(tmp_path, limit):
    rules = tmp_path / "rules.toml"
    rules.write_text(LIMIT_RULE, encoding="utf-8")
    records = [
        f"{{ content: [VirtualMachineDeploy] CPU limit of {limit} reached, type: ERROR_MSG }}",
        "{ content: [VirtualMachineDeploy] CPU limit of 2.5 reached, type: ERROR_MSG }",
    ]
    out = io.StringIO()
    write_events(parse_events(records, rules=rules), out, "jsonl")
    rows = [_strict_loads(line) for line in out.getvalue().splitlines()]
    assert rows[0]["details"] == {"limit": None}
    assert rows[0]["message"] == f"CPU limit of {limit} reached"
    assert rows[1]["details"] == {"limit": 2.5}


NON_FINITE_REQUEST = RequestEvent(
    action="resize",
    params={"size": math.inf, "nested": [{"ratio": -math.inf}, math.nan], "disk_id": 1},
)


def test_jsonl_non_finite_params_are_null():
    out = io.StringIO()
    write_events([NON_FINITE_REQUEST], out, "jsonl")
    row = _strict_loads(out.getvalue())
    assert row["params"] == {"size": None, "nested": [{"ratio": None}, None], "disk_id": 1}


def test_csv_json_cells_are_strict():
    out = io.StringIO()
    write_events([NON_FINITE_REQUEST], out, "csv")
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert _strict_loads(row["params"])["size"] is None


def test_table_request_params_are_strict():
    out = io.StringIO()
    write_events([NON_FINITE_REQUEST], out, "table")
    assert '"size": null' in out.getvalue()
    assert "Infinity" not in out.getvalue()
    assert "NaN" not in out.getvalue()


def test_json_table_non_finite_is_null():
    frame = pd.DataFrame(
        {
            "cause": ["quota_exceeded", "unknown", "unknown"],
            "limit": [math.inf, -math.inf, 2.5],
            "limits": [[math.nan, 1], [], [math.inf]],
        }
    )
    out = io.StringIO()
    write_table(frame, out, "json")
    rows = _strict_loads(out.getvalue())
    assert [row["limit"] for row in rows] == [None, None, 2.5]
    assert [row["limits"] for row in rows] == [[None, 1], [], [None]]


# NUL, SOH, ESC, DEL and the C1 control CSI (U+009B).
CONTROL_TEXT = "bad\x00name\x01\x1b[31m\x7f\x9bend"
# C0 controls other than tab, LF and CR, DEL and the C1 controls.
FORBIDDEN = {chr(code) for code in [*range(0x20), *range(0x7F, 0xA0)]} - {"\t", "\n", "\r"}
CONTROL_EVENT = NotificationEvent(
    id=1,
    timestamp=datetime(2014, 9, 18, 1, 54, 27),
    creator="ops\x00one",
    type="ERROR_MSG",
    method="ImageAllocate",
    message=CONTROL_TEXT,
    cause="unknown",
    template=CONTROL_TEXT,
    source="a.txt",
    line=1,
    end_line=1,
)


def test_csv_control_characters_visible():
    out = io.StringIO()
    write_events([CONTROL_EVENT], out, "csv")
    text = out.getvalue()
    assert set(text) & FORBIDDEN == set()
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["message"] == "bad\u2400name\u2401\u241b[31m\u2421\ufffdend"
    assert row["creator"] == "ops\u2400one"


def test_table_control_characters_visible():
    out = io.StringIO()
    write_events([CONTROL_EVENT], out, "table")
    text = out.getvalue()
    assert set(text) & FORBIDDEN == set()
    assert "bad\u2400name\u2401\u241b[31m\u2421\ufffdend" in text


def test_markdown_control_characters_visible():
    frame = pd.DataFrame({"example": [CONTROL_TEXT + "\ttab"], "creator": ["ops\x00one"]})
    out = io.StringIO()
    write_table(frame, out, "markdown")
    text = out.getvalue()
    assert set(text) & FORBIDDEN == set()
    assert "| bad\u2400name\u2401\u241b\\[31m\u2421\ufffdend tab | ops\u2400one |" in text


@pytest.mark.parametrize("output_format", ["table", "markdown"])
def test_bidi_override_replaced_in_tables(output_format):
    frame = pd.DataFrame({"example": ["disk \u202egpj.exe\u202c name\u2066x\u2069"]})
    out = io.StringIO()
    write_table(frame, out, output_format)
    assert "disk \ufffdgpj.exe\ufffd name\ufffdx\ufffd" in out.getvalue()


def test_report_csv_control_characters_visible():
    frame = pd.DataFrame({"creator": ["ops\x00one"], "count": [1]})
    out = io.StringIO()
    write_table(frame, out, "csv")
    assert out.getvalue().splitlines()[1] == "ops\u2400one,1"


def test_event_formats_have_no_raw_controls():
    for output_format in ("jsonl", "csv", "table"):
        out = io.StringIO()
        write_events([CONTROL_EVENT], out, output_format)
        assert set(out.getvalue()) & FORBIDDEN == set(), output_format
    out = io.StringIO()
    write_events([CONTROL_EVENT], out, "jsonl")
    # JSON escapes C0 controls, so JSON Lines keeps the text exactly.
    assert _strict_loads(out.getvalue())["message"] == CONTROL_TEXT


def test_lone_surrogate_encodable_in_every_format():
    # A quoted value with the JSON escape "\ud800" and no low surrogate after it.
    event = NotificationEvent(
        id=1,
        timestamp=None,
        creator="ops1",
        type="ERROR_MSG",
        method="ImageAllocate",
        message="half \ud800 pair",
        cause="unknown",
        template="half \ud800 pair",
        source="a.txt",
        line=1,
        end_line=1,
    )
    for output_format in ("jsonl", "csv", "table"):
        out = io.StringIO()
        write_events([event], out, output_format)
        assert out.getvalue().encode("utf-8"), output_format
    out = io.StringIO()
    write_events([event], out, "jsonl")
    assert _strict_loads(out.getvalue())["message"] == "half \ud800 pair"
    out = io.StringIO()
    write_events([event], out, "csv")
    assert "half \ufffd pair" in out.getvalue()


class FlushRecorder(io.StringIO):
    """A text file that records the text written so far at each flush."""

    def __init__(self) -> None:
        super().__init__()
        self.flushed: list[str] = []

    def flush(self) -> None:
        self.flushed.append(self.getvalue())
        super().flush()


TWO_RECORDS = [
    "{ id: 1, content: [ImageAllocate] one, type: ERROR_MSG }\n",
    '{"action":{"perform":"saveas","params":{"disk_id":"1"}}}\n',
]


@pytest.mark.parametrize("output_format", ["jsonl", "csv"])
def test_write_events_flushes_each_event(output_format):
    file = FlushRecorder()
    count = write_events(parse_events(TWO_RECORDS), file, output_format, flush_each=True)
    lines = file.getvalue().splitlines(keepends=True)
    assert count == 2
    assert file.flushed == ["".join(lines[:end]) for end in range(1, len(lines) + 1)]


@pytest.mark.parametrize("output_format", ["jsonl", "csv", "table"])
def test_write_events_flush_each_same_bytes(output_format):
    batch = io.StringIO()
    write_events(parse_events(TWO_RECORDS), batch, output_format)
    streamed = io.StringIO()
    write_events(parse_events(TWO_RECORDS), streamed, output_format, flush_each=True)
    assert streamed.getvalue() == batch.getvalue()


def test_write_events_csv_each_without_events():
    batch = io.StringIO()
    write_events([], batch, "csv")
    streamed = io.StringIO()
    assert write_events([], streamed, "csv", flush_each=True) == 0
    assert streamed.getvalue() == batch.getvalue()
