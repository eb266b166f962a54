"""Failure charts drawn with matplotlib, returned as PNG bytes.

The charts use :class:`matplotlib.figure.Figure` and the Agg renderer directly,
never ``pyplot``, so drawing a chart opens no window, registers no figure and
leaves the caller's matplotlib settings as they were: font settings apply
inside :func:`matplotlib.rc_context` only.

Chinese chart text needs a font with CJK glyphs. :func:`find_cjk_font` looks
for one among the fonts registered with matplotlib's font manager. When there
is none, the charts are drawn with English text and a warning is logged,
because DejaVu Sans, the font matplotlib ships, would draw every Chinese
character as an empty box. On Debian and Ubuntu, ``apt-get install
fonts-noto-cjk`` installs Noto Sans CJK.
"""

from __future__ import annotations

import functools
import io
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from logparse.i18n import WEEKDAYS, messages, normalize_language

__all__ = [
    "CJK_FONT_FAMILIES",
    "cause_colors",
    "find_cjk_font",
    "plot_daily_failures",
    "plot_week_comparison",
]

logger = logging.getLogger(__name__)

#: Font families with Simplified Chinese glyphs, in order of preference.
CJK_FONT_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)

# File names of the fonts above, for fonts installed after matplotlib built its font cache.
_CJK_FILE_NAME = re.compile(
    r"cjk|wqy|wenquanyi|sourcehan|notosanssc|droidsansfallback|msyh|pingfang|uming",
    re.IGNORECASE,
)

# Colours of causes that are not in the catalog order, and of the grouped rest.
_UNKNOWN_COLOR = "#9e9e9e"
_OTHER_COLOR = "#cfcfcf"
_THIS_WEEK_COLOR = "#1f77b4"
_LAST_WEEK_COLOR = "#aec7e8"


def _known_families() -> set[str]:
    return {entry.name for entry in font_manager.fontManager.ttflist}


def _first_cjk_family() -> str | None:
    known = _known_families()
    return next((family for family in CJK_FONT_FAMILIES if family in known), None)


@functools.lru_cache(maxsize=1)
def find_cjk_font() -> str | None:
    """Find a font family that can draw Simplified Chinese.

    The first of :data:`CJK_FONT_FAMILIES` registered with matplotlib's font
    manager wins. Matplotlib caches its font list the first time it runs, so
    when none is registered, this adds the system font files whose names look
    like CJK fonts to the font manager and looks again. The result is cached for
    the life of the process.

    Returns
    -------
    str or None
        The font family name, or None when no CJK font is installed.
    """
    family = _first_cjk_family()
    if family is not None:
        return family

    for path in font_manager.findSystemFonts():
        if _CJK_FILE_NAME.search(Path(path).name):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError) as error:
                logger.debug("cannot load font file %s: %s", path, error)
    return _first_cjk_family()


def _chart_language(lang: str) -> tuple[str, str | None]:
    """Choose the language and CJK font family of chart text."""
    tag = normalize_language(lang)
    if tag != "zh-CN":
        return tag, None
    family = find_cjk_font()
    if family is None:
        logger.warning(
            "no font with Chinese glyphs found, so chart text is in English. "
            "Install a CJK font, such as the Debian package fonts-noto-cjk."
        )
        return "en", None
    return tag, family


def _rc(family: str | None) -> dict[str, Any]:
    # DejaVu Sans ships with matplotlib. A CJK family comes first so that a Chinese
    # title uses one font, and matplotlib falls back to DejaVu Sans per glyph.
    families = ["DejaVu Sans"] if family is None else [family, "DejaVu Sans"]
    return {
        "font.family": "sans-serif",
        "font.sans-serif": families,
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }


