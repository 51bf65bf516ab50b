"""The dashboard's figures: summed from the roll-ups of a refresh (`pipeline.models`), or for the live funnel
computed straight from the profiles with the same stage rules (`pipeline.stages`). Every table of the backgrounds of
leaders (the equality tables and the tables beside them) goes through `pipeline.suppression` at every level,
national included, and no cell of them is ever a link to people."""

import hashlib
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models import BooleanField, Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Region, TrainingBody, User
from pipeline.models import (
    PipelineAppointmentRollup,
    PipelineCoarseBackgroundRollup,
    PipelineCoarseRollup,
    PipelineCoarseTrendRollup,
    PipelineLicenceRollup,
    PipelineListRollup,
    PipelineRollup,
    PipelineRollupRun,
    PipelineScopeSummary,
    PipelineTrendRollup,
    RevalidationStatus,
)
from pipeline.selectors.representation import pipeline_representation
from pipeline.selectors.scope import (
    PipelineFilters,
    PipelineScope,
    add_months,
    month_start,
    pipeline_population,
    pipeline_scope_for,
    profile_filter_q,
    rollup_filter_q,
)
from pipeline.stages import funnel_from_counts, furthest_stage_expression
from pipeline.suppression import HIDDEN, SMALLEST_SHOWN, shown, suppress_table
from regulators.models import Profession
from talent.models import (
    AgeBand,
    CareerStage,
    EthnicGroup,
    InterestLevel,
    Qualification,
    QualificationKind,
    Religion,
    Sex,
    SexualOrientation,
    YesNo,
)

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
# The version of the small-number rule the backgrounds were suppressed under. A summary stored with a run carries it,
# and one made under an older rule (plain counts at national level, no homogeneity step) is computed again rather
# than served: roll-up runs outlive a deployment by minutes, and those minutes must not show the old figures.
SUPPRESSION_RULES = 2
QUALIFICATION_ATTRIBUTE = "qualification"
NO_LEADERSHIP_QUALIFICATION = "none"

TREND_SERIES: list[tuple[str, str]] = [
    *[(f"interest_{level.value}", f"Interest recorded: {level.label}") for level in InterestLevel],
    ("assessments", "Self-assessments completed"),
    ("nominations_submitted", "Nominations submitted"),
    ("nominations_approved", "Nominations approved"),
    ("appointments", "Appointments to leadership roles"),
]
TREND_LABELS = dict(TREND_SERIES)


