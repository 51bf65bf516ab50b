"""Reads for licence-aware readiness: which pool members aiming for a role that needs a licence to practise would
see it lapse (overdue, or due during a planned programme or secondment), with their regulator's guidance for the
role; and the clinician's own licence plan with what their regulator says about each choice.

Owners see a member's flags (the due date and the dates it falls in) and licence plan choice, never the rest of the
revalidation record nor the plan's note: those stay the clinician's own. Which programme the dates belong to is shown
only to someone who may see the nomination (talent.selectors.nominations): the clinician, and the admins of the body
that decided it; other owners learn that a planned programme is in the way, not which.
"""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.permissions import Permission, user_can
from pathways.models import LeadershipRole
from regulators.models import GuidanceStatus, GuidanceTopic, LicenceGuidanceVersion, Regulator, RevalidationRecord
from talent.models import (
    ClinicianProfile,
    LicencePlan,
    LicencePlanChoice,
    MembershipState,
    Nomination,
    NominationOutcome,
    NominationState,
    PoolMembership,
    TalentPool,
)
from talent.selectors.nominations import nominations_visible_to


class LicenceFlagKind(StrEnum):
    OVERDUE = "overdue"
    DUE_DURING = "due_during"
    NOT_RECORDED = "not_recorded"


@dataclass(frozen=True)
class DatedCommitment:
    """A programme, fellowship or secondment the clinician was approved for, with the provider's dates. Its title,
    kind and slug are empty for someone who may not see the nomination: only the dates are theirs to know."""

    title: str
    kind: str
    starts_on: date
    ends_on: date
    opportunity_slug: str

    @property
    def named(self) -> bool:
        return bool(self.title)


@dataclass(frozen=True)
class LicenceFlag:
    kind: LicenceFlagKind
    due_on: date | None = None
    during: DatedCommitment | None = None

    @property
    def label(self) -> str:
        if self.kind == LicenceFlagKind.OVERDUE:
            return "Revalidation overdue"
        if self.kind == LicenceFlagKind.DUE_DURING:
            return "Revalidation due during a programme"
        return "Revalidation date not recorded"

    @property
    def colour(self) -> str:
        return {"overdue": "red", "due_during": "orange"}.get(self.kind, "grey")

    @property
    def at_risk(self) -> bool:
        return self.kind != LicenceFlagKind.NOT_RECORDED


@dataclass
class MemberLicence:
    """What a pool's owners (and the member) see about the member's licence for the role they are assessed for."""

    needs_licence: bool
    # The roles the flag speaks of: the member's target role, or (without one) the roles of the pool's level that
    # need a licence and are open to the member's profession (a role with no professions is open to all).
    roles: list[LeadershipRole] = field(default_factory=list)
    for_target_role: bool = False
    flags: list[LicenceFlag] = field(default_factory=list)
    regulator: Regulator | None = None
    guidance: list[LicenceGuidanceVersion] = field(default_factory=list)
    plan_choice: str = ""

    @property
    def at_risk(self) -> bool:
        return any(flag.at_risk for flag in self.flags)

    @property
    def role_slugs(self) -> list[str]:
        return [role.slug for role in self.roles]

    @property
    def plan_label(self) -> str:
        return LicencePlanChoice(self.plan_choice).label if self.plan_choice else ""


def _applies_to_level_q(level: str) -> Q:
    # As regulators.selectors.applies_to_level_q, which cannot be imported here (it imports the talent selectors).
    return Q(role_levels__icontains=f'"{level}"') | Q(role_levels=[], roles__isnull=True)


def _applies_to_roles(version: LicenceGuidanceVersion, roles: list[LeadershipRole], level: str) -> bool:
    """Guidance names one of the roles, or names no role and lists the level (or no level at all)."""
    role_ids = {r.pk for r in version.roles.all()}
    if role_ids & {role.pk for role in roles}:
        return True
    return not role_ids and (not version.role_levels or level in version.role_levels)


def latest_licence_plans_q() -> Q:
    newest = LicencePlan.objects.filter(profile=OuterRef("profile")).order_by("-recorded_at", "-pk").values("pk")[:1]
    return Q(pk=Subquery(newest))


