"""Tests of the weekly failure report, on built frames and on the larger sample."""

from __future__ import annotations

import csv
import errno
import io
import logging
import os
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

import logparse
from logparse import weekly
from logparse.errors import NoNotificationsError
from tests.conftest import COLLISION, REPO, SAMPLES, SEED_ROWS, build_notifications

WEEKS_SAMPLE = SAMPLES / "sunstone-weeks.txt"
SAMPLE_WEEK = "2014-W41"

SCRIPT = '<script>alert("owned")</script> VM has to be RUNNING to snapshot disks.'
HYPERLINK = '=HYPERLINK("http://example.invalid/?q="&A1, "open")'

# ---------------------------------------------------------------------------
# Counts computed from the sample text with plain regular expressions, apart
# from the parser and analytics.

RECORD = re.compile(
    r"content:\s*(?P<content>.*?)\s*,\s*creator:\s*(?P<creator>[^,]+?)\s*,"
    r"\s*date:\s*(?P<date>\d{4}-\d{2}-\d{2})\s*,\s*time:\s*(?P<time>\d{2}:\d{2}:\d{2})\s*,"
    r"\s*type:\s*(?P<type>\w+)",
    re.DOTALL,
)

#: Message shapes that belong to one cause only, by cause id.
CAUSE_PATTERNS = {
    "name_collision": re.compile(r"NAME is already taken by"),
    "lease_unavailable": re.compile(r"Cannot get IP/MAC lease"),
    "quota_exceeded": re.compile(r"limit of \d+ reached for \w+ quota"),
    "datastore_full": re.compile(r"Not enough space in datastore"),
}


def _sample_records() -> list[dict[str, str]]:
    text = WEEKS_SAMPLE.read_text(encoding="utf-8")
    return [match.groupdict() for match in RECORD.finditer(text)]


