"""Support and develop data for the synthetic national population (demo.bulk): nudges of the synthetic training
bodies with their follow-ups, career conversations, signposts, development plans, mentoring and talent pools.

It only adds: a population seeded before these areas existed gets them when `seed_demo` (or the bench's
`ensure_population`) runs again, and a population that has them is left alone (the synthetic bodies' follow-ups are
the mark). Everything is written in one transaction, so an interrupted run leaves nothing half-made and runs again.

Rows are made in Python from one pass over the synthetic clinicians' profiles (streamed a chunk at a time) and
written with COPY, as demo.bulk writes the population. Every constraint holds: one open follow-up per clinician and
body, closed items with an outcome (and a reason for "no action"), mentors never over capacity, one live pool
membership per clinician and pool, and only consenting clinicians are in a body's conversations, follow-ups and
pools (an HEE pool needs consent to share with HEE).
"""

import json
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Region, TrainingBody, TrainingBodyMembership
from demo.accounts import SYNTHETIC_EMAIL_DOMAIN
from demo.bulk import DIMENSIONS, Table, _m2m_through, _uuid, copy_lines
from pathways.models import ContentStatus, Opportunity, Pathway, PathwayStep, RoleLevel
from talent.models import (
    AgreedAction,
    CareerConversation,
    ConversationRequest,
    ConversationResponse,
    DevelopmentPlan,
    FollowUp,
    FollowUpOutcome,
    MembershipState,
    MentoringOffer,
    MentoringRequest,
    MentoringStatus,
    NoActionReason,
    Nudge,
    NudgeEntry,
    PlanAction,
    PlanGoal,
    PlanReview,
    PoolMembership,
    Readiness,
    ReadinessChange,
    ReviewRating,
    Signpost,
    TalentPool,
    TalentReview,
)

SEED = 20261207
CHUNK = 10_000
SYNTHETIC_BODY_PREFIX = "synthetic-body-"
NUDGE_WEEKS = 30  # weekly nudges over the last 30 weeks
LEADER_LEVELS = (RoleLevel.SERVICE, RoleLevel.ORGANISATION, RoleLevel.SYSTEM, RoleLevel.NATIONAL)

