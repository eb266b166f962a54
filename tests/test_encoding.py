"""Choosing the codec of each line: UTF-8, GB18030, Windows-1252 and GBK read as UTF-8."""

from __future__ import annotations

import codecs
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logparse import ParserWarning, parse_events
from logparse.encoding import AutoDecoder, sniff_wide_codec
from logparse.sources import open_source

from .test_sources import RECORD, GuardedPipe, lines_of


def test_gb18030_detected_and_reported():
    diagnostics = []
    reader = parse_events(io.BytesIO(RECORD.encode("gb18030")), on_diagnostic=diagnostics.append)
    events = list(reader)
    assert events[0].creator == "张三"
    assert reader.stats.encodings["<input>"] == "utf-8, gb18030 (detected)"
    assert diagnostics[0].kind == "encoding"
    assert "line 1 is not valid UTF-8" in diagnostics[0].message
    assert "decoded as GB18030" in diagnostics[0].message


def test_gb18030_after_long_utf8_head():
    head = ("{ content: [ImageAllocate] 英文和中文, type: ERROR_MSG }\n" * 40_000).encode()
    data = head + RECORD.encode("gb18030") + b"\n"
    with pytest.warns(ParserWarning, match="line 40001 is not valid UTF-8"):
        events = list(parse_events(io.BytesIO(data)))
    assert len(events) == 40_001
    assert events[-1].creator == "张三"
    assert events[0].message == "英文和中文"


def test_cut_utf8_character_stays_utf8():
    # A paste that cut the last character of "运维" in half.
    data = "{ content: 运维".encode() + "维".encode()[:2] + b", type: E }\n" + RECORD.encode()
    diagnostics = []
    events = list(parse_events(io.BytesIO(data), on_diagnostic=diagnostics.append))
    assert events[0].message.startswith("运维\ufffd")
    assert events[1].creator == "张三"
    assert [d.line for d in diagnostics if d.kind == "encoding"] == [1]


def test_undecodable_bytes_replaced_with_line():
    data = RECORD.encode() + b"\n" + b"{ content: bad \xff\xfe\xff, type: E }\n"
    # Valid UTF-8 in the sniffed block except for line 2, which GB18030 rejects too.
    data = data.replace("张三".encode(), "张三".encode())
    diagnostics = []
    reader = parse_events(io.BytesIO(data), on_diagnostic=diagnostics.append)
    events = list(reader)
    assert len(events) == 2
    assert "\ufffd" in events[1].message
    problems = [d for d in diagnostics if d.kind == "encoding" and "replaced" in d.message]
    assert problems[0].line == 2
    assert reader.stats.encoding_errors == 1


LATIN_TEXTS = [
    "Müller",
    "café",
    "Größe",
    "Straße",
    "Der Benutzer Müller hat keine Berechtigung für die Größe des Datenträgers.",
    "L'opération a échoué à cause de l'hôte.",
    "El usuario José no puede añadir la máquina.",
    "A operação falhou: não há espaço.",
    "Søren på øen",
    "ÉCOLE Ça Zürich",
]


@pytest.mark.parametrize("codec", ["latin-1", "cp1252"])
@pytest.mark.parametrize("text", LATIN_TEXTS)
def test_latin1_detected(codec, text):
    problems = []
    lines = lines_of(io.BytesIO(text.encode(codec) + b"\n"), on_decode_error=problems.append)
    assert lines == [text + "\n"]
    assert [(p.line, p.encoding, p.fallback) for p in problems] == [(1, "cp1252", True)]


def test_windows1252_punctuation_detected():
    text = "Der Benutzer „Müller“ hat – trotz 5 € – keinen Zugriff…"
    assert lines_of(io.BytesIO(text.encode("cp1252"))) == [text]


CHINESE_TEXTS = [
    "虚拟机",
    "磁盘快照失败",
    "镜像名称已被占用",
    "张三",
    "的",
    "错误：虚拟机 5 不存在。",
    "VM的ID不存在",
    "运维组（一）",
    "王堃",
    "用户 ops1 没有权限, 请联系管理员",
]


