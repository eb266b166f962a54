"""Remove secrets from text and values before they reach any output.

Sunstone request bodies carry the session's ``csrftoken``; pasted text may carry
passwords or tokens. A key is secret when its name contains one of the words in
:data:`SECRET_WORDS` (``csrftoken``, ``new_password``, ``access_token``), in any
case, unless the name is an exception class such as ``OneAuthorizationException``.
Its value is replaced by ``<redacted>``. Free text is also searched for a value
after "password is" or "密码是", for the text of an XML element such as
``<PASSWORD>``, and for the password in a URL such as ``mysql://oneadmin:pass@db``.
"""

from __future__ import annotations

import functools
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
    "密碼",
    "口令",
    "令牌",
    "密钥",
    "密鑰",
    "秘钥",
    "秘鑰",
)

_WORDS = "|".join(SECRET_WORDS)

# Chinese words from SECRET_WORDS. Chinese has no spaces between words, so
# their value may follow the copula 是 or 为 ("is") directly, as in "密码是abc123".
_CHINESE_WORDS = frozenset({"密码", "密碼", "口令", "令牌", "密钥", "密鑰", "秘钥", "秘鑰"})

# Words from SECRET_WORDS whose value may follow "is" or "was" in an English
# sentence, as in "the password is hunter2". A value after "token is" must
# also look like a credential, because "the token is expired" is ordinary.
_PROSE_WORDS = frozenset({"password", "passwd", "passphrase", "secret"})

# Text is searched for the secret words first, a fast literal scan, and each
# hit is then matched from the start of its key. A key is a quoted or unquoted
# name (JSON inside a string escapes its quotes as \"), then ":", "=", "=>" or a
# full-width colon, then the value. Quotes and separators may also be escaped
# for HTML or URLs (see _QUOTE and _SEPARATOR). A value may also follow the key
# after whitespace alone, as in "password hunter2", when it is quoted, bracketed
# or looks like a credential (see _looks_like_credential). _span_at_word also
# reads XML elements, "the password is x" and "密码是x". _value_end decides where
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
_KEY_HEAD = re.compile(r"[\w-]{0,120}")

# Quotation marks around a key or value: plain, escaped with a backslash as in
# JSON inside a string, HTML entities (also escaped twice, as in "&amp;quot;"),
# URL-encoded, and JSON \u escapes.
_QUOTE = (
    r"""\\?["']|&(?:amp;)?(?:quot|apos|\#0{0,3}(?:34|39)|\#x0{0,2}(?:22|27));"""
    r"""|%2[27]|\\u00(?:22|27)"""
)
# Key separators: ":", "=", "=>" and full-width colons and equals signs, also
# URL-encoded and as HTML entities.
_SEPARATOR = r"=>|[:=：﹕＝]|%3[AD]|&(?:amp;)?(?:colon|equals|\#0{0,3}(?:58|61)|\#x0{0,2}3[AD]);"
_SECRET_AT_KEY = re.compile(
    rf"""(?P<key>(?:{_QUOTE})?[\w-]{{1,120}}+(?:{_QUOTE})?)"""
    rf"""(?P<separator>(?:\s{{0,64}}(?:{_SEPARATOR})){{1,3}}\s{{0,64}}|\s{{1,8}})""",
    re.IGNORECASE,
)

#: Maximum length, in characters, of a value that is searched for its closing
#: quote or bracket.
MAX_VALUE_CHARS = 4096

#: Maximum length, in characters, of a key and its separator, as _SECRET_AT_KEY
#: matches them: a quoted key of 120 characters and three separators. An XML
#: start tag with attributes, "password is" and "密码是" are shorter.
MAX_KEY_CHARS = 512

_OPENING_QUOTE = re.compile(rf"{_QUOTE}|[“‘「『]", re.IGNORECASE)
_CLOSING_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』"}

