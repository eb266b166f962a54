"""Typed events and diagnostics produced by the parser.

Line numbers are 1-based and count physical lines of the decoded input, where
``\\r\\n``, ``\\r`` and ``\\n`` each end a line. Columns are 1-based and count
characters, not bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

__all__ = [
    "Diagnostic",
    "NotificationEvent",
    "ParseStats",
    "RequestEvent",
]

#: The notification ``type`` values that count as failures in reports.
ERROR_TYPES = frozenset({"ERROR_MSG", "ERROR", "ERR"})


@dataclass(frozen=True, slots=True)
class NotificationEvent:
    """One Sunstone notification record, such as an ``ERROR_MSG`` popup.

    Attributes:
        id: the record's ``id`` key; Sunstone writes -1 for popups that have none.
        timestamp: the record's ``date`` and ``time`` combined, naive local time.
        creator: the user name the notification was shown to.
        type: the notification type, such as ``ERROR_MSG``.
        method: the logged request method in the bracketed prefix of ``content``
            (``VirtualMachineSaveDisk``, ``one.vm.disksaveas``), or None.
        message: ``content`` after the prefix, each run of whitespace folded to one space.
        cause: the cause id from the catalog, ``unknown`` when no rule matches.
        object_type, object_id: the object the message names, such as ``IMAGE`` 265.
        vm_state: the state the VM was in, as the message names it.
        required_states: the states the message lists as allowed.
        operation: the canonical XML-RPC method name, such as ``one.vm.disksaveas``.
        action: the VM action the message quotes, such as ``resume``.
        template: the message with its variable parts masked.
        details: fields specific to the cause, such as the quota metric and limit.
        extra: keys of the record that the parser does not know, with their values.
        source: the name of the input, ``<stdin>`` for standard input.
        line, end_line: the first and last line of the record in ``source``.
    """

    id: int | None
    timestamp: datetime | None
    creator: str | None
    type: str | None
    method: str | None
    message: str
    cause: str = "unknown"
    object_type: str | None = None
    object_id: int | None = None
    vm_state: str | None = None
    required_states: tuple[str, ...] = ()
    operation: str | None = None
    action: str | None = None
    template: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict, compare=True, hash=False)
    extra: Mapping[str, Any] = field(default_factory=dict, compare=True, hash=False)
    source: str = "<input>"
    line: int = 0
    end_line: int = 0

    kind: Literal["notification"] = field(default="notification", init=False, repr=False)

    @property
    def is_failure(self) -> bool:
        """True for error-type notifications, the ones failure reports count."""
        return self.type is not None and self.type.upper() in ERROR_TYPES


@dataclass(frozen=True, slots=True)
class RequestEvent:
    """One Sunstone request body, such as ``{"action":{"perform":"saveas",...}}``.

    The request's ``csrftoken`` is a session secret: the parser drops it and no
    attribute stores it.

    Attributes:
        action: the ``perform`` value, such as ``saveas``.
        params: the ``params`` object; numeric strings become ``int``.
        extra: other top-level keys of the body, except ``csrftoken``.
        source, line, end_line: where the body is, as for notifications.
    """

    action: str | None
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)
    source: str = "<input>"
    line: int = 0
    end_line: int = 0

    kind: Literal["request"] = field(default="request", init=False, repr=False)


DiagnosticKind = Literal["skipped", "malformed", "invalid_value", "encoding"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A piece of input that did not become an event, or a value that was dropped.

    Attributes:
        kind: ``skipped`` for text that is not a record, ``malformed`` for a record
            the grammar rejects, ``invalid_value`` for a value that was set to None
            (the event is kept), ``encoding`` for bytes that could not be decoded.
        source: the name of the input.
        line, end_line: the first and last line the diagnostic covers.
        error_line, column: where the grammar stopped in a malformed record; None
            for diagnostics that cover whole lines.
        message: a sentence for the user, with the expected tokens for ``malformed``.
        text: the input text the diagnostic covers, so that it can be fixed and re-fed.
    """

    kind: DiagnosticKind
    source: str
    line: int
    end_line: int
    message: str
    error_line: int | None = None
    column: int | None = None
    text: str = ""

    def __str__(self) -> str:
        if self.error_line is not None and self.column is not None:
            return f"{self.source}:{self.error_line}:{self.column}: {self.message}"
        return f"{self.source}:{self.line}: {self.message}"


@dataclass(slots=True)
class ParseStats:
    """Counts of what one parse read, updated while events are produced.

    Every input line is counted exactly once, by priority. A line that contains
    any part of an event counts in ``event_lines``. Otherwise a line with part of
    a malformed record counts in ``malformed_lines``, one with skipped text in
    ``skipped_lines``, and any other line is blank (whitespace and the ``[``,
    ``]``, ``,`` between records).
    """

    lines: int = 0
    records: int = 0
    notifications: int = 0
    requests: int = 0
    malformed: int = 0
    skipped_spans: int = 0
    event_lines: int = 0
    malformed_lines: int = 0
    skipped_lines: int = 0
    blank_lines: int = 0
    invalid_values: int = 0
    encoding_errors: int = 0
    encodings: dict[str, str] = field(default_factory=dict)

    @property
    def events(self) -> int:
        return self.notifications + self.requests

    def add(self, other: ParseStats) -> None:
        """Add the counts of another parse, as when several files are read."""
        for name in self.__slots__:
            value = getattr(self, name)
            if isinstance(value, int):
                setattr(self, name, value + getattr(other, name))
        self.encodings.update(other.encodings)

    def as_dict(self) -> dict[str, Any]:
        counts = {name: getattr(self, name) for name in self.__slots__}
        counts["events"] = self.events
        return counts
