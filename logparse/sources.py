"""Open inputs and decode them into lines.

A source is a path, a binary or text file object, or an iterable of strings.
Bytes are decoded here, line by line: UTF-8 by default, GB18030 for a line that
is not UTF-8 at all, and a byte that decodes in neither is replaced by U+FFFD
and reported with its line. A byte order mark selects UTF-8, UTF-16 or UTF-32.
``\\r\\n``, ``\\r`` and ``\\n`` all end a line, and every line is handed on
ending in ``\\n`` (except a last line that had none).
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

#: The size of the first read, which also looks for a byte order mark.
SNIFF_BYTES = 1 << 16

_CHUNK_BYTES = 1 << 16
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
class DecodeProblem:
    """Bytes of one line that did not decode and were replaced, or, with
    ``fallback``, the first line decoded as GB18030 because it is not UTF-8."""

    line: int
    encoding: str
    count: int
    fallback: bool = False


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
        if isinstance(name, str) and ("{" in name or len(name) > 1024):
            # Log text passed where a path belongs; it may contain secrets.
            return "<text passed as a path>"
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
        if isinstance(source, str) and ("\n" in source or "{" in source or len(source) > 1024):
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


def _split_stream(chunks: Iterable[str]) -> Iterator[str]:
    """Re-split decoded chunks, which may end anywhere, into lines ending in ``\\n``."""
    pending = ""
    for chunk in chunks:
        text = pending + chunk
        start = 0
        for match in _LINE_BREAK.finditer(text):
            # A trailing "\r" may be the first half of "\r\n" split across chunks.
            if match.group() == "\r" and match.end() == len(text):
                break
            yield text[start : match.start()] + "\n"
            start = match.end()
        pending = text[start:]
    if pending:
        yield pending.removesuffix("\r") + ("\n" if pending.endswith("\r") else "")


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

    codec = _text_codec(requested, opened.name) if requested else None
    bom_codec, bom_length = _bom(head)
    if bom_codec is not None and (codec is None or _same_family(codec, bom_codec)):
        codec = bom_codec
    else:
        bom_length = 0
    opened.encoding = codec or "utf-8"

    if codec is not None and codec.startswith(("utf-16", "utf-32")):
        # Wide codecs cannot be split into lines before they are decoded.
        yield from _decode_wide(head[bom_length:], handle, codec, opened.name)
        return

    report = on_decode_error or (lambda problem: None)
    fallback_line = None
    for line_number, raw in enumerate(_byte_lines(head[bom_length:], handle, opened.name), 1):
        if codec is not None:
            text = _decode_or_replace(raw, codec, line_number, report, opened.name)
        else:
            text, used = _decode_auto(raw, line_number, report)
            if used == "gb18030" and fallback_line is None:
                fallback_line = line_number
                opened.encoding = "utf-8, gb18030 (detected)"
                report(DecodeProblem(line_number, "gb18030", 0, fallback=True))
        yield text


def _decode_or_replace(
    raw: bytes,
    codec: str,
    line_number: int,
    report: Callable[[DecodeProblem], None],
    name: str,
) -> str:
    try:
        return raw.decode(codec)
    except UnicodeError:
        pass
    try:
        text = raw.decode(codec, errors="replace")
    except UnicodeError as error:
        # Codecs such as punycode raise even when asked to replace.
        raise SourceError(
            f"{name}:{line_number}: the {codec} codec cannot decode it ({error}); "
            "choose a text encoding such as utf-8 or gb18030"
        ) from error
    report(DecodeProblem(line_number, codec, text.count("\ufffd")))
    return text


def _decode_auto(
    raw: bytes, line_number: int, report: Callable[[DecodeProblem], None]
) -> tuple[str, str]:
    """Decode one line as UTF-8, or as GB18030 when it is not UTF-8 at all.

    A line that is mostly valid UTF-8 with a few broken bytes, such as a
    character cut in half by a paste, stays UTF-8 with the bytes replaced.
    GB18030 accepts nearly any byte sequence, so it would turn the whole line
    into other characters.
    """
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    replaced = raw.decode("utf-8", errors="replace")
    broken = replaced.count("\ufffd")
    # GB18030 text is mostly invalid UTF-8, with a few byte pairs that happen to
    # be valid, while damaged UTF-8 is mostly valid.
    valid = sum(1 for char in replaced if char > "\x7f") - broken
    if valid < broken:
        try:
            return raw.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            pass
    report(DecodeProblem(line_number, "utf-8", broken))
    return replaced, "utf-8"


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


def _byte_lines(head: bytes, handle: IO[bytes], name: str) -> Iterator[bytes]:
    """Split bytes into lines on CR, LF and CRLF; each line gets a b"\\n" ending."""
    pending = bytearray(head)
    # pending[:searched] contains no line break except, perhaps, a final "\r" that
    # may start a "\r\n", so each byte is searched once however long the line.
    searched = 0
    while True:
        try:
            chunk = handle.read(_CHUNK_BYTES)
        except OSError as error:
            raise SourceError(f"{name}: cannot read: {error}") from error
        final = not chunk
        pending += chunk
        start = 0
        for match in _BYTE_LINE_BREAK.finditer(pending, max(searched - 1, 0)):
            if not final and match.group() == b"\r" and match.end() == len(pending):
                break
            yield bytes(pending[start : match.start()]) + b"\n"
            start = match.end()
        del pending[:start]
        searched = len(pending)
        if final:
            if pending:
                yield bytes(pending)
            return


def _decode_wide(head: bytes, handle: IO[bytes], codec: str, name: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    try:
        text = (decoder.decode(chunk) for chunk in _iter_chunks(head, handle))
        yield from _split_stream(text)
        tail = decoder.decode(b"", final=True)
    except UnicodeError as error:
        raise SourceError(
            f"{name}: cannot decode as {codec}: {error}; name the byte order, as in "
            "--encoding utf-16-le, or check the codec"
        ) from error
    if tail:
        yield from _split_stream([tail])


def _iter_chunks(head: bytes, handle: IO[bytes]) -> Iterator[bytes]:
    yield head
    while chunk := handle.read(_CHUNK_BYTES):
        yield chunk
