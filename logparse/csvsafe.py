"""CSV export that spreadsheets cannot run as formulas.

Log text is untrusted: a message such as ``=HYPERLINK("http://evil", "x")``
becomes a live formula when a spreadsheet opens the CSV file. Following the
OWASP "CSV Injection" advice, every text cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading apostrophe, which
spreadsheets read as "this cell is text" and do not show. Numbers, dates and
booleans are not text: a negative number stays a number.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

import pandas as pd

__all__ = ["FORMULA_PREFIXES", "neutralize_formula", "write_csv"]

#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formula(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would run as a formula with ``'``.

    Parameters
    ----------
    value : Any
        A cell value. Only ``str`` values change.

    Returns
    -------
    Any
        ``"'" + value`` when ``value`` is a string starting with one of
        :data:`FORMULA_PREFIXES`, else ``value`` itself.

    Examples
    --------
    >>> neutralize_formula('=HYPERLINK("http://example.invalid", "open")')
    '\\'=HYPERLINK("http://example.invalid", "open")'
    >>> neutralize_formula("-1")
    "'-1"
    >>> neutralize_formula(-1)
    -1
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _text_cell(value: Any) -> Any:
    # Tuples, lists and dicts (required_states, details, extra) become JSON text.
    if isinstance(value, Mapping | list | tuple):
        value = json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
    return neutralize_formula(value)


def _is_text_column(column: pd.Series) -> bool:
    dtype = column.dtype
    return (
        pd.api.types.is_object_dtype(dtype)
        or isinstance(dtype, pd.CategoricalDtype | pd.StringDtype)
        or pd.api.types.is_string_dtype(dtype)
    )


def _safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    safe = frame.copy()
    for name in safe.columns:
        column = safe[name]
        if _is_text_column(column):
            safe[name] = pd.Series(
                [_text_cell(value) for value in column.astype(object)],
                index=column.index,
                dtype=object,
            )
    return safe


def write_csv(
    data: pd.DataFrame | Iterable[Mapping[str, Any]],
    file: str | os.PathLike[str] | IO[str],
    *,
    columns: Sequence[str] | None = None,
    encoding: str = "utf-8",
) -> None:
    """Write a DataFrame or rows to CSV with every text cell neutralised.

    Parameters
    ----------
    data : DataFrame or iterable of mappings
        The table to write. Rows are mappings from column name to value; the
        columns are those of the first row unless ``columns`` is given.
    file : path or text file object
        Where to write. A path is opened with ``encoding`` and replaced.
    columns : sequence of str, optional
        The columns to write, in order.
    encoding : str, default ``"utf-8"``
        The encoding of a path. ``"utf-8-sig"`` adds the byte order mark that
        Excel needs to read UTF-8. It is ignored for a file object.

    Notes
    -----
    Text cells are the cells of ``object``, ``string`` and ``category``
    columns. Their ``str`` values go through :func:`neutralize_formula`, and
    their tuples, lists and dicts are written as JSON. Cells of numeric,
    datetime and boolean columns are written as pandas writes them, with
    empty cells for missing values.
    """
    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame.from_records(list(data))
    if columns is not None:
        frame = frame.reindex(columns=list(columns))
    safe = _safe_frame(frame)

    if isinstance(file, str | os.PathLike):
        with open(file, "w", encoding=encoding, newline="") as handle:
            safe.to_csv(handle, index=False, lineterminator="\n")
    else:
        safe.to_csv(file, index=False, lineterminator="\n")