@pytest.mark.parametrize("codec", ["gbk", "gb18030"])
@pytest.mark.parametrize("text", CHINESE_TEXTS)
def test_gbk_chinese_detected(codec, text):
    problems = []
    lines = lines_of(io.BytesIO(text.encode(codec) + b"\n"), on_decode_error=problems.append)
    assert lines == [text + "\n"]
    assert [(p.line, p.encoding, p.fallback) for p in problems] == [(1, "gb18030", True)]


def test_gb18030_four_byte_characters_detected():
    text = "虚拟机 𠀀 已删除"
    assert lines_of(io.BytesIO(text.encode("gb18030"))) == [text]


def test_latin1_record_parsed():
    data = "{ content: [ImageAllocate] Größe ungültig, creator: Müller, type: ERROR_MSG }"
    reader = parse_events(io.BytesIO(data.encode("latin-1")), on_bad_lines="skip")
    events = list(reader)
    assert events[0].creator == "Müller"
    assert events[0].message == "Größe ungültig"
    assert reader.stats.encodings["<input>"] == "utf-8, cp1252 (detected)"


@pytest.mark.parametrize(
    "data, expected",
    [
        # "ÄÖ" in Latin-1 is also 0xC4 0xD6, the GB2312 pair of the common hanzi
        # "闹". A first line goes to GB18030, and a line after a Latin-1 line
        # goes to Windows-1252.
        ("ÄÖ\n".encode("latin-1"), ["闹\n"]),
        ("Müller\nÄÖ\n".encode("latin-1"), ["Müller\n", "ÄÖ\n"]),
        ("虚拟机\n的\n".encode("gbk"), ["虚拟机\n", "的\n"]),
    ],
)
def test_ambiguous_line_follows_earlier_line(data, expected):
    assert lines_of(io.BytesIO(data)) == expected


def test_ambiguous_line_reported_with_encoding_option():
    diagnostics = []
    reader = parse_events(io.BytesIO("ÄÖ\n".encode("latin-1")), on_diagnostic=diagnostics.append)
    list(reader)
    encoding = [d for d in diagnostics if d.kind == "encoding"]
    assert [d.line for d in encoding] == [1]
    assert "--encoding" in encoding[0].message


def test_mixed_gbk_latin1_each_reported():
    data = "虚拟机\n".encode("gbk") + "Müller\n".encode("latin-1") + "磁盘\n".encode("gbk")
    problems = []
    lines = lines_of(io.BytesIO(data), on_decode_error=problems.append)
    assert lines == ["虚拟机\n", "Müller\n", "磁盘\n"]
    assert [(p.line, p.encoding) for p in problems] == [(1, "gb18030"), (2, "cp1252")]
    diagnostics = []
    reader = parse_events(io.BytesIO(data), on_diagnostic=diagnostics.append)
    list(reader)
    assert reader.stats.encodings["<input>"] == "utf-8, gb18030, cp1252 (detected)"
    encoding = [d for d in diagnostics if d.kind == "encoding"]
    assert [d.line for d in encoding] == [1, 2]
    assert all("--encoding" in d.message for d in encoding)


def decode_problems(problems):
    return [(p.line, p.encoding, p.fallback, p.valid_utf8) for p in problems]


# Chinese words whose GBK bytes are valid UTF-8 too, with that UTF-8 reading.
GBK_WORDS_VALID_AS_UTF8 = [
    ("系统", "ϵͳ"),
    ("状态", "\u05f4\u032c"),
    ("停止", "\u0363\u05b9"),
    ("通知", "\u0368\u05aa"),
    ("平台", "\u01bd\u0328"),
    ("模式", "ģʽ"),
    ("目录", "Ŀ¼"),
    ("实施", "ʵʩ"),
    ("专业", "\u05e8\u04b5"),
    ("小时", "Сʱ"),
    ("目前", "Ŀǰ"),
    ("之前", "\u05ae\u01f0"),
    ("统一", "ͳһ"),
    ("唯一", "Ψһ"),
    ("确实", "ȷʵ"),
    ("未知", "\u03b4\u05aa"),
    ("知识", "\u05aa\u02b6"),
    ("同时", "\u036c\u02b1"),
    ("一直", "\u04bb\u05b1"),
    ("值", "\u05b5"),
    ("页", "ҳ"),
    ("泄漏", "й©"),
    ("谢谢", "лл"),
]


