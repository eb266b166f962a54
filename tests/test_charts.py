"""Tests of the matplotlib charts."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
import warnings

import matplotlib
import pandas as pd
import pytest
from matplotlib import font_manager
from PIL import Image

from logparse import analytics, charts
from tests.conftest import REPO

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def week_counts(seed_frame) -> pd.DataFrame:
    start, end = analytics.iso_week_bounds("2014-W38")
    return analytics.daily_counts(seed_frame, start=start, end=end)


def _size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as image:
        return image.size


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_daily_chart_is_png(week_counts, lang: str) -> None:
    png = charts.plot_daily_failures(week_counts, week="2014-W38", lang=lang)

    assert png.startswith(PNG_SIGNATURE)
    assert _size(png) == (1080, 504)


def test_daily_chart_no_failures(seed_frame) -> None:
    start, end = analytics.iso_week_bounds("2014-W39")
    counts = analytics.daily_counts(seed_frame, start=start, end=end)
    png = charts.plot_daily_failures(counts, week="2014-W39")

    assert png.startswith(PNG_SIGNATURE)


def test_daily_chart_many_causes() -> None:
    days = pd.date_range("2014-09-15", periods=7, freq="D")
    counts = pd.DataFrame({f"cause_{index}": range(7) for index in range(15)}, index=days)
    png = charts.plot_daily_failures(counts, max_causes=5)

    assert png.startswith(PNG_SIGNATURE)


def test_comparison_chart_is_png(seed_frame) -> None:
    table = analytics.week_over_week(seed_frame, "2014-W38")
    png = charts.plot_week_comparison(table, week="2014-W38", lang="zh-CN")

    assert png.startswith(PNG_SIGNATURE)


def test_charts_leave_rc_alone(week_counts) -> None:
    before = dict(matplotlib.rcParams)
    charts.plot_daily_failures(week_counts, lang="zh-CN")
    after = dict(matplotlib.rcParams)

    assert after == before


def test_charts_never_import_pyplot() -> None:
    script = (
        "import sys, pandas as pd\n"
        "from logparse import charts\n"
        "days = pd.date_range('2014-09-15', periods=7, freq='D')\n"
        "charts.plot_daily_failures(pd.DataFrame({'a': range(7)}, index=days), lang='zh-CN')\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO
    )

    assert result.stdout.strip() == "False"


def test_cjk_font_installed() -> None:
    # The project installs fonts-noto-cjk (see .ci/run); without it Chinese charts fall back.
    assert charts.find_cjk_font() is not None


def test_cjk_font_found_past_stale_cache(monkeypatch) -> None:
    # A font cache built before the CJK font was installed lists no CJK family.
    manager = font_manager.fontManager
    stale = [entry for entry in manager.ttflist if entry.name not in charts.CJK_FONT_FAMILIES]
    monkeypatch.setattr(manager, "ttflist", stale)

    assert charts.find_cjk_font.__wrapped__() in charts.CJK_FONT_FAMILIES


@pytest.mark.parametrize("chart", ["daily", "comparison"])
def test_chinese_chart_has_every_glyph(seed_frame, week_counts, chart: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if chart == "daily":
            charts.plot_daily_failures(week_counts, week="2014-W38", lang="zh-CN")
        else:
            table = analytics.week_over_week(seed_frame, "2014-W38")
            charts.plot_week_comparison(table, week="2014-W38", lang="zh-CN")
    missing = [str(warning.message) for warning in caught if "missing from font" in str(warning)]

    assert missing == []


def test_chinese_without_font_warns(week_counts, monkeypatch, caplog) -> None:
    monkeypatch.setattr(charts, "find_cjk_font", lambda: None)
    with (
        caplog.at_level(logging.WARNING, logger="logparse.charts"),
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        png = charts.plot_daily_failures(week_counts, week="2014-W38", lang="zh-CN")

    assert png.startswith(PNG_SIGNATURE)
    assert "no font with Chinese glyphs found" in caplog.text
    assert [warning for warning in caught if "missing from font" in str(warning)] == []


def test_cause_colors_follow_catalog() -> None:
    order = ["name_collision", "invalid_vm_state", "quota_exceeded"]
    alone = charts.cause_colors(["quota_exceeded"], order)
    together = charts.cause_colors(["invalid_vm_state", "quota_exceeded"], order)

    assert alone["quota_exceeded"] == together["quota_exceeded"]


def test_cause_colors_unknown_grey() -> None:
    colors = charts.cause_colors(["unknown", "site_specific", "other_site_cause"])

    assert colors["unknown"] == "#9e9e9e"
    assert colors["site_specific"] != colors["other_site_cause"]


def _bars_drawn(monkeypatch) -> list[tuple[str, float]]:
    """Record the label and total height of every bar series a chart draws."""
    drawn: list[tuple[str, float]] = []
    draw_bars = matplotlib.axes.Axes.bar

    def record(self, x, height, *args, **kwargs):
        drawn.append((kwargs.get("label"), float(sum(height))))
        return draw_bars(self, x, height, *args, **kwargs)

    monkeypatch.setattr(matplotlib.axes.Axes, "bar", record)
    return drawn


def _counts_with_other(other_count: int) -> pd.DataFrame:
    days = pd.date_range("2014-09-15", periods=7, freq="D")
    columns = {f"cause_{index}": [10 - index] + [0] * 6 for index in range(6)}
    columns["other"] = [other_count] + [0] * 6
    return pd.DataFrame(columns, index=days)


@pytest.mark.parametrize(("lang", "bucket"), [("en", "4 other causes"), ("zh-CN", "其他 4 个原因")])
def test_daily_chart_keeps_cause_named_other(monkeypatch, lang: str, bucket: str) -> None:
    drawn = _bars_drawn(monkeypatch)
    charts.plot_daily_failures(_counts_with_other(30), lang=lang, max_causes=4)
    totals = dict(drawn)

    assert len(totals) == len(drawn)
    # Kept: other (30), cause_0 (10) and cause_1 (9). Grouped: cause_2 to cause_5.
    assert totals["other"] == 30
    assert totals[bucket] == 8 + 7 + 6 + 5
    assert sum(totals.values()) == 30 + sum(range(5, 11))


def test_daily_chart_groups_small_other_apart(monkeypatch) -> None:
    drawn = _bars_drawn(monkeypatch)
    charts.plot_daily_failures(_counts_with_other(1), max_causes=4)
    labels = [label for label, _ in drawn]

    assert "other" not in labels
    assert labels[-1] == "4 other causes"
    # Grouped: cause_3 to cause_5 and other.
    assert drawn[-1][1] == 7 + 6 + 5 + 1
