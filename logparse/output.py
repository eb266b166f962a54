"""Write events and report tables as JSON Lines, CSV, JSON, Markdown or text.

JSON output is strict JSON: a NaN or infinite number, such as a ``limit`` of
``inf`` that a rule captured, is written as null. CSV, Markdown and text
tables show control characters other than tab and line breaks as visible
symbols (see :func:`logparse.csvsafe.replace_control_characters`), while JSON
escapes them.
"""

from __future__ import annotations

import csv
import math
import re
import shutil
import textwrap
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import IO, Any

import pandas as pd

from logparse.csvsafe import csv_cell, dump_strict_json, replace_control_characters, write_csv
from logparse.events import NotificationEvent, RequestEvent

__all__ = [
    "NOTIFICATION_KEYS",
    "REQUEST_KEYS",
    "event_to_dict",
    "write_events",
    "write_table",
]

#: JSON Lines keys of a notification, in output order.
NOTIFICATION_KEYS = (
    "kind",
    "id",
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
    "action",
    "template",
    "details",
    "extra",
    "source",
    "line",
    "end_line",
)

#: JSON Lines keys of a request body, in output order.
REQUEST_KEYS = ("kind", "action", "params", "extra", "source", "line", "end_line")

# Line breaks and tabs, which become spaces in a table cell. Other control
# characters become visible symbols, and bidirectional overrides U+FFFD.
_LAYOUT_CONTROL = re.compile(r"[\t\n\r\u2028\u2029]")
# Characters that Markdown reads as syntax: emphasis, links, code, tables. An
# underscore inside a word, as in vm_state, starts no emphasis and stays as is.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*{}\[\]()#+!|~]|(?<!\w)_|_(?!\w)")

#: Widest cell of the plain-text table; longer text is cut with "…".
MAX_CELL_WIDTH = 100

_TABLE_COLUMNS = ("line", "timestamp", "creator", "cause", "vm_state", "object", "message")


def event_to_dict(event: NotificationEvent | RequestEvent) -> dict[str, Any]:
    """Return the JSON-ready fields of an event, in output order."""
    keys = NOTIFICATION_KEYS if isinstance(event, NotificationEvent) else REQUEST_KEYS
    record = {}
    for key in keys:
        value = getattr(event, key)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, Mapping):
            value = dict(value)
        record[key] = value
    return record


def write_events(
    events: Iterable[NotificationEvent | RequestEvent],
    file: IO[str],
    output_format: str,
    *,
    flush_each: bool = False,
) -> int:
    """Write events in ``jsonl``, ``csv`` or ``table`` format and return their count.

    With ``flush_each``, JSON Lines and CSV output is written and flushed one
    event at a time, as each arrives, so that a reader of a pipe receives it
    at once. The bytes are the same either way. A table needs every row to align
    its columns, so it is written once all events are read, with or without
    ``flush_each``.
    """
    if output_format == "jsonl":
        return _write_jsonl(events, file, flush_each)
    if output_format == "csv" and flush_each:
        return _write_csv_each(events, file)
    if output_format == "csv":
        rows = [_flat_row(event) for event in events]
        # dtype=object keeps integer ids as integers where some rows have none.
        write_csv(pd.DataFrame(rows, columns=list(_csv_columns()), dtype=object), file)
        return len(rows)
    if output_format == "table":
        rows = [_table_row(event) for event in events]
        frame = pd.DataFrame(rows, columns=list(_TABLE_COLUMNS))
        file.write(_to_text(frame) + "\n")
        return len(rows)
    raise ValueError(f"unknown output format {output_format!r}: use jsonl, csv or table")


def _write_jsonl(
    events: Iterable[NotificationEvent | RequestEvent], file: IO[str], flush_each: bool
) -> int:
    count = 0
    for event in events:
        file.write(dump_strict_json(event_to_dict(event)))
        file.write("\n")
        if flush_each:
            file.flush()
        count += 1
    return count


def _write_csv_each(events: Iterable[NotificationEvent | RequestEvent], file: IO[str]) -> int:
    """Write CSV one row at a time, flushing the header and each row.

    write_csv builds the CSV from all rows at once with pandas. This writes the
    same cells with the csv module, in the dialect pandas uses (minimal quoting
    and "\\n" line ends), so the bytes are the same.
    """
    writer = csv.writer(file, lineterminator="\n")
    columns = _csv_columns()
    writer.writerow(columns)
    file.flush()
    count = 0
    for event in events:
        row = _flat_row(event)
        writer.writerow([csv_cell(row.get(column)) for column in columns])
        file.flush()
        count += 1
    return count


def _csv_columns() -> tuple[str, ...]:
    extra = tuple(key for key in REQUEST_KEYS if key not in NOTIFICATION_KEYS)
    return NOTIFICATION_KEYS + extra


