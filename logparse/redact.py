"""Remove secrets from text and values before they reach any output.

Sunstone request bodies carry the session's ``csrftoken``; pasted text may carry
passwords or tokens. A key is secret when its name contains one of the words in
:data:`SECRET_WORDS` (``csrftoken``, ``new_password``, ``access_token``), in any
case. Its value is replaced by ``<redacted>``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

REDACTED = "<redacted>"

#: Words that make a key secret when its name contains them; regular expressions.
SECRET_WORDS = (
    "password",
    "passwd",
    "pwd",
    "token",
    "secret",
    "csrf",
    "api_key",
    "apikey",
    "authorization",
    "sessionid",
    "session_id",
    "one_auth",
    "credential",
    "passphrase",
    "private_key",
    "privatekey",
    "auth(?!or|entic)",
    "cookie",
    "session",
    "密码",
    "口令",
    "令牌",
    "密钥",
    "秘钥",
)

_WORDS = "|".join(SECRET_WORDS)
_SECRET_KEY = re.compile(rf"[\w-]{{0,40}}(?:{_WORDS})[\w-]{{0,40}}", re.IGNORECASE)

# Text is searched for the secret words first, a fast literal scan, and each
# hit is then matched from the start of its key. A key is a quoted or unquoted
# name (JSON inside a string escapes its quotes as \"), then ":", "=", "=>" or a
# full-width colon, then the value. A value may also follow the key after
# whitespace alone, as in "password hunter2", when it is quoted, bracketed or
# looks like a credential (see _looks_like_credential). _value_end decides where
# the value ends: "Bearer" and "Basic" take the credential after them. Each hit
# costs at most about MAX_VALUE_CHARS steps, plus the search for the line end
# after an unclosed quote. The value covers the text up to that line end, so
# later hits there are skipped and the scan stays linear in the length of the
# text.
_SECRET_WORD = re.compile(_WORDS, re.IGNORECASE)
# The same words for text lowered with str.lower(). A case-sensitive search of
# the lowered text is several times faster than re.IGNORECASE.
_LOWER_SECRET_WORD = re.compile(_WORDS)
_KEY_TAIL = re.compile(r"[\w-]*\Z")
_SECRET_AT_KEY = re.compile(
    r"""(?P<key>(?:\\?["']|&quot;)?[\w-]{1,120}+(?:\\?["']|&quot;)?)"""
    r"""(?P<separator>(?:\s{0,64}(?:=>|[:=：﹕＝]|%3[Aa]|%3[Dd])){1,3}\s{0,64}|\s{1,8})""",
    re.IGNORECASE,
)

#: Maximum length, in characters, of a value that is searched for its closing
#: quote or bracket.
MAX_VALUE_CHARS = 4096

#: Maximum length, in characters, of a key and its separator, as _SECRET_AT_KEY
#: matches them: a quoted key of 120 characters and three separators.
MAX_KEY_CHARS = 512

# Quoted values that close on their own line, by opening quote, in the order
# they are tried: an escaped quote before a plain one.
_QUOTED_ON_LINE = {
    '\\"': re.compile(r'\\"(?:[^"\\\n]|\\[^"\n]){0,4096}\\"'),
    "&quot;": re.compile(r"&quot;[^\n]{0,4096}?&quot;"),
    '"': re.compile(r'"(?:[^"\\\n]|\\[^\n]){0,4096}"'),
    "'": re.compile(r"'(?:[^'\\\n]|\\[^\n]){0,4096}'"),
}
_SCHEME_CREDENTIAL = re.compile(
    r"""(?:Bearer|Basic|Token|Digest)\s{1,8}(?P<credential>[^\s"',}\]]{1,4096})""", re.IGNORECASE
)
_BARE_VALUE = re.compile(r"""[^\s"',，}\]&;\\]{1,4096}""")


def _key_start(text: str, position: int) -> int:
    """Walk back from a secret word to the start of its key and opening quote."""
    start = position - len(_KEY_TAIL.search(text, max(0, position - 40), position).group())
    if start > 0 and text[start - 1] in "\"'":
        start -= 1
        if start > 0 and text[start - 1] == "\\":
            start -= 1
    return start


def _line_end(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end == -1 else end


def _bracket_end(text: str, start: int) -> int:
    """Return the end of the array or object that opens at ``start``.

    Quoted strings inside are skipped. An array or object that is not closed
    within MAX_VALUE_CHARS ends at the end of that bound, because its secret
    may sit on any line of it.
    """
    closing = {"[": "]", "{": "}"}
    expected = []
    quote = ""
    limit = min(len(text), start + MAX_VALUE_CHARS)
    position = start
    while position < limit:
        char = text[position]
        if quote:
            if char == "\\":
                position += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in closing:
            expected.append(closing[char])
        elif expected and char == expected[-1]:
            expected.pop()
            if not expected:
                return position + 1
        position += 1
    return limit


def _looks_like_credential(value: str) -> bool:
    """Return True for a word that follows a secret key after whitespace alone and
    looks like a credential: it has a digit, or 16 or more characters.

    NOTE: a password of letters only, as in "password hunter", is kept after
    whitespace alone, because "token expired" and "password for user" are
    ordinary messages.
    """
    return len(value) >= 16 or any(char.isdigit() for char in value)


def _quoted_end(text: str, start: int, quote: str) -> tuple[int, str]:
    """Return the end and the closing quote of the value quoted with ``quote`` at ``start``.

    A value that is not closed on its own line has "" as its closing quote.
    Quoted strings may span lines, so a quote on a later line within
    MAX_VALUE_CHARS may close it, and the value then runs to the end of that
    line. Cutting at that quote instead would show the rest of the line, which
    may be the next secret value, as in two lines of 'password: "x'.
    Otherwise the value runs to the end of its own line.
    """
    match = _QUOTED_ON_LINE[quote].match(text, start)
    if match is not None:
        return match.end(), quote
    later = text.find(quote, start + len(quote), start + MAX_VALUE_CHARS)
    return _line_end(text, start if later == -1 else later), ""


def _value_end(text: str, start: int, spaced: bool) -> tuple[int, str, str] | None:
    """Return the end, opening quote and closing quote of the secret value at ``start``.

    ``spaced`` is True when only whitespace separates the value from its key.
    Returns None when no value starts at ``start``.
    """
    if start >= len(text):
        return None
    for quote in _QUOTED_ON_LINE:
        if not text.startswith(quote, start):
            continue
        end, closing = _quoted_end(text, start, quote)
        inside = text[start + len(quote) : end - len(closing)]
        if not inside.strip():
            return None
        return end, quote, closing
    if text[start] in "[{":
        end = _bracket_end(text, start)
        if not any(char.isalnum() for char in text[start:end]):
            return None
        return end, "", ""
    match = _SCHEME_CREDENTIAL.match(text, start)
    if match is not None and (not spaced or _looks_like_credential(match["credential"])):
        return match.end(), "", ""
    match = _BARE_VALUE.match(text, start)
    if match is None or not any(char.isalnum() for char in match.group()):
        return None
    if spaced and not _looks_like_credential(match.group()):
        return None
    return match.end(), "", ""


def _secret_spans(text: str) -> list[tuple[int, int, str, str]]:
    """Return the start, end, opening and closing quote of each secret value in ``text``."""
    spans: list[tuple[int, int, str, str]] = []
    covered = 0
    lowered = text.lower()
    # Lowering keeps every offset unless a character lowers to two, as "İ" does.
    if len(lowered) == len(text):
        words = _LOWER_SECRET_WORD.finditer(lowered)
    else:
        words = _SECRET_WORD.finditer(text)
    for word in words:
        if word.start() < covered:
            continue
        match = _SECRET_AT_KEY.match(text, _key_start(text, word.start()))
        if match is None or match.end("key") < word.end():
            continue
        start = match.end()
        spaced = not match.group("separator").strip()
        value = _value_end(text, start, spaced)
        if value is None:
            continue
        end, opening, closing = value
        if "cookie" in match.group("key").lower():
            # A cookie header carries several name=value pairs up to the line end.
            end, closing = max(end, _line_end(text, start)), ""
        spans.append((start, end, opening, closing))
        covered = end
    return spans


def _spans_after(text: str, context: str) -> list[tuple[int, int, str, str]]:
    """Return the secret spans of ``context + text`` that reach into ``text``,
    with offsets in ``text``.

    A span that starts in ``context``, as the value of a key at the end of the
    previous piece of input, starts at 0 and has no opening quote.
    """
    spans = []
    for start, end, opening, closing in _secret_spans(context + text):
        start, end = start - len(context), end - len(context)
        if end <= 0:
            continue
        if start < 0:
            start, opening = 0, ""
        spans.append((start, end, opening, closing))
    return spans


def redact_text(text: str, context: str = "") -> str:
    """Replace the value of every ``secret-key: value`` pair in free text.

    ``context`` is the text just before ``text`` in the input, such as the
    end of the previous record, so that a value whose key ends the context is
    redacted too. The result covers ``text`` alone.
    """
    if not text:
        return text
    pieces = []
    position = 0
    for start, end, opening, closing in _spans_after(text, context):
        pieces.append(text[position:start])
        pieces.append(opening + REDACTED + closing)
        position = end
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def secret_values(text: str, context: str = "") -> list[str]:
    """Return the secret values in ``text``, so that messages quoting them can be redacted.

    ``context`` is the text just before ``text``, as for :func:`redact_text`.
    """
    values = []
    for start, end, opening, closing in _spans_after(text, context):
        value = text[start + len(opening) : end - len(closing)]
        if value.strip():
            values.append(value.strip())
    return values


def overlaps_secret(text: str, start: int, end: int) -> bool:
    """Return True when ``text[start:end]`` overlaps the value of a secret key in ``text``.

    Only the text from MAX_VALUE_CHARS and the length of a key before
    ``start`` is searched, so that a caller with a long text pays for a
    bounded region. A key further back only has a quoted value that is not
    closed on its line, whose opening quote a parser reports instead.
    """
    region = max(0, start - MAX_VALUE_CHARS - MAX_KEY_CHARS)
    spans = _secret_spans(text[region : end + MAX_KEY_CHARS])
    return any(
        value_start < end - region and start - region < value_end
        for value_start, value_end, _, _ in spans
    )


def is_secret_key(key: str) -> bool:
    return _SECRET_KEY.fullmatch(key.strip()) is not None


def redact_value(value: Any) -> Any:
    """Redact secrets inside nested mappings, lists and strings."""
    if isinstance(value, Mapping):
        return {
            key: (REDACTED if is_secret_key(str(key)) else redact_value(item))
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(redact_value(item) for item in value)
    if isinstance(value, str):
        return redact_text(value)
    return value
