"""Event types, diagnostics and parse counts."""

from __future__ import annotations

import dataclasses

import pytest

from logparse.events import Diagnostic, NotificationEvent, ParseStats, RequestEvent


def notification(**fields):
    base = {"id": -1, "timestamp": None, "creator": "u", "type": "ERROR_MSG", "method": None}
    return NotificationEvent(**{**base, "message": "m", **fields})


@pytest.mark.parametrize(
    "event_type, failure",
    [("ERROR_MSG", True), ("error", True), ("INFO_MSG", False), (None, False)],
)
def test_is_failure(event_type, failure):
    assert notification(type=event_type).is_failure is failure


def test_events_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        notification().message = "changed"


def test_kinds():
    assert notification().kind == "notification"
    assert RequestEvent(action="saveas").kind == "request"


def test_events_compare_by_value():
    assert notification(details={"a": 1}) == notification(details={"a": 1})
    assert notification(line=2) != notification(line=3)


@pytest.mark.parametrize(
    "diagnostic, text",
    [
        (Diagnostic("skipped", "a.txt", 3, 5, "skipped 3 lines"), "a.txt:3: skipped 3 lines"),
        (
            Diagnostic("malformed", "a.txt", 3, 4, "bad", error_line=4, column=7),
            "a.txt:4:7: bad",
        ),
    ],
)
def test_diagnostic_str(diagnostic, text):
    assert str(diagnostic) == text


def test_stats_add():
    total = ParseStats(lines=3, notifications=1, encodings={"a": "utf-8"})
    total.add(ParseStats(lines=4, requests=2, encodings={"b": "gb18030 (detected)"}))
    assert total.lines == 7
    assert total.events == 3
    assert total.encodings == {"a": "utf-8", "b": "gb18030 (detected)"}


def test_stats_as_dict_has_events():
    assert ParseStats(notifications=2, requests=1).as_dict()["events"] == 3
