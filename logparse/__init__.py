"""Parse OpenNebula error notifications into typed events and failure reports.

The public API is small:

- :func:`parse_events` streams events (notifications and request bodies) from a
  path, file object or iterable of lines;
- :func:`read_log` reads notifications into a pandas DataFrame.
"""

import logging

from logparse.errors import (
    LogparseError,
    MalformedRecordError,
    NoNotificationsError,
    ParserWarning,
    RulesError,
    SourceError,
)
from logparse.events import Diagnostic, NotificationEvent, ParseStats, RequestEvent
from logparse.parse import EventReader, parse_events

__version__ = "0.1.0"

__all__ = [
    "Diagnostic",
    "EventReader",
    "LogReader",
    "LogparseError",
    "MalformedRecordError",
    "NoNotificationsError",
    "NotificationEvent",
    "ParseStats",
    "ParserWarning",
    "RequestEvent",
    "RulesError",
    "SourceError",
    "parse_events",
    "read_log",
]

# Applications configure logging; the library only adds a handler that drops records.
logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str) -> object:
    # read_log needs pandas, which takes most of the import time. Loading it on
    # first use lets the command line catch Ctrl-C during that import.
    if name in ("LogReader", "read_log"):
        from logparse import read

        return getattr(read, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
