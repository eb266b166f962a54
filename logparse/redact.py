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
# name (JSON inside a string escapes its quotes as \"), then ":", "=" or a
# full-width colon, then the value. A quoted value runs to its closing quote;
# "Bearer" and "Basic" take the credential after them. A quoted value also
# counts without a separator, as in "password" "x". Each hit costs a bounded
# amount of work, so the scan stays linear in the length of the text.
_SECRET_WORD = re.compile(_WORDS, re.IGNORECASE)
_KEY_TAIL = re.compile(r"[\w-]*\Z")
_SECRET_AT_KEY = re.compile(
    r"""(?P<key>(?:\\?["']|&quot;)?[\w-]{1,120}+(?:\\?["']|&quot;)?)"""
    r"""(?P<separator>(?:\s{0,8}(?:[:=：﹕＝]|%3[Aa]|%3[Dd])){1,3}\s{0,8}|\s{1,8}(?=\\?["']))"""
    r"""(?P<value>\\"(?:[^"\\]|\\[^"]){0,4096}\\"|&quot;.{0,4096}?&quot;|"[^"\n]{0,4096}"|'[^'\n]{0,4096}'"""
    r"""|(?:Bearer|Basic|Token|Digest)\s{1,8}[^\s"',}\]]{1,4096}"""
    r"""|[^\s"',，}\]&;\\]{1,4096})""",
    re.IGNORECASE,
)


def _key_start(text: str, position: int) -> int:
    """Walk back from a secret word to the start of its key and opening quote."""
    start = position - len(_KEY_TAIL.search(text, max(0, position - 40), position).group())
    if start > 0 and text[start - 1] in "\"'":
        start -= 1
        if start > 0 and text[start - 1] == "\\":
            start -= 1
    return start


def _secret_spans(text: str) -> list[tuple[int, int, str]]:
    """Return the start, end and quote of each secret value in ``text``."""
    spans: list[tuple[int, int, str]] = []
    covered = 0
    for word in _SECRET_WORD.finditer(text):
        if word.start() < covered:
            continue
        match = _SECRET_AT_KEY.match(text, _key_start(text, word.start()))
        if match is None or match.end("key") < word.end():
            continue
        value = match.group("value")
        if not match.group("separator").strip() and not value.startswith(("'", '"', "\\")):
            continue
        if not any(char.isalnum() for char in value):
            continue
        start, end = match.span("value")
        if "cookie" in match.group("key").lower():
            # A cookie header carries several name=value pairs up to the line end.
            line_end = text.find("\n", start)
            end = len(text) if line_end == -1 else line_end
        quote = next((q for q in ('\\"', "&quot;", '"', "'") if value.startswith(q)), "")
        spans.append((start, end, quote))
        covered = end
    return spans


def redact_text(text: str) -> str:
    """Replace the value of every ``secret-key: value`` pair in free text."""
    if not text:
        return text
    pieces = []
    position = 0
    for start, end, quote in _secret_spans(text):
        pieces.append(text[position:start])
        pieces.append(quote + REDACTED + quote)
        position = end
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def secret_values(text: str) -> list[str]:
    """Return the secret values in ``text``, so that messages quoting them can be redacted."""
    values = []
    for start, end, quote in _secret_spans(text):
        value = text[start:end]
        if quote and value.endswith(quote) and len(value) >= 2 * len(quote):
            value = value[len(quote) : -len(quote)]
        if value.strip():
            values.append(value.strip())
    return values


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