def _week_days(week: str) -> list[date]:
    year, number = week.split("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    return [monday + timedelta(days=offset) for offset in range(7)]


def _in_days(records: list[dict[str, str]], days: list[date]) -> list[dict[str, str]]:
    wanted = {day.isoformat() for day in days}
    return [record for record in records if record["date"] in wanted]


def _cause_count(records: list[dict[str, str]], cause: str) -> int:
    return sum(1 for record in records if CAUSE_PATTERNS[cause].search(record["content"]))


def _expected_status(this_week: int, last_week: int, earlier: int) -> str | None:
    if this_week and last_week:
        return "ongoing"
    if this_week and earlier:
        return "regressed"
    if this_week:
        return "new"
    if last_week:
        return "gone"
    return None


@pytest.fixture(scope="module")
def sample_frame() -> pd.DataFrame:
    return logparse.read_log(WEEKS_SAMPLE)


@pytest.fixture(scope="module")
def sample_report(sample_frame) -> weekly.WeeklyReport:
    return weekly.build_weekly_report(sample_frame, week=SAMPLE_WEEK)


@pytest.fixture(scope="module")
def sample_counts() -> dict[str, object]:
    records = [record for record in _sample_records() if record["type"] == "ERROR_MSG"]
    days = _week_days(SAMPLE_WEEK)
    previous_days = [day - timedelta(days=7) for day in days]
    this_week = _in_days(records, days)
    last_week = _in_days(records, previous_days)
    earlier = [record for record in records if record["date"] < previous_days[0].isoformat()]
    return {
        "all": records,
        "this_week": this_week,
        "last_week": last_week,
        "earlier": earlier,
        "days": Counter(record["date"] for record in this_week),
        "creators": Counter(record["creator"] for record in this_week),
    }


# ---------------------------------------------------------------------------
# The larger sample, against the regular expression counts


def test_sample_week_has_failures(sample_counts) -> None:
    # Guards the checks below against passing on an empty week.
    assert len(sample_counts["this_week"]) > 100
    assert len(sample_counts["last_week"]) > 100


def test_sample_week_total(sample_report, sample_counts) -> None:
    assert sample_report.failures == len(sample_counts["this_week"])


def test_sample_previous_week_total(sample_report, sample_counts) -> None:
    headline = sample_report.headline

    assert headline.loc["metric_failures", "previous_week"] == len(sample_counts["last_week"])


def test_sample_daily_counts(sample_report, sample_counts) -> None:
    daily = sample_report.daily.sum(axis=1)
    by_day = {day.date().isoformat(): int(count) for day, count in daily.items()}
    expected = {
        day.isoformat(): sample_counts["days"][day.isoformat()] for day in _week_days(SAMPLE_WEEK)
    }

    assert by_day == expected


@pytest.mark.parametrize("cause", sorted(CAUSE_PATTERNS))
def test_sample_cause_counts(sample_report, sample_counts, cause: str) -> None:
    table = sample_report.by_cause_state
    reported = int(table.loc[table["cause"] == cause, "count"].sum())

    assert reported == _cause_count(sample_counts["this_week"], cause)


@pytest.mark.parametrize("cause", sorted(CAUSE_PATTERNS))
def test_sample_cause_status(sample_report, sample_counts, cause: str) -> None:
    expected = _expected_status(
        _cause_count(sample_counts["this_week"], cause),
        _cause_count(sample_counts["last_week"], cause),
        _cause_count(sample_counts["earlier"], cause),
    )
    table = sample_report.week_over_week.set_index("cause")
    reported = table["status"].get(cause)

    assert reported == expected


def test_sample_top_creators(sample_report, sample_counts) -> None:
    top = sample_report.top_creators
    reported = dict(zip(top["creator"], top["count"], strict=True))

    assert reported == dict(sample_counts["creators"])


def test_sample_health(sample_report, sample_counts) -> None:
    text = WEEKS_SAMPLE.read_text(encoding="utf-8")

    assert sample_report.health["lines"] == len(text.splitlines())
    assert sample_report.health["notifications"] == len(sample_counts["all"])
    assert sample_report.health["failures_week"] == len(sample_counts["this_week"])


def test_sample_files(sample_frame, sample_counts, tmp_path) -> None:
    paths = weekly.write_weekly_report(sample_frame, week=SAMPLE_WEEK, output_dir=tmp_path)
    with paths.csv.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    collisions = sum(int(row["count"]) for row in rows if row["cause"] == "name_collision")
    total = len(sample_counts["this_week"])
    previous = len(sample_counts["last_week"])

    assert sum(int(row["count"]) for row in rows) == total
    assert collisions == _cause_count(sample_counts["this_week"], "name_collision")
    assert f"| Failures | {total:,} | {previous:,} |" in paths.markdown.read_text(encoding="utf-8")
    assert f'<div class="lp-value">{total:,}</div>' in paths.html.read_text(encoding="utf-8")


def test_sample_default_week(sample_frame) -> None:
    # The sample ends on a Sunday, so its last week is complete.
    last = sample_frame["timestamp"].max()
    report = weekly.build_weekly_report(sample_frame)

    assert last.isoweekday() == 7
    assert report.week == "{}-W{:02d}".format(*last.isocalendar()[:2])


def test_sample_chinese(sample_report, sample_frame) -> None:
    report = weekly.build_weekly_report(sample_frame, week=SAMPLE_WEEK, lang="zh-CN")
    html = report.to_html()

    assert report.failures == sample_report.failures
    assert '<html lang="zh-CN">' in html
    assert "核心指标" in html


# ---------------------------------------------------------------------------
# Files and layout


@pytest.fixture
def hostile_frame() -> pd.DataFrame:
    rows = [
        *SEED_ROWS,
        {
            "timestamp": "2014-09-19 09:00:00",
            "message": SCRIPT,
            "cause": "unknown",
            "template": SCRIPT,
            "creator": "ops2 | admin",
        },
        {
            "timestamp": "2014-09-19 09:30:00",
            "message": HYPERLINK,
            "cause": "not_authorized",
            "template": HYPERLINK,
            "creator": "@dev1",
        },
    ]
    return build_notifications(rows)


def test_write_file_names(seed_frame, tmp_path) -> None:
    paths = weekly.write_weekly_report(seed_frame, week="2014-W38", output_dir=tmp_path / "out")
    names = sorted(path.name for path in (tmp_path / "out").iterdir())

    assert names == [
        "failures-2014-W38-causes.png",
        "failures-2014-W38-daily.png",
        "failures-2014-W38.csv",
        "failures-2014-W38.html",
        "failures-2014-W38.md",
    ]
    assert paths.html == tmp_path / "out" / "failures-2014-W38.html"
    assert len(paths.charts) == 2


def test_html_escapes_script(hostile_frame) -> None:
    html = weekly.build_weekly_report(hostile_frame, week="2014-W38").to_html()

    assert "<script" not in html
    assert "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt;" in html
    assert "ops2 | admin" in html


def test_html_self_contained(hostile_frame) -> None:
    html = weekly.build_weekly_report(hostile_frame, week="2014-W38").to_html()
    sources = re.findall(r'(?:src|href)="([^"]*)"', html)

    assert sources
    assert [source for source in sources if not source.startswith(("data:image/png", "#"))] == []
    assert "default-src 'none'" in html
    assert "<link" not in html


def test_markdown_escapes_text(hostile_frame) -> None:
    markdown = weekly.build_weekly_report(hostile_frame, week="2014-W38").to_markdown()

    assert "<script" not in markdown
    assert "&lt;script&gt;" in markdown
    assert r"ops2 \| admin" in markdown


@pytest.mark.parametrize("render", ["to_html", "to_markdown"])
def test_control_characters_never_raw(render: str) -> None:
    message = "disk\x00 lost \x1b[31m on node\x07 VM has to be RUNNING to snapshot disks."
    rows = [
        *SEED_ROWS,
        {
            "timestamp": "2014-09-19 09:00:00",
            "message": message,
            "cause": "unknown",
            "template": message,
            "creator": "ops\x00",
        },
    ]
    text = getattr(weekly.build_weekly_report(build_notifications(rows), week="2014-W38"), render)()

    assert re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text) is None
    # The control pictures keep the text readable: NUL shows as U+2400.
    assert "disk\u2400 lost" in text


