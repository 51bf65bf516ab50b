"""Reads of the HEE talent pipeline (issue 7): the dashboard's figures, the live funnel, and drill-down lists.

Who sees what
    National HEE staff see England; regional HEE staff only their region; training-body admins only the clinicians
    of the bodies they administer. Filters narrow that scope, never widen it (a region outside a regional person's
    scope is not even offered: choosing it by URL is a form error, 400 in the API).
    Counts include clinicians who do not share their records (anonymous aggregates); lists (drill-down and its
    CSV) only ever come from ``talent.selectors.clinicians_visible_to(user)``, i.e. consenting clinicians.

Filters (GET parameters of ``/pipeline/``, its exports, drill-down and ``/api/v1/pipeline/summary/``), combinable:
    region=<region slug>            e.g. region=london
    profession=<profession code>    e.g. profession=nurse
    career_stage=<stage code>       e.g. career_stage=specialty_training
    specialty=<text>                the clinician's specialty or field, any case, e.g. specialty=Cardiology
    training_body=<body slug>
    early_career=true               early-career clinicians only (DESIGN.md section 4)
    joined_from=YYYY-MM-DD, joined_to=YYYY-MM-DD (or the NHS.UK date boxes joined_from_day/_month/_year)
        Clinicians who joined the service (their profile was created) from the month of ``joined_from`` to the
        month of ``joined_to``, whole months; the trends show only the months inside the range.
    Drill-down also takes: stage=<registered|interested|developing|nominated|approved|in_role>, leaders=true
    (organisation level and above), event=<trend series key>&month=YYYY-MM (the people behind a trend cell),
    sort=<name|profession|career_stage|region|training_body|interest|joined>, "-" in front for descending, page=N.

Stages (cumulative; each includes those further along), computed the same way by the roll-ups and the live path:
    Registered   every profile of an active user.
    Interested   current interest level 1 (Curious) or above.
    Developing   level 3 (Actively developing) or above, or a self-assessment completed in the last 12 months, or on
                 an opportunity (an approved nomination; as approval is a later stage it is counted there already).
    Nominated    ever put forward: has a nomination that was submitted (whatever became of it later).
    Approved     has an approved nomination.
    In role      holds a current leadership role (LeadershipExperience without an end date, or ending today or
                 later) at service level or above.
    Leaders (backgrounds table): a current role at organisation (board) level or above.
    Each refresh of the roll-ups also writes every clinician's furthest stage and leader flag onto their profile
    (``pipeline_stage``, ``pipeline_leader``), and drill-downs filter on those: the people listed behind a count are
    the ones it was made from, as of the same "figures as of" time, with visibility and consent checked live.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from accounts.models import Region, Role, TrainingBody, User
from accounts.permissions import Permission, user_can
from config.db import IntegerLiteral
from pathways.models import RoleLevel
from regulators.models import Profession
from regulators.selectors import licence_at_risk_counts
from talent.models import (
    AgeBand,
    AssessmentStatus,
    CareerStage,
    ClinicianProfile,
    EthnicGroup,
    InterestLevel,
    InterestRecord,
    LeadershipExperience,
    Nomination,
    NominationState,
    PipelineCoarseBackgroundRollup,
    PipelineCoarseRollup,
    PipelineCoarseTrendRollup,
    PipelineRollup,
    PipelineRollupRun,
    PipelineScopeSummary,
    PipelineStage,
    PipelineTrendRollup,
    Qualification,
    QualificationKind,
    Religion,
    SelfAssessment,
    Sex,
    SexualOrientation,
    YesNo,
    career_stage_label,
    early_career_q,
    is_early_career,
)
from talent.selectors.clinicians import clinicians_visible_to
from talent.suppression import suppress_table

STAGE_KEYS = {
    PipelineStage.REGISTERED: "registered",
    PipelineStage.INTERESTED: "interested",
    PipelineStage.DEVELOPING: "developing",
    PipelineStage.NOMINATED: "nominated",
    PipelineStage.APPROVED: "approved",
    PipelineStage.IN_ROLE: "in_role",
}
STAGE_BY_KEY = {key: stage for stage, key in STAGE_KEYS.items()}
IN_ROLE_LEVELS = (RoleLevel.SERVICE, RoleLevel.ORGANISATION, RoleLevel.SYSTEM, RoleLevel.NATIONAL)
LEADER_LEVELS = (RoleLevel.ORGANISATION, RoleLevel.SYSTEM, RoleLevel.NATIONAL)
ASSESSMENT_WINDOW = timedelta(days=365)
TREND_MONTHS = 24
# Figures are never older than this: a read of older roll-ups rebuilds them first (see `pipeline_figures_stale`).
MAX_AGE = timedelta(minutes=5)

LEADERSHIP_QUALIFICATIONS = [kind for kind in QualificationKind if kind != QualificationKind.OTHER]
NOT_ANSWERED = ("", "Not answered")
EQUALITY_ATTRIBUTES: dict[str, tuple[str, list]] = {
    "sex": ("Sex", [*Sex.choices, NOT_ANSWERED]),
    "age_band": ("Age", [*AgeBand.choices, NOT_ANSWERED]),
    "ethnic_group": ("Ethnic group", [*EthnicGroup.choices, NOT_ANSWERED]),
    "disability": ("Disability", [*YesNo.choices, NOT_ANSWERED]),
    "sexual_orientation": ("Sexual orientation", [*SexualOrientation.choices, NOT_ANSWERED]),
    "religion": ("Religion or belief", [*Religion.choices, NOT_ANSWERED]),
}
QUALIFICATION_ATTRIBUTE = "qualification"
NO_LEADERSHIP_QUALIFICATION = "none"

TREND_SERIES: list[tuple[str, str]] = [
    *[(f"interest_{level.value}", f"Interest recorded: {level.label}") for level in InterestLevel],
    ("assessments", "Self-assessments completed"),
    ("nominations_submitted", "Nominations submitted"),
    ("nominations_approved", "Nominations approved"),
]
TREND_LABELS = dict(TREND_SERIES)


# --- Scope and filters -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PipelineScope:
    """What the asking user may count: a region (regional HEE staff), some training bodies (their admins), or all."""

    region_id: int | None = None
    training_body_ids: tuple[int, ...] | None = None

    @property
    def national(self) -> bool:
        return self.region_id is None and self.training_body_ids is None


def pipeline_permission_required(user: User) -> None:
    """Only those whose role may view the pipeline (HEE staff, training-body admins) get any of its figures."""
    if not user.is_authenticated:
        raise PermissionDenied("Sign in to see the talent pipeline.")
    if not user_can(user, Permission.VIEW_PIPELINE):
        raise PermissionDenied("The talent pipeline is not available to your role.")


def pipeline_scope_for(user: User) -> PipelineScope:
    """What of the pipeline the user sees: a region or the country (HEE staff), or their training bodies."""
    pipeline_permission_required(user)
    if user.role == Role.HEE_STAFF:
        return PipelineScope(region_id=user.hee_region_id)
    ids = tuple(sorted(TrainingBody.objects.filter(memberships__user=user).values_list("pk", flat=True)))
    return PipelineScope(training_body_ids=ids)


def pipeline_regions_for(user: User) -> QuerySet[Region]:
    """Regions a person may filter by: their own when regional, all otherwise."""
    regions = Region.objects.order_by("name")
    if user.is_authenticated and user.role == Role.HEE_STAFF and user.hee_region_id:
        regions = regions.filter(pk=user.hee_region_id)
    return regions


def pipeline_training_bodies_for(user: User) -> QuerySet[TrainingBody]:
    """Training bodies a person may filter by: training-body admins their own, HEE staff all."""
    bodies = TrainingBody.objects.order_by("name")
    if user.is_authenticated and user.role == Role.TRAINING_BODY_ADMIN:
        bodies = bodies.filter(memberships__user=user)
    return bodies


@dataclass(frozen=True)
class PipelineFilters:
    region_id: int | None = None
    profession: str = ""
    career_stage: str = ""
    specialty: str = ""
    training_body_id: int | None = None
    early_career: bool = False
    joined_from: date | None = None
    joined_to: date | None = None

    @property
    def used(self) -> bool:
        return self != PipelineFilters()


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# --- The stage rules, in database form (shared by the roll-ups, the live funnel and the drill-down) ------------------


def _current_roles(levels, today: date) -> QuerySet:
    return (
        LeadershipExperience.objects.filter(level__in=levels)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values("profile_id")
    )


def _has(prefix: str, profiles: QuerySet) -> Q:
    """`profile IN (profiles)`: PostgreSQL hashes each subquery once (a "hashed SubPlan" or a semi-join) instead of
    probing it for every profile, which is what keeps a roll-up refresh over a million profiles to seconds."""
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


def pipeline_population(scope: PipelineScope) -> QuerySet[ClinicianProfile]:
    """Everyone counted within a scope, consenting or not (aggregates only: never list these)."""
    population = ClinicianProfile.objects.filter(user__is_active=True)
    if scope.region_id is not None:
        population = population.filter(region_id=scope.region_id)
    if scope.training_body_ids is not None:
        population = population.filter(training_body_id__in=scope.training_body_ids)
    return population


def _profile_filter_q(filters: PipelineFilters, prefix: str = "") -> Q:
    """The filters on profile fields (the live path and the drill-down)."""
    q = Q()
    if filters.region_id is not None:
        q &= Q(**{f"{prefix}region_id": filters.region_id})
    if filters.profession:
        q &= Q(**{f"{prefix}profession": filters.profession})
    if filters.career_stage:
        q &= Q(**{f"{prefix}career_stage": filters.career_stage})
    if filters.specialty:
        q &= Q(**{f"{prefix}specialty__iexact": filters.specialty})
    if filters.training_body_id is not None:
        q &= Q(**{f"{prefix}training_body_id": filters.training_body_id})
    if filters.early_career:
        q &= early_career_q(prefix)
    if filters.joined_from:
        q &= Q(**{f"{prefix}created_at__gte": _start_of(month_start(filters.joined_from))})
    if filters.joined_to:
        q &= Q(**{f"{prefix}created_at__lt": _start_of(add_months(filters.joined_to, 1))})
    return q


def _rollup_q(scope: PipelineScope, filters: PipelineFilters, *, joined: bool = True) -> Q:
    q = Q()
    if scope.region_id is not None:
        q &= Q(region_id=scope.region_id)
    if scope.training_body_ids is not None:
        q &= Q(training_body_id__in=scope.training_body_ids)
    if filters.region_id is not None:
        q &= Q(region_id=filters.region_id)
    if filters.profession:
        q &= Q(profession=filters.profession)
    if filters.career_stage:
        q &= Q(career_stage=filters.career_stage)
    if filters.specialty:
        q &= Q(specialty__iexact=filters.specialty)
    if filters.training_body_id is not None:
        q &= Q(training_body_id=filters.training_body_id)
    if filters.early_career:
        q &= Q(early_career=True)
    if joined and filters.joined_from:
        q &= Q(joined_month__gte=month_start(filters.joined_from))
    if joined and filters.joined_to:
        q &= Q(joined_month__lte=month_start(filters.joined_to))
    return q


# --- The funnel ----------------------------------------------------------------------------------------------------


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


def pipeline_funnel_live(user: User, filters: PipelineFilters) -> list[dict]:
    """The funnel computed directly from the profile table (no roll-ups): the reference the roll-ups must match,
    and the slow path the bench compares with."""
    scope = pipeline_scope_for(user)
    counts = (
        pipeline_population(scope)
        .filter(_profile_filter_q(filters))
        .annotate(furthest=furthest_stage_expression())
        .values("furthest")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return funnel_from_counts({row["furthest"]: row["n"] for row in counts})


# --- The dashboard's figures, from the roll-ups ---------------------------------------------------------------------


def pipeline_latest_run() -> PipelineRollupRun | None:
    return PipelineRollupRun.objects.order_by("-refreshed_at", "-pk").first()


def pipeline_figures_stale(run: PipelineRollupRun | None, now: datetime | None = None) -> bool:
    return run is None or (now or timezone.now()) - run.refreshed_at > MAX_AGE


def trend_months(filters: PipelineFilters, today: date | None = None) -> list[date]:
    """The last 24 calendar months up to this one, limited to the date range when one is set."""
    this_month = month_start(today or timezone.localdate())
    months = [add_months(this_month, offset) for offset in range(-(TREND_MONTHS - 1), 1)]
    if filters.joined_from:
        months = [month for month in months if month >= month_start(filters.joined_from)]
    if filters.joined_to:
        months = [month for month in months if month <= month_start(filters.joined_to)]
    return months


def _stage_table(rows, key: str, labels: dict, order_by_label: bool = True) -> list[dict]:
    """Pivot (key, stage, n) rows into one row per key with cumulative counts per stage."""
    by_key: dict = {}
    for row in rows:
        by_key.setdefault(row[key], {})
        by_key[row[key]][row["stage"]] = by_key[row[key]].get(row["stage"], 0) + row["n"]
    table = []
    for value, at_stage in by_key.items():
        funnel = funnel_from_counts(at_stage)
        label, slug = labels.get(value, (str(value), None))
        table.append({"key": slug, "label": label, "counts": {one["key"]: one["count"] for one in funnel}})
    if order_by_label:
        table.sort(key=lambda row: row["label"])
    return table


def _background_rows_from_profiles(scope: PipelineScope, filters: PipelineFilters) -> list[dict]:
    """Backgrounds for a specialty or date-range view, as (attribute, value, leader, n) rows: grouped from the
    profiles the last refresh placed (`pipeline_stage` set, so they agree with the funnel's "as of"), by their
    placement's leader flag. A roll-up by every dimension would hold more rows than there are clinicians (and took
    most of a refresh's time at a million), while these views read only the profiles they filter to."""
    profiles = pipeline_population(scope).filter(_profile_filter_q(filters), pipeline_stage__isnull=False)
    rows = []
    for attribute in EQUALITY_ATTRIBUTES:
        answers = profiles.values(
            value=Coalesce(F(f"equality_monitoring__{attribute}"), Value("")), leader=F("pipeline_leader")
        )
        rows += [{"attribute": attribute, **row} for row in answers.annotate(n=Count("pk")).order_by()]
    kinds = [str(kind) for kind in LEADERSHIP_QUALIFICATIONS]
    held = (
        Qualification.objects.filter(profile__in=profiles, kind__in=kinds)
        .values(value=F("kind"), leader=F("profile__pipeline_leader"))
        .annotate(n=Count("profile_id", distinct=True))
        .order_by()
    )
    without = (
        profiles.exclude(pk__in=Qualification.objects.filter(kind__in=kinds).values("profile_id"))
        .values(leader=F("pipeline_leader"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows += [{"attribute": QUALIFICATION_ATTRIBUTE, **row} for row in held]
    rows += [{"attribute": QUALIFICATION_ATTRIBUTE, "value": NO_LEADERSHIP_QUALIFICATION, **row} for row in without]
    return rows


def _backgrounds(
    scope: PipelineScope, filters: PipelineFilters, background_rows, profession_rows, stage_rows
) -> list[dict]:
    suppress = not scope.national or filters.used
    tables = []

    def table(key: str, label: str, choices: list, pipeline: dict, leaders: dict, equality: bool) -> dict:
        rows = [(code, name, pipeline.get(code, 0), leaders.get(code, 0)) for code, name in choices]
        if equality and suppress:
            # Columns add up to how many clinicians there are (and how many lead): known from the funnel.
            result = suppress_table([[p, ld] for _, _, p, ld in rows], row_totals=False, totals_known=True)
            cells = result.cells
            totals = result.column_totals
        else:
            cells = [[str(p), str(ld)] for _, _, p, ld in rows]
            totals = [str(sum(p for *_, p, _ in rows)), str(sum(ld for *_, ld in rows))]
        return {
            "key": key,
            "label": label,
            "equality": equality,
            "suppressed": equality and suppress,
            "rows": [
                {"value": code, "label": name, "pipeline": cell[0], "leaders": cell[1]}
                for (code, name, _, _), cell in zip(rows, cells, strict=True)
            ],
            "total": {"pipeline": totals[0], "leaders": totals[1]} if key != QUALIFICATION_ATTRIBUTE else None,
        }

    pipeline_by_profession: dict = {}
    leaders_by_profession: dict = {}
    for row in profession_rows:
        pipeline_by_profession[row["profession"]] = pipeline_by_profession.get(row["profession"], 0) + row["n"]
        if row["leader"]:
            leaders_by_profession[row["profession"]] = leaders_by_profession.get(row["profession"], 0) + row["n"]
    present = [choice for choice in Profession.choices if choice[0] in pipeline_by_profession]
    tables.append(table("profession", "Profession", present, pipeline_by_profession, leaders_by_profession, False))

    pipeline_by_stage: dict = {}
    leaders_by_stage: dict = {}
    for row in stage_rows:
        pipeline_by_stage[row["career_stage"]] = pipeline_by_stage.get(row["career_stage"], 0) + row["n"]
        if row["leader"]:
            leaders_by_stage[row["career_stage"]] = leaders_by_stage.get(row["career_stage"], 0) + row["n"]
    present = [choice for choice in CareerStage.choices if choice[0] in pipeline_by_stage]
    tables.append(table("career_stage", "Career route", present, pipeline_by_stage, leaders_by_stage, False))

    background: dict = {}
    for row in background_rows:
        counts = background.setdefault(row["attribute"], ({}, {}))
        counts[0][row["value"]] = counts[0].get(row["value"], 0) + row["n"]
        if row["leader"]:
            counts[1][row["value"]] = counts[1].get(row["value"], 0) + row["n"]
    qualification_choices = [
        *[(kind.value, kind.label) for kind in LEADERSHIP_QUALIFICATIONS],
        (NO_LEADERSHIP_QUALIFICATION, "No leadership qualification"),
    ]
    pipeline, leaders = background.get(QUALIFICATION_ATTRIBUTE, ({}, {}))
    tables.append(
        table(QUALIFICATION_ATTRIBUTE, "Leadership qualifications", qualification_choices, pipeline, leaders, False)
    )
    for attribute, (label, choices) in EQUALITY_ATTRIBUTES.items():
        pipeline, leaders = background.get(attribute, ({}, {}))
        tables.append(table(attribute, label, choices, pipeline, leaders, True))
    return tables


def _compute_summary(scope: PipelineScope, filters: PipelineFilters, run: PipelineRollupRun | None) -> dict:
    # Without a specialty or date-range filter the coarse roll-ups (summed over those two) give the same figures.
    coarse = not (filters.specialty or filters.joined_from or filters.joined_to)
    funnel_model = PipelineCoarseRollup if coarse else PipelineRollup
    # The trends never filter on the month joined (only their months are limited to the range).
    trend_model = PipelineTrendRollup if filters.specialty else PipelineCoarseTrendRollup
    q = _rollup_q(scope, filters)
    rollups = funnel_model.objects.filter(q).order_by()
    stage_counts = {row["stage"]: row["n"] for row in rollups.values("stage").annotate(n=Sum("clinicians"))}
    region_rows = list(rollups.values("region_id", "stage").annotate(n=Sum("clinicians")))
    profession_rows = list(rollups.values("profession", "stage", "leader").annotate(n=Sum("clinicians")))
    body_rows = list(rollups.values("training_body_id", "stage").annotate(n=Sum("clinicians")))
    stage_rows = list(rollups.values("career_stage", "leader").annotate(n=Sum("clinicians")))

    region_ids = {row["region_id"] for row in region_rows}
    body_ids = {row["training_body_id"] for row in body_rows if row["training_body_id"] is not None}
    regions = {region.pk: (region.name, region.slug) for region in Region.objects.filter(pk__in=region_ids)}
    bodies = {body.pk: (body.name, body.slug) for body in TrainingBody.objects.filter(pk__in=body_ids)}
    bodies[None] = ("No training body", None)
    professions = {code: (label, code) for code, label in Profession.choices}

    if coarse:
        background_rows = (
            PipelineCoarseBackgroundRollup.objects.filter(q)
            .values("attribute", "value", "leader")
            .annotate(n=Sum("clinicians"))
            .order_by()
        )
    else:
        background_rows = _background_rows_from_profiles(scope, filters)

    months = trend_months(filters, timezone.localdate(run.refreshed_at) if run else None)
    trend_values = {key: [0] * len(months) for key, _ in TREND_SERIES}
    if months:
        index = {month: position for position, month in enumerate(months)}
        for row in (
            trend_model.objects.filter(_rollup_q(scope, filters, joined=False))
            .filter(month__gte=months[0], month__lte=months[-1])
            .values("month", "metric")
            .annotate(n=Sum("events"))
            .order_by()
        ):
            if row["metric"] in trend_values and row["month"] in index:
                trend_values[row["metric"]][index[row["month"]]] += row["n"]

    return {
        "version": run.pk if run else None,
        "as_of": run.refreshed_at.isoformat() if run else None,
        "funnel": funnel_from_counts(stage_counts),
        "trends": {
            "months": [month.strftime("%Y-%m") for month in months],
            "month_labels": [month.strftime("%b %Y") for month in months],
            "series": [{"key": key, "label": label, "values": trend_values[key]} for key, label in TREND_SERIES],
        },
        "breakdowns": {
            "region": _stage_table(region_rows, "region_id", regions),
            "profession": _stage_table(profession_rows, "profession", professions),
            "training_body": _stage_table(body_rows, "training_body_id", bodies),
        },
        "backgrounds": _backgrounds(scope, filters, background_rows, profession_rows, stage_rows),
        # From the profile table (one query), among those the refresh placed in a role (the same rule: an index,
        # so a filtered view reads a few thousand rows), computed with the rest so it is cached and stored alike.
        # Not equality data, so plain counts at every level; non-consenting clinicians are counted, never listed.
        "licence_at_risk": licence_at_risk_counts(
            pipeline_population(scope).filter(_profile_filter_q(filters), pipeline_stage=PipelineStage.IN_ROLE),
            all_in_role=True,
        ),
    }


def scope_summary_key(scope: PipelineScope) -> str | None:
    """The name under which a scope's unfiltered figures are stored with each run (None: computed on demand)."""
    if scope.national:
        return "national"
    if scope.training_body_ids is None:
        return f"region:{scope.region_id}"
    return None


def pipeline_scope_summaries(run: PipelineRollupRun) -> dict[str, dict]:
    """The unfiltered figures of England and of every region, from the roll-ups of `run` (stored with it)."""
    scopes = [PipelineScope(), *[PipelineScope(region_id=pk) for pk in Region.objects.values_list("pk", flat=True)]]
    return {scope_summary_key(scope): _compute_summary(scope, PipelineFilters(), run) for scope in scopes}


def pipeline_summary(user: User, filters: PipelineFilters, run: PipelineRollupRun | None = None) -> dict:
    """Everything the dashboard shows, from the roll-ups of `run` (the latest by default). The unfiltered figures of
    England and of each region are stored with the run; others are summed from its roll-up tables."""
    scope = pipeline_scope_for(user)
    run = run if run is not None else pipeline_latest_run()
    stored_as = scope_summary_key(scope)
    if run is not None and stored_as and not filters.used:
        stored = PipelineScopeSummary.objects.filter(run=run, scope=stored_as).values_list("summary", flat=True)
        for summary in stored:
            if "licence_at_risk" in summary:  # else stored before the counts existed: compute below
                return summary
    return _compute_summary(scope, filters, run)


# --- Drill-down: the consenting clinicians behind a count ----------------------------------------------------------


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
    start, end = _start_of(month), _start_of(add_months(month, 1))
    if event.startswith("interest_"):
        events = InterestRecord.objects.filter(
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
    else:
        raise ValueError(f"Unknown trend series {event!r}.")
    return Q(pk__in=events.values("profile_id"))


def pipeline_drilldown(user: User, filters: PipelineFilters, drilldown: Drilldown) -> QuerySet[ClinicianProfile]:
    """The consenting clinicians behind a count, within the user's scope (`clinicians_visible_to`), sorted."""
    pipeline_permission_required(user)
    clinicians = clinicians_visible_to(user).filter(_profile_filter_q(filters))
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


def joined_on() -> TruncDate:
    """The day a clinician joined, in the service's time zone, worked out by the database: a date is all the pages
    and exports show, and loads far more cheaply than a timestamp with time zone over a national export."""
    return TruncDate("created_at")


# The drill-down export's columns, in the order `pipeline_drilldown_rows` writes each row's cells.
DRILLDOWN_EXPORT_HEADER = (
    "Record id",
    "Name",
    "Profession",
    "Career stage",
    "Specialty",
    "Region",
    "Training body",
    "Leadership interest",
    "Early career",
    "Joined",
)


def pipeline_drilldown_rows(clinicians: QuerySet[ClinicianProfile]):
    """The drill-down list as plain rows for the CSV export (under DRILLDOWN_EXPORT_HEADER), read in chunks so
    memory does not grow with the count (a server-side cursor on PostgreSQL)."""
    today = timezone.localdate()
    professions = dict(Profession.choices)
    levels = dict(InterestLevel.choices)
    rows = clinicians.values_list(
        "pk",
        "full_name",
        "profession",
        "career_stage",
        "specialty_training_year",
        "specialty",
        "region__name",
        "training_body__name",
        "current_interest_level",
        "first_registration_year",
        joined_on(),
    )
    for row in rows.iterator(chunk_size=2000):
        (pk, name, profession, stage, st_year, specialty, region, body, level, first_year, joined) = row
        early = is_early_career(profession, stage, first_year, today)
        stage_label = career_stage_label(stage, st_year)
        yield [
            str(pk),
            name,
            professions.get(profession, profession),
            stage_label,
            specialty,
            region,
            body or "",
            levels.get(level, level),
            "Yes" if early else "No",
            joined.isoformat(),
        ]


def month_label(month: date) -> str:
    return f"{calendar.month_name[month.month]} {month.year}"