# Quoted values that close on their own line, for the quotes that a backslash
# escapes inside the value. Other quotes close at their next occurrence.
_ESCAPABLE_QUOTED = {
    '\\"': re.compile(r'\\"(?:[^"\\\n]|\\[^"\n]){0,4096}\\"'),
    "\\'": re.compile(r"\\'(?:[^'\\\n]|\\[^'\n]){0,4096}\\'"),
    '"': re.compile(r'"(?:[^"\\\n]|\\[^\n]){0,4096}"'),
    "'": re.compile(r"'(?:[^'\\\n]|\\[^\n]){0,4096}'"),
}
_SCHEME_CREDENTIAL = re.compile(
    r"""(?:Bearer|Basic|Token|Digest)\s{1,8}(?P<credential>[^\s"',}\]]{1,4096})""", re.IGNORECASE
)
# A placeholder such as "<passwd>" in "Bad format for one_auth token
# (<user>:<passwd>)", which describes a value instead of being one.
_PLACEHOLDER = re.compile(r"<[\w-]{1,64}>")
_BARE_VALUE = re.compile(r"""[^\s"',，}\]&;\\]{1,4096}""")


def _name_start(text: str, position: int) -> int:
    """Walk back from a secret word to the start of the key name that contains it."""
    return position - len(_KEY_TAIL.search(text, max(0, position - 40), position).group())


def _key_start(text: str, name_start: int) -> int:
    """Step back from the start of a key name over its opening quote."""
    start = name_start
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
    looks like a credential: it has a digit, or 16 or more characters, outside
    placeholders such as "<passwd>".

    NOTE: a password of letters only, as in "password hunter", is kept after
    whitespace alone, because "password expired", "password authentication
    failed" and "password for user" are ordinary messages, and only a
    dictionary could distinguish them from it.
    """
    if "<" in value:
        value = _PLACEHOLDER.sub("", value)
        if not any(char.isalnum() for char in value):
            return False
    return len(value) >= 16 or any(char.isdigit() for char in value)


@functools.lru_cache(maxsize=128)
def _quote_patterns(opening: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Return the pattern of a value quoted with ``opening`` that closes on its
    line, and the pattern of its closing quote."""
    closing = _CLOSING_QUOTES.get(opening, opening)
    closing_pattern = re.compile(re.escape(closing), re.IGNORECASE)
    if opening in _ESCAPABLE_QUOTED:
        return _ESCAPABLE_QUOTED[opening], closing_pattern
    on_line = rf"{re.escape(opening)}[^\n]{{0,4096}}?{re.escape(closing)}"
    return re.compile(on_line, re.IGNORECASE), closing_pattern


def _quoted_end(text: str, start: int, quote: str) -> tuple[int, str]:
    """Return the end and the closing quote of the value quoted with ``quote`` at ``start``.

    A value that is not closed on its own line has "" as its closing quote.
    Quoted strings may span lines, so a quote on a later line within
    MAX_VALUE_CHARS may close it, and the value then runs to the end of that
    line. Cutting at that quote instead would show the rest of the line, which
    may be the next secret value, as in two lines of 'password: "x'.
    Otherwise the value runs to the end of its own line.
    """
    on_line, closing = _quote_patterns(quote.lower())
    match = on_line.match(text, start)
    if match is not None:
        closing_length = len(_CLOSING_QUOTES.get(quote, quote))
        return match.end(), text[match.end() - closing_length : match.end()]
    later = closing.search(text, start + len(quote), start + MAX_VALUE_CHARS)
    return _line_end(text, start if later is None else later.start()), ""


def _value_end(text: str, start: int, spaced: bool) -> tuple[int, str, str] | None:
    """Return the end, opening quote and closing quote of the secret value at ``start``.

    ``spaced`` is True when only whitespace separates the value from its key.
    Returns None when no value starts at ``start``.
    """
    if start >= len(text):
        return None
    opening = _OPENING_QUOTE.match(text, start)
    if opening is not None:
        quote = opening.group()
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


_Span = tuple[int, int, str, str]