def test_markdown_tables_keep_columns(hostile_frame) -> None:
    markdown = weekly.build_weekly_report(hostile_frame, week="2014-W38").to_markdown()
    tables = re.findall(r"(?:^\|.*\n)+", markdown, flags=re.MULTILINE)
    uneven = []
    for table in tables:
        pipes = {len(re.findall(r"(?<!\\)\|", line)) for line in table.splitlines()}
        if len(pipes) != 1:
            uneven.append(table)

    assert len(tables) >= 8
    assert uneven == []


def test_markdown_links_charts(seed_frame) -> None:
    markdown = weekly.build_weekly_report(seed_frame, week="2014-W38").to_markdown()

    assert "(failures-2014-W38-daily.png)" in markdown
    assert "data:image" not in markdown


def test_csv_neutralizes_hyperlink(hostile_frame, tmp_path) -> None:
    paths = weekly.write_weekly_report(hostile_frame, week="2014-W38", output_dir=tmp_path)
    with paths.csv.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    examples = [row["example"] for row in rows if row["cause"] == "not_authorized"]

    assert examples == ["'" + HYPERLINK]
    assert not any(row["example"].startswith("=") for row in rows)


def test_csv_columns(seed_frame, tmp_path) -> None:
    paths = weekly.write_weekly_report(seed_frame, week="2014-W38", output_dir=tmp_path)
    with paths.csv.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))

    assert list(rows[0]) == CSV_COLUMNS
    assert rows[0]["cause"] == "name_collision"
    assert rows[0]["count"] == "7"
    assert rows[0]["example"] == COLLISION
    assert rows[1]["vm_state"] == "not RUNNING/POWEROFF/SUSPENDED"


# ---------------------------------------------------------------------------
# Content


def test_seed_headline(seed_frame) -> None:
    report = weekly.build_weekly_report(seed_frame, week="2014-W38")
    headline = report.headline["this_week"]

    assert headline["metric_failures"] == 12
    assert headline["metric_incidents"] == 3
    assert headline["metric_causes"] == 2
    assert headline["metric_objects"] == 1
    assert headline["metric_creators"] == 1


def test_seed_hints(seed_frame) -> None:
    report = weekly.build_weekly_report(seed_frame, week="2014-W38")
    html = report.to_html()

    assert set(report.hints) == {"name_collision", "invalid_vm_state"}
    assert "delete or rename the object that holds it" in html


def test_chinese_report(seed_frame, tmp_path) -> None:
    paths = weekly.write_weekly_report(
        seed_frame, week="2014-W38", output_dir=tmp_path, lang="zh-CN"
    )
    html = paths.html.read_text(encoding="utf-8")
    markdown = paths.markdown.read_text(encoding="utf-8")

    for heading in ("2014-W38 故障周报", "核心指标", "每日故障数", "按原因和虚拟机状态统计"):
        assert heading in html
        assert heading in markdown
    assert "非 RUNNING/POWEROFF/SUSPENDED" in html
    assert "删除、重命名占用该名称的对象" in html


def test_chinese_csv_keeps_ids(seed_frame, tmp_path) -> None:
    paths = weekly.write_weekly_report(
        seed_frame, week="2014-W38", output_dir=tmp_path, lang="zh-CN"
    )
    with paths.csv.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))

    assert rows[0]["cause"] == "name_collision"
    assert "重命名" in rows[0]["hint"]