def gbk_record(word):
    return f"{{ content: [VMAllocate] NAME is already taken, creator: {word}, type: ERROR_MSG }}"


@pytest.mark.parametrize("word, utf8_reading", GBK_WORDS_VALID_AS_UTF8)
def test_gbk_word_before_gbk_line(word, utf8_reading):
    assert word.encode("gbk").decode("utf-8") == utf8_reading
    data = gbk_record(word).encode("gbk") + b"\n" + gbk_record("张三").encode("gbk") + b"\n"
    problems = []
    lines = lines_of(io.BytesIO(data), on_decode_error=problems.append)
    assert lines == [gbk_record(word) + "\n", gbk_record("张三") + "\n"]
    assert decode_problems(problems) == [(1, "gb18030", True, True)]


def test_valid_utf8_kept_without_gbk_lines():
    # Any UTF-8 text may contain these characters. With no GB18030 line in
    # the input, they stay as they are, even where they are the GBK bytes of "系统".
    line = gbk_record("ϵͳ")
    problems = []
    lines = lines_of(io.BytesIO(line.encode() + b"\n"), on_decode_error=problems.append)
    assert lines == [line + "\n"]
    assert problems == []


@pytest.mark.parametrize("word", [word for word, _ in GBK_WORDS_VALID_AS_UTF8])
def test_gbk_word_after_gbk_line(word):
    data = gbk_record("张三").encode("gbk") + b"\n" + gbk_record(word).encode("gbk") + b"\n"
    problems = []
    lines = lines_of(io.BytesIO(data), on_decode_error=problems.append)
    assert lines == [gbk_record("张三") + "\n", gbk_record(word) + "\n"]
    assert decode_problems(problems) == [(1, "gb18030", True, False), (2, "gb18030", True, True)]


# GBK lines that are mostly valid UTF-8, because UTF-8 decoding splits the
# first character and reads the rest as two-byte characters: "运维一" as two
# broken bytes and "άһ".
@pytest.mark.parametrize(
    "word, utf8_reading",
    [
        ("运维一", "\ufffd\ufffdάһ"),
        ("云平台", "\ufffd\ufffd\u01bd\u0328"),
        ("存储", "\ufffd洢"),
        ("告警", "\ufffd澯"),
    ],
)
@pytest.mark.parametrize("after_gbk_line", [False, True])
def test_gbk_line_mostly_valid_utf8_decoded(word, utf8_reading, after_gbk_line):
    assert word.encode("gbk").decode("utf-8", errors="replace") == utf8_reading
    head = gbk_record("张三").encode("gbk") + b"\n" if after_gbk_line else b""
    problems = []
    lines = lines_of(io.BytesIO(head + word.encode("gbk") + b"\n"), on_decode_error=problems.append)
    assert lines[-1] == word + "\n"
    assert decode_problems(problems) == [(1, "gb18030", True, False)]


# Fifty-two common words of an operations team, each the creator of one
# record in a GBK file. Twenty of them are valid UTF-8 or nearly so.
FIFTY_TWO_WORDS = [
    *("张三", "李四", "运维一", "云平台", "存储", "系统", "状态", "停止", "虚拟机", "主机"),
    *("镜像", "网络", "磁盘", "快照", "模板", "用户", "管理员", "集群", "安全组", "防火墙"),
    *("备份", "恢复", "迁移", "部署", "启动", "重启", "删除", "创建", "调度", "配额"),
    *("权限", "认证", "超时", "失败", "错误", "警告", "通知", "日志", "监控", "告警"),
    *("平台", "模式", "目录", "实施", "专业", "未知", "泄漏", "统一", "唯一", "小时"),
    *("目前", "之前"),
]