# An exception class name such as OneAuthorizationException or TokenError
# names an error, and the text after its colon is the error message.
_EXCEPTION_NAME = re.compile(r"(?:exception|error)\Z", re.IGNORECASE)


def _keyed_span(text: str, name_start: int, word_end: int, name: str) -> _Span | None:
    """Return the value after ``name``, the key that starts at ``name_start``, and
    a separator: "key: value", "key=value" or "KEY value"."""
    match = _SECRET_AT_KEY.match(text, _key_start(text, name_start))
    if match is None or match.end("key") < word_end:
        return None
    start = match.end()
    spaced = not match.group("separator").strip()
    value = _value_end(text, start, spaced)
    if value is None:
        return None
    end, opening, closing = value
    lowered = name.lower()
    if "cookie" in lowered:
        # A cookie header carries several name=value pairs up to the line end.
        end, closing = max(end, _line_end(text, start)), ""
    if lowered.endswith(("credential", "credentials")) and _reads_as_prose(text, start, end):
        return None
    return start, end, opening, closing


_WORD_AFTER = re.compile(r"[ \t]{1,8}[^\W\d_]")


def _reads_as_prose(text: str, start: int, end: int) -> bool:
    """Return True when the bare word from ``start`` to ``end`` starts a sentence.

    A word of letters alone with another word after it on its line is prose, as
    in "Could not validate user credentials:  CRL file ... does not exist".
    _keyed_span applies this only to keys named "credential" or "credentials",
    because "password: letmein now" shows a password.

    NOTE: a password of letters alone after "credentials:" is therefore kept
    when more words follow it on its line, as in "credentials: letmein now".
    """
    return text[start:end].isalpha() and _WORD_AFTER.match(text, end) is not None


# The end of an XML start tag, after the element name, and the text that ends
# the element's text: plain, or escaped for HTML.
_TAG_ENDS = {
    "<": (re.compile(r"(?:\s[^<>\n]{0,256})?>"), "<"),
    "&lt;": (re.compile(r"(?:\s[^&\n]{0,256})?&gt;", re.IGNORECASE), "&lt;"),
}


def _element_span(text: str, name_start: int, name_end: int) -> _Span | None:
    """Return the text of an XML element whose name contains a secret word, as in
    "<PASSWORD>x</PASSWORD>" or "<TOKEN><![CDATA[x]]></TOKEN>".

    OpenNebula's USER element has both (share/doc/xsd/user.xsd in OpenNebula/one).
    """
    if name_start > 0 and text[name_start - 1] == "<":
        opening = "<"
    elif text[max(0, name_start - 4) : name_start].lower() == "&lt;":
        opening = "&lt;"
    else:
        return None
    tag_end, text_end = _TAG_ENDS[opening]
    match = tag_end.match(text, name_end)
    if match is None:
        return None
    start = match.end()
    cdata = opening + "![CDATA["
    if text[start : start + len(cdata)].upper() == cdata.upper():
        close = text.find("]]", start, start + MAX_VALUE_CHARS)
        if close == -1:
            return start + len(cdata), _line_end(text, start), "", ""
        return start + len(cdata), close, "", ""
    close = text[start : start + MAX_VALUE_CHARS].lower().find(text_end)
    end = _line_end(text, start) if close == -1 else start + close
    if not any(char.isalnum() for char in text[start:end]):
        return None
    return start, end, "", ""


# "是" or "为" after a Chinese secret word, and a colon if any.
_CHINESE_COPULA = re.compile(r"\s{0,8}[是为為]\s{0,8}(?P<colon>[:：=＝﹕]\s{0,8})?")

# A value after "是" or "为" without a colon. It starts with a character that is
# not Chinese, so "密码为空" ("the password is empty") and "密码是否正确" ("whether
# the password is right") have no value, and it ends before Chinese text, as
# in "密码是abc123请修改".
_CHINESE_BARE_VALUE = re.compile(
    r"""[^\s"',}\]&;\\\u2018-\u201f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff"""
    r"""\uf900-\ufaff\uff01-\uff0f\uff1a-\uff20]{1,4096}"""
)


