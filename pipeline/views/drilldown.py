"""The drill-down: the consenting clinicians behind a count, and the request to export them as a file."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from accounts.permissions import Permission
from config.errors import DomainError
from config.paginators import ListTotalPaginator
from exports.models import ExportKind
from exports.services import export_request
from pipeline import selectors
from pipeline.forms import DrilldownForm
from pipeline.views.base import PipelineMixin, filter_query, params_linker
from pipeline.views.downloads import filters_not_valid
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
        "interest_label": INTEREST_LABELS.get(level, level),
    }


class DrilldownMixin(PipelineMixin):
    @cached_property
    def drilldown_form(self) -> DrilldownForm:
        return DrilldownForm(self.request.GET)

    def drilldown(self) -> selectors.Drilldown:
        """The cell clicked (all registered clinicians when the address does not name one properly)."""
        return self.drilldown_form.drilldown() if self.drilldown_form.is_valid() else selectors.Drilldown()

    def describe(self, drilldown: selectors.Drilldown) -> str:
        return selectors.drilldown_description(drilldown)


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


class ExportDrilldownView(DrilldownMixin, TemplateView):
    """Asks for the drill-down list as a file. The list can hold most of the population, longer than a web worker
    may take, so a worker makes it (the exports app) and the person gets a link by email and on "Your exports":
    the request only writes a row. GET says what will be exported, the form POSTs here."""

    permission_required = Permission.EXPORT_PIPELINE
    template_name = "pipeline/drilldown_export.html"

    def valid(self) -> bool:
        return self.filters_valid() and self.drilldown_form.is_valid()

    def not_valid(self) -> HttpResponse:
        filter_forms = [self.filter_form] if self.filtered() else []
        return filters_not_valid(*filter_forms, self.drilldown_form)

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not self.valid():
            return self.not_valid()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not self.valid():
            return self.not_valid()
        try:
            export = export_request(user=request.user, kind=ExportKind.PIPELINE_CLINICIANS, filters=request.GET)
        except DomainError as error:
            return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
        return redirect(f"{reverse('exports:list_exports')}?requested={export.pk}")

    def get_context_data(self, **kwargs):
        request = self.request
        query = request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            description=self.describe(self.drilldown()),
            scope_label=self.scope_label,
            shared_with=records_shared_with(request.user),
            list_url=f"{reverse('pipeline:list_drilldown')}?{query.urlencode()}",
            keep_days=settings.EXPORTS_KEEP_DAYS,
            **kwargs,
        )