def _flat_row(event: NotificationEvent | RequestEvent) -> dict[str, Any]:
    row = event_to_dict(event)
    for key, value in row.items():
        if isinstance(value, list):
            row[key] = "/".join(str(item) for item in value)
        elif isinstance(value, dict):
            row[key] = dump_strict_json(value) if value else ""
    return row


def _table_row(event: NotificationEvent | RequestEvent) -> dict[str, Any]:
    if isinstance(event, RequestEvent):
        params = dump_strict_json(dict(event.params))
        return {
            "line": event.line,
            "cause": "(request)",
            "message": f"{event.action} {params}",
        }
    obj = f"{event.object_type} {event.object_id}" if event.object_type else ""
    if event.object_type and event.object_id is None:
        obj = event.object_type
    state = event.vm_state or ""
    if not state and event.required_states:
        state = "not " + "/".join(event.required_states)
    return {
        "line": event.line,
        "timestamp": event.timestamp.isoformat(sep=" ") if event.timestamp else "",
        "creator": event.creator or "",
        "cause": event.cause,
        "vm_state": state,
        "object": obj,
        "message": _shorten(event.message, 70),
    }


def describe_causes(
    rows: Sequence[Mapping[str, str]],
    rule_ids: Mapping[str, Sequence[str]],
    width: int | None = None,
) -> str:
    """Render catalog rows in full, one block per cause, wrapped to ``width``.

    ``rule_ids`` maps a cause id to the ids of the rules that give it, in the
    order they are tried.
    """
    width = width or min(shutil.get_terminal_size((88, 24)).columns, 100)
    blocks = []
    for row in rows:
        lines = [row["id"]]
        rules = ", ".join(rule_ids.get(row["id"], ())) or "none"
        for label, text in (
            ("description", row["description"]),
            ("example", row["example"]),
            ("hint", row["hint"]),
            ("rules", rules),
        ):
            lines.extend(
                textwrap.wrap(
                    replace_control_characters(text or "-"),
                    width=width,
                    initial_indent=f"  {label + ':':<13}",
                    subsequent_indent=" " * 15,
                    break_on_hyphens=False,
                )
            )
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def write_table(frame: pd.DataFrame, file: IO[str], output_format: str) -> None:
    """Write a report table as ``table``, ``csv``, ``json`` or ``markdown``."""
    if output_format == "csv":
        write_csv(frame, file)
    elif output_format == "json":
        records = [
            {key: _json_value(value) for key, value in row.items()}
            for row in frame.to_dict(orient="records")
        ]
        file.write(dump_strict_json(records, indent=2) + "\n")
    elif output_format == "markdown":
        file.write(_to_markdown(frame) + "\n")
    elif output_format == "table":
        file.write(_to_text(frame) + "\n")
    else:
        raise ValueError(
            f"unknown output format {output_format!r}: use table, csv, json or markdown"
        )


def _is_missing(value: Any) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _json_value(value: Any) -> Any:
    if _is_missing(value):
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def _cell_text(value: Any) -> str:
    if _is_missing(value):
        return ""
    if isinstance(value, pd.Timestamp | datetime):
        return value.isoformat(sep=" ")
    # A line break inside a cell would start a new row, a bidirectional
    # override would reorder the text around it, and a terminal would run an
    # escape sequence.
    return replace_control_characters(_LAYOUT_CONTROL.sub(" ", str(value)))


def _to_text(frame: pd.DataFrame) -> str:
    """Format ``frame`` as a plain-text table with left-aligned text and no index."""
    if frame.empty:
        return "(no rows)"
    cells = [
        [_shorten(_cell_text(value), MAX_CELL_WIDTH) for value in row]
        for row in frame.itertuples(index=False)
    ]
    headers = [str(column) for column in frame.columns]
    widths = [
        max([_display_width(header)] + [_display_width(row[index]) for row in cells])
        for index, header in enumerate(headers)
    ]
    lines = [_pad_row(headers, widths)]
    lines.extend(_pad_row(row, widths) for row in cells)
    return "\n".join(lines)


def _display_width(text: str) -> int:
    """Columns a terminal uses for ``text``: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad_row(cells: list[str], widths: list[int]) -> str:
    padded = [
        cell + " " * (width - _display_width(cell))
        for cell, width in zip(cells, widths, strict=True)
    ]
    return "  ".join(padded).rstrip()


def _markdown_cell(value: Any) -> str:
    text = _cell_text(value)
    text = _MARKDOWN_SPECIAL.sub(r"\\\g<0>", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _to_markdown(frame: pd.DataFrame) -> str:
    headers = [_markdown_cell(column) for column in frame.columns]
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(_markdown_cell(value) for value in row) + " |")
    return "\n".join(lines)
