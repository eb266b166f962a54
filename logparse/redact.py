"""Remove secrets from text and values before they reach any output.

Sunstone request bodies carry the session's ``csrftoken``; pasted text may carry
passwords or tokens. A key is secret when its name contains one of the words in
:data:`SECRET_WORDS` (``csrftoken``, ``new_password``, ``access_token``), in any
case, unless the name is an exception class such as ``OneAuthorizationException``.
Its value is replaced by ``<redacted>``. Free text is also searched for a value
after "password is" or "密码是", for the text of an XML element such as
``<PASSWORD>``, for the password in a URL such as ``mysql://oneadmin:pass@db``,
for the password options of command lines such as ``mysql -ppass`` and
``curl -u oneadmin:pass``, for the body of a PEM private key, and for the
password of a user name in OpenNebula's ONE_AUTH form ``oneadmin:pass``, as a
whole text or after a key such as ``creator``.
"""

from __future__ import annotations

import functools
import re
import string
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
    "api-key",
    "apikey",
    "authorization",
    "sessionid",
    "session_id",
    "one_auth",
    "credential",
    "passphrase",
    # "pass" as a whole key name, as in "pass=x" and "DB_PASS", but not in
    # "passthrough" or "pass-through". _names_password rejects "bypass" and
    # other words that end in "pass".
    "pass(?![a-z]|[-_ ]?thr)",
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


#: Minimum length, in characters, of a value after "pass" and whitespace alone.
#: "pass" is also an English verb, as in "did not pass 2 checks".
MIN_SPACED_PASS_CHARS = 16


def _keyed_span(text: str, name_start: int, word_end: int, name: str) -> _Span | None:
    """Return the value after ``name``, the key that starts at ``name_start``, and
    a separator: "key: value", "key=value" or "KEY value".

    A key that starts with "-" is a command-line option such as "--password", so
    the word after it is its value whatever its shape, unless it is another option.
    """
    match = _SECRET_AT_KEY.match(text, _key_start(text, name_start))
    if match is None or match.end("key") < word_end:
        return None
    start = match.end()
    spaced = not match.group("separator").strip()
    option = text.startswith("-", name_start)
    if spaced and option and text.startswith("-", start):
        return None
    value = _value_end(text, start, spaced and not option)
    if value is None:
        return None
    end, opening, closing = value
    lowered = name.lower()
    # A short value after "pass" and whitespace alone is kept, as in "pass 2
    # checks". "pass=hunter2" and "--pass hunter2" are redacted.
    if (
        spaced
        and not option
        and text[word_end - 4 : word_end].lower() == "pass"
        and end - start - len(opening) - len(closing) < MIN_SPACED_PASS_CHARS
    ):
        return None
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


# Words and program names that end in "pass" without naming a password, as in
# "bypass: true" and "bash: sshpass: command not found".
_PASS_LOOKALIKE = re.compile(r"(?:by|com|sur|tres|over|under|multi|kee|ssh)\Z", re.IGNORECASE)


def _names_password(text: str, word_start: int, word_end: int) -> bool:
    """Return False when the secret word at ``word_start`` is the end of a word
    such as "bypass", and True for every other secret word.

    The value of SSHPASS, the environment variable that "sshpass -e" reads, is a
    password.
    """
    if word_end - word_start != 4 or text[word_start:word_end].lower() != "pass":
        return True
    if _PASS_LOOKALIKE.search(text, max(0, word_start - 5), word_start) is None:
        return True
    return text[word_start - 3 : word_end + 1] == "SSHPASS="


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
    if not _names_password(text, word_start, word_end):
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


def _keyed_spans(text: str, lowered: str) -> list[_Span]:
    """Return the values of the keys in ``text`` that contain a secret word.

    ``lowered`` is ``text.lower()``.
    """
    spans: list[_Span] = []
    covered = 0
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
    return spans


# The password in the user information of a URL, as in
# "mysql://oneadmin:pass@localhost/opennebula". It ends at the last "@" before
# the host, because a password may contain "@".
# NOTE: "oneadmin:pass@host" without a scheme is kept, because it reads the
# same as "Error:oneadmin@node1" and "to:admin@example.com".
_URL_PASSWORD = re.compile(r"""://[^\s:/?#@"'<>]{0,256}:(?P<password>[^\s/?#"'<>]{1,1024})@""")

