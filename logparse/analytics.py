"""Failure analytics over the DataFrame returned by :func:`logparse.read_log`.

Every function takes that DataFrame, keeps the failures (the rows whose ``type``
is one of :data:`logparse.events.ERROR_TYPES`) and returns a new DataFrame, so
the CLI, the weekly report and notebooks share one set of numbers.

Rows whose ``timestamp`` is missing count in the summaries and incidents but
cannot be placed in a day, an hour or a week, so the time series and the week
over week table leave them out.

Timestamps may be naive, as :func:`logparse.read_log` returns them, or carry a
time zone (``df["timestamp"].dt.tz_localize("Asia/Shanghai")``). Days, hours
and ISO weeks then follow the wall clock of that zone, and result columns keep
it.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from logparse.events import ERROR_TYPES

__all__ = [
    "GROUP_KEYS",
    "WEEK_STATUSES",
    "bursts",
    "daily_counts",
    "date_outliers",
    "failures",
    "hourly_counts",
    "incidents",
    "iso_week_bounds",
    "iso_week_of",
    "last_complete_week",
    "object_label",
    "state_label",
    "summarize_failures",
    "top_creators",
    "top_objects",
    "top_operations",
    "unknown_templates",
    "week_over_week",
]

logger = logging.getLogger(__name__)

#: The names that ``by`` accepts in :func:`summarize_failures` and the time series.
GROUP_KEYS = ("cause", "vm_state", "operation", "object", "creator", "method", "template")

#: The statuses of :func:`week_over_week`, in the order reports list them.
WEEK_STATUSES = ("new", "regressed", "ongoing", "gone")

_REQUIRED_COLUMNS = (
    "timestamp",
    "creator",
    "type",
    "method",
    "message",
    "cause",
    "object_type",
    "object_id",
    "vm_state",
    "required_states",
    "operation",
    "template",
)

_ISO_WEEK = re.compile(r"(\d{4})-?W(\d{2})")

#: How far past the current time a timestamp may lie before :func:`date_outliers`
#: calls it a future date. Sunstone writes the browser's local time, and local
#: times of two zones differ by at most 26 hours, so the margin covers any zone.
FUTURE_MARGIN = pd.Timedelta(days=2)

#: The smallest gap before the latest timestamps that can set them apart as outliers.
OUTLIER_GAP = pd.Timedelta(days=28)

#: The largest share of the dated notifications that a group set apart by
#: :data:`OUTLIER_GAP` may hold and still count as outliers.
OUTLIER_SHARE = 0.05


# ---------------------------------------------------------------------------
# Timestamps and time zones


def _as_timestamps(values: pd.Series) -> pd.Series:
    """Convert a ``timestamp`` column to nanosecond datetimes, keeping its time zone.

    Raises
    ------
    ValueError
        If the values cannot be read as datetimes, or carry more than one time zone.
    """
    if values.dtype.kind != "M":
        try:
            values = pd.to_datetime(values)
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"invalid timestamp column: {error}. {_timestamp_advice(values)}"
            ) from error
    return values.dt.as_unit("ns")


def _timestamp_advice(values: pd.Series) -> str:
    """Return what to do about a column that pd.to_datetime rejected."""
    zones = {
        str(value.tzinfo)
        for value in values.dropna()
        if isinstance(value, dt.datetime) and value.tzinfo is not None
    }
    naive = any(
        isinstance(value, dt.datetime) and value.tzinfo is None for value in values.dropna()
    )
    if len(zones) > 1 or (zones and naive):
        return (
            "Convert it to one time zone first, "
            "such as with pd.to_datetime(values, utc=True).dt.tz_convert(zone)"
        )
    return (
        "Fix or drop the values that are not dates: "
        "pd.to_datetime(values, errors='coerce') turns them into NaT, which shows where they are"
    )


def _time_zone(stamps: pd.Series) -> Any:
    """Return the time zone of a datetime column, or None for naive timestamps."""
    return getattr(stamps.dtype, "tz", None)


def _wall_clock(stamps: pd.Series) -> pd.Series:
    """Return naive timestamps that read as the wall clock of the column's own zone."""
    if _time_zone(stamps) is None:
        return stamps
    return stamps.dt.tz_localize(None)


