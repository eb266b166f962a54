"""Rendering records in the notation the parser reads."""

from __future__ import annotations

import pytest

from logparse.render import quote_value, record_tokens, render_record


def test_seed_shape_unquoted():
    text = render_record(
        {
            "id": -1,
            "content": "[ImageAllocate] NAME is already taken by IMAGE 34.",
            "type": "ERROR_MSG",
        }
    )
    assert text == (
        "{ id : -1 , content : [ImageAllocate] NAME is already taken by IMAGE 34. , "
        "type : ERROR_MSG }"
    )


@pytest.mark.parametrize(
    "content",
    [
        "a, creator: b",
        "ends with }",
        '"starts with a quote',
        "two\nlines",
        "",
    ],
)
def test_hard_content_is_quoted(content):
    tokens = record_tokens({"content": content, "type": "E"})
    assert tokens[3].startswith('"')


def test_content_before_unknown_key_quoted():
    tokens = record_tokens([("content", "plain"), ("zone", "0")])
    assert tokens[3] == '"plain"'


def test_none_values_left_out():
    assert record_tokens({"id": None, "type": "E"}) == ["{", "type", ":", "E", "}"]


@pytest.mark.parametrize(
    "value, style, expected",
    [
        ("it's", "single", "'it\\'s'"),
        ('say "x"', "single", "'say \"x\"'"),
        ('say "x"', "double", '"say \\"x\\""'),
        ("中文", "double", '"中文"'),
    ],
)
def test_quote_value(value, style, expected):
    assert quote_value(value, style) == expected
