"""Remove secrets from text and values before they reach any output.

Sunstone request bodies carry the session's ``csrftoken``; pasted text may carry
passwords or tokens. Keys are matched case-insensitively and values are replaced
by ``<redacted>``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

REDACTED = "<redacted>"

#: Keys whose values are secrets, whatever object they appear in.
SECRET_KEYS = frozenset(
    {
        "csrftoken",
        "csrf_token",
        "password",
        "passwd",
        "token",
        "secret",
        "api_key",
        "apikey",
        "authorization",
        "session",
        "sessionid",
        "one_auth",
    }
)

# A secret key, quoted or not, then ":" or "=", then the value up to the next
# quote, space, comma or brace. Keys are bounded words, so the scan is linear.
_SECRET_IN_TEXT = re.compile(
    r"""(?P<key>["']?\b(?:"""
    + "|".join(sorted(SECRET_KEYS, key=len, reverse=True))
    + r""")\b["']?\s{0,8}[:=：]\s{0,8}["']?)(?P<value>[^"'\s,，}\]&;]+)""",
    re.IGNORECASE,
)


def redact_text(text: str) -> str:
    """Replace the value of every ``secret-key: value`` pair in free text."""
    if not text:
        return text
    return _SECRET_IN_TEXT.sub(lambda match: match.group("key") + REDACTED, text)


def is_secret_key(key: str) -> bool:
    return key.strip().lower() in SECRET_KEYS


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