def _copula_span(text: str, word_end: int) -> _Span | None:
    """Return the value after a Chinese secret word and "是" or "为", as in "密码是abc123".

    NOTE: a password of Chinese characters after "是" or "为" without a colon is
    kept, because it reads the same as a description such as "密码为空".
    """
    match = _CHINESE_COPULA.match(text, word_end)
    if match is None:
        return None
    start = match.end()
    if match.group("colon") or _OPENING_QUOTE.match(text, start):
        value = _value_end(text, start, spaced=False)
        return None if value is None else (start, *value)
    bare = _CHINESE_BARE_VALUE.match(text, start)
    if bare is None or not any(char.isalnum() for char in bare.group()):
        return None
    return start, bare.end(), "", ""


# "is" or "was" after a key from _PROSE_WORDS, and a colon if any.
_PROSE_COPULA = re.compile(
    r"""["']?\s{1,8}(?:is|was)(?:\s{0,8}(?P<colon>[:=])\s{0,8}|\s{1,8})""", re.IGNORECASE
)

# Words that describe a password instead of being one, after "password is".
_DESCRIPTIONS = frozenset(
    {
        "a",
        "about",
        "absent",
        "accepted",
        "already",
        "also",
        "always",
        "an",
        "as",
        "at",
        "available",
        "bad",
        "being",
        "blank",
        "both",
        "by",
        "case",
        "changeable",
        "common",
        "correct",
        "currently",
        "default",
        "different",
        "due",
        "empty",
        "exactly",
        "fine",
        "for",
        "from",
        "given",
        "good",
        "hidden",
        "in",
        "incomplete",
        "incorrect",
        "insecure",
        "invalid",
        "its",
        "long",
        "mandatory",
        "missing",
        "needed",
        "never",
        "new",
        "nil",
        "no",
        "none",
        "not",
        "null",
        "ok",
        "okay",
        "old",
        "on",
        "only",
        "optional",
        "or",
        "present",
        "ready",
        "same",
        "secure",
        "sensitive",
        "set",
        "short",
        "still",
        "strong",
        "than",
        "that",
        "the",
        "this",
        "to",
        "too",
        "unavailable",
        "unknown",
        "unset",
        "valid",
        "very",
        "weak",
        "what",
        "wrong",
    }
)
_DESCRIPTION_SUFFIXES = ("ed", "ing", "ly", "able", "ible")


def _describes_value(word: str) -> bool:
    """Return True when ``word`` after "password is" is an ordinary description,
    such as "incorrect", "expired" or "case-sensitive", and not the password.

    The words are a fixed list and regular suffixes, so a password that is an
    English word such as "expired" is kept, and an unusual description is
    redacted.
    """
    parts = word.rstrip(".,;:!?)").lower().split("-")
    return all(
        part.isascii()
        and part.isalpha()
        and (part in _DESCRIPTIONS or (len(part) > 4 and part.endswith(_DESCRIPTION_SUFFIXES)))
        for part in parts
    )


def _prose_span(text: str, name_end: int, credential_only: bool = False) -> _Span | None:
    """Return the value in "the password is hunter2" or 'the password was "x"'.

    With ``credential_only``, a value without a colon before it must look like a
    credential (see _looks_like_credential).
    """
    match = _PROSE_COPULA.match(text, name_end)
    if match is None:
        return None
    start = match.end()
    if match.group("colon"):
        value = _value_end(text, start, spaced=False)
        return None if value is None else (start, *value)
    if _OPENING_QUOTE.match(text, start):
        value = _value_end(text, start, spaced=False)
        if value is None:
            return None
        end, opening, closing = value
        inside = text[start + len(opening) : end - len(closing)]
        if credential_only and not _looks_like_credential(inside):
            return None
        return start, end, opening, closing
    bare = _BARE_VALUE.match(text, start)
    if bare is None or not any(char.isalnum() for char in bare.group()):
        return None
    if credential_only and not _looks_like_credential(bare.group()):
        return None
    if _describes_value(bare.group()):
        return None
    return start, bare.end(), "", ""