# Of the clinicians with an early-interest signal who share with their body, the share named in a nudge.
NAMED_SHARE = 0.5
# Of those named who later withdrew consent, the share whose item closed that way.
WITHDRAWN_SHARE = 0.1
OPEN_AFTER_DUE_SHARE = 0.15  # items past their due date still open: overdue
CLOSED_BEFORE_DUE_SHARE = 0.4  # items not yet due already closed
CLOSING = [  # how admins close items, in percent
    (FollowUpOutcome.CONVERSATION, 35),
    (FollowUpOutcome.SIGNPOSTED, 25),
    (FollowUpOutcome.NOMINATED, 12),
    (FollowUpOutcome.NO_ACTION, 28),
]
NO_ACTION_NOTES = {
    NoActionReason.ALREADY_SUPPORTED: "On the trust's own leadership programme already.",
    NoActionReason.NOT_WANTED: "Asked us to get in touch again next year.",
    NoActionReason.NOT_REACHED: "Two emails and a call without an answer.",
    NoActionReason.LEAVING: "Moving to another region in the spring.",
    NoActionReason.OTHER: "On parental leave until the autumn.",
}
ASPIRATIONS = [
    "I would like to lead the service's quality improvement work within two years.",
    "I want to try a clinical lead role before deciding on a management qualification.",
    "I am interested in a fellowship and want to understand what it would mean for my training.",
    "I would like to become a clinical director eventually, keeping some clinical practice.",
    "I want to build confidence chairing meetings and leading change across teams.",
]
ACTIONS = [
    ("Find a shadowing placement with the clinical director", "Training body"),
    ("Complete the Healthcare Leadership Model self-assessment", "Clinician"),
    ("Apply for the next round of the leadership fellowship", "Clinician"),
    ("Introduce the clinician to the regional leadership network", "Training body"),
    ("Lead one quality improvement project in the department", "Clinician"),
]
GOALS = [
    "Lead a quality improvement project",
    "Chair the department's governance meeting",
    "Complete a leadership qualification",
    "Build a network across the region",
    "Understand the trust's finances",
]
PLAN_ACTIONS = ["Book onto the course", "Ask my supervisor for feedback", "Shadow a board meeting", "Read the guide"]
RESPONSES = [(ConversationResponse.CONFIRMED, 55), (ConversationResponse.DISPUTED, 5), ("", 40)]
MENTORING = [
    (MentoringStatus.ACCEPTED, 50),
    (MentoringStatus.PENDING, 20),
    (MentoringStatus.DECLINED, 10),
    (MentoringStatus.ENDED, 15),
    (MentoringStatus.WITHDRAWN, 5),
]
MEMBERSHIP = [
    (MembershipState.ACTIVE, 60),
    (MembershipState.INVITED, 12),
    (MembershipState.REQUESTED, 6),
    (MembershipState.DECLINED, 10),
    (MembershipState.LEFT, 12),
]
READINESS = [
    (Readiness.READY_NOW, 15),
    (Readiness.READY_1_2_YEARS, 35),
    (Readiness.READY_3_PLUS_YEARS, 30),
    (Readiness.DEVELOP_IN_ROLE, 20),
]
# A pool takes this share of the clinicians who may join it (interested, consenting, in its scope): pools of every
# size, from a handful of members to thousands.
BODY_POOL_SHARES = [0.01, 0.03, 0.08, 0.2]
REGION_POOL_SHARES = [0.005, 0.02, 0.06]
NATIONAL_POOL_SHARES = [0.002, 0.005, 0.01, 0.02]
REVIEWED_POOL_EVERY = 5  # one pool in five has a closed talent review


def _pick(rng: random.Random, mix: list[tuple]) -> object:
    return rng.choices([value for value, _ in mix], weights=[weight for _, weight in mix])[0]


