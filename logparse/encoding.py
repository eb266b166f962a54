"""Decode the bytes of one line, choosing its codec when the caller named none.

Without a named codec, each line is decoded by these rules:

- A valid UTF-8 line is UTF-8, unless it is GBK text as below.
- A line with more broken UTF-8 sequences than valid non-ASCII characters is
  GB18030 or Windows-1252, whichever its bytes fit (see ``_decode_legacy``).
- Any other line, such as one with a character cut in half by a paste, and a
  line that fits neither fallback stay UTF-8, with each broken sequence
  replaced by U+FFFD, and are reported.
- Many GBK byte pairs are also two-byte UTF-8 characters, so GBK Chinese can
  read as UTF-8, or nearly so. Such a line is GB18030 when its UTF-8 reading is
  no real text, judged word by word (see ``_decode_auto`` and
  ``_reads_as_gbk``). A wholly valid UTF-8 line is GB18030 only in a Chinese
  file: one whose first read contains a GB18030 line, or one from its first
  GB18030 line on.

The first line decoded with each fallback codec is reported, and so is the
first valid UTF-8 line decoded as GB18030.
"""

from __future__ import annotations

import codecs
import enum
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from logparse.errors import SourceError


@dataclass(slots=True)
class DecodeProblem:
    """Bytes of one line that did not decode and were replaced, or, with
    ``fallback``, the first line decoded as ``encoding`` (``gb18030`` or
    ``cp1252``) because it is not UTF-8.

    With ``valid_utf8`` too, the line is valid UTF-8 but reads as GBK bytes of
    Chinese text, so it was decoded as GB18030 (see ``_reads_as_gbk``). The
    first such line is reported even when an earlier line was the first
    GB18030 line.
    """

    line: int
    encoding: str
    count: int
    fallback: bool = False
    valid_utf8: bool = False


class AutoDecoder:
    """Decoder of the lines of one input as UTF-8, GB18030 or Windows-1252.

    ``head_lines`` are the whole lines of the input's first read. ``encoding``
    is ``"utf-8"`` until a line needs a fallback codec, and then names the
    codecs used, as in ``"utf-8, gb18030 (detected)"``.
    """

    def __init__(
        self, report: Callable[[DecodeProblem], None], head_lines: Iterable[bytes]
    ) -> None:
        self._report = report
        self.encoding = "utf-8"
        # Fallback codecs in the order of first use. The first line decoded with
        # each is reported, so input that mixes them gets two reports.
        self._detected: list[str] = []
        # Lines whose bytes fit GBK only weakly follow the file. It is Chinese when
        # its first read contains a GB18030 line, or from its first GB18030 line on.
        self._chinese_head = _has_gb18030_line(head_lines)
        # The first valid UTF-8 line decoded as GB18030 is reported too.
        self._reinterpretation_reported = False

    def decode(self, raw: bytes, line_number: int) -> str:
        """Decode the next line of the input.

        Reports replaced bytes, the first line decoded with each fallback codec and
        the first valid UTF-8 line decoded as GB18030.
        """
        detected = self._detected
        preferred = detected[0] if detected else None
        chinese_file = self._chinese_head or "gb18030" in detected
        text, used, valid_utf8 = _decode_auto(
            raw, line_number, self._report, preferred, chinese_file
        )
        first_use = used != "utf-8" and used not in detected
        if first_use:
            detected.append(used)
            self.encoding = ", ".join(["utf-8", *detected]) + " (detected)"
        if first_use or (valid_utf8 and not self._reinterpretation_reported):
            self._report(DecodeProblem(line_number, used, 0, fallback=True, valid_utf8=valid_utf8))
            self._reinterpretation_reported = self._reinterpretation_reported or valid_utf8
        return text


def decode_or_replace(
    raw: bytes,
    codec: str,
    line_number: int,
    report: Callable[[DecodeProblem], None],
    name: str,
) -> str:
    """Decode one line as ``codec``, replacing and reporting the bytes that do not fit.

    Raises SourceError when ``codec`` cannot decode the line even with replacement.
    """
    try:
        return raw.decode(codec)
    except UnicodeError:
        pass
    try:
        text = raw.decode(codec, errors="replace")
    except UnicodeError as error:
        # Some codecs, such as punycode, raise even with errors="replace".
        raise SourceError(
            f"{name}:{line_number}: the {codec} codec cannot decode it ({error}). "
            "Choose a text encoding such as utf-8 or gb18030"
        ) from error
    report(DecodeProblem(line_number, codec, text.count("\ufffd")))
    return text


