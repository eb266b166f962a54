"""Turn scanned spans into typed events, diagnostics and counts."""

from __future__ import annotations

import functools
import json
import logging
import re
import warnings
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from typing import Any, Literal

from logparse.causes import Classifier, load_classifier, split_method
from logparse.encoding import DecodeProblem
from logparse.errors import MalformedRecordError, ParserWarning
from logparse.events import Diagnostic, NotificationEvent, ParseStats, RequestEvent
from logparse.grammar import Bare, Members
from logparse.redact import (
    MAX_KEY_CHARS,
    REDACTED,
    is_secret_key,
    redact_text,
    redact_value,
    secret_values,
    unique_key,
)
from logparse.scanner import Span, scan_with_count
from logparse.sources import Source, open_source

__all__ = ["EventReader", "OnBadLines", "parse_events"]

logger = logging.getLogger(__name__)

Event = NotificationEvent | RequestEvent
OnBadLines = Literal["error", "warn", "skip"] | Callable[[Diagnostic], str | None]

NOTIFICATION_KEYS = frozenset({"id", "content", "creator", "date", "time", "type"})
# A record key and its value at the end of the content or before another record
# key, where a prefix on a wrapped line left them: "... ops1: creator: oneadmin".
_RECORD_KEY_IN_CONTENT = {
    key: re.compile(
        rf"(?<![\w-]){key}: ?[^,\s]{{1,64}}(?:$|, ?(?:id|content|creator|date|time|type):)"
    )
    for key in ("creator", "date", "time", "type")
}

_INTEGER = re.compile(r"[+-]?\d{1,30}")
_NUMBER = re.compile(r"[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?")
_WHITESPACE = re.compile(r"\s+")
# Bounds of the columns in read_log's DataFrame: Int64, and datetime64[ns],
# which covers 1677-09-21 to 2262-04-11.
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_FIRST_DAY, _LAST_DAY = date(1677, 9, 22), date(2262, 4, 10)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_TIME = re.compile(r"(\d{2}):(\d{2}):(\d{2})")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d")
_TIME_FORMATS = ("%H:%M:%S", "%H:%M:%S.%f", "%H:%M")

# Line classes, by priority: a line that contains part of an event is an event
# line even when skipped text shares it.
_BLANK, _SKIPPED, _MALFORMED, _EVENT = range(4)


# Display names of the codecs that logparse.encoding falls back to.
_FALLBACK_NAMES = {"gb18030": "GB18030", "cp1252": "Windows-1252 (Latin-1)"}

# Characters of input kept from the spans before the current one, so that a
# secret value is redacted even when its key ends the previous span.
_CONTEXT_CHARS = MAX_KEY_CHARS


def parse_events(
    source: Source,
    *,
    encoding: str | None = None,
    on_bad_lines: OnBadLines = "warn",
    rules: Any = None,
    on_diagnostic: Callable[[Diagnostic], None] | None = None,
    name: str | None = None,
) -> EventReader:
    """Parse notifications and request bodies from ``source``, lazily.

    Parameters
    ----------
    source : path, file object or iterable of str
        A path (``"-"`` for standard input), a binary or text file object, or
        an iterable of lines. The input is streamed: memory stays bounded by the
        largest record, however long the input is. A pipe, terminal or socket,
        given as a path or a binary file object, is read as data arrives: each
        event is returned as soon as the line that closes its record arrives.
        Other sources, text file objects included, are read ahead by up to
        65,536 characters.
    encoding : str, optional
        The codec of byte input. By default UTF-8, with a fallback to GB18030
        or Windows-1252 for lines that are not valid UTF-8, and GB18030 for
        GBK Chinese that also reads as UTF-8 in a file that has GB18030 lines.
    on_bad_lines : {"warn", "error", "skip"} or callable, default "warn"
        What to do with a record the grammar rejects. "warn" emits a
        :class:`~logparse.errors.ParserWarning` and goes on, "error" raises
        :class:`~logparse.errors.MalformedRecordError`, "skip" goes on silently.
        A callable receives the :class:`~logparse.events.Diagnostic`; it may
        return corrected record text, which is parsed in place of the bad one,
        or None to drop it. Corrected text that is rejected too is dropped with
        a ``ParserWarning`` and a ``malformed`` diagnostic that name its line.
    rules : path, list of paths or Classifier, optional
        Cause rule files that extend or override the built-in catalog.
    on_diagnostic : callable, optional
        Receives every diagnostic: skipped text, malformed records, invalid
        values and decoding problems. Without it, skipped text is logged at
        INFO and invalid values at WARNING on the ``logparse`` loggers.
    name : str, optional
        The source name used in events and diagnostics.

    Returns
    -------
    EventReader
        An iterator of :class:`NotificationEvent` and :class:`RequestEvent`, in
        input order, whose ``stats`` count what was read.

    Examples
    --------
    >>> events = list(parse_events(["{ id: -1, content: [ImageAllocate] boom, type: ERROR_MSG }"]))
    >>> events[0].method
    'ImageAllocate'
    """
    _validate_on_bad_lines(on_bad_lines)
    classifier = load_classifier(rules)
    return EventReader(source, encoding, on_bad_lines, classifier, on_diagnostic, name)


