"""The scanner: records among noise, recovery from broken records, full coverage."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logparse import scanner
from logparse.scanner import Span, parse_with_grammar, scan

from .conftest import SAMPLES

LINE = re.compile(r"[^\n]*\n|[^\n]+$")


def lines_of(text: str) -> list[str]:
    """Split like the sources module does once line breaks are "\\n"."""
    return LINE.findall(text)


def spans_of(text: str) -> list[Span]:
    return list(scan(iter(lines_of(text))))


def kinds(text: str) -> list[str]:
    return [span.kind for span in spans_of(text) if span.kind != "blank"]


def assert_covers(text: str, spans: list[Span]) -> None:
    """The spans' texts, in order, rebuild the input exactly."""
    assert "".join(span.text for span in spans) == text
    lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    covered = set()
    for span in spans:
        covered.update(range(span.line, span.end_line + 1))
    assert covered == set(range(1, lines + 1))


RECORD = "{ id: -1, content: [M] boom, creator: u, type: ERROR_MSG }"


def test_noise_around_record():
    text = f"虚拟机快照\n\u00a0\n{RECORD}\nposted on 2014-09-18\n"
    spans = spans_of(text)
    assert [span.kind for span in spans] == ["skipped", "blank", "record", "blank", "skipped"]
    assert_covers(text, spans)


def test_record_lines_are_one_based():
    text = f"heading\n\n{RECORD[:30]}\n{RECORD[30:]}\n"
    record = next(span for span in spans_of(text) if span.kind == "record")
    assert record.line == 3
    assert record.end_line == 4


@pytest.mark.parametrize(
    "text, expected",
    [
        (f"[{RECORD},{RECORD}]", ["record", "record"]),
        (f"[\n{RECORD}\n{RECORD}\n]", ["record", "record"]),
        (f"{RECORD}{RECORD} {RECORD}", ["record", "record", "record"]),
        (f"{RECORD},\n{RECORD},", ["record", "record"]),
        ("\n".join(RECORD.replace(", ", ",\n").split("\n")), ["record"]),
        ('{"action":{"perform":"saveas","params":{}},"csrftoken":"x"}:', ["record"]),
    ],
)
def test_record_layouts(text, expected):
    assert kinds(text) == expected


def test_array_punctuation_is_blank():
    spans = spans_of(f"[\n{RECORD},\n]\n")
    assert [span.kind for span in spans] == ["blank", "record", "blank"]


def test_unterminated_record_keeps_next():
    text = f"{{ id: 1, content: cut here\n{RECORD}\n"
    spans = spans_of(text)
    assert [span.kind for span in spans if span.kind != "blank"] == ["malformed", "record"]
    assert spans[0].line == 1
    assert spans[0].end_line == 1
    assert_covers(text, spans)


@pytest.mark.parametrize(
    "cut",
    [
        '{"action":{"perform":"saveas","params":{"disk_id":"1"',
        "{ id: 1, content: [M] boom, type: ERROR_MSG",
        '{"a": {"b": {"c": 1}, "d": 2',
        "{ id: 1, content: x,",
    ],
)
def test_record_cut_by_next_record_is_one_span(cut):
    text = f"{cut}\n  \n  {RECORD}\n"
    spans = spans_of(text)
    assert [span.kind for span in spans if span.kind != "blank"] == ["malformed", "record"]
    malformed = spans[0]
    assert malformed.text == f"{cut}\n"
    assert "record is not closed before the next record starts" in malformed.reason
    assert (malformed.error_line, malformed.error_column) == (1, len(cut) + 1)
    assert_covers(text, spans)


def test_secret_at_error_not_quoted():
    token = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    text = f'{{"action":{{"perform":"saveas"}},"csrftoken":"{token}}}\n'
    malformed = spans_of(text)[0]
    assert malformed.kind == "malformed"
    assert "found a redacted value" in malformed.reason
    assert token[:8] not in malformed.reason


def test_malformed_reports_position_and_expected():
    text = f"{RECORD}\n{{ id: -1, type E }}\n{RECORD}\n"
    malformed = next(span for span in spans_of(text) if span.kind == "malformed")
    assert malformed.error_line == 2
    assert malformed.error_column == 16
    assert 'expected ":"' in malformed.reason
    assert "found 'E'" in malformed.reason


def test_unterminated_quote_at_end():
    text = '{ id: 1, content: "never closed\n\nmore text\n'
    spans = spans_of(text)
    assert spans[0].kind == "malformed"
    assert_covers(text, spans)


SPANNING_QUOTE = '{ id: 1, content: "line one\n  line two\n{ not a key\n", type: E }\n'


