"""The dashboard and its CSV export."""

from collections.abc import Iterator
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from accounts.audit import audit_record
from accounts.permissions import Permission
from pipeline import selectors
from pipeline.charts import funnel_chart, representation_chart, trends_chart
from pipeline.selectors.representation import representation_cell_text
from pipeline.stages import STAGE_BY_KEY
from pipeline.views.base import (
    BREAKDOWNS,
    PipelineMixin,
    dashboard_query,
    filter_query,
)
from pipeline.views.downloads import csv_response, filters_not_valid
from population.selectors import eligible_population_comparison, eligible_population_rows, eligible_population_version
from talent.selectors.clinicians import records_shared_with

# What a reader of the backgrounds tables must know: "*" is not always small.
BACKGROUNDS_NOTE = (
    "small numbers hidden: * is a count from 1 to 7, or a count hidden so that another cannot be worked out; "
    "other counts rounded to the nearest 5"
)
# How long a rendered dashboard is kept: its key names the last run that changed the figures, so a refresh that
# changes them shows at once whatever this is, and one that does not leaves the page cached.
FIGURES_CACHE_SECONDS = 60 * 10


def _sorted_table(rows: list[dict], sort: str) -> list[dict]:
    key = sort.lstrip("-")
    reverse_order = sort.startswith("-")
    if key in STAGE_BY_KEY:
        return sorted(rows, key=lambda row: (row["counts"][key], row["label"]), reverse=reverse_order)
    return sorted(rows, key=lambda row: row["label"], reverse=reverse_order)


def dashboard_contents(summary: dict) -> list[tuple[str, str]]:
    """The contents list at the top of the dashboard: (id, heading) of each section on the page, in order; a section
    shown only sometimes is listed only when it is there."""
    contents = [("funnel", "Pipeline stages")]
    if summary.get("licence_at_risk"):
        contents.append(("licence-at-risk-heading", "Licence at risk"))
    contents += [
        ("trends", "Trends over the last 24 months"),
        ("breakdowns", "Breakdowns"),
        ("backgrounds", "Backgrounds of leaders"),
        ("representation", "Representation along the pipeline"),
        ("eligible-population", "Compared with the eligible population"),
        ("outcomes", "Outcomes after approval"),
    ]
    return contents


def trend_tables_for(trends: dict) -> list[dict]:
    """The monthly activity as two narrow tables, months down the side, so each fits the page without scrolling:
    interest records by level, then everything else (self-assessments, nominations and any later series)."""
    groups = [
        ("trends-interest", "Interest recorded per month, by level", "interest_"),
        ("trends-activity", "Self-assessments and nominations per month", ""),
    ]
    tables = []
    for table_id, caption, prefix in groups:
        series = [
            one
            for one in trends["series"]
            if (one["key"].startswith(prefix) if prefix else not one["key"].startswith("interest_"))
        ]
        if not series:
            continue
        columns = [{"key": one["key"], "label": one["label"].removeprefix("Interest recorded: ")} for one in series]
        rows = [
            {
                "month": trends["month_labels"][index],
                "month_key": month,
                "cells": [{"event": one["key"], "value": one["values"][index]} for one in series],
            }
            for index, month in enumerate(trends["months"])
        ]
        tables.append({"id": table_id, "caption": caption, "columns": columns, "rows": rows})
    return tables


