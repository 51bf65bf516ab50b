"""The talent-pipeline dashboard's charts, as geometry for the templates in `templates/includes/charts/` to draw:
SVG named and described for screen readers, readable in print and without colour (each trend line has its own dash
pattern and marker shape). A table beside each chart gives the same figures. Charts are drawn at their natural size
(one SVG unit a CSS pixel, never shrunk: the templates put them in a box that scrolls sideways on narrow screens), so
their text, at CHART_FONT_SIZE, is never smaller than the body text's largest size (19px). Bars reuse
`talent.charts.grouped_bar_chart`, drawn by `bar_chart.svg.html`; the trend lines are drawn by `line_chart.svg.html`;
the relative likelihoods of moving on by `dot_plot.svg.html`."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.selectors.representation import STATUS_TEXT
from talent.charts import NHS_BLUE, NHS_DARK_GREY, BarChart, Layout, Series
from talent.charts import grouped_bar_chart as _grouped_bar_chart

CHART_FONT_SIZE = 19
NHS_PURPLE = "#330072"
NHS_GREEN = "#007f3b"

# (stroke colour, dash pattern, marker) per line, in order.
LINE_STYLES = [
    (NHS_BLUE, "", "circle"),
    (NHS_DARK_GREY, "6 4", "square"),
    (NHS_GREEN, "2 3", "triangle"),
    (NHS_PURPLE, "10 3 2 3", "diamond"),
]


def funnel_chart(funnel: Sequence[dict]) -> BarChart:
    """One bar per pipeline stage."""
    counts = [stage["count"] for stage in funnel]
    description = "; ".join(f"{stage['label']}: {stage['count']:,}" for stage in funnel)
    return _grouped_bar_chart(
        chart_id="pipeline-funnel",
        title="Clinicians at each stage of the leadership pipeline",
        description=f"Cumulative counts, each stage includes those further along. {description}.",
        categories=[stage["label"] for stage in funnel],
        series=[Series("Clinicians", counts)],
        max_value=max([*counts, 1]),
        value_label=lambda value: f"{int(value):,}",
        # Labels above their bars and a width that fits half the page at 1280px, beside the table.
        layout=Layout(
            width=440,
            value_label_width=110,
            labels_above=True,
            bar_height=22,
            font_size=CHART_FONT_SIZE,
            small_font_size=CHART_FONT_SIZE,
        ),
    )


@dataclass(frozen=True)
class Line:
    label: str
    values: Sequence[int]


@dataclass(frozen=True)
class Marker:
    """A point's marker centred on (x, y); a square has its top left corner in `corners`, a triangle or diamond is
    drawn through its `corners`."""

    kind: str
    x: float
    y: float
    corners: list[tuple[float, float]]


@dataclass(frozen=True)
class DrawnLine:
    label: str
    colour: str
    dash: str
    legend: tuple[int, int, int]  # the legend's sample of the line: from x, to x, at y
    legend_marker: Marker
    legend_label_at: tuple[int, int]
    points: list[tuple[float, float]]
    markers: list[Marker]


@dataclass(frozen=True)
class LineChart:
    """Everything the template needs to draw lines over months, in SVG units (numbers to a tenth)."""

    chart_id: str
    title: str
    description: str
    width: int
    height: int
    font_size: int
    left: int
    plot_right: int
    tick_label_x: int
    axis_y: int
    month_label_y: int
    lines: list[DrawnLine]
    ticks: list[tuple[float, float, str]]  # (y, label's y, label) of each horizontal grid line
    months: list[tuple[float, str]]  # (x, label) of each labelled month


def _marker(kind: str, x: float, y: float) -> Marker:
    x, y = float(x), float(y)
    if kind == "square":
        corners = [(x - 4, y - 4)]
    elif kind == "triangle":
        corners = [(x, y - 5), (x + 5, y + 4), (x - 5, y + 4)]
    elif kind == "diamond":
        corners = [(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y)]
    else:
        corners = []
    return Marker(kind, round(x, 1), round(y, 1), [(round(cx, 1), round(cy, 1)) for cx, cy in corners])


def line_chart(
    *, chart_id: str, title: str, description: str, months: Sequence[str], lines: Sequence[Line]
) -> LineChart:
    """Lines over months (x axis labelled every third month), with a legend showing each line's pattern."""
    if len(lines) > len(LINE_STYLES):
        raise ValueError(f"At most {len(LINE_STYLES)} lines.")
    font = CHART_FONT_SIZE
    legend_row = font + 10
    top_value = max([1, *[value for line in lines for value in line.values]])
    # A round top for the axis: 1, 2, 5 times a power of ten.
    step = 1
    while top_value / step > 5:
        for factor in (2, 5, 10):
            if top_value / (step * factor) <= 5:
                step *= factor
                break
        else:
            step *= 10
    axis_top = step * -(-top_value // step)
    tick_values = range(0, int(axis_top) + 1, int(step))
    # The full page width at 1280px; room on the left for the longest tick label (about 0.6 of the font per
    # character), and below for the month labels.
    width, height = 900, 380
    longest_tick = max(len(f"{tick:,}") for tick in tick_values)
    left, right = int(12 + 0.6 * font * longest_tick), 24
    top, bottom = 12 + legend_row * ((len(lines) + 1) // 2), font + 24
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(len(months), 1)

    def x_for(index: int) -> float:
        return left + (plot_w * (index + 0.5) / count)

    def y_for(value: float) -> float:
        return top + plot_h - plot_h * value / axis_top

    drawn = []
    for index, line in enumerate(lines):
        colour, dash, marker = LINE_STYLES[index]
        legend_x, legend_y = 4 + (index % 2) * (width // 2), font + legend_row * (index // 2)
        points = [(x_for(i), y_for(value)) for i, value in enumerate(line.values)]
        drawn.append(
            DrawnLine(
                label=line.label,
                colour=colour,
                dash=dash,
                legend=(legend_x, legend_x + 30, legend_y),
                legend_marker=_marker(marker, legend_x + 15, legend_y),
                legend_label_at=(legend_x + 38, legend_y + font // 3),
                points=[(round(x, 1), round(y, 1)) for x, y in points],
                markers=[_marker(marker, x, y) for x, y in points],
            )
        )
    return LineChart(
        chart_id=chart_id,
        title=title,
        description=description,
        width=width,
        height=height,
        font_size=font,
        left=left,
        plot_right=width - right,
        tick_label_x=left - 6,
        axis_y=top + plot_h,
        month_label_y=top + plot_h + font + 6,
        lines=drawn,
        ticks=[(round(y_for(tick), 1), round(y_for(tick) + font / 3, 1), f"{tick:,}") for tick in tick_values],
        months=[
            (round(x_for(index), 1), month)
            for index, month in enumerate(months)
            if index % 3 == 0 or index == len(months) - 1
        ],
    )


def trends_chart(trends: dict) -> LineChart:
    """Interest records (all levels together), self-assessments, nominations submitted and approved per month."""
    series = {one["key"]: one["values"] for one in trends["series"]}
    months = trends["month_labels"]
    interest = [
        sum(values) for values in zip(*[v for k, v in series.items() if k.startswith("interest_")], strict=True)
    ]
    lines = [
        Line("Interest recorded (all levels)", interest or [0] * len(months)),
        Line("Self-assessments completed", series["assessments"]),
        Line("Nominations submitted", series["nominations_submitted"]),
        Line("Nominations approved", series["nominations_approved"]),
    ]
    total = {line.label: sum(line.values) for line in lines}
    description = (
        f"From {months[0]} to {months[-1]}. Totals: " + "; ".join(f"{k}: {v:,}" for k, v in total.items()) + "."
        if months
        else "No months in the chosen date range."
    )
    return line_chart(
        chart_id="pipeline-trends",
        title="Leadership activity per month",
        description=description,
        months=months,
        lines=lines,
    )


@dataclass(frozen=True)
class Dot:
    """One group at one transition: a dot with its interval's whisker, or (no figure) a note saying why."""

    label: str
    label_y: int
    y: int
    x: float | None
    low_x: float | None
    high_x: float | None
    low_open: bool  # the interval runs past the axis on that side
    high_open: bool
    note: str


@dataclass(frozen=True)
class DotBlock:
    heading: str
    heading_y: float
    dots: list[Dot]


@dataclass(frozen=True)
class DotPlot:
    chart_id: str
    title: str
    description: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    axis_label_y: int
    plot_top: int
    plot_bottom: int
    parity_x: float
    ticks: list[tuple[float, str]]
    blocks: list[DotBlock]
    font_size: int = CHART_FONT_SIZE


DOT_PLOT_RANGE = (0.25, 4.0)  # a log scale, symmetric about parity: a quarter as likely to four times as likely


def representation_chart(attribute: dict, transitions: Sequence[dict]) -> DotPlot:
    """Per transition, one row per group: the relative likelihood as a dot on a log scale, its 95% interval as a
    whisker, and a line at parity (1.00); a group without a figure gets its reason in words instead."""
    # Drawn at its natural size (one unit a CSS pixel), so its text keeps CHART_FONT_SIZE at every width.
    width, label_width, right, row, top = 760, 320, 20, 30, 38
    plot_left, plot_right = label_width, width - right
    low_end, high_end = (math.log(end) for end in DOT_PLOT_RANGE)

    def x_for(value: float) -> float:
        clamped = min(max(math.log(value), low_end), high_end) if value > 0 else low_end
        return round(plot_left + (plot_right - plot_left) * (clamped - low_end) / (high_end - low_end), 1)

    blocks = []
    y = top
    for index, transition in enumerate(transitions):
        heading_y = y + row - 6
        y += row
        dots = []
        for group in attribute["rows"]:
            cell = group["cells"][index]
            centre = y + row // 2
            figure = cell["ratio"] is not None
            dots.append(
                Dot(
                    label=group["label"],
                    label_y=centre + 6,
                    y=centre,
                    x=x_for(cell["ratio"]) if figure else None,
                    low_x=x_for(cell["low"]) if figure else None,
                    high_x=x_for(cell["high"]) if figure else None,
                    low_open=figure and cell["low"] < DOT_PLOT_RANGE[0],
                    high_open=figure and cell["high"] > DOT_PLOT_RANGE[1],
                    note="" if figure else STATUS_TEXT[cell["status"]],
                )
            )
            y += row
        blocks.append(DotBlock(f"{transition['label']}, from {transition['from_label']}", heading_y, dots))
        y += 6
    reference = attribute["reference"]
    compared_with = f"compared with {reference['label']} ({reference['basis']})" if reference else "no reference group"
    return DotPlot(
        chart_id=f"representation-{attribute['key'].replace('_', '-')}",
        title=f"{attribute['label']}: how likely each group is to reach each stage from the one before",
        description=(
            f"Relative likelihood {compared_with}, with 95% confidence intervals, on a scale from 0.25 to 4; "
            "1.00 means as likely as the reference group. The same figures are in the table that follows."
        ),
        width=width,
        height=int(y + 8),
        plot_left=plot_left,
        plot_right=plot_right,
        axis_label_y=20,
        plot_top=top - 6,
        plot_bottom=int(y),
        parity_x=x_for(1.0),
        ticks=[(x_for(value), f"{value:g}") for value in (0.25, 0.5, 1, 2, 4)],
        blocks=blocks,
    )


__all__ = ["funnel_chart", "line_chart", "representation_chart", "trends_chart"]