# A user name in OpenNebula's ONE_AUTH form "user:password" after a key that
# names a user, as in "creator: oneadmin:hunter2". OpenNebula rejects ":" and
# whitespace in user names (User::INVALID_NAME_CHARS in src/um/User.cc of
# OpenNebula/one), so the text after the first colon is a password. The
# password ends at whitespace, a quote, "}" or a comma before the next key.
# The pattern is for lowered text, which is searched faster than with
# re.IGNORECASE.
_USER_KEY_PASSWORD = re.compile(
    r"""(?P<key>creator|user(?:[-_]?name)?|uname)(?:\\?["'])?[ \t]{0,8}[:=][ \t]{0,8}"""
    r"""(?:\\?["'])?[^\s:"'\\,{}\[\]]{1,128}:"""
    r"""(?P<password>(?:[^\s"'\\,}]|,(?![ \t]?[\w-]{1,64}[ \t]?:)){1,1024})"""
)
_USER_KEY_PASSWORD_ANY_CASE = re.compile(_USER_KEY_PASSWORD.pattern, re.IGNORECASE)


def _user_password_spans(text: str, lowered: str) -> list[_Span]:
    """Return the password of each user name in ONE_AUTH form after a user key.

    ``lowered`` is ``text.lower()``.
    """
    if len(lowered) == len(text):
        matches = _USER_KEY_PASSWORD.finditer(lowered)
    else:
        matches = _USER_KEY_PASSWORD_ANY_CASE.finditer(text)
    spans: list[_Span] = []
    for match in matches:
        key = match.start("key")
        if key > 0 and (text[key - 1].isalnum() or text[key - 1] in "_-"):
            continue
        spans.append((match.start("password"), match.end("password"), "", ""))
    return spans


# The body of a PEM private key, after "-----BEGIN RSA PRIVATE KEY-----" or the
# same line for OPENSSH, EC, ENCRYPTED and other keys, and for a PGP "PRIVATE
# KEY BLOCK". The body is the headers of an encrypted key, such as
# "Proc-Type: 4,ENCRYPTED", then base64 text, whitespace and the escaped line
# breaks of JSON ("\n"). It ends at the first other character, which is the "-"
# of "-----END ...", so a key cut off before that line is redacted too, with
# any words that follow it on its line.
_PEM_BEGIN = re.compile(r"-----BEGIN [A-Z0-9 ]{0,64}PRIVATE KEY(?: BLOCK)?-----", re.IGNORECASE)
_PEM_END = re.compile(r"-----END [A-Z0-9 ]{0,64}PRIVATE KEY(?: BLOCK)?-----", re.IGNORECASE)
_PEM_BODY = re.compile(
    r"""(?:\s|\\[nrt])*+(?P<body>(?:[A-Za-z][\w-]{0,63}:[^\n\\]*+(?:\\[nr]|\n)?)*+"""
    r"""(?:[A-Za-z0-9+/=\s]|\\[nrt/])*+)"""
)
_PEM_BODY_TAIL = re.compile(r"(?:\s|\\[nrt])+\Z")
# The characters of a PEM body that str.rstrip skips back from its END line:
# base64, whitespace and the backslash of an escaped line break.
_PEM_BODY_CHARS = string.ascii_letters + string.digits + "+/=\\" + string.whitespace


def _private_key_spans(text: str) -> list[_Span]:
    """Return the body of each PEM private key in ``text``.

    A body is found after its BEGIN line, and also before its END line, because
    a record can end the text after the BEGIN line and leave the body and the
    END line to the skipped lines that follow it. Before an END line, the body
    runs back over every base64 word and whitespace, so the words before a key
    without a BEGIN line are redacted too.

    NOTE: a body with neither line next to it, as in a key cut off in skipped
    lines after the record that contains its BEGIN line, is kept.
    """
    spans: list[_Span] = []
    position = 0
    while (begin := _PEM_BEGIN.search(text, position)) is not None:
        body = _PEM_BODY.match(text, begin.end())
        start, end = body.span("body")
        position = max(end, begin.end())
        tail = _PEM_BODY_TAIL.search(text, start, end)
        if tail is not None:
            end = tail.start()
        if end > start:
            spans.append((start, end, "", ""))
    spans += _bodies_before_end(text, list(spans))
    return spans


def _bodies_before_end(text: str, bodies: list[_Span]) -> list[_Span]:
    """Return the body before each END line of a PEM private key that ``bodies``,
    the bodies found after BEGIN lines, do not reach."""
    spans: list[_Span] = []
    floor = 0
    following = iter(bodies)
    body = next(following, None)
    for end_line in _PEM_END.finditer(text):
        while body is not None and body[1] <= end_line.start():
            floor = max(floor, body[1])
            body = next(following, None)
        segment = text[floor : end_line.start()]
        run = segment[len(segment.rstrip(_PEM_BODY_CHARS)) :].lstrip()
        start = end_line.start() - len(run)
        tail = _PEM_BODY_TAIL.search(text, start, end_line.start())
        end = end_line.start() if tail is None else tail.start()
        if any(char.isalnum() for char in text[start:end]):
            spans.append((start, end, "", ""))
        floor = end_line.end()
    return spans