def _validate_on_bad_lines(on_bad_lines: Any) -> None:
    if callable(on_bad_lines) or on_bad_lines in ("error", "warn", "skip"):
        return
    raise ValueError(
        f"on_bad_lines must be 'error', 'warn', 'skip' or a callable, got {on_bad_lines!r}"
    )


class EventReader:
    """Iterator of events from one source, and a context manager that closes it.

    The ``stats`` attribute (:class:`~logparse.events.ParseStats`) is complete
    once the iterator is exhausted.
    """

    def __init__(
        self,
        source: Source,
        encoding: str | None,
        on_bad_lines: OnBadLines,
        classifier: Classifier,
        on_diagnostic: Callable[[Diagnostic], None] | None,
        name: str | None,
    ) -> None:
        self.stats = ParseStats()
        self._classifier = classifier
        self._on_bad_lines = on_bad_lines
        self._on_diagnostic = on_diagnostic
        self._opened = open_source(
            source, encoding=encoding, on_decode_error=self._decode_problem, name=name
        )
        self.source = self._opened.name
        self._ledger = _LineLedger(self.stats)
        # The end of the input before the current span, for redact_text.
        self._context = ""
        self._events = self._generate()

    def __iter__(self) -> EventReader:
        return self

    def __next__(self) -> Event:
        return next(self._events)

    def __enter__(self) -> EventReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._events.close()
        if self._opened.close is not None:
            self._opened.close()
            self._opened.close = None

    def _generate(self) -> Iterator[Event]:
        spans, buffer = scan_with_count(self._opened.lines, self._opened.ready)
        try:
            for span in spans:
                yield from self._handle(span)
                self._context = (self._context + span.text[-_CONTEXT_CHARS:])[-_CONTEXT_CHARS:]
        finally:
            if self._opened.encoding is not None:
                self.stats.encodings[self.source] = self._opened.encoding
            self._ledger.close()
            self.stats.lines = buffer.lines_read
            if self._opened.close is not None:
                self._opened.close()
                self._opened.close = None

    def _handle(self, span: Span, line_offset: int = 0) -> Iterator[Event]:
        if span.kind == "record":
            event = self._build_event(span, line_offset)
            if event is not None:
                self._ledger.mark(span.line + line_offset, span.end_line + line_offset, _EVENT)
                yield event
            else:
                self._ledger.mark(span.line + line_offset, span.end_line + line_offset, _SKIPPED)
        elif span.kind == "malformed":
            yield from self._malformed(span, line_offset)
        elif span.kind == "skipped":
            self._skipped(span, line_offset)
        else:
            self._ledger.mark(span.line + line_offset, span.end_line + line_offset, _BLANK)

    # Diagnostics

    def _emit(self, diagnostic: Diagnostic) -> None:
        if self._on_diagnostic is not None:
            self._on_diagnostic(diagnostic)
        elif diagnostic.kind == "skipped":
            logger.info("%s", diagnostic)
        elif diagnostic.kind == "malformed":
            return
        elif self._on_bad_lines == "warn":
            # A dropped value or replaced bytes are data problems the caller
            # should see, as pandas' readers warn about bad lines.
            warnings.warn(str(diagnostic), ParserWarning, stacklevel=5)
        else:
            logger.warning("%s", diagnostic)

    def _skipped(self, span: Span, line_offset: int, message: str | None = None) -> None:
        """Report a skipped span, with a preview of its text unless ``message`` is given."""
        line, end_line = span.line + line_offset, span.end_line + line_offset
        self._ledger.mark(line, end_line, _SKIPPED)
        self.stats.skipped_spans += 1
        text = redact_text(span.text, self._context)
        if message is None:
            message = _preview_message(text, end_line - line + 1)
        message = _redact_quoted(message, span.text, self._context)
        self._emit(Diagnostic("skipped", self.source, line, end_line, message, text=text))

    def _malformed(self, span: Span, line_offset: int) -> Iterator[Event]:
        line, end_line = span.line + line_offset, span.end_line + line_offset
        error_line = (span.error_line or span.line) + line_offset
        where = "" if error_line == line else f" (the record starts at line {line})"
        diagnostic = Diagnostic(
            "malformed",
            self.source,
            line,
            end_line,
            _redact_quoted(f"malformed record: {span.reason}{where}", span.text, self._context),
            error_line=error_line,
            column=span.error_column,
            text=redact_text(span.text, self._context),
        )
        self.stats.malformed += 1
        self._ledger.mark(line, end_line, _MALFORMED)
        self._emit(diagnostic)

        policy = self._on_bad_lines
        if policy == "error":
            raise MalformedRecordError(diagnostic)
        if policy == "warn":
            # The caller's frame is outside __next__, _generate and _handle.
            warnings.warn(str(diagnostic), ParserWarning, stacklevel=5)
        elif callable(policy):
            replacement = policy(diagnostic)
            if replacement is not None and not isinstance(replacement, str):
                raise TypeError(
                    "an on_bad_lines callable must return the corrected record as str, "
                    f"or None to drop it; it returned {type(replacement).__name__}"
                )
            if replacement:
                yield from self._reparse(replacement, line - 1)

    def _reparse(self, text: str, line_offset: int) -> Iterator[Event]:
        """Parse corrected text returned by an ``on_bad_lines`` callable.

        Corrected text that is rejected too is dropped. Its diagnostic goes to
        ``on_diagnostic`` and is also emitted as a ParserWarning in any case,
        because the callable returned the text as a fix.
        """
        spans, _ = scan_with_count(iter(text.splitlines(keepends=True)))
        for span in spans:
            if span.kind in ("malformed", "skipped"):
                reason = span.reason or "it is not a record"
                message = _redact_quoted(
                    f"the corrected text is rejected too: {reason}; it is dropped", span.text
                )
                line, end_line = span.line + line_offset, span.end_line + line_offset
                error_line = None if span.error_line is None else span.error_line + line_offset
                diagnostic = Diagnostic(
                    "malformed",
                    self.source,
                    line,
                    end_line,
                    message,
                    error_line=error_line,
                    column=span.error_column,
                    text=redact_text(span.text),
                )
                self._emit(diagnostic)
                warnings.warn(str(diagnostic), ParserWarning, stacklevel=6)
                continue
            if span.kind == "record":
                event = self._build_event(span, line_offset)
                if event is not None:
                    yield event

    def _invalid_value(self, span: Span, line_offset: int, message: str) -> None:
        self.stats.invalid_values += 1
        line, end_line = span.line + line_offset, span.end_line + line_offset
        message = _redact_quoted(redact_text(message), span.text)
        self._emit(Diagnostic("invalid_value", self.source, line, end_line, message))

    def _decode_problem(self, problem: DecodeProblem) -> None:
        if problem.fallback and problem.valid_utf8:
            message = (
                f"line {problem.line} is valid UTF-8 but reads as GBK-encoded Chinese, so it is "
                "decoded as GB18030, as are later lines like it. Pass --encoding utf-8 "
                "(encoding= in Python) to keep UTF-8"
            )
        elif problem.fallback and problem.encoding.startswith("utf-16"):
            message = (
                f"the input has no byte order mark but reads as {problem.encoding}, so it is "
                "decoded as such. If that is wrong, pass the file's codec with --encoding "
                "(encoding= in Python)"
            )
        elif problem.fallback:
            codec = _FALLBACK_NAMES.get(problem.encoding, problem.encoding)
            message = (
                f"line {problem.line} is not valid UTF-8 and is decoded as {codec}, as are "
                "later lines like it. If that is wrong, pass the file's codec with "
                "--encoding (encoding= in Python), such as gbk, cp1252 or utf-8"
            )
        else:
            self.stats.encoding_errors += 1
            message = (
                f"{problem.count} byte sequence(s) are not valid {problem.encoding} and were "
                "replaced with U+FFFD: if the file uses another codec, pass it with --encoding "
                "(encoding= in Python), such as gbk, cp1252 or utf-16"
            )
        self._emit(Diagnostic("encoding", self.source, problem.line, problem.line, message))

    # Events

    def _build_event(self, span: Span, line_offset: int) -> Event | None:
        members = span.members or []
        keys = {_normal_key(key) for key, _ in members}
        line, end_line = span.line + line_offset, span.end_line + line_offset

        action = _first(members, "action")
        if isinstance(action, list):
            self.stats.records += 1
            self.stats.requests += 1
            return _build_request(members, action, self.source, line, end_line)

        if keys & {"content", "type"}:
            self.stats.records += 1
            self.stats.notifications += 1
            return self._build_notification(members, span, line_offset)

        self._skipped(
            span,
            line_offset,
            "skipped an object that is neither a notification (it has no content or "
            "type key) nor a request (it has no action key)",
        )
        return None

    def _build_notification(
        self, members: list[tuple[str, Any]], span: Span, line_offset: int
    ) -> NotificationEvent:
        fields: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in members:
            normal = _normal_key(key)
            if normal in NOTIFICATION_KEYS and normal not in fields:
                fields[normal] = value
                continue
            if normal in NOTIFICATION_KEYS:
                message = (
                    f"key {normal!r} appears twice; the first value is used and the second "
                    f"is kept in extra. If the message text contains ', {normal}:', quote it"
                )
                self._invalid_value(span, line_offset, message)
            extra[unique_key(extra, key)] = _to_python(value)

        record_id = self._parse_id(fields.get("id"), span, line_offset)
        timestamp = self._parse_timestamp(fields.get("date"), fields.get("time"), span, line_offset)
        content = _as_text(fields.get("content")) or ""
        self._check_keys_in_content(fields, content, span, line_offset)
        method, message = split_method(_fold(redact_text(content)))
        found = self._classifier.classify(message, method)

        return NotificationEvent(
            id=record_id,
            timestamp=timestamp,
            creator=redact_text(_as_text(fields.get("creator")) or "") or None,
            type=redact_text(_as_text(fields.get("type")) or "") or None,
            method=method,
            message=message,
            cause=found.cause,
            object_type=found.object_type,
            object_id=self._object_id(found.object_id, span, line_offset),
            vm_state=found.vm_state,
            required_states=tuple(found.required_states),
            operation=found.operation,
            action=found.action,
            template=found.template,
            details=dict(found.details),
            extra=redact_value(extra),
            source=self.source,
            line=span.line + line_offset,
            end_line=span.end_line + line_offset,
        )

    def _check_keys_in_content(
        self, fields: dict[str, Any], content: str, span: Span, line_offset: int
    ) -> None:
        """Report keys that are missing from a record but written inside its content."""
        # A quote mark or a chat name in front of a wrapped line ("> creator: x",
        # "[10:01] ops1: creator: x") hides the comma that ends the content.
        for key in ("creator", "date", "time", "type"):
            if key not in fields and _RECORD_KEY_IN_CONTENT[key].search(content):
                message = (
                    f"the record has no {key!r} key but its content contains '{key}:'; a quote "
                    "mark or chat name at the start of a wrapped line may have split it, so "
                    "remove that prefix from the input"
                )
                self._invalid_value(span, line_offset, message)

    def _object_id(self, object_id: int | None, span: Span, line_offset: int) -> int | None:
        if object_id is None or _INT64_MIN <= object_id <= _INT64_MAX:
            return object_id
        message = f"object id {object_id} is not a 64-bit integer; it is set to null"
        self._invalid_value(span, line_offset, message)
        return None

    def _parse_id(self, value: Any, span: Span, line_offset: int) -> int | None:
        text = _as_text(value)
        if not text:
            return None
        if _INTEGER.fullmatch(text) and _INT64_MIN <= int(text) <= _INT64_MAX:
            return int(text)
        message = f"id {text!r} is not a 64-bit integer; it is set to null"
        self._invalid_value(span, line_offset, message)
        return None

    def _parse_timestamp(
        self, date_value: Any, time_value: Any, span: Span, line_offset: int
    ) -> datetime | None:
        date_text, time_text = _as_text(date_value), _as_text(time_value)
        if not date_text and not time_text:
            return None
        parsed_date = _parse_date(date_text) if date_text else None
        parsed_time = _parse_time(time_text) if time_text else None
        if date_text and parsed_date is None:
            message = f"date {date_text!r} is not a valid date (YYYY-MM-DD); timestamp set to null"
            self._invalid_value(span, line_offset, message)
        if time_text and parsed_time is None:
            message = f"time {time_text!r} is not a valid time (HH:MM:SS); timestamp set to null"
            self._invalid_value(span, line_offset, message)
        if parsed_date is None or parsed_time is None:
            # NOTE: a date without a time gives no timestamp rather than midnight,
            # so that reports never show an invented time of day.
            return None
        if not _FIRST_DAY <= parsed_date <= _LAST_DAY:
            message = (
                f"date {date_text!r} is outside {_FIRST_DAY} to {_LAST_DAY}, the dates "
                "pandas can hold; timestamp set to null"
            )
            self._invalid_value(span, line_offset, message)
            return None
        return datetime.combine(parsed_date, parsed_time)