class ShowDashboardView(PipelineMixin, TemplateView):
    """The dashboard itself (URL name `pipeline:show_dashboard`: HEE staff's home page). Filters that are not valid
    (or outside the person's scope) are shown as errors over the unfiltered figures of their scope, with status 400.

    The figures are rendered in a `{% cache %}` fragment named by the last roll-up run that changed the figures, the
    person's scope and the filters and sorts of the address (`figures_key`): everyone with the same scope asking the
    same question of the same figures gets the same fragment; a refresh that changes the figures makes a new one,
    and one that changes nothing (it folded in no change, or changes that move no count) leaves it cached.
    "Figures as of" is outside the fragment: it is the latest run's time, as the figures are that run's too."""

    template_name = "pipeline/dashboard.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        if not self.filters_valid():
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            # The form goes to the layout only for its error summary; the figures' own filters are in the fragment.
            form=None if self.filters_valid() else self.filter_form,
            figures_cache_seconds=FIGURES_CACHE_SECONDS,
            figures_key=self.figures_key(),
            **kwargs,
        )

    def figures_key(self) -> str:
        """What the figures depend on: the last roll-up run that changed the figures (not the latest run: see
        `pipeline_figures_version`), the person's scope, and the address's filters and sorts in a fixed order
        (`dashboard_query`: anything else in the address changes nothing). The scope tells HEE staff (a region or the
        country) from training-body admins (their bodies, even none), so it also decides whose consent the figures
        rest on, the filters offered and the scope's name."""
        version = selectors.pipeline_figures_version(self.fresh_run())
        scope = selectors.pipeline_scope_for(self.request.user)
        query = sorted((name, value) for name, values in dashboard_query(self.request).lists() for value in values)
        # The register comparison changes with each upload of the eligible population, not with the roll-ups.
        population = eligible_population_version()
        return f"{version}|{population}|{scope}|{urlencode(query)}"

    @cached_property
    def as_of(self):
        """The latest run's time, shown above the (possibly cached) figures."""
        run = self.fresh_run()
        return timezone.localtime(run.refreshed_at) if run else None

    @cached_property
    def figures(self) -> dict:
        """Read by the template inside its cache fragment, so only when the fragment is not cached."""
        return self.figures_context(self.fresh_run())

    def figures_context(self, run) -> dict:
        request = self.request
        summary = selectors.pipeline_summary(request.user, self.filters, run)
        base = filter_query(request)
        page_query = dashboard_query(request)
        stages = [(stage["key"], stage["label"]) for stage in summary["funnel"]]

        breakdowns = []
        for key, title in BREAKDOWNS:
            sort = page_query.get(f"{key}_sort", "label")
            rows = []
            for row in _sorted_table(summary["breakdowns"][key], sort):
                # The filters a row's counts stand for; its cells link to them with their stage.
                filters = None
                if row["key"] is not None:
                    filters = base.copy()
                    filters[key] = row["key"]
                cells = [{"stage": stage, "value": row["counts"][stage]} for stage, _ in stages]
                rows.append({**row, "filters": filters, "cells": cells})
            columns = [("label", title.removeprefix("By ").capitalize()), *stages]
            headers = []
            for column, label in columns:
                current = sort.lstrip("-") == column
                descending = sort.startswith("-")
                sorted_query = page_query.copy()
                sorted_query[f"{key}_sort"] = f"-{column}" if current and not descending else column
                headers.append(
                    {
                        "label": label,
                        "query": sorted_query,
                        "aria_sort": ("descending" if descending else "ascending") if current else None,
                        "numeric": column != "label",
                    }
                )
            breakdowns.append({"key": key, "title": title, "headers": headers, "rows": rows})

        trends = summary["trends"]
        trend_tables = trend_tables_for(trends)

        representation = summary["representation"]
        likelihoods = [
            {
                **attribute,
                "chart": representation_chart(attribute, representation["transitions"]),
                "rows": [
                    {**row, "cells": [{**cell, "text": representation_cell_text(cell)} for cell in row["cells"]]}
                    for row in attribute["rows"]
                ],
            }
            for attribute in representation["attributes"]
        ]

        as_of = parse_datetime(summary["as_of"]) if summary["as_of"] else None
        return {
            "form": self.filter_form,
            "filters_used": self.filters.used,
            "scope_label": self.scope_label,
            "shared_with": records_shared_with(request.user),
            "as_of": timezone.localtime(as_of) if as_of else None,
            "funnel": summary["funnel"],
            "filters": base,
            "funnel_chart": funnel_chart(summary["funnel"]),
            "trends": trends,
            "trend_tables": trend_tables,
            "trends_chart": trends_chart(trends),
            "breakdowns": breakdowns,
            # No cell of these links to people: a list beside an equality table would tell who the counts are.
            "backgrounds": summary["backgrounds"],
            "representation": {"transitions": representation["transitions"], "attributes": likelihoods},
            "licence_at_risk": summary.get("licence_at_risk"),
            "contents": dashboard_contents(summary),
            "outcomes": summary["outcomes"],
            "eligible_population": eligible_population_comparison(user=request.user, filters=self.filters),
        }