def _localize(stamp: pd.Timestamp, tz: Any) -> pd.Timestamp:
    """Attach ``tz`` to a wall-clock time.

    A time that occurs twice, when clocks go back, is taken at its first
    occurrence. A time that a clock change skips becomes the first time after the gap.
    """
    return stamp.tz_localize(tz, ambiguous=True, nonexistent="shift_forward")


def _align(value: Any, tz: Any, name: str) -> pd.Timestamp | None:
    """Convert a bound, such as ``start``, to the zone of the timestamps it is compared with.

    A naive bound is a wall-clock time in that zone.
    """
    if value is None:
        return None
    stamp = pd.Timestamp(value)
    if tz is None:
        if stamp.tz is not None:
            raise ValueError(
                f"{name} {stamp} has a time zone but the timestamps have none: pass a naive "
                f"{name}, or localize the timestamps with .dt.tz_localize(zone)"
            )
        return stamp
    if stamp.tz is None:
        return _localize(stamp, tz)
    return stamp.tz_convert(tz)


def _localize_periods(index: pd.DatetimeIndex, tz: Any) -> pd.DatetimeIndex:
    """Attach ``tz`` to wall-clock period starts, such as the midnights of :func:`daily_counts`."""
    first_occurrence = np.ones(len(index), dtype=bool)
    return index.tz_localize(tz, ambiguous=first_occurrence, nonexistent="shift_forward")


# ---------------------------------------------------------------------------
# Labels and keys


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def state_label(vm_state: Any, required_states: Any) -> str:
    """Label the VM state of a failure for grouping and reports.

    Parameters
    ----------
    vm_state : str or None
        The state the message names, such as ``POWEROFF``.
    required_states : sequence of str or None
        The states the message lists as allowed, such as
        ``("RUNNING", "POWEROFF", "SUSPENDED")``.

    Returns
    -------
    str
        ``vm_state`` when the message names one, else the required states
        written ``not RUNNING/POWEROFF/SUSPENDED``, else an empty string.

    Examples
    --------
    >>> state_label("POWEROFF", ())
    'POWEROFF'
    >>> state_label(None, ("RUNNING", "POWEROFF", "SUSPENDED"))
    'not RUNNING/POWEROFF/SUSPENDED'
    >>> state_label(None, None)
    ''
    """
    if not _is_missing(vm_state) and str(vm_state):
        return str(vm_state)
    if _is_missing(required_states) or isinstance(required_states, str):
        return ""
    states = [str(state) for state in required_states if not _is_missing(state)]
    if not states:
        return ""
    return "not " + "/".join(states)


def object_label(object_type: Any, object_id: Any) -> str:
    """Label the object a failure names, such as ``IMAGE 265``.

    Returns the type alone when the message gives no id, and an empty string
    when it names no object.
    """
    if _is_missing(object_type) or not str(object_type):
        return ""
    if _is_missing(object_id):
        return str(object_type)
    return f"{object_type} {int(object_id)}"


def _text(series: pd.Series) -> pd.Series:
    """Convert a column to plain ``str`` values, with ``""`` for missing ones."""
    values = [("" if _is_missing(value) else str(value)) for value in series.astype(object)]
    return pd.Series(values, index=series.index, dtype=object)


def _key_series(failed: pd.DataFrame, key: str) -> pd.Series:
    if key == "vm_state":
        labels = map(state_label, failed["vm_state"].astype(object), failed["required_states"])
        return pd.Series(list(labels), index=failed.index, dtype=object)
    if key == "object":
        labels = map(object_label, failed["object_type"].astype(object), failed["object_id"])
        return pd.Series(list(labels), index=failed.index, dtype=object)
    if key == "operation":
        # Messages whose method has no known XML-RPC name still group by the method they log.
        operation = _text(failed["operation"])
        return operation.where(operation != "", _text(failed["method"]))
    return _text(failed[key])