TABLES = {
    "nudge": Table(Nudge, ("id", "training_body_id", "frequency", "period_start", "period_end", "created_at")),
    "entry": Table(NudgeEntry, ("nudge_id", "profile_id", "signals", "opportunities")),
    "conversation": Table(
        CareerConversation,
        (
            "id",
            "profile_id",
            "training_body_id",
            "recorded_by_id",
            "held_on",
            "participants",
            "aspirations",
            "next_conversation_on",
            "response",
            "clinician_comment",
            "clinician_version",
            "responded_at",
            "created_at",
        ),
    ),
    "action": Table(AgreedAction, ("conversation_id", "position", "description", "owner", "due_on")),
    "request": Table(
        ConversationRequest, ("id", "profile_id", "training_body_id", "message", "created_at", "answered_at")
    ),
    "follow_up": Table(
        FollowUp,
        (
            "id",
            "training_body_id",
            "profile_id",
            "nudge_id",
            "opened_at",
            "due_on",
            "closed_at",
            "closed_by_id",
            "outcome",
            "no_action_reason",
            "note",
            "conversation_id",
            "nomination_id",
        ),
    ),
    "signpost": Table(
        Signpost,
        (
            "id",
            "profile_id",
            "training_body_id",
            "follow_up_id",
            "opportunity_id",
            "pathway_id",
            "created_by_id",
            "created_at",
        ),
    ),
    "plan": Table(DevelopmentPlan, ("id", "profile_id", "shared_with_training_body", "next_review_on", "created_at")),
    "goal": Table(PlanGoal, ("id", "plan_id", "title", "dimensions", "target_on", "status", "created_at")),
    "plan_action": Table(
        PlanAction, ("id", "goal_id", "text", "pathway_step_id", "opportunity_id", "target_on", "status", "created_at")
    ),
    "review": Table(PlanReview, ("id", "plan_id", "reviewed_on", "note", "snapshot", "created_at")),
    "pool": Table(
        TalentPool,
        ("id", "name", "purpose", "training_body_id", "region_id", "role_level", "created_by_id", "created_at"),
    ),
    "talent_review": Table(TalentReview, ("id", "pool_id", "opened_by_id", "opened_at", "closed_by_id", "closed_at")),
    "membership": Table(
        PoolMembership,
        (
            "id",
            "pool_id",
            "profile_id",
            "state",
            "invited_by_id",
            "created_at",
            "responded_at",
            "left_at",
            "readiness",
            "readiness_evidence",
            "readiness_by_id",
            "readiness_at",
        ),
    ),
    "readiness_change": Table(
        ReadinessChange, ("membership_id", "changed_by_id", "changed_at", "from_readiness", "to_readiness", "review_id")
    ),
    "rating": Table(
        ReviewRating,
        ("review_id", "membership_id", "original_readiness", "agreed_readiness", "agreed_by_id", "agreed_at"),
    ),
    "offer": Table(
        MentoringOffer, ("id", "mentor_id", "capacity", "mentee_count", "professions", "dimensions", "about", "is_open")
    ),
    "offer_region": Table(_m2m_through(MentoringOffer, "regions"), ("mentoringoffer_id", "region_id")),
    "mentoring": Table(
        MentoringRequest,
        (
            "id",
            "offer_id",
            "mentor_id",
            "mentee_id",
            "message",
            "status",
            "reply",
            "responded_at",
            "ended_at",
            "ended_by_id",
            "created_at",
        ),
    ),
}
# Parents before children.
WRITE_ORDER = [
    "pool",
    "talent_review",
    "nudge",
    "entry",
    "conversation",
    "action",
    "request",
    "follow_up",
    "signpost",
    "plan",
    "goal",
    "plan_action",
    "review",
    "membership",
    "readiness_change",
    "rating",
    "offer",
    "offer_region",
    "mentoring",
]


@dataclass
class Pool:
    id: str
    body_id: int | None
    region_id: int | None
    share: float
    owner_id: str | None  # who invites and rates: the body's admin; nobody named for HEE's pools
    review_id: str | None = None
    review_opened: datetime | None = None
    review_closed: datetime | None = None


@dataclass
class Context:
    now: datetime
    today: date
    last_monday: date
    body_ids: set[int]
    body_admin: dict[int, str]
    opportunities: list[str]
    pathways: list[str]
    steps: list[str]
    pools_of_body: dict[int, list[Pool]]
    pools_of_region: dict[int, list[Pool]]
    national_pools: list[Pool]
    nudges: dict[tuple[int, int], str] = field(default_factory=dict)  # (body, weeks back) -> nudge id


@dataclass
class SupportResult:
    seeded: bool = False
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def support_seeded() -> bool:
    """Whether the synthetic bodies already have their support data (their follow-ups are the mark)."""
    return FollowUp.objects.filter(training_body__slug__startswith=SYNTHETIC_BODY_PREFIX).exists()


def support_population_seed(*, progress: Callable[[str], None] | None = None) -> SupportResult:
    """Add the support and develop data to the synthetic population, once. Does nothing when it is there already,
    when there are no synthetic training bodies (populations under 10,000), or off PostgreSQL (COPY)."""
    started = time.monotonic()
    result = SupportResult(rows=dict.fromkeys(WRITE_ORDER, 0))
    if connection.vendor != "postgresql" or support_seeded():
        return result
    bodies = list(
        TrainingBody.objects.filter(slug__startswith=SYNTHETIC_BODY_PREFIX)
        .order_by("slug")
        .values_list("pk", flat=True)
    )
    if not bodies:
        return result
    now = timezone.now()
    for table in TABLES.values():
        table.prepare(now)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        ctx = _context(bodies=bodies, now=now)
        out = _empty()
        _pools_rows(ctx, out)
        _write(out, result)
        offers: list[tuple] = []
        mentees: list[tuple] = []
        done = 0
        for chunk in _profiles():
            out = _empty()
            for row in chunk:
                _profile_rows(row, ctx, out, offers, mentees)
            _write(out, result)
            done += len(chunk)
            if progress and done % (20 * CHUNK) == 0:
                progress(f"Support data: {done:,} clinicians done ({time.monotonic() - started:.0f} s)")
        out = _empty()
        _mentoring_rows(offers, mentees, ctx, out)
        _write(out, result)
        with connection.cursor() as cursor:
            for key in WRITE_ORDER:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(TABLES[key].name)}")
    result.seeded = True
    result.seconds = time.monotonic() - started
    return result