def dated_commitments_by_profile(profile_ids: list, today: date, *, viewer: User) -> dict:
    """Approved, still-planned programmes and secondments with the provider's dates (an end date, when missing, is
    taken as the start), not yet over, named only where `viewer` may see the nomination: one query for any number of
    clinicians."""
    visible = nominations_visible_to(viewer).filter(pk=OuterRef("pk"))
    nominations = (
        Nomination.objects.filter(profile_id__in=profile_ids, state=NominationState.APPROVED)
        .exclude(outcome__in=[NominationOutcome.WITHDREW, NominationOutcome.DID_NOT_TAKE_UP])
        .filter(opportunity__starts_on__isnull=False)
        .annotate(until=Coalesce("opportunity__ends_on", "opportunity__starts_on"))
        .filter(until__gte=today)
        .annotate(named=Exists(visible))
        .select_related("opportunity")
        .order_by("opportunity__starts_on", "pk")
    )
    found: dict = {}
    for nomination in nominations:
        opportunity = nomination.opportunity
        found.setdefault(nomination.profile_id, []).append(
            DatedCommitment(
                title=opportunity.title if nomination.named else "",
                kind=opportunity.get_kind_display().lower() if nomination.named else "",
                starts_on=opportunity.starts_on,
                ends_on=opportunity.ends_on or opportunity.starts_on,
                opportunity_slug=opportunity.slug if nomination.named else "",
            )
        )
    return found


def licence_flags(
    *, record: RevalidationRecord | None, commitments: list[DatedCommitment], today: date
) -> list[LicenceFlag]:
    if record is None:
        return [LicenceFlag(LicenceFlagKind.NOT_RECORDED)]
    due = record.next_due_on
    if due < today:
        return [LicenceFlag(LicenceFlagKind.OVERDUE, due_on=due)]
    return [
        LicenceFlag(LicenceFlagKind.DUE_DURING, due_on=due, during=commitment)
        for commitment in commitments
        if commitment.starts_on <= due <= commitment.ends_on
    ]


def with_licence(
    *, viewer: User, pool: TalentPool, members: list[PoolMembership], today: date | None = None
) -> list[PoolMembership]:
    """Set `member.licence` (a MemberLicence; None for an invitation or request) on each of a pool's memberships, as
    `viewer` (an owner, or the member) may see it, in a fixed number of queries however many members there are. The
    memberships must have their profile and target role loaded (as talent.selectors.pools.pool_members does)."""
    today = today or timezone.localdate()
    members = list(members)
    if not members:
        return members
    level_roles = list(LeadershipRole.objects.filter(level=pool.role_level, needs_licence=True).order_by("name"))
    profile_ids = [member.profile_id for member in members]
    records = {
        record.profile_id: record
        for record in RevalidationRecord.objects.filter(profile_id__in=profile_ids).only(
            "profile_id", "next_due_on", "regulator_id"
        )
    }
    commitments = dated_commitments_by_profile(profile_ids, today, viewer=viewer)
    plans = {
        plan.profile_id: plan.choice
        for plan in LicencePlan.objects.filter(profile_id__in=profile_ids)
        .filter(latest_licence_plans_q())
        .only("profile_id", "choice")
    }
    regulator_ids = {member.profile.regulator_id for member in members}
    regulators = Regulator.objects.in_bulk(regulator_ids)
    role_ids = {member.target_role_id for member in members if member.target_role_id} | {r.pk for r in level_roles}
    applies = _applies_to_level_q(pool.role_level) | Q(roles__in=role_ids)
    published = LicenceGuidanceVersion.objects.filter(
        status=GuidanceStatus.PUBLISHED, guidance__regulator_id__in=regulator_ids
    )
    guidance = list(
        published.filter(pk__in=published.filter(applies).values("pk"))
        .select_related("guidance__regulator")
        .prefetch_related("roles")
        .order_by("title", "pk")
    )
    for member in members:
        # Invitations and requests are not members yet: nothing of their licence is shown before they join.
        if member.state != MembershipState.ACTIVE:
            member.licence = None
            continue
        profile = member.profile
        if member.target_role_id:
            roles = [member.target_role]
        else:
            roles = [role for role in level_roles if not role.professions or profile.profession in role.professions]
        needs_licence = any(role.needs_licence for role in roles)
        licence = MemberLicence(
            needs_licence=needs_licence,
            roles=roles,
            for_target_role=bool(member.target_role_id),
            regulator=regulators.get(profile.regulator_id),
            plan_choice=plans.get(member.profile_id, ""),
        )
        if needs_licence:
            licence.flags = licence_flags(
                record=records.get(member.profile_id), commitments=commitments.get(member.profile_id, []), today=today
            )
            licence.guidance = [
                version
                for version in guidance
                if version.guidance.regulator_id == profile.regulator_id
                and _applies_to_roles(version, roles, pool.role_level)
            ]
        member.licence = licence
    return members


