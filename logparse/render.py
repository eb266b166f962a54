"""Write notification records in the loosely quoted notation the parser reads.

Used to build test input and samples, and to re-feed corrected records. A value
is written unquoted only when the grammar reads it back unchanged; otherwise it
is quoted in the requested style.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from typing import Literal

from logparse.grammar import record_parser

__all__ = ["QuoteStyle", "record_tokens", "render_record"]

QuoteStyle = Literal["none", "single", "double"]


@functools.cache
def _terminal(name: str) -> re.Pattern[str]:
    for terminal in record_parser().terminals:
        if terminal.name == name:
            return re.compile(terminal.pattern.to_regexp())
    raise LookupError(name)


def _fits_unquoted(value: str, terminal: str) -> bool:
    if not value or value != value.strip() or value != " ".join(value.split()):
        return False
    return _terminal(terminal).fullmatch(value) is not None


def quote_value(value: str, style: Literal["single", "double"]) -> str:
    """Quote ``value`` with JSON escapes, in single or double quotes."""
    encoded = json.dumps(value, ensure_ascii=False)
    if style == "double":
        return encoded
    body = encoded[1:-1].replace('\\"', '"').replace("'", "\\'")
    return f"'{body}'"


# Unquoted content ends only before one of these keys, or at the closing brace.
_CONTENT_STOPS = frozenset({"id", "creator", "date", "time", "type"})


def _format_value(value: object, key: str, style: QuoteStyle, next_key: str | None) -> str:
    text = str(value)
    if key == "content":
        # A "}" at the end would close the record when a line break follows it.
        fits = (
            (next_key is None or next_key.lower() in _CONTENT_STOPS)
            and not text.endswith("}")
            and _fits_unquoted(text, "TEXT")
        )
    else:
        fits = _fits_unquoted(text, "BARE")
    if style == "none" and fits:
        return text
    return quote_value(text, "double" if style == "none" else style)


def _format_key(key: str, style: QuoteStyle) -> str:
    if style == "none" and _fits_unquoted(key, "NAME"):
        return key
    return quote_value(key, "double" if style == "none" else style)


def record_tokens(
    fields: Mapping[str, object] | Sequence[tuple[str, object]],
    *,
    quote: QuoteStyle | Mapping[str, QuoteStyle] = "none",
) -> list[str]:
    """Return the tokens of one record; ``quote`` may differ per key.

    Joining the tokens with any whitespace, or none, gives a valid record.
    None values are left out.
    """
    items = fields.items() if isinstance(fields, Mapping) else fields
    present = [(key, value) for key, value in items if value is not None]
    tokens = ["{"]
    for index, (key, value) in enumerate(present):
        style = quote.get(key, "none") if isinstance(quote, Mapping) else quote
        next_key = present[index + 1][0] if index + 1 < len(present) else None
        if index:
            tokens.append(",")
        value_token = _format_value(value, key, style, next_key)
        tokens.extend([_format_key(key, style), ":", value_token])
    tokens.append("}")
    return tokens


def render_record(
    fields: Mapping[str, object] | Sequence[tuple[str, object]],
    *,
    quote: QuoteStyle | Mapping[str, QuoteStyle] = "none",
    separator: str = " ",
) -> str:
    """Write one record on one line, or across lines when ``separator`` contains a newline."""
    return separator.join(record_tokens(fields, quote=quote))
