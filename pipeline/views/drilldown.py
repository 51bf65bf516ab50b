"""The drill-down: the consenting clinicians behind a count, and their CSV export."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from accounts.audit import audit_record
from accounts.permissions import Permission
from config.paginators import ListTotalPaginator
from pipeline import selectors
from pipeline.forms import DrilldownForm
from pipeline.stages import PipelineStage
from pipeline.views.base import PipelineMixin, filter_query, params_linker
from pipeline.views.downloads import csv_response, filters_not_valid
from regulators.models import Profession
from talent.models import InterestLevel, career_stage_label
from talent.selectors.clinicians import records_shared_with

DRILLDOWN_PER_PAGE = 50
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
        label = PipelineStage(drilldown.stage).label
        if drilldown.leaders:
            return "In a leadership role at organisation level or above"
        if drilldown.stage == PipelineStage.REGISTERED:
            return "All registered clinicians"
        return f"{label} (or further along the pipeline)"


class ListDrilldownView(DrilldownMixin, TemplateView):
    """The consenting clinicians behind a count, paginated and sortable; non-consenting ones are counted on the
    dashboard but never listed here."""

    template_name = "pipeline/drilldown.html"

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
        run = self.fresh_run()

        def total():
            return selectors.drilldown_total(
                user=request.user, filters=self.filters, drilldown=drilldown, clinicians=clinicians, run=run
            )

        paginator = ListTotalPaginator(selectors.pipeline_drilldown_values(clinicians), DRILLDOWN_PER_PAGE, total=total)
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
            scope_label=self.scope_label,
            shared_with=records_shared_with(request.user),
            page=page,
            total=paginator.total,
            rows=rows,
            headers=headers,
            dashboard_url=f"{reverse('pipeline:show_dashboard')}?{filter_query(request).urlencode()}",
            export_url=f"{reverse('pipeline:export_drilldown')}?{query.urlencode()}",
            **kwargs,
        )


class ExportDrilldownView(DrilldownMixin, View):
    """The drill-down list as CSV, streamed in chunks so memory stays flat however many rows; audited."""

    permission_required = Permission.EXPORT_PIPELINE

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not (self.filters_valid() and self.drilldown_form.is_valid()):
            filter_forms = [self.filter_form] if self.filtered() else []
            return filters_not_valid(*filter_forms, self.drilldown_form)
        self.fresh_run()  # as for the page
        drilldown = self.drilldown()
        clinicians = selectors.pipeline_drilldown(request.user, self.filters, drilldown)
        description = self.describe(drilldown)
        audit_record(
            actor=request.user,
            action="pipeline.drilldown_exported",
            detail={"filters": filter_query(request).dict(), "list": description},
        )

        # What the list is and whose, before its columns, so a file read on its own is not misread.
        heading = ["Talent pipeline: clinicians", description, f"Scope: {self.scope_label}"]

        def rows():
            yield heading
            yield []
            yield selectors.DRILLDOWN_EXPORT_HEADER
            yield from selectors.pipeline_drilldown_rows(clinicians)

        return csv_response(rows(), f"talent-pipeline-clinicians-{timezone.localtime():%Y%m%d-%H%M}.csv")
