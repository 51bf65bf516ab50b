"""Rebuilding the talent-pipeline roll-ups from talent's tables.

Set-based, in one transaction, so readers keep seeing the previous figures until it commits and no profile is ever
loaded into Python:

1. one pass over the profiles writes a temporary table of members: each counted clinician's dimensions, furthest
   stage, leader flag and equality answers (the stage rules are the ORM expressions of `pipeline.stages`, shared
   with the live funnel and the drill-down);
2. every roll-up table is emptied and refilled with ``INSERT INTO ... SELECT ... GROUP BY`` statements over that
   narrow table, joined to the qualifications and dated events;
3. each profile whose stage or leader flag changed gets the new ones (what drill-downs filter on).

It runs on PostgreSQL and on SQLite (`make run`). On PostgreSQL a transaction-scoped advisory lock makes an
overlapping refresh skip rather than queue (the one already running publishes fresh figures), and the transaction
gets enough sort memory for the grouping to stay in memory.
"""

import logging
import time as clock
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import BooleanField, Case, DateField, F, Min, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from config.celery import app, enqueue_on_commit
from config.db import leave_replica
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
from pipeline.stages import PipelineStage, appointments, furthest_stage_expression, leader_q
from pipeline.tasks import refresh_pipeline_rollups_task
from regulators.models import RevalidationRecord
from regulators.revalidation import DUE_SOON_DAYS
from talent.models import (
    AssessmentStatus,
    ClinicianProfile,
    InterestLevel,
    InterestRecord,
    Nomination,
    NominationState,
    SelfAssessment,
    early_career_q,
)

logger = logging.getLogger(__name__)

ADVISORY_LOCK_KEY = 7_000_007
WORK_MEM = "256MB"
MEMBERS = "pipeline_members_tmp"
DIMENSION_COLUMNS = [
    "region_id",
    "training_body_id",
    "profession",
    "career_stage",
    "specialty",
    "early_career",
    "joined_month",
]
DIMS = ", ".join(f"m.d_{column}" for column in DIMENSION_COLUMNS)
# The order roll-up rows are written in: a region's rows share pages, and within them each training body's, so a read
# filtered by either (through the tables' indexes) touches few pages.
WRITE_ORDER = ["region_id", "training_body_id", "profession"]
MEMBERS_ORDER = "ORDER BY " + ", ".join(f"m.d_{column}" for column in WRITE_ORDER)
COARSE_DIMENSION_COLUMNS = [column for column in DIMENSION_COLUMNS if column not in ("specialty", "joined_month")]
# What the staff lists filter on besides the dimensions, and the consents that decide who may list a clinician:
# carried by the members for `PipelineListRollup`.
LIST_COLUMNS = {
    "d_interest_level": F("current_interest_level"),
    "d_shares_with_hee": F("shares_with_hee"),
    "d_shares_with_training_body": F("shares_with_training_body"),
}