# Programs whose options take a password, by the name that the shell runs, and
# those options. The value of each option is the separator before the password
# in its argument: "" when the argument is the password, ":" for curl's
# "-u user:password" and "%" for smbclient's "-U user%password". None marks an
# option whose argument is not secret but must be skipped when counting
# arguments. Options such as --password and --pass contain a secret word, so
# _keyed_span redacts them for every program.
_PASSWORD_OPTIONS: tuple[tuple[re.Pattern[str], dict[str, str | None]], ...] = (
    (re.compile(r"curl"), {"-u": ":", "--user": ":", "-U": ":", "--proxy-user": ":"}),
    # mysql, mysqldump, mysqladmin, mariadb-dump and the other clients of MySQL
    # and MariaDB. A password must follow "-p" without a space (MySQL Reference
    # Manual, "Using Options on the Command Line"), so "-p hunter2" prompts for
    # the password and names a database "hunter2". People write it meaning the
    # password, so the argument after a separate "-p" is redacted too.
    (re.compile(r"(?:mysql|mariadb)[\w-]*"), {"-p": ""}),
    (re.compile(r"sshpass"), {"-p": ""}),
    (re.compile(r"redis-cli"), {"-a": ""}),
    (re.compile(r"ipmitool"), {"-P": ""}),
    # ldapsearch, ldapmodify and the other OpenLDAP clients: the bind password.
    (re.compile(r"ldap[a-z]+"), {"-w": ""}),
    (re.compile(r"mongo[a-z]*"), {"-p": ""}),
    (re.compile(r"smbclient"), {"-U": "%", "--user": "%"}),
    (re.compile(r"[xw]?freerdp[0-9]?"), {"/p:": ""}),
    # "oneuser passwd USER PASSWORD" and "oneuser create USER PASSWORD" take
    # the password as an argument (see _ONEUSER_PASSWORD_COMMANDS).
    (
        re.compile(r"oneuser"),
        {"--password": "", "--user": None, "--endpoint": None, "--driver": None, "--key": None},
    ),
)
_ONEUSER_PASSWORD_COMMANDS = frozenset({"passwd", "create"})

# A program from _PASSWORD_OPTIONS, and a space or tab after it.
# _command_spans checks that no letter, digit, "_", "." or "-" comes before it.
_COMMAND = re.compile(
    r"(?P<name>curl|(?:mysql|mariadb)[\w-]*|sshpass|redis-cli|ipmitool|ldap[a-z]+"
    r"|mongo[a-z]*|smbclient|[xw]?freerdp[0-9]?|oneuser)(?=[ \t])"
)
# Text that each name in _COMMAND contains. Searching for these first is much
# faster than searching for _COMMAND in text that has none.
_COMMAND_WORDS = (
    "curl",
    "mysql",
    "mariadb",
    "sshpass",
    "redis",
    "ipmitool",
    "ldap",
    "mongo",
    "smbclient",
    "freerdp",
    "oneuser",
)

# One argument of a command line, after spaces or tabs: unquoted text and
# quoted strings up to whitespace, ";", "|", "&", "<", ">", "(", ")" or "`".
# A quote that is not closed runs to the line end.
_ARGUMENT = re.compile(r"""[ \t]++(?P<token>(?:'[^'\n]*+'?|"[^"\n]*+"?|[^\s'";|&<>()`]++)++)""")
_ARGUMENT_QUOTE = re.compile(r"""\\?["']""")


def _program_options(name: str) -> dict[str, str | None] | None:
    for program, options in _PASSWORD_OPTIONS:
        if program.fullmatch(name):
            return options
    return None


def _attached_value(token: str, options: dict[str, str | None]) -> tuple[int, str | None] | None:
    """Return the offset of the value in an argument such as "-phunter2",
    "--user=oneadmin:hunter2" or "/p:hunter2", and the option's separator."""
    for option, separator in options.items():
        prefix = option + "=" if option.startswith("--") else option
        if len(token) > len(prefix) and token.startswith(prefix):
            return len(prefix), separator
    return None