@pytest.mark.parametrize(
    "following",
    [
        RECORD,
        '{ id: 3, content: "[B] next", type: E }',
        "{ id: 3, content: 'it is', type: E }",
        '{ "id": 3, "content": "x", "type": "E" }',
    ],
)
@pytest.mark.parametrize("quote", ['"', "'"])
def test_open_quote_cut_by_next_record(quote, following):
    cut = "{ id: 2, content: " + quote + "[VirtualMachineDeploy] Cannot dep"
    text = f"{SPANNING_QUOTE}{cut}\n\n{following}\n{RECORD}\n"
    spans = spans_of(text)
    found = [span for span in spans if span.kind != "blank"]
    assert [span.kind for span in found] == ["record", "malformed", "record", "record"]
    assert dict(found[0].members)["content"] == "line one\n  line two\n{ not a key\n"
    malformed = found[1]
    assert malformed.text == f"{cut}\n"
    assert (malformed.line, malformed.end_line) == (5, 5)
    assert (malformed.error_line, malformed.error_column) == (5, len(cut) + 1)
    assert "record is not closed before the next record starts" in malformed.reason
    assert f"add the missing {quote!r}" in malformed.reason
    assert_covers(text, spans)


def test_record_longer_than_first_window():
    content = "x" * 50_000
    text = f"{{ content: {content}\n, type: E }}\n"
    spans = spans_of(text)
    assert [span.kind for span in spans] == ["record", "blank"]
    assert dict(spans[0].members)["content"] == content


def test_record_split_over_many_lines():
    body = ",\n".join(f"k{index}: v" for index in range(3000))
    text = f"{{ type: E,\n{body} }}\n"
    spans = spans_of(text)
    assert spans[0].kind == "record"
    assert spans[0].end_line == 3001


def test_trailing_brace_waits_for_next_line():
    # "{" at the end of one chunk, its key on the next line.
    padding = "noise line\n" * 8000
    text = f"{padding}{{\n id: 1, type: E }}\n"
    spans = spans_of(text)
    assert [span.kind for span in spans if span.kind != "blank"] == ["skipped", "record"]
    assert_covers(text, spans)


def test_long_noise_reported_in_pieces():
    text = "noise\n" * 25_000
    spans = spans_of(text)
    assert [span.kind for span in spans] == ["skipped", "skipped", "skipped"]
    assert spans[1].line == 10_002
    assert_covers(text, spans)


def test_empty_input():
    assert spans_of("") == []


# Hostile input: each must finish and account for every line. The benchmarks
# measure how their time grows with size.


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("{ content: " + "x" * 1_000_000 + ", type: E }\n", id="1MB-content"),
        pytest.param("{ content: " + ", creator" * 30_000 + " }\n", id="creator-fragments"),
        pytest.param("{ content: x" + ", creator:" * 30_000 + " }\n", id="creator-keys"),
        pytest.param("{" * 1_000_000, id="million-braces"),
        pytest.param("{ a:" * 10_000, id="open-records"),
        pytest.param(RECORD * 2000, id="no-newline"),
        pytest.param("{ content: " + " " * 500_000 + "}", id="spaces"),
        pytest.param('{ a: "' + "\\" * 100_001, id="backslashes"),
    ],
)
def test_hostile_input_accounted(text):
    spans = spans_of(text)
    assert_covers(text, spans)


def test_binary_like_text_accounted():
    data = bytes(range(256)) * 200
    text = data.decode("latin-1")
    spans = spans_of(text.replace("\r", "\n"))
    assert_covers(text.replace("\r", "\n"), spans)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.text(max_size=30),
            st.sampled_from([RECORD, "{", "}", "{ a:", '"', "'", ",", "\n", "content:", "：，"]),
        ),
        max_size=40,
    ).map("".join)
)
def test_arbitrary_text_is_covered(text):
    # The scanner's callers normalise line breaks to "\n".
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    spans = spans_of(text)
    assert_covers(text, spans)


# Input that arrives over time, as from a pipe.


class ArrivingLines:
    """Lines of which the first ``arrived`` have arrived.

    The scanner may take lines that have arrived, and may wait for the next one
    up to ``limit``, which then arrives. Waiting for a line past ``limit`` fails
    the test, where a real pipe would wait forever.
    """

    def __init__(self, lines: list[str], arrived: int, limit: int):
        self.lines = lines
        self.arrived = arrived
        self.limit = limit
        self.lines_taken = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.lines_taken >= len(self.lines):
            raise StopIteration
        if self.lines_taken >= self.arrived:
            if self.lines_taken >= self.limit:
                raise AssertionError(f"the scanner waits for line {self.lines_taken + 1}")
            self.arrived += 1
        self.lines_taken += 1
        return self.lines[self.lines_taken - 1]

    def ready(self) -> bool:
        return self.lines_taken < self.arrived or self.lines_taken >= len(self.lines)


