"""What an export of each kind holds: how its filters are read (and checked against what the person may see now),
how it is said in words, and its rows. One kind so far: the consenting clinicians behind a talent-pipeline count
(the drill-down list), which can hold most of the population. The dashboard's tables are a few hundred rows from
the roll-ups and are still downloaded at once."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from accounts.models import User
from config.errors import DomainError
from pipeline import selectors
from pipeline.forms import FILTER_NAMES, DrilldownForm, PipelineFilterForm

# The drill-down's own parameters (which count was clicked, and the order of the list).
DRILLDOWN_PARAMETERS = ("stage", "leaders", "event", "month", "sort")
JOINED_BOXES = ("joined_from", "joined_to")  # the month and year boxes: joined_from_month, joined_from_year...


def _is_filter(name: str) -> bool:
    return name in FILTER_NAMES or name.rpartition("_")[0] in JOINED_BOXES


def pipeline_export_parameters(query: Mapping[str, str]) -> dict[str, str]:
    """The parameters of an address that make a drill-down list what it is: the filters and the count clicked,
    not the page number."""
    return {
        name: value
        for name, value in query.items()
        if isinstance(value, str) and value and (_is_filter(name) or name in DRILLDOWN_PARAMETERS)
    }


@dataclass(frozen=True)
class PipelineClinicians:
    """A drill-down list: the filters and the count it is behind."""

    filters: selectors.PipelineFilters
    drilldown: selectors.Drilldown


def pipeline_clinicians_read(*, user: User, parameters: Mapping[str, str]) -> PipelineClinicians:
    """The filters and the count, read as the drill-down reads them and limited to what the person may see now: a
    region or training body outside their scope is an error (DomainError naming it), never a wider list."""
    filtered = any(parameters.get(name) for name in parameters if _is_filter(name))
    filter_form = PipelineFilterForm(dict(parameters) if filtered else None, user=user)
    drilldown_form = DrilldownForm(dict(parameters))
    forms = [*([filter_form] if filtered else []), drilldown_form]
    errors = [message for form in forms if not form.is_valid() for errs in form.errors.values() for message in errs]
    if errors:
        raise DomainError(" ".join(errors))
    return PipelineClinicians(
        filters=filter_form.filters() if filtered else selectors.PipelineFilters(),
        drilldown=drilldown_form.drilldown(),
    )


def pipeline_clinicians_description(subject: PipelineClinicians) -> str:
    return selectors.drilldown_description(subject.drilldown)


def pipeline_clinicians_scope(*, user: User, subject: PipelineClinicians) -> tuple[str, dict]:
    """The scope and every filter in words, and what the person may see (to check at download that they still may)."""
    scope = selectors.pipeline_scope_for(user)
    words = selectors.pipeline_scope_description(user=user, filters=subject.filters)
    ids = list(scope.training_body_ids) if scope.training_body_ids is not None else None
    return words, {"region_id": scope.region_id, "training_body_ids": ids}


def scope_still_covers(*, user: User, made_with: Mapping) -> bool:
    """Whether the person may still see everything a file made for them holds: the country sees every region and
    body; a region only its own; a training-body admin only the bodies they still administer."""
    try:
        scope = selectors.pipeline_scope_for(user)
    except PermissionDenied:  # the role no longer sees the pipeline
        return False
    if scope.national:
        return True
    if scope.region_id is not None:
        return made_with.get("region_id") == scope.region_id and made_with.get("training_body_ids") is None
    bodies = made_with.get("training_body_ids")
    return bodies is not None and set(bodies) <= set(scope.training_body_ids or ())


def pipeline_clinicians_rows(*, user: User, subject: PipelineClinicians) -> tuple[tuple[str, ...], Iterator[list]]:
    """The list's column names and its rows, read now through `clinicians_visible_to` (so consent withdrawn since
    the request is respected) in chunks through a server-side cursor, so memory stays flat."""
    clinicians = selectors.pipeline_drilldown(user, subject.filters, subject.drilldown)
    return selectors.DRILLDOWN_EXPORT_HEADER, selectors.pipeline_drilldown_rows(clinicians)
