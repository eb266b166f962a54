"""Split decoded input into records, malformed records and the text between them.

The scanner looks for the start of a record (a ``{`` followed by a key and a
colon), hands the parser the text from there on, and lets the parser decide
where the record ends. Everything else is noise: pasted headings, banners and
blank lines. Every character of the input ends up in exactly one span, which is
what lets the caller account for every line.

Records are parsed in a window of whole lines that starts small and grows by a
factor of four while the record runs past its end. A record therefore costs time
in proportion to its own size, and memory stays bounded by the largest record
or line plus one chunk of input.

NOTE: a line is held whole while it is scanned, and the text of a skipped span
is kept for the --rejects file, so a long line costs several times its size:
about 6 times for a 20 MB line of text that is not a record.

Input from a pipe or terminal comes with a ``ready`` function. The scanner then
reads ahead only the lines that have arrived, and waits for more only when it
cannot go on without them, so each record is returned as soon as the line that
closes it arrives. Skipped text may still wait for the next record.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from logparse.fastpath import parse_flat_record
from logparse.grammar import TOKEN_DESCRIPTIONS, record_parser
from logparse.redact import overlaps_secret

__all__ = ["MAX_RECORD_CHARS", "Span", "scan"]

#: The largest record, in characters, that the scanner reads before it reports
#: the record as malformed.
MAX_RECORD_CHARS = 16 << 20

#: A skipped span is reported in pieces of at most this many lines, so that a
#: large file with no records is never kept in memory whole.
MAX_SKIPPED_LINES = 10_000

#: The deepest nesting of objects and arrays in a record. Request bodies nest
#: three levels; the limit keeps hostile input from costing time and stack.
MAX_DEPTH = 32

_CHUNK_CHARS = 1 << 16
_FIRST_WINDOW_CHARS = 1 << 12

# A record starts at "{" followed by a key and a colon. Keys are short, so each
# candidate "{" costs a bounded look ahead and a million braces stay linear.
RECORD_START = re.compile(
    r"""\{(?=\s*(?:"[^"\n]{1,64}"|'[^'\n]{1,64}'|[^\W\d][\w.\-]{0,63})\s*[:：])"""
)

# Characters that separate records without being text: spaces, array brackets,
# commas and the colon Sunstone request dumps end with.
_SEPARATOR_CHARS = (
    " \t\n\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff[],，;:"
)

_LINE_START_RECORD = re.compile(r"\n[ \t\u00a0\u3000]*" + RECORD_START.pattern)

# A "{" at the start of a line, the first part of a _LINE_START_RECORD match.
_LINE_START_BRACE = re.compile(r"\n[ \t\u00a0\u3000]*\{")

_QUOTED_TOKENS = ("DOUBLE_QUOTED", "SINGLE_QUOTED")

SpanKind = Literal["record", "malformed", "skipped", "blank"]


@dataclass(slots=True)
class Span:
    """A run of input with one meaning.

    Attributes:
        kind: ``record`` (parsed), ``malformed`` (rejected by the grammar),
            ``skipped`` (text that is not a record) or ``blank``.
        line, end_line: the first and last line, 1-based.
        text: the input text of the span.
        members: the record's ``(key, value)`` pairs, for ``record`` spans.
        reason: why a ``malformed`` span was rejected, in plain words.
        error_line, error_column: where the grammar stopped, for ``malformed``.
    """

    kind: SpanKind
    line: int
    end_line: int
    text: str
    members: list[tuple[str, Any]] | None = None
    reason: str | None = None
    error_line: int | None = None
    error_column: int | None = None


@dataclass(slots=True)
class _Outcome:
    end: int | None = None
    members: list[tuple[str, Any]] | None = None
    error_offset: int = 0
    reason: str = ""
    truncated: bool = False
    # True when record starts inside the failed record would fail the same way,
    # so the scan resumes after the error line instead of at the next start.
    covers_nested: bool = False
    # Where the scan resumes after a record that a record on a later line cut
    # short: the end of the last line with text of the unclosed record.
    # Resuming there keeps the records nested in the unclosed one from being
    # reported again, each with the same error.
    resume: int | None = None
    # The offset of a quote that is not closed in the parsed text, relative to
    # the record start. Only a later quote character or record start can change
    # the outcome, so the scanner parses again only when one of them arrives.
    open_quote: int | None = None


class _LineBuffer:
    """Decoded text from a line iterator, with the offset of every line start.

    ``ready``, when given, returns True when the iterator has a line that it can
    return without waiting for input.
    """

    def __init__(self, lines: Iterator[str], ready: Callable[[], bool] | None = None) -> None:
        self._lines = lines
        self._ready = ready
        self.text = ""
        self.first_line = 1
        self.starts: list[int] = []
        self.eof = False
        self.lines_read = 0

    def fill(self, min_length: int, *, required: int = 0) -> None:
        """Read whole lines until the text is at least ``min_length`` long or input ends.

        With a ``ready`` function, reading also stops at a line that has not
        arrived yet, once the text is at least ``required`` long.
        """
        if self.eof or len(self.text) >= min_length:
            return
        pieces = []
        length = len(self.text)
        ready = self._ready
        while length < min_length:
            if ready is not None and length >= required and not ready():
                break
            line = next(self._lines, None)
            if line is None:
                self.eof = True
                break
            self.starts.append(length)
            pieces.append(line)
            length += len(line)
            self.lines_read += 1
        self.text += "".join(pieces)

    def line_at(self, offset: int) -> int:
        return self.first_line + bisect.bisect_right(self.starts, offset) - 1

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.first_line + index, offset - self.starts[index] + 1

    def end_line_of(self, start: int, end: int) -> int:
        """Return the line of the last character in ``[start, end)``."""
        return self.line_at(max(start, end - 1))

    def line_end(self, offset: int) -> int:
        """Return the offset just past the line break of the line containing ``offset``."""
        index = bisect.bisect_right(self.starts, offset)
        return self.starts[index] if index < len(self.starts) else len(self.text)

    def discard_before(self, offset: int) -> int:
        """Drop whole lines before ``offset``; return how far offsets moved."""
        index = bisect.bisect_right(self.starts, offset) - 1
        if index <= 0:
            return 0
        cut = self.starts[index]
        self.text = self.text[cut:]
        self.starts = [start - cut for start in self.starts[index:]]
        self.first_line += index
        return cut


@dataclass(slots=True)
class _NoiseCollector:
    """Groups noise into skipped spans (non-blank text, with the blank lines inside
    it) and blank spans, in input order."""

    skipped_line: int | None = None
    skipped_end: int = 0
    skipped_pieces: list[str] = field(default_factory=list)
    blank_line: int | None = None
    blank_end: int = 0
    blank_pieces: list[str] = field(default_factory=list)

    def feed(self, piece: str, line: int) -> Iterator[Span]:
        if piece.strip(_SEPARATOR_CHARS):
            if self.skipped_line is None:
                yield from self._flush_blank()
                self.skipped_line = line
            elif self.skipped_end - self.skipped_line >= MAX_SKIPPED_LINES:
                yield from self._flush_skipped()
                self.skipped_line = line
            self.skipped_pieces.extend(self.blank_pieces)
            self.blank_pieces = []
            self.blank_line = None
            self.skipped_pieces.append(piece)
            self.skipped_end = line
        else:
            if self.blank_line is None:
                self.blank_line = line
            self.blank_pieces.append(piece)
            self.blank_end = line

    def close(self) -> Iterator[Span]:
        yield from self._flush_skipped()
        yield from self._flush_blank()

    def _flush_skipped(self) -> Iterator[Span]:
        if self.skipped_line is not None:
            text = "".join(self.skipped_pieces)
            yield Span("skipped", self.skipped_line, self.skipped_end, text)
        self.skipped_line = None
        self.skipped_pieces = []

    def _flush_blank(self) -> Iterator[Span]:
        if self.blank_line is not None:
            text = "".join(self.blank_pieces)
            yield Span("blank", self.blank_line, self.blank_end, text)
        self.blank_line = None
        self.blank_pieces = []


class _Scanner:
    def __init__(self, lines: Iterator[str], ready: Callable[[], bool] | None = None) -> None:
        self.buffer = _LineBuffer(lines, ready)
        self.noise = _NoiseCollector()

    def spans(self) -> Iterator[Span]:
        buffer = self.buffer
        buffer.fill(_CHUNK_CHARS, required=1)
        position = 0

        while True:
            match = RECORD_START.search(buffer.text, position)

            if match is None:
                if buffer.eof:
                    yield from self._noise(position, len(buffer.text))
                    yield from self.noise.close()
                    return
                # Keep a trailing "{" whose key may be on a line not read yet.
                safe_end = len(buffer.text)
                stripped = buffer.text.rstrip()
                if stripped.endswith("{") and len(stripped) - 1 >= position:
                    safe_end = len(stripped) - 1
                yield from self._noise(position, safe_end)
                position = self._refill(safe_end, wait=True)
                continue

            start = match.start()
            yield from self._noise(position, start)
            yield from self.noise.close()

            outcome = self._parse_record(start)
            if outcome.end is not None:
                end = outcome.end
                line, end_line = buffer.line_at(start), buffer.end_line_of(start, end)
                text = buffer.text[start:end]
                yield Span("record", line, end_line, text, members=outcome.members)
            else:
                end = self._malformed_end(start, outcome)
                yield self._malformed(start, end, outcome)
            position = self._refill(end)

    def _refill(self, position: int, wait: bool = False) -> int:
        """Drop consumed lines when the buffer is large, then read the next chunk.

        With ``wait``, at least one more line is read even when the input has to
        be waited for. Otherwise only lines that have arrived are read.
        """
        buffer = self.buffer
        if position > _CHUNK_CHARS:
            position -= buffer.discard_before(position)
        required = len(buffer.text) + 1 if wait else 0
        buffer.fill(position + _CHUNK_CHARS, required=required)
        return position

    def _noise(self, start: int, end: int) -> Iterator[Span]:
        buffer = self.buffer
        offset = start
        while offset < end:
            line_end = min(buffer.line_end(offset), end)
            yield from self.noise.feed(buffer.text[offset:line_end], buffer.line_at(offset))
            offset = line_end

    def _parse_record(self, start: int) -> _Outcome:
        buffer = self.buffer
        window = _FIRST_WINDOW_CHARS
        outcome: _Outcome | None = None
        # The end of the text that the last parse or open quote check has read.
        checked_end = start
        while True:
            buffer.fill(start + window)
            window_end = buffer.line_end(min(start + window, len(buffer.text)) - 1)
            skip_parse = outcome is not None and self._quote_stays_open(
                start, outcome, checked_end, window_end, window
            )
            checked_end = window_end
            if not skip_parse:
                flat = parse_flat_record(buffer.text, start, window_end)
                # A flat record has a line-start "{" only inside a quoted string,
                # which the grammar then reports as cut by the next record.
                if flat is not None and not _LINE_START_BRACE.search(buffer.text, start, flat[0]):
                    outcome = _Outcome(end=flat[0] - start, members=flat[1])
                    break
                outcome = parse_with_grammar(buffer.text[start:window_end])
                if outcome.end is not None or not outcome.truncated:
                    break
            # Read one more line to learn whether the input goes on past the window.
            buffer.fill(window_end + 1, required=window_end + 1)
            at_input_end = buffer.eof and window_end >= len(buffer.text)
            if at_input_end or window >= MAX_RECORD_CHARS:
                if not at_input_end:
                    outcome.reason = (
                        f"record is longer than {MAX_RECORD_CHARS:,} characters or is "
                        'never closed: add the missing "}"'
                    )
                break
            # The window grows once the text fills it. Input that arrives slowly
            # can end short of the window, which then stays as it is, so that
            # the size checked above is the size of text read.
            # NOTE: a record that arrives in many pieces is parsed again after
            # each piece that leaves it unclosed, unless it stops at an open quote.
            if window_end - start >= window:
                # The window snaps to a line end, so it can be far larger than asked for.
                window = (window_end - start) * 4

        if outcome.end is not None:
            outcome.end += start
        if outcome.resume is not None:
            outcome.resume += start
        outcome.error_offset += start
        return outcome

    def _quote_stays_open(
        self, start: int, outcome: _Outcome, checked_end: int, window_end: int, window: int
    ) -> bool:
        """Return True when the text from ``checked_end`` on leaves the open quote open.

        The check reads only the new text, so a record that grows slowly behind
        an open quote costs linear time. A full window or the end of the input
        is always parsed, as it is for input from a file.
        """
        if outcome.open_quote is None or self.buffer.eof or window_end - start >= window:
            return False
        text = self.buffer.text
        quote_offset = start + outcome.open_quote
        if text.find(text[quote_offset], checked_end, window_end) != -1:
            return False
        # A record start can begin before the new text: a "{" near the end of
        # the checked text whose key arrives on a later line.
        # NOTE: a "{" more than 256 characters before the end of the checked
        # text is found only by the next parse, when the window fills, a quote
        # arrives or the input ends. The result is the same, only later.
        search_from = checked_end - 1
        brace = text.rfind("{", max(quote_offset, checked_end - 256), checked_end)
        if brace != -1:
            line_break = text.rfind("\n", quote_offset, brace)
            if line_break != -1:
                search_from = min(search_from, line_break)
        return _LINE_START_RECORD.search(text, search_from, window_end) is None

    def _malformed_end(self, start: int, outcome: _Outcome) -> int:
        """End a malformed record at the end of the line where the grammar stopped.

        A record the grammar rejected part-way ends earlier, at the next record
        start, so that a good record after a broken one on the same line is kept.
        A record that ran off the end of the input is not searched for starts:
        the records nested in it ran off the end too, and parsing each of them
        again would make the scan quadratic.
        """
        buffer = self.buffer
        if outcome.resume is not None:
            return max(outcome.resume, start + 1)
        error_offset = min(max(outcome.error_offset, start), len(buffer.text) - 1)
        end = buffer.line_end(error_offset)
        if not (outcome.truncated or outcome.covers_nested):
            following = RECORD_START.search(buffer.text, start + 1, end)
            if following is not None:
                end = following.start()
        elif outcome.truncated:
            # A record cut short swallows the lines after it as values. A line
            # that starts a record of its own is taken as the next record.
            following = _LINE_START_RECORD.search(buffer.text, start + 1, end)
            if following is not None:
                end = following.start() + 1
        return max(end, start + 1)

    def _malformed(self, start: int, end: int, outcome: _Outcome) -> Span:
        buffer = self.buffer
        error_offset = min(max(outcome.error_offset, start), max(len(buffer.text) - 1, 0))
        error_line, error_column = buffer.position(error_offset)
        return Span(
            "malformed",
            buffer.line_at(start),
            buffer.end_line_of(start, end),
            buffer.text[start:end],
            reason=outcome.reason,
            error_line=error_line,
            error_column=error_column,
        )


def parse_with_grammar(text: str) -> _Outcome:
    """Parse the record at the start of ``text`` with the LALR parser alone."""
    parser = record_parser()
    interactive = parser.parse_interactive(text)
    depth = 0
    try:
        for token in interactive.iter_parse():
            if token.type in _QUOTED_TOKENS and "\n" in token:
                cut = _cut_inside_quote(text, token.start_pos, token.end_pos)
                if cut is not None:
                    return cut
            if token.type in ("LBRACE", "LSQB"):
                depth += 1
                if depth > MAX_DEPTH:
                    return _Outcome(
                        error_offset=token.start_pos,
                        reason=f"record nests objects and arrays deeper than {MAX_DEPTH} levels",
                        covers_nested=True,
                    )
            elif token.type in ("RBRACE", "RSQB"):
                depth -= 1
                if depth == 0 and token.type == "RBRACE":
                    interactive.feed_token(token)
                    members = interactive.feed_eof(token)
                    return _Outcome(end=token.end_pos, members=members)
    except (UnexpectedCharacters, UnexpectedToken) as error:
        at_end = isinstance(error, UnexpectedToken) and error.token.type == "$END"
        if at_end:
            offset = len(text)
        elif isinstance(error, UnexpectedToken):
            offset = error.token.start_pos
        else:
            offset = error.pos_in_stream
        cut = _cut_by_next_record(text, offset)
        if cut is not None:
            return cut
        found = "the end of the input" if at_end else repr_char(text, offset)
        open_quote = None
        if isinstance(error, UnexpectedCharacters):
            truncated = _unterminated_quote(text, offset)
            if truncated and offset < len(text):
                cut = _cut_inside_quote(text, offset, len(text))
                if cut is not None:
                    return cut
                open_quote = offset
        else:
            truncated = at_end
        return _Outcome(
            error_offset=offset,
            reason=_describe(error, found),
            truncated=truncated,
            open_quote=open_quote,
        )

    return _Outcome(
        error_offset=len(text),
        reason='record is not closed: add the missing "}"',
        truncated=True,
    )


def _cut_by_next_record(text: str, offset: int) -> _Outcome | None:
    """Describe a record that is not closed before a record on a later line starts.

    The parser then stops at that record's "{". The error points just past
    the last text of the unclosed record, where its "}" is missing, and the
    scan resumes after the line of that text.
    """
    if offset >= len(text) or RECORD_START.match(text, offset) is None:
        return None
    line_start = text.rfind("\n", 0, offset) + 1
    if line_start == 0 or text[line_start:offset].strip(" \t\u00a0\u3000"):
        return None
    text_end = len(text[:line_start].rstrip())
    return _Outcome(
        error_offset=text_end,
        reason='record is not closed before the next record starts: add the missing "}"',
        resume=text.index("\n", text_end) + 1,
    )


def _cut_inside_quote(text: str, quote_start: int, quote_end: int) -> _Outcome | None:
    """Describe a record whose quoted string, from ``quote_start`` to ``quote_end``,
    runs over a line that starts a record.

    A quoted string may span lines, but not a line that starts a record: that
    line is taken as the next record, as it is after any record not closed
    before it. The record start is read past ``quote_end``, because its key
    may be quoted with the same quote character.
    """
    for match in _LINE_START_BRACE.finditer(text, quote_start, quote_end):
        if RECORD_START.match(text, match.end() - 1) is None:
            continue
        text_end = match.start()
        while text_end > quote_start and text[text_end - 1].isspace():
            text_end -= 1
        quote = text[quote_start]
        return _Outcome(
            error_offset=text_end,
            reason=(
                "record is not closed before the next record starts: add the missing "
                f'{quote!r} that closes the quoted string, and the missing "}}"'
            ),
            resume=text.index("\n", text_end) + 1,
        )
    return None


_TOKEN_PREVIEW = re.compile(r"[^\s,，:：{}\[\]]{1,20}|\S")


def repr_char(text: str, offset: int) -> str:
    """Quote the token at ``offset`` for an error message.

    A token inside the value of a secret key, such as a csrftoken whose closing
    quote is missing, is not quoted.
    """
    if offset >= len(text):
        return "the end of the input"
    match = _TOKEN_PREVIEW.match(text, offset)
    if match is None:
        return "a line break" if text[offset] == "\n" else repr(text[offset])
    if overlaps_secret(text, match.start(), match.end()):
        return "a redacted value"
    return repr(match.group())


def _describe(error: UnexpectedInput, found: str) -> str:
    expected = getattr(error, "expected", None) or getattr(error, "allowed", None) or ()
    words = sorted({TOKEN_DESCRIPTIONS.get(name, name.lower()) for name in expected})
    words = [word for word in words if word != "ws"]
    if not words:
        return f"unexpected {found}"
    if len(words) == 1:
        return f"expected {words[0]}, found {found}"
    return f"expected {', '.join(words[:-1])} or {words[-1]}, found {found}"


def _unterminated_quote(text: str, offset: int) -> bool:
    """True when the lexer stopped at a quote whose closing quote is not in ``text``;
    more input may close it."""
    if offset >= len(text):
        return True
    quote = text[offset]
    return quote in "\"'" and text.find(quote, offset + 1) == -1


def scan(lines: Iterator[str], ready: Callable[[], bool] | None = None) -> Iterator[Span]:
    """Split decoded lines into spans that together cover the input exactly.

    ``ready``, for input that arrives over time, returns True when ``lines`` has
    a line that it can return without waiting. Without it, the scanner reads
    ahead in blocks of 65,536 characters and may wait for input to fill one.
    """
    yield from _Scanner(lines, ready).spans()


def scan_with_count(
    lines: Iterator[str], ready: Callable[[], bool] | None = None
) -> tuple[Iterator[Span], _LineBuffer]:
    """Like :func:`scan`, also returning the buffer whose ``lines_read`` counts lines."""
    scanner = _Scanner(lines, ready)
    return scanner.spans(), scanner.buffer
