"""The record grammar: a LALR parser built once from ``grammars/record.lark``.

The transformer runs inside the parser, so a parse returns plain Python values.
An object becomes a list of ``(key, value)`` pairs in input order, duplicates
included. An array becomes a list, a quoted string its unescaped text, and an
unquoted value its text without the surrounding whitespace.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from lark import Lark, Token, Transformer, v_args

__all__ = ["Bare", "TOKEN_DESCRIPTIONS", "Text", "record_parser", "unquote"]

#: Plain words for the grammar's terminals, used in error messages.
TOKEN_DESCRIPTIONS = {
    "LBRACE": '"{"',
    "RBRACE": '"}"',
    "LSQB": '"["',
    "RSQB": '"]"',
    "_COMMA": '","',
    "_COLON": '":"',
    "COMMA": '","',
    "COLON": '":"',
    "CONTENT_KEY": "a key",
    "NAME": "a key",
    "DOUBLE_QUOTED": "a quoted string",
    "SINGLE_QUOTED": "a quoted string",
    "TEXT": "the message text",
    "BARE": "a value",
    "$END": "the end of the record",
}


class Bare(str):
    """An unquoted value, kept apart from quoted strings so that ``true`` stays text
    in a notification but becomes a boolean in a request body."""

    __slots__ = ()


class Members(list):
    """The key and value pairs of an object, kept apart from arrays so that an
    empty object stays an object."""

    __slots__ = ()


class Text(str):
    """The unquoted free text of a ``content`` key."""

    __slots__ = ()


def unquote(token: str) -> str:
    """Return the text of a quoted string token, with JSON escapes applied."""
    quote, body = token[0], token[1:-1]
    if "\\" not in body:
        return body
    if quote == "'":
        body = body.replace("\\'", "'").replace('"', '\\"')
    try:
        return json.loads(f'"{body}"', strict=False)
    except json.JSONDecodeError:
        # An escape JSON does not know, such as "\x" or a lone "\u12": keep it as typed.
        return body


@v_args(inline=True)
class _RecordTransformer(Transformer):
    def start(self, obj: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        return obj

    def object(self, *members: tuple[str, Any]) -> list[tuple[str, Any]]:
        return Members(members)

    def array(self, *values: Any) -> list[Any]:
        return list(values)

    def content_member(self, key: Token, value: Any = None) -> tuple[str, Any]:
        return ("content", value)

    def pair(self, key: str, value: Any = None) -> tuple[str, Any]:
        return (key, value)

    def string(self, token: Token) -> str:
        return unquote(str(token))

    def name(self, token: Token) -> str:
        return str(token)

    def bare(self, token: Token) -> Bare:
        return Bare(token.strip())

    def text(self, token: Token) -> Text:
        return Text(token.strip())


@functools.cache
def record_parser() -> Lark:
    """Return the shared LALR parser with the contextual lexer."""
    grammar = resources.files("logparse").joinpath("grammars/record.lark").read_text("utf-8")
    return Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        maybe_placeholders=False,
        propagate_positions=False,
        transformer=_RecordTransformer(),
    )
