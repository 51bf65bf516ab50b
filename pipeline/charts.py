"""The talent-pipeline dashboard's charts: server-rendered SVG, named and described for screen readers, readable in
print and without colour (each trend line has its own dash pattern and marker shape). A table beside each chart
gives the same figures. Bars reuse `talent.charts.grouped_bar_chart`."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from talent.charts import FONT, NHS_BLACK, NHS_BLUE, NHS_DARK_GREY, NHS_MID_GREY, Layout, Series
from talent.charts import grouped_bar_chart as _grouped_bar_chart

NHS_PURPLE = "#330072"
NHS_GREEN = "#007f3b"

# (stroke colour, dash pattern, marker) per line, in order.
LINE_STYLES = [
    (NHS_BLUE, "", "circle"),
    (NHS_DARK_GREY, "6 4", "square"),
    (NHS_GREEN, "2 3", "triangle"),
    (NHS_PURPLE, "10 3 2 3", "diamond"),
]


def funnel_chart(funnel: Sequence[dict]) -> SafeString:
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
        layout=Layout(label_width=170, value_label_width=90),
    )


@dataclass(frozen=True)
class Line:
    label: str
    values: Sequence[int]


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == "triangle":
        return f'<path d="M{x:.1f},{y - 5:.1f} L{x + 5:.1f},{y + 4:.1f} L{x - 5:.1f},{y + 4:.1f} Z" fill="{colour}"/>'
    if kind == "diamond":
        corners = f"M{x:.1f},{y - 5:.1f} L{x + 5:.1f},{y:.1f} L{x:.1f},{y + 5:.1f} L{x - 5:.1f},{y:.1f} Z"
        return f'<path d="{corners}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def line_chart(
    *, chart_id: str, title: str, description: str, months: Sequence[str], lines: Sequence[Line]
) -> SafeString:
    """Lines over months (x axis labelled every third month), with a legend showing each line's pattern."""
    if len(lines) > len(LINE_STYLES):
        raise ValueError(f"At most {len(LINE_STYLES)} lines.")
    width, height = 640, 300
    left, right, top, bottom = 48, 12, 20 + 22 * ((len(lines) + 1) // 2), 40
    plot_w, plot_h = width - left - right, height - top - bottom
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
    count = max(len(months), 1)

    def x_for(index: int) -> float:
        return left + (plot_w * (index + 0.5) / count)

    def y_for(value: float) -> float:
        return top + plot_h - plot_h * value / axis_top

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}" font-family="{FONT}" font-size="12" '
        f'fill="{NHS_BLACK}">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(description)}</desc>',
    ]
    for index, line in enumerate(lines):
        colour, dash, marker = LINE_STYLES[index]
        lx, ly = 4 + (index % 2) * 320, 14 + 22 * (index // 2)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{lx}" y1="{ly}" x2="{lx + 30}" y2="{ly}" stroke="{colour}" stroke-width="2"{dash_attr}/>'
            + _marker(marker, lx + 15, ly, colour)
            + f'<text x="{lx + 38}" y="{ly + 4}">{escape(line.label)}</text>'
        )
    for tick in range(0, int(axis_top) + 1, int(step)):
        y = y_for(tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{NHS_MID_GREY}" '
            f'stroke-width="0.5" stroke-dasharray="2 3"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:,}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{NHS_DARK_GREY}"/>'
    )
    for index, month in enumerate(months):
        if index % 3 == 0 or index == len(months) - 1:
            parts.append(
                f'<text x="{x_for(index):.1f}" y="{top + plot_h + 16}" text-anchor="middle" font-size="11">'
                f"{escape(month)}</text>"
            )
    for index, line in enumerate(lines):
        colour, dash, marker = LINE_STYLES[index]
        points = " ".join(f"{x_for(i):.1f},{y_for(value):.1f}" for i, value in enumerate(line.values))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<g class="chart-line" data-series="{index}"><polyline points="{points}" fill="none" '
            f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
        )
        parts.extend(_marker(marker, x_for(i), y_for(value), colour) for i, value in enumerate(line.values))
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def trends_chart(trends: dict) -> SafeString:
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


__all__ = ["funnel_chart", "line_chart", "trends_chart"]
