"""What every pipeline page shares: who may see it, its filters from the address, and the links that carry them."""

from urllib.parse import urlencode

from django.http import HttpRequest, QueryDict
from django.utils.functional import cached_property

from accounts.permissions import Permission
from accounts.views import PermissionRequiredMixin
from config.db import ReadingFromReplicaMixin
from pipeline import selectors
from pipeline.forms import FILTER_NAMES, PipelineFilterForm
from pipeline.services import pipeline_fresh_run
from pipeline.stages import STAGE_BY_KEY

FILTER_PARAMETERS = {
    *FILTER_NAMES,
    # The day box is gone (the filters take months) but old addresses may still carry it.
    *[f"{name}_{part}" for name in ("joined_from", "joined_to") for part in ("day", "month", "year")],
}
BREAKDOWNS = [
    ("region", "By region"),
    ("profession", "By profession"),
    ("training_body", "By training body"),
]


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


SORT_COLUMNS = ("label", *STAGE_BY_KEY)  # what a breakdown table can be sorted by


def dashboard_query(request: HttpRequest) -> QueryDict:
    """The filters and table sorts of the address: all that makes a dashboard page what it is. Anything else in the
    address is left out of its links and of its cache key, so it neither changes the page nor adds one to the cache."""
    query = filter_query(request)
    for key, _ in BREAKDOWNS:
        sort = request.GET.get(f"{key}_sort", "")
        if sort.lstrip("-") in SORT_COLUMNS:
            query[f"{key}_sort"] = sort
    return query


def params_linker(base: QueryDict):
    """Query strings for many links over the same base, with some parameters set (or, given None or "", removed)."""
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


class PipelineMixin(PermissionRequiredMixin, ReadingFromReplicaMixin):
    """HEE staff and training-body admins; the filters come from the address and are limited to their scope. Once
    the permission is checked, the page reads from the read replica when there is one (config/db.py)."""

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

    @cached_property
    def scope_label(self) -> str:
        """The scope and the filters applied, in words (only valid filters: an invalid form shows no filter)."""
        return selectors.pipeline_scope_description(user=self.request.user, filters=self.filters)