def _build_request(
    members: list[tuple[str, Any]], action: list[tuple[str, Any]], source: str, line: int, end: int
) -> RequestEvent:
    body = _to_python(action)
    perform = body.pop("perform", None) if isinstance(body, dict) else None
    params = body.pop("params", {}) if isinstance(body, dict) else {}
    extra: dict[str, Any] = {}
    if isinstance(body, dict) and body:
        extra["action"] = body
    for key, value in members:
        normal = _normal_key(key)
        if normal == "action" or is_secret_key(normal):
            continue
        extra[unique_key(extra, key)] = _to_python(value)
    if not isinstance(params, dict):
        params = {"value": params}
    return RequestEvent(
        action=redact_text(_as_text(perform) or "") or None,
        params=redact_value(_typed(params)),
        extra=redact_value(extra),
        source=source,
        line=line,
        end_line=end,
    )


def _normal_key(key: str) -> str:
    return key.strip().lower()


def _first(members: list[tuple[str, Any]], key: str) -> Any:
    for name, value in members:
        if _normal_key(name) == key:
            return value
    return None


def _to_python(value: Any) -> Any:
    """Convert parsed values: objects to dicts, bare JSON literals to their types."""
    if isinstance(value, Members):
        return {key: _to_python(item) for key, item in value}
    if isinstance(value, list):
        if value and all(isinstance(item, tuple) and len(item) == 2 for item in value):
            return {key: _to_python(item) for key, item in value}
        return [_to_python(item) for item in value]
    if isinstance(value, Bare):
        return _bare_literal(value)
    if isinstance(value, str):
        return str(value)
    return value