class ExportDashboardView(PipelineMixin, View):
    """The current view's tables as one CSV (funnel, trends, breakdowns, backgrounds), audited."""

    permission_required = Permission.EXPORT_PIPELINE

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not self.filters_valid():
            # Never the unfiltered figures under a filtered name: refuse, as the dashboard, drill-down and API do.
            return filters_not_valid(self.filter_form)
        summary = self.summary()
        audit_record(
            actor=request.user,
            action="pipeline.exported",
            detail={"filters": filter_query(request).dict(), "figures_as_of": summary["as_of"]},
        )
        return csv_response(self.rows(summary), f"talent-pipeline-{timezone.localtime():%Y%m%d-%H%M}.csv")

    def rows(self, summary: dict) -> Iterator[list]:
        yield ["Talent pipeline", f"Figures as of {summary['as_of']}", f"Scope: {self.scope_label}"]
        yield []
        yield ["Funnel (cumulative)", "Clinicians", "Conversion from the stage before (%)"]
        for stage in summary["funnel"]:
            yield [stage["label"], stage["count"], "" if stage["conversion"] is None else stage["conversion"]]
        yield []
        yield ["Trends: month", *[series["label"] for series in summary["trends"]["series"]]]
        for index, month in enumerate(summary["trends"]["months"]):
            yield [month, *[series["values"][index] for series in summary["trends"]["series"]]]
        stage_labels = [stage["label"] for stage in summary["funnel"]]
        stage_keys = [stage["key"] for stage in summary["funnel"]]
        for key, title in BREAKDOWNS:
            yield []
            yield [f"Breakdown {title.lower()}", *stage_labels]
            for row in summary["breakdowns"][key]:
                yield [row["label"], *[row["counts"][stage] for stage in stage_keys]]
        for table in summary["backgrounds"]:
            yield []
            yield [
                f"Backgrounds: {table['label']} ({BACKGROUNDS_NOTE})",
                "Whole pipeline",
                "Leaders (organisation level and above)",
            ]
            for row in table["rows"]:
                yield [row["label"], row["pipeline"], row["leaders"]]
            if table["total"]:
                yield ["Total", table["total"]["pipeline"], table["total"]["leaders"]]
        yield from self.representation_rows(summary["representation"])
        if risk := summary.get("licence_at_risk"):
            yield []
            yield ["Licence at risk (clinicians in a leadership role now)", "Clinicians"]
            yield ["Overdue", risk["overdue"]]
            yield ["Due within 90 days", risk["due_soon"]]
            yield ["No date recorded", risk["without_date"]]
            yield ["All clinicians in leadership roles", risk["in_leadership_roles"]]
        yield from self.outcome_rows(summary["outcomes"])
        yield from eligible_population_rows(
            eligible_population_comparison(user=self.request.user, filters=self.filters)
        )

    def representation_rows(self, representation: dict) -> Iterator[list]:
        transitions = [f"{one['label']} (from {one['from_label']})" for one in representation["transitions"]]
        for attribute in representation["attributes"]:
            reference = attribute["reference"]
            compared = f"{reference['label']}, {reference['basis']}" if reference else "none"
            yield []
            yield [
                f"Representation: {attribute['label']} (relative likelihood of reaching each stage from the one "
                f"before, with 95% confidence interval; reference group: {compared})",
                *transitions,
            ]
            for row in attribute["rows"]:
                yield [row["label"], *[representation_cell_text(cell) for cell in row["cells"]]]

    def outcome_rows(self, outcomes: dict) -> Iterator[list]:
        time = outcomes["time_to_appointment"]
        yield []
        yield [
            "Time from first interest to appointment (median months; not shown for fewer than "
            f"{time['minimum']} clinicians)",
            "Clinicians appointed",
            "Median months",
        ]
        for row in [*time["by_profession"], *([time["all"]] if time["all"] else [])]:
            if row["shown"]:
                yield [row["label"], row["clinicians"], row["median_months"]]
            else:
                yield [row["label"], f"fewer than {time['minimum']}", "not shown"]