def own_membership_with_licence(*, user: User, membership: PoolMembership, today: date | None = None) -> PoolMembership:
    """The clinician's own membership with the same licence flags its owners see (only once they are a member),
    naming their own programmes."""
    return with_licence(viewer=user, pool=membership.pool, members=[membership], today=today)[0]


# --- The clinician's own licence plan --------------------------------------------------------------------------------


def own_licence_plans(*, user: User) -> QuerySet[LicencePlan]:
    """The clinician's licence plans, newest first: the first is their plan now, the rest its history."""
    if not user_can(user, Permission.KEEP_LICENCE_PLAN):
        return LicencePlan.objects.none()
    return LicencePlan.objects.filter(profile__user=user).order_by("-recorded_at", "-pk")


def own_profile_for_licence_plan(*, user: User) -> ClinicianProfile:
    """The clinician's profile (with their regulator); 404 before onboarding, as there is no plan to keep yet."""
    profile = (
        ClinicianProfile.objects.select_related("regulator").filter(user=user, account_active=True).first()
        if user_can(user, Permission.KEEP_LICENCE_PLAN)
        else None
    )
    if profile is None:
        raise Http404("Tell us about yourself first.")
    return profile


# What the regulator says about each choice, and about coming back to practice later: the guidance topics that speak
# of it, in the order the page shows them.
PLAN_TOPICS: list[tuple[str, str, list[str]]] = [
    (
        LicencePlanChoice.KEEP_LICENCE,
        "If you keep your licence and keep practising",
        [GuidanceTopic.REVALIDATION, GuidanceTopic.KEEPING_LICENCE],
    ),
    (
        LicencePlanChoice.REGISTRATION_ONLY,
        "If you keep your registration without a licence to practise",
        [GuidanceTopic.KEEPING_LICENCE],
    ),
    ("returning", "If you want to return to clinical practice later", [GuidanceTopic.RETURNING]),
]


@dataclass
class PlanGuidance:
    key: str
    heading: str
    topics: list[str]
    topic_labels: list[str]
    guidance: list[LicenceGuidanceVersion]
    # Topics the regulator has no published guidance on here: the page says so and points to the regulator's site.
    missing_topic_labels: list[str]


def licence_plan_guidance(*, regulator: Regulator) -> list[PlanGuidance]:
    """The regulator's published guidance for each choice and for returning to practice, in one query."""
    published = list(
        LicenceGuidanceVersion.objects.filter(status=GuidanceStatus.PUBLISHED, guidance__regulator=regulator)
        .select_related("guidance__regulator")
        .order_by("title", "pk")
    )
    labels = dict(GuidanceTopic.choices)
    sections = []
    for key, heading, topics in PLAN_TOPICS:
        found = [version for version in published if set(version.topics) & set(topics)]
        covered = {topic for version in found for topic in version.topics}
        sections.append(
            PlanGuidance(
                key=str(key),
                heading=heading,
                topics=[str(topic) for topic in topics],
                topic_labels=[labels[topic] for topic in topics],
                guidance=found,
                missing_topic_labels=[labels[topic] for topic in topics if topic not in covered],
            )
        )
    return sections
