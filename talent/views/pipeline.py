"""The HEE talent-pipeline dashboard (issue 7): funnel, trends, breakdowns, backgrounds of leaders, drill-down and
CSV exports, for HEE staff (national or regional) and training-body admins (their own bodies). Filters are GET
parameters (see `talent.selectors.pipeline`), so a view can be shared by its address.

Figures come from roll-ups (`talent.services.pipeline`), refreshed by a beat task every two minutes, so the "figures
as of" time shown is never more than five minutes old; without a worker (`make run`) a page that finds older figures
rebuilds them before answering (`pipeline_fresh_run`).
"""

import csv
import unicodedata
from collections.abc import Iterable, Iterator
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from accounts.audit import audit_record
from accounts.permissions import Permission
from accounts.views import PermissionRequiredMixin
from regulators.models import Profession
from talent.forms.pipeline import FILTER_NAMES, DrilldownForm, PipelineFilterForm
from talent.models import InterestLevel, career_stage_label
from talent.pipeline_charts import funnel_chart, trends_chart
from talent.selectors import pipeline as selectors
from talent.selectors.clinicians import TRAINING_BODY, records_shared_with
from talent.services.pipeline import pipeline_fresh_run

FILTER_PARAMETERS = {
    *FILTER_NAMES,
    *[f"{name}_{part}" for name in ("joined_from", "joined_to") for part in ("day", "month", "year")],
}
DRILLDOWN_PER_PAGE = 50
# How long a rendered dashboard is kept: its key names the roll-up run, so a refresh shows at once whatever this is.
FIGURES_CACHE_SECONDS = 60 * 10
BREAKDOWNS = [
    ("region", "By region"),
    ("profession", "By profession"),
    ("training_body", "By training body"),
]


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value) -> str:
    """Keep spreadsheet programs from running a cell as a formula (CSV injection). They skip leading spaces and read
    full-width signs as ASCII ones, so the check does too."""
    text = "" if value is None else str(value)
    start = unicodedata.normalize("NFKC", text).lstrip()[:1]
    return f"'{text}" if text[:1] in FORMULA_STARTS or start in FORMULA_STARTS else text


def _csv_stream(rows: Iterable[Iterable]) -> Iterator[str]:
    # Every field quoted, so a separator other than the comma (a spreadsheet set to ";") cannot split one.
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    for row in rows:
        yield writer.writerow([_safe(value) for value in row])