def _argument_span(text: str, start: int, end: int, separator: str) -> _Span | None:
    """Return the password in the argument from ``start`` to ``end``, without its
    quotes, and after ``separator`` when that is not ""."""
    opening = _ARGUMENT_QUOTE.match(text, start, end)
    if opening is not None:
        quote = opening.group()
        start = opening.end()
        if end - start >= len(quote) and text.endswith(quote, start, end):
            end -= len(quote)
    if separator:
        found = text.find(separator, start, end)
        if found == -1:
            return None
        start = found + len(separator)
    return (start, end, "", "") if end > start else None


def _command_spans(text: str) -> list[_Span]:
    """Return the passwords in the options of the command lines in ``text``."""
    spans: list[_Span] = []
    if not any(word in text for word in _COMMAND_WORDS):
        return spans
    position = 0
    while (command := _COMMAND.search(text, position)) is not None:
        before = text[command.start() - 1] if command.start() > 0 else " "
        if before.isalnum() or before in "_.-":
            position = command.start() + 1
            continue
        position = _scan_arguments(text, command.end(), command["name"], spans)
    return spans


def _scan_arguments(text: str, position: int, program: str, spans: list[_Span]) -> int:
    """Append to ``spans`` the passwords in the arguments of ``program`` from
    ``position``, and return the end of its command line.

    The command line ends at the line end or at ";", "|", "&", "<", ">", "(",
    ")" or "`". An argument that names another program from _PASSWORD_OPTIONS,
    as "mysql" does in "sudo -u oneadmin mysql -phunter2", starts its options.
    """
    options = _program_options(program) or {}
    pending: str | None = None
    skip_next = False
    arguments: list[str] = []
    while (argument := _ARGUMENT.match(text, position)) is not None:
        position = argument.end()
        token, start = argument["token"], argument.start("token")
        if skip_next or pending is not None:
            if pending is not None and not token.startswith("-"):
                span = _argument_span(text, start, position, pending)
                if span is not None:
                    spans.append(span)
            pending, skip_next = None, False
            continue
        other = _program_options(token.rsplit("/", 1)[-1])
        if other is not None:
            program, options, arguments = token.rsplit("/", 1)[-1], other, []
            continue
        if token in options:
            pending = options[token]
            skip_next = pending is None
            continue
        attached = _attached_value(token, options)
        if attached is not None:
            offset, separator = attached
            span = (
                None
                if separator is None
                else _argument_span(text, start + offset, position, separator)
            )
            if span is not None:
                spans.append(span)
            continue
        if token.startswith("-"):
            continue
        arguments.append(token)
        if program == "sshpass":
            # The first argument is the program that sshpass runs, such as ssh,
            # whose own "-p" is a port.
            options = {}
        elif (
            program == "oneuser"
            and len(arguments) == 3
            and arguments[0] in _ONEUSER_PASSWORD_COMMANDS
        ):
            span = _argument_span(text, start, position, "")
            if span is not None:
                spans.append(span)
    return position


def _merge_spans(spans: list[_Span]) -> list[_Span]:
    """Sort ``spans`` and join those that overlap, so that no part of a value
    that two rules find shows."""
    merged: list[_Span] = []
    for span in sorted(spans):
        if merged and span[0] < merged[-1][1]:
            last = merged[-1]
            if span[1] > last[1]:
                merged[-1] = (last[0], span[1], last[2], span[3])
            continue
        merged.append(span)
    return merged


def _secret_spans(text: str) -> list[_Span]:
    """Return the start, end, opening and closing quote of each secret value in ``text``."""
    lowered = text.lower()
    spans = _keyed_spans(text, lowered)
    found: list[_Span] = []
    if "://" in text:
        found += [
            (m.start("password"), m.end("password"), "", "") for m in _URL_PASSWORD.finditer(text)
        ]
    if "private key" in lowered:
        found += _private_key_spans(text)
    if "user" in lowered or "creator" in lowered or "uname" in lowered:
        found += _user_password_spans(text, lowered)
    found += _command_spans(text)
    if not found:
        return spans
    return _merge_spans(spans + found)


# A text that is one user name in OpenNebula's ONE_AUTH form "user:password",
# as the creator field of a notification can be. OpenNebula rejects ":" and
# whitespace in user names (User::INVALID_NAME_CHARS in src/um/User.cc of
# OpenNebula/one), so the text after the first colon is a password. A text with
# "/" right after the colon is a URL or a path, as "http://x" and
# "node1:/var/lib/one" are, and a name with quotes, brackets or escapes is a key
# of JSON or of a query string, as in '{"pass":"x"}'.
_ONE_AUTH_TEXT = re.compile(r"""\s*[^\s:"'{}\[\]()<>,;=&%\\]{1,128}:(?P<password>[^\s/]\S*)\s*""")


