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

#: Words that make a key secret when its name contains them.
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
    r"""(?P<key>(?:\\?["'])?[\w-]{1,120}+(?:\\?["'])?)"""
    r"""(?P<separator>\s{0,8}[:=：]\s{0,8}|\s{1,8}(?=\\?["']))"""
    r"""(?P<value>\\"(?:[^"\\]|\\[^"]){0,4096}\\"|"[^"\n]{0,4096}"|'[^'\n]{0,4096}'"""
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


def _secret_matches(text: str) -> list[re.Match[str]]:
    matches: list[re.Match[str]] = []
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
        matches.append(match)
        covered = match.end()
    return matches


def redact_text(text: str) -> str:
    """Replace the value of every ``secret-key: value`` pair in free text."""
    if not text:
        return text
    pieces = []
    position = 0
    for match in _secret_matches(text):
        value = match.group("value")
        quote = value[:2] if value.startswith('\\"') else value[:1] if value[:1] in "'\"" else ""
        pieces.append(text[position : match.start("value")])
        pieces.append(quote + REDACTED + quote)
        position = match.end()
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def secret_values(text: str) -> list[str]:
    """Return the secret values in ``text``, so that messages quoting them can be redacted."""
    values = (match.group("value").strip("\\\"'") for match in _secret_matches(text))
    return [value for value in values if value]


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