def _execute(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


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


def _members_create(now: datetime, today) -> None:
    """The temporary table of counted clinicians: d_profile_id, the dimensions, d_stage and d_leader."""
    rows = (
        pipeline_population(PipelineScope())
        .annotate(
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
            **LIST_COLUMNS,
            # Equality answers ride along (one join here instead of one per answer later); "" when not answered.
            **{
                f"e_{attribute}": Coalesce(F(f"equality_monitoring__{attribute}"), Value(""))
                for attribute in EQUALITY_ATTRIBUTES
            },
        )
        .values(
            "d_profile_id",
            *[f"d_{column}" for column in DIMENSION_COLUMNS],
            "d_stage",
            "d_leader",
            *LIST_COLUMNS,
            *[f"e_{attribute}" for attribute in EQUALITY_ATTRIBUTES],
        )
        .order_by()
    )
    sql, params = rows.query.sql_with_params()
    _execute(f"DROP TABLE IF EXISTS {MEMBERS}")
    _execute(f"CREATE TEMPORARY TABLE {MEMBERS} AS {sql}", params)
    _execute(f"CREATE INDEX {MEMBERS}_profile ON {MEMBERS} (d_profile_id)")
    if connection.vendor == "postgresql":
        _execute(f"ANALYZE {MEMBERS}")


def _insert(model, columns: list[str], select: str, params=()) -> None:
    quote = connection.ops.quote_name
    target = ", ".join(quote(column) for column in columns)
    _execute(f"INSERT INTO {quote(model._meta.db_table)} ({target}) {select}", params)


def _refresh_funnel() -> None:
    _insert(
        PipelineRollup,
        [*DIMENSION_COLUMNS, "stage", "leader", "clinicians"],
        f"SELECT {DIMS}, m.d_stage, m.d_leader, COUNT(*) FROM {MEMBERS} m "  # noqa: S608 - constant names
        f"GROUP BY {DIMS}, m.d_stage, m.d_leader {MEMBERS_ORDER}",
    )


def _refresh_list_totals() -> None:
    """Clinicians by what the staff lists filter on and the two consents (`PipelineListRollup`)."""
    dims = ", ".join(f"m.d_{column}" for column in COARSE_DIMENSION_COLUMNS)
    keys = "m.d_interest_level, m.d_stage, m.d_leader, m.d_shares_with_hee, m.d_shares_with_training_body"
    _insert(
        PipelineListRollup,
        [
            *COARSE_DIMENSION_COLUMNS,
            "interest_level",
            "stage",
            "leader",
            "shares_with_hee",
            "shares_with_training_body",
            "clinicians",
        ],
        f"SELECT {dims}, {keys}, COUNT(*) FROM {MEMBERS} m "  # noqa: S608 - constant names
        f"GROUP BY {dims}, {keys} {MEMBERS_ORDER}",
    )


def _refresh_licence(today) -> None:
    """The clinicians in a leadership role (furthest stage) by dimensions and revalidation status on `today`
    (`PipelineLicenceRollup`): overdue, due within 90 days, on track, or no date recorded."""
    record = connection.ops.quote_name(RevalidationRecord._meta.db_table)
    outer = ", ".join(f"t.d_{column}" for column in DIMENSION_COLUMNS)
    _insert(
        PipelineLicenceRollup,
        [*DIMENSION_COLUMNS, "status", "clinicians"],
        f"SELECT {outer}, t.status, COUNT(*) FROM (SELECT {DIMS}, CASE WHEN r.id IS NULL THEN %s "  # noqa: S608
        f"WHEN r.next_due_on < %s THEN %s WHEN r.next_due_on <= %s THEN %s ELSE %s END AS status "
        f"FROM {MEMBERS} m LEFT JOIN {record} r ON r.profile_id = m.d_profile_id WHERE m.d_stage = %s) t "
        f"GROUP BY {outer}, t.status",
        [
            RevalidationStatus.WITHOUT_DATE.value,
            today,
            RevalidationStatus.OVERDUE.value,
            today + timedelta(days=DUE_SOON_DAYS),
            RevalidationStatus.DUE_SOON.value,
            RevalidationStatus.ON_TRACK.value,
            int(PipelineStage.IN_ROLE),
        ],
    )


def _event_rows(events: QuerySet, at: str, metric) -> tuple[str, tuple]:
    rows = events.annotate(
        e_profile_id=F("profile_id"), e_month=TruncMonth(at, output_field=DateField()), e_metric=metric
    ).values("e_profile_id", "e_month", "e_metric")
    return rows.order_by().query.sql_with_params()


def _refresh_trends(today) -> None:
    first_month = add_months(month_start(today), -(TREND_MONTHS - 1))
    start = timezone.make_aware(datetime.combine(first_month, datetime.min.time()))
    sources = [
        _event_rows(
            InterestRecord.objects.filter(recorded_at__gte=start),
            "recorded_at",
            Case(*[When(level=level, then=Value(f"interest_{level.value}")) for level in InterestLevel]),
        ),
        _event_rows(
            SelfAssessment.objects.filter(status=AssessmentStatus.COMPLETED, completed_at__gte=start),
            "completed_at",
            Value("assessments"),
        ),
        _event_rows(Nomination.objects.filter(submitted_at__gte=start), "submitted_at", Value("nominations_submitted")),
        _event_rows(
            Nomination.objects.filter(state=NominationState.APPROVED, decided_at__gte=start),
            "decided_at",
            Value("nominations_approved"),
        ),
        # By the month the appointment starts (a date, so no time zone to mind).
        _event_rows(appointments(today).filter(start_date__gte=first_month), "start_date", Value("appointments")),
    ]
    for sql, params in sources:
        _insert(
            PipelineTrendRollup,
            [*DIMENSION_COLUMNS, "month", "metric", "events"],
            f"SELECT {DIMS}, e.e_month, e.e_metric, COUNT(*) FROM ({sql}) e "  # noqa: S608 - constant names
            f"JOIN {MEMBERS} m ON m.d_profile_id = e.e_profile_id GROUP BY {DIMS}, e.e_month, e.e_metric",
            params,
        )


# Whole months from a number of days: 30.4375 days (a year of 365.25 days over 12) in integers, which both databases
# divide exactly the same way.
DAYS_PER_MONTH_NUMERATOR, DAYS_PER_MONTH_DENOMINATOR = 400, 12175


def _refresh_time_to_appointment(today) -> None:
    """Per clinician appointed on or after their first recorded interest of Curious or above: whole months from that
    first interest to the start of their first appointment (service level or above) on or after it, counted by the
    dimensions. Computed here, once a refresh, rather than on a page: the median a page shows then sums a few rows
    per profession and month (`PipelineAppointmentRollup`) however many clinicians there are (DESIGN.md section 8),
    and every filter of the dashboard applies to it as to the other roll-ups."""
    interested, interested_params = (
        InterestRecord.objects.filter(level__gte=InterestLevel.CURIOUS)
        .values("profile_id")
        .annotate(interested_on=Min(TruncDate("recorded_at")))
        .order_by()
        .query.sql_with_params()
    )
    appointed, appointed_params = (
        appointments(today).values("profile_id", "start_date").order_by().query.sql_with_params()
    )
    if connection.vendor == "postgresql":
        days = "(t.appointed_on - t.interested_on)"
    else:
        days = "CAST(julianday(t.appointed_on) - julianday(t.interested_on) AS INTEGER)"
    months = f"({days} * {DAYS_PER_MONTH_NUMERATOR}) / {DAYS_PER_MONTH_DENOMINATOR}"
    _insert(
        PipelineAppointmentRollup,
        [*DIMENSION_COLUMNS, "months", "clinicians"],
        f"SELECT {DIMS}, {months}, COUNT(*) FROM ("  # noqa: S608 - constant names
        f"SELECT i.profile_id AS profile_id, i.interested_on AS interested_on, MIN(a.start_date) AS appointed_on "
        f"FROM ({interested}) i JOIN ({appointed}) a "
        f"ON a.profile_id = i.profile_id AND a.start_date >= i.interested_on "
        f"GROUP BY i.profile_id, i.interested_on) t "
        f"JOIN {MEMBERS} m ON m.d_profile_id = t.profile_id GROUP BY {DIMS}, {months}",
        (*interested_params, *appointed_params),
    )


def _refresh_backgrounds(model, dimensions: list[str]) -> None:
    """Backgrounds by the coarse dimensions, straight from the members, written in the order of the table's index
    (so a filtered read touches few pages). There is no table by every dimension: it would hold more rows than
    there are clinicians (5.6 million at a million clinicians, most of a refresh's time); specialty and date-range
    views group the placed profiles instead (`pipeline.selectors.figures`)."""
    dims = ", ".join(f"m.d_{column}" for column in dimensions)
    order = MEMBERS_ORDER
    columns = [*dimensions, "leader", "attribute", "value", "clinicians"]
    quote = connection.ops.quote_name
    for attribute in EQUALITY_ATTRIBUTES:
        # By furthest stage too, for the relative likelihood of moving on; qualifications need no stage.
        _insert(
            model,
            [*columns, "stage"],
            f"SELECT {dims}, m.d_leader, %s, m.e_{attribute}, COUNT(*), m.d_stage FROM {MEMBERS} m "  # noqa: S608
            f"GROUP BY {dims}, m.d_leader, m.e_{attribute}, m.d_stage {order}",
            [attribute],
        )
    # Each clinician once per kind of leadership qualification they hold; "none" for those with none of them.
    kinds = [str(kind) for kind in LEADERSHIP_QUALIFICATIONS]
    placeholders = ", ".join(["%s"] * len(kinds))
    qualification = quote("talent_qualification")
    _insert(
        model,
        columns,
        f"SELECT {dims}, m.d_leader, %s, q.kind, COUNT(DISTINCT m.d_profile_id) FROM {MEMBERS} m "  # noqa: S608
        f"JOIN {qualification} q ON q.profile_id = m.d_profile_id WHERE q.kind IN ({placeholders}) "
        f"GROUP BY {dims}, m.d_leader, q.kind {order}",
        [QUALIFICATION_ATTRIBUTE, *kinds],
    )
    _insert(
        model,
        columns,
        f"SELECT {dims}, m.d_leader, %s, %s, COUNT(*) FROM {MEMBERS} m WHERE NOT EXISTS ("  # noqa: S608
        f"SELECT 1 FROM {qualification} q WHERE q.profile_id = m.d_profile_id AND q.kind IN ({placeholders})) "
        f"GROUP BY {dims}, m.d_leader {order}",
        [QUALIFICATION_ATTRIBUTE, NO_LEADERSHIP_QUALIFICATION, *kinds],
    )


# Placements changed in one refresh above which the profile table's statistics are brought up to date at once.
PLACEMENTS_BEFORE_ANALYZE = 50_000


def _refresh_profile_stages() -> None:
    """Write each clinician's furthest stage and leader flag onto their profile, only where they changed (a few
    rows a refresh), so drill-downs filter by the same placement the counts were made from. Profiles no longer
    counted (inactive accounts) are cleared. Run after the roll-ups, so the changed rows stay locked only for the
    last few seconds of the refresh (the stored summaries, which read these placements, and the commit)."""
    profile = connection.ops.quote_name(ClinicianProfile._meta.db_table)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {profile} SET pipeline_stage = m.d_stage, pipeline_leader = m.d_leader "  # noqa: S608
                f"FROM {MEMBERS} m WHERE {profile}.id = m.d_profile_id "
                f"AND ({profile}.pipeline_stage IS DISTINCT FROM m.d_stage OR {profile}.pipeline_leader <> m.d_leader)"
            )
            placed = cursor.rowcount
        if placed >= PLACEMENTS_BEFORE_ANALYZE:
            # The first refresh of a freshly loaded database places everyone. Until the statistics know it, the
            # planner takes `pipeline_stage >= 1` to match almost nobody and sorts a third of the table for each
            # drill-down page instead of walking an index, until autovacuum gets round to it.
            _execute(f"ANALYZE {profile}")
    else:
        # SQLite (make run: a few hundred profiles): correlated subqueries, which every SQLite version Django
        # supports understands (UPDATE ... FROM needs 3.33).
        member = f"FROM {MEMBERS} m WHERE m.d_profile_id = {profile}.id"
        _execute(
            f"UPDATE {profile} SET pipeline_stage = (SELECT m.d_stage {member}), "  # noqa: S608 - constants
            f"pipeline_leader = (SELECT m.d_leader {member}) WHERE EXISTS (SELECT 1 {member})"
        )
    _execute(
        f"UPDATE {profile} SET pipeline_stage = NULL, pipeline_leader = %s "  # noqa: S608 - constants
        f"WHERE pipeline_stage IS NOT NULL "
        f"AND NOT EXISTS (SELECT 1 FROM {MEMBERS} m WHERE m.d_profile_id = {profile}.id)",
        [False],
    )


