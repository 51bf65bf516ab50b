"""Refreshing the talent-pipeline roll-ups from talent's tables, in one transaction, so readers keep seeing the
previous figures until it commits and no profile is ever loaded into Python.

A **full rebuild** places every counted clinician:

1. one pass over the profiles writes `PipelinePlacement`: each counted clinician's dimensions, furthest stage,
   leader flag, equality answers, leadership qualifications, months to appointment, interest level, the two
   consents and revalidation status (the stage rules are the ORM expressions of `pipeline.stages`, shared with the
   live funnel and the drill-down), and `PipelinePlacementEvent` their events per month in the trends' window;
2. every roll-up table is emptied and refilled with ``INSERT INTO ... SELECT ... GROUP BY`` over those two narrow
   tables (the coarse ones from the full ones);
3. each profile whose stage or leader flag changed gets the new ones (what drill-downs filter on).

An **incremental refresh** does the same for the clinicians whose pipeline facts changed since the run before and
no one else: database triggers (PostgreSQL, pipeline migration 0006) log each changed clinician in `PipelineChange`
in the transaction that changes the fact, and facts that change with time alone (a self-assessment passing twelve
months, a role starting or ending, a revalidation date coming due) are found from their dates. Their previous
placements are taken from the roll-ups and their new ones added (one delta per roll-up cell) and their placements
replaced. When no placement changed (nothing logged, or changes that move no figure), the run stores no summaries
and has the figures of the run before (`same_figures_as`, what cached pages are keyed by). Both kinds build their
rows with the same statements over placement-shaped tables, and the roll-ups' columns are read from the models, so a
dimension added to `PipelineDimensions` flows through both.

A full rebuild runs when there is no earlier one, every `PIPELINE_FULL_REBUILD_HOURS`, when the month turns (the
trends' window moves, the early-career rule counts years) and always on SQLite (`make run`: a few hundred
clinicians, no triggers). On PostgreSQL a transaction-scoped advisory lock makes an overlapping refresh skip rather
than queue (the one already running publishes fresh figures), and the transaction gets enough sort memory for the
grouping to stay in memory.
"""

import logging
import time as clock
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    F,
    IntegerField,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat, TruncDate, TruncMonth
from django.utils import timezone

from config.celery import app, enqueue_on_commit
from config.db import leave_replica
from pipeline.models import (
    PipelineAppointmentRollup,
    PipelineChange,
    PipelineCoarseBackgroundRollup,
    PipelineCoarseDimensions,
    PipelineCoarseRollup,
    PipelineCoarseTrendRollup,
    PipelineDimensions,
    PipelineLicenceRollup,
    PipelineListRollup,
    PipelinePlacement,
    PipelinePlacementEvent,
    PipelineRollup,
    PipelineRollupRun,
    PipelineScopeSummary,
    PipelineTrendRollup,
    RefreshKind,
    RevalidationStatus,
)
from pipeline.selectors import (
    EQUALITY_ATTRIBUTES,
    LEADERSHIP_QUALIFICATIONS,
    NO_LEADERSHIP_QUALIFICATION,
    QUALIFICATION_ATTRIBUTE,
    TREND_MONTHS,
    PipelineScope,
    add_months,
    month_start,
    pipeline_figures_stale,
    pipeline_latest_run,
    pipeline_population,
    pipeline_scope_summaries,
)
from pipeline.stages import ASSESSMENT_WINDOW, PipelineStage, appointments, furthest_stage_expression, leader_q
from pipeline.tasks import refresh_pipeline_rollups_task
from regulators.models import RevalidationRecord
from regulators.revalidation import DUE_SOON_DAYS
from talent.models import (
    AssessmentStatus,
    ClinicianProfile,
    InterestLevel,
    InterestRecord,
    LeadershipExperience,
    Nomination,
    NominationState,
    Qualification,
    SelfAssessment,
    early_career_q,
)

logger = logging.getLogger(__name__)

ADVISORY_LOCK_KEY = 7_000_007
WORK_MEM = "256MB"
# While on, the trigger on profiles ignores their updates: the refresh writes `pipeline_stage` and `pipeline_leader`,
# which are not pipeline facts. Off again straight after, as it would otherwise last the whole transaction.
REFRESHING_SETTING = "pipeline.refreshing"

# Temporary tables of a refresh (dropped before it commits).
CHANGED = "pipeline_changed_tmp"
NEW = "pipeline_placement_new_tmp"
OLD = "pipeline_placement_old_tmp"
NEW_EVENTS = "pipeline_events_new_tmp"
OLD_EVENTS = "pipeline_events_old_tmp"

MEASURES = ("clinicians", "events")
# Changed clinicians an incremental refresh folds in at least; above this and a fifth of everyone, it rebuilds.
FOLD_AT_MOST = 10_000


def _dimension_columns(base) -> list[str]:
    """The filter dimensions of the roll-ups, read from their abstract base, so one added there is stored in the
    placements and folded in like the rest."""
    return [field.column for field in base._meta.local_fields]


