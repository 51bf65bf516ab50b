"""Server-rendered SVG charts that work without JavaScript and meet WCAG 2.2 AA.

Every chart is an `<svg role="img">` named by its `<title>` and described by its `<desc>`; each series has a fill
pattern as well as a colour, and each bar is labelled with its value, so colour is never the only cue. Pages should
still show the same figures in a table beside the chart.

    grouped_bar_chart(
        chart_id="ratings",
        title="Your ratings",
        description="...",
        categories=["Leading with care", ...],
        series=[Series("This assessment", [3, 2, ...]), Series("Previous", [2, 2, ...], style="hatched")],
        max_value=4,
        value_label=lambda value: RATING_LABELS[value],
    )
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# NHS identity colours (https://service-manual.nhs.uk/design-system/styles/colour).
NHS_BLUE = "#005eb8"
NHS_DARK_BLUE = "#003087"
NHS_DARK_GREY = "#425563"
NHS_MID_GREY = "#768692"
NHS_PALE_GREY = "#e8edee"
NHS_WARM_YELLOW = "#ffb81c"
NHS_BLACK = "#212b32"
NHS_WHITE = "#ffffff"

# Each style: (fill colour, pattern kind, stroke colour). Every style has a visible outline against white.
STYLES: dict[str, tuple[str, str, str]] = {
    "solid": (NHS_BLUE, "solid", NHS_DARK_BLUE),
    "hatched": (NHS_PALE_GREY, "hatched", NHS_DARK_GREY),
    "dotted": (NHS_WARM_YELLOW, "dotted", NHS_BLACK),
    "crosshatched": (NHS_WHITE, "crosshatched", NHS_DARK_BLUE),
}

FONT = "Frutiger W01, Arial, sans-serif"


@dataclass(frozen=True)
class Series:
    """One set of values, one per category, drawn in one style. A value of None draws no bar."""

    label: str
    values: Sequence[float | None]
    style: str = "solid"


@dataclass(frozen=True)
class Layout:
    """Sizes in SVG units. With `labels_above`, each category's name sits on its own line above its bars, so long
    names need no label column and narrow columns keep a readable text size."""

    width: int = 640
    label_width: int = 190
    value_label_width: int = 110
    bar_height: int = 16
    bar_gap: int = 4
    group_gap: int = 18
    legend_row_height: int = 26
    axis_height: int = 24
    font_size: int = 13
    labels_above: bool = False


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _default_value_label(value: float) -> str:
    return _number(value)


def _pattern_defs(chart_id: str, styles: Sequence[str]) -> list[str]:
    defs = []
    for style in dict.fromkeys(styles):
        fill, kind, stroke = STYLES[style]
        pattern_id = f"{chart_id}-pattern-{style}"
        if kind == "hatched":
            body = (
                f'<rect width="8" height="8" fill="{fill}"/>'
                f'<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="{stroke}" stroke-width="1.5"/>'
            )
        elif kind == "dotted":
            body = f'<rect width="8" height="8" fill="{fill}"/><circle cx="4" cy="4" r="1.6" fill="{stroke}"/>'
        elif kind == "crosshatched":
            body = (
                f'<rect width="8" height="8" fill="{fill}"/>'
                f'<path d="M0,0 l8,8 M8,0 l-8,8" stroke="{stroke}" stroke-width="1"/>'
            )
        else:
            body = f'<rect width="8" height="8" fill="{fill}"/>'
        defs.append(
            f'<pattern id="{escape(pattern_id)}" width="8" height="8" patternUnits="userSpaceOnUse">{body}</pattern>'
        )
    return defs


def _fill(chart_id: str, style: str) -> str:
    return f"url(#{escape(chart_id)}-pattern-{style})"


def grouped_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    max_value: float | None = None,
    ticks: Sequence[tuple[float, str]] = (),
    value_label: Callable[[float], str] = _default_value_label,
    layout: Layout = Layout(),
) -> SafeString:
    """A grouped horizontal bar chart: one group of bars per category, one bar per series in each group.

    `chart_id` must be unique on the page (it prefixes the ids of the title, description and patterns). `ticks` are
    (value, label) pairs drawn as vertical grid lines with their labels under the axis. Bars have the class
    `chart-bar` and a `data-series` index, so tests and stylesheets can find them.
    """
    if not series:
        raise ValueError("A chart needs at least one series.")
    for one in series:
        if len(one.values) != len(categories):
            raise ValueError(f"Series {one.label!r} has {len(one.values)} values for {len(categories)} categories.")
        if one.style not in STYLES:
            raise ValueError(f"Unknown style {one.style!r}; choose from {', '.join(STYLES)}.")
    present = [value for one in series for value in one.values if value is not None]
    if any(value < 0 for value in present):
        raise ValueError("Bar values must not be negative.")
    top = max_value if max_value is not None else max([*present, *(tick for tick, _ in ticks), 1])
    if top <= 0:
        raise ValueError("max_value must be positive.")

    lay = layout
    plot_left = 1 if lay.labels_above else lay.label_width
    plot_width = lay.width - plot_left - lay.value_label_width
    label_row = lay.font_size + 6 if lay.labels_above else 0
    bars_height = len(series) * lay.bar_height + (len(series) - 1) * lay.bar_gap
    group_height = label_row + bars_height
    # Legend entries flow left to right and wrap to a new row when the next would not fit.
    legend_positions: list[tuple[float, float]] = []
    legend_x, legend_row = 0.0, 0
    for one in series:
        entry_width = 24 + 0.6 * lay.font_size * len(one.label)
        if legend_x and legend_x + entry_width > lay.width:
            legend_x, legend_row = 0.0, legend_row + 1
        legend_positions.append((legend_x, legend_row * lay.legend_row_height))
        legend_x += entry_width + 20
    plot_top = (legend_row + 1) * lay.legend_row_height + 8
    plot_height = len(categories) * (group_height + lay.group_gap)
    height = plot_top + plot_height + lay.axis_height

    def x_for(value: float) -> float:
        return plot_left + plot_width * min(value, top) / top

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" role="img" '
        f'viewBox="0 0 {lay.width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}" '
        f'font-family="{FONT}" font-size="{lay.font_size}" fill="{NHS_BLACK}">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(description)}</desc>',
        "<defs>",
        *_pattern_defs(chart_id, [one.style for one in series]),
        "</defs>",
    ]

    # Legend: a swatch in each series' pattern, then its name.
    parts.append('<g class="chart-legend">')
    for one, (x, y) in zip(series, legend_positions, strict=True):
        parts.append(
            f'<rect x="{_number(x + 1)}" y="{_number(y + 6)}" width="18" height="18" '
            f'fill="{_fill(chart_id, one.style)}" stroke="{STYLES[one.style][2]}" stroke-width="1"/>'
            f'<text x="{_number(x + 24)}" y="{_number(y + 20)}">{escape(one.label)}</text>'
        )
    parts.append("</g>")

    # Grid lines and tick labels.
    axis_y = plot_top + plot_height
    parts.append('<g class="chart-axis">')
    parts.append(
        f'<line x1="{plot_left}" y1="{plot_top}" x2="{plot_left}" y2="{axis_y}" stroke="{NHS_DARK_GREY}" '
        'stroke-width="1"/>'
    )
    for tick, tick_label in ticks:
        x = _number(x_for(tick))
        parts.append(
            f'<line x1="{x}" y1="{plot_top}" x2="{x}" y2="{axis_y}" stroke="{NHS_MID_GREY}" stroke-width="1" '
            'stroke-dasharray="2 3"/>'
            f'<text x="{x}" y="{axis_y + 16}" text-anchor="middle" font-size="{lay.font_size - 1}">'
            f"{escape(tick_label)}</text>"
        )
    parts.append("</g>")

    # One group per category: its label on the left, then a bar per series with its value at the end.
    for index, category in enumerate(categories):
        group_top = plot_top + index * (group_height + lay.group_gap) + lay.group_gap / 2
        parts.append(f'<g class="chart-group" data-category="{index}">')
        if lay.labels_above:
            parts.append(
                f'<text x="{plot_left + 4}" y="{_number(group_top + lay.font_size)}" font-weight="bold">'
                f"{escape(category)}</text>"
            )
        else:
            parts.append(
                f'<text x="{plot_left - 8}" y="{_number(group_top + bars_height / 2 + lay.font_size / 3)}" '
                f'text-anchor="end">{escape(category)}</text>'
            )
        for series_index, one in enumerate(series):
            value = one.values[index]
            y = group_top + label_row + series_index * (lay.bar_height + lay.bar_gap)
            text_y = _number(y + lay.bar_height / 2 + lay.font_size / 3)
            if value is None:
                parts.append(
                    f'<text x="{plot_left + 6}" y="{text_y}" font-size="{lay.font_size - 1}">'
                    f"{escape(one.label)}: no value</text>"
                )
                continue
            bar_width = x_for(value) - plot_left
            parts.append(
                f'<rect class="chart-bar" data-series="{series_index}" x="{plot_left}" y="{_number(y)}" '
                f'width="{_number(bar_width)}" height="{lay.bar_height}" fill="{_fill(chart_id, one.style)}" '
                f'stroke="{STYLES[one.style][2]}" stroke-width="1"/>'
                f'<text x="{_number(plot_left + bar_width + 6)}" y="{text_y}" font-size="{lay.font_size - 1}">'
                f"{escape(value_label(value))}</text>"
            )
        parts.append("</g>")

    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped
