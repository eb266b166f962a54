"""``read_log``: notifications as a pandas DataFrame."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pandas as pd

from logparse.events import Diagnostic, NotificationEvent, ParseStats
from logparse.parse import EventReader, OnBadLines, parse_events
from logparse.sources import Source

__all__ = ["COLUMNS", "LogReader", "events_to_frame", "read_log"]

#: Columns of the DataFrame, in order, with their dtypes.
COLUMNS: dict[str, str] = {
    "id": "Int64",
    "timestamp": "datetime64[ns]",
    "creator": "category",
    "type": "category",
    "method": "category",
    "message": "object",
    "cause": "category",
    "object_type": "category",
    "object_id": "Int64",
    "vm_state": "category",
    "required_states": "object",
    "operation": "category",
    "action": "category",
    "template": "object",
    "details": "object",
    "extra": "object",
    "source": "category",
    "line": "int64",
    "end_line": "int64",
}


def read_log(
    path_or_buffer: Source,
    *,
    encoding: str | None = None,
    on_bad_lines: OnBadLines = "warn",
    rules: Any = None,
    chunksize: int | None = None,
    on_diagnostic: Callable[[Diagnostic], None] | None = None,
) -> pd.DataFrame | LogReader:
    """Read Sunstone notifications into a DataFrame, one row per notification.

    Parameters
    ----------
    path_or_buffer : path, file object or iterable of str
        The input; ``"-"`` reads standard input.
    encoding : str, optional
        Codec of byte input; by default UTF-8, with a fallback to GB18030 or
        Windows-1252 for lines that are not valid UTF-8, as in
        :func:`logparse.parse_events`.
    on_bad_lines : {"warn", "error", "skip"} or callable, default "warn"
        What to do with malformed records, as in :func:`logparse.parse_events`.
    rules : path, list of paths or Classifier, optional
        Cause rule files that extend the built-in catalog.
    chunksize : int, optional
        Return a :class:`LogReader` that yields DataFrames of at most this
        many rows instead of one DataFrame.
    on_diagnostic : callable, optional
        Receives every diagnostic (skipped text, malformed records, ...).

    Returns
    -------
    DataFrame or LogReader
        Columns as in :data:`COLUMNS`: ``timestamp`` is datetime64, repetitive
        text columns are categorical, ``id`` and ``object_id`` are nullable
        integers. ``df.attrs["stats"]`` contains the counts of
        :class:`~logparse.events.ParseStats` as a dict.

    Notes
    -----
    Request bodies are counted in the stats but not returned: use
    :func:`logparse.parse_events` to see them.

    Examples
    --------
    >>> df = read_log(["{ content: [ImageAllocate] boom, type: ERROR_MSG }"])
    >>> df.loc[0, "method"]
    'ImageAllocate'
    """
    if chunksize is not None and (
        isinstance(chunksize, bool) or not isinstance(chunksize, int) or chunksize < 1
    ):
        raise ValueError(f"chunksize must be an integer >= 1, got {chunksize!r}")

    events = parse_events(
        path_or_buffer,
        encoding=encoding,
        on_bad_lines=on_bad_lines,
        rules=rules,
        on_diagnostic=on_diagnostic,
    )
    reader = LogReader(events, chunksize or 0)
    if chunksize is not None:
        return reader
    with reader:
        return reader.read()


class LogReader:
    """Iterator of DataFrames of at most ``chunksize`` notifications each.

    Use it as a context manager, like the readers pandas returns for
    ``chunksize``; ``stats`` is complete once it is exhausted.
    """

    def __init__(self, events: EventReader, chunksize: int) -> None:
        self._events = events
        self.chunksize = chunksize

    @property
    def stats(self) -> ParseStats:
        return self._events.stats

    def read(self) -> pd.DataFrame:
        """Read every remaining notification into one DataFrame."""
        return events_to_frame(self._notifications(), self.stats)

    def __iter__(self) -> Iterator[pd.DataFrame]:
        batch: list[NotificationEvent] = []
        for event in self._notifications():
            batch.append(event)
            if len(batch) >= self.chunksize:
                yield events_to_frame(batch, self.stats)
                batch = []
        if batch:
            yield events_to_frame(batch, self.stats)

    def __enter__(self) -> LogReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._events.close()

    def _notifications(self) -> Iterator[NotificationEvent]:
        for event in self._events:
            if isinstance(event, NotificationEvent):
                yield event


def events_to_frame(
    events: Iterable[NotificationEvent], stats: ParseStats | None = None
) -> pd.DataFrame:
    """Build the DataFrame of :func:`read_log` from notification events."""
    columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    for event in events:
        for name, values in columns.items():
            values.append(getattr(event, name))

    data = {}
    for name, dtype in COLUMNS.items():
        values = columns[name]
        if dtype == "object":
            data[name] = pd.Series(values, dtype=object)
        elif dtype == "datetime64[ns]":
            data[name] = pd.to_datetime(pd.Series(values, dtype=object)).astype(dtype)
        else:
            data[name] = pd.Series(values, dtype=dtype)

    frame = pd.DataFrame(data)
    frame.attrs["stats"] = (stats or ParseStats()).as_dict()
    return frame