def test_live_record_returned_before_next_line():
    lines = ["heading\n", f"{RECORD}\n", "posted on 2014-09-18\n", f"{RECORD}\n"]
    source = ArrivingLines(lines, arrived=2, limit=2)
    spans = scan(source, source.ready)
    heading = next(spans)
    assert heading.kind == "skipped"
    record = next(spans)
    assert record.kind == "record"
    assert record.line == 2
    assert source.lines_taken == 2
    source.limit = len(lines)
    rest = list(spans)
    assert [span.kind for span in rest if span.kind != "blank"] == ["skipped", "record"]
    assert_covers("".join(lines), [heading, record, *rest])


def test_live_record_in_many_pieces():
    # Each line arrives on its own. The window must not grow past the text that
    # has arrived, or twelve pieces would take it past MAX_RECORD_CHARS.
    pieces = [f"k{index}: v,\n" for index in range(12)]
    lines = ["{ type: E,\n", *pieces, "content: done }\n", "trailing noise\n"]
    source = ArrivingLines(lines, arrived=1, limit=len(lines) - 1)
    spans = scan(source, source.ready)
    record = next(spans)
    assert record.kind == "record"
    assert record.end_line == len(lines) - 1
    assert dict(record.members)["content"] == "done"


def test_live_cut_record_then_record():
    # A record cut short is malformed once the next line starts a record.
    lines = ["{ id: 1, content: cut here\n", f"{RECORD}\n", "tail\n"]
    source = ArrivingLines(lines, arrived=1, limit=2)
    spans = scan(source, source.ready)
    kinds_seen = [next(spans).kind, next(spans).kind]
    assert kinds_seen == ["malformed", "record"]
    assert source.lines_taken == 2


@pytest.mark.parametrize(
    "record_lines",
    [
        [f"{RECORD}\n"],
        ["{\n", "  id: 3, content: x, type: E }\n"],
    ],
    ids=["one line", "key on next line"],
)
def test_live_open_quote_then_record(record_lines):
    # The quote is never closed, so waiting for it would wait forever.
    lines = [SPANNING_QUOTE, '{ id: 2, content: "cut here\n', *record_lines, "tail\n"]
    text = "".join(lines)
    source = ArrivingLines(lines_of(text), arrived=1, limit=len(lines_of(text)) - 1)
    spans = scan(source, source.ready)
    live = []
    while len(live) < 3:
        span = next(spans)
        if span.kind != "blank":
            live.append(span)
    assert [span.kind for span in live] == ["record", "malformed", "record"]
    assert live[1].line == 5
    whole = [(span.kind, span.line, span.end_line, span.text) for span in spans_of(text)]
    source.limit = len(lines_of(text))
    live += [span for span in spans if span.kind != "blank"]
    assert [(span.kind, span.line, span.end_line, span.text) for span in live] == [
        item for item in whole if item[0] != "blank"
    ]


def test_live_open_quote_not_parsed_per_line(monkeypatch):
    # Each line arrives on its own behind an open quote. The record is parsed
    # again only when its window fills, not after every line.
    calls = []

    def counting_parse(text):
        calls.append(len(text))
        return parse_with_grammar(text)

    monkeypatch.setattr(scanner, "parse_with_grammar", counting_parse)
    filler = [f"line {index} of the message\n" for index in range(2_000)]
    lines = ['{ id: 2, content: "never closed\n', *filler, f"{RECORD}\n"]
    source = ArrivingLines(lines, arrived=1, limit=len(lines))
    spans = [span for span in scan(source, source.ready) if span.kind != "blank"]
    assert [span.kind for span in spans] == ["malformed", "record"]
    assert spans[0].end_line == len(lines) - 1
    assert len(calls) < 20


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda path: path.name)
def test_live_scan_finds_same_records(path):
    text = path.read_text("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    lines = lines_of(text)
    whole = [
        (span.kind, span.line, span.end_line, span.text)
        for span in spans_of(text)
        if span.kind in ("record", "malformed")
    ]
    source = ArrivingLines(lines, arrived=0, limit=len(lines))
    live = list(scan(source, source.ready))
    assert_covers(text, live)
    assert [
        (span.kind, span.line, span.end_line, span.text)
        for span in live
        if span.kind in ("record", "malformed")
    ] == whole