def pipeline_funnel_live(user: User, filters: PipelineFilters) -> list[dict]:
    """The funnel computed directly from the profile table (no roll-ups): the reference the roll-ups must match,
    and the slow path the bench compares with."""
    scope = pipeline_scope_for(user)
    counts = (
        pipeline_population(scope)
        .filter(profile_filter_q(filters))
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
    """Backgrounds for a specialty or date-range view, as (attribute, value, leader, stage, n) rows (no stage on
    qualification rows): grouped from the profiles the last refresh placed (`pipeline_stage` set, so they agree
    with the funnel's "as of"), by their placement's stage and leader flag. A roll-up by every dimension would hold
    more rows than there are clinicians (and took most of a refresh's time at a million), while these views read
    only the profiles they filter to."""
    profiles = pipeline_population(scope).filter(profile_filter_q(filters), pipeline_stage__isnull=False)
    rows = []
    for attribute in EQUALITY_ATTRIBUTES:
        answers = profiles.values(
            value=Coalesce(F(f"equality_monitoring__{attribute}"), Value("")),
            leader=F("pipeline_leader"),
            stage=F("pipeline_stage"),
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
    scope: PipelineScope,
    filters: PipelineFilters,
    background_rows,
    profession_rows,
    stage_rows,
    hidden_columns: frozenset[str] = frozenset(),
) -> list[dict]:
    """Every table here follows the small-number rule at every level, national included: the equality tables and
    those beside them (profession, career route, qualifications), so no table can undo another. Each column (the
    whole pipeline, the leaders) is protected on its own, its total being known from the funnel; a leaders cell
    whose whole-pipeline cell shows 0 is known to be 0, so it is never the one hidden to protect its column.
    ``hidden_columns`` hides a whole column (see `_columns_near_a_wider_view`)."""
    tables = []

    def column(counts: list[int], name: str, *, partition: bool, known_zero=frozenset()) -> tuple[list[str], str]:
        if name in hidden_columns:
            return [HIDDEN] * len(counts), shown(sum(counts))
        # A partition's column adds up to the number of clinicians (or leaders): a line with a known total.
        result = suppress_table(
            [[count] for count in counts],
            row_totals=False,
            column_totals=partition,
            totals_known=True,
            known_zero=known_zero,
        )
        return [row[0] for row in result.cells], result.column_totals[0] if counts else "0"

    def table(key: str, label: str, choices: list, pipeline: dict, leaders: dict, equality: bool) -> dict:
        rows = [(code, name, pipeline.get(code, 0), leaders.get(code, 0)) for code, name in choices]
        # Qualifications are not a partition (one person may hold several): their cells have no total to protect.
        partition = key != QUALIFICATION_ATTRIBUTE
        whole, whole_total = column([p for *_, p, _ in rows], "pipeline", partition=partition)
        known_zero = frozenset((r, 0) for r, text in enumerate(whole) if text == "0")
        lead, lead_total = column([ld for *_, ld in rows], "leaders", partition=partition, known_zero=known_zero)
        return {
            "key": key,
            "label": label,
            "equality": equality,
            "suppressed": True,
            "rows": [
                {"value": code, "label": name, "pipeline": p, "leaders": ld}
                for (code, name, _, _), p, ld in zip(rows, whole, lead, strict=True)
            ],
            "total": {"pipeline": whole_total, "leaders": lead_total} if partition else None,
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


def england_totals() -> tuple[int, int]:
    """All clinicians of England and the leaders among them, from the coarse roll-up (the widest view of all)."""
    totals = PipelineCoarseRollup.objects.aggregate(
        n=Sum("clinicians"), leaders=Sum("clinicians", filter=Q(leader=True))
    )
    return totals["n"] or 0, totals["leaders"] or 0


def _columns_near_a_wider_view(
    scope: PipelineScope,
    filters: PipelineFilters,
    region_rows,
    body_rows,
    profession_rows,
    stage_rows,
    england: tuple[int, int] | None = None,
) -> frozenset[str]:
    """The columns of the backgrounds ("pipeline", "leaders") to hide whole because a wider view, one anyone may ask
    for, counts 1 to 7 more clinicians (or leaders) than this one: its tables minus these would describe those few,
    and rounding (12 shows as 10, 13 as 15) can tell which answer one of them gave.

    The wider views are those that keep some of the conditions every clinician of this view meets: one region,
    training body, profession or career stage shared by all of them (filtered on or not), early career, the
    training bodies of the asker's scope, and the specialty and months joined filtered on. They are counted among
    all clinicians of England, whoever asks, so the same people's figures are hidden alike for everyone. One grouped
    query: a flag per condition, so each combination of conditions is a sum of a few rows. Given England's totals
    (`england_totals`, when a refresh computes every scope's figures), it reads only the rows that meet at least one
    condition, through the roll-ups' indexes, and those that meet none are England less the rest. (Wider views by
    other months joined than the range asked for are not among them.)"""
    if (scope.national and not filters.used) or not region_rows:
        return frozenset()  # nothing is wider than everyone, and nobody is no one to describe
    conditions: list[Q] = []
    for rows, field in (
        (region_rows, "region_id"),
        (body_rows, "training_body_id"),
        (profession_rows, "profession"),
        (stage_rows, "career_stage"),
    ):
        values = {row[field] for row in rows if row["n"]}
        if len(values) == 1 and None not in values:
            conditions.append(Q(**{field: values.pop()}))
    if stage_rows and all(row["early_career"] for row in stage_rows if row["n"]):
        conditions.append(Q(early_career=True))
    if scope.training_body_ids is not None and len(scope.training_body_ids) != 1:
        conditions.append(Q(training_body_id__in=scope.training_body_ids))
    detailed = [
        q
        for q in (
            Q(specialty__iexact=filters.specialty) if filters.specialty else None,
            Q(joined_month__gte=month_start(filters.joined_from)) if filters.joined_from else None,
            Q(joined_month__lte=month_start(filters.joined_to)) if filters.joined_to else None,
        )
        if q is not None
    ]
    conditions += detailed
    if not conditions:
        return frozenset()
    model = PipelineRollup if detailed else PipelineCoarseRollup
    flags = {
        f"c{index}": Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())
        for index, q in enumerate(conditions)
    }
    rows = model.objects.all()
    if england is not None:
        # Only the rows that meet a condition (through the indexes); the rest are England less those.
        meets_one = Q()
        for q in conditions:
            meets_one |= q
        rows = rows.filter(meets_one)
    groups = [
        ([row[f"c{index}"] for index in range(len(conditions))], row["n"], row["leaders"] or 0)
        for row in rows.annotate(**flags)
        .values(*flags)
        .annotate(n=Sum("clinicians"), leaders=Sum("clinicians", filter=Q(leader=True)))
        .order_by()
    ]
    if england is not None:
        groups.append(
            (
                [False] * len(conditions),
                england[0] - sum(n for _, n, _ in groups),
                england[1] - sum(leaders for _, _, leaders in groups),
            )
        )

    def counted(kept: int) -> tuple[int, int]:
        matching = [(n, leaders) for met, n, leaders in groups if all(met[i] for i in range(len(met)) if kept >> i & 1)]
        return sum(n for n, _ in matching), sum(leaders for _, leaders in matching)

    everything = (1 << len(conditions)) - 1
    here, leaders_here = counted(everything)
    hidden = set()
    for kept in range(everything):
        wider, leaders_wider = counted(kept)
        if 0 < wider - here < SMALLEST_SHOWN:
            hidden.add("pipeline")
        if 0 < leaders_wider - leaders_here < SMALLEST_SHOWN:
            hidden.add("leaders")
    return frozenset(hidden)


# A profession's median time to appointment is shown only when at least this many clinicians are behind it: a
# median of a handful is one or two people's careers, easy to recognise and too unsteady to compare.
TIME_TO_APPOINTMENT_MINIMUM = 8


def _median(histogram: dict[int, int]) -> float:
    """The median of whole-month values given as value -> how many (the middle one, or the mean of the middle two)."""
    total = sum(histogram.values())
    middle = [(total - 1) // 2, total // 2]
    found, seen = [], 0
    for value in sorted(histogram):
        seen += histogram[value]
        while len(found) < 2 and middle[len(found)] < seen:
            found.append(value)
    return (found[0] + found[1]) / 2


def _time_to_appointment(scope: PipelineScope, filters: PipelineFilters) -> dict:
    """Median whole months from first recorded interest (Curious or above) to appointment, by profession and for
    all, among clinicians appointed on or after that interest (`PipelineAppointmentRollup`, written by the refresh).
    Fewer than TIME_TO_APPOINTMENT_MINIMUM clinicians: neither the median nor the count is shown."""
    by_profession: dict[str, dict[int, int]] = {}
    rows = (
        PipelineAppointmentRollup.objects.filter(rollup_filter_q(scope, filters))
        .values("profession", "months")
        .annotate(n=Sum("clinicians"))
        .order_by()
    )
    for row in rows:
        histogram = by_profession.setdefault(row["profession"], {})
        histogram[row["months"]] = histogram.get(row["months"], 0) + row["n"]

    def row(key: str | None, label: str, histogram: dict[int, int]) -> dict:
        clinicians = sum(histogram.values())
        shown = clinicians >= TIME_TO_APPOINTMENT_MINIMUM
        return {
            "key": key,
            "label": label,
            "shown": shown,
            "clinicians": clinicians if shown else None,
            "median_months": _median(histogram) if shown else None,
        }

    everyone: dict[int, int] = {}
    for histogram in by_profession.values():
        for months, n in histogram.items():
            everyone[months] = everyone.get(months, 0) + n
    return {
        "minimum": TIME_TO_APPOINTMENT_MINIMUM,
        "by_profession": [
            row(code, label, by_profession[code]) for code, label in Profession.choices if code in by_profession
        ],
        "all": row(None, "All professions", everyone) if everyone else None,
    }


def _licence_at_risk(scope: PipelineScope, filters: PipelineFilters) -> dict:
    """Among the view's clinicians in a leadership role (service level or above), how many have their revalidation
    overdue, due within 90 days, or no date recorded, on the day of the refresh (`PipelineLicenceRollup`).
    Returns {"in_leadership_roles", "overdue", "due_soon", "at_risk", "without_date"}."""
    by_status = dict(
        PipelineLicenceRollup.objects.filter(rollup_filter_q(scope, filters))
        .values("status")
        .annotate(n=Sum("clinicians"))
        .order_by()
        .values_list("status", "n")
    )
    counts = {
        "in_leadership_roles": sum(by_status.values()),
        "overdue": by_status.get(RevalidationStatus.OVERDUE, 0),
        "due_soon": by_status.get(RevalidationStatus.DUE_SOON, 0),
        "without_date": by_status.get(RevalidationStatus.WITHOUT_DATE, 0),
    }
    counts["at_risk"] = counts["overdue"] + counts["due_soon"]
    return counts


def _compute_summary(
    scope: PipelineScope,
    filters: PipelineFilters,
    run: PipelineRollupRun | None,
    england: tuple[int, int] | None = None,
) -> dict:
    # Without a specialty or date-range filter the coarse roll-ups (summed over those two) give the same figures.
    coarse = not (filters.specialty or filters.joined_from or filters.joined_to)
    funnel_model = PipelineCoarseRollup if coarse else PipelineRollup
    # The trends never filter on the month joined (only their months are limited to the range).
    trend_model = PipelineTrendRollup if filters.specialty else PipelineCoarseTrendRollup
    q = rollup_filter_q(scope, filters)
    rollups = funnel_model.objects.filter(q).order_by()
    stage_counts = {row["stage"]: row["n"] for row in rollups.values("stage").annotate(n=Sum("clinicians"))}
    region_rows = list(rollups.values("region_id", "stage").annotate(n=Sum("clinicians")))
    profession_rows = list(rollups.values("profession", "stage", "leader").annotate(n=Sum("clinicians")))
    body_rows = list(rollups.values("training_body_id", "stage").annotate(n=Sum("clinicians")))
    stage_rows = list(rollups.values("career_stage", "early_career", "leader").annotate(n=Sum("clinicians")))

    region_ids = {row["region_id"] for row in region_rows}
    body_ids = {row["training_body_id"] for row in body_rows if row["training_body_id"] is not None}
    regions = {region.pk: (region.name, region.slug) for region in Region.objects.filter(pk__in=region_ids)}
    bodies = {body.pk: (body.name, body.slug) for body in TrainingBody.objects.filter(pk__in=body_ids)}
    bodies[None] = ("No training body", None)
    professions = {code: (label, code) for code, label in Profession.choices}

    if coarse:
        background_rows = list(
            PipelineCoarseBackgroundRollup.objects.filter(q)
            .values("attribute", "value", "leader", "stage")
            .annotate(n=Sum("clinicians"))
            .order_by()
        )
    else:
        background_rows = _background_rows_from_profiles(scope, filters)

    hidden_columns = _columns_near_a_wider_view(
        scope, filters, region_rows, body_rows, profession_rows, stage_rows, england
    )

    months = trend_months(filters, timezone.localdate(run.refreshed_at) if run else None)
    trend_values = {key: [0] * len(months) for key, _ in TREND_SERIES}
    if months:
        index = {month: position for position, month in enumerate(months)}
        for row in (
            trend_model.objects.filter(rollup_filter_q(scope, filters, joined=False))
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
        "rules": SUPPRESSION_RULES,
        "backgrounds": _backgrounds(scope, filters, background_rows, profession_rows, stage_rows, hidden_columns),
        "representation": pipeline_representation(
            background_rows, EQUALITY_ATTRIBUTES, withheld="pipeline" in hidden_columns
        ),
        # Not equality data, so plain counts at every level; non-consenting clinicians are counted, never listed.
        "licence_at_risk": _licence_at_risk(scope, filters),
        "outcomes": {"time_to_appointment": _time_to_appointment(scope, filters)},
    }


def scope_summary_key(scope: PipelineScope) -> str | None:
    """The name under which a scope's unfiltered figures are stored with each run (None: computed on demand, for an
    admin of several bodies, whose suppressed figures cannot be added up from each body's)."""
    if scope.national:
        return "national"
    if scope.training_body_ids is None:
        return f"region:{scope.region_id}"
    if len(scope.training_body_ids) == 1:
        return f"body:{scope.training_body_ids[0]}"
    return None


def listed_counts(scope: PipelineScope) -> dict[str, list[list[int]]]:
    """How many clinicians of a scope the staff lists may show, by furthest stage and leader flag: those who share
    their records with HEE (`"hee"`) and with their training body (`"training_body"`), from `PipelineListRollup`.
    Stored with each scope's summary, they are the totals of the unfiltered lists and drill-downs; in a fixed order,
    so the same counts are stored alike whichever run computes them."""
    rows = PipelineListRollup.objects.filter(rollup_filter_q(scope, PipelineFilters())).order_by()
    return {
        shared: [
            [row["stage"], int(row["leader"]), row["n"]]
            for row in rows.filter(**{field: True})
            .values("stage", "leader")
            .annotate(n=Sum("clinicians"))
            .order_by("stage", "leader")
        ]
        for shared, field in (("hee", "shares_with_hee"), ("training_body", "shares_with_training_body"))
    }


def pipeline_scope_summaries(run: PipelineRollupRun) -> dict[str, dict]:
    """The unfiltered figures of England, of every region and of every training body, from the roll-ups of `run`
    (stored with it), each with the totals of its unfiltered staff lists (`listed_counts`)."""
    scopes = [
        PipelineScope(),
        *[PipelineScope(region_id=pk) for pk in Region.objects.values_list("pk", flat=True)],
        *[PipelineScope(training_body_ids=(pk,)) for pk in TrainingBody.objects.values_list("pk", flat=True)],
    ]
    england = england_totals()
    return {
        scope_summary_key(scope): {
            **_compute_summary(scope, PipelineFilters(), run, england),
            "listed": listed_counts(scope),
        }
        for scope in scopes
    }


def pipeline_figures_version(run: PipelineRollupRun | None) -> int:
    """The run whose figures `run`'s are: itself, or the earlier run whose figures it kept because its changes moved
    no placement (or it had none). What cached figures are keyed by, so a refresh that changed nothing leaves pages
    cached; "figures as of" still says the latest run's time, as they are that run's figures too.

    One version for every scope rather than one per scope: the small-number rule hides a column where a wider view,
    counted across England, holds 1 to 7 more clinicians (`_columns_near_a_wider_view`), so a change in one region
    can change what another region's or a training body's page may show."""
    if run is None:
        return 0
    return run.same_figures_as or run.pk


def pipeline_summary(user: User, filters: PipelineFilters, run: PipelineRollupRun | None = None) -> dict:
    """Everything the dashboard shows, from the roll-ups of `run` (the latest by default). The unfiltered figures of
    England, of each region and of each training body are stored with the run; others are summed from its roll-up
    tables."""
    scope = pipeline_scope_for(user)
    run = run if run is not None else pipeline_latest_run()
    stored_as = scope_summary_key(scope)
    if run is not None and stored_as and not filters.used:
        # A run that changed no figures stores none: the latest stored up to `run` are its figures.
        stored = (
            PipelineScopeSummary.objects.filter(run_id__lte=run.pk, scope=stored_as)
            .order_by("-run_id")
            .values_list("summary", flat=True)[:1]
        )
        for summary in stored:
            # Else stored before these figures existed (or before the Appointed stage), or under an older
            # small-number rule: compute below.
            if (
                "licence_at_risk" in summary
                and "representation" in summary
                and "outcomes" in summary
                and summary.get("rules") == SUPPRESSION_RULES
            ):
                return {**summary, "version": run.pk, "as_of": run.refreshed_at.isoformat()}
    return _compute_summary(scope, filters, run)


# How long the API keeps a summary: keyed like the dashboard's figures (`pipeline_figures_version`).
SUMMARY_CACHE_SECONDS = 60 * 10


def pipeline_summary_cached(user: User, filters: PipelineFilters, run: PipelineRollupRun | None) -> dict:
    """`pipeline_summary`, kept in the cache under the last run that changed the figures (so a refresh that
    changed nothing serves it again), with the version and time of `run`, whose figures they are too."""
    scope = pipeline_scope_for(user)
    question = f"{pipeline_figures_version(run)}|{scope}|{filters}"
    key = "pipeline-summary:" + hashlib.sha256(question.encode()).hexdigest()
    summary = cache.get_or_set(key, lambda: pipeline_summary(user, filters, run), SUMMARY_CACHE_SECONDS)
    if run is None:
        return summary
    return {**summary, "version": run.pk, "as_of": run.refreshed_at.isoformat()}
