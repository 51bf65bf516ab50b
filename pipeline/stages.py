"""The stage rules of the talent pipeline, in one place: the roll-up refresh (`pipeline.services`), the live funnel
and the drill-down (`pipeline.selectors`) all place clinicians with these expressions, so a count and the people
listed behind it can never follow different rules.

Stages (cumulative; each includes those further along):
    Registered   every profile of an active user.
    Interested   current interest level 1 (Curious) or above.
    Developing   level 3 (Actively developing) or above, or a self-assessment completed in the last 12 months, or on
                 an opportunity (an approved nomination; as approval is a later stage it is counted there already).
    Nominated    ever put forward: has a nomination that was submitted (whatever became of it later).
    Approved     has an approved nomination.
    Appointed    has a recorded appointment to a leadership role (LeadershipExperience) at service level or above
                 that has started, current or past.
    In role      holds a current leadership role (started, and without an end date or ending today or later) at
                 service level or above: a subset of Appointed.
    Leaders (backgrounds table): a current role at organisation (board) level or above.
Each refresh of the roll-ups also writes every clinician's furthest stage and leader flag onto their profile
(``pipeline_stage``, ``pipeline_leader``), and drill-downs filter on those: the people listed behind a count are the
ones it was made from, as of the same "figures as of" time, with visibility and consent checked live.
"""

from datetime import date, datetime, timedelta

from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone

from pathways.models import RoleLevel
from talent.models import (
    AssessmentStatus,
    InterestLevel,
    LeadershipExperience,
    Nomination,
    NominationState,
    PipelineStage,
    SelfAssessment,
)

__all__ = [
    "APPOINTMENT_LEVELS",
    "ASSESSMENT_WINDOW",
    "IN_ROLE_LEVELS",
    "LEADER_LEVELS",
    "STAGE_BY_KEY",
    "STAGE_KEYS",
    "PipelineStage",
    "appointments",
    "funnel_from_counts",
    "furthest_stage_expression",
    "leader_q",
    "stage_conditions",
]

STAGE_KEYS = {
    PipelineStage.REGISTERED: "registered",
    PipelineStage.INTERESTED: "interested",
    PipelineStage.DEVELOPING: "developing",
    PipelineStage.NOMINATED: "nominated",
    PipelineStage.APPROVED: "approved",
    PipelineStage.APPOINTED: "appointed",
    PipelineStage.IN_ROLE: "in_role",
}
STAGE_BY_KEY = {key: stage for stage, key in STAGE_KEYS.items()}
IN_ROLE_LEVELS = (RoleLevel.SERVICE, RoleLevel.ORGANISATION, RoleLevel.SYSTEM, RoleLevel.NATIONAL)
# Appointments that count (the Appointed stage, the appointments trend, time to appointment): the same levels.
APPOINTMENT_LEVELS = IN_ROLE_LEVELS
LEADER_LEVELS = (RoleLevel.ORGANISATION, RoleLevel.SYSTEM, RoleLevel.NATIONAL)
ASSESSMENT_WINDOW = timedelta(days=365)


def appointments(today: date) -> QuerySet[LeadershipExperience]:
    """Recorded appointments to leadership roles at service level or above that have started (a role may be
    recorded up to a year before it starts; it counts from its first day)."""
    return LeadershipExperience.objects.filter(level__in=APPOINTMENT_LEVELS, start_date__lte=today)


def _current_roles(levels, today: date) -> QuerySet:
    return (
        LeadershipExperience.objects.filter(level__in=levels, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values("profile_id")
    )


def _has(prefix: str, profiles: QuerySet) -> Q:
    """`profile IN (profiles)`: PostgreSQL hashes each subquery once (a "hashed SubPlan" or a semi-join) instead of
    probing it for every profile, which is what keeps a national roll-up refresh inside its beat."""
    return Q(**{f"{prefix}pk__in": profiles})


def leader_q(prefix: str = "", today: date | None = None) -> Q:
    """A current leadership role at organisation (board) level or above."""
    return _has(prefix, _current_roles(LEADER_LEVELS, today or timezone.localdate()))


def stage_conditions(prefix: str = "", now: datetime | None = None) -> dict[int, Q]:
    """Per stage, the condition of having reached exactly that stage's own rule (not cumulative), for profiles
    reached through `prefix`."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return {
        PipelineStage.IN_ROLE: _has(prefix, _current_roles(IN_ROLE_LEVELS, today)),
        PipelineStage.APPOINTED: _has(prefix, appointments(today).values("profile_id")),
        PipelineStage.APPROVED: _has(
            prefix, Nomination.objects.filter(state=NominationState.APPROVED).values("profile_id")
        ),
        PipelineStage.NOMINATED: _has(
            prefix, Nomination.objects.filter(submitted_at__isnull=False).values("profile_id")
        ),
        PipelineStage.DEVELOPING: Q(**{f"{prefix}current_interest_level__gte": InterestLevel.ACTIVELY_DEVELOPING})
        | _has(
            prefix,
            SelfAssessment.objects.filter(
                status=AssessmentStatus.COMPLETED, completed_at__gte=now - ASSESSMENT_WINDOW
            ).values("profile_id"),
        ),
        PipelineStage.INTERESTED: Q(**{f"{prefix}current_interest_level__gte": InterestLevel.CURIOUS}),
    }


def furthest_stage_expression(now: datetime | None = None) -> Case:
    conditions = stage_conditions(now=now)
    return Case(
        *[When(conditions[stage], then=Value(stage)) for stage in sorted(conditions, reverse=True)],
        default=Value(PipelineStage.REGISTERED),
    )


def funnel_from_counts(at_stage: dict[int, int]) -> list[dict]:
    """Cumulative stages from counts of clinicians whose furthest stage is each stage, with the conversion rate
    from the stage before (per cent, one decimal; None when the stage before is empty)."""
    stages = []
    previous = None
    for stage in PipelineStage:
        count = sum(n for one, n in at_stage.items() if one >= stage)
        conversion = None
        if previous:
            conversion = round(100 * count / previous, 1)
        stages.append({"key": STAGE_KEYS[stage], "label": stage.label, "count": count, "conversion": conversion})
        previous = count
    return stages
