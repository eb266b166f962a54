"""Open inputs and decode them into lines.

A source is a path, a binary or text file object, or an iterable of strings.
Bytes are decoded here: UTF-8 by default, GB18030 when a file is not valid UTF-8
but is valid GB18030, and any byte that decodes in neither is replaced by U+FFFD
and reported with its line. ``\\r\\n``, ``\\r`` and ``\\n`` all end a line, and
every line is handed on ending in ``\\n`` (except a last line that had none).
"""

from __future__ import annotations

import codecs
import io
import logging
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, Union

from logparse.errors import SourceError

logger = logging.getLogger(__name__)

Source = Union[str, "os.PathLike[str]", IO[str], IO[bytes], Iterable[str]]

#: How many bytes of a file are read to choose between UTF-8 and GB18030.
SNIFF_BYTES = 1 << 20

_CHUNK_BYTES = 1 << 16
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BYTE_LINE_BREAK = re.compile(rb"\r\n|\r|\n")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(slots=True)
class DecodeProblem:
    """Bytes of one line that did not decode and were replaced."""

    line: int
    encoding: str
    count: int


@dataclass(slots=True)
class OpenedSource:
    """The decoded lines of one input, with its display name.

    ``encoding`` is set once the first bytes are read: the encoding chosen, with
    ``" (detected)"`` appended when it was not the one requested.
    """

    name: str
    lines: Iterator[str]
    encoding: str | None = None
    close: Callable[[], None] | None = None


def source_name(source: Any) -> str:
    """Name a source for diagnostics: its path, ``<stdin>`` or ``<input>``."""
    if isinstance(source, str | os.PathLike):
        name = os.fspath(source)
        return "<stdin>" if name == "-" else name
    name = getattr(source, "name", None)
    if isinstance(name, str) and name:
        return "<stdin>" if name in ("<stdin>", "-") else name
    return "<input>"


def open_source(
    source: Source,
    *,
    encoding: str | None = None,
    on_decode_error: Callable[[DecodeProblem], None] | None = None,
    name: str | None = None,
) -> OpenedSource:
    """Open ``source`` and return its decoded lines.

    ``"-"`` is standard input. ``encoding`` forces a codec; None selects UTF-8 with a
    fallback to GB18030 for files that are not valid UTF-8. Raises SourceError when
    a path cannot be opened.
    """
    display = name or source_name(source)

    if isinstance(source, str | os.PathLike):
        if os.fspath(source) == "-":
            return _open_binary(sys.stdin.buffer, display, encoding, on_decode_error, close=None)
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
        return OpenedSource(display, _split_text(source), encoding="text")

    raise TypeError(
        f"cannot read {type(source).__name__!r}: pass a path, a file object or an iterable of lines"
    )


def _is_binary(source: Any) -> bool:
    if isinstance(source, io.RawIOBase | io.BufferedIOBase):
        return True
    mode = getattr(source, "mode", "")
    return isinstance(mode, str) and "b" in mode and hasattr(source, "read")


def _split_text(chunks: Iterable[str]) -> Iterator[str]:
    """Re-split text chunks so that every line ends in a single ``\\n``."""
    pending = ""
    for chunk in chunks:
        if not isinstance(chunk, str):
            raise TypeError(
                f"expected lines of text (str), got {type(chunk).__name__}: "
                "open the file in binary mode or pass its path instead"
            )
        text = pending + chunk
        pending = ""
        start = 0
        for match in _LINE_BREAK.finditer(text):
            # A trailing "\r" may be the first half of "\r\n" split across chunks.
            if match.group() == "\r" and match.end() == len(text):
                break
            yield text[start : match.start()] + "\n"
            start = match.end()
        pending = text[start:]
    if pending:
        if pending.endswith("\r"):
            yield pending[:-1] + "\n"
        else:
            yield pending


def _open_binary(
    handle: IO[bytes],
    display: str,
    encoding: str | None,
    on_decode_error: Callable[[DecodeProblem], None] | None,
    close: Callable[[], None] | None,
) -> OpenedSource:
    opened = OpenedSource(display, iter(()), close=close)
    opened.lines = _decode_lines(handle, opened, encoding, on_decode_error)
    return opened


def _decode_lines(
    handle: IO[bytes],
    opened: OpenedSource,
    requested: str | None,
    on_decode_error: Callable[[DecodeProblem], None] | None,
) -> Iterator[str]:
    try:
        head = handle.read(SNIFF_BYTES)
    except OSError as error:
        raise SourceError(f"{opened.name}: cannot read: {error}") from error

    chosen, bom_length = _choose_encoding(head, requested)
    opened.encoding = chosen if requested or chosen == "utf-8" else f"{chosen} (detected)"
    if chosen != "utf-8" and not requested:
        logger.info("%s: not valid UTF-8, decoded as %s", opened.name, chosen)

    if chosen.startswith("utf-16"):
        yield from _decode_utf16(head[bom_length:], handle, chosen)
        return

    for line_number, raw in enumerate(_byte_lines(head[bom_length:], handle, opened.name), 1):
        try:
            text = raw.decode(chosen)
        except UnicodeDecodeError:
            text = raw.decode(chosen, errors="replace")
            if on_decode_error is not None:
                on_decode_error(DecodeProblem(line_number, chosen, text.count("\ufffd")))
        yield text


def _choose_encoding(head: bytes, requested: str | None) -> tuple[str, int]:
    for bom, name in _BOMS:
        if head.startswith(bom) and (requested is None or _same_codec(requested, name)):
            return name, len(bom)
    if requested:
        try:
            return codecs.lookup(requested).name, 0
        except LookupError as error:
            raise SourceError(
                f"unknown encoding {requested!r}: use a Python codec name such as "
                "utf-8, gb18030 or latin-1"
            ) from error

    if _decodes(head, "utf-8"):
        return "utf-8", 0
    if _decodes(head, "gb18030"):
        return "gb18030", 0
    return "utf-8", 0


def _same_codec(a: str, b: str) -> bool:
    try:
        return codecs.lookup(a).name.startswith(codecs.lookup(b).name[:6])
    except LookupError:
        return False


def _decodes(head: bytes, name: str) -> bool:
    # The sniffed block may end inside a multi-byte character, so decode
    # incrementally and accept an incomplete tail.
    decoder = codecs.getincrementaldecoder(name)()
    try:
        decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _byte_lines(head: bytes, handle: IO[bytes], name: str) -> Iterator[bytes]:
    """Split bytes into lines on CR, LF and CRLF; each line gets a b"\\n" ending."""
    pending = head
    while True:
        try:
            chunk = handle.read(_CHUNK_BYTES)
        except OSError as error:
            raise SourceError(f"{name}: cannot read: {error}") from error
        final = not chunk
        pending += chunk
        start = 0
        for match in _BYTE_LINE_BREAK.finditer(pending):
            if not final and match.group() == b"\r" and match.end() == len(pending):
                break
            yield pending[start : match.start()] + b"\n"
            start = match.end()
        pending = pending[start:]
        if final:
            if pending:
                yield pending
            return


def _decode_utf16(head: bytes, handle: IO[bytes], name: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(name)(errors="replace")
    chunks = _iter_chunks(head, handle)
    yield from _split_text(decoder.decode(chunk) for chunk in chunks)


def _iter_chunks(head: bytes, handle: IO[bytes]) -> Iterator[bytes]:
    yield head
    while chunk := handle.read(_CHUNK_BYTES):
        yield chunk
