"""Tests of the report strings in English and Simplified Chinese."""

from __future__ import annotations

import re
import string

import pytest

from logparse import i18n
from logparse.causes import default_classifier
from tests.conftest import CAUSE_IDS

HAN = re.compile(r"[\u4e00-\u9fff]")

CATALOG_IDS = tuple(CAUSE_IDS)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "en"), ("EN-us", "en"), ("zh-CN", "zh-CN"), ("zh_cn", "zh-CN"), ("zh", "zh-CN")],
)
def test_normalize_language(lang: str, expected: str) -> None:
    assert i18n.normalize_language(lang) == expected


@pytest.mark.parametrize("lang", ["fr", "zh-TW", ""])
def test_normalize_language_rejects(lang: str) -> None:
    with pytest.raises(ValueError, match="unsupported language .*use one of en, zh-CN"):
        i18n.normalize_language(lang)


def test_chinese_has_every_key() -> None:
    english = i18n.messages("en")
    chinese = i18n._STRINGS["zh-CN"]

    assert set(chinese) == set(english)


def test_chinese_keeps_placeholders() -> None:
    english = i18n.messages("en")
    chinese = i18n._STRINGS["zh-CN"]
    differing = [key for key in english if _fields(english[key]) != _fields(chinese[key])]

    assert differing == []


@pytest.mark.parametrize("key", ["title", "headline", "daily", "by_cause_state", "health"])
def test_chinese_headings_are_chinese(key: str) -> None:
    assert HAN.search(i18n.messages("zh-CN")[key])


def test_english_has_no_chinese() -> None:
    assert [text for text in i18n.messages("en").values() if HAN.search(text)] == []


@pytest.mark.parametrize("cause_id", CATALOG_IDS)
def test_chinese_hint_for_cause(cause_id: str) -> None:
    hint = i18n.cause_hint(cause_id, "zh-CN", default_classifier())

    assert HAN.search(hint)


@pytest.mark.parametrize("cause_id", CATALOG_IDS)
def test_chinese_description_for_cause(cause_id: str) -> None:
    description = i18n.cause_description(cause_id, "zh-CN", default_classifier())

    assert HAN.search(description)


def test_translations_cover_catalog() -> None:
    catalog = {cause.id for cause in default_classifier().causes}

    assert catalog <= set(i18n.CAUSE_HINTS_ZH)
    assert catalog <= set(i18n.CAUSE_DESCRIPTIONS_ZH)


def test_english_hint_from_catalog() -> None:
    classifier = default_classifier()

    assert i18n.cause_hint("quota_exceeded", "en", classifier) == classifier.hint("quota_exceeded")


class _ExtendedCatalog:
    """A catalog with one cause that has no Chinese translation."""

    class _Cause:
        id = "site_specific"
        description = "A failure only this site has."
        hint = "Call the storage team."

    causes = [_Cause()]

    def hint(self, cause_id: str) -> str:
        return self._Cause.hint if cause_id == "site_specific" else ""


def test_chinese_hint_falls_back_to_english() -> None:
    assert i18n.cause_hint("site_specific", "zh-CN", _ExtendedCatalog()) == "Call the storage team."


def test_chinese_description_falls_back() -> None:
    description = i18n.cause_description("site_specific", "zh-CN", _ExtendedCatalog())

    assert description == "A failure only this site has."


def test_hint_without_catalog_is_empty() -> None:
    assert i18n.cause_hint("site_specific", "en") == ""


@pytest.mark.parametrize(
    ("status", "lang", "expected"),
    [
        ("new", "en", "new"),
        ("regressed", "zh-CN", "复发"),
        ("ongoing", "zh-CN", "持续"),
        ("gone", "zh-CN", "消失"),
    ],
)
def test_status_name(status: str, lang: str, expected: str) -> None:
    assert i18n.status_name(status, lang) == expected


