"""The geometry of server-rendered SVG charts that work without JavaScript and meet WCAG 2.2 AA; the markup is in
`templates/includes/charts/bar_chart.svg.html`.

Every chart is an `<svg role="img">` named by its `<title>` and described by its `<desc>`; each series has a fill
pattern as well as a colour, and each bar is labelled with its value, so colour is never the only cue. Pages should
still show the same figures in a table beside the chart.

    chart = grouped_bar_chart(
        chart_id="ratings",
        title="Your ratings",
        description="...",
        categories=["Leading with care", ...],
        series=[Series("This assessment", [3, 2, ...]), Series("Previous", [2, 2, ...], style="hatched")],
        max_value=4,
        value_label=lambda value: RATING_LABELS[value],
    )

    {% include "includes/charts/bar_chart.svg.html" with chart=chart %}
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

# NHS identity colours (https://service-manual.nhs.uk/design-system/styles/colour).
NHS_BLUE = "#005eb8"
NHS_DARK_BLUE = "#003087"
NHS_DARK_GREY = "#425563"
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
    # Tick and value labels; a size below the body text's would be hard to read, so pages can ask for the same size.
    small_font_size: int | None = None


def _number(value: float) -> float:
    """To a tenth, and a whole number when it is one, so the markup stays short ("12", not "12.0")."""
    rounded = round(value, 1)
    return int(rounded) if rounded == int(rounded) else rounded


def _default_value_label(value: float) -> str:
    return str(_number(value))


@dataclass(frozen=True)
class Pattern:
    """A series' fill: `kind` is solid, hatched, dotted or crosshatched."""

    id: str
    kind: str
    fill: str
    stroke: str


@dataclass(frozen=True)
class LegendEntry:
    """A swatch in the series' pattern at (x, y), then its name at (text_x, text_y)."""

    label: str
    style: str
    stroke: str
    x: float
    y: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Bar:
    """One series' value in one category; without a value (`width` None) the series' name says so instead."""

    series: int
    series_label: str
    style: str
    stroke: str
    y: float
    width: float | None
    text_x: float
    text_y: float
    value_label: str


@dataclass(frozen=True)
class Group:
    """One category: its name at (label_x, label_y), then its bars."""

    index: int
    label: str
    label_x: float
    label_y: float
    bars: list[Bar]


@dataclass(frozen=True)
class BarChart:
    """Everything the template needs to draw a grouped bar chart, in SVG units."""

    chart_id: str
    title: str
    description: str
    width: int
    height: float
    font_size: int
    small_font_size: int
    labels_above: bool
    bar_height: int
    plot_left: int
    plot_top: int
    axis_y: int
    tick_label_y: int
    patterns: list[Pattern]
    legend: list[LegendEntry]
    ticks: list[Tick]
    groups: list[Group]


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
) -> BarChart:
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
    legend: list[LegendEntry] = []
    legend_x, legend_row = 0.0, 0
    for one in series:
        entry_width = 24 + 0.6 * lay.font_size * len(one.label)
        if legend_x and legend_x + entry_width > lay.width:
            legend_x, legend_row = 0.0, legend_row + 1
        y = legend_row * lay.legend_row_height
        legend.append(
            LegendEntry(
                label=one.label,
                style=one.style,
                stroke=STYLES[one.style][2],
                x=_number(legend_x + 1),
                y=_number(y + 6),
                text_x=_number(legend_x + 24),
                text_y=_number(y + 20),
            )
        )
        legend_x += entry_width + 20
    plot_top = (legend_row + 1) * lay.legend_row_height + 8
    plot_height = len(categories) * (group_height + lay.group_gap)
    axis_y = plot_top + plot_height

    def x_for(value: float) -> float:
        return plot_left + plot_width * min(value, top) / top

    groups = []
    for index, category in enumerate(categories):
        group_top = plot_top + index * (group_height + lay.group_gap) + lay.group_gap / 2
        bars = []
        for series_index, one in enumerate(series):
            value = one.values[index]
            y = group_top + label_row + series_index * (lay.bar_height + lay.bar_gap)
            bar_width = None if value is None else x_for(value) - plot_left
            bars.append(
                Bar(
                    series=series_index,
                    series_label=one.label,
                    style=one.style,
                    stroke=STYLES[one.style][2],
                    y=_number(y),
                    width=None if bar_width is None else _number(bar_width),
                    text_x=plot_left + 6 if bar_width is None else _number(plot_left + bar_width + 6),
                    text_y=_number(y + lay.bar_height / 2 + lay.font_size / 3),
                    value_label="" if value is None else value_label(value),
                )
            )
        if lay.labels_above:
            label_x, label_y = plot_left + 4, _number(group_top + lay.font_size)
        else:
            label_x, label_y = plot_left - 8, _number(group_top + bars_height / 2 + lay.font_size / 3)
        groups.append(Group(index=index, label=category, label_x=label_x, label_y=label_y, bars=bars))

    return BarChart(
        chart_id=chart_id,
        title=title,
        description=description,
        width=lay.width,
        height=axis_y + lay.axis_height,
        font_size=lay.font_size,
        small_font_size=lay.small_font_size or lay.font_size - 1,
        labels_above=lay.labels_above,
        bar_height=lay.bar_height,
        plot_left=plot_left,
        plot_top=plot_top,
        axis_y=axis_y,
        tick_label_y=axis_y + 16,
        patterns=[
            Pattern(
                id=f"{chart_id}-pattern-{style}", kind=STYLES[style][1], fill=STYLES[style][0], stroke=STYLES[style][2]
            )
            for style in dict.fromkeys(one.style for one in series)
        ],
        legend=legend,
        ticks=[Tick(x=_number(x_for(tick)), label=tick_label) for tick, tick_label in ticks],
        groups=groups,
    )
