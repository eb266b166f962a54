"""Make untrusted log text safe to write: formula-safe CSV, visible controls, strict JSON.

Log text is untrusted: a message such as ``=HYPERLINK("http://evil", "x")``
becomes a live formula when a spreadsheet opens the CSV file. Following the
OWASP "CSV Injection" advice, every text cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading apostrophe, which
spreadsheets read as "this cell is text" and do not show. Numbers, dates and
booleans are not text: a negative number stays a number.

Log text may also contain control characters, such as NUL, which some CSV
readers reject and which are parse errors in HTML. :func:`replace_control_characters`
makes them visible, and :func:`dump_strict_json` writes JSON without the
``NaN`` and ``Infinity`` tokens that strict JSON parsers reject.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

import pandas as pd

__all__ = [
    "FORMULA_PREFIXES",
    "csv_cell",
    "dump_strict_json",
    "neutralize_formula",
    "replace_control_characters",
    "write_csv",
]

#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# C0 controls except tab, line feed and carriage return, then DEL and the C1
# controls. The WHATWG HTML parser reports each of them except form feed as a
# parse error ("control-character-in-input-stream", for NUL
# "unexpected-null-character"). The last range is the surrogates, because a
# lone surrogate, as from the JSON escape "\ud800" in a record, makes UTF-8
# encoding raise. The bidirectional embeddings, overrides and isolates
# (U+202A to U+202E, U+2066 to U+2069) are in too: in a report they can make
# text read in another order than it is stored.
_CONTROL_CHARACTERS = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)

# Unicode's Control Pictures block has one visible symbol for each C0 control,
# at U+2400 plus its code, and U+2421 for DEL. C1 controls have none.
_CONTROL_PICTURES = {
    **{code: 0x2400 + code for code in range(0x20) if chr(code) not in "\t\n\r"},
    0x7F: 0x2421,
    **{code: 0xFFFD for code in range(0x80, 0xA0)},
    **{code: 0xFFFD for code in range(0x202A, 0x202F)},
    **{code: 0xFFFD for code in range(0x2066, 0x206A)},
    **{code: 0xFFFD for code in range(0xD800, 0xE000)},
}


def replace_control_characters(text: str) -> str:
    """Replace control characters other than tab and line breaks with visible ones.

    A C0 control becomes its symbol from the Unicode Control Pictures block,
    so NUL becomes ␀ (U+2400) and ESC becomes ␛ (U+241B), and DEL becomes
    ␡ (U+2421). Each symbol stands for one control, so the original text can
    be recovered unless it already contained such symbols.
    C1 controls (U+0080 to U+009F) have no such symbols and become U+FFFD, as
    do bidirectional overrides and isolates, and lone surrogates, which cannot
    be encoded. Tab, line feed and carriage return are kept.

    Examples
    --------
    >>> replace_control_characters("disk\\x00name\\x1b[31m")
    'disk␀name␛[31m'
    """
    if _CONTROL_CHARACTERS.search(text) is None:
        return text
    return text.translate(_CONTROL_PICTURES)


_JSON_RAW_CHARACTERS = re.compile(r"[\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _finite_json_value(value: Any) -> Any:
    """Return ``value`` with every NaN or infinite float, however deeply nested, as None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {key: _finite_json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite_json_value(item) for item in value]
    return value


def dump_strict_json(value: Any, *, sort_keys: bool = False, indent: int | None = None) -> str:
    """Serialize ``value`` as strict JSON (RFC 8259), with text kept readable.

    A float that is NaN or infinite becomes ``null``, because JSON has no token
    for it and strict parsers reject Python's ``NaN`` and ``Infinity``.
    Mappings and tuples become JSON objects and arrays, and other values that
    JSON cannot represent become their ``str()``. Non-ASCII text is written as
    it is, except control characters, U+2028 and U+2029, which become ``\\u``
    escapes so that no line splitter or terminal acts on them, and lone
    surrogates, which become ``\\u`` escapes because UTF-8 cannot encode them.
    """
    text = json.dumps(
        _finite_json_value(value),
        ensure_ascii=False,
        default=str,
        allow_nan=False,
        sort_keys=sort_keys,
        indent=indent,
    )
    # json.dumps escapes the C0 controls itself. These characters can only be
    # inside JSON strings, where a \u escape stands for the same character.
    return _JSON_RAW_CHARACTERS.sub(lambda match: f"\\u{ord(match[0]):04x}", text)


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


def csv_cell(value: Any) -> Any:
    """Return a cell of a text column as :func:`write_csv` writes it.

    Tuples, lists and dicts, such as ``required_states``, ``details`` and
    ``extra``, become JSON text. Control characters in text become visible
    (:func:`replace_control_characters`), and text that a spreadsheet would run
    as a formula gets a leading apostrophe (:func:`neutralize_formula`). Other
    values are returned as they are.
    """
    if isinstance(value, Mapping | list | tuple):
        value = dump_strict_json(value, sort_keys=True)
    if isinstance(value, str):
        value = replace_control_characters(value)
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
                [csv_cell(value) for value in column.astype(object)],
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