COARSE_TABLES = [
    (PipelineRollup, PipelineCoarseRollup, ["stage", "leader"], "clinicians"),
    (PipelineTrendRollup, PipelineCoarseTrendRollup, ["month", "metric"], "events"),
]
ROLLUP_TABLES = [
    PipelineAppointmentRollup,
    PipelineListRollup,
    PipelineLicenceRollup,
    PipelineRollup,
    PipelineTrendRollup,
    PipelineCoarseRollup,
    PipelineCoarseTrendRollup,
    PipelineCoarseBackgroundRollup,
]


def _refresh_coarse() -> None:
    """The coarse roll-ups: the full ones summed over specialty and month joined (far fewer rows to sum later)."""
    quote = connection.ops.quote_name
    dimensions = [column for column in DIMENSION_COLUMNS if column not in ("specialty", "joined_month")]
    _refresh_backgrounds(PipelineCoarseBackgroundRollup, dimensions)
    for full, coarse, keys, measure in COARSE_TABLES:
        columns = ", ".join(quote(column) for column in [*dimensions, *keys])
        # Written in the order of their index, so a region's rows share pages and a filtered read touches few.
        _insert(
            coarse,
            [*dimensions, *keys, measure],
            f"SELECT {columns}, SUM({quote(measure)}) FROM {quote(full._meta.db_table)} "  # noqa: S608 - constants
            f"GROUP BY {columns} ORDER BY {', '.join(quote(column) for column in WRITE_ORDER)}",
        )


