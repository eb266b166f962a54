"""Opening inputs: paths, file objects, pipes, line ends, byte order marks and named codecs."""

from __future__ import annotations

import codecs
import io
import os
import select

import pytest

from logparse import SourceError, parse_events
from logparse.sources import is_live_input, open_source, source_name

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


class GuardedPipe(io.RawIOBase):
    """The read end of a real pipe, whose reads fail instead of waiting.

    A reader that reads past the bytes written so far would wait forever on a
    real pipe. Here the read raises, so the test fails instead of hanging.
    ``max_read`` limits the bytes one read returns.
    """

    def __init__(self, max_read: int | None = None):
        self._read_fd, self._write_fd = os.pipe()
        self._max_read = max_read

    def fileno(self):
        return self._read_fd

    def readable(self):
        return True

    def send(self, data: bytes) -> None:
        os.write(self._write_fd, data)

    def close_writer(self) -> None:
        if self._write_fd is not None:
            os.close(self._write_fd)
            self._write_fd = None

    def readinto(self, buffer):
        readable, _, _ = select.select([self._read_fd], [], [], 0)
        if not readable:
            raise AssertionError("the reader waits for bytes that were not written yet")
        data = os.read(self._read_fd, min(len(buffer), self._max_read or len(buffer)))
        buffer[: len(data)] = data
        return len(data)

    def close(self):
        if not self.closed:
            self.close_writer()
            os.close(self._read_fd)
        super().close()


class TerminalLike(GuardedPipe):
    """A pipe that, like a terminal after Ctrl-D, must not be read after it returned no bytes."""

    def __init__(self):
        super().__init__()
        self.ended = False

    def readinto(self, buffer):
        if self.ended:
            raise AssertionError("read again after the end of input")
        count = super().readinto(buffer)
        self.ended = count == 0
        return count


def test_pipe_line_before_chunk_fills():
    with GuardedPipe() as pipe:
        pipe.send(RECORD.encode() + b"\n")
        lines = open_source(pipe).lines
        assert next(lines) == RECORD + "\n"


def test_utf16_pipe_line_before_chunk_fills():
    with GuardedPipe() as pipe:
        pipe.send((RECORD + "\n").encode("utf-16"))
        # BufferedReader, as sys.stdin.buffer is: its read(size) waits for size bytes.
        lines = open_source(io.BufferedReader(pipe)).lines
        assert next(lines) == RECORD + "\n"


def test_pipe_ready_follows_arrivals():
    with GuardedPipe() as pipe:
        pipe.send(b"first\n")
        opened = open_source(pipe)
        assert next(opened.lines) == "first\n"
        assert opened.ready() is False
        pipe.send(b"second, ")
        assert opened.ready() is False
        pipe.send(b"completed\r\nthird")
        assert opened.ready() is True
        assert next(opened.lines) == "second, completed\n"
        assert opened.ready() is False
        pipe.close_writer()
        assert opened.ready() is True
        assert list(opened.lines) == ["third"]


def test_file_has_no_ready(tmp_path):
    path = tmp_path / "capture.txt"
    path.write_text(RECORD, "utf-8")
    assert open_source(path).ready is None
    assert open_source(io.BytesIO(b"x")).ready is None
    assert open_source(["x"]).ready is None


def test_pipe_bom_split_across_reads():
    with GuardedPipe(max_read=2) as pipe:
        pipe.send((RECORD + "\n").encode("utf-32"))
        opened = open_source(pipe)
        assert next(opened.lines) == RECORD + "\n"
        assert opened.encoding == "utf-32-le"


def test_terminal_not_read_after_end():
    with TerminalLike() as terminal:
        terminal.send(b"abc")
        terminal.close_writer()
        # BufferedReader is what sys.stdin.buffer is.
        assert lines_of(io.BufferedReader(terminal)) == ["abc"]


def test_wide_codec_end_joins_last_line():
    # The replacement for a cut code unit belongs to the line it ends.
    assert lines_of(io.BytesIO(b"a\0b\0c"), encoding="utf-16-le") == ["ab\ufffd"]


def test_live_input_kinds(tmp_path):
    regular = tmp_path / "capture.txt"
    regular.write_text(RECORD, "utf-8")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert is_live_input(fifo) is True
    assert is_live_input(regular) is False
    assert is_live_input(tmp_path / "missing.txt") is False
    read_fd, write_fd = os.pipe()
    try:
        assert is_live_input(read_fd) is True
    finally:
        os.close(read_fd)
        os.close(write_fd)


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


@pytest.mark.parametrize("name", ["notes{1}.txt", "notes\n1.txt", "x" * 200 + "{"])
def test_existing_path_like_text_opened(tmp_path, name):
    path = tmp_path / name
    path.write_text(RECORD + "\n", "utf-8")
    events = list(parse_events(str(path)))
    assert events[0].creator == "张三"
    assert events[0].source == str(path)
    assert source_name(str(path)) == str(path)


def test_missing_path_like_text_hidden(tmp_path):
    missing = str(tmp_path / "notes{1}.txt")
    assert source_name(missing) == "<text passed as a path>"
    with pytest.raises(SourceError, match="looks like log text, not a path"):
        list(parse_events(missing))


@pytest.mark.parametrize(
    "codec, data",
    [
        ("utf-32", RECORD.encode("utf-32-le")),
        ("utf-16", RECORD.encode("utf-16-le")),
    ],
)
def test_wide_codec_without_bom_advice(codec, data):
    with pytest.raises(SourceError) as raised:
        list(parse_events(io.BytesIO(data), encoding=codec))
    message = str(raised.value)
    assert f"Name the byte order, as in --encoding {codec}-le or {codec}-be" in message
    other = "utf-16" if codec == "utf-32" else "utf-32"
    assert other not in message