# Bash reports a syntax error as "(error token is "+1")", which shows a
# lexical token, not a credential.
_ERROR_BEFORE = re.compile(r"error\s{1,8}\Z", re.IGNORECASE)


def _span_at_word(text: str, word_start: int, word_end: int) -> _Span | None:
    """Return the secret value of the key that contains the secret word at
    ``word_start``, or None when the word starts no key and value."""
    word = text[word_start:word_end]
    if word in _CHINESE_WORDS:
        # The copula comes first: as a key, "密码是abc123" would run on to the
        # next separator, past the value.
        span = _copula_span(text, word_end)
        if span is not None:
            return span
    name_start = _name_start(text, word_start)
    name_end = word_end + len(_KEY_HEAD.match(text, word_end).group())
    name = text[name_start:name_end]
    if _EXCEPTION_NAME.search(name):
        return None
    span = _element_span(text, name_start, name_end)
    if span is None:
        span = _keyed_span(text, name_start, word_end, name)
    if span is not None:
        return span
    lowered = word.lower()
    if lowered in _PROSE_WORDS:
        return _prose_span(text, name_end)
    if lowered == "token" and not _ERROR_BEFORE.search(text, max(0, name_start - 16), name_start):
        return _prose_span(text, name_end, credential_only=True)
    return None


# The password in the user information of a URL, as in
# "mysql://oneadmin:pass@localhost/opennebula". It ends at the last "@" before
# the host, because a password may contain "@".
_URL_PASSWORD = re.compile(r"""://[^\s:/?#@"'<>]{0,256}:(?P<password>[^\s/?#"'<>]{1,1024})@""")


def _secret_spans(text: str) -> list[_Span]:
    """Return the start, end, opening and closing quote of each secret value in ``text``."""
    spans: list[_Span] = []
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
        span = _span_at_word(text, word.start(), word.end())
        if span is None:
            continue
        spans.append(span)
        covered = span[1]
    passwords = [
        (match.start("password"), match.end("password"), "", "")
        for match in _URL_PASSWORD.finditer(text)
    ]
    if not passwords:
        return spans
    # A URL password inside a secret value, or a secret value inside a URL
    # password, is redacted with the span that starts first.
    merged: list[_Span] = []
    covered = 0
    for span in sorted(spans + passwords):
        if span[0] >= covered:
            merged.append(span)
            covered = span[1]
    return merged


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
    """Return True when a mapping key names a secret: its name contains a secret
    word, as "auth.token" and "user password" do, and is not an exception class."""
    name = key.strip()
    return _SECRET_WORD.search(name) is not None and _EXCEPTION_NAME.search(name) is None


def redact_value(value: Any) -> Any:
    """Redact secrets inside nested mappings, lists and strings.

    String keys are redacted as text too, because a form body parsed as JSON
    can turn "password=x" into a key. A key that then equals an earlier one
    gets a suffix, "#2" and up, so that no item is lost.
    """
    if isinstance(value, Mapping):
        redacted: dict[Any, Any] = {}
        for key, item in value.items():
            item = REDACTED if is_secret_key(str(key)) else redact_value(item)
            if isinstance(key, str):
                key = _unique_key(redacted, redact_text(key))
            redacted[key] = item
        return redacted
    if isinstance(value, list | tuple):
        return type(value)(redact_value(item) for item in value)
    if isinstance(value, str):
        return redact_text(value)
    return value


def _unique_key(existing: Mapping[Any, Any], key: str) -> str:
    if key not in existing:
        return key
    number = 2
    while f"{key}#{number}" in existing:
        number += 1
    return f"{key}#{number}"