def _normalize_keys(by: str | Sequence[str]) -> tuple[str, ...]:
    keys = (by,) if isinstance(by, str) else tuple(by)
    if not keys:
        raise ValueError(f"by must name at least one of {', '.join(GROUP_KEYS)}")
    unknown = [key for key in keys if key not in GROUP_KEYS]
    if unknown:
        raise ValueError(
            f"invalid group key {unknown[0]!r} in by: use any of {', '.join(GROUP_KEYS)}"
        )
    if len(set(keys)) != len(keys):
        raise ValueError(f"by names a key twice: {', '.join(keys)}")
    return keys


# ---------------------------------------------------------------------------
# Filtering and summaries


def failures(df: pd.DataFrame) -> pd.DataFrame:
    """Select the failures: the notifications whose type is an error type.

    Parameters
    ----------
    df : DataFrame
        The notifications, as returned by :func:`logparse.read_log`.

    Returns
    -------
    DataFrame
        The rows of ``df`` whose ``type`` is in
        :data:`logparse.events.ERROR_TYPES`, compared case-insensitively, with
        their original index and ``attrs``.

    Raises
    ------
    ValueError
        If ``df`` lacks a column of the ``read_log`` schema that analytics use.
    """
    missing = [column for column in _REQUIRED_COLUMNS if column not in df.columns]
    if missing:
        raise ValueError(
            f"DataFrame is missing the columns {', '.join(missing)}: "
            "pass the DataFrame returned by logparse.read_log"
        )
    is_error = [
        isinstance(value, str) and value.upper() in ERROR_TYPES
        for value in df["type"].astype(object)
    ]
    return df.loc[is_error]


def _summary_columns(keys: Iterable[str]) -> list[str]:
    return [*keys, "count", "first_seen", "last_seen", "example"]


def _empty_summary(keys: Sequence[str], time_dtype: Any = "datetime64[ns]") -> pd.DataFrame:
    frame = pd.DataFrame({key: pd.Series(dtype=object) for key in keys})
    frame["count"] = pd.Series(dtype="int64")
    frame["first_seen"] = pd.Series(dtype=time_dtype)
    frame["last_seen"] = pd.Series(dtype=time_dtype)
    frame["example"] = pd.Series(dtype=object)
    return frame