def test_week_without_failures(seed_frame, tmp_path) -> None:
    paths = weekly.write_weekly_report(seed_frame, week="2014-W39", output_dir=tmp_path)
    html = paths.html.read_text(encoding="utf-8")
    markdown = paths.markdown.read_text(encoding="utf-8")

    assert "No failures in 2014-W39." in html
    assert "**No failures in 2014-W39.**" in markdown
    assert "gone" in html
    assert paths.csv.read_text(encoding="utf-8-sig").splitlines()[0].startswith("cause,")
    assert len(paths.csv.read_text(encoding="utf-8-sig").splitlines()) == 1


def test_week_without_failures_chinese(seed_frame) -> None:
    html = weekly.build_weekly_report(seed_frame, week="2014-W39", lang="zh-CN").to_html()

    assert "2014-W39 没有故障。" in html


def test_default_week_partial(seed_frame) -> None:
    assert weekly.build_weekly_report(seed_frame).week == "2014-W38"


def test_week_normalized(seed_frame) -> None:
    assert weekly.build_weekly_report(seed_frame, week="2014W38").week == "2014-W38"


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"week": "2014-38"}, "invalid ISO week"),
        ({"lang": "fr"}, "unsupported language"),
    ],
)
def test_rejects_options(seed_frame, options: dict[str, str], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        weekly.build_weekly_report(seed_frame, **options)


def test_notebook_fragment(seed_frame) -> None:
    fragment = weekly.build_weekly_report(seed_frame, week="2014-W38")._repr_html_()

    assert fragment.lstrip().startswith('<div class="logparse-weekly"')
    assert "<html" not in fragment


# ---------------------------------------------------------------------------
# Inputs with nothing to report


def test_no_notifications_error(tmp_path: Path) -> None:
    path = tmp_path / "requests.txt"
    path.write_text(
        '磁盘快照\n\n{"action":{"perform":"saveas","params":{"disk_id":"1"}}}:\n', encoding="utf-8"
    )
    df = logparse.read_log(path)

    with pytest.raises(NoNotificationsError, match="no notification records in the input"):
        weekly.write_weekly_report(df, output_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_undated_notifications_error(make_notifications, tmp_path) -> None:
    df = make_notifications([{"message": COLLISION, "timestamp": None}])

    with pytest.raises(NoNotificationsError, match="none of the 1 notifications has a date"):
        weekly.write_weekly_report(df, output_dir=tmp_path)


def test_undated_failures_in_health(make_notifications) -> None:
    df = make_notifications(
        [*SEED_ROWS, {"message": COLLISION, "timestamp": None, "cause": "name_collision"}]
    )
    report = weekly.build_weekly_report(df, week="2014-W38")

    assert report.health["undated"] == 1
    assert report.health["failures_total"] == 13
    assert report.failures == 12


# ---------------------------------------------------------------------------
# Outlier dates

FAR_FUTURE = {"timestamp": "2099-01-01 10:00:00", "message": COLLISION, "cause": "name_collision"}


@pytest.fixture
def far_future_frame() -> pd.DataFrame:
    return build_notifications([*SEED_ROWS, FAR_FUTURE])


def test_default_week_skips_far_future(far_future_frame) -> None:
    report = weekly.build_weekly_report(far_future_frame)

    assert report.week == "2014-W38"
    assert report.failures == 12
    assert report.outliers == [pd.Timestamp("2099-01-01 10:00:00")]
    assert report.health["outliers"] == 1


def test_explicit_week_of_outlier(far_future_frame) -> None:
    report = weekly.build_weekly_report(far_future_frame, week="2099-W01")

    assert report.week == "2099-W01"
    assert report.failures == 1
    assert report.outliers == [pd.Timestamp("2099-01-01 10:00:00")]


def test_default_week_skips_future_of_now(make_notifications) -> None:
    later = {**FAR_FUTURE, "timestamp": "2014-10-05 10:00:00"}
    df = make_notifications([*SEED_ROWS, later])

    assert weekly.build_weekly_report(df, now="2014-09-21 12:00:00").week == "2014-W38"
    assert weekly.build_weekly_report(df, now="2014-10-06 12:00:00").week == "2014-W40"


def test_outlier_dates_in_report(far_future_frame) -> None:
    report = weekly.build_weekly_report(far_future_frame)
    html = report.to_html()
    markdown = report.to_markdown()

    assert '<p class="lp-warning">' in html
    assert "did not count when choosing the default week: 2099-01-01 10:00:00." in html
    assert "> Dates in the future" in markdown
    assert "2099-01-01 10:00:00" in markdown
    assert "Notifications with outlier dates" in html


def test_outlier_dates_in_chinese_report(far_future_frame) -> None:
    html = weekly.build_weekly_report(far_future_frame, lang="zh-CN").to_html()

    assert "选择默认周时未予考虑：2099-01-01 10:00:00。" in html


def test_outlier_dates_listed_with_rest_counted(make_notifications) -> None:
    late = [{**FAR_FUTURE, "timestamp": f"2099-01-0{day} 10:00:00"} for day in range(1, 9)]
    report = weekly.build_weekly_report(make_notifications([*SEED_ROWS, *late]))

    assert report.health["outliers"] == 8
    assert "2099-01-05 10:00:00 and 3 more." in report.to_html()
    assert "2099-01-06" not in report.to_html()


def test_outlier_dates_logged(far_future_frame, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="logparse.weekly"):
        weekly.build_weekly_report(far_future_frame)

    assert "1 notification dated in the future" in caplog.text
    assert "(2099-01-01 10:00:00)" in caplog.text
    assert "The report covers 2014-W38" in caplog.text

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="logparse.weekly"):
        weekly.build_weekly_report(far_future_frame, week="2014-W38")

    assert caplog.text == ""


def test_no_outliers_no_notice(sample_frame) -> None:
    # A complete week of the sample, so that no partial-week notice shows either.
    report = weekly.build_weekly_report(sample_frame, week="2014-W38")

    assert report.outliers == []
    assert report.health["outliers"] == 0
    assert "lp-warning" not in report.to_html().split("</style>")[1]
    assert "> " not in report.to_markdown().split("\n\n## ")[0]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "The input covers only part of this week, from 2014-09-18 01:54:27 to 2014-09-18"),
        ("zh-CN", "输入数据只覆盖本周的一部分（2014-09-18 01:54:27 至 2014-09-18"),
    ],
)
def test_partial_week_notice(seed_frame, lang: str, text: str) -> None:
    report = weekly.build_weekly_report(seed_frame, week="2014-W38", lang=lang)

    assert report.coverage is not None
    assert report.coverage[0] == pd.Timestamp("2014-09-18 01:54:27")
    assert text in report.to_html()
    assert text in report.to_markdown()


