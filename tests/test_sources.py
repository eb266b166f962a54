"""Opening inputs: paths, file objects, line ends and encodings."""

from __future__ import annotations

import codecs
import io

import pytest

from logparse import SourceError, parse_events
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
    "chunks, expected",
    [
        (["a\r", "\nb"], ["a\n", "b"]),
        (["a\nb", "c\n"], ["a\n", "bc\n"]),
        (["a\u2028b\n"], ["a\u2028b\n"]),
    ],
)
def test_text_chunks_resplit(chunks, expected):
    assert lines_of(chunks) == expected


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
    assert reader.stats.encodings["<input>"] == "gb18030 (detected)"
    assert diagnostics[0].kind == "encoding"
    assert "decoded as gb18030" in diagnostics[0].message


def test_encoding_option_wins():
    data = RECORD.encode("gb18030")
    events = list(parse_events(io.BytesIO(data), encoding="gb18030"))
    assert events[0].creator == "张三"


def test_unknown_encoding_rejected():
    with pytest.raises(SourceError, match="unknown encoding 'nope'"):
        list(parse_events(io.BytesIO(b"x"), encoding="nope"))


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
