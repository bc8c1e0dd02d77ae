"""The trend report's chart: reports per month, stacked by category, as a PNG.

matplotlib is imported only when a chart is drawn, so start-up stays light, and only its
Agg canvas is used (no pyplot, no display, no global state): drawing can run in a thread.

What is drawn follows ``counts.month_bars``: a month with fewer than 5 reports gets no
bar, only "<5" written where it would stand; within a bar every segment is at least 5,
small categories pooled into "Other". The y axis counts in whole reports.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from babel.dates import format_date

from bot.i18n import Translator
from bot.trends.counts import OTHER, Key, MonthBar

WIDTH_PX, HEIGHT_PX, DPI = 1000, 560, 100
# Okabe–Ito: told apart with every kind of colour blindness; grey is "other".
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
OTHER_COLOUR = "#999999"
ALT_TEXT_LIMIT = 1000  # Slack's limit for a file's alt text


def month_label(bar: MonthBar, t: Translator, pattern: str = "MMM y") -> str:
    return format_date(bar.month, pattern, locale=t.language)


def render(bars: Sequence[MonthBar], labels: Mapping[Key, str], t: Translator) -> bytes:
    """The PNG: always WIDTH_PX × HEIGHT_PX."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(bars)))
    bottoms = [0] * len(bars)
    for index, key in enumerate(_drawn_keys(bars)):
        heights = [bar.segments.get(key, 0) for bar in bars]
        colour = OTHER_COLOUR if key == OTHER else COLOURS[index % len(COLOURS)]
        axes.bar(positions, heights, bottom=bottoms, color=colour, label=labels[key], width=0.7)
        bottoms = [low + high for low, high in zip(bottoms, heights, strict=True)]
    for position, bar in zip(positions, bars, strict=True):
        if not bar.segments and bar.shown_total != "0":
            axes.annotate(
                bar.shown_total, (position, 0), xytext=(0, 4), textcoords="offset points",
                ha="center", va="bottom", fontsize=9, color="#444444",
            )  # fmt: skip
    axes.set_title(t("Reports per month, by category"))
    axes.set_xlabel(t("Month"))
    axes.set_ylabel(t("Number of reports"))
    axes.set_xticks(positions, [month_label(bar, t, "MMM\ny") for bar in bars], fontsize=8)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(0, max([*bottoms, 10]) * 1.1)
    axes.spines[["top", "right"]].set_visible(False)
    if any(bar.segments for bar in bars):
        axes.legend(
            title=t("Category"), loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False,
            fontsize=8, title_fontsize=9,
        )  # fmt: skip
    figure.subplots_adjust(left=0.07, right=0.72, top=0.92, bottom=0.14)
    output = io.BytesIO()
    figure.savefig(output, format="png", dpi=DPI, metadata={"Software": None})
    return output.getvalue()


def _drawn_keys(bars: Sequence[MonthBar]) -> list[Key]:
    """Categories in their usual order, "other" last (on top of each bar)."""
    keys: list[Key] = []
    for bar in bars:
        keys += [key for key in bar.segments if key not in keys and key != OTHER]
    if any(OTHER in bar.segments for bar in bars):
        keys.append(OTHER)
    return keys


def alt_text(bars: Sequence[MonthBar], t: Translator) -> str:
    """What the chart shows, in words, for screen readers (and where images are off)."""
    per_month = ", ".join(f"{month_label(bar, t)}: {bar.shown_total}" for bar in bars)
    text = " ".join(
        [
            t(
                "Bar chart of the reports per month, {first} to {last}, stacked by category.",
                first=month_label(bars[0], t),
                last=month_label(bars[-1], t),
            ),
            t("Reports per month: {months}.", months=per_month),
            t(
                "Months with fewer than 5 reports have no bar; categories with few reports "
                "in a month are counted together as “Other (small numbers)”."
            ),
        ]
    )
    return text[:ALT_TEXT_LIMIT]
