"""Drill-down: the consenting clinicians behind a count of the dashboard, by the placements of the last refresh
(`pipeline_stage`, `pipeline_leader` on the profile) or by a trend cell's events, always through
`talent.selectors.clinicians_visible_to`."""

import calendar
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import User
from config.db import IntegerLiteral
from pipeline.selectors.figures import TREND_LABELS
from pipeline.selectors.scope import (
    PipelineFilters,
    add_months,
    pipeline_permission_required,
    profile_filter_q,
    start_of,
)
from pipeline.stages import PipelineStage, appointments
from talent.models import (
    AssessmentStatus,
    ClinicianProfile,
    InterestRecord,
    Nomination,
    NominationState,
    SelfAssessment,
)
from talent.selectors.clinicians import clinicians_visible_to

DRILLDOWN_SORTS = {
    "name": ("full_name", "user_id"),
    "profession": ("profession", "full_name", "user_id"),
    "career_stage": ("career_stage", "full_name", "user_id"),
    "region": ("region__name", "full_name", "user_id"),
    "training_body": ("training_body__name", "full_name", "user_id"),
    "interest": ("current_interest_level", "full_name", "user_id"),
    "joined": ("created_at", "pk"),
}


# What a drill-down page shows of each clinician: plain values, no model instances.
DRILLDOWN_VALUES = (
    "pk",
    "full_name",
    "profession",
    "career_stage",
    "specialty_training_year",
    "region__name",
    "training_body__name",
    "current_interest_level",
)


@dataclass(frozen=True)
class Drilldown:
    """Which cell was clicked: a stage, optionally leaders only, or a trend cell (series and month)."""

    stage: int = PipelineStage.REGISTERED
    leaders: bool = False
    event: str = ""
    month: date | None = None
    sort: str = "name"


def _event_q(event: str, month: date) -> Q:
    start, end = start_of(month), start_of(add_months(month, 1))
    if event.startswith("interest_"):
        events = InterestRecord.objects.not_corrected().filter(
            level=int(event.removeprefix("interest_")), recorded_at__gte=start, recorded_at__lt=end
        )
    elif event == "assessments":
        events = SelfAssessment.objects.filter(
            status=AssessmentStatus.COMPLETED, completed_at__gte=start, completed_at__lt=end
        )
    elif event == "nominations_submitted":
        events = Nomination.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    elif event == "nominations_approved":
        events = Nomination.objects.filter(state=NominationState.APPROVED, decided_at__gte=start, decided_at__lt=end)
    elif event == "appointments":
        # By the month the appointment starts, among those started (as the trend counts them).
        events = appointments(timezone.localdate()).filter(start_date__gte=month, start_date__lt=add_months(month, 1))
    else:
        raise ValueError(f"Unknown trend series {event!r}.")
    return Q(pk__in=events.values("profile_id"))


def pipeline_drilldown(user: User, filters: PipelineFilters, drilldown: Drilldown) -> QuerySet[ClinicianProfile]:
    """The consenting clinicians behind a count, within the user's scope (`clinicians_visible_to`), sorted."""
    pipeline_permission_required(user)
    clinicians = clinicians_visible_to(user).filter(profile_filter_q(filters))
    if drilldown.event and drilldown.month:
        clinicians = clinicians.filter(_event_q(drilldown.event, drilldown.month))
    elif drilldown.stage > PipelineStage.REGISTERED:
        # Placed by the last roll-up refresh: the same people the count was made from (see pipeline_stage).
        # The stage is written into the SQL so that PostgreSQL plans each stage's statement once (see IntegerLiteral).
        clinicians = clinicians.filter(pipeline_stage__gte=IntegerLiteral(int(drilldown.stage)))
    if drilldown.leaders:
        clinicians = clinicians.filter(pipeline_leader=True)
    sort = drilldown.sort.lstrip("-")
    fields = DRILLDOWN_SORTS.get(sort, DRILLDOWN_SORTS["name"])
    if drilldown.sort.startswith("-"):
        fields = tuple(f"-{name}" for name in fields)
    return clinicians.order_by(*fields)


def pipeline_drilldown_values(clinicians: QuerySet[ClinicianProfile]) -> QuerySet[dict]:
    """What a drill-down page shows of each clinician (DRILLDOWN_VALUES), and the day they joined: `joined_on`."""
    return clinicians.values(*DRILLDOWN_VALUES, joined_on=joined_on())


def drilldown_description(drilldown: Drilldown) -> str:
    """Which list this is, in words: the drill-down's heading, and the first lines of its export."""
    if drilldown.event and drilldown.month:
        return f"{TREND_LABELS[drilldown.event]} in {month_label(drilldown.month)}"
    if drilldown.leaders:
        return "In a leadership role at organisation level or above"
    if drilldown.stage == PipelineStage.REGISTERED:
        return "All registered clinicians"
    return f"{PipelineStage(drilldown.stage).label} (or further along the pipeline)"


def joined_on() -> TruncDate:
    """The day a clinician joined, in the service's time zone, worked out by the database: a date is all the pages
    and exports show, and loads far more cheaply than a timestamp with time zone over a national export."""
    return TruncDate("created_at")


def month_label(month: date) -> str:
    return f"{calendar.month_name[month.month]} {month.year}"