DIMENSION_COLUMNS = _dimension_columns(PipelineDimensions)
COARSE_DIMENSION_COLUMNS = _dimension_columns(PipelineCoarseDimensions)
# The order a full rebuild writes roll-up rows in: a region's rows share pages, and within them each training body's,
# so a read filtered by either (through the tables' indexes) touches few pages.
WRITE_ORDER = ["region_id", "training_body_id", "profession"]
# The columns of a placement, in one order for every statement that reads or writes them.
PLACEMENT_COLUMNS = [field.column for field in PipelinePlacement._meta.concrete_fields]


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _execute(sql: str, params=()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _scalar(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _temporary(name: str, select: str, params=()) -> None:
    _execute(f"DROP TABLE IF EXISTS {name}")
    _execute(f"CREATE TEMPORARY TABLE {name} AS {select}", params)


def _drop(*names: str) -> None:
    for name in names:
        _execute(f"DROP TABLE IF EXISTS {name}")


def _lock_or_skip() -> bool:
    """Take the refresh lock for this transaction (PostgreSQL), and enough sort memory that grouping a million
    rows happens in memory rather than in temporary files."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        if not cursor.fetchone()[0]:
            return False
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        return True


# --- Placements: what each counted clinician contributes ------------------------------------------------------------


def _placement_rows(now: datetime, today: date, profiles: RawSQL | None = None) -> QuerySet:
    """Each counted clinician's placement (the columns of `PipelinePlacement`, as d_<column>), of everyone or of the
    profiles `profiles` selects."""
    population = pipeline_population(PipelineScope())
    if profiles is not None:
        population = population.filter(pk__in=profiles)
    qualification_kinds = [
        Case(
            When(pk__in=Qualification.objects.filter(kind=kind).values("profile_id"), then=Value(f"{kind.value},")),
            default=Value(""),
            output_field=CharField(),
        )
        for kind in LEADERSHIP_QUALIFICATIONS
    ]
    rows = population.annotate(
        d_profile_id=F("pk"),
        d_region_id=F("region_id"),
        d_training_body_id=F("training_body_id"),
        d_profession=F("profession"),
        d_career_stage=F("career_stage"),
        d_specialty=F("specialty"),
        d_early_career=Case(
            When(early_career_q("", today), then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        d_joined_month=TruncMonth("created_at", output_field=DateField()),
        d_stage=furthest_stage_expression(now),
        d_leader=Case(When(leader_q(today=today), then=Value(True)), default=Value(False)),
        # Equality answers ride along (one join here instead of one per answer later); "" when not answered.
        **{
            f"d_{attribute}": Coalesce(F(f"equality_monitoring__{attribute}"), Value(""))
            for attribute in EQUALITY_ATTRIBUTES
        },
        # ",kind,kind," for the leadership qualifications held, "," for none.
        d_qualifications=Concat(Value(","), *qualification_kinds, output_field=CharField()),
        # Filled in afterwards by `_months_to_appointment_fill`, from set-based joins rather than per profile.
        d_months_to_appointment=RawSQL("NULL", (), output_field=IntegerField()),
        # What the staff lists filter on besides the dimensions, and the consents that decide who may list them.
        d_interest_level=F("current_interest_level"),
        d_shares_with_hee=F("shares_with_hee"),
        d_shares_with_training_body=F("shares_with_training_body"),
        # Revalidation on the day of the refresh (`regulators.revalidation`'s rule): licence at risk counts it for
        # those in a leadership role.
        d_revalidation_status=Case(
            When(revalidation_record__isnull=True, then=Value(RevalidationStatus.WITHOUT_DATE.value)),
            When(revalidation_record__next_due_on__lt=today, then=Value(RevalidationStatus.OVERDUE.value)),
            When(
                revalidation_record__next_due_on__lte=today + timedelta(days=DUE_SOON_DAYS),
                then=Value(RevalidationStatus.DUE_SOON.value),
            ),
            default=Value(RevalidationStatus.ON_TRACK.value),
            output_field=CharField(),
        ),
    )
    return rows.values(*[f"d_{column}" for column in PLACEMENT_COLUMNS]).order_by()


def _placements_insert(table: str, now: datetime, today: date, profiles: RawSQL | None = None) -> int:
    sql, params = _placement_rows(now, today, profiles).query.sql_with_params()
    columns = ", ".join(_quote(column) for column in PLACEMENT_COLUMNS)
    return _execute(f"INSERT INTO {table} ({columns}) {sql}", params)


# Whole months from a number of days: 30.4375 days (a year of 365.25 days over 12) in integers, which both databases
# divide exactly the same way.
DAYS_PER_MONTH_NUMERATOR, DAYS_PER_MONTH_DENOMINATOR = 400, 12175


def _months_to_appointment_fill(table: str, today: date, profiles: RawSQL | None = None) -> None:
    """Per clinician appointed on or after their first recorded interest of Curious or above: whole months from that
    first interest to the start of their first appointment (service level or above) on or after it. Computed here,
    once a refresh, rather than on a page: the median a page shows then sums a few rows per profession and month
    (`PipelineAppointmentRollup`) however many clinicians there are (DESIGN.md section 8), and every filter of the
    dashboard applies to it as to the other roll-ups."""
    interests = InterestRecord.objects.not_corrected().filter(level__gte=InterestLevel.CURIOUS)
    appointed_rows = appointments(today)
    if profiles is not None:
        interests = interests.filter(profile_id__in=profiles)
        appointed_rows = appointed_rows.filter(profile_id__in=profiles)
    interested, interested_params = (
        interests.values("profile_id")
        .annotate(interested_on=Min(TruncDate("recorded_at")))
        .order_by()
        .query.sql_with_params()
    )
    appointed, appointed_params = appointed_rows.values("profile_id", "start_date").order_by().query.sql_with_params()
    if connection.vendor == "postgresql":
        days = "(t.appointed_on - t.interested_on)"
    else:
        days = "CAST(julianday(t.appointed_on) - julianday(t.interested_on) AS INTEGER)"
    months = f"({days} * {DAYS_PER_MONTH_NUMERATOR}) / {DAYS_PER_MONTH_DENOMINATOR}"
    first_appointments = (
        f"SELECT t.profile_id AS profile_id, {months} AS months FROM ("  # noqa: S608 - constant names
        f"SELECT i.profile_id AS profile_id, i.interested_on AS interested_on, MIN(a.start_date) AS appointed_on "
        f"FROM ({interested}) i JOIN ({appointed}) a "
        f"ON a.profile_id = i.profile_id AND a.start_date >= i.interested_on "
        f"GROUP BY i.profile_id, i.interested_on) t"
    )
    params = (*interested_params, *appointed_params)
    if connection.vendor == "postgresql":
        _execute(
            f"UPDATE {table} SET months_to_appointment = f.months FROM ({first_appointments}) f "  # noqa: S608
            f"WHERE {table}.profile_id = f.profile_id",
            params,
        )
    else:
        # SQLite (make run: a few hundred profiles): correlated subqueries, which every SQLite version Django
        # supports understands (UPDATE ... FROM needs 3.33).
        _execute(
            f"UPDATE {table} SET months_to_appointment = (SELECT f.months FROM ({first_appointments}) f "  # noqa: S608
            f"WHERE f.profile_id = {table}.profile_id)",
            params,
        )


def _event_rows(events: QuerySet, at: str, metric) -> tuple[str, tuple]:
    rows = events.annotate(
        e_profile_id=F("profile_id"), e_month=TruncMonth(at, output_field=DateField()), e_metric=metric
    ).values("e_profile_id", "e_month", "e_metric")
    return rows.order_by().query.sql_with_params()


def _events_insert(table: str, placements: str, today: date, profiles: RawSQL | None = None) -> None:
    """Each placed clinician's events per month and trend series in the trends' window: interest records by level,
    completed self-assessments, nominations submitted and approved, appointments by the month they start."""
    first_month = add_months(month_start(today), -(TREND_MONTHS - 1))
    start = timezone.make_aware(datetime.combine(first_month, datetime.min.time()))

    def mine(events: QuerySet) -> QuerySet:
        return events if profiles is None else events.filter(profile_id__in=profiles)

    sources = [
        _event_rows(
            mine(InterestRecord.objects.not_corrected().filter(recorded_at__gte=start)),
            "recorded_at",
            Case(*[When(level=level, then=Value(f"interest_{level.value}")) for level in InterestLevel]),
        ),
        _event_rows(
            mine(SelfAssessment.objects.filter(status=AssessmentStatus.COMPLETED, completed_at__gte=start)),
            "completed_at",
            Value("assessments"),
        ),
        _event_rows(
            mine(Nomination.objects.filter(submitted_at__gte=start)), "submitted_at", Value("nominations_submitted")
        ),
        _event_rows(
            mine(Nomination.objects.filter(state=NominationState.APPROVED, decided_at__gte=start)),
            "decided_at",
            Value("nominations_approved"),
        ),
        # By the month the appointment starts (a date, so no time zone to mind).
        _event_rows(mine(appointments(today).filter(start_date__gte=first_month)), "start_date", Value("appointments")),
    ]
    for sql, params in sources:
        _execute(
            f"INSERT INTO {table} (profile_id, month, metric, events) "  # noqa: S608 - constant names
            f"SELECT e.e_profile_id, e.e_month, e.e_metric, COUNT(*) FROM ({sql}) e "
            f"JOIN {placements} p ON p.profile_id = e.e_profile_id GROUP BY e.e_profile_id, e.e_month, e.e_metric",
            params,
        )


# --- Roll-up rows from placements ----------------------------------------------------------------------------------


def _cell_columns(model) -> list[str]:
    """What a roll-up row is counted by: every column but its id and its count."""
    return [
        field.column for field in model._meta.concrete_fields if not field.primary_key and field.column not in MEASURES
    ]


def _measure(model) -> str:
    return next(field.column for field in model._meta.concrete_fields if field.column in MEASURES)


def _grouped(model, source: str, measure: str, sign: int, given=None, where: str = "", params=()) -> tuple[str, list]:
    """SELECT of `model`'s cell columns and count from `source` (placements as p, events as e), grouped. A column is
    the placement's own of that name unless `given` says otherwise (SQL, and its parameters)."""
    given = given or {}
    expressions, select_params, groups = [], [], []
    for column in _cell_columns(model):
        if column in given:
            expression, expression_params = given[column]
        else:
            expression, expression_params = f"p.{_quote(column)}", ()
        expressions.append(expression)
        select_params.extend(expression_params)
        if not expression_params and not expression.startswith("CAST(NULL"):
            groups.append(expression)
    measure = measure if sign > 0 else f"-{measure}"
    sql = f"SELECT {', '.join(expressions)}, {measure} FROM {source}"  # noqa: S608 - constant names
    if where:
        sql += f" WHERE {where}"
    sql += f" GROUP BY {', '.join(groups)}"
    return sql, [*select_params, *params]


def _rows_from_placements(model, placements: str, events: str, sign: int = 1) -> list[tuple[str, list]]:
    """The rows `model` gets from the clinicians in `placements` (and their `events`), as SELECT statements each
    giving distinct cells: the cell columns then the count (negated when `sign` is -1)."""
    source = f"{placements} p"
    if model in (PipelineRollup, PipelineListRollup):
        return [_grouped(model, source, "COUNT(*)", sign)]
    if model is PipelineLicenceRollup:
        return [
            _grouped(
                model,
                source,
                "COUNT(*)",
                sign,
                {"status": ("p.revalidation_status", ())},
                where="p.stage = %s",
                params=(int(PipelineStage.IN_ROLE),),
            )
        ]
    if model is PipelineAppointmentRollup:
        return [
            _grouped(
                model,
                source,
                "COUNT(*)",
                sign,
                {"months": ("p.months_to_appointment", ())},
                where="p.months_to_appointment IS NOT NULL",
            )
        ]
    if model is PipelineTrendRollup:
        return [
            _grouped(
                model,
                f"{source} JOIN {events} e ON e.profile_id = p.profile_id",
                "SUM(e.events)",
                sign,
                {"month": ("e.month", ()), "metric": ("e.metric", ())},
            )
        ]
    if model is PipelineCoarseBackgroundRollup:
        return _background_rows(model, source, sign)
    raise ValueError(f"{model.__name__} is not made from placements")


def _background_rows(model, source: str, sign: int) -> list[tuple[str, list]]:
    """Backgrounds by the coarse dimensions: each clinician once per equality question, with their furthest stage
    (for the relative likelihood of moving on), and once per kind of leadership qualification they hold ("none"
    for those with none of them; no stage). There is no table by every dimension: it would hold more rows than
    there are clinicians (5.6 million at a million clinicians, most of a refresh's time); specialty and date-range
    views group the placed profiles instead (`pipeline.selectors.figures`)."""
    rows = [
        _grouped(model, source, "COUNT(*)", sign, {"attribute": ("%s", (attribute,)), "value": (f"p.{attribute}", ())})
        for attribute in EQUALITY_ATTRIBUTES
    ]
    no_stage = {"stage": ("CAST(NULL AS smallint)", ()), "attribute": ("%s", (QUALIFICATION_ATTRIBUTE,))}
    for kind in LEADERSHIP_QUALIFICATIONS:
        rows.append(
            _grouped(
                model,
                source,
                "COUNT(*)",
                sign,
                {**no_stage, "value": ("%s", (kind.value,))},
                where="p.qualifications LIKE %s",
                params=(f"%,{kind.value},%",),
            )
        )
    rows.append(
        _grouped(
            model,
            source,
            "COUNT(*)",
            sign,
            {**no_stage, "value": ("%s", (NO_LEADERSHIP_QUALIFICATION,))},
            where="p.qualifications = %s",
            params=(",",),
        )
    )
    return rows


def _coarse_rows(coarse, full_table: str, measure: str) -> str:
    """`coarse`'s rows summed from a full roll-up's (or their deltas): far fewer rows to sum later."""
    columns = ", ".join(_quote(column) for column in _cell_columns(coarse))
    return f"SELECT {columns}, SUM({_quote(measure)}) AS n FROM {full_table} GROUP BY {columns}"  # noqa: S608


# Roll-ups made from the placements, and those summed from one of them over specialty and month joined.
FROM_PLACEMENTS = [
    PipelineRollup,
    PipelineTrendRollup,
    PipelineAppointmentRollup,
    PipelineCoarseBackgroundRollup,
    PipelineListRollup,
    PipelineLicenceRollup,
]
COARSE_TABLES = [
    (PipelineRollup, PipelineCoarseRollup, ["stage", "leader"], "clinicians"),
    (PipelineTrendRollup, PipelineCoarseTrendRollup, ["month", "metric"], "events"),
]
ROLLUP_TABLES = [*FROM_PLACEMENTS, *[coarse for _, coarse, *_ in COARSE_TABLES]]


def _insert(model, select: str, params=()) -> None:
    target = ", ".join(_quote(column) for column in [*_cell_columns(model), _measure(model)])
    _execute(f"INSERT INTO {_quote(model._meta.db_table)} ({target}) {select}", params)


def _in_write_order(model, select: str) -> str:
    """`select` (of `model`'s cell columns, then its count) with its rows in `WRITE_ORDER`."""
    positions = ", ".join(str(_cell_columns(model).index(column) + 1) for column in WRITE_ORDER)
    return f"{select} ORDER BY {positions}"


# --- The full rebuild -----------------------------------------------------------------------------------------------

# Placements changed in one refresh above which the profile table's statistics are brought up to date at once.
PLACEMENTS_BEFORE_ANALYZE = 50_000


def _profile_stages_write(placements: str, changed: str | None = None) -> int:
    """Write each clinician's furthest stage and leader flag onto their profile, only where they changed (a few
    rows a refresh), so drill-downs filter by the same placement the counts were made from. Profiles no longer
    counted (inactive accounts) are cleared: all of them, or those among `changed`. Run after the roll-ups, so the
    changed rows stay locked only for the last moments of the refresh."""
    profile = _quote(ClinicianProfile._meta.db_table)
    if connection.vendor == "postgresql":
        _execute("SELECT set_config(%s, 'on', true)", [REFRESHING_SETTING])
        placed = _execute(
            f"UPDATE {profile} SET pipeline_stage = m.stage, pipeline_leader = m.leader "  # noqa: S608
            f"FROM {placements} m WHERE {profile}.id = m.profile_id "
            f"AND ({profile}.pipeline_stage IS DISTINCT FROM m.stage OR {profile}.pipeline_leader <> m.leader)"
        )
    else:
        member = f"FROM {placements} m WHERE m.profile_id = {profile}.id"
        placed = _execute(
            f"UPDATE {profile} SET pipeline_stage = (SELECT m.stage {member}), "  # noqa: S608 - constants
            f"pipeline_leader = (SELECT m.leader {member}) WHERE EXISTS (SELECT 1 {member})"
        )
    among = f"AND {profile}.id IN (SELECT profile_id FROM {changed}) " if changed else ""  # noqa: S608
    _execute(
        f"UPDATE {profile} SET pipeline_stage = NULL, pipeline_leader = %s "  # noqa: S608 - constants
        f"WHERE pipeline_stage IS NOT NULL {among}"
        f"AND NOT EXISTS (SELECT 1 FROM {placements} m WHERE m.profile_id = {profile}.id)",
        [False],
    )
    if connection.vendor == "postgresql":
        _execute("SELECT set_config(%s, 'off', true)", [REFRESHING_SETTING])
    return placed


def _rebuild(now: datetime, today: date, phase) -> int:
    """Every placement and roll-up row from the base tables. Returns how many clinicians were placed."""
    placements = _quote(PipelinePlacement._meta.db_table)
    events = _quote(PipelinePlacementEvent._meta.db_table)
    # Changes logged until now are in what follows; those committed later stay for the next run.
    phase("changes", lambda: _execute(f"DELETE FROM {_quote(PipelineChange._meta.db_table)}"))  # noqa: S608

    def place() -> None:
        _execute(f"DELETE FROM {placements}")  # noqa: S608 - our own table names
        _execute(f"DELETE FROM {events}")  # noqa: S608
        _placements_insert(placements, now, today)
        _months_to_appointment_fill(placements, today)
        if connection.vendor == "postgresql":
            _execute(f"ANALYZE {placements}")
        _events_insert(events, placements, today)

    phase("placements", place)

    def empty() -> None:
        for model in ROLLUP_TABLES:
            _execute(f"DELETE FROM {_quote(model._meta.db_table)}")  # noqa: S608 - our own table names

    phase("delete", empty)
    for model in FROM_PLACEMENTS:

        def fill(model=model) -> None:
            for select, params in _rows_from_placements(model, placements, events):
                _insert(model, _in_write_order(model, select), params)

        phase(model._meta.db_table, fill)
    for full, coarse, *_ in COARSE_TABLES:
        phase(
            coarse._meta.db_table,
            lambda full=full, coarse=coarse: _insert(
                coarse, _in_write_order(coarse, _coarse_rows(coarse, _quote(full._meta.db_table), _measure(full)))
            ),
        )

    def stages() -> None:
        if _profile_stages_write(placements) >= PLACEMENTS_BEFORE_ANALYZE and connection.vendor == "postgresql":
            # The first refresh of a freshly loaded database places everyone. Until the statistics know it, the
            # planner takes `pipeline_stage >= 1` to match almost nobody and sorts a third of the table for each
            # drill-down page instead of walking an index, until autovacuum gets round to it.
            _execute(f"ANALYZE {_quote(ClinicianProfile._meta.db_table)}")

    phase("profile stages", stages)
    return PipelinePlacement.objects.count()


# --- The incremental refresh ----------------------------------------------------------------------------------------


def _changed_by_time(previous: datetime, now: datetime) -> list[QuerySet]:
    """Profiles whose pipeline facts changed with time alone since the run before (their ids): a self-assessment
    passing twelve months, a role starting (roles may be recorded ahead) or ending, a revalidation date becoming
    overdue or coming within the due-soon window (licence at risk). The early-career rule's years and the trends'
    months only change when the month turns, which brings a full rebuild."""
    before, today = timezone.localdate(previous), timezone.localdate(now)
    changed = [
        SelfAssessment.objects.filter(
            status=AssessmentStatus.COMPLETED,
            completed_at__gte=previous - ASSESSMENT_WINDOW,
            completed_at__lt=now - ASSESSMENT_WINDOW,
        ).values("profile_id")
    ]
    if today > before:
        soon = timedelta(days=DUE_SOON_DAYS)
        changed += [
            LeadershipExperience.objects.filter(start_date__gt=before, start_date__lte=today).values("profile_id"),
            LeadershipExperience.objects.filter(end_date__gte=before, end_date__lt=today).values("profile_id"),
            RevalidationRecord.objects.filter(next_due_on__gte=before, next_due_on__lt=today).values("profile_id"),
            RevalidationRecord.objects.filter(next_due_on__gt=before + soon, next_due_on__lte=today + soon).values(
                "profile_id"
            ),
        ]
    return changed


def _changes_take(previous: datetime, now: datetime) -> int:
    """Fill CHANGED with the profiles to fold in, taking the logged changes: those committed after this statement
    stay for the next run, and a refresh that fails leaves them all in place."""
    raw = f"{CHANGED}_raw"
    _temporary(raw, "SELECT CAST(NULL AS uuid) AS profile_id WHERE FALSE")
    log = _quote(PipelineChange._meta.db_table)
    _execute(
        f"WITH taken AS (DELETE FROM {log} RETURNING profile_id) "  # noqa: S608 - constant names
        f"INSERT INTO {raw} (profile_id) SELECT profile_id FROM taken"
    )
    for profiles in _changed_by_time(previous, now):
        sql, params = profiles.query.sql_with_params()
        _execute(f"INSERT INTO {raw} (profile_id) SELECT profile_id FROM ({sql}) c", params)  # noqa: S608
    _temporary(CHANGED, f"SELECT DISTINCT profile_id FROM {raw}")  # noqa: S608
    _drop(raw)
    _execute(f"ALTER TABLE {CHANGED} ADD PRIMARY KEY (profile_id)")
    _execute(f"ANALYZE {CHANGED}")
    return _scalar(f"SELECT COUNT(*) FROM {CHANGED}")  # noqa: S608


def _delta(model, name: str, selects: list[tuple[str, list]]) -> None:
    """A temporary table `name` of `model`'s cells with the sum of the signed counts `selects` give, where not 0."""
    cells = ", ".join(_quote(column) for column in _cell_columns(model))
    union = " UNION ALL ".join(f"({select})" for select, _ in selects)
    params = [param for _, select_params in selects for param in select_params]
    _temporary(
        name,
        f"SELECT {cells}, SUM(n) AS n FROM ({union}) d ({cells}, n) GROUP BY {cells} HAVING SUM(n) <> 0",  # noqa: S608
        params,
    )
    _execute(f"ANALYZE {name}")


def _same(field) -> str:
    """The condition that a roll-up row `t` and a delta `d` agree on `field`: empty ids as -1, as the cell index has
    them (so it finds the row), other empty values compared as empty."""
    c = _quote(field.column)
    if not field.null:
        return f"t.{c} = d.{c}"
    if isinstance(field, IntegerField):
        return f"COALESCE(t.{c}, -1) = COALESCE(d.{c}, -1)"
    return f"(t.{c} = d.{c} OR (t.{c} IS NULL AND d.{c} IS NULL))"


def _fold(model, delta: str) -> int:
    """Add each cell's delta to `model`'s row of that cell: new cells get a row, cells down to nothing lose theirs.
    A cell would go below zero only if the placements and the roll-ups disagreed, which the count's check constraint
    refuses (the refresh then rebuilds in full)."""
    table = _quote(model._meta.db_table)
    measure = _quote(_measure(model))
    match = " AND ".join(_same(field) for field in model._meta.concrete_fields if field.column in _cell_columns(model))
    cells = ", ".join(f"d.{_quote(column)}" for column in _cell_columns(model))
    target = ", ".join(_quote(column) for column in _cell_columns(model))
    changed = _execute(f"UPDATE {table} AS t SET {measure} = t.{measure} + d.n FROM {delta} d WHERE {match}")  # noqa: S608
    changed += _execute(
        f"INSERT INTO {table} ({target}, {measure}) SELECT {cells}, d.n FROM {delta} d "  # noqa: S608
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {match})"
    )
    _execute(f"DELETE FROM {table} AS t WHERE t.{measure} = 0 AND EXISTS (SELECT 1 FROM {delta} d WHERE {match})")  # noqa: S608
    return changed


def _figures_changed() -> bool:
    """Whether any changed clinician's placement or events differ from their previous ones (licence at risk and the
    staff lists' totals included: revalidation status, interest level and consents are placed too). When none does,
    every roll-up row and stored summary is as it was, and the run has the figures of the one before."""
    columns = [_quote(column) for column in PLACEMENT_COLUMNS]
    new_row = ", ".join(f"n.{column}" for column in columns)
    old_row = ", ".join(f"o.{column}" for column in columns)
    return _scalar(
        f"SELECT EXISTS (SELECT 1 FROM {NEW} n FULL JOIN {OLD} o ON o.profile_id = n.profile_id "  # noqa: S608
        f"WHERE ({new_row}) IS DISTINCT FROM ({old_row})) "
        f"OR EXISTS (SELECT 1 FROM {NEW_EVENTS} n FULL JOIN {OLD_EVENTS} o "
        f"ON o.profile_id = n.profile_id AND o.month = n.month AND o.metric = n.metric "
        f"WHERE n.events IS DISTINCT FROM o.events)"
    )


def _fold_changes(now: datetime, today: date, phase) -> bool:
    """Fold the changed clinicians (CHANGED) into the roll-ups. Returns whether any figure changed."""
    placements = _quote(PipelinePlacement._meta.db_table)
    events = _quote(PipelinePlacementEvent._meta.db_table)
    changed = RawSQL(f"SELECT profile_id FROM {CHANGED}", ())  # noqa: S608, S611 - a constant name

    def place() -> None:
        _temporary(OLD, f"SELECT * FROM {placements} WHERE profile_id IN (SELECT profile_id FROM {CHANGED})")  # noqa: S608
        _temporary(NEW, f"SELECT * FROM {placements} WHERE FALSE")  # noqa: S608
        _placements_insert(NEW, now, today, changed)
        _months_to_appointment_fill(NEW, today, changed)
        _temporary(OLD_EVENTS, f"SELECT * FROM {events} WHERE profile_id IN (SELECT profile_id FROM {CHANGED})")  # noqa: S608
        _temporary(NEW_EVENTS, f"SELECT * FROM {events} WHERE FALSE")  # noqa: S608
        _events_insert(NEW_EVENTS, NEW, today, changed)
        for table in (OLD, NEW, OLD_EVENTS, NEW_EVENTS):
            _execute(f"ANALYZE {table}")

    phase("placements", place)
    changed_figures = _figures_changed()
    deltas = []
    for model in FROM_PLACEMENTS:

        def fold(model=model) -> None:
            delta = f"pipeline_delta_{model._meta.db_table}"
            _delta(
                model,
                delta,
                [
                    *_rows_from_placements(model, NEW, NEW_EVENTS),
                    *_rows_from_placements(model, OLD, OLD_EVENTS, sign=-1),
                ],
            )
            deltas.append(delta)
            _fold(model, delta)
            for full, coarse, *_ in COARSE_TABLES:
                if full is model:
                    coarse_delta = f"pipeline_delta_{coarse._meta.db_table}"
                    _temporary(coarse_delta, f"{_coarse_rows(coarse, delta, 'n')} HAVING SUM(n) <> 0")
                    deltas.append(coarse_delta)
                    _fold(coarse, coarse_delta)

        phase(model._meta.db_table, fold)

    def replace() -> None:
        _execute(f"DELETE FROM {placements} WHERE profile_id IN (SELECT profile_id FROM {CHANGED})")  # noqa: S608
        _execute(f"INSERT INTO {placements} SELECT * FROM {NEW}")  # noqa: S608
        _execute(f"DELETE FROM {events} WHERE profile_id IN (SELECT profile_id FROM {CHANGED})")  # noqa: S608
        columns = ", ".join(_quote(column) for column in ("profile_id", "month", "metric", "events"))
        _execute(f"INSERT INTO {events} ({columns}) SELECT {columns} FROM {NEW_EVENTS}")  # noqa: S608

    phase("replace", replace)
    phase("profile stages", lambda: _profile_stages_write(NEW, CHANGED))
    _drop(OLD, NEW, OLD_EVENTS, NEW_EVENTS, *deltas)
    return changed_figures


def _kind(now: datetime, full: bool | None) -> str:
    """Full when asked, on SQLite, when no earlier full rebuild left placements (or a crash emptied them: they are
    unlogged), every PIPELINE_FULL_REBUILD_HOURS (unless asked for an incremental one), when the month turned since
    the run before or the clock went back."""
    if full or connection.vendor != "postgresql":
        return RefreshKind.FULL
    latest = pipeline_latest_run()
    last_full = PipelineRollupRun.objects.filter(kind=RefreshKind.FULL).order_by("-refreshed_at", "-pk").first()
    if latest is None or last_full is None or latest.kind not in RefreshKind.values:
        return RefreshKind.FULL
    if latest.clinicians and not PipelinePlacement.objects.exists():
        return RefreshKind.FULL  # the placements (unlogged) were emptied by a crash
    if now < latest.refreshed_at:
        return RefreshKind.FULL
    if month_start(timezone.localdate(now)) != month_start(timezone.localdate(latest.refreshed_at)):
        return RefreshKind.FULL
    if full is None and now - last_full.refreshed_at >= timedelta(hours=settings.PIPELINE_FULL_REBUILD_HOURS):
        return RefreshKind.FULL
    return RefreshKind.INCREMENTAL


def _history_prune(run: PipelineRollupRun) -> None:
    """Older runs are only kept as a short history of refresh times, with the last full rebuild (when the next is
    due) and every run whose stored figures are still a scope's latest. Each scope keeps its latest summary up to
    the run before this one (pages that read that run just before this one was committed) and any newer."""
    previous = PipelineRollupRun.objects.filter(pk__lt=run.pk).order_by("-pk").values_list("pk", flat=True).first()
    if previous is not None:
        newest = (
            PipelineScopeSummary.objects.filter(scope=OuterRef("scope"), run_id__lte=previous)
            .order_by("-run_id")
            .values("run_id")[:1]
        )
        PipelineScopeSummary.objects.filter(run_id__lt=Subquery(newest)).delete()
    last_full = PipelineRollupRun.objects.filter(kind=RefreshKind.FULL).order_by("-pk").values_list("pk", flat=True)
    (
        PipelineRollupRun.objects.filter(pk__lt=run.pk - 50)
        .exclude(pk=run.same_figures_as)
        .exclude(pk__in=last_full[:1])
        .exclude(pk__in=PipelineScopeSummary.objects.values("run_id"))
        .delete()
    )


def pipeline_rollups_refresh(*, now: datetime | None = None, full: bool | None = None) -> None:
    """Refresh the pipeline roll-ups in one transaction and record the run (its time is what "figures as of"
    shows): a full rebuild or an incremental one (`full` None lets the refresh choose; see the module's docstring).
    Skips quietly when another refresh holds the lock (PostgreSQL)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    started = clock.monotonic()
    with transaction.atomic():
        if not _lock_or_skip():
            logger.info("Pipeline roll-ups are already being refreshed; skipped.")
            return
        phases = {}

        def phase(name: str, step) -> None:
            begun = clock.monotonic()
            step()
            phases[name] = int((clock.monotonic() - begun) * 1000)

        kind = _kind(now, full)
        changed, same_figures_as = 0, None
        if kind == RefreshKind.INCREMENTAL:
            previous = pipeline_latest_run()
            try:
                with transaction.atomic():
                    changed = _changes_take(previous.refreshed_at, now)
                    if changed > max(FOLD_AT_MOST, previous.clinicians // 5):
                        # So many changed (a bulk import) that placing everyone afresh is quicker.
                        kind = RefreshKind.FULL
                    elif not (changed and _fold_changes(now, today, phase)):
                        same_figures_as = previous.same_figures_as or previous.pk
                    _drop(CHANGED)
            except DatabaseError:
                # The placements and the roll-ups disagreed (a bug, or tables written by hand): start again.
                logger.exception("Folding in the changed clinicians failed; rebuilding the pipeline roll-ups in full.")
                kind, same_figures_as, phases = RefreshKind.FULL, None, {}
        if kind == RefreshKind.FULL:
            changed = _rebuild(now, today, phase)
        clinicians = PipelineCoarseRollup.objects.aggregate(n=Sum("clinicians"))["n"] or 0
        run = PipelineRollupRun.objects.create(
            refreshed_at=now,
            duration_ms=int((clock.monotonic() - started) * 1000),
            clinicians=clinicians,
            kind=kind,
            changed=changed,
            same_figures_as=same_figures_as,
        )
        if same_figures_as is None:
            phase(
                "summaries",
                lambda: PipelineScopeSummary.objects.bulk_create(
                    PipelineScopeSummary(run=run, scope=scope, summary=summary)
                    for scope, summary in pipeline_scope_summaries(run).items()
                ),
            )
        run.duration_ms = int((clock.monotonic() - started) * 1000)
        run.save(update_fields=["duration_ms"])
        _history_prune(run)
    logger.info(
        "Pipeline roll-ups refreshed (%s): %s clinicians folded in, %s counted, in %s ms (%s).",
        kind,
        changed,
        clinicians,
        run.duration_ms,
        phases,
    )


REFRESH_QUEUED_KEY = "pipeline-refresh-queued"


def pipeline_fresh_run():
    """The roll-up run whose figures to show, never more than MAX_AGE (5 minutes) old when it can be helped.

    Stale (or no) figures are rebuilt right away when tasks run in-process (`make run`, no broker) or when there are
    none yet. With a worker, the beat refreshes every 2 minutes; if figures are stale anyway (the beat stopped), a
    refresh is queued (at most once a minute) and the last figures are shown meanwhile, with their time, rather than
    holding a page for the length of a rebuild.
    """
    run = pipeline_latest_run()
    if not pipeline_figures_stale(run):
        return run
    # Read from a replica, the figures may only be stale there: the primary decides, and if this request rebuilds
    # them it reads them back from where it wrote them.
    leave_replica()
    run = pipeline_latest_run()
    if not pipeline_figures_stale(run):
        return run
    if run is None or app.conf.task_always_eager:
        pipeline_rollups_refresh()
        return pipeline_latest_run()
    if cache.add(REFRESH_QUEUED_KEY, True, 60):
        enqueue_on_commit(refresh_pipeline_rollups_task)
    return run