def pipeline_rollups_refresh(*, now: datetime | None = None) -> None:
    """Rebuild every pipeline roll-up from the base tables in one transaction and record the run (its time is
    what "figures as of" shows). Skips quietly when another refresh holds the lock (PostgreSQL)."""
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

        phase("members", lambda: _members_create(now, today))
        quote = connection.ops.quote_name

        def empty() -> None:
            for model in ROLLUP_TABLES:
                _execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608 - our own table names

        phase("delete", empty)
        phase("funnel", _refresh_funnel)
        phase("trends", lambda: _refresh_trends(today))
        phase("time to appointment", lambda: _refresh_time_to_appointment(today))
        phase("coarse", _refresh_coarse)
        phase("list totals", _refresh_list_totals)
        phase("licence", lambda: _refresh_licence(today))
        phase("profile stages", _refresh_profile_stages)
        _execute(f"DROP TABLE {MEMBERS}")
        clinicians = PipelineCoarseRollup.objects.aggregate(n=Sum("clinicians"))["n"] or 0
        run = PipelineRollupRun.objects.create(
            refreshed_at=now, duration_ms=int((clock.monotonic() - started) * 1000), clinicians=clinicians
        )
        phase(
            "summaries",
            lambda: PipelineScopeSummary.objects.bulk_create(
                PipelineScopeSummary(run=run, scope=scope, summary=summary)
                for scope, summary in pipeline_scope_summaries(run).items()
            ),
        )
        run.duration_ms = int((clock.monotonic() - started) * 1000)
        run.save(update_fields=["duration_ms"])
        # Older runs are only kept as a short history of refresh times. The previous run's stored figures stay, for
        # pages that read that run just before this one was committed; earlier ones are not needed any more.
        PipelineRollupRun.objects.filter(pk__lt=run.pk - 50).delete()
        previous = PipelineRollupRun.objects.filter(pk__lt=run.pk).order_by("-pk").values_list("pk", flat=True)
        PipelineScopeSummary.objects.filter(run_id__lt=previous.first() or run.pk).delete()
    logger.info("Pipeline roll-ups refreshed: %s clinicians in %s ms (%s).", clinicians, run.duration_ms, phases)


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
