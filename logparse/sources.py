"""Open inputs and split them into decoded lines.

A source is a path, a binary or text file object, or an iterable of strings.
Bytes are decoded line by line, by the rules of ``logparse.encoding``: UTF-8
by default, and GB18030 or Windows-1252 for a line in one of those codecs. A
UTF-8 byte order mark is removed and keeps those rules. A UTF-16 or UTF-32
byte order mark selects that codec, and UTF-16 without one is recognised by
its NUL bytes. ``\\r\\n``, ``\\r`` and ``\\n`` all
end a line, and every line is handed on ending in ``\\n`` (except a last line
that had none).
"""

from __future__ import annotations

import codecs
import io
import logging
import os
import re
import select
import stat
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, Union

from logparse.encoding import AutoDecoder, DecodeProblem, decode_or_replace, sniff_wide_codec
from logparse.errors import SourceError

logger = logging.getLogger(__name__)

Source = Union[str, "os.PathLike[str]", IO[str], IO[bytes], Iterable[str]]

#: The size of the first read from a file, which also looks for a byte order
#: mark. From a pipe, terminal or socket the first read takes what has arrived,
#: but at least the longest byte order mark unless the input ends sooner.
SNIFF_BYTES = 1 << 16

_CHUNK_BYTES = 1 << 16
# The UTF-32 byte order mark is the longest.
_MAX_BOM_BYTES = 4
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BYTE_LINE_BREAK = re.compile(rb"\r\n|\r|\n")

# UTF-32 first: its little-endian mark starts with the UTF-16 one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(slots=True)
class OpenedSource:
    """The decoded lines of one input, with its display name.

    ``encoding`` is set once the first bytes are read: the encoding chosen, with
    ``" (detected)"`` appended when it was not the one requested.

    ``ready`` is set for a pipe, terminal or socket, whose lines are read as they
    arrive. It returns True when the next line is available without waiting for
    the writer. It is None for other input, such as a file, which is read a
    whole chunk at a time.
    """

    name: str
    lines: Iterator[str]
    encoding: str | None = None
    close: Callable[[], None] | None = None
    ready: Callable[[], bool] | None = None


def is_live_input(file: int | str | os.PathLike[str]) -> bool:
    """Return True when ``file``, a path or a file descriptor, is read as data arrives.

    Pipes, FIFOs, sockets and character devices such as terminals are, because
    a read from them waits for a writer. Regular files are not, and neither is a path
    that cannot be examined.
    """
    try:
        mode = os.stat(file).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or stat.S_ISCHR(mode)


def source_name(source: Any) -> str:
    """Name a source for diagnostics: its path, ``<stdin>`` or ``<input>``."""
    if isinstance(source, str | os.PathLike):
        name = os.fspath(source)
        if isinstance(name, str) and _is_text_not_path(name):
            # Log text passed where a path belongs; it may contain secrets.
            return "<text passed as a path>"
        return "<stdin>" if name == "-" else name
    name = getattr(source, "name", None)
    if isinstance(name, str) and name:
        return "<stdin>" if name in ("<stdin>", "-") else name
    return "<input>"


def _is_text_not_path(name: str) -> bool:
    """Return True when ``name`` looks like log text passed where a path belongs.

    Log text contains braces or line breaks, or is longer than a usual path.
    A file that exists under such a name is still a path, so it is read.
    """
    looks_like_text = "\n" in name or "{" in name or len(name) > 1024
    return looks_like_text and not os.path.exists(name)


def open_source(
    source: Source,
    *,
    encoding: str | None = None,
    on_decode_error: Callable[[DecodeProblem], None] | None = None,
    name: str | None = None,
) -> OpenedSource:
    """Open ``source`` and return its decoded lines.

    ``"-"`` is standard input. ``encoding`` forces a codec; None selects UTF-8 with a
    fallback to GB18030 or Windows-1252 for lines that are not valid UTF-8. Raises
    SourceError when a path cannot be opened.
    """
    display = name or source_name(source)

    if isinstance(source, str | os.PathLike):
        if os.fspath(source) == "-":
            return _open_binary(sys.stdin.buffer, display, encoding, on_decode_error, close=None)
        if isinstance(source, str) and _is_text_not_path(source):
            raise SourceError(
                "the source looks like log text, not a path: pass a path, a file object, "
                "io.StringIO(text) or text.splitlines(keepends=True)"
            )
        try:
            handle = open(source, "rb")  # noqa: SIM115 - closed by the OpenedSource
        except OSError as error:
            reason = error.strerror or str(error)
            raise SourceError(f"{display}: cannot open file: {reason}") from error
        return _open_binary(handle, display, encoding, on_decode_error, close=handle.close)

    if isinstance(source, io.TextIOBase) and hasattr(source, "buffer") and encoding:
        # A text file opened elsewhere, re-decoded with the codec the caller named.
        return _open_binary(source.buffer, display, encoding, on_decode_error, close=None)

    if _is_binary(source):
        return _open_binary(source, display, encoding, on_decode_error, close=None)

    if isinstance(source, bytes | bytearray):
        return _open_binary(io.BytesIO(source), display, encoding, on_decode_error, close=None)

    if isinstance(source, Iterable):
        return OpenedSource(display, _split_lines(source), encoding="text")

    raise TypeError(
        f"cannot read {type(source).__name__!r}: pass a path, a file object or an iterable of lines"
    )