def _empty() -> dict[str, list]:
    return {key: [] for key in WRITE_ORDER}


def _write(out: dict[str, list], result: SupportResult) -> None:
    with connection.cursor() as cursor:
        for key in WRITE_ORDER:
            if not out[key]:
                continue
            table = TABLES[key]
            columns = ", ".join(connection.ops.quote_name(column) for column in table.all_columns)
            with cursor.copy(f"COPY {connection.ops.quote_name(table.name)} ({columns}) FROM STDIN") as copy:
                for line in copy_lines(out[key], tuple(table.constants.values())):
                    copy.write(line)
            result.rows[key] += len(out[key])


def _context(*, bodies: list[int], now: datetime) -> Context:
    body_admin = {}
    for body_id, user_id in (
        TrainingBodyMembership.objects.filter(training_body_id__in=bodies)
        .order_by("created_at", "pk")
        .values_list("training_body_id", "user_id")
    ):
        body_admin.setdefault(body_id, str(user_id))
    today = timezone.localdate(now)
    return Context(
        now=now,
        today=today,
        last_monday=today - timedelta(days=today.weekday()),
        body_ids=set(bodies),
        body_admin=body_admin,
        opportunities=[
            str(pk)
            for pk in Opportunity.objects.filter(status=ContentStatus.PUBLISHED)
            .order_by("slug")
            .values_list("pk", flat=True)
        ],
        pathways=[
            str(pk)
            for pk in Pathway.objects.filter(status=ContentStatus.PUBLISHED)
            .order_by("slug")
            .values_list("pk", flat=True)
        ],
        steps=[str(pk) for pk in PathwayStep.objects.order_by("pk").values_list("pk", flat=True)],
        pools_of_body={},
        pools_of_region={},
        national_pools=[],
    )


# --- talent pools -----------------------------------------------------------------------------------------------


def _pools_rows(ctx: Context, out: dict[str, list]) -> None:
    """A pool per synthetic body, one per role level for each HEE region, and a few national ones; one pool in five
    with a closed talent review."""
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data
    levels = [RoleLevel.SERVICE, RoleLevel.ORGANISATION, RoleLevel.SYSTEM]
    owners: list[tuple[int | None, int | None, str, str, list[float]]] = []
    names = dict(TrainingBody.objects.filter(pk__in=ctx.body_ids).values_list("pk", "name"))
    for index, body_id in enumerate(sorted(ctx.body_ids)):
        level = levels[index % 2]
        owners.append(
            (
                body_id,
                None,
                level,
                f"{names[body_id]}: future {RoleLevel(level).label.lower()} leaders",
                BODY_POOL_SHARES,
            )
        )
    for region in Region.objects.order_by("slug"):
        for level in levels:
            owners.append(
                (None, region.pk, level, f"{region.name} {RoleLevel(level).label.lower()} leaders", REGION_POOL_SHARES)
            )
    for level in (RoleLevel.SYSTEM, RoleLevel.NATIONAL, RoleLevel.SYSTEM, RoleLevel.NATIONAL):
        owners.append((None, None, level, f"National {RoleLevel(level).label.lower()} leaders", NATIONAL_POOL_SHARES))
    for index, (body_id, region_id, level, name, shares) in enumerate(owners):
        pool = Pool(
            id=_uuid(rng),
            body_id=body_id,
            region_id=region_id,
            share=shares[index % len(shares)],
            owner_id=ctx.body_admin.get(body_id) if body_id else None,
        )
        out["pool"].append(
            (
                pool.id,
                f"{name} ({index + 1})"[:150],
                "Clinicians we expect to step into senior roles, and what each needs to get there.",
                body_id,
                region_id,
                level.value,
                pool.owner_id,
                ctx.now - timedelta(days=700),
            )
        )
        if index % REVIEWED_POOL_EVERY == 0:
            pool.review_id = _uuid(rng)
            pool.review_opened = ctx.now - timedelta(days=rng.randint(60, 120))
            pool.review_closed = pool.review_opened + timedelta(days=rng.randint(7, 30))
            out["talent_review"].append(
                (pool.review_id, pool.id, pool.owner_id, pool.review_opened, pool.owner_id, pool.review_closed)
            )
        if body_id:
            ctx.pools_of_body.setdefault(body_id, []).append(pool)
        elif region_id:
            ctx.pools_of_region.setdefault(region_id, []).append(pool)
        else:
            ctx.national_pools.append(pool)


