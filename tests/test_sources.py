"""Opening inputs: paths, file objects, line ends and encodings."""

from __future__ import annotations

import codecs
import io

import pytest

from logparse import ParserWarning, SourceError, parse_events
from logparse.sources import open_source, source_name

RECORD = "{ content: [ImageAllocate] 镜像名称已被占用, creator: 张三, type: ERROR_MSG }"


def lines_of(source, **options):
    return list(open_source(source, **options).lines)


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"a\nb\n", ["a\n", "b\n"]),
        (b"a\r\nb\r\n", ["a\n", "b\n"]),
        (b"a\rb\r", ["a\n", "b\n"]),
        (b"a\r\n\rb", ["a\n", "\n", "b"]),
        (b"no newline", ["no newline"]),
        (b"", []),
    ],
)
def test_line_ends(data, expected):
    assert lines_of(io.BytesIO(data)) == expected


def test_crlf_split_across_chunks():
    data = b"x" * (65536 - 1) + b"\r\n" + b"y\n"
    assert lines_of(io.BytesIO(data)) == ["x" * 65535 + "\n", "y\n"]


@pytest.mark.parametrize(
    "items, expected",
    [
        (["a", "b"], ["a\n", "b\n"]),
        (["a\r\n", "b\r"], ["a\n", "b\n"]),
        (["a\nb", "c\n"], ["a\n", "b\n", "c\n"]),
        (["a\u2028b\n"], ["a\u2028b\n"]),
        (["", "x"], ["\n", "x\n"]),
    ],
)
def test_items_are_lines(items, expected):
    assert lines_of(items) == expected


def test_splitlines_output_parses():
    text = (
        "{ id: -1,content: [ImageAllocate] NAME is already taken by IMAGE\n265.,type: ERROR_MSG }"
    )
    events = list(parse_events(text.splitlines()))
    assert events[0].object_id == 265
    assert events[0].end_line == 2


def test_bom_removed():
    data = codecs.BOM_UTF8 + RECORD.encode()
    events = list(parse_events(io.BytesIO(data)))
    assert events[0].creator == "张三"


def test_utf16_with_bom():
    data = RECORD.encode("utf-16")
    events = list(parse_events(io.BytesIO(data)))
    assert events[0].message == "镜像名称已被占用"


def test_gb18030_detected_and_reported():
    diagnostics = []
    reader = parse_events(io.BytesIO(RECORD.encode("gb18030")), on_diagnostic=diagnostics.append)
    events = list(reader)
    assert events[0].creator == "张三"
    assert reader.stats.encodings["<input>"] == "utf-8, gb18030 (detected)"
    assert diagnostics[0].kind == "encoding"
    assert "line 1 is not valid UTF-8" in diagnostics[0].message
    assert "decoded as GB18030" in diagnostics[0].message


def test_gb18030_after_long_utf8_head():
    head = ("{ content: [ImageAllocate] 英文和中文, type: ERROR_MSG }\n" * 40_000).encode()
    data = head + RECORD.encode("gb18030") + b"\n"
    with pytest.warns(ParserWarning, match="line 40001 is not valid UTF-8"):
        events = list(parse_events(io.BytesIO(data)))
    assert len(events) == 40_001
    assert events[-1].creator == "张三"
    assert events[0].message == "英文和中文"


def test_cut_utf8_character_stays_utf8():
    # A paste that cut the last character of "运维" in half.
    data = "{ content: 运维".encode() + "维".encode()[:2] + b", type: E }\n" + RECORD.encode()
    diagnostics = []
    events = list(parse_events(io.BytesIO(data), on_diagnostic=diagnostics.append))
    assert events[0].message.startswith("运维\ufffd")
    assert events[1].creator == "张三"
    assert [d.line for d in diagnostics if d.kind == "encoding"] == [1]


def test_encoding_option_wins():
    data = RECORD.encode("gb18030")
    events = list(parse_events(io.BytesIO(data), encoding="gb18030"))
    assert events[0].creator == "张三"


@pytest.mark.parametrize("name", ["nope", "hex", "rot13", "base64"])
def test_unknown_encoding_rejected(name):
    with pytest.raises(SourceError, match=f"unknown encoding '{name}'"):
        list(parse_events(io.BytesIO(b"x"), encoding=name))


@pytest.mark.parametrize("codec", ["utf-32", "utf-16", "utf-8-sig"])
def test_byte_order_marks(codec):
    events = list(parse_events(io.BytesIO((RECORD + "\r\n" + RECORD).encode(codec))))
    assert [event.creator for event in events] == ["张三", "张三"]
    assert [event.line for event in events] == [1, 2]


def test_utf16_without_bom_named_order():
    data = RECORD.encode("utf-16-le")
    events = list(parse_events(io.BytesIO(data), encoding="utf-16-le"))
    assert events[0].creator == "张三"


def test_utf16_without_bom_message():
    with pytest.raises(SourceError, match="cannot decode as utf-16.*utf-16-le"):
        list(parse_events(io.BytesIO(RECORD.encode("utf-16-le")), encoding="utf-16"))


def test_undecodable_bytes_replaced_with_line():
    data = RECORD.encode() + b"\n" + b"{ content: bad \xff\xfe\xff, type: E }\n"
    # Valid UTF-8 in the sniffed block except for line 2, which GB18030 rejects too.
    data = data.replace("张三".encode(), "张三".encode())
    diagnostics = []
    reader = parse_events(io.BytesIO(data), on_diagnostic=diagnostics.append)
    events = list(reader)
    assert len(events) == 2
    assert "\ufffd" in events[1].message
    problems = [d for d in diagnostics if d.kind == "encoding" and "replaced" in d.message]
    assert problems[0].line == 2
    assert reader.stats.encoding_errors == 1


def test_missing_file_message(tmp_path):
    with pytest.raises(SourceError, match=r"missing\.txt: cannot open file: No such file"):
        list(parse_events(tmp_path / "missing.txt"))


def test_directory_rejected(tmp_path):
    with pytest.raises(SourceError, match="cannot open file"):
        list(parse_events(tmp_path))


@pytest.mark.parametrize(
    "source, expected",
    [
        ("-", "<stdin>"),
        ("logs/a.txt", "logs/a.txt"),
        (io.StringIO("x"), "<input>"),
        (["x"], "<input>"),
    ],
)
def test_source_names(source, expected):
    assert source_name(source) == expected


def test_bytes_lines_rejected():
    with pytest.raises(TypeError, match="open the file in binary mode or pass its path"):
        list(parse_events([b"{ content: x }"]))


def test_log_text_as_path_rejected():
    with pytest.raises(SourceError, match="looks like log text, not a path") as raised:
        list(parse_events(RECORD + "\n" + '{"csrftoken":"s3cret"}'))
    assert "s3cret" not in str(raised.value)


@pytest.mark.parametrize("name", ["undefined"])
def test_codecs_that_fail_on_bytes_rejected(name):
    with pytest.raises(SourceError):
        list(parse_events(io.BytesIO(b"x\n"), encoding=name))


def test_one_line_text_as_path_hides_token():
    with pytest.raises(SourceError) as raised:
        list(parse_events('{"action":{"perform":"x"},"csrftoken":"SECRETAPI1"}'))
    assert "SECRETAPI1" not in str(raised.value)