def _is_binary(source: Any) -> bool:
    if isinstance(source, io.RawIOBase | io.BufferedIOBase):
        return True
    mode = getattr(source, "mode", "")
    return isinstance(mode, str) and "b" in mode and hasattr(source, "read")


def _split_lines(items: Iterable[str]) -> Iterator[str]:
    """Yield the lines of each item, each ending in one ``\\n``.

    Every item ends a line, whether or not it ends in a line break, so that the
    output of ``str.splitlines()`` reads as the lines it was.
    """
    for item in items:
        if not isinstance(item, str):
            raise TypeError(
                f"expected lines of text (str), got {type(item).__name__}: "
                "open the file in binary mode or pass its path instead"
            )
        start = 0
        for match in _LINE_BREAK.finditer(item):
            yield item[start : match.start()] + "\n"
            start = match.end()
        if start < len(item) or not item:
            yield item[start:] + "\n"


def _open_binary(
    handle: IO[bytes],
    display: str,
    encoding: str | None,
    on_decode_error: Callable[[DecodeProblem], None] | None,
    close: Callable[[], None] | None,
) -> OpenedSource:
    reader = _ChunkReader(handle, display)
    opened = OpenedSource(display, iter(()), close=close)
    if reader.live:
        opened.ready = reader.ready
    opened.lines = _decode_lines(reader, opened, encoding, on_decode_error)
    return opened


def _decode_lines(
    reader: _ChunkReader,
    opened: OpenedSource,
    requested: str | None,
    on_decode_error: Callable[[DecodeProblem], None] | None,
) -> Iterator[str]:
    head = reader.read_head()

    codec = _text_codec(requested, opened.name) if requested else None
    bom_codec, bom_length = _bom(head)
    if bom_codec is None or (codec is not None and not _same_family(codec, bom_codec)):
        bom_codec, bom_length = None, 0
    if bom_codec is None and codec is None:
        codec = sniff_wide_codec(head)
        if codec is not None and on_decode_error is not None:
            on_decode_error(DecodeProblem(1, codec, 0, fallback=True))
    elif bom_codec is not None and (codec is not None or bom_codec != "utf-8"):
        # The mark selects its codec, and the byte order of a requested utf-16
        # or utf-32. A UTF-8 mark alone leaves codec None, because UTF-8 is the
        # default and each line keeps the fallback of a file without the mark.
        codec = bom_codec
    opened.encoding = codec or "utf-8"

    if codec is not None and codec.startswith(("utf-16", "utf-32")):
        # Wide codecs cannot be split into lines before they are decoded.
        yield from reader.start(head[bom_length:], _WideLineSplitter(codec, opened.name))
        return

    report = on_decode_error or (lambda problem: None)
    body = head[bom_length:]
    if codec is not None:
        for line_number, raw in enumerate(reader.start(body, _ByteLineSplitter()), 1):
            yield decode_or_replace(raw, codec, line_number, report, opened.name)
        return

    head_lines = _BYTE_LINE_BREAK.split(body)
    if not reader.at_end:
        # The read may have cut the last line.
        del head_lines[-1]
    decoder = AutoDecoder(report, head_lines)
    for line_number, raw in enumerate(reader.start(body, _ByteLineSplitter()), 1):
        text = decoder.decode(raw, line_number)
        opened.encoding = decoder.encoding
        yield text


def _text_codec(requested: str, name: str) -> str:
    """Return the canonical name of a text codec, or raise SourceError."""
    try:
        info = codecs.lookup(requested)
        "".encode(info.name)
        b"".decode(info.name)
    except (LookupError, UnicodeError) as error:
        raise SourceError(
            f"{name}: unknown encoding {requested!r}: use a text codec name such as "
            "utf-8, gb18030, utf-16-le or latin-1"
        ) from error
    return info.name


def _bom(head: bytes) -> tuple[str | None, int]:
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec, len(bom)
    return None, 0


def _same_family(requested: str, detected: str) -> bool:
    """True when a requested codec agrees with a byte order mark, as utf-16 with utf-16-le."""
    return detected.startswith(requested.removesuffix("-sig"))


class _ByteLineSplitter:
    """Line splitter for bytes, which ends lines at CR, LF and CRLF and ends each in b"\\n"."""

    def __init__(self) -> None:
        self.pending = bytearray()
        # pending[:searched] contains no line break except, perhaps, a final "\r" that
        # may start a "\r\n", so each byte is searched once however long the line.
        self.searched = 0

    def __call__(self, chunk: bytes, final: bool) -> list[bytes]:
        """Return the lines that ``chunk`` completes, and with ``final`` the rest of the input."""
        pending = self.pending
        pending += chunk
        lines = []
        start = 0
        for match in _BYTE_LINE_BREAK.finditer(pending, max(self.searched - 1, 0)):
            if not final and match.group() == b"\r" and match.end() == len(pending):
                break
            lines.append(bytes(pending[start : match.start()]) + b"\n")
            start = match.end()
        del pending[:start]
        self.searched = len(pending)
        if final and pending:
            lines.append(bytes(pending))
            pending.clear()
        return lines


