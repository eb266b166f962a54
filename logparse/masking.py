"""Mask the variable parts of a message so that messages of one shape share a template.

``mask`` replaces values with placeholders in a fixed order of passes. Quoted
strings come first, so a quoted path or number stays one ``<QUOTED>``. Then come
URLs, UUIDs, MAC addresses, IPv6 addresses, timestamps, IPv4 addresses, paths,
hex strings, sizes, durations, bracketed ids, numbers and words that contain a
digit (host names such as ``node1``). A last pass replaces any digit left.
Placeholders contain no digits, so a later pass never rewrites an earlier one.

The patterns are written to run in time linear in the length of the text.
Each quantifier is bounded or possessive, or a lookbehind lets a match attempt
start only at the beginning of a token. So each character is scanned by a
bounded number of attempts, and the tests mask 1 MB of hostile input.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["PLACEHOLDERS", "MaskingPass", "mask", "masking_passes"]

# Quoted strings longer than this are not masked as a whole. Their parts are
# masked by the later passes.
MAX_QUOTED_LENGTH = 512


@dataclass(frozen=True, slots=True)
class MaskingPass:
    """One substitution: a compiled pattern and its placeholder or replacement function."""

    name: str
    pattern: re.Pattern[str]
    replacement: str | Callable[[re.Match[str]], str]
    #: Substrings of which at least one must occur for the pattern to match.
    #: The pass always runs when this is empty.
    triggers: tuple[str, ...] = ()

    def apply(self, text: str) -> str:
        if self.triggers and not any(trigger in text for trigger in self.triggers):
            return text
        return self.pattern.sub(self.replacement, text)


_HEX = "[0-9A-Fa-f]"
_DIGITS = tuple("0123456789")
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_DAYS = "Mon|Tue|Wed|Thu|Fri|Sat|Sun"


def _keep_trailing_punctuation(placeholder: str) -> Callable[[re.Match[str]], str]:
    """Build a replacement that gives back a sentence-ending ``.``, ``:`` or ``,``."""

    def replace(match: re.Match[str]) -> str:
        text = match.group()
        stripped = text.rstrip(".:,")
        return placeholder + text[len(stripped) :]

    return replace


def _replace_url(match: re.Match[str]) -> str:
    """Mask a URL, giving back sentence punctuation and a ``)`` that closes text around it."""
    text = match.group()
    stripped = text.rstrip(".:,;")
    # "(see http://host/path)" ends the URL before ")", while a URL with its own
    # parentheses, as in a wiki path "/Disk_(storage)", keeps them.
    while stripped.endswith(")") and stripped.count(")") > stripped.count("("):
        stripped = stripped[:-1].rstrip(".:,;")
    return "<URL>" + text[len(stripped) :]


def _replace_ipv6(match: re.Match[str]) -> str:
    text = match.group()
    address = text.split("/", 1)[0]
    try:
        ipaddress.IPv6Address(address)
    except ValueError:
        return text
    return "<IP>"


def _replace_hex(match: re.Match[str]) -> str:
    text = match.group()
    if text.startswith(("0x", "0X")):
        return "<HEX>"
    has_digit = any(char.isdigit() for char in text)
    has_letter = any(char.isalpha() for char in text)
    if has_digit and has_letter:
        return "<HEX>"
    return text


def masking_passes() -> tuple[MaskingPass, ...]:
    """Return the masking passes in the order ``mask`` applies them."""
    return _PASSES


_PASSES: tuple[MaskingPass, ...] = (
    MaskingPass(
        "QUOTED",
        re.compile(
            rf"(?<!\w)\"[^\"\n]{{0,{MAX_QUOTED_LENGTH}}}\""
            rf"|(?<!\w)'[^'\n]{{0,{MAX_QUOTED_LENGTH}}}'(?!\w)"
        ),
        "<QUOTED>",
        ('"', "'"),
    ),
    MaskingPass(
        "URL",
        re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]{1,15}://[^\s\"'<>]++"),
        _replace_url,
        ("://",),
    ),
    MaskingPass(
        "UUID",
        re.compile(
            rf"(?<![\w-]){_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}(?![\w-])"
        ),
        "<UUID>",
        ("-",),
    ),
    MaskingPass(
        "MAC",
        re.compile(rf"(?<![\w:-]){_HEX}{{2}}(?:([:-]){_HEX}{{2}})(?:\1{_HEX}{{2}}){{4}}(?![\w:-])"),
        "<MAC>",
        (":", "-"),
    ),
    MaskingPass(
        "IPV6",
        # A run of hex digits and colons with at least two colons, optionally
        # with an embedded IPv4 tail and a prefix length. The replacement
        # checks it with ipaddress, so clock times such as 12:30:00 stay.
        re.compile(
            r"(?<![\w:.])(?=[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:)"
            r"[0-9A-Fa-f:]{2,39}(?:\.\d{1,3}){0,3}(?:/\d{1,3})?(?![\w:])"
        ),
        _replace_ipv6,
        (":",),
    ),
    MaskingPass(
        "TIME",
        re.compile(
            # ctime, as in oned.log and the SCHED_MESSAGE attribute: Tue Oct 24 17:35:17 2023
            rf"\b(?:{_DAYS}) (?:{_MONTHS}) {{1,2}}\d{{1,2}} \d\d:\d\d:\d\d(?: \d{{4}})?\b"
            # ISO 8601 date with an optional time, fraction and offset
            r"|\b\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:[.,]\d{1,9})?)?"
            r"(?:Z|[+-]\d\d:?\d\d)?)?\b"
            r"|\b\d\d:\d\d:\d\d(?:[.,]\d{1,9})?\b"
        ),
        "<TIME>",
        (":", "-"),
    ),
    MaskingPass(
        "IPV4",
        re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?(?:/\d{1,2})?(?!\w|\.\d)"),
        "<IP>",
        (".",),
    ),
    MaskingPass(
        "PATH",
        # A slash that starts a token (not IP/MAC or 4/2), optionally after ~ or
        # a dot, followed by anything up to white space or a delimiter.
        re.compile(r"(?<![\w.~/:<>-])(?:~|\.{1,2})?/[^\s\"'<>,;()\[\]{}]++"),
        _keep_trailing_punctuation("<PATH>"),
        ("/",),
    ),
    MaskingPass(
        "HEX",
        re.compile(r"(?<![\w-])(?:0[xX][0-9A-Fa-f]++|[0-9A-Fa-f]{8,}+)(?![\w-])"),
        _replace_hex,
        _DIGITS,
    ),
    MaskingPass(
        "SIZE",
        re.compile(r"(?<![\w.])\d++(?:\.\d++)?(?: ?(?:[KMGTPE]i?B|bytes?)|[KMGTPE]|k)(?![\w])"),
        "<SIZE>",
        _DIGITS,
    ),
    MaskingPass(
        "DURATION",
        re.compile(
            r"(?<![\w.])\d++(?:\.\d++)?"
            r"(?: ?(?:ms|us|µs|ns|secs?|seconds?|mins?|minutes?|hours?|days?)"
            r"|s|[hd](?:\d{1,2}m)?(?:\d{1,2}s)?|m(?:\d{1,2}s)?)(?![\w])"
        ),
        "<DURATION>",
        _DIGITS,
    ),
    MaskingPass(
        "ID",
        # A bracketed id or id list, or an id that a report elided: [X], [...]
        # or a lower-case name such as [<uid>]. Upper-case names are left
        # alone, so a template's own placeholders are never masked again.
        re.compile(r"\[(?:-?\d++(?:, ?-?\d++)*+|X{1,4}|\.{3}|\u2026|<[a-z][a-z_]{0,15}>)\]"),
        "<ID>",
        ("[",),
    ),
    MaskingPass(
        "NUM",
        re.compile(r"(?<![\w.-])[-+]?\d++(?:\.\d++)*+(?!\w)"),
        "<NUM>",
        _DIGITS,
    ),
    MaskingPass(
        "TOKEN",
        # A word with at least one digit, optionally dotted or dashed, such as
        # node1, host01.example.com or one-42-disk-0.
        re.compile(r"(?<![\w.-])(?=[\w.-]{0,255}?\d)[\w-]++(?:\.[\w-]++)*+"),
        "<TOKEN>",
        _DIGITS,
    ),
    MaskingPass(
        "DIGITS",
        # Digits the passes above left, in spots such as ".5" or inside a word
        # longer than the TOKEN lookahead, so no digit survives masking. No
        # trigger: \d also matches digits of other scripts, such as "٣".
        re.compile(r"\d++"),
        "<NUM>",
        (),
    ),
)

#: The placeholders ``mask`` writes, each with the kind of value it replaces.
PLACEHOLDERS: dict[str, str] = {
    "<QUOTED>": "a string in single or double quotes",
    "<TIME>": "a timestamp, date or clock time",
    "<URL>": "a URL",
    "<UUID>": "a UUID",
    "<MAC>": "a MAC address",
    "<IP>": "an IPv4 or IPv6 address, with an optional port or prefix length",
    "<PATH>": "a file system path",
    "<HEX>": "a hex string of 8 or more digits with letters, or a 0x literal",
    "<SIZE>": "a size with a unit (512 MB, 10G, 1.5 GiB)",
    "<DURATION>": "a duration with a unit (30s, 1h30m, 5 minutes)",
    "<ID>": "a bracketed id or id list ([265], [0, 100]), or an elided one ([X], [<uid>])",
    "<NUM>": "a number",
    "<TOKEN>": "a word that contains a digit (node1, one-42-disk-0)",
}


def mask(text: str) -> str:
    """Return ``text`` with its variable parts replaced by placeholders.

    Two messages that differ only in ids, names in quotes, paths, addresses,
    hex strings, sizes, durations or timestamps give the same template::

        >>> mask("Error allocating a new image. NAME is already taken by IMAGE 265.")
        'Error allocating a new image. NAME is already taken by IMAGE <NUM>.'
    """
    for masking_pass in _PASSES:
        text = masking_pass.apply(text)
    return text
