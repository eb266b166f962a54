"""The weekly failure report: what failed in one ISO week, and what to fix first.

:func:`build_weekly_report` computes a :class:`WeeklyReport` from the
DataFrame of :func:`logparse.read_log`; :func:`write_weekly_report` writes it
as ``failures-2014-W38.html`` (one self-contained file), ``.md`` with its
charts as PNG files beside it, and ``.csv`` (the cause by VM state table).

Log text is untrusted. The HTML template autoescapes every value, and the
page's Content-Security-Policy forbids scripts and network loads. The Markdown
template escapes every value with :func:`escape_markdown`, and the CSV file
goes through :func:`logparse.csvsafe.write_csv`.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import io
import logging
import os
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup

from logparse import analytics
from logparse.charts import plot_daily_failures, plot_week_comparison
from logparse.csvsafe import replace_control_characters, write_csv
from logparse.errors import NoNotificationsError
from logparse.i18n import (
    WEEKDAYS,
    cause_description,
    cause_hint,
    messages,
    normalize_language,
    status_name,
)

__all__ = [
    "Cell",
    "Chart",
    "REPORT_FILE_NAME",
    "Table",
    "WeeklyPaths",
    "WeeklyReport",
    "build_weekly_report",
    "escape_markdown",
    "write_weekly_report",
]

logger = logging.getLogger(__name__)

#: The rows each top list, the incident list and the template list show.
TOP_ROWS = 10

#: The number of outlier dates the report lists, after which it gives only a count.
OUTLIER_DATES_SHOWN = 5

#: The prefix of the section ids of a standalone page, as in ``failures-2014-W38.html#lp-causes``.
PAGE_ID_PREFIX = "lp"

#: The name of every file that :func:`write_weekly_report` can write, with the ISO
#: week in the group ``week``, as in ``failures-2014-W38-daily.png``.
REPORT_FILE_NAME = re.compile(
    r"failures-(?P<week>\d{4}-W\d{2})(?:\.html|\.md|\.csv|-daily\.png|-causes\.png)"
)

_ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")

#: The ParseStats counts the input health section lists, in order.
HEALTH_COUNTS = (
    "lines",
    "records",
    "notifications",
    "requests",
    "malformed",
    "malformed_lines",
    "skipped_spans",
    "skipped_lines",
    "blank_lines",
    "invalid_values",
    "encoding_errors",
)

_TEMPLATES = jinja2.PackageLoader("logparse", "report_templates")


# ---------------------------------------------------------------------------
# Tables, as the templates render them


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell with its text and a style, such as ``num`` for numbers or ``status-new``."""

    text: str
    kind: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    """A table of formatted cells, with a style per column in ``kinds`` like :attr:`Cell.kind`."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    kinds: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.rows)


@dataclass(frozen=True, slots=True)
class Chart:
    """A PNG chart with the file name it gets beside the Markdown report."""

    name: str
    file_name: str
    png: bytes
    alt: str

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass(frozen=True, slots=True)
class WeeklyPaths:
    """The files :func:`write_weekly_report` wrote."""

    html: Path
    markdown: Path
    csv: Path
    charts: tuple[Path, ...]


# ---------------------------------------------------------------------------
# Formatting


def _format_count(value: Any) -> str:
    return f"{int(value):,}"


def _format_time(value: Any) -> str:
    if value is None or pd.isna(value):
        return ""
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M:%S")


def _format_day(value: Any, lang: str) -> str:
    day = pd.Timestamp(value)
    weekday = WEEKDAYS[lang][day.weekday()]
    if lang == "zh-CN":
        return f"{day.year}年{day.month}月{day.day}日 {weekday}"
    return f"{weekday} {day.day} {day.strftime('%b %Y')}"


def _format_duration(value: Any, lang: str) -> str:
    if value is None or pd.isna(value):
        return ""
    seconds = int(pd.Timedelta(value).total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    units = ("小时", "分钟", "秒") if lang == "zh-CN" else ("h", "min", "s")
    amounts = (hours, minutes, seconds)
    parts = [f"{amount} {unit}" for amount, unit in zip(amounts, units, strict=True) if amount]
    return " ".join(parts) or f"0 {units[2]}"


def _format_change(current: int, previous: int, texts: Mapping[str, str]) -> str:
    delta = current - previous
    if delta == 0:
        return "0"
    sign = "+" if delta > 0 else "\u2212"
    detail = texts["change_new"] if previous == 0 else f"{sign}{abs(delta) / previous:.0%}"
    return texts["change_detail"].format(delta=f"{sign}{abs(delta):,}", detail=detail)


def _format_state(label: str, texts: Mapping[str, str]) -> str:
    if not label:
        return texts["no_state"]
    if label.startswith("not "):
        return texts["state_not"].format(states=label.removeprefix("not "))
    return label


def escape_markdown(value: Any) -> str:
    """Escape text for one line of Markdown, such as a table cell.

    Backslashes, the characters of emphasis, code, links and strikethrough, and
    table pipes get a backslash. ``&``, ``<`` and ``>`` become HTML entities,
    so no raw HTML reaches a Markdown renderer. Line breaks become spaces.
    """
    text = replace_control_characters("" if value is None else str(value))
    text = text.replace("\\", "\\\\")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for character in "`*_[]|~#":
        text = text.replace(character, "\\" + character)
    return " ".join(text.splitlines())


def _markdown_block(text: str) -> Markup:
    """Mark text the template built as Markdown, such as a table, so it is not escaped again."""
    return Markup(str(text).rstrip("\n"))


def _finalize_html(value: Any) -> Any:
    # Control characters other than tab and line breaks are parse errors in
    # HTML. Markup is HTML that the report itself wrote.
    if isinstance(value, str) and not isinstance(value, Markup):
        return replace_control_characters(value)
    return value


def _finalize_markdown(value: Any) -> Any:
    # Every {{ value }} of the Markdown template is escaped unless it is Markup,
    # which marks text the report itself wrote as Markdown.
    if isinstance(value, Markup):
        return str(value)
    if isinstance(value, int | float):
        return value
    return escape_markdown(value)


# ---------------------------------------------------------------------------
# The report


@dataclass
class WeeklyReport:
    """The failures of one ISO week, with their tables and charts ready to render.

    Attributes:
        week: the ISO week, such as ``2014-W38``.
        start, end: the Monday 00:00 that starts the week and the next one.
        lang: the language of the text, ``en`` or ``zh-CN``.
        failures: the number of failures in the week.
        headline: metrics of this week against the previous one.
        by_cause_state: the cause by VM state summary of the week.
        week_over_week: each cause of this week and the previous one, with its status.
        daily, incidents, bursts, top_objects, top_operations, top_creators,
            unknown_templates: the analytics tables of the week.
        health: the parse counts of the whole input and the failures without a timestamp.
        hints: the hint of each cause of the week, in ``lang``.
        sources: the names of the inputs.
        charts: the daily chart and the comparison chart.
        time_zone: the name of the timestamps' time zone, or ``""`` for naive timestamps.
        outliers: the timestamps of :func:`logparse.analytics.date_outliers`, in time order.
        coverage: the first and last timestamp of the input inside the week when
            the input starts after the week's Monday or ends before its Sunday,
            else None. Counts of such a week cover only part of it.
        data_range: the first and last timestamp of the whole input, outliers
            left out, or None when no notification has one.
    """

    week: str
    start: pd.Timestamp
    end: pd.Timestamp
    lang: str
    failures: int
    headline: pd.DataFrame
    by_cause_state: pd.DataFrame
    week_over_week: pd.DataFrame
    daily: pd.DataFrame
    incidents: pd.DataFrame
    bursts: pd.DataFrame
    top_objects: pd.DataFrame
    top_operations: pd.DataFrame
    top_creators: pd.DataFrame
    unknown_templates: pd.DataFrame
    health: dict[str, int]
    hints: dict[str, str]
    descriptions: dict[str, str]
    sources: list[str]
    charts: list[Chart] = field(default_factory=list)
    incident_window: str = "60s"
    time_zone: str = ""
    outliers: list[pd.Timestamp] = field(default_factory=list)
    coverage: tuple[pd.Timestamp, pd.Timestamp] | None = None
    data_range: tuple[pd.Timestamp, pd.Timestamp] | None = None

    @property
    def base_name(self) -> str:
        """The file name of the report without extension, such as ``failures-2014-W38``."""
        return f"failures-{self.week}"

    @property
    def previous_week_known(self) -> bool:
        """Whether the input starts before this week, so that it has a record of the week before.

        When it starts inside the week before, the counts of that week are partial.
        """
        return self.data_range is not None and self.data_range[0] < self.start

    # -- rendering ---------------------------------------------------------

    def _context(self, id_prefix: str = PAGE_ID_PREFIX) -> dict[str, Any]:
        texts = messages(self.lang)
        # Six calendar days after the start, because with a time zone a day need not last 24 hours.
        last_day = pd.Timestamp(self.start.date()) + pd.Timedelta(days=6)
        zone = texts["time_zone"].format(zone=self.time_zone) if self.time_zone else ""
        return {
            "report": self,
            "t": texts,
            "lang": self.lang,
            "ids": id_prefix,
            "title": texts["title"].format(week=self.week),
            "period": texts["period"].format(
                start=_format_day(self.start, self.lang),
                end=_format_day(last_day, self.lang),
                week=self.week,
            ),
            "time_zone": zone,
            "outliers_notice": self._outliers_notice(texts),
            "partial_notice": self._partial_notice(texts),
            "no_failures": texts["no_failures"].format(week=self.week),
            "incidents_intro": texts["incidents_intro"].format(
                window=_format_duration(pd.Timedelta(self.incident_window), self.lang)
            ),
            "sources": texts["sources"].format(sources=", ".join(self.sources)),
            "generated_by": texts["generated_by"].format(version=_version()),
            "headline": self._headline_table(texts),
            "cards": self._headline_cards(texts),
            "by_cause_state": self._cause_state_table(texts),
            "hints": [
                {"cause": cause, "description": self.descriptions.get(cause, ""), "hint": hint}
                for cause, hint in self.hints.items()
                if hint
            ],
            "top_objects": self._top_table(self.top_objects, "object", texts),
            "top_operations": self._top_table(self.top_operations, "operation", texts),
            "top_creators": self._top_table(self.top_creators, "creator", texts),
            "incidents": self._incident_table(texts),
            "bursts": self._burst_table(texts),
            "new_regressed": self._status_table(texts, ("new", "regressed"), descriptions=True),
            "all_statuses": self._status_table(texts, analytics.WEEK_STATUSES, descriptions=False),
            "unknown_templates": self._template_table(texts),
            "health": self._health_table(texts),
            "charts": self.charts,
        }

    def to_html(self, *, standalone: bool = True, id_prefix: str | None = None) -> str:
        """Render the report as HTML.

        Parameters
        ----------
        standalone : bool, default True
            Render a whole page (with a Content-Security-Policy that forbids
            scripts and network loads), or else one ``<div>`` for embedding,
            as in a notebook.
        id_prefix : str, optional
            The start of every element id, such as ``lp`` in ``lp-causes``.
            By default a page uses ``lp``, so the same report gives the same
            bytes, and each embedded ``<div>`` gets a new random prefix, so
            that two reports in one notebook share no id.

        Raises
        ------
        ValueError
            If ``id_prefix`` is not a letter followed by letters, digits, ``-`` or ``_``.
        """
        if id_prefix is None:
            id_prefix = PAGE_ID_PREFIX if standalone else f"lp-{uuid.uuid4().hex[:12]}"
        elif not _ID_PREFIX.fullmatch(id_prefix):
            raise ValueError(
                f"invalid id_prefix {id_prefix!r}: use a letter followed by at most 63 "
                "letters, digits, '-' or '_'"
            )
        environment = jinja2.Environment(
            loader=_TEMPLATES,
            autoescape=True,
            finalize=_finalize_html,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )
        template = environment.get_template("weekly.html.j2")
        return template.render(standalone=standalone, **self._context(id_prefix))

    def to_markdown(self) -> str:
        """Render the report as Markdown that links its charts by file name."""
        environment = jinja2.Environment(
            loader=_TEMPLATES,
            autoescape=False,
            finalize=_finalize_markdown,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=jinja2.StrictUndefined,
        )
        environment.filters["md"] = _markdown_block
        template = environment.get_template("weekly.md.j2")
        return template.render(**self._context())

    def _repr_html_(self) -> str:
        return self.to_html(standalone=False)

    def table_for_csv(self) -> pd.DataFrame:
        """Return the cause by VM state table with each cause's description and hint.

        The column names and the ``cause`` and ``vm_state`` values are the same
        in every language, because scripts read the CSV file. Only the
        ``description`` and ``hint`` text follows ``lang``.
        """
        table = self.by_cause_state.copy()
        table.insert(1, "description", table["cause"].map(self.descriptions).fillna(""))
        table["hint"] = table["cause"].map(self.hints).fillna("")
        return table

    def write(self, output_dir: str | Path) -> WeeklyPaths:
        """Write the HTML, Markdown and CSV files and the chart PNGs into ``output_dir``.

        The folder is created when missing, and files of the same week are
        replaced. The CSV file starts with a UTF-8 byte order mark, so that
        spreadsheets read its Chinese text correctly.

        Each file is written under a temporary name and then renamed, so a
        failed write, such as on a full disk, leaves the files of an earlier
        run as they were. Only a failed rename, such as onto a directory of
        the same name, can leave files of both runs. The OSError raised names
        the report file, not the temporary one. An ``output_dir`` that exists
        and is not a directory raises NotADirectoryError.
        """
        folder = Path(output_dir)
        if folder.exists() and not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
        folder.mkdir(parents=True, exist_ok=True)
        html = folder / f"{self.base_name}.html"
        markdown = folder / f"{self.base_name}.md"
        csv = folder / f"{self.base_name}.csv"
        chart_paths = [folder / chart.file_name for chart in self.charts]

        table = io.StringIO()
        write_csv(self.table_for_csv(), table)
        contents = {
            **{path: chart.png for path, chart in zip(chart_paths, self.charts, strict=True)},
            html: self.to_html().encode("utf-8"),
            markdown: self.to_markdown().encode("utf-8"),
            csv: table.getvalue().encode("utf-8-sig"),
        }
        _replace_files(contents)

        logger.info("wrote the weekly report of %s to %s", self.week, folder)
        return WeeklyPaths(html=html, markdown=markdown, csv=csv, charts=tuple(chart_paths))

    def _partial_notice(self, texts: Mapping[str, str]) -> str:
        if self.data_range is None:
            return ""
        first, last = self.data_range
        if last < self.start or first >= self.end:
            return texts["outside_week"].format(first=_format_time(first), last=_format_time(last))
        notices = []
        if self.coverage:
            notices.append(
                texts["partial_week"].format(
                    first=_format_time(self.coverage[0]), last=_format_time(self.coverage[1])
                )
            )
        previous_monday = (self.start - pd.Timedelta(days=7)).date()
        if not self.previous_week_known:
            notices.append(texts["previous_unknown"].format(first=_format_time(first)))
        elif first.date() > previous_monday:
            notices.append(texts["partial_previous"].format(first=_format_time(first)))
        return " ".join(notices)

    def _outliers_notice(self, texts: Mapping[str, str]) -> str:
        if not self.outliers:
            return ""
        distinct = list(dict.fromkeys(_format_time(stamp) for stamp in self.outliers))
        dates = texts["list_separator"].join(distinct[:OUTLIER_DATES_SHOWN])
        if len(distinct) > OUTLIER_DATES_SHOWN:
            dates = texts["outliers_more"].format(
                dates=dates, count=len(distinct) - OUTLIER_DATES_SHOWN
            )
        return texts["outliers_notice"].format(dates=dates)

    # -- tables --------------------------------------------------------------

    def _format_previous_count(self, value: Any, texts: Mapping[str, str]) -> str:
        """Format a count of the previous week, which is not known when the input starts later."""
        return _format_count(value) if self.previous_week_known else texts["not_known"]

    def _format_week_change(self, current: int, previous: int, texts: Mapping[str, str]) -> str:
        if not self.previous_week_known:
            return texts["not_known"]
        return _format_change(current, previous, texts)

    def _headline_table(self, texts: Mapping[str, str]) -> Table:
        rows = []
        for metric, row in self.headline.iterrows():
            current, previous = int(row["this_week"]), int(row["previous_week"])
            rows.append(
                (
                    Cell(texts[str(metric)]),
                    Cell(_format_count(current), "num"),
                    Cell(self._format_previous_count(previous, texts), "num"),
                    Cell(self._format_week_change(current, previous, texts), "num"),
                )
            )
        columns = (texts["metric"], texts["this_week"], texts["previous_week"], texts["change"])
        return Table(columns, tuple(rows), ("", "num", "num", "num"))

    def _headline_cards(self, texts: Mapping[str, str]) -> list[dict[str, str]]:
        cards = []
        for metric, row in self.headline.iterrows():
            current, previous = int(row["this_week"]), int(row["previous_week"])
            if not self.previous_week_known:
                trend = "same"
            elif current > previous:
                trend = "up"
            elif current < previous:
                trend = "down"
            else:
                trend = "same"
            cards.append(
                {
                    "label": texts[str(metric)],
                    "value": _format_count(current),
                    "change": self._format_week_change(current, previous, texts),
                    "previous": texts["previous_value"].format(
                        value=self._format_previous_count(previous, texts)
                    ),
                    "trend": trend,
                }
            )
        return cards

    def _cause_state_table(self, texts: Mapping[str, str]) -> Table:
        rows = tuple(
            (
                Cell(row["cause"], "code"),
                Cell(_format_state(row["vm_state"], texts), "nowrap"),
                Cell(_format_count(row["count"]), "num"),
                Cell(_format_time(row["first_seen"]), "time"),
                Cell(_format_time(row["last_seen"]), "time"),
                Cell(row["example"], "message"),
            )
            for _, row in self.by_cause_state.iterrows()
        )
        columns = (
            texts["cause"],
            texts["vm_state"],
            texts["count"],
            texts["first_seen"],
            texts["last_seen"],
            texts["example"],
        )
        return Table(columns, rows, ("", "nowrap", "num", "time", "time", ""))

    def _top_table(self, table: pd.DataFrame, key: str, texts: Mapping[str, str]) -> Table:
        rows = tuple(
            (
                Cell(row[key], "code" if key == "operation" else "nowrap"),
                Cell(_format_count(row["count"]), "num"),
                Cell(row["top_cause"], "code"),
                Cell(_format_time(row["first_seen"]), "time"),
                Cell(_format_time(row["last_seen"]), "time"),
            )
            for _, row in table.iterrows()
        )
        columns = (
            texts[key],
            texts["count"],
            texts["top_cause"],
            texts["first_seen"],
            texts["last_seen"],
        )
        return Table(columns, rows, ("", "num", "", "time", "time"))

    def _incident_table(self, texts: Mapping[str, str]) -> Table:
        largest = self.incidents.sort_values(
            ["count", "first_seen"], ascending=[False, True], kind="stable"
        ).head(TOP_ROWS)
        rows = tuple(
            (
                Cell(row["cause"], "code"),
                Cell(row["object"], "nowrap"),
                Cell(row["creator"], "nowrap"),
                Cell(_format_count(row["count"]), "num"),
                Cell(_format_time(row["first_seen"]), "time"),
                Cell(_format_duration(row["duration"], self.lang), "num"),
                Cell(row["example"], "message"),
            )
            for _, row in largest.iterrows()
        )
        columns = (
            texts["cause"],
            texts["object"],
            texts["creator"],
            texts["incident_repeats"],
            texts["first_seen"],
            texts["incident_duration"],
            texts["example"],
        )
        return Table(columns, rows, ("", "nowrap", "nowrap", "num", "time", "num", ""))

    def _burst_table(self, texts: Mapping[str, str]) -> Table:
        rows = tuple(
            (
                Cell(f"{_format_time(row['start'])[:-3]} \u2013 {row['end']:%H:%M}", "time"),
                Cell(_format_count(row["count"]), "num"),
                Cell(row["top_cause"], "code"),
                Cell(_format_count(row["top_cause_count"]), "num"),
            )
            for _, row in self.bursts.iterrows()
        )
        columns = (texts["hour"], texts["count"], texts["top_cause"], texts["top_cause_count"])
        return Table(columns, rows, ("time", "num", "", "num"))

    def _status_table(
        self, texts: Mapping[str, str], statuses: Sequence[str], *, descriptions: bool
    ) -> Table:
        table = self.week_over_week[self.week_over_week["status"].isin(statuses)]
        order = {status: index for index, status in enumerate(analytics.WEEK_STATUSES)}
        table = table.sort_values("status", key=lambda column: column.map(order), kind="stable")
        rows = []
        for _, row in table.iterrows():
            cells = [
                Cell(status_name(row["status"], self.lang), f"status-{row['status']}"),
                Cell(row["cause"], "code"),
                Cell(_format_count(row["this_week"]), "num"),
                Cell(self._format_previous_count(row["last_week"], texts), "num"),
                Cell(_format_time(row["first_seen"]), "time"),
            ]
            if descriptions:
                cells.append(Cell(self.descriptions.get(row["cause"], ""), "text"))
            rows.append(tuple(cells))
        columns = [
            texts["status"],
            texts["cause"],
            texts["this_week"],
            texts["previous_week"],
            texts["first_seen"],
        ]
        kinds = ["", "", "num", "num", "time"]
        if descriptions:
            columns.append(texts["description"])
            kinds.append("text")
        return Table(tuple(columns), tuple(rows), tuple(kinds))

    def _template_table(self, texts: Mapping[str, str]) -> Table:
        rows = tuple(
            (
                Cell(row["template"], "message"),
                Cell(row["operation"], "code"),
                Cell(_format_count(row["count"]), "num"),
                Cell(_format_time(row["first_seen"]), "time"),
                Cell(row["example"], "message"),
            )
            for _, row in self.unknown_templates.head(TOP_ROWS).iterrows()
        )
        columns = (
            texts["template"],
            texts["operation"],
            texts["count"],
            texts["first_seen"],
            texts["example"],
        )
        return Table(columns, rows, ("", "", "num", "time", ""))

    def _health_table(self, texts: Mapping[str, str]) -> Table:
        rows = tuple(
            (Cell(texts[f"health_{name}"]), Cell(_format_count(value), "num"))
            for name, value in self.health.items()
        )
        return Table((texts["metric"], texts["health_value"]), rows, ("", "num"))


def _replace_files(contents: Mapping[Path, bytes]) -> None:
    """Write each file under a temporary name in its folder, then rename them all.

    On POSIX, a rename within a folder replaces a file atomically. An OSError
    names the report file it was for, and no temporary file is left behind
    unless removing it fails too.
    """
    temporary: dict[Path, Path] = {}
    current = None
    try:
        for path, data in contents.items():
            current = path
            # Starts with a dot, so listings and globs such as *.html skip it.
            temporary[path] = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
            with open(temporary[path], "xb") as file:
                file.write(data)
        for path, temporary_path in list(temporary.items()):
            current = path
            os.replace(temporary_path, path)
            del temporary[path]
    except OSError as error:
        for temporary_path in temporary.values():
            with contextlib.suppress(OSError):
                temporary_path.unlink(missing_ok=True)
        reason = error.strerror or str(error)
        raise OSError(error.errno, reason, str(current)) from error


def _version() -> str:
    from logparse import __version__

    return __version__


# ---------------------------------------------------------------------------
# Building


def _check_input(df: pd.DataFrame) -> None:
    stats = df.attrs.get("stats") or {}
    if df.empty:
        raise NoNotificationsError(
            "no notification records in the input "
            f"({stats.get('lines', 0):,} lines read, {stats.get('malformed', 0):,} malformed "
            f"records, {stats.get('skipped_lines', 0):,} skipped lines): a weekly report needs "
            "Sunstone notifications such as "
            "{ id: -1,content: [ImageAllocate] ...,creator: ops1,date: 2014-09-18,"
            "time: 01:54:27,type: ERROR_MSG }"
        )
    if df["timestamp"].isna().all():
        raise NoNotificationsError(
            f"none of the {len(df):,} notifications has a date and time, "
            "so they fall in no ISO week"
        )


def _default_classifier() -> Any:
    from logparse.causes import default_classifier

    return default_classifier()


def _between(df: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    stamps = df["timestamp"]
    return df.loc[(stamps >= start) & (stamps < end)]


def _headline(this_week: pd.DataFrame, previous_week: pd.DataFrame, window: str) -> pd.DataFrame:
    def metrics(frame: pd.DataFrame) -> dict[str, int]:
        failed = analytics.failures(frame)
        return {
            "metric_failures": len(failed),
            "metric_incidents": len(analytics.incidents(failed, window)),
            "metric_causes": int(failed["cause"].nunique()),
            # A type without an id, such as "VM", may stand for any number of objects.
            "metric_objects": len(
                failed.loc[failed["object_id"].notna(), ["object_type", "object_id"]]
                .astype(object)
                .drop_duplicates()
            ),
            "metric_creators": int(failed["creator"].nunique()),
            "metric_unknown": int((failed["cause"].astype(object) == "unknown").sum()),
        }

    current, previous = metrics(this_week), metrics(previous_week)
    return pd.DataFrame(
        {"this_week": pd.Series(current), "previous_week": pd.Series(previous)}
    ).astype("int64")


def _health(df: pd.DataFrame, failures_in_week: int, outliers: int) -> dict[str, int]:
    stats = df.attrs.get("stats") or {}
    health = {name: int(stats.get(name, 0)) for name in HEALTH_COUNTS}
    failed = analytics.failures(df)
    health["failures_total"] = len(failed)
    health["failures_week"] = failures_in_week
    health["undated"] = int(failed["timestamp"].isna().sum())
    health["outliers"] = outliers
    return health


def _warn_outliers(outliers: pd.Series, week: str) -> None:
    distinct = list(dict.fromkeys(_format_time(stamp) for stamp in outliers))
    dates = ", ".join(distinct[:OUTLIER_DATES_SHOWN])
    if len(distinct) > OUTLIER_DATES_SHOWN:
        dates += f" and {len(distinct) - OUTLIER_DATES_SHOWN:,} more"
    noun = "notification" if len(outliers) == 1 else "notifications"
    logger.warning(
        "%s %s dated in the future or long after the rest of the input (%s) did not count "
        "when choosing the week. The report covers %s. Name another week with --week "
        "(week= in Python) to report on it.",
        f"{len(outliers):,}",
        noun,
        dates,
        week,
    )


def _charts(
    report_week: str,
    daily: pd.DataFrame,
    comparison: pd.DataFrame,
    lang: str,
    catalog_order: Sequence[str],
) -> list[Chart]:
    texts = messages(lang)
    base = f"failures-{report_week}"
    charts = [
        Chart(
            name="daily",
            file_name=f"{base}-daily.png",
            png=plot_daily_failures(
                daily, week=report_week, lang=lang, catalog_order=catalog_order
            ),
            alt=texts["daily_alt"].format(week=report_week),
        )
    ]
    if not comparison.empty:
        charts.append(
            Chart(
                name="comparison",
                file_name=f"{base}-causes.png",
                png=plot_week_comparison(comparison, week=report_week, lang=lang),
                alt=texts["comparison_alt"].format(week=report_week),
            )
        )
    return charts


def build_weekly_report(
    df: pd.DataFrame,
    *,
    week: str | None = None,
    lang: str = "en",
    classifier: Any = None,
    incident_window: str = "60s",
    now: Any = None,
) -> WeeklyReport:
    """Compute the failure report of one ISO week.

    Parameters
    ----------
    df : DataFrame
        The notifications, as returned by :func:`logparse.read_log`, with the
        parse counts in ``df.attrs["stats"]``.
    week : str, optional
        The ISO week, such as ``2014-W38``. By default the last complete week
        in the data, as chosen by :func:`logparse.analytics.last_complete_week`,
        which leaves out the dates of :func:`logparse.analytics.date_outliers`.
        The report lists those dates, and a warning names them when this
        default week is used.
    lang : {"en", "zh-CN"}, default "en"
        The language of headings, labels, hints and chart text.
    classifier : Classifier, optional
        The cause catalog whose descriptions and hints the report shows; by
        default :func:`logparse.causes.default_classifier`.
    incident_window : str, default "60s"
        The largest gap between repeats of one incident, as in
        :func:`logparse.analytics.incidents`.
    now : datetime-like, optional
        The current time, which decides what dates lie in the future. By
        default it is the clock of this machine.

    Timestamps may carry a time zone. The week then starts at Monday midnight
    in that zone, and the report names the zone.

    Returns
    -------
    WeeklyReport

    Raises
    ------
    NoNotificationsError
        If ``df`` contains no notification, or none with a date and time.
    ValueError
        If ``week`` or ``lang`` is invalid.
    """
    lang = normalize_language(lang)
    _check_input(df)
    outliers = analytics.date_outliers(df, now=now)
    chosen = week is None
    if week is None:
        week = analytics.last_complete_week(df, now=now)
    tz = getattr(df["timestamp"].dtype, "tz", None)
    naive_start, _ = analytics.iso_week_bounds(week)
    week = analytics.iso_week_of(naive_start)
    start, end = analytics.iso_week_bounds(week, tz)
    # The previous week by name, because with a time zone a week need not last 7 × 24 hours.
    previous_start, _ = analytics.iso_week_bounds(
        analytics.iso_week_of(naive_start - pd.Timedelta(days=7)), tz
    )
    if chosen and not outliers.empty:
        _warn_outliers(outliers, week)
    data_range = _data_range(df, outliers)
    if data_range is not None and (data_range[1] < start or data_range[0] >= end):
        logger.warning(
            "%s is outside the input, which runs from %s to %s",
            week,
            _format_time(data_range[0]),
            _format_time(data_range[1]),
        )
    classifier = classifier if classifier is not None else _default_classifier()

    this_week = _between(df, start, end)
    previous_week = _between(df, previous_start, start)
    failures_in_week = len(analytics.failures(this_week))
    if not failures_in_week:
        logger.info("no failures in %s", week)

    by_cause_state = analytics.summarize_failures(this_week, by=("cause", "vm_state"))
    week_over_week = analytics.week_over_week(df, week)
    daily = analytics.daily_counts(this_week, start=start, end=end)
    causes = list(dict.fromkeys([*by_cause_state["cause"], *week_over_week["cause"]]))
    catalog_order = [cause.id for cause in classifier.causes]

    # NOTE: an incident that spans midnight between Sunday and Monday counts in both weeks.
    return WeeklyReport(
        week=week,
        start=start,
        end=end,
        lang=lang,
        failures=failures_in_week,
        headline=_headline(this_week, previous_week, incident_window),
        by_cause_state=by_cause_state,
        week_over_week=week_over_week,
        daily=daily,
        incidents=analytics.incidents(this_week, incident_window),
        bursts=analytics.bursts(this_week),
        top_objects=analytics.top_objects(this_week, TOP_ROWS),
        top_operations=analytics.top_operations(this_week, TOP_ROWS),
        top_creators=analytics.top_creators(this_week, TOP_ROWS),
        unknown_templates=analytics.unknown_templates(this_week),
        health=_health(df, failures_in_week, len(outliers)),
        hints={cause: cause_hint(cause, lang, classifier) for cause in by_cause_state["cause"]},
        descriptions={cause: cause_description(cause, lang, classifier) for cause in causes},
        sources=[str(name) for name in pd.unique(df["source"].astype(object).dropna())],
        charts=_charts(week, daily, week_over_week, lang, catalog_order),
        incident_window=incident_window,
        time_zone="" if tz is None else str(tz),
        outliers=list(outliers),
        coverage=_coverage(df, outliers, start, end),
        data_range=data_range,
    )


def _data_range(df: pd.DataFrame, outliers: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    stamps = pd.Series(df["timestamp"]).dropna().drop(index=outliers.index, errors="ignore")
    if stamps.empty:
        return None
    return pd.Timestamp(stamps.min()), pd.Timestamp(stamps.max())


def _coverage(
    df: pd.DataFrame, outliers: pd.Series, start: pd.Timestamp, end: pd.Timestamp
) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Return the first and last timestamp inside the week when the input covers only part of it.

    The input covers the whole week when it starts on or before the Monday and
    reaches the Sunday, the rule of :func:`logparse.analytics.last_complete_week`.
    Outlying dates do not count, so a record dated 2099 does not make the last
    week of the data look complete.
    """
    stamps = pd.Series(df["timestamp"]).dropna()
    stamps = stamps.drop(index=outliers.index, errors="ignore")
    inside = stamps[(stamps >= start) & (stamps < end)]
    if stamps.empty or inside.empty:
        return None
    last_day = (start + pd.Timedelta(days=6)).date()
    if stamps.min().date() <= start.date() and stamps.max().date() >= last_day:
        return None
    return pd.Timestamp(inside.min()), pd.Timestamp(inside.max())


def write_weekly_report(
    df: pd.DataFrame,
    *,
    week: str | None = None,
    output_dir: str | Path,
    lang: str = "en",
    classifier: Any = None,
) -> WeeklyPaths:
    """Build the report of one ISO week and write its files into ``output_dir``.

    The files are ``failures-<week>.html`` (self-contained, charts embedded),
    ``failures-<week>.md`` with ``failures-<week>-daily.png`` and
    ``failures-<week>-causes.png`` beside it, and ``failures-<week>.csv``.
    The parameters are those of :func:`build_weekly_report`.

    Returns
    -------
    WeeklyPaths
        The paths of the files written.

    Raises
    ------
    NoNotificationsError
        If ``df`` contains no notification, or none with a date and time.
    ValueError
        If ``week`` or ``lang`` is invalid.
    OSError
        If a file cannot be written. Its ``filename`` is the report file's
        path, and the files of an earlier run are kept, as
        :meth:`WeeklyReport.write` describes.
    """
    report = build_weekly_report(df, week=week, lang=lang, classifier=classifier)
    return report.write(output_dir)
