"""Exceptions and warnings raised by logparse.

Every exception derives from :class:`LogparseError` and from the builtin that
fits it, so callers can catch either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from logparse.events import Diagnostic

__all__ = [
    "LogparseError",
    "MalformedRecordError",
    "NoNotificationsError",
    "ParserWarning",
    "RulesError",
    "SourceError",
]


class LogparseError(Exception):
    """Base class of every logparse exception."""


class SourceError(LogparseError, OSError):
    """An input could not be opened or read."""


class MalformedRecordError(LogparseError, ValueError):
    """A record was rejected by the grammar while ``on_bad_lines="error"``.

    The ``diagnostic`` attribute has the source, line, column and the record text.
    """

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


class NoNotificationsError(LogparseError, ValueError):
    """A report was requested from input that contains no notification records."""


class RulesError(LogparseError, ValueError):
    """A cause rule file is invalid; the message names the file, the rule and the field."""


class ParserWarning(UserWarning):
    """Warning emitted for each malformed record when ``on_bad_lines="warn"``."""
