"""The flat-record shortcut agrees with the grammar wherever it accepts."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logparse.fastpath import parse_flat_record
from logparse.grammar import Bare, Text
from logparse.render import record_tokens
from logparse.scanner import parse_with_grammar

SEED_RECORD = (
    "{ id: -1,content: [VirtualMachineSaveDisk] Error allocating a new image. "
    "NAME is already taken by IMAGE 265.\n"
    ",creator: ops1,date: 2014-09-18,time: 01:54:27,type: ERROR_MSG },\n"
)


def assert_same(text: str) -> None:
    flat = parse_flat_record(text)
    if flat is None:
        return
    outcome = parse_with_grammar(text)
    assert outcome.end == flat[0], text
    assert outcome.members == flat[1], text
    for (_, fast_value), (_, grammar_value) in zip(flat[1], outcome.members, strict=True):
        assert type(fast_value) is type(grammar_value), text


def test_seed_record_accepted():
    flat = parse_flat_record(SEED_RECORD)
    assert flat is not None
    assert SEED_RECORD[: flat[0]].endswith("ERROR_MSG }")
    assert isinstance(dict(flat[1])["content"], Text)
    assert isinstance(dict(flat[1])["type"], Bare)
    assert_same(SEED_RECORD)


@pytest.mark.parametrize(
    "text",
    [
        '{"action":{"perform":"saveas"}}',
        "{ a: [1, 2] }",
        "{ content: never closed",
        "{ a: 1, b c }",
        "no brace",
    ],
)
def test_declines_to_grammar(text):
    assert parse_flat_record(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "{}",
        "{ , }",
        "{ a: 1,, b: 2, }",
        "{ content: , type: E }",
        "{ 'Content' ： 中文，type： E }",
        '{ "content": "a, creator: b } {", type: E }',
        "{ content: a } b, type: E }\n",
        "{ content: x, region: eu }",
    ],
)
def test_same_as_grammar(text):
    assert parse_flat_record(text) is not None
    assert_same(text)


PIECES = st.sampled_from(
    [
        "{",
        "}",
        ",",
        "，",
        ":",
        "：",
        " ",
        "\n",
        "\t",
        "\u00a0",
        '"',
        "'",
        "\\",
        "[",
        "]",
        "content",
        "Content",
        "'content'",
        "creator",
        "type",
        "id",
        "time",
        "x",
        "中文",
        "01:54:27",
        "ERROR_MSG",
        "}\n",
        ", creator:",
        "\n{ id:",
    ]
)


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=25).map(lambda pieces: "{" + "".join(pieces)))
def test_random_text_agrees(text):
    assert_same(text)


VALUE = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(["id", "content", "creator", "type", "zone"]), VALUE), max_size=6
    ),
    st.sampled_from(["none", "single", "double"]),
    st.sampled_from(["", " ", "\n", " \n\t"]),
)
def test_rendered_records_agree(fields, style, separator):
    text = separator.join(record_tokens(fields, quote=style)) + separator
    assert_same(text)