def test_gbk_file_of_52_words(tmp_path):
    assert len(FIFTY_TWO_WORDS) == 52
    path = tmp_path / "creators.txt"
    records = [
        f"{{ id: {number}, content: [VMAllocate] failed, creator: {word}, type: ERROR_MSG }}"
        for number, word in enumerate(FIFTY_TWO_WORDS, 1)
    ]
    path.write_bytes("\n".join(records).encode("gbk") + b"\n")
    diagnostics = []
    reader = parse_events(path, on_diagnostic=diagnostics.append)
    events = list(reader)
    assert [event.creator for event in events] == FIFTY_TWO_WORDS
    assert reader.stats.encoding_errors == 0
    assert reader.stats.encodings[str(path)] == "utf-8, gb18030 (detected)"
    # The first line is not UTF-8. Line 6, "系统", is the first valid UTF-8 line decoded as GB18030.
    assert [d.line for d in diagnostics if d.kind == "encoding"] == [1, 6]


def test_pipe_gbk_word_follows_earlier_line():
    with GuardedPipe() as pipe:
        pipe.send(gbk_record("张三").encode("gbk") + b"\n")
        lines = open_source(pipe).lines
        assert next(lines) == gbk_record("张三") + "\n"
        pipe.send(gbk_record("泄漏").encode("gbk") + b"\n")
        assert next(lines) == gbk_record("泄漏") + "\n"


def test_rare_hanzi_follows_gbk_file():
    # "堃" (0x88 0xD2) alone fits Windows-1252 too, as "ˆÒ".
    data = "虚拟机\n".encode("gbk") + "堃\n".encode("gbk")
    assert lines_of(io.BytesIO(data)) == ["虚拟机\n", "堃\n"]


# Real UTF-8 text whose bytes are GBK characters too: each two-byte character
# has a trail byte of 0xA1-0xBF, so GB18030 reads it as one GB2312 hanzi.
UTF8_TEXT_VALID_AS_GBK = [
    "η θεά ήλθε και έμεινε",
    "καλά",
    "ένα",
    "она видела кино дома",
    "где база",
    "רק ספר קצר",
    "שער",
    "خبز حار",
    "باب دار سعد",
    "café",
    "Müller",
    "25°C",
    "5µs",
    "1º",
]


# Real sentences, with characters that GB18030 does not read as GB2312 as well.
UTF8_SENTENCES = [
    "Η εικονική μηχανή δεν βρέθηκε.",
    "Виртуальная машина не найдена.",
    "Віртуальну машину не знайдено.",
    "המכונה הווירטואלית לא נמצאה.",
    "لم يتم العثور على الجهاز الافتراضي.",
    "ماشین مجازی پیدا نشد.",
]


def assert_stays_utf8(text, after_gbk_line):
    head = gbk_record("张三").encode("gbk") + b"\n" if after_gbk_line else b""
    line = f"{{ content: [VMAllocate] {text}, type: ERROR_MSG }}"
    problems = []
    lines = lines_of(io.BytesIO(head + line.encode() + b"\n"), on_decode_error=problems.append)
    assert lines[-1] == line + "\n"
    expected = [(1, "gb18030", True, False)] if after_gbk_line else []
    assert decode_problems(problems) == expected


@pytest.mark.parametrize("text", UTF8_TEXT_VALID_AS_GBK)
@pytest.mark.parametrize("after_gbk_line", [False, True])
def test_utf8_valid_as_gbk_kept(text, after_gbk_line):
    data = text.encode()
    assert re.fullmatch(rb"(?:[\x00-\x7f]|[\xc2-\xdf][\xa1-\xbf])*", data)
    assert data.decode("gb18030") != text
    assert_stays_utf8(text, after_gbk_line)


@pytest.mark.parametrize("text", UTF8_SENTENCES)
@pytest.mark.parametrize("after_gbk_line", [False, True])
def test_utf8_sentence_stays_utf8(text, after_gbk_line):
    assert_stays_utf8(text, after_gbk_line)


@settings(max_examples=300)
@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufeff")))
def test_utf8_without_gbk_lines_unchanged(text):
    decoded = "".join(lines_of(io.BytesIO(text.encode())))
    assert decoded == re.sub(r"\r\n|\r", "\n", text)