def _membership_rows(rng: random.Random, pool: Pool, profile_id: str, joined_after: datetime, ctx: Context, out):
    state = _pick(rng, MEMBERSHIP)
    created = min(ctx.now - timedelta(days=1), joined_after + timedelta(days=rng.randint(30, 600)))
    if pool.review_opened:
        created = min(created, pool.review_opened - timedelta(days=rng.randint(1, 30)))
    membership_id = _uuid(rng)
    responded = None if state in (MembershipState.INVITED, MembershipState.REQUESTED) else created + timedelta(days=2)
    left = min(ctx.now, responded + timedelta(days=rng.randint(10, 200))) if state == MembershipState.LEFT else None
    readiness, evidence, readiness_at = "", "", None
    if state == MembershipState.ACTIVE and rng.random() < 0.75:
        readiness = _pick(rng, READINESS).value
        readiness_at = min(ctx.now, responded + timedelta(days=rng.randint(1, 20)))
        evidence = "Led the service's improvement project; strong 360 feedback on team working."
        out["readiness_change"].append((membership_id, pool.owner_id, readiness_at, "", readiness, None))
        if pool.review_id and readiness_at < pool.review_opened and rng.random() < 0.6:
            agreed = _pick(rng, READINESS).value if rng.random() < 0.3 else readiness
            agreed_at = pool.review_opened + timedelta(days=rng.randint(0, 6))
            out["rating"].append((pool.review_id, membership_id, readiness, agreed, pool.owner_id, agreed_at))
            if agreed != readiness:
                out["readiness_change"].append(
                    (membership_id, pool.owner_id, agreed_at, readiness, agreed, pool.review_id)
                )
                readiness, readiness_at = agreed, agreed_at
    out["membership"].append(
        (
            membership_id,
            pool.id,
            profile_id,
            state.value,
            pool.owner_id if state != MembershipState.REQUESTED else None,
            created,
            responded,
            left,
            readiness,
            evidence,
            pool.owner_id if readiness else None,
            readiness_at,
        )
    )


# --- one clinician ----------------------------------------------------------------------------------------------

PROFILE_SQL = """
SELECT p.id, p.user_id, p.training_body_id, p.region_id, p.current_interest_level,
       p.shares_with_training_body AND p.training_body_confirmed_at IS NOT NULL, p.shares_with_hee, p.created_at,
       EXISTS (SELECT 1 FROM talent_leadershipexperience e WHERE e.profile_id = p.id AND e.end_date IS NULL
               AND e.level = ANY(%s)),
       (SELECT max(s.created_at) FROM talent_earlyinterestsignal s WHERE s.profile_id = p.id),
       (SELECT n.id FROM talent_nomination n WHERE n.profile_id = p.id AND n.training_body_id = p.training_body_id
        ORDER BY n.created_at LIMIT 1)
FROM talent_clinicianprofile p JOIN accounts_user u ON u.id = p.user_id
WHERE u.email LIKE %s AND u.is_active
ORDER BY p.id
"""