def _bare_literal(value: str) -> Any:
    lowered = value.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    if _INTEGER.fullmatch(value):
        return int(value)
    if _NUMBER.fullmatch(value):
        return float(value)
    return str(value)


def _typed(params: dict[str, Any]) -> dict[str, Any]:
    """Give request parameters their types: quoted integers such as "1" become int."""
    typed: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, str) and _INTEGER.fullmatch(value):
            typed[key] = int(value)
        elif isinstance(value, dict):
            typed[key] = _typed(value)
        else:
            typed[key] = value
    return typed


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip()
    python_value = _to_python(value)
    if isinstance(python_value, dict | list):
        return json.dumps(python_value, ensure_ascii=False)
    return str(python_value)


def _fold(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


@functools.lru_cache(maxsize=4096)
def _parse_date(text: str) -> date | None:
    match = _ISO_DATE.fullmatch(text)
    if match is not None:
        try:
            return date(*map(int, match.groups()))
        except ValueError:
            return None
    return _parse_first(text, _DATE_FORMATS, date)


@functools.lru_cache(maxsize=65536)
def _parse_time(text: str) -> time | None:
    match = _ISO_TIME.fullmatch(text)
    if match is not None:
        try:
            return time(*map(int, match.groups()))
        except ValueError:
            return None
    return _parse_first(text, _TIME_FORMATS, time)


def _parse_first(text: str, formats: tuple[str, ...], kind: type) -> Any:
    for pattern in formats:
        try:
            parsed = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return parsed.date() if kind is date else parsed.time()
    return None


# Secret values shorter than this are redacted only as whole words.
_SHORT_SECRET = 8


def _redact_quoted(message: str, source_text: str, context: str = "") -> str:
    """Redact secret values of ``source_text`` that ``message`` quotes without their key.

    ``context`` is the input just before ``source_text``, as for redact_text.
    """
    for value in secret_values(source_text, context):
        if len(value) < _SHORT_SECRET:
            # A short value such as "e" also matches inside other words, so it
            # is replaced only where no word character touches it.
            message = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", REDACTED, message)
        else:
            message = message.replace(value, REDACTED)
    return message


def _preview_message(redacted_text: str, lines: int) -> str:
    """Describe skipped text by its first non-blank line, from text already redacted."""
    first = next((line.strip() for line in redacted_text.splitlines() if line.strip()), "")
    # Quote first, so that invisible characters show, then cut to a readable width.
    preview = repr(first)
    if len(preview) > 64:
        preview = preview[:62] + "…" + preview[0]
    if lines == 1:
        return f"skipped 1 line that is not a record: {preview}"
    return f"skipped {lines} lines that are not records, starting with {preview}"


class _LineLedger:
    """Counts every line once, in the class of highest priority that touches it."""

    def __init__(self, stats: ParseStats) -> None:
        self._stats = stats
        self._open_line = 0
        self._open_class = -1

    def mark(self, first: int, last: int, line_class: int) -> None:
        if last < first:
            return
        if first <= self._open_line:
            self._open_class = max(self._open_class, line_class)
            first = self._open_line + 1
            if first > last:
                return
        self._count(self._open_class, 1 if self._open_line else 0)
        self._count(line_class, last - first)
        self._open_line = last
        self._open_class = line_class

    def close(self) -> None:
        self._count(self._open_class, 1 if self._open_line else 0)
        self._open_line = 0
        self._open_class = -1

    def _count(self, line_class: int, number: int) -> None:
        if number <= 0:
            return
        stats = self._stats
        if line_class == _EVENT:
            stats.event_lines += number
        elif line_class == _MALFORMED:
            stats.malformed_lines += number
        elif line_class == _SKIPPED:
            stats.skipped_lines += number
        else:
            stats.blank_lines += number