class _WideLineSplitter:
    """Line splitter for UTF-16 and UTF-32, whose lines end in ``\\n``.

    Each chunk is decoded before it is split, because the bytes of a wide codec
    cannot be split into lines before they are decoded.
    """

    def __init__(self, codec: str, name: str) -> None:
        self.codec = codec
        self.name = name
        self.decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        self.pending = ""

    def __call__(self, chunk: bytes, final: bool) -> list[str]:
        """Return the lines that ``chunk`` completes, and with ``final`` the rest of the input."""
        try:
            text = self.pending + self.decoder.decode(chunk, final)
        except UnicodeError as error:
            family = "utf-32" if self.codec.startswith("utf-32") else "utf-16"
            raise SourceError(
                f"{self.name}: cannot decode as {self.codec}: {error}. Name the byte "
                f"order, as in --encoding {family}-le or {family}-be, or check the codec"
            ) from error
        lines = []
        start = 0
        for match in _LINE_BREAK.finditer(text):
            # A trailing "\r" may be the first half of "\r\n" split across chunks.
            if not final and match.group() == "\r" and match.end() == len(text):
                break
            lines.append(text[start : match.start()] + "\n")
            start = match.end()
        self.pending = text[start:]
        if final and self.pending:
            lines.append(self.pending)
            self.pending = ""
        return lines


class _ChunkReader:
    """Reader of a binary handle in chunks, with a queue of the whole lines found so far.

    A pipe, FIFO, terminal or socket is live. A read from it returns the bytes
    that have arrived, up to a chunk, instead of waiting for a whole chunk. So
    each line is handed on as soon as its line break arrives. A file is read a
    whole chunk at a time.
    """

    def __init__(self, handle: IO[bytes], name: str) -> None:
        self.handle = handle
        self.name = name
        try:
            self.live = is_live_input(handle.fileno())
        except (AttributeError, OSError, ValueError):
            self.live = False
        self.queue: deque[Any] = deque()
        # True once a read returned no bytes. A terminal returns none once for
        # Ctrl-D and then waits again, so the handle is not read after that.
        self.at_end = False
        self._split: Callable[[bytes, bool], list[Any]] | None = None

    def read_head(self) -> bytes:
        """Read the first bytes, which hold the byte order mark if there is one."""
        if not self.live:
            return self._read(SNIFF_BYTES)
        head = b""
        while len(head) < _MAX_BOM_BYTES and not self.at_end:
            head += self._read(SNIFF_BYTES - len(head))
        return head

    def start(self, head: bytes, split: Callable[[bytes, bool], list[Any]]) -> Iterator[Any]:
        """Return the lines of ``head`` and of the rest of the input, as ``split`` makes them."""
        self._split = split
        self.queue.extend(split(head, self.at_end))
        return self._lines()

    def ready(self) -> bool:
        """Return True when the next line is available without waiting for the writer.

        Bytes that have arrived are read here, so a line whose line break has
        arrived is found without waiting for a whole chunk.
        """
        if self.queue or self.at_end:
            return True
        if self._split is None or not _has_input(self.handle):
            return False
        self._read_chunk()
        return bool(self.queue) or self.at_end

    def _lines(self) -> Iterator[Any]:
        queue = self.queue
        while True:
            while queue:
                yield queue.popleft()
            if self.at_end:
                return
            self._read_chunk()

    def _read_chunk(self) -> None:
        assert self._split is not None
        chunk = self._read(_CHUNK_BYTES)
        self.queue.extend(self._split(chunk, self.at_end))

    def _read(self, size: int) -> bytes:
        try:
            if self.live:
                # read1 makes at most one system call, which returns the bytes
                # that have arrived, while read waits for all ``size`` of them.
                read1 = getattr(self.handle, "read1", None)
                chunk = read1(size) if read1 is not None else self.handle.read(size)
            else:
                chunk = self.handle.read(size)
        except OSError as error:
            raise SourceError(f"{self.name}: cannot read: {error}") from error
        if not chunk:
            self.at_end = True
        return chunk


def _has_input(handle: IO[bytes]) -> bool:
    """Return True when the system has bytes for ``handle`` that a read returns at once.

    Bytes already in ``handle``'s own buffer are not seen, so this can return
    False when a read would not wait. That only makes the scanner work on
    fewer lines at a time. On Windows, select() does not accept pipes, and this
    returns False.
    """
    try:
        readable, _, _ = select.select([handle], [], [], 0)
    except (OSError, ValueError):
        return False
    return bool(readable)