def _decode_auto(
    raw: bytes,
    line_number: int,
    report: Callable[[DecodeProblem], None],
    preferred: str | None = None,
    chinese_file: bool = False,
) -> tuple[str, str, bool]:
    """Decode one line as UTF-8, GB18030 or Windows-1252.

    Returns the text, the codec used and whether the line was valid UTF-8
    that reads as GBK Chinese and so was decoded as GB18030 (see ``_reads_as_gbk``).

    A line that is mostly valid UTF-8 with a few broken bytes, such as a
    character cut in half by a paste, stays UTF-8 with the bytes replaced.
    GB18030 accepts nearly any byte sequence, so it would turn the whole line
    into other characters. ``preferred`` is the fallback codec of an earlier
    line, used when a line fits both fallbacks. ``chinese_file`` is True once
    the input has shown lines that decode only as GB18030.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if not chinese_file or raw.isascii() or _LONG_UTF8_LEAD.search(raw):
            return text, "utf-8", False
        if _LOW_TRAIL_PAIR.search(raw) is None and _reads_as_gbk(text, chinese_file):
            return raw.decode("gb18030"), "gb18030", True
        return text, "utf-8", False

    replaced = raw.decode("utf-8", errors="replace")
    broken = replaced.count("\ufffd")
    # GB18030 and Latin-1 text is mostly invalid UTF-8, with a few byte pairs
    # that happen to be valid, while damaged UTF-8 is mostly valid.
    valid = sum(1 for char in replaced if char > "\x7f") - broken
    if valid < broken:
        decoded = _decode_legacy(raw, preferred, chinese_file)
        if decoded is not None:
            return *decoded, False
    else:
        # A GBK line can also be mostly valid UTF-8: "运维一" (D4 CB CE AC D2 BB)
        # reads as two broken bytes and then "άһ". Such a line goes to GB18030
        # when that reading is Chinese and the valid UTF-8 part is no real text.
        gb18030_text, all_common = _gbk_reading(raw, chinese_file)
        if gb18030_text is not None and _reads_as_gbk(
            replaced, chinese_file, all_common=all_common, damaged=True
        ):
            return gb18030_text, "gb18030", False
    report(DecodeProblem(line_number, "utf-8", broken))
    return replaced, "utf-8", False


# One GB18030 character of two or four bytes. Group 1 is set for a pair from
# the GB2312 rows of punctuation (lead byte 0xA1-0xA9) or of level-1 hanzi, the
# 3,755 most common characters (lead byte 0xB0-0xD7).
_GB18030_MULTIBYTE = re.compile(
    rb"([\xa1-\xa9\xb0-\xd7][\xa1-\xfe])"
    rb"|[\x81-\xfe][\x30-\x39][\x81-\xfe][\x30-\x39]"
    rb"|[\x81-\xfe][\x40-\x7e\x80-\xfe]"
)
_HIGH_BYTE_RUN = re.compile(rb"[\x80-\xff]{3,}")


def _decode_legacy(
    raw: bytes, preferred: str | None, chinese_file: bool = False
) -> tuple[str, str] | None:
    """Decode a line that is not UTF-8 as GB18030 or Windows-1252, or return None.

    A line is taken to be GB18030 when at least half of its non-ASCII
    characters are common GB2312 pairs, as nearly all characters of real
    Chinese text are. European text in Latin-1 or Windows-1252 has one or two
    non-ASCII bytes between ASCII ones. Read as GB18030, such a byte pairs with
    the ASCII byte after it ("Müller"), or two of them form a rare level-2
    hanzi (the ö and ß of "Größe", 0xF6 0xDF). So a line is taken to be
    Windows-1252 when it decodes as such and has no run of three or more
    non-ASCII bytes. A line that fits both, such as "ÄÖ" or the GBK bytes of "的", takes
    ``preferred``, else GB18030. A line that fits neither is GB18030 when it
    decodes as such.

    A GBK line whose only Chinese is rare characters, such as "堃" (0x88
    0xD2), fits only Windows-1252. It is GB18030 when ``chinese_file`` is True
    and each of its two-byte characters ends in a non-ASCII byte, because
    Latin-1 text pairs a non-ASCII byte with the ASCII letter after it.
    """
    try:
        gb18030_text: str | None = raw.decode("gb18030")
    except UnicodeDecodeError:
        gb18030_text = None
    try:
        # Windows-1252 is Latin-1 with printable characters in place of the C1
        # controls at 0x80-0x9F, and leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined.
        latin_text: str | None = raw.decode("cp1252")
    except UnicodeDecodeError:
        latin_text = None
    if _HIGH_BYTE_RUN.search(raw) is not None:
        latin_text = None

    if gb18030_text is not None:
        common, total = _count_gb18030_pairs(raw)
        chinese = total > 0 and 2 * common >= total
        if chinese and (latin_text is None or preferred != "cp1252"):
            return gb18030_text, "gb18030"
        if chinese_file and total > 0 and not _has_ascii_trail_byte(raw):
            return gb18030_text, "gb18030"
    if latin_text is not None:
        return latin_text, "cp1252"
    if gb18030_text is not None:
        return gb18030_text, "gb18030"
    return None


# GBK text that reads as UTF-8. A GBK character whose lead byte is 0xC2-0xDF
# and whose trail byte is 0xA1-0xBF is also a two-byte UTF-8 character,
# U+00A1 to U+07FF. So a short GBK line of such characters is valid UTF-8:
# "系统" (CF B5 CD B3) reads as "ϵͳ", "状态" as "״̬" and "停止" as "ֹͣ". A
# longer one is often mostly valid: "运维一" reads as two broken bytes and
# "άһ". Such a reading is a string of unrelated letters, symbols and marks,
# while real text in those scripts is made of words. The rules below tell the
# two apart, one word of the UTF-8 reading at a time.

# In valid UTF-8, the lead byte of a character of three or four bytes, and a
# two-byte character whose trail byte is 0x80-0xA0. A line without them has
# only such pairs, and GB18030 reads each pair as one GB2312 hanzi.
_LONG_UTF8_LEAD = re.compile(rb"[\xe0-\xf4]")
_LOW_TRAIL_PAIR = re.compile(rb"[\xc2-\xdf][\x80-\xa0]")


class _Reading(enum.IntEnum):
    """The kind of a word or symbol of a UTF-8 reading, and so the evidence a
    line with broken bytes needs to be decoded as GBK instead. A valid UTF-8
    line needs a Chinese file for any kind but ``TEXT``."""

    #: A word of real text: the line stays UTF-8.
    TEXT = 0
    #: An accented Latin letter or a Latin-1 symbol standing alone, or a
    #: Greek, Cyrillic or Armenian word with no vowel: GBK only in a file that
    #: has shown GB18030 lines.
    ODD = 1
    #: A single letter of another script, or a letter repeated: GBK in such a
    #: file, or when every GBK character of the line is a common one.
    ISOLATED = 2
    #: A single letter of three or four bytes, such as a CJK character, next
    #: to broken bytes: GBK when every GBK character is a common one.
    FRAGMENT = 3
    #: A rare letter, a mark with no letter of its script before it, or
    #: scripts mixed within a word: GBK.
    GARBLED = 4


def _code_points(spec: str) -> frozenset[str]:
    """Return the characters of ``spec``: hexadecimal code points and ranges, as "C0-D6 192"."""
    chars: set[str] = set()
    for item in spec.split():
        first, _, last = item.partition("-")
        chars.update(map(chr, range(int(first, 16), int(last or first, 16) + 1)))
    return frozenset(chars)


# The letters of the two-byte range that the languages written in each script
# use. Letters of the range that are missing here are archaic, phonetic or
# used by few languages, such as Coptic, Old Cyrillic and IPA letters, and the
# ligatures and old forms ĳ, ĸ, Ŀ, ŉ and ſ.
_COMMON_LETTERS = {
    "LATIN": _code_points(
        "C0-D6 D8-F6 F8-131 134-137 139-13E 141-148 14A-17E 18F 192 1A0 1A1 1AF 1B0 1CD-1DC"
        " 218-21B 254 259 25B"
    ),
    "GREEK": _code_points("386 388-38A 38C 38E-3A1 3A3-3CE"),
    # Russian, Ukrainian, Belarusian, Bulgarian, Serbian and Macedonian, and
    # the added letters of Kazakh, Tatar, Bashkir, Kyrgyz, Tajik and Mongolian.
    "CYRILLIC": _code_points(
        "400-45F 490-493 496-49B 4A0-4A3 4AA 4AB 4AE-4B3 4B6 4B7 4BA 4BB 4D8 4D9 4E2 4E3"
        " 4E8 4E9 4EE 4EF"
    ),
    "ARMENIAN": _code_points("531-556 561-587"),
    "HEBREW": _code_points("5D0-5EA 5F0-5F2"),
    # Arabic, and the added letters of Persian and Urdu.
    "ARABIC": _code_points(
        "621-63A 640-64A 671 679 67E 686 688 691 698 6A9 6AF 6BA 6BE 6C1 6CC 6D2"
    ),
}
# Combining marks that follow a letter of the script in real text: the accents
# of decomposed letters, Hebrew points and Arabic vowel signs.
_COMMON_MARKS = {
    "LATIN": _code_points("300-304 306-308 30A-30C 31B 323 326-328"),
    "GREEK": _code_points("301 308 342 345"),
    "CYRILLIC": _code_points("301 306 308"),
    "HEBREW": _code_points("5B0-5BC 5C1 5C2 5C7"),
    "ARABIC": _code_points("64B-655 670"),
}
_ANY_COMMON_MARK = frozenset().union(*_COMMON_MARKS.values())
_VOWELS = {
    "GREEK": frozenset("αεηιουωάέήίόύώϊϋΐΰΑΕΗΙΟΥΩΆΈΉΊΌΎΏΪΫ"),
    "CYRILLIC": frozenset("аеёиоуыэюяіїєәөүұӣӯАЕЁИОУЫЭЮЯІЇЄӘӨҮҰӢӮ"),
    "ARMENIAN": frozenset("աեէըիոօԱԵԷԸԻՈՕ"),
}
# Letters that end a word and appear nowhere else in it.
_FINAL_FORMS = {"GREEK": frozenset("ς"), "HEBREW": frozenset("ךםןףץ"), "ARABIC": frozenset("ة")}
# Latin-1 punctuation and symbols, including the letters ª, º and µ, which
# stand next to digits and units ("1º", "25°C", "5µs") rather than in words.
_LATIN1_SYMBOLS = _code_points("A0-BF D7 F7")
# Punctuation and digits of the Greek, Armenian, Hebrew and Arabic blocks.
_SCRIPT_PUNCTUATION = _code_points(
    "37E 384 385 387 55A-55F 589 58A 5BE 5C0 5C3 5C6 5F3 5F4 60C 61B 61F 660-66D 6D4 6F0-6F9"
)
# Modifier apostrophes, which some orthographies write inside words (Ukrainian, Uzbek, Hawaiian).
_APOSTROPHES = frozenset("\u02bb\u02bc")
_WIDE = "\u0800"
_REPLACEMENT = "\ufffd"


def _reads_as_gbk(
    text: str, chinese_file: bool, *, all_common: bool = False, damaged: bool = False
) -> bool:
    """Return True when ``text``, a line read as UTF-8, is GBK read the wrong way.

    ``chinese_file`` is True when earlier lines decoded as GB18030, ``damaged``
    when ``text`` has bytes replaced with U+FFFD, and ``all_common`` when every
    GBK character of the line is a level-1 hanzi or GB2312 punctuation.

    A valid UTF-8 line is GBK only in a Chinese file. Any UTF-8 text may contain
    these characters, and outside such a file it has to stay as it is.
    """
    if not damaged and not chinese_file:
        return False
    readings = _classify_reading(text, damaged)
    if _Reading.GARBLED in readings:
        return True
    if not readings or _Reading.TEXT in readings:
        return False
    evidence = {
        _Reading.ODD: chinese_file,
        _Reading.ISOLATED: chinese_file or all_common,
        _Reading.FRAGMENT: all_common,
    }
    return all(evidence[reading] for reading in readings)


def _classify_reading(text: str, damaged: bool) -> set[_Reading]:
    """Return the readings of the words and symbols of ``text`` that are not ASCII."""
    readings: set[_Reading] = set()
    word_start = None
    for index, char in enumerate(text):
        if _is_word_char(char):
            if word_start is None:
                word_start = index
            continue
        # Quotes between letters stay in the word: "cos'è", the Hebrew "צ'ק".
        between_letters = index + 1 < len(text) and _is_word_char(text[index + 1])
        if char in "'\"\u2019" and word_start is not None and between_letters:
            continue
        if word_start is not None:
            reading = _classify_word(text[word_start:index], damaged)
            if reading is not None:
                readings.add(reading)
            word_start = None
        if char.isascii():
            continue
        reading = _classify_symbol(text, index, damaged)
        if reading is not None:
            readings.add(reading)
    if word_start is not None:
        reading = _classify_word(text[word_start:], damaged)
        if reading is not None:
            readings.add(reading)
    return readings


def _is_word_char(char: str) -> bool:
    if char.isascii():
        return char.isalpha()
    if char == _REPLACEMENT:
        return True
    return unicodedata.category(char)[0] in "LM" and char not in _LATIN1_SYMBOLS


def _classify_symbol(text: str, index: int, damaged: bool) -> _Reading | None:
    """Classify the non-ASCII character at ``index`` that is not part of a word."""
    char = text[index]
    if char == _REPLACEMENT:
        return None
    if unicodedata.category(char) in ("Cn", "Co", "Cs"):
        return _Reading.GARBLED
    if char in _LATIN1_SYMBOLS:
        before = text[index - 1] if index > 0 else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        beside_ascii = any(side.isascii() and side.isalnum() for side in (before, after))
        return None if beside_ascii else _Reading.ODD
    if char in _SCRIPT_PUNCTUATION:
        return _Reading.ISOLATED
    if char < _WIDE:
        return _Reading.GARBLED
    return _Reading.FRAGMENT if damaged else None


def _script(char: str) -> str:
    """Return the script of a letter or mark, as the first word of its Unicode name.

    Other characters of three and four bytes in UTF-8 are all ``"WIDE"``,
    because Japanese text mixes kanji and kana within one word.
    """
    if char.isascii():
        return "LATIN"
    if "\u1e00" <= char <= "\u1eff":
        return "LATIN"  # Latin Extended Additional: Vietnamese letters such as "ế"
    if char >= _WIDE:
        return "WIDE"
    return unicodedata.name(char, "").partition(" ")[0]


def _classify_word(word: str, damaged: bool) -> _Reading | None:
    """Classify a run of letters and marks, or return None when it is all ASCII."""
    letters: list[str] = []
    # The script of the letter before, or "" after replaced bytes, which may
    # have been the letter that a mark belongs to.
    previous: str | None = None
    for char in word:
        if char == _REPLACEMENT:
            previous = ""
            continue
        if unicodedata.category(char)[0] == "M":
            if previous == "" and (char >= _WIDE or char in _ANY_COMMON_MARK):
                continue
            if not previous:
                return _Reading.GARBLED
            marks = _COMMON_MARKS.get(previous)
            belongs = _script(char) == previous if marks is None else char in marks
            if not belongs:
                return _Reading.GARBLED
            continue
        if char in _APOSTROPHES:
            continue
        script = _script(char)
        if "\x80" <= char < _WIDE and char not in _COMMON_LETTERS.get(script, ()):
            return _Reading.GARBLED
        letters.append(char)
        previous = script

    scripts = {_script(char) for char in letters if not char.isascii()}
    if not scripts:
        # A modifier apostrophe alone is no text either.
        return _Reading.ISOLATED if any(char in _APOSTROPHES for char in word) else None
    if len(scripts) > 1:
        return _Reading.GARBLED
    script = scripts.pop()
    has_ascii = any(char.isascii() for char in letters)
    if has_ascii and script not in ("LATIN", "WIDE"):
        return _Reading.GARBLED
    # An uppercase letter after a lowercase one, as in "һС" (the GBK bytes of
    # "一小"). Real words rarely do that outside ASCII names such as "iPhone".
    for before, after in itertools.pairwise(letters):
        if before.islower() and after.isupper() and not (before.isascii() and after.isascii()):
            return _Reading.GARBLED
    final_forms = _FINAL_FORMS.get(script, frozenset())
    if any(char in final_forms for char in letters[:-1]):
        return _Reading.GARBLED

    if script == "LATIN":
        # Accented letters stand inside words with ASCII letters ("Müller").
        # A word of them alone is usually one letter long, as the Italian "è".
        return _Reading.TEXT if has_ascii else _Reading.ODD
    if script == "WIDE":
        return _Reading.FRAGMENT if damaged and len(letters) == 1 else _Reading.TEXT
    if _REPLACEMENT in word:
        # Broken bytes inside a Greek, Cyrillic, Hebrew or Arabic word: its
        # letters may be the pieces of GBK characters, as in "\ufffdոտ\ufffdʼ" (the
        # GBK bytes of "刚刚开始").
        return _Reading.ODD
    if len(letters) == 1 or (len(set(letters)) == 1 and letters[0].isupper()):
        return _Reading.ISOLATED
    vowels = _VOWELS.get(script)
    if vowels is not None and not any(char in vowels for char in letters):
        if len(set(letters)) == 1:
            return _Reading.ISOLATED
        if not all(char.isupper() for char in letters):
            return _Reading.ODD
    return _Reading.TEXT


def _count_gb18030_pairs(raw: bytes) -> tuple[int, int]:
    """Return the number of common GB2312 characters and of all multibyte GB18030 characters."""
    pairs = _GB18030_MULTIBYTE.findall(raw)
    return len(pairs) - pairs.count(b""), len(pairs)


def _has_ascii_trail_byte(raw: bytes) -> bool:
    """Return True when a two-byte GB18030 character of ``raw`` ends in an ASCII byte."""
    return any(
        len(match.group()) == 2 and match.group()[1] < 0x80
        for match in _GB18030_MULTIBYTE.finditer(raw)
    )


def _gbk_reading(raw: bytes, chinese_file: bool) -> tuple[str | None, bool]:
    """Decode ``raw`` as GB18030 when it can be GBK Chinese, or return None.

    It can when it decodes, no two-byte character ends in an ASCII byte (as a
    cut UTF-8 character before an ASCII letter does), and either at least half
    of its characters are common GB2312 ones or ``chinese_file`` is True. Also
    returns whether every multibyte character is a common one.
    """
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return None, False
    common, total = _count_gb18030_pairs(raw)
    if total == 0 or _has_ascii_trail_byte(raw):
        return None, False
    if 2 * common < total and not chinese_file:
        return None, False
    return text, common == total


def _has_gb18030_line(lines: Iterable[bytes]) -> bool:
    """Return True when one of ``lines`` decodes as GB18030 by itself, as Chinese."""

    def ignore(problem: DecodeProblem) -> None:
        pass

    # A line that fits Windows-1252 too, such as "ÄÖ", is no evidence.
    return any(
        _decode_auto(line, 0, ignore, "cp1252")[1] == "gb18030"
        for line in lines
        if not line.isascii()
    )


def sniff_wide_codec(head: bytes) -> str | None:
    """Return ``utf-16-le`` or ``utf-16-be`` for UTF-16 text without a byte order mark.

    Log text is mostly ASCII, which UTF-16 writes as a NUL byte next to each
    character byte, so NULs fill one byte position of each pair and almost
    none of the other. Binary data and single-byte text do not show that
    pattern, and a ``head`` that does not decode as UTF-16 gives None.
    """
    # NOTE: UTF-16 text that is mostly Chinese has few NUL bytes, so it is not
    # recognised without a byte order mark or --encoding.
    sample = head[: 1 << 12]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 8:
        return None
    even_nuls = sample[0::2].count(0) / (len(sample) // 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) // 2)
    if odd_nuls >= 0.4 and even_nuls <= 0.02:
        codec = "utf-16-le"
    elif even_nuls >= 0.4 and odd_nuls <= 0.02:
        codec = "utf-16-be"
    else:
        return None
    try:
        # The sample may end inside a surrogate pair, so an incomplete end is allowed.
        codecs.getincrementaldecoder(codec)().decode(sample, final=False)
    except UnicodeDecodeError:
        return None
    return codec