def test_partial_week_ignores_outliers(sample_frame) -> None:
    # The sample cut on a Friday, plus a record dated 2099: the week stays partial.
    cut = sample_frame[sample_frame["timestamp"] < pd.Timestamp("2014-10-10")]
    late = cut.iloc[[-1]].copy()
    late["timestamp"] = pd.Timestamp("2099-01-01 00:00:00")
    frame = pd.concat([cut, late], ignore_index=True)
    frame.attrs = sample_frame.attrs

    report = weekly.build_weekly_report(frame, week="2014-W41")
    assert report.outliers == [pd.Timestamp("2099-01-01 00:00:00")]
    assert report.coverage is not None
    assert report.coverage[1] < pd.Timestamp("2014-10-10")


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "The input starts on 2014-09-06"),
        ("zh-CN", "输入数据从上周中的 2014-09-06"),
    ],
)
def test_partial_previous_week_notice(sample_frame, lang: str, text: str) -> None:
    # The input starts on the Saturday of W36, so W37's comparison is partial.
    frame = sample_frame[sample_frame["timestamp"] >= pd.Timestamp("2014-09-06")]
    frame.attrs = sample_frame.attrs

    report = weekly.build_weekly_report(frame, week="2014-W37", lang=lang)
    assert report.coverage is None
    assert text in report.to_html()
    assert text in report.to_markdown()


def test_week_outside_input_noticed(sample_frame, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="logparse"):
        report = weekly.build_weekly_report(sample_frame, week="2010-W01")

    assert report.failures == 0
    assert "The input has no record in this week: it runs from 2014-09-01" in report.to_html()
    assert any("2010-W01 is outside the input" in record.message for record in caplog.records)


# ---------------------------------------------------------------------------
# Timestamps with a time zone


def test_time_zone_report_matches_naive(sample_frame, sample_report) -> None:
    aware = sample_frame.copy()
    aware["timestamp"] = aware["timestamp"].dt.tz_localize("Asia/Shanghai")
    report = weekly.build_weekly_report(aware, week=SAMPLE_WEEK)

    assert report.failures == sample_report.failures
    assert list(report.daily.sum(axis=1)) == list(sample_report.daily.sum(axis=1))
    assert report.headline.equals(sample_report.headline)
    assert report.time_zone == "Asia/Shanghai"