def cause_colors(causes: Sequence[str], catalog_order: Sequence[str] = ()) -> dict[str, str]:
    """Assign a colour to each cause, stable across reports.

    A cause in ``catalog_order`` takes the colour of its position there, so
    one cause keeps its colour from week to week. ``unknown`` is grey, and
    other causes take the next free colours in the order given.
    """
    palette = [matplotlib.colors.to_hex(color) for color in matplotlib.colormaps["tab20"].colors]
    # tab20 pairs a dark and a light shade of each hue, and the dark ones come first.
    palette = palette[0::2] + palette[1::2]
    colors: dict[str, str] = {}
    used: set[str] = set()
    ordered = [cause for cause in catalog_order if cause != "unknown"]
    for cause in causes:
        if cause == "unknown":
            colors[cause] = _UNKNOWN_COLOR
        elif cause in ordered:
            colors[cause] = palette[ordered.index(cause) % len(palette)]
            used.add(colors[cause])
    free = [color for color in palette if color not in used] or palette
    for index, cause in enumerate(cause for cause in causes if cause not in colors):
        colors[cause] = free[index % len(free)]
    return colors


def _limit_columns(
    counts: pd.DataFrame, max_columns: int
) -> tuple[pd.DataFrame, pd.Series | None, int]:
    """Split ``counts`` into its largest columns and the sum of the rest.

    The sum stays apart from the kept columns, so that it can never merge with
    or replace a cause whose id is ``other``.

    Returns
    -------
    tuple
        The ``max_columns - 1`` largest columns (all of them when there are at
        most ``max_columns``), the row sums of the rest or None, and the number
        of columns in that sum.
    """
    if len(counts.columns) <= max_columns:
        return counts, None, 0
    order = counts.sum().sort_values(ascending=False, kind="stable").index
    kept = list(order[: max_columns - 1])
    rest = counts.drop(columns=kept)
    return counts[kept], rest.sum(axis=1), len(rest.columns)


def _day_label(day: pd.Timestamp, lang: str) -> str:
    weekday = WEEKDAYS[lang][day.weekday()]
    if lang == "zh-CN":
        return f"{day.month}月{day.day}日\n{weekday}"
    return f"{weekday}\n{day.day} {day.strftime('%b')}"


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def plot_daily_failures(
    counts: pd.DataFrame,
    *,
    week: str | None = None,
    lang: str = "en",
    catalog_order: Sequence[str] = (),
    max_causes: int = 8,
) -> bytes:
    """Draw failures per day as bars stacked by cause.

    Parameters
    ----------
    counts : DataFrame
        Failures per day and cause, as returned by
        :func:`logparse.analytics.daily_counts`: one row per day, one column per cause.
    week : str, optional
        The ISO week the chart shows, such as ``2014-W38``, for the title.
    lang : {"en", "zh-CN"}, default "en"
        The language of the chart text. Chinese needs a CJK font: without one
        the text is English and a warning is logged.
    catalog_order : sequence of str, optional
        The cause ids in catalog order, which fixes the colour of each cause.
    max_causes : int, default 8
        The maximum number of legend entries. When there are more causes, the
        smallest ones are added up in one bar labelled with their number, such
        as "12 other causes". Cause ids are lower-case words without spaces, so
        that label never reads as a cause, not even one whose id is ``other``.

    Returns
    -------
    bytes
        A PNG image. A week without failures gives empty days with a
        "No failures" note.
    """
    lang, family = _chart_language(lang)
    texts = messages(lang)
    totals = counts.sum(axis=1).to_numpy() if len(counts.columns) else np.zeros(len(counts))
    counts, rest, grouped = _limit_columns(counts, max_causes)
    colors = cause_colors(list(counts.columns), catalog_order)
    days = [pd.Timestamp(day) for day in counts.index]
    positions = np.arange(len(days))

    with matplotlib.rc_context(_rc(family)):
        figure = Figure(figsize=(9, 4.2), dpi=120, layout="constrained")
        axes = figure.add_subplot()
        bottom = np.zeros(len(days))
        for cause in counts.columns:
            values = counts[cause].to_numpy(dtype=float)
            axes.bar(positions, values, bottom=bottom, width=0.7, color=colors[cause], label=cause)
            bottom += values
        if rest is not None:
            axes.bar(
                positions,
                rest.to_numpy(dtype=float),
                bottom=bottom,
                width=0.7,
                color=_OTHER_COLOR,
                hatch="///",
                edgecolor="#ffffff",
                linewidth=0,
                label=texts["chart_other"].format(count=grouped),
            )

        for position, total in zip(positions, totals, strict=True):
            if total:
                axes.annotate(
                    f"{int(total)}",
                    (position, total),
                    xytext=(0, 2),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=8,
                )

        axes.set_xticks(positions, labels=[_day_label(day, lang) for day in days])
        axes.set_xlim(-0.5, len(days) - 0.5)
        axes.set_ylabel(texts["chart_failures"])
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.grid(axis="y", color="#e6e6e6", linewidth=0.8)
        axes.set_axisbelow(True)
        title = texts["chart_daily_title"].format(week=week) if week else texts["daily"]
        axes.set_title(title, loc="left", fontsize=11)

        if not totals.any():
            axes.set_ylim(0, 1)
            axes.set_yticks([0])
            axes.text(0.5, 0.5, texts["chart_no_failures"], transform=axes.transAxes, ha="center")
        else:
            axes.set_ylim(0, totals.max() * 1.12)
            handles, labels = axes.get_legend_handles_labels()
            # Reversed, so the legend lists causes in the order they are stacked, top first.
            axes.legend(
                handles[::-1],
                labels[::-1],
                title=texts["chart_cause"],
                loc="upper left",
                bbox_to_anchor=(1.01, 1.0),
                frameon=False,
                fontsize=8,
                title_fontsize=9,
            )
        return _png(figure)