def _spans_after(text: str, context: str, one_auth: bool) -> list[_Span]:
    """Return the secret spans of ``context + text`` that reach into ``text``,
    with offsets in ``text``.

    A span that starts in ``context``, as the value of a key at the end of the
    previous piece of input, starts at 0 and has no opening quote. With
    ``one_auth``, the password of a ``text`` in ONE_AUTH form is a span too.
    """
    spans = []
    for start, end, opening, closing in _secret_spans(context + text):
        start, end = start - len(context), end - len(context)
        if end <= 0:
            continue
        if start < 0:
            start, opening = 0, ""
        spans.append((start, end, opening, closing))
    match = _ONE_AUTH_TEXT.fullmatch(text) if one_auth else None
    if match is not None:
        spans = _merge_spans([*spans, (match.start("password"), match.end("password"), "", "")])
    return spans


def _redact(text: str, context: str, one_auth: bool) -> str:
    if not text:
        return text
    pieces = []
    position = 0
    for start, end, opening, closing in _spans_after(text, context, one_auth):
        pieces.append(text[position:start])
        pieces.append(opening + REDACTED + closing)
        position = end
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def redact_text(text: str, context: str = "") -> str:
    """Replace the value of every ``secret-key: value`` pair in free text.

    ``context`` is the text just before ``text`` in the input, such as the
    end of the previous record, so that a value whose key ends the context is
    redacted too. The result covers ``text`` alone.

    A ``text`` that is one word in OpenNebula's ONE_AUTH form, as the creator
    "oneadmin:hunter2" is, becomes "oneadmin:<redacted>", unless a "/" follows
    the colon as in a URL. In text of several words, such a word is redacted
    only after a key that names a user, as in "creator: oneadmin:hunter2".

    NOTE: a creator in ONE_AUTH form followed by other words, which a record
    with a missing comma gives, keeps its password.
    """
    if not context and len(text) <= _CACHED_TEXT_LENGTH:
        return _redact_cached(text)
    return _redact(text, context, one_auth=True)


# Logs repeat the same creators, types and messages many times, so short texts
# without context are redacted once. Strings are immutable, so sharing is safe.
_CACHED_TEXT_LENGTH = 4096


@functools.lru_cache(maxsize=1 << 14)
def _redact_cached(text: str) -> str:
    return _redact(text, "", one_auth=True)


def secret_values(text: str, context: str = "") -> list[str]:
    """Return the secret values in ``text``, so that messages quoting them can be redacted.

    ``context`` is the text just before ``text``, as for :func:`redact_text`.
    """
    values = []
    for start, end, opening, closing in _spans_after(text, context, one_auth=True):
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
    if _EXCEPTION_NAME.search(name) is not None:
        return False
    words = _SECRET_WORD.finditer(name)
    return any(_names_password(name, word.start(), word.end()) for word in words)


# Mapping keys whose string value names a user, which redact_value redacts
# with redact_text. Other string values are redacted without the ONE_AUTH rule
# of redact_text, because values such as "ceph-mon1:6789" and "ubuntu:22.04"
# have the same form.
_USER_KEY = re.compile(r"creator|user(?:[-_ ]?name)?|uname", re.IGNORECASE)


def redact_value(value: Any) -> Any:
    """Redact secrets inside nested mappings, lists and strings.

    String keys are redacted as text too, because a form body parsed as JSON
    can turn "password=x" into a key. A key that then equals an earlier one
    gets a suffix, "#2" and up, so that no item is lost. Only a string value of
    a key that names a user, such as "user", is redacted with the ONE_AUTH rule
    of :func:`redact_text`.
    """
    if isinstance(value, Mapping):
        redacted: dict[Any, Any] = {}
        for key, item in value.items():
            if is_secret_key(str(key)):
                item = REDACTED
            elif isinstance(item, str) and _USER_KEY.fullmatch(str(key).strip()):
                item = redact_text(item)
            else:
                item = redact_value(item)
            if isinstance(key, str):
                key = unique_key(redacted, _redact(key, "", one_auth=False))
            redacted[key] = item
        return redacted
    if isinstance(value, list | tuple):
        return type(value)(redact_value(item) for item in value)
    if isinstance(value, str):
        return _redact(value, "", one_auth=False)
    return value


def unique_key(existing: Mapping[Any, Any], key: str) -> str:
    """Return ``key``, or ``key#2``, ``key#3``... when ``existing`` already has it."""
    if key not in existing:
        return key
    number = 2
    while f"{key}#{number}" in existing:
        number += 1
    return f"{key}#{number}"