def test_overridden_hint_not_translated(tmp_path):
    from logparse.causes import Classifier

    rules = tmp_path / "rules.toml"
    rules.write_text(
        "\ufeff[[cause]]\n"
        'id = "name_collision"\n'
        'description = "OVERRIDDEN description"\n'
        'example = "x"\n'
        'hint = "OVERRIDDEN hint"\n',
        encoding="utf-8",
    )
    classifier = Classifier.from_files(rules)
    assert i18n.cause_hint("name_collision", "zh-CN", classifier) == "OVERRIDDEN hint"
    assert i18n.cause_description("name_collision", "zh-CN", classifier) == (
        "OVERRIDDEN description"
    )
    assert i18n.cause_hint("name_collision", "zh-CN", default_classifier()) != "OVERRIDDEN hint"


# Text that a translation keeps as it is: quoted messages, commands with their
# subcommand, further onecluster subcommands in a list ("addvnet"), options,
# paths, file names, attribute names, upper-case names and numbers such as
# ports and versions.
_VERBATIM = re.compile(
    r'"[^"]+"'
    r"|\bone(?:vm|image|user|group|cluster|host|zone|datastore|vnet|template|acl)\b(?: [a-z]+)?"
    r"|\bone[a-z]+(?:\.[a-z]+)?"
    r"|\badd(?:datastore|vnet|host)\b"
    r"|--[a-z][\w-]*"
    r"|[\w<>-]*(?:/[\w<>.-]+)+"
    r"|\b\w+\.(?:conf|log)\b"
    r"|\b\w*_\w+"
    r"|\b[a-z]+[A-Z]\w*"
    r"|\b[A-Z][A-Z0-9]+\b"
    r"|\b\d+(?:\.\d+)*\b"
)
# Lower-case names of tools and drivers, which the pattern cannot tell from words.
_TOOL_NAMES = ("qemu-img", "rbd", "raft", "monitord", "core", "Xmlrpc-c")
# Upper-case words that Chinese translates: 虚拟机, 界面, 网卡.
_TRANSLATED = {"VM", "UI", "NIC"}


def _verbatim_tokens(english: str) -> list[str]:
    tokens = [match.group().strip('"') for match in _VERBATIM.finditer(english)]
    tokens += [name for name in _TOOL_NAMES if re.search(rf"\b{re.escape(name)}\b", english)]
    return [token for token in tokens if token not in _TRANSLATED]


def _english_cause(cause_id: str):
    return next(cause for cause in default_classifier().causes if cause.id == cause_id)


@pytest.mark.parametrize(
    ("cause_id", "token"),
    [
        ("deploy_failed", "TM_MAD_SYSTEM"),
        ("internal_error", "2633"),
        ("internal_error", "onezone show"),
        ("internal_error", "raft"),
        ("authentication_failed", "LDAP"),
        ("host_monitoring_failed", "onehost sync"),
        ("no_capacity", "SCHED_REQUIREMENTS"),
        ("transfer_failed", "/var/log/one/<vid>.log"),
        ("cluster_mismatch", "addvnet"),
        ("unknown", "--rules"),
    ],
)
def test_verbatim_tokens_of_hint(cause_id: str, token: str) -> None:
    assert token in _verbatim_tokens(_english_cause(cause_id).hint)


@pytest.mark.parametrize("cause_id", CATALOG_IDS)
def test_chinese_hint_keeps_commands(cause_id: str) -> None:
    chinese = i18n.CAUSE_HINTS_ZH[cause_id]
    tokens = _verbatim_tokens(_english_cause(cause_id).hint)

    assert [token for token in tokens if token not in chinese] == []


@pytest.mark.parametrize("cause_id", CATALOG_IDS)
def test_chinese_description_keeps_names(cause_id: str) -> None:
    chinese = i18n.CAUSE_DESCRIPTIONS_ZH[cause_id]
    tokens = _verbatim_tokens(_english_cause(cause_id).description)

    assert [token for token in tokens if token not in chinese] == []