def plot_week_comparison(
    table: pd.DataFrame,
    *,
    week: str | None = None,
    lang: str = "en",
    max_causes: int = 10,
) -> bytes:
    """Draw failures per cause this week against the week before, as paired bars.

    Parameters
    ----------
    table : DataFrame
        The result of :func:`logparse.analytics.week_over_week` by cause.
    week : str, optional
        The ISO week, such as ``2014-W38``, for the title.
    lang : {"en", "zh-CN"}, default "en"
        The language of the chart text, as in :func:`plot_daily_failures`.
    max_causes : int, default 10
        The largest number of causes shown, those with the most failures in
        either week.

    Returns
    -------
    bytes
        A PNG image.
    """
    lang, family = _chart_language(lang)
    texts = messages(lang)
    table = table.assign(_largest=table[["this_week", "last_week"]].max(axis=1))
    table = table.sort_values(["_largest", "this_week"], ascending=False, kind="stable")
    table = table.head(max_causes).iloc[::-1]
    labels = [str(value) for value in table.iloc[:, 0]]
    positions = np.arange(len(labels))

    with matplotlib.rc_context(_rc(family)):
        height = 1.2 + 0.38 * max(len(labels), 2)
        figure = Figure(figsize=(9, height), dpi=120, layout="constrained")
        axes = figure.add_subplot()
        axes.barh(
            positions + 0.2,
            table["this_week"],
            height=0.4,
            color=_THIS_WEEK_COLOR,
            label=texts["this_week"],
        )
        axes.barh(
            positions - 0.2,
            table["last_week"],
            height=0.4,
            color=_LAST_WEEK_COLOR,
            label=texts["previous_week"],
        )
        axes.set_yticks(positions, labels=labels)
        axes.set_xlabel(texts["chart_failures"])
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.grid(axis="x", color="#e6e6e6", linewidth=0.8)
        axes.set_axisbelow(True)
        title = texts["chart_comparison_title"].format(week=week) if week else texts["comparison"]
        axes.set_title(title, loc="left", fontsize=11)
        if labels:
            axes.legend(loc="lower right", frameon=False, fontsize=8)
        else:
            axes.text(0.5, 0.5, texts["chart_no_failures"], transform=axes.transAxes, ha="center")
        return _png(figure)