def _csv_response(rows: Iterable[Iterable], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_stream(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def filter_query(request: HttpRequest) -> QueryDict:
    """Only the filter parameters of the current address (date boxes included), to carry into links."""
    query = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name in FILTER_NAMES or name.removesuffix("_day").removesuffix("_month").removesuffix("_year") in (
            "joined_from",
            "joined_to",
        ):
            query.setlist(name, [value for value in values if value])
    return query


SORT_COLUMNS = ("label", *selectors.STAGE_BY_KEY)  # what a breakdown table can be sorted by


def dashboard_query(request: HttpRequest) -> QueryDict:
    """The filters and table sorts of the address: all that makes a dashboard page what it is. Anything else in the
    address is left out of its links and of its cache key, so it neither changes the page nor adds one to the cache."""
    query = filter_query(request)
    for key, _ in BREAKDOWNS:
        sort = request.GET.get(f"{key}_sort", "")
        if sort.lstrip("-") in SORT_COLUMNS:
            query[f"{key}_sort"] = sort
    return query


def with_params(base: QueryDict, **params) -> str:
    query = base.copy()
    for name, value in params.items():
        if value in (None, ""):
            query.pop(name, None)
        else:
            query[name] = str(value)
    return query.urlencode()


def params_linker(base: QueryDict):
    """`with_params` for many links over the same base: the dashboard has a link in nearly every cell (some 1,500 at
    national level), and copying a QueryDict for each was a good part of the time to render the page."""
    items = {name: base.getlist(name) for name in base}

    def link(**params) -> str:
        merged = dict(items)
        for name, value in params.items():
            if value in (None, ""):
                merged.pop(name, None)
            else:
                merged[name] = [str(value)]
        return urlencode([(name, value) for name, values in merged.items() for value in values])

    return link


def _filters_not_valid(*forms) -> HttpResponse:
    """A plain-text 400 naming what is wrong, for the CSV exports (a download has no page to show errors on)."""
    messages = [message for form in forms for errors in form.errors.values() for message in errors]
    text = "\n".join(["Those filters are not valid, so nothing was exported:", *messages])
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


class PipelineMixin(PermissionRequiredMixin):
    """HEE staff and training-body admins; the filters come from the address and are limited to their scope."""

    permission_required = Permission.VIEW_PIPELINE

    @cached_property
    def filter_form(self) -> PipelineFilterForm:
        data = self.request.GET if any(self.request.GET.get(name) for name in self.request.GET) else None
        return PipelineFilterForm(data, user=self.request.user)

    def filtered(self) -> bool:
        return any(self.request.GET.get(name) for name in self.request.GET if name in FILTER_PARAMETERS)

    @cached_property
    def filters(self) -> selectors.PipelineFilters:
        # No filter in the address: no form to build (the cheap path of a repeated, unfiltered view).
        return self.filter_form.filters() if self.filtered() else selectors.PipelineFilters()

    def filters_valid(self) -> bool:
        return not self.filtered() or self.filter_form.is_valid()

    def fresh_run(self):
        if not hasattr(self, "_fresh_run"):
            self._fresh_run = pipeline_fresh_run()
        return self._fresh_run

    def summary(self) -> dict:
        return selectors.pipeline_summary(self.request.user, self.filters, self.fresh_run())

    def scope_label(self) -> str:
        user = self.request.user
        if records_shared_with(user) == TRAINING_BODY:
            names = [body.name for body in selectors.pipeline_training_bodies_for(user)]
            return ", ".join(names) or "No training body"
        return user.hee_region.name if user.hee_region_id else "England"


def count_cells(cells: Iterable[tuple]) -> list[dict]:
    """The numeric cells of a table row: each count, and the address of the clinicians behind it when it has one."""
    return [{"value": value, "url": url if value else None} for value, url in cells]


def _sorted_table(rows: list[dict], sort: str) -> list[dict]:
    key = sort.lstrip("-")
    reverse_order = sort.startswith("-")
    if key in selectors.STAGE_BY_KEY:
        return sorted(rows, key=lambda row: (row["counts"][key], row["label"]), reverse=reverse_order)
    return sorted(rows, key=lambda row: row["label"], reverse=reverse_order)


class PipelineDashboardView(PipelineMixin, TemplateView):
    """The dashboard itself (URL name `hee_home`: HEE staff's home page). Filters that are not valid (or outside
    the person's scope) are shown as errors over the unfiltered figures of their scope, with status 400.

    The figures are rendered in a `{% cache %}` fragment named by the roll-up run, the person's role and scope and
    the filters and sorts of the address (`figures_key`): everyone with the same scope asking the same question of
    the same run gets the same figures, and a refresh is a new run, so a new fragment."""

    template_name = "talent/pipeline/dashboard.html"

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
        """What the figures depend on: the roll-up run, the person's role and scope, and the address's filters and
        sorts in a fixed order (`dashboard_query`: anything else in the address changes nothing)."""
        run = self.fresh_run()
        user = self.request.user
        scope = selectors.pipeline_scope_for(user)
        query = sorted((name, value) for name, values in dashboard_query(self.request).lists() for value in values)
        return f"{run.pk if run else 0}|{user.role}|{scope}|{urlencode(query)}"

    @cached_property
    def figures(self) -> dict:
        """Read by the template inside its cache fragment, so only when the fragment is not cached."""
        return self.figures_context(self.fresh_run())

    def figures_context(self, run) -> dict:
        request = self.request
        summary = selectors.pipeline_summary(request.user, self.filters, run)
        base = filter_query(request)
        page_query = dashboard_query(request)
        link = params_linker(base)
        drilldown = reverse("pipeline_drilldown")
        stages = [(stage["key"], stage["label"]) for stage in summary["funnel"]]

        funnel = [{**stage, "url": f"{drilldown}?{link(stage=stage['key'])}"} for stage in summary["funnel"]]
        breakdowns = []
        for key, title in BREAKDOWNS:
            sort = page_query.get(f"{key}_sort", "label")
            rows = []
            for row in _sorted_table(summary["breakdowns"][key], sort):
                links = {}
                if row["key"] is not None:
                    # The stage is never among the filters, so it goes last: one encoding per row, not per cell.
                    cell = link(**{key: row["key"]})
                    joiner = "&" if cell else ""
                    links = {stage: f"{drilldown}?{cell}{joiner}stage={stage}" for stage, _ in stages}
                cells = count_cells((row["counts"][stage], links.get(stage)) for stage, _ in stages)
                rows.append({**row, "cells": cells})
            columns = [("label", title.removeprefix("By ").capitalize()), *stages]
            headers = []
            for column, label in columns:
                current = sort.lstrip("-") == column
                descending = sort.startswith("-")
                next_sort = f"-{column}" if current and not descending else column
                headers.append(
                    {
                        "label": label,
                        "url": "?" + with_params(page_query, **{f"{key}_sort": next_sort}) + f"#{key}",
                        "aria_sort": ("descending" if descending else "ascending") if current else None,
                        "numeric": column != "label",
                    }
                )
            breakdowns.append({"key": key, "title": title, "headers": headers, "rows": rows})

        trends = summary["trends"]
        trend_rows = []
        for index, month in enumerate(trends["months"]):
            cells = []
            for series in trends["series"]:
                value = series["values"][index]
                url = f"{drilldown}?{link(event=series['key'], month=month)}" if value else None
                cells.append((value, url))
            trend_rows.append({"month": trends["month_labels"][index], "cells": count_cells(cells)})

        backgrounds = []
        for table in summary["backgrounds"]:
            rows = []
            for row in table["rows"]:
                leaders_url = None
                if table["key"] == "profession" and row["leaders"] not in ("0", "*"):
                    leaders_url = f"{drilldown}?{link(profession=row['value'], stage='in_role', leaders='true')}"
                rows.append({**row, "leaders_url": leaders_url})
            backgrounds.append({**table, "rows": rows})

        as_of = parse_datetime(summary["as_of"]) if summary["as_of"] else None
        return {
            "form": self.filter_form,
            "filters_used": self.filters.used,
            "scope_label": self.scope_label(),
            "shared_with": records_shared_with(request.user),
            "as_of": timezone.localtime(as_of) if as_of else None,
            "funnel": funnel,
            "funnel_chart": funnel_chart(summary["funnel"]),
            "trends": trends,
            "trend_rows": trend_rows,
            "trends_chart": trends_chart(trends),
            "breakdowns": breakdowns,
            "backgrounds": backgrounds,
            "licence_at_risk": summary.get("licence_at_risk"),
            "export_url": f"{reverse('pipeline_export')}?{base.urlencode()}",
        }


class PipelineExportView(PipelineMixin, View):
    """The current view's tables as one CSV (funnel, trends, breakdowns, backgrounds), audited."""

    permission_required = Permission.EXPORT_PIPELINE

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not self.filters_valid():
            # Never the unfiltered figures under a filtered name: refuse, as the dashboard, drill-down and API do.
            return _filters_not_valid(self.filter_form)
        summary = self.summary()
        audit_record(
            actor=request.user,
            action="pipeline.exported",
            detail={"filters": filter_query(request).dict(), "figures_as_of": summary["as_of"]},
        )
        return _csv_response(self.rows(summary), f"talent-pipeline-{timezone.localtime():%Y%m%d-%H%M}.csv")

    def rows(self, summary: dict) -> Iterator[list]:
        yield ["Talent pipeline", f"Figures as of {summary['as_of']}", f"Scope: {self.scope_label()}"]
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
            note = " (small numbers suppressed: * is 1 to 7, others rounded to 5)" if table["suppressed"] else ""
            yield [f"Backgrounds: {table['label']}{note}", "Whole pipeline", "Leaders (organisation level and above)"]
            for row in table["rows"]:
                yield [row["label"], row["pipeline"], row["leaders"]]
            if table["total"]:
                yield ["Total", table["total"]["pipeline"], table["total"]["leaders"]]
        if risk := summary.get("licence_at_risk"):
            yield []
            yield ["Licence at risk (clinicians in a leadership role now)", "Clinicians"]
            yield ["Overdue", risk["overdue"]]
            yield ["Due within 90 days", risk["due_soon"]]
            yield ["No date recorded", risk["without_date"]]
            yield ["All clinicians in leadership roles", risk["in_leadership_roles"]]


PROFESSION_LABELS = dict(Profession.choices)
INTEREST_LABELS = dict(InterestLevel.choices)


def drilldown_row(clinician: dict) -> dict:
    """One clinician of a drill-down page (from `selectors.pipeline_drilldown_values`), with the labels people read
    for its coded values."""
    level = clinician["current_interest_level"]
    return {
        **clinician,
        "profession_label": PROFESSION_LABELS.get(clinician["profession"], clinician["profession"]),
        "career_stage_label": career_stage_label(clinician["career_stage"], clinician["specialty_training_year"]),
        "interest_label": f"{level}: {INTEREST_LABELS.get(level, level)}",
    }


class DrilldownMixin(PipelineMixin):
    @cached_property
    def drilldown_form(self) -> DrilldownForm:
        return DrilldownForm(self.request.GET)

    def drilldown(self) -> selectors.Drilldown:
        """The cell clicked (all registered clinicians when the address does not name one properly)."""
        return self.drilldown_form.drilldown() if self.drilldown_form.is_valid() else selectors.Drilldown()

    def describe(self, drilldown: selectors.Drilldown) -> str:
        if drilldown.event and drilldown.month:
            return f"{selectors.TREND_LABELS[drilldown.event]} in {selectors.month_label(drilldown.month)}"
        label = selectors.PipelineStage(drilldown.stage).label
        if drilldown.leaders:
            return "In a leadership role at organisation level or above"
        if drilldown.stage == selectors.PipelineStage.REGISTERED:
            return "All registered clinicians"
        return f"{label} (or further along the pipeline)"


class PipelineDrilldownView(DrilldownMixin, TemplateView):
    """The consenting clinicians behind a count, paginated and sortable; non-consenting ones are counted on the
    dashboard but never listed here."""

    template_name = "talent/pipeline/drilldown.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        if not (self.filters_valid() and self.drilldown_form.is_valid()):
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        request = self.request
        # Stages come from the last roll-up refresh: make sure there is one, as fresh as the dashboard's.
        self.fresh_run()
        drilldown = self.drilldown()
        clinicians = selectors.pipeline_drilldown(request.user, self.filters, drilldown)
        paginator = Paginator(selectors.pipeline_drilldown_values(clinicians), DRILLDOWN_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        rows = [drilldown_row(clinician) for clinician in page]
        columns = [
            ("name", "Name"),
            ("profession", "Profession"),
            ("career_stage", "Career stage"),
            ("region", "Region"),
            ("training_body", "Training body"),
            ("interest", "Leadership interest"),
            ("joined", "Joined"),
        ]
        headers = []
        link = params_linker(request.GET)
        for key, label in columns:
            current = drilldown.sort.lstrip("-") == key
            descending = drilldown.sort.startswith("-")
            next_sort = f"-{key}" if current and not descending else key
            headers.append(
                {
                    "label": label,
                    "url": "?" + link(sort=next_sort, page=None),
                    "aria_sort": ("descending" if descending else "ascending") if current else None,
                }
            )
        query = request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            # The filter form goes to the layout only for its error summary.
            form=None if self.filters_valid() else self.filter_form,
            drilldown_form=self.drilldown_form,
            description=self.describe(drilldown),
            scope_label=self.scope_label(),
            shared_with=records_shared_with(request.user),
            page=page,
            rows=rows,
            headers=headers,
            dashboard_url=f"{reverse('hee_home')}?{filter_query(request).urlencode()}",
            export_url=f"{reverse('pipeline_drilldown_export')}?{query.urlencode()}",
            **kwargs,
        )


class PipelineDrilldownExportView(DrilldownMixin, View):
    """The drill-down list as CSV, streamed in chunks so memory stays flat however many rows; audited."""

    permission_required = Permission.EXPORT_PIPELINE

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not (self.filters_valid() and self.drilldown_form.is_valid()):
            filter_forms = [self.filter_form] if self.filtered() else []
            return _filters_not_valid(*filter_forms, self.drilldown_form)
        self.fresh_run()  # as for the page
        drilldown = self.drilldown()
        clinicians = selectors.pipeline_drilldown(request.user, self.filters, drilldown)
        audit_record(
            actor=request.user,
            action="pipeline.drilldown_exported",
            detail={"filters": filter_query(request).dict(), "list": self.describe(drilldown)},
        )

        def rows():
            yield selectors.DRILLDOWN_EXPORT_HEADER
            yield from selectors.pipeline_drilldown_rows(clinicians)

        return _csv_response(rows(), f"talent-pipeline-clinicians-{timezone.localtime():%Y%m%d-%H%M}.csv")


urlpatterns: list = [
    path("pipeline/", PipelineDashboardView.as_view(), name="hee_home"),
    path("pipeline/export/", PipelineExportView.as_view(), name="pipeline_export"),
    path("pipeline/clinicians/", PipelineDrilldownView.as_view(), name="pipeline_drilldown"),
    path("pipeline/clinicians/export/", PipelineDrilldownExportView.as_view(), name="pipeline_drilldown_export"),
]