def test_time_zone_default_week(sample_frame) -> None:
    aware = sample_frame.copy()
    aware["timestamp"] = aware["timestamp"].dt.tz_localize("Asia/Shanghai")

    assert weekly.build_weekly_report(aware).week == weekly.build_weekly_report(sample_frame).week


def test_time_zone_named_in_report(seed_frame) -> None:
    aware = seed_frame.copy()
    aware["timestamp"] = aware["timestamp"].dt.tz_localize("Asia/Shanghai")
    report = weekly.build_weekly_report(aware, week="2014-W38")
    chinese = weekly.build_weekly_report(aware, week="2014-W38", lang="zh-CN")

    assert "Times are in the Asia/Shanghai time zone." in report.to_html()
    assert "Times are in the Asia/Shanghai time zone." in report.to_markdown()
    assert "时间均按 Asia/Shanghai 时区显示。" in chinese.to_html()
    assert "time zone" not in weekly.build_weekly_report(seed_frame, week="2014-W38").to_html()


def test_time_zone_week_starts_in_zone(make_notifications) -> None:
    # Monday 00:30 in Shanghai is Sunday 16:30 UTC, in the week before by UTC.
    df = make_notifications([*SEED_ROWS, {**FAR_FUTURE, "timestamp": "2014-09-15 00:30:00"}])
    df["timestamp"] = df["timestamp"].dt.tz_localize("Asia/Shanghai")
    report = weekly.build_weekly_report(df, week="2014-W38")

    assert report.failures == 13
    assert report.start == pd.Timestamp("2014-09-15", tz="Asia/Shanghai")
    assert report.headline.loc["metric_failures", "previous_week"] == 0


def test_time_zone_daylight_saving_week(make_notifications) -> None:
    # Clocks in Berlin went forward on Sunday 30 March 2014.
    rows = [
        {**FAR_FUTURE, "timestamp": "2014-03-24 00:10:00"},
        {**FAR_FUTURE, "timestamp": "2014-03-30 23:50:00"},
        {**FAR_FUTURE, "timestamp": "2014-03-31 00:10:00"},
    ]
    df = make_notifications(rows)
    df["timestamp"] = df["timestamp"].dt.tz_localize("Europe/Berlin")
    report = weekly.build_weekly_report(df, week="2014-W13")

    assert report.failures == 2
    assert list(report.daily.sum(axis=1)) == [1, 0, 0, 0, 0, 0, 1]
    assert "Mon 24 Mar 2014 to Sun 30 Mar 2014" in report.to_html()


def test_time_zone_files(seed_frame, tmp_path) -> None:
    aware = seed_frame.copy()
    aware["timestamp"] = aware["timestamp"].dt.tz_localize("Asia/Shanghai")
    paths = weekly.write_weekly_report(aware, week="2014-W38", output_dir=tmp_path)
    with paths.csv.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))

    assert sum(int(row["count"]) for row in rows) == 12
    assert rows[0]["first_seen"].startswith("2014-09-18 01:54:27")


# ---------------------------------------------------------------------------
# Element ids


def _ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


def _links(html: str) -> list[str]:
    return re.findall(r'href="#([^"]+)"', html)


def test_notebook_fragments_share_no_id(seed_frame) -> None:
    first = weekly.build_weekly_report(seed_frame, week="2014-W38")._repr_html_()
    second = weekly.build_weekly_report(seed_frame, week="2014-W39")._repr_html_()

    assert _ids(first)
    assert set(_ids(first)) & set(_ids(second)) == set()
    assert len(_ids(first)) == len(set(_ids(first)))
    assert _links(first)
    assert set(_links(first)) <= set(_ids(first))


def test_notebook_fragment_rendered_twice(seed_frame) -> None:
    report = weekly.build_weekly_report(seed_frame, week="2014-W38")

    assert set(_ids(report._repr_html_())) & set(_ids(report._repr_html_())) == set()


def test_page_bytes_repeat(seed_frame, tmp_path) -> None:
    first = weekly.write_weekly_report(seed_frame, week="2014-W38", output_dir=tmp_path / "a")
    second = weekly.write_weekly_report(seed_frame, week="2014-W38", output_dir=tmp_path / "b")

    for written, rewritten in zip(
        (first.html, first.markdown, first.csv, *first.charts),
        (second.html, second.markdown, second.csv, *second.charts),
        strict=True,
    ):
        assert written.read_bytes() == rewritten.read_bytes(), written.name
    html = first.html.read_text(encoding="utf-8")
    assert "lp-causes" in _ids(html)
    assert set(_links(html)) <= set(_ids(html))


