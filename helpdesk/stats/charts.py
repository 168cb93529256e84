"""Charts drawn on the server as SVG: no charting library, nothing from another host.

This module only does the geometry; the templates under templates/stats/charts/ draw it. Colours
come from CSS classes (static/css/stats.css), so print and high-contrast styles can change them.
Right to left, the time axis runs from the right (as the reader reads) and the axis labels sit on
the right: `rtl=True` mirrors every x coordinate.

Reusable pieces for other sections:
- `heatmap(counts)` with `{% include "stats/charts/heatmap.html" with heatmap=... %}` draws a week
  (rows Monday..Sunday, columns 00..23 h) from {hour_of_week: count}, with its table beside it.
- `stacked_bars(...)` with "stats/charts/stacked_bars.html".
- `share_rows(rows, total)` for a table with a bar in every row ("stats/charts/bar_table.html").
"""

import math
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _

SERIES_CLASSES = 9  # stats.css defines .series-0 .. .series-8


def nice_ceiling(value: float) -> int:
    """A round number at or above `value` for the top of an axis (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return math.ceil(step * magnitude)
    return int(10 * magnitude)


def _mirror(x: float, width: float, total: float, rtl: bool) -> float:
    return round(total - x - width, 2) if rtl else round(x, 2)


@dataclass
class Segment:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class XLabel:
    x: float
    label: str


@dataclass
class StackedBars:
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    axis_x: float
    segments: list[Segment]
    ticks: list[Tick]
    labels: list[XLabel]
    legend: list[tuple[str, str]]  # (css class, label)
    title: str
    rtl: bool
    empty: bool


def stacked_bars(
    columns: list[tuple[str, str]],
    series: list[tuple[str, str]],
    values: dict[str, dict[str, int]],
    *,
    title: str,
    rtl: bool = False,
    width: int = 720,
    height: int = 260,
) -> StackedBars:
    """Bars per column (months), stacked by series (channels).

    columns: [(key, label)]; series: [(code, label)] in stacking order (biggest first is best);
    values: {column key: {series code: count}}.
    """
    margin_start, margin_end, top, bottom = 48, 8, 10, 28
    plot_width = width - margin_start - margin_end
    plot_height = height - top - bottom
    totals = [sum(values.get(key, {}).values()) for key, _label in columns]
    top_value = nice_ceiling(max(totals, default=0))
    slot = plot_width / max(1, len(columns))
    bar = max(2.0, slot * 0.7)
    css = {code: f"series-{i % SERIES_CLASSES}" for i, (code, _l) in enumerate(series)}
    labels = dict(series)
    segments, x_labels = [], []
    every = max(1, math.ceil(len(columns) / 18))  # keep month labels from overlapping
    for index, (key, label) in enumerate(columns):
        x = margin_start + index * slot + (slot - bar) / 2
        y = top + plot_height
        for code, _l in series:
            count = values.get(key, {}).get(code, 0)
            if not count:
                continue
            h = plot_height * count / top_value
            y -= h
            segments.append(
                Segment(
                    x=_mirror(x, bar, width, rtl),
                    y=round(y, 2),
                    width=round(bar, 2),
                    height=round(h, 2),
                    css=css[code],
                    title=f"{label}: {labels[code]} {formats.number_format(count, force_grouping=True)}",
                )
            )
        if index % every == 0:
            x_labels.append(XLabel(_mirror(x + bar / 2, 0, width, rtl), label))
    ticks = [
        Tick(
            y=round(top + plot_height - plot_height * step / 4, 2),
            label=formats.number_format(top_value * step // 4, force_grouping=True),
        )
        for step in range(5)
    ]
    return StackedBars(
        width=width,
        height=height,
        plot_top=top,
        plot_bottom=top + plot_height,
        axis_x=(width - margin_start + 6) if rtl else (margin_start - 6),
        segments=segments,
        ticks=ticks,
        labels=x_labels,
        legend=[(css[code], label) for code, label in series],
        title=title,
        rtl=rtl,
        empty=not any(totals),
    )


@dataclass
class Cell:
    x: float
    y: float
    level: int
    count: int
    title: str


@dataclass
class Heatmap:
    width: int
    height: int
    cell: int
    cells: list[Cell]
    day_labels: list[tuple[float, str]]
    hour_labels: list[tuple[float, str]]
    rows: list[list]  # the table: one row per hour, a column per day
    days: list[str]
    label_x: float
    rtl: bool
    title: str
    total: int
    levels: list[int] = field(default_factory=lambda: list(range(6)))


def heatmap(counts: dict[int, int], *, title: str, rtl: bool = False) -> Heatmap:
    """A week of hours: {hour_of_week (0 = Monday 00h): count} -> cells shaded in 6 levels."""
    cell, label_width, top = 22, 40, 18
    width = label_width + 24 * cell
    height = top + 7 * cell
    peak = max(counts.values(), default=0)
    days = [str(WEEKDAYS_ABBR[d]) for d in range(7)]
    cells = []
    for day in range(7):
        for hour in range(24):
            count = counts.get(day * 24 + hour, 0)
            level = 0 if not count else max(1, math.ceil(5 * count / peak))
            x = label_width + hour * cell
            cells.append(
                Cell(
                    x=_mirror(x, cell - 2, width, rtl),
                    y=top + day * cell,
                    level=level,
                    count=count,
                    title=f"{days[day]} {hour:02d}:00–{hour:02d}:59: "
                    f"{formats.number_format(count, force_grouping=True)}",
                )
            )
    day_labels = [(top + d * cell + cell / 2 + 4, days[d]) for d in range(7)]
    hour_labels = [
        (_mirror(label_width + h * cell + (cell - 2) / 2, 0, width, rtl), f"{h:02d}")
        for h in range(0, 24, 3)
    ]
    rows = [
        [f"{hour:02d}", *(counts.get(day * 24 + hour, 0) for day in range(7))] for hour in range(24)
    ]
    return Heatmap(
        width=width,
        height=height,
        cell=cell,
        cells=cells,
        day_labels=day_labels,
        hour_labels=hour_labels,
        rows=rows,
        days=days,
        label_x=(width - label_width + 4) if rtl else (label_width - 4),
        rtl=rtl,
        title=title,
        total=sum(counts.values()),
    )


@dataclass
class ShareRow:
    code: str
    label: str
    count: int
    percent: float | None
    bar: float  # 0..100, relative to the biggest row
    bar_x: float
    retired: bool = False


def share_rows(rows, total: int, *, rtl: bool = False) -> list[ShareRow]:
    """Rows (with .code, .label, .count) with their share of `total` and a bar length."""
    peak = max((r.count for r in rows), default=0) or 1
    result = []
    for r in rows:
        bar = round(100 * r.count / peak, 2)
        result.append(
            ShareRow(
                code=r.code,
                label=r.label,
                count=r.count,
                percent=(100 * r.count / total) if total else None,
                bar=bar,
                bar_x=round(100 - bar, 2) if rtl else 0,
                retired=getattr(r, "retired", False),
            )
        )
    return result


def hours_label(hours: float | None) -> str:
    """A duration for people: minutes under an hour, hours under two days, days beyond."""
    if hours is None:
        return "—"
    if hours < 1:
        return _("%(n)s min") % {"n": formats.number_format(round(hours * 60))}
    if hours < 48:
        return _("%(n)s h") % {"n": formats.number_format(round(hours, 1), 1)}
    return _("%(n)s days") % {"n": formats.number_format(round(hours / 24, 1), 1)}