def _profiles():
    """The synthetic clinicians' profiles, a chunk at a time through a server-side cursor."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(PROFILE_SQL, [[level.value for level in LEADER_LEVELS], f"%@{SYNTHETIC_EMAIL_DOMAIN}"])
        while rows := cursor.fetchmany(CHUNK):
            yield rows


def _profile_rows(row: tuple, ctx: Context, out: dict[str, list], offers: list, mentees: list) -> None:
    (
        profile_id,
        user_id,
        body_id,
        region_id,
        level,
        shares_body,
        shares_hee,
        created,
        leader,
        last_signal,
        nomination_id,
    ) = row
    rng = random.Random(SEED ^ profile_id.int)  # noqa: S311 - repeatable demo data
    profile_id, user_id = str(profile_id), str(user_id)
    synthetic_body = body_id in ctx.body_ids
    admin = ctx.body_admin.get(body_id)
    if synthetic_body and last_signal is not None and rng.random() < NAMED_SHARE:
        if shares_body:
            _follow_up_rows(rng, profile_id, body_id, admin, nomination_id, created, ctx, out)
        elif rng.random() < WITHDRAWN_SHARE:
            _follow_up_rows(rng, profile_id, body_id, admin, None, created, ctx, out, withdrawn=True)
    if synthetic_body and shares_body and level >= 2:
        if rng.random() < 0.04:
            held = ctx.today - timedelta(days=rng.randint(1, 400))
            _conversation_rows(rng, profile_id, body_id, admin, held, ctx, out)
        if rng.random() < 0.01:
            out["request"].append(
                (
                    _uuid(rng),
                    profile_id,
                    body_id,
                    "Could we talk about leadership roles?",
                    ctx.now - timedelta(days=rng.randint(1, 60)),
                    None,
                )
            )
    if level >= 2 and rng.random() < 0.15:
        _plan_rows(rng, profile_id, shares_body, created, ctx, out)
    if leader and rng.random() < 0.3:
        offers.append((profile_id, region_id, rng.randint(1, 4), rng.random()))
    elif level >= 2 and rng.random() < 0.03:
        mentees.append((profile_id, user_id, region_id, rng.random()))
    if level >= 1:
        candidates = []
        if synthetic_body and shares_body:
            candidates += ctx.pools_of_body.get(body_id, [])
        if shares_hee:
            candidates += ctx.pools_of_region.get(region_id, []) + ctx.national_pools
        for pool in candidates:
            if rng.random() < pool.share:
                _membership_rows(rng, pool, profile_id, created, ctx, out)


def _follow_up_rows(rng, profile_id, body_id, admin, nomination_id, created, ctx, out, *, withdrawn=False) -> None:
    """The nudge that named the clinician, their follow-up, and what closed it."""
    weeks_back = rng.randrange(NUDGE_WEEKS)
    end = ctx.last_monday - timedelta(weeks=weeks_back)
    nudge_id = ctx.nudges.get((body_id, weeks_back))
    period_end = timezone.make_aware(datetime.combine(end, datetime.min.time()))
    if nudge_id is None:
        nudge_id = ctx.nudges[(body_id, weeks_back)] = _uuid(rng)
        out["nudge"].append(
            (nudge_id, body_id, "weekly", period_end - timedelta(weeks=1), period_end, period_end + timedelta(hours=1))
        )
    signal_at = period_end - timedelta(seconds=rng.randint(3600, 6 * 86400))
    signals = json.dumps([{"kind": "interest_raised", "at": signal_at.isoformat()}])
    out["entry"].append((nudge_id, profile_id, signals, "[]"))
    opened = period_end + timedelta(hours=1)
    due_on = timezone.localdate(opened) + timedelta(days=settings.NUDGE_FOLLOW_UP_DAYS)
    follow_up_id = _uuid(rng)
    past_due = due_on < ctx.today
    closes = rng.random() >= OPEN_AFTER_DUE_SHARE if past_due else rng.random() < CLOSED_BEFORE_DUE_SHARE
    closed_at = closed_by = conversation_id = None
    outcome, reason, note = "", "", ""
    if withdrawn:
        closes = True
        outcome = FollowUpOutcome.CONSENT_WITHDRAWN.value
        closed_at = min(ctx.now, opened + timedelta(days=rng.randint(1, 20)))
    elif closes:
        # Most within the due time, some late; never in the future.
        days = rng.randint(1, settings.NUDGE_FOLLOW_UP_DAYS) if rng.random() < 0.8 else rng.randint(31, 70)
        closed_at = min(ctx.now - timedelta(minutes=5), opened + timedelta(days=days, minutes=rng.randint(0, 600)))
        closed_by = admin
        outcome = _pick(rng, CLOSING)
        if outcome == FollowUpOutcome.NOMINATED and nomination_id is None:
            outcome = FollowUpOutcome.CONVERSATION
        if outcome == FollowUpOutcome.CONVERSATION:
            conversation_id = _conversation_rows(
                rng, profile_id, body_id, admin, timezone.localdate(closed_at), ctx, out
            )
        elif outcome == FollowUpOutcome.NO_ACTION:
            reason = rng.choice(list(NoActionReason))
            note = NO_ACTION_NOTES[reason]
            reason = reason.value
        outcome = outcome.value
    out["follow_up"].append(
        (
            follow_up_id,
            body_id,
            profile_id,
            nudge_id,
            opened,
            due_on,
            closed_at,
            closed_by,
            outcome,
            reason,
            note,
            conversation_id,
            str(nomination_id) if outcome == FollowUpOutcome.NOMINATED.value else None,
        )
    )
    if outcome == FollowUpOutcome.SIGNPOSTED.value:
        for _ in range(rng.choice((1, 1, 2))):
            if ctx.pathways and (rng.random() < 0.3 or not ctx.opportunities):
                target = (None, rng.choice(ctx.pathways))
            elif ctx.opportunities:
                target = (rng.choice(ctx.opportunities), None)
            else:
                continue
            out["signpost"].append((_uuid(rng), profile_id, body_id, follow_up_id, *target, admin, closed_at))


def _conversation_rows(rng, profile_id, body_id, admin, held: date, ctx: Context, out) -> str:
    conversation_id = _uuid(rng)
    recorded = min(
        ctx.now - timedelta(minutes=1),
        timezone.make_aware(datetime.combine(held, datetime.min.time())) + timedelta(hours=rng.randint(9, 17)),
    )
    response = _pick(rng, RESPONSES)
    responded = min(ctx.now, recorded + timedelta(days=rng.randint(0, 10))) if response else None
    out["conversation"].append(
        (
            conversation_id,
            profile_id,
            body_id,
            admin,
            held,
            "The clinician and the body's leadership lead",
            rng.choice(ASPIRATIONS),
            held + timedelta(days=rng.randint(90, 365)) if rng.random() < 0.8 else None,
            response.value if response else "",
            "Thank you, this is a fair summary." if response == ConversationResponse.CONFIRMED else "",
            "I said I would consider it, not that I had decided." if response == ConversationResponse.DISPUTED else "",
            responded,
            recorded,
        )
    )
    for position, (description, owner) in enumerate(rng.sample(ACTIONS, rng.randint(1, 3)), start=1):
        out["action"].append(
            (conversation_id, position, description, owner, held + timedelta(days=rng.randint(14, 180)))
        )
    return conversation_id


def _plan_rows(rng, profile_id, shares_body, created, ctx: Context, out) -> None:
    plan_id = _uuid(rng)
    started = min(ctx.now - timedelta(days=1), created + timedelta(days=rng.randint(30, 600)))
    review_on = timezone.localdate(started) + timedelta(days=rng.randint(150, 200))
    reviewed = rng.random() < 0.3 and review_on <= ctx.today
    next_review = review_on + timedelta(days=182) if reviewed else review_on
    out["plan"].append((plan_id, profile_id, shares_body and rng.random() < 0.6, next_review, started))
    snapshot = {"goals": []}
    for _ in range(rng.randint(1, 3)):
        goal_id = _uuid(rng)
        title = rng.choice(GOALS)
        dimensions = rng.sample(DIMENSIONS, rng.randint(1, 2))
        status = rng.choice(("not_started", "in_progress", "in_progress", "achieved"))
        target = timezone.localdate(started) + timedelta(days=rng.randint(90, 540))
        out["goal"].append((goal_id, plan_id, title, json.dumps(dimensions), target, status, started))
        actions = []
        for _ in range(rng.randint(1, 3)):
            step = rng.choice(ctx.steps) if ctx.steps and rng.random() < 0.2 else None
            opportunity = (
                rng.choice(ctx.opportunities) if ctx.opportunities and not step and rng.random() < 0.2 else None
            )
            text = rng.choice(PLAN_ACTIONS)
            action_status = rng.choice(("to_do", "in_progress", "done"))
            out["plan_action"].append((_uuid(rng), goal_id, text, step, opportunity, target, action_status, started))
            actions.append({"text": text, "status": action_status})
        snapshot["goals"].append({"title": title, "dimensions": dimensions, "status": status, "actions": actions})
    if reviewed:
        out["review"].append(
            (
                _uuid(rng),
                plan_id,
                review_on,
                "Good progress; the course is booked.",
                json.dumps(snapshot),
                timezone.make_aware(datetime.combine(review_on, datetime.min.time())),
            )
        )


# --- mentoring --------------------------------------------------------------------------------------------------


def _mentoring_rows(offers: list, mentees: list, ctx: Context, out: dict[str, list]) -> None:
    """Mentees matched to offers in their region; accepted ones only while the mentor has a place."""
    rng = random.Random(SEED + 1)  # noqa: S311 - repeatable demo data
    by_region: dict[int, list[list]] = defaultdict(list)
    offer_rows = []
    for mentor_id, region_id, capacity, _ in offers:
        offer = [_uuid(rng), mentor_id, capacity, 0, region_id]
        offer_rows.append(offer)
        by_region[region_id].append(offer)
    for mentee_id, mentee_user_id, region_id, _ in mentees:
        choices = by_region.get(region_id)
        if not choices:
            continue
        offer = rng.choice(choices)
        status = _pick(rng, MENTORING)
        if status == MentoringStatus.ACCEPTED and offer[3] >= offer[2]:
            status = MentoringStatus.PENDING  # the mentor is full: asked, not yet answered
        if status == MentoringStatus.ACCEPTED:
            offer[3] += 1
        asked = ctx.now - timedelta(days=rng.randint(20, 300))
        responded = None if status == MentoringStatus.PENDING else asked + timedelta(days=rng.randint(1, 9))
        ended = responded + timedelta(days=rng.randint(1, 9)) if status == MentoringStatus.ENDED else None
        out["mentoring"].append(
            (
                _uuid(rng),
                offer[0],
                offer[1],
                mentee_id,
                "I would value help preparing for a clinical lead role.",
                status.value,
                "Happy to meet monthly." if status in (MentoringStatus.ACCEPTED, MentoringStatus.ENDED) else "",
                responded,
                ended,
                mentee_user_id if ended else None,
                asked,
            )
        )
    for offer_id, mentor_id, capacity, count, region_id in offer_rows:
        out["offer"].append(
            (
                offer_id,
                mentor_id,
                capacity,
                count,
                "[]",
                json.dumps(rng.sample(DIMENSIONS, 2)),
                "Clinical director; happy to talk about the first step into leadership.",
                True,
            )
        )
        out["offer_region"].append((offer_id, region_id))