def _keyed_failures(df: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Build one row per failure with its group keys, in time order.

    Rows without a timestamp come last, and rows with equal timestamps keep
    their input order, so ``first`` picks the earliest message of a group.
    """
    failed = failures(df)
    frame = pd.DataFrame({key: _key_series(failed, key) for key in keys}, index=failed.index)
    frame["timestamp"] = _as_timestamps(failed["timestamp"])
    frame["message"] = _text(failed["message"])
    return frame.sort_values("timestamp", na_position="last", kind="stable")


def _summarize_keyed(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    if frame.empty:
        return _empty_summary(keys, frame["timestamp"].dtype)
    summary = (
        frame.groupby(list(keys), sort=False, dropna=False)
        .agg(
            count=("message", "size"),
            first_seen=("timestamp", "min"),
            last_seen=("timestamp", "max"),
            example=("message", "first"),
        )
        .reset_index()
    )
    summary["count"] = summary["count"].astype("int64")
    summary = summary.sort_values(
        ["count", "first_seen", *keys],
        ascending=[False, True, *([True] * len(keys))],
        na_position="last",
        kind="stable",
    )
    return summary.reset_index(drop=True)[_summary_columns(keys)]


def summarize_failures(
    df: pd.DataFrame, by: str | Sequence[str] = ("cause", "vm_state")
) -> pd.DataFrame:
    """Count failures by cause, VM state or any other group key.

    Parameters
    ----------
    df : DataFrame
        The notifications, as returned by :func:`logparse.read_log`.
    by : str or sequence of str, default ``("cause", "vm_state")``
        The group keys, any of :data:`GROUP_KEYS`:

        - ``cause``, ``creator``, ``method``, ``template``: the column as is;
        - ``vm_state``: :func:`state_label` of ``vm_state`` and ``required_states``;
        - ``object``: :func:`object_label`, such as ``IMAGE 265``;
        - ``operation``: the XML-RPC method name, or the logged method when
          the parser has no XML-RPC name for it.

        A missing value groups as an empty string.

    Returns
    -------
    DataFrame
        One row per group with the key columns, ``count``, ``first_seen``,
        ``last_seen`` (NaT when no failure of the group has a timestamp) and
        ``example`` (the earliest message of the group). Rows are sorted by
        ``count`` descending, then ``first_seen``, then the keys.

    Raises
    ------
    ValueError
        If ``by`` names no key, an unknown key or a key twice.

    Examples
    --------
    >>> summarize_failures(df, by="object").head(1)  # doctest: +SKIP
          object  count          first_seen           last_seen  example
    0  IMAGE 265      7 2014-09-18 01:54:27 2014-09-18 02:01:29  Error allocating ...
    """
    keys = _normalize_keys(by)
    return _summarize_keyed(_keyed_failures(df, keys), keys)


def _top(df: pd.DataFrame, key: str, n: int | None) -> pd.DataFrame:
    frame = _keyed_failures(df, (key, "cause"))
    frame = frame[frame[key] != ""]
    summary = _summarize_keyed(frame, (key,))

    # The most frequent cause of each group, earliest first among equal counts.
    by_cause = _summarize_keyed(frame, (key, "cause")).drop_duplicates(key)
    top_cause = by_cause.set_index(key)["cause"]
    summary.insert(2, "top_cause", summary[key].map(top_cause).astype(object))

    return summary if n is None else summary.head(n)


def top_objects(df: pd.DataFrame, n: int | None = 10) -> pd.DataFrame:
    """List the objects that failures name most often, such as ``IMAGE 265``.

    Parameters
    ----------
    df : DataFrame
        The notifications, as returned by :func:`logparse.read_log`.
    n : int or None, default 10
        The number of rows to return, or None for all of them.

    Returns
    -------
    DataFrame
        Columns ``object``, ``count``, ``top_cause`` (the most frequent cause
        for that object), ``first_seen``, ``last_seen`` and ``example``,
        sorted as in :func:`summarize_failures`. Failures that name no object
        are left out.
    """
    return _top(df, "object", n)


def top_operations(df: pd.DataFrame, n: int | None = 10) -> pd.DataFrame:
    """List the operations that fail most often, such as ``one.vm.disksaveas``.

    The columns are those of :func:`top_objects`, with ``operation`` in place
    of ``object``. Failures with neither an operation nor a method are left out.
    """
    return _top(df, "operation", n)


def top_creators(df: pd.DataFrame, n: int | None = 10) -> pd.DataFrame:
    """List the users who were shown the most failures.

    The columns are those of :func:`top_objects`, with ``creator`` in place
    of ``object``. Failures without a creator are left out.
    """
    return _top(df, "creator", n)


def unknown_templates(df: pd.DataFrame, n: int | None = None) -> pd.DataFrame:
    """List the message templates that no cause rule matches.

    These are the failures with cause ``unknown``, grouped by ``template``, so
    that each row is a candidate for a new rule in the cause catalog.

    Parameters
    ----------
    df : DataFrame
        The notifications, as returned by :func:`logparse.read_log`.
    n : int or None, default None
        The number of rows to return, or None for all of them.

    Returns
    -------
    DataFrame
        Columns ``template``, ``operation``, ``count``, ``first_seen``,
        ``last_seen`` and ``example``, sorted as in :func:`summarize_failures`.
    """
    frame = _keyed_failures(df, ("template", "operation", "cause"))
    frame = frame[frame["cause"] == "unknown"]
    summary = _summarize_keyed(frame, ("template", "operation"))
    return summary if n is None else summary.head(n)


# ---------------------------------------------------------------------------
# Time series


def _counts(
    df: pd.DataFrame,
    by: str,
    freq: str,
    start: Any,
    end: Any,
    index_name: str,
) -> pd.DataFrame:
    (key,) = _normalize_keys(by)
    frame = _keyed_failures(df, (key,))
    frame = frame[frame["timestamp"].notna()]
    tz = _time_zone(frame["timestamp"])

    start = _align(start, tz, "start")
    end = _align(end, tz, "end")
    if start is not None:
        frame = frame[frame["timestamp"] >= start]
    if end is not None:
        frame = frame[frame["timestamp"] < end]

    # Periods are floored on the wall clock, because flooring a time in a zone
    # fails for the hour that repeats when clocks go back.
    periods = _wall_clock(frame["timestamp"]).dt.floor(freq)
    first = start.tz_localize(None).floor(freq) if start is not None else periods.min()
    if end is not None:
        last = (end.tz_localize(None) - pd.Timedelta(1, "ns")).floor(freq)
    else:
        last = periods.max()
    if pd.isna(first) or pd.isna(last):
        index = pd.DatetimeIndex([], dtype="datetime64[ns]")
    else:
        index = pd.date_range(first, last, freq=freq).astype("datetime64[ns]")

    table = pd.crosstab(periods, frame[key]) if not frame.empty else pd.DataFrame()
    table = table.reindex(index=index, fill_value=0)
    order = table.sum().sort_values(ascending=False, kind="stable").index
    table = table[list(order)].astype("int64")
    if tz is not None:
        table.index = _localize_periods(table.index, tz).as_unit("ns")
        # A period that a clock change skips moves onto the next period's start.
        # No timestamp falls in the skipped time, so the moved row is all zeros.
        table = table[~table.index.duplicated(keep="last")]
    table.index.name = index_name
    table.columns.name = key
    return table


def daily_counts(
    df: pd.DataFrame, by: str = "cause", *, start: Any = None, end: Any = None
) -> pd.DataFrame:
    """Count failures per day, one column per value of ``by``.

    Parameters
    ----------
    df : DataFrame
        The notifications, as returned by :func:`logparse.read_log`.
    by : str, default ``"cause"``
        One of :data:`GROUP_KEYS`; each of its values becomes a column.
    start, end : datetime-like, optional
        Count only failures at or after ``start`` and before ``end``, and give
        every day from ``start`` to the day before ``end`` a row even when no
        failure happened on it. Without them the rows run from the day of the
        first failure to the day of the last.

    Returns
    -------
    DataFrame
        Counts indexed by the midnight that starts each day (index name
        ``date``), columns ordered by their total, descending. Failures without
        a timestamp are left out. Timestamps with a time zone give calendar
        days of that zone, and the index keeps the zone. A naive ``start`` or
        ``end`` is then read as a wall-clock time in that zone.
    """
    return _counts(df, by, "D", start, end, "date")


def hourly_counts(
    df: pd.DataFrame, by: str = "cause", *, start: Any = None, end: Any = None
) -> pd.DataFrame:
    """Count failures per hour, one column per value of ``by``.

    The parameters and the result are those of :func:`daily_counts`, with
    one row per hour (index name ``hour``) in place of one per day. For
    timestamps with a time zone, the hour that repeats when clocks go back is
    one row, labelled with its first occurrence.
    """
    return _counts(df, by, "h", start, end, "hour")


def bursts(df: pd.DataFrame, *, freq: str = "h", n: int = 5) -> pd.DataFrame:
    """List the busiest periods: the hours (or other ``freq``) with the most failures.

    Parameters
    ----------
    df : DataFrame
        The notifications, as returned by :func:`logparse.read_log`.
    freq : str, default ``"h"``
        The period length as a pandas frequency, such as ``"h"`` or ``"15min"``.
    n : int, default 5
        The number of periods to return.

    Returns
    -------
    DataFrame
        Columns ``start``, ``end``, ``count``, ``top_cause`` and
        ``top_cause_count``, for the periods with at least one failure,
        sorted by ``count`` descending, then ``start``.
    """
    table = _counts(df, "cause", freq, None, None, "start")
    if table.empty or table.columns.empty:
        return pd.DataFrame(
            {
                "start": pd.Series(dtype=table.index.dtype),
                "end": pd.Series(dtype=table.index.dtype),
                "count": pd.Series(dtype="int64"),
                "top_cause": pd.Series(dtype=object),
                "top_cause_count": pd.Series(dtype="int64"),
            }
        )
    result = pd.DataFrame(
        {
            "start": table.index,
            "end": table.index + pd.tseries.frequencies.to_offset(freq),
            "count": table.sum(axis=1).to_numpy(),
            # idxmax returns the first column among ties, and columns are in total order.
            "top_cause": table.idxmax(axis=1).to_numpy(),
            "top_cause_count": table.max(axis=1).to_numpy(),
        }
    )
    result = result[result["count"] > 0]
    result = result.sort_values(["count", "start"], ascending=[False, True], kind="stable")
    return result.head(n).reset_index(drop=True)


# ---------------------------------------------------------------------------
# Incidents


def incidents(df: pd.DataFrame, window: str | pd.Timedelta = "60s") -> pd.DataFrame:
    """Collapse repeated failures into incidents.

    Sunstone shows a notification again each time the web UI retries a
    request, so one failed action often appears as a run of identical
    failures. A failure joins the open incident of its cause, object and
    creator when it comes at most ``window`` after the previous failure of
    that incident. So a run of retries longer than ``window`` is still one
    incident while no gap between two repeats exceeds ``window``.

    Parameters
    ----------
    df : DataFrame
        The notifications, as returned by :func:`logparse.read_log`.
    window : str, Timedelta or number of seconds, default ``"60s"``
        The largest gap between two repeats of one incident.

    Returns
    -------
    DataFrame
        One row per incident with ``incident`` (numbered from 1 in time
        order), ``cause``, ``object``, ``creator``, ``vm_state``,
        ``operation``, ``count`` (the number of repeats), ``first_seen``,
        ``last_seen``, ``duration`` and ``example``. Each failure without a
        timestamp is an incident of its own. The counts add up to the number
        of failures.

    Raises
    ------
    ValueError
        If ``window`` is negative or not a time span.
    """
    # A bare number is seconds; pandas would read it as nanoseconds.
    is_number = isinstance(window, int | float) and not isinstance(window, bool)
    gap_limit = pd.Timedelta(seconds=window) if is_number else pd.Timedelta(window)
    if pd.isna(gap_limit) or gap_limit < pd.Timedelta(0):
        raise ValueError(f"invalid incident window {window!r}: use a time span such as '60s'")

    keys = ["cause", "object", "creator"]
    frame = _keyed_failures(df, (*keys, "vm_state", "operation"))
    columns = [
        "incident",
        *keys,
        "vm_state",
        "operation",
        "count",
        "first_seen",
        "last_seen",
        "duration",
        "example",
    ]
    if frame.empty:
        empty = _empty_summary((*keys, "vm_state", "operation"), frame["timestamp"].dtype)
        empty["incident"] = pd.Series(dtype="int64")
        empty["duration"] = pd.Series(dtype="timedelta64[ns]")
        return empty[columns]

    frame = frame.sort_values([*keys, "timestamp"], na_position="last", kind="stable")
    gaps = frame.groupby(keys, sort=False)["timestamp"].diff()
    # A first failure of a key, or a failure without a timestamp, has no gap and starts an incident.
    starts = gaps.isna() | (gaps > gap_limit)
    frame["incident"] = starts.cumsum()

    result = frame.groupby("incident", sort=False).agg(
        cause=("cause", "first"),
        object=("object", "first"),
        creator=("creator", "first"),
        vm_state=("vm_state", "first"),
        operation=("operation", "first"),
        count=("message", "size"),
        first_seen=("timestamp", "min"),
        last_seen=("timestamp", "max"),
        example=("message", "first"),
    )
    result["count"] = result["count"].astype("int64")
    result["duration"] = result["last_seen"] - result["first_seen"]
    result = result.sort_values(["first_seen", *keys], na_position="last", kind="stable")
    result["incident"] = range(1, len(result) + 1)
    return result.reset_index(drop=True)[columns]


# ---------------------------------------------------------------------------
# ISO weeks


def iso_week_bounds(week: str, tz: Any = None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the start (Monday 00:00) and end (next Monday 00:00) of an ISO week.

    Parameters
    ----------
    week : str
        An ISO 8601 week such as ``2014-W38`` (``2014W38`` is accepted too).
    tz : str or tzinfo, optional
        The time zone of the bounds, such as ``df["timestamp"].dt.tz``. The
        bounds are then the Monday midnights of that zone's wall clock, so a
        week with a daylight saving change is not 168 hours long. Without it
        the bounds are naive.

    Raises
    ------
    ValueError
        If ``week`` is not of that form or the year has no such week.
    """
    match = _ISO_WEEK.fullmatch(week.strip())
    if match is None:
        raise ValueError(f"invalid ISO week {week!r}: use the form YYYY-Www, such as 2014-W38")
    year, number = int(match[1]), int(match[2])
    try:
        monday = dt.date.fromisocalendar(year, number, 1)
    except ValueError:
        raise ValueError(f"invalid ISO week {week!r}: {year} has no week {number}") from None
    start = pd.Timestamp(monday)
    end = start + pd.Timedelta(days=7)
    if tz is not None:
        return _localize(start, tz), _localize(end, tz)
    return start, end


def iso_week_of(timestamp: Any) -> str:
    """Name the ISO week that contains ``timestamp``, such as ``2014-W38``.

    A timestamp with a time zone falls in the week of its wall-clock date in that zone.
    """
    year, week, _ = pd.Timestamp(timestamp).isocalendar()
    return f"{year:04d}-W{week:02d}"


def _current_wall_clock(now: Any, tz: Any) -> pd.Timestamp:
    """Return ``now``, or the current time, as a wall-clock time in ``tz``.

    With naive timestamps (``tz`` None) the current time is the local time of
    this machine, and an aware ``now`` counts by its own wall clock.
    """
    if now is None:
        now = pd.Timestamp.now(tz) if tz is not None else pd.Timestamp.now()
    stamp = pd.Timestamp(now)
    if stamp.tz is not None and tz is not None:
        stamp = stamp.tz_convert(tz)
    return stamp.tz_localize(None)


def date_outliers(df: pd.DataFrame, *, now: Any = None) -> pd.Series:
    """Find the notification timestamps that are too late to trust.

    A wrong clock or a mistyped year (``2099`` among ``2014``) would otherwise
    make a nearly empty week the latest one in the data. Two kinds of
    timestamps count as outliers:

    - future dates: later than :data:`FUTURE_MARGIN` after ``now``, unless
      every timestamp is, because then nothing else is left to report on;
    - a late group: the latest timestamps, when a gap longer than
      :data:`OUTLIER_GAP` separates them from the rest and they hold less than
      :data:`OUTLIER_SHARE` of the dated notifications. The check repeats on
      what remains, so several late groups are all found.

    Early outliers, such as ``1970-01-01`` from a reset clock, are not looked for.

    Parameters
    ----------
    df : DataFrame
        The notifications, as returned by :func:`logparse.read_log`. Every
        notification counts, not only failures.
    now : datetime-like, optional
        The current time; by default the clock of this machine, in the zone of
        the timestamps when they have one.

    Returns
    -------
    Series
        The outlying timestamps with their row labels, in time order; empty
        when there is none.
    """
    stamps = _as_timestamps(pd.Series(df["timestamp"])).dropna()
    stamps = stamps.iloc[np.argsort(_wall_clock(stamps).to_numpy(), kind="stable")]
    wall = _wall_clock(stamps).to_numpy()
    if not len(wall):
        return stamps

    future = wall > (_current_wall_clock(now, _time_zone(stamps)) + FUTURE_MARGIN).to_datetime64()
    if future.all():
        future[:] = False
    # The timestamps are sorted, so the future dates are the last rows.
    trusted = int((~future).sum())
    while trusted > 1:
        gaps = np.diff(wall[:trusted])
        jumps = np.flatnonzero(gaps > OUTLIER_GAP.to_timedelta64())
        if not len(jumps):
            break
        group_start = int(jumps[-1]) + 1
        if trusted - group_start >= OUTLIER_SHARE * len(wall):
            break
        trusted = group_start
    return stamps.iloc[trusted:]


def last_complete_week(df: pd.DataFrame, *, now: Any = None) -> str:
    """Name the last complete ISO week in the data.

    A week counts as complete when the data reaches its Sunday: the latest
    timestamp of any notification (not only failures) falls on or after that
    day. When no week is complete, such as for a capture of a single
    Thursday, this returns the week of the latest timestamp. Timestamps that
    :func:`date_outliers` finds, with the same ``now``, are left out, so a
    single record dated ``2099`` does not choose the week.

    Raises
    ------
    ValueError
        If no notification has a timestamp.
    """
    stamps = _as_timestamps(pd.Series(df["timestamp"])).dropna()
    if stamps.empty:
        raise ValueError("no notification has a date and time, so no ISO week can be chosen")
    outliers = date_outliers(df, now=now)
    wall = _wall_clock(stamps).sort_values(kind="stable").iloc[: len(stamps) - len(outliers)]
    latest = pd.Timestamp(wall.iloc[-1])
    earliest = pd.Timestamp(wall.iloc[0])

    if latest.isoweekday() == 7:
        return iso_week_of(latest)
    previous_sunday = latest.normalize() - pd.Timedelta(days=latest.isoweekday())
    if previous_sunday >= earliest.normalize():
        return iso_week_of(previous_sunday)
    logger.info(
        "no complete ISO week in the data (%s to %s), so the report covers the partial week %s",
        earliest,
        latest,
        iso_week_of(latest),
    )
    return iso_week_of(latest)


# ---------------------------------------------------------------------------
# Week over week


def week_over_week(df: pd.DataFrame, week: str, by: str = "cause") -> pd.DataFrame:
    """Compare the failures of an ISO week with the week before.

    The status of each cause follows Sentry's issue states:

    - ``new``: seen this week and never before it;
    - ``regressed``: seen this week and before the previous week, but not in
      the previous week;
    - ``ongoing``: seen this week and in the previous week;
    - ``gone``: seen in the previous week but not this week.

    Parameters
    ----------
    df : DataFrame
        The notifications, as returned by :func:`logparse.read_log`.
    week : str
        The ISO week, such as ``2014-W38``.
    by : str, default ``"cause"``
        One of :data:`GROUP_KEYS`.

    Returns
    -------
    DataFrame
        One row per value of ``by`` seen this week or the previous week. The
        columns are ``this_week``, ``last_week``, ``change`` (this week minus
        last week), ``first_seen`` and ``last_seen`` (the earliest and latest
        failure in the data before the end of ``week``) and ``status``. Rows
        are sorted by ``this_week`` descending, then ``last_week`` descending,
        then the key.

    Notes
    -----
    "Never before" means never in ``df``: when the data starts in ``week``,
    every cause of that week is ``new``. For timestamps with a time zone, the
    weeks start at Monday midnight in that zone.
    """
    (key,) = _normalize_keys(by)
    frame = _keyed_failures(df, (key,))
    tz = _time_zone(frame["timestamp"])
    start, end = iso_week_bounds(week, tz)
    # The previous week by name, because with a time zone a week need not last 7 × 24 hours.
    previous, _ = iso_week_bounds(iso_week_of(iso_week_bounds(week)[0] - pd.Timedelta(days=7)), tz)

    frame = frame[frame["timestamp"].notna() & (frame["timestamp"] < end)]
    stamps = frame["timestamp"]
    values = frame[key]

    this_week = values[stamps >= start].value_counts()
    last_week = values[(stamps >= previous) & (stamps < start)].value_counts()
    before_last = values[stamps < previous].value_counts()
    seen = frame.groupby(key)["timestamp"].agg(["min", "max"])

    rows = []
    for value in sorted(set(this_week.index) | set(last_week.index)):
        count = int(this_week.get(value, 0))
        previous_count = int(last_week.get(value, 0))
        if count and previous_count:
            status = "ongoing"
        elif count and before_last.get(value, 0):
            status = "regressed"
        elif count:
            status = "new"
        else:
            status = "gone"
        rows.append(
            {
                key: value,
                "this_week": count,
                "last_week": previous_count,
                "change": count - previous_count,
                "first_seen": seen.at[value, "min"],
                "last_seen": seen.at[value, "max"],
                "status": status,
            }
        )

    result = pd.DataFrame(
        rows, columns=[key, "this_week", "last_week", "change", "first_seen", "last_seen", "status"]
    )
    result = result.astype(
        {
            key: object,
            "this_week": "int64",
            "last_week": "int64",
            "change": "int64",
            "first_seen": frame["timestamp"].dtype,
            "last_seen": frame["timestamp"].dtype,
            "status": object,
        }
    )
    result = result.sort_values(
        ["this_week", "last_week", key], ascending=[False, False, True], kind="stable"
    )
    return result.reset_index(drop=True)