def test_id_prefix_explicit(seed_frame) -> None:
    report = weekly.build_weekly_report(seed_frame, week="2014-W38")
    fragment = report.to_html(standalone=False, id_prefix="week38")

    assert "week38-causes" in _ids(fragment)
    assert fragment == report.to_html(standalone=False, id_prefix="week38")


@pytest.mark.parametrize("prefix", ["", "1lp", 'lp" onload="x', "lp causes"])
def test_id_prefix_rejected(seed_frame, prefix: str) -> None:
    report = weekly.build_weekly_report(seed_frame, week="2014-W38")

    with pytest.raises(ValueError, match="invalid id_prefix"):
        report.to_html(id_prefix=prefix)


# ---------------------------------------------------------------------------
# Language of the CSV file and of table headings

CSV_COLUMNS = [
    "cause",
    "description",
    "vm_state",
    "count",
    "first_seen",
    "last_seen",
    "example",
    "hint",
]


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def test_chinese_csv_keeps_machine_columns(seed_frame, tmp_path) -> None:
    english = weekly.write_weekly_report(seed_frame, week="2014-W38", output_dir=tmp_path / "en")
    chinese = weekly.write_weekly_report(
        seed_frame, week="2014-W38", output_dir=tmp_path / "zh", lang="zh-CN"
    )
    english_rows, chinese_rows = _csv_rows(english.csv), _csv_rows(chinese.csv)

    assert list(chinese_rows[0]) == CSV_COLUMNS
    for column in ("cause", "vm_state", "count", "first_seen", "last_seen", "example"):
        assert [row[column] for row in chinese_rows] == [row[column] for row in english_rows]
    assert chinese_rows[1]["vm_state"] == "not RUNNING/POWEROFF/SUSPENDED"
    assert "虚拟机" in chinese_rows[1]["description"]


@pytest.mark.parametrize("readme", ["README.md", "README.zh-CN.md"])
def test_readme_documents_csv_columns(readme: str) -> None:
    text = (REPO / readme).read_text(encoding="utf-8")
    weekly_section = text.split("### `weekly`", 1)[1].split("\n## ", 1)[0]
    csv_paragraph = next(part for part in weekly_section.split("\n\n") if "`first_seen`" in part)

    assert [column for column in CSV_COLUMNS if f"`{column}`" not in csv_paragraph] == []
    assert "--lang zh-CN" in csv_paragraph


def test_chinese_headings_translated(seed_frame) -> None:
    report = weekly.build_weekly_report(seed_frame, week="2014-W38", lang="zh-CN")
    html = report.to_html()
    markdown_lines = report.to_markdown().splitlines()
    header_rows = [
        markdown_lines[index - 1]
        for index, line in enumerate(markdown_lines)
        if line.startswith("|---")
    ]
    html_headers = re.findall(r"<th[^>]*>([^<]*)</th>", html)
    markdown_headers = [cell.strip() for row in header_rows for cell in row.strip("|").split("|")]

    assert html_headers
    assert [header for header in html_headers if re.search("[A-Za-z]", header)] == []
    assert [header for header in markdown_headers if re.search("[A-Za-z]", header)] == []


# ---------------------------------------------------------------------------
# Write errors


def test_write_into_file_path_raises(seed_frame, tmp_path) -> None:
    blocker = tmp_path / "report.txt"
    blocker.write_text("kept", encoding="utf-8")

    with pytest.raises(NotADirectoryError) as caught:
        weekly.write_weekly_report(seed_frame, week="2014-W38", output_dir=blocker)

    assert caught.value.filename == str(blocker)
    assert blocker.read_text(encoding="utf-8") == "kept"


def _fail_writes(monkeypatch, number: int) -> None:
    """Make the ``number``-th file that weekly.py opens fail its write as on a full disk."""
    opened = []

    class FullFile(io.BytesIO):
        def write(self, data) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    def open_file(path, mode="r", *args, **kwargs):
        opened.append(path)
        if len(opened) == number:
            Path(path).touch()
            return FullFile()
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(weekly, "open", open_file, raising=False)