def test_auto_decoder_names_codecs_used():
    problems = []
    decoder = AutoDecoder(problems.append, [])
    assert decoder.decode(b"plain\n", 1) == "plain\n"
    assert decoder.encoding == "utf-8"
    assert decoder.decode("虚拟机\n".encode("gbk"), 2) == "虚拟机\n"
    assert decoder.encoding == "utf-8, gb18030 (detected)"
    assert decoder.decode("系统\n".encode("gbk"), 3) == "系统\n"
    assert decoder.decode("Müller\n".encode("latin-1"), 4) == "Müller\n"
    assert decoder.encoding == "utf-8, gb18030, cp1252 (detected)"
    expected = [(2, "gb18030", True, False), (3, "gb18030", True, True), (4, "cp1252", True, False)]
    assert decode_problems(problems) == expected


def test_auto_decoder_head_lines_mark_chinese():
    # "系统" in GBK is valid UTF-8, "ϵͳ": GB18030 only when a head line is GBK.
    word = "系统\n".encode("gbk")
    assert AutoDecoder(lambda problem: None, []).decode(word, 1) == "ϵͳ\n"
    head_lines = ["虚拟机\n".encode("gbk")]
    assert AutoDecoder(lambda problem: None, head_lines).decode(word, 1) == "系统\n"


# UTF-16 without a byte order mark


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_parsed(codec):
    diagnostics = []
    data = (RECORD + "\n" + RECORD).encode(codec)
    events = list(parse_events(io.BytesIO(data), on_diagnostic=diagnostics.append))

    assert [event.creator for event in events] == ["张三", "张三"]
    assert [event.line for event in events] == [1, 2]
    assert len(diagnostics) == 1
    assert diagnostics[0].kind == "encoding"
    assert f"no byte order mark but reads as {codec}" in diagnostics[0].message


@pytest.mark.parametrize(
    "data, expected",
    [
        ("ERROR_MSG: disk full\n".encode("utf-16-le"), "utf-16-le"),
        ("ERROR_MSG: disk full\n".encode("utf-16-be"), "utf-16-be"),
        (b"ERROR_MSG: disk full\n", None),
        ("镜像名称已被占用，请换一个名称。".encode("utf-16-le"), None),
        ("ab".encode("utf-16-le"), None),
        # A lone low surrogate (U+DC01) is not UTF-16.
        ("ERROR_MSG".encode("utf-16-le") + b"\x01\xdc" + "ok".encode("utf-16-le"), None),
    ],
    ids=["little-endian", "big-endian", "utf-8", "chinese", "short", "lone-surrogate"],
)
def test_sniff_wide_codec(data, expected):
    assert sniff_wide_codec(data) == expected


@given(st.binary(min_size=64, max_size=4096).filter(lambda data: data.count(0) < len(data) // 8))
@settings(max_examples=200)
def test_sniff_wide_codec_needs_nul_bytes(data):
    assert sniff_wide_codec(data) is None


def test_utf8_bom_keeps_gbk_fallback():
    data = (
        codecs.BOM_UTF8
        + RECORD.encode("utf-8")
        + b"\n"
        + RECORD.encode("gbk")
        + b"\n"
        + RECORD.encode("utf-8")
        + b"\n"
    )
    diagnostics = []
    reader = parse_events(io.BytesIO(data), on_diagnostic=diagnostics.append)
    events = list(reader)
    assert [event.creator for event in events] == ["张三", "张三", "张三"]
    assert [event.message for event in events] == ["镜像名称已被占用"] * 3
    assert reader.stats.encodings["<input>"] == "utf-8, gb18030 (detected)"
    assert [diagnostic.line for diagnostic in diagnostics] == [2]
    assert reader.stats.encoding_errors == 0


def test_utf8_bom_with_encoding_option_forced():
    data = codecs.BOM_UTF8 + RECORD.encode("utf-8") + b"\n" + RECORD.encode("gbk") + b"\n"
    diagnostics = []
    events = list(
        parse_events(io.BytesIO(data), encoding="utf-8", on_diagnostic=diagnostics.append)
    )
    assert events[0].creator == "张三"
    assert "\ufffd" in events[1].creator
    assert [diagnostic.kind for diagnostic in diagnostics] == ["encoding"]
