"""The record grammar: shapes of records, and render-then-parse properties."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logparse.grammar import Bare, Text, record_parser
from logparse.render import record_tokens
from logparse.scanner import scan


def parse_members(text: str) -> list[tuple[str, object]]:
    return record_parser().parse(text)


def only_record(text: str) -> list[tuple[str, object]]:
    spans = [span for span in scan(iter(text.splitlines(keepends=True))) if span.kind != "blank"]
    assert [span.kind for span in spans] == ["record"], spans
    return spans[0].members


def test_parser_built_once():
    assert record_parser() is record_parser()


def test_parser_is_lalr_contextual():
    parser = record_parser()
    assert parser.options.parser == "lalr"
    assert parser.options.lexer == "contextual"


SEED_RECORD = (
    "{ id: -1,content: [VirtualMachineSaveDisk] Error allocating a new image. "
    "NAME is already taken by IMAGE 265.,\n"
    "creator: ops1,date: 2014-09-18,time: 01:54:27,type: ERROR_MSG }"
)


def test_seed_record_members():
    members = dict(parse_members(SEED_RECORD))
    assert members["id"] == "-1"
    assert members["content"] == (
        "[VirtualMachineSaveDisk] Error allocating a new image. NAME is already taken by IMAGE 265."
    )
    assert members["creator"] == "ops1"
    assert members["time"] == "01:54:27"
    assert members["type"] == "ERROR_MSG"


def test_value_kinds_are_marked():
    members = dict(parse_members(SEED_RECORD))
    assert isinstance(members["content"], Text)
    assert isinstance(members["type"], Bare)
    quoted = dict(parse_members('{ "type": "ERROR_MSG" }'))
    assert not isinstance(quoted["type"], Bare)


@pytest.mark.parametrize(
    "text, key, expected",
    [
        # Break before the comma that ends the content.
        ("{ content: a b.\n,creator: x }", "content", "a b."),
        # Content holding commas, colons, brackets and a key-like word without colon.
        ("{ content: [M] a, b: c [1] creator x, type: E }", "content", "[M] a, b: c [1] creator x"),
        # Braces inside unquoted content; the known key still ends it.
        ("{ content: bad {NAME} in {x}, creator: u }", "content", "bad {NAME} in {x}"),
        ("{ content: a } b, type: E }", "content", "a } b"),
        # Quoted content may contain anything, including a key-like text.
        ('{ content: "a, creator: b } {", type: E }', "content", "a, creator: b } {"),
        ("{ content: 'it\\'s, type: x', type: E }", "content", "it's, type: x"),
        # JSON escapes in double quotes.
        ('{ "content": "tab\\there \\u4e2d \\"q\\"" }', "content", 'tab\there 中 "q"'),
        # Full-width colon and comma as Chinese input methods type them.
        ("{ content： 磁盘快照失败，creator： 张三 }", "content", "磁盘快照失败"),
        ("{ content： 磁盘快照失败，creator： 张三 }", "creator", "张三"),
        # Keys in any case and quoting.
        ("{ 'Content': x, 'TYPE': E }", "content", "x"),
        # Time values hold colons.
        ("{ time: 01:54:27, type: E }", "time", "01:54:27"),
        # Empty values.
        ("{ content: , type: E }", "type", "E"),
        # Non-breaking spaces and tabs between tokens.
        ("{\u00a0content:\tx\u00a0,\u3000type:\u00a0E\u00a0}", "type", "E"),
    ],
)
def test_member_values(text, key, expected):
    members = {name.lower(): value for name, value in only_record(text)}
    assert members[key] == expected


def test_missing_value_is_absent():
    members = dict(parse_members("{ content: , type: E }"))
    assert members["content"] is None


def test_unknown_keys_kept_in_order():
    members = parse_members("{ type: E, zone: 0, content: x, creator: u, region: eu }")
    assert [key for key, _ in members] == ["type", "zone", "content", "creator", "region"]


def test_unknown_key_after_content_is_text():
    # Unquoted content ends only before a known key, so "region: eu" is message text.
    members = dict(parse_members("{ type: E, content: x, region: eu }"))
    assert members["content"] == "x, region: eu"


def test_nested_objects_and_arrays():
    members = dict(parse_members('{"action":{"perform":"x","params":{"ids":[1, 2, "3"]}}}'))
    action = dict(members["action"])
    params = dict(action["params"])
    assert action["perform"] == "x"
    assert params["ids"] == ["1", "2", "3"]


def test_trailing_and_doubled_commas():
    members = parse_members("{ a: 1,, b: 2, }")
    assert members == [("a", "1"), ("b", "2")]


# Render-then-parse properties
#
# Values are generated with every character that makes the notation hard:
# separators, quotes, braces, backslashes, line breaks and non-ASCII text.

HOSTILE = st.sampled_from(
    list(",，:：;{}[]\"'\\ \t\n\u00a0\u3000") + ["creator:", ", type:", "}\n", "{ id:"]
)
TEXT_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufeff\u200b\r")
VALUE = st.lists(st.one_of(HOSTILE, st.text(TEXT_CHARS, max_size=6)), max_size=8).map("".join)
SEPARATORS = st.sampled_from(["", " ", "\n", "\t", " \n ", "\u00a0", "\n\n"])
STYLE = st.sampled_from(["none", "single", "double"])
KEYS = ["id", "content", "creator", "date", "time", "type"]
EXTRA_KEY = st.text(string.ascii_lowercase + "_", min_size=1, max_size=8).filter(
    lambda key: key not in KEYS
)


def folded(value: str) -> str:
    return " ".join(value.split())


@st.composite
def records(draw):
    keys = draw(st.permutations(KEYS + draw(st.lists(EXTRA_KEY, max_size=2, unique=True))))
    fields = [(key, draw(VALUE)) for key in keys]
    styles = {key: draw(STYLE) for key in keys}
    tokens = record_tokens(fields, quote=styles)
    separators = [draw(SEPARATORS) for _ in tokens]
    text = "".join(token + separator for token, separator in zip(tokens, separators, strict=True))
    return fields, text


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_render_parse_round_trip(record):
    fields, text = record
    parsed = dict(only_record(text))
    for key, value in fields:
        assert parsed[key] == value, (key, text)