@pytest.mark.parametrize("failing", [1, 3, 5])
def test_write_failure_keeps_earlier_files(seed_frame, tmp_path, monkeypatch, failing) -> None:
    first = weekly.write_weekly_report(seed_frame, week="2014-W38", output_dir=tmp_path)
    written = (first.charts[0], first.charts[1], first.html, first.markdown, first.csv)
    before = {path: path.read_bytes() for path in written}
    _fail_writes(monkeypatch, failing)

    with pytest.raises(OSError) as caught:
        weekly.write_weekly_report(seed_frame, week="2014-W38", output_dir=tmp_path, lang="zh-CN")

    assert caught.value.errno == errno.ENOSPC
    assert caught.value.filename == str(written[failing - 1])
    assert {path: path.read_bytes() for path in written} == before
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(p.name for p in written)


def test_write_failure_on_rename_names_file(seed_frame, tmp_path) -> None:
    (tmp_path / "failures-2014-W38.md").mkdir()

    with pytest.raises(OSError) as caught:
        weekly.write_weekly_report(seed_frame, week="2014-W38", output_dir=tmp_path)

    assert caught.value.filename == str(tmp_path / "failures-2014-W38.md")
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


def test_write_keeps_umask_permissions(seed_frame, tmp_path) -> None:
    paths = weekly.write_weekly_report(seed_frame, week="2014-W38", output_dir=tmp_path)
    umask = os.umask(0)
    os.umask(umask)

    for path in (paths.html, paths.markdown, paths.csv, *paths.charts):
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path.name


def test_report_file_name_matches_written(seed_frame, tmp_path) -> None:
    weekly.write_weekly_report(seed_frame, week="2014-W38", output_dir=tmp_path)

    for path in tmp_path.iterdir():
        match = weekly.REPORT_FILE_NAME.fullmatch(path.name)
        assert match is not None, path.name
        assert match["week"] == "2014-W38"
    assert weekly.REPORT_FILE_NAME.fullmatch("failures-2014-W38.txt") is None


# ---------------------------------------------------------------------------
# A previous week that the input does not reach


@pytest.mark.parametrize(
    ("lang", "notice", "not_known"),
    [
        (
            "en",
            "The input starts on 2014-09-18 01:54:27, inside this week, so it has no record "
            "of the week before: counts and changes against that week are not known.",
            "not known",
        ),
        ("zh-CN", "输入数据从本周中的 2014-09-18 01:54:27 开始，没有上周的记录", "未知"),
    ],
)
def test_previous_week_outside_input(seed_frame, lang: str, notice: str, not_known: str) -> None:
    report = weekly.build_weekly_report(seed_frame, week="2014-W38", lang=lang)
    markdown = report.to_markdown()
    html = report.to_html()

    assert not report.previous_week_known
    assert notice in markdown
    assert notice in html
    assert f"| 12 | {not_known} | {not_known} |" in markdown
    change_new = weekly.messages(lang)["change_detail"].format(delta="+12", detail="")[:-1]
    assert change_new not in markdown
    assert change_new not in html
    previous_value = weekly.messages(lang)["previous_value"].format(value=not_known)
    assert f"{not_known} · {previous_value}</div>" in html
    assert f"| name\\_collision | 7 | {not_known} |" in markdown


def test_previous_week_in_input_counted(seed_frame, make_notifications) -> None:
    # A failure in the week before the previous one, so the previous week is whole and empty.
    earlier = make_notifications([{**SEED_ROWS[0], "timestamp": "2014-09-03 10:00:00"}])
    frame = pd.concat([earlier, seed_frame], ignore_index=True)
    frame.attrs = seed_frame.attrs
    report = weekly.build_weekly_report(frame, week="2014-W38")
    markdown = report.to_markdown()

    assert report.previous_week_known
    assert "| Failures | 12 | 0 | +12 (new) |" in markdown
    assert "| not known |" not in markdown


def test_objects_affected_need_id(make_notifications) -> None:
    rows = [
        {"timestamp": "2014-09-18 01:00:00", "object_type": "IMAGE", "object_id": 265},
        {"timestamp": "2014-09-18 01:01:00", "object_type": "IMAGE", "object_id": 265},
        {"timestamp": "2014-09-18 01:02:00", "object_type": "IMAGE", "object_id": 266},
        {"timestamp": "2014-09-18 01:03:00", "object_type": "VM", "object_id": 265},
        {"timestamp": "2014-09-18 01:04:00", "object_type": "NET"},
        {"timestamp": "2014-09-18 01:05:00", "object_type": "VM"},
        {"timestamp": "2014-09-18 01:06:00"},
    ]
    report = weekly.build_weekly_report(make_notifications(rows), week="2014-W38")

    assert report.headline.loc["metric_objects", "this_week"] == 3
