"""Reads of talent pools, always scoped to the user asking: only a pool's owners see it and its members; a clinician
sees only their own memberships. Outside that scope a pool, membership or review does not exist (404)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.http import Http404

from accounts.models import Role, User
from accounts.permissions import Permission, user_can
from pathways.selectors import listed_or_any_q
from talent.models import (
    LIVE_MEMBERSHIP_STATES,
    CareerConversation,
    ClinicianProfile,
    FeedbackRound,
    MembershipState,
    PoolMembership,
    ReviewRating,
    TalentPool,
    TalentReview,
)
from talent.selectors.clinicians import clinicians_visible_to, latest_completed_assessment
from talent.selectors.conversations import conversations_with_clinician
from talent.selectors.feedback import shared_feedback_rounds_of
from talent.selectors.plans import plan_shared_with


def pools_owned_by(user: User) -> QuerySet[TalentPool]:
    """Training-body admins own their bodies' pools; regional HEE staff their region's; national HEE staff the
    national pools (owned by neither a body nor a region)."""
    pools = TalentPool.objects.select_related("training_body", "region")
    if not user_can(user, Permission.MANAGE_TALENT_POOLS):
        return pools.none()
    if user.role == Role.TRAINING_BODY_ADMIN:
        return pools.filter(training_body__memberships__user=user)
    if user.role == Role.HEE_STAFF:
        if user.hee_region_id:
            return pools.filter(region_id=user.hee_region_id)
        return pools.filter(training_body__isnull=True, region__isnull=True)
    return pools.none()


def owns_training_body_pools(user: User) -> bool:
    """True for training-body admins, whose pools belong to one of their bodies; False for everyone else (HEE staff
    own their region's pools, or the national ones)."""
    return user.role == Role.TRAINING_BODY_ADMIN


def pool_owners(pool: TalentPool) -> list[User]:
    """The active people who own a pool (and are told of requests to join it): its body's admins, or the HEE
    staff of its region (national staff for a national pool)."""
    users = User.objects.filter(is_active=True)
    if pool.training_body_id:
        users = users.filter(
            role=Role.TRAINING_BODY_ADMIN, training_body_memberships__training_body_id=pool.training_body_id
        )
    else:
        users = users.filter(role=Role.HEE_STAFF, hee_region_id=pool.region_id)
    return list(users.order_by("email"))


def pool_for_owner(user: User, pool_id) -> TalentPool:
    pool = pools_owned_by(user).filter(pk=pool_id).first()
    if pool is None:
        raise Http404("No such talent pool.")
    return pool


def is_pool_owner(user: User, pool: TalentPool) -> bool:
    return pools_owned_by(user).filter(pk=pool.pk).exists()


def pool_audience_q(pool: TalentPool, prefix: str = "") -> Q:
    """Clinicians a pool may hold: those who share their record with the pool's owner (their confirmed body, or HEE
    within the region), of the pool's professions. Withdrawing that consent takes them out of every owner's view."""
    q = Q(**{f"{prefix}account_active": True})
    if pool.training_body_id:
        q &= Q(**{f"{prefix}shares_with_training_body": True, f"{prefix}training_body_id": pool.training_body_id})
    else:
        q &= Q(**{f"{prefix}shares_with_hee": True})
        if pool.region_id:
            q &= Q(**{f"{prefix}region_id": pool.region_id})
    if pool.professions:
        q &= Q(**{f"{prefix}profession__in": pool.professions})
    return q


def seen_by_owners_q(prefix: str = "") -> Q:
    """Memberships whose pool's owners may still see the clinician: `pool_audience_q` for every pool at once, the
    pool read from the membership's own row (for counting many pools in one query)."""
    p = prefix
    with_body = Q(
        **{
            f"{p}pool__training_body__isnull": False,
            f"{p}profile__shares_with_training_body": True,
            f"{p}profile__training_body_id": F(f"{p}pool__training_body_id"),
        }
    )
    with_hee = Q(**{f"{p}pool__training_body__isnull": True, f"{p}profile__shares_with_hee": True}) & (
        Q(**{f"{p}pool__region__isnull": True}) | Q(**{f"{p}profile__region_id": F(f"{p}pool__region_id")})
    )
    # `pathways.selectors.listed_or_any_q` with the clinician's own profession in place of a fixed code.
    profession = Q(**{f"{p}pool__professions": []}) | Q(
        **{f"{p}pool__professions__icontains": Concat(Value('"'), F(f"{p}profile__profession"), Value('"'))}
    )
    return Q(**{f"{p}profile__account_active": True}) & (with_body | with_hee) & profession


def pool_audience(pool: TalentPool) -> QuerySet[ClinicianProfile]:
    return ClinicianProfile.objects.filter(pool_audience_q(pool)).select_related("user")


def pool_candidates(pool: TalentPool) -> QuerySet[ClinicianProfile]:
    """Consenting clinicians an owner may invite (those already in the pool or invited are left out)."""
    live = PoolMembership.objects.filter(pool=pool, state__in=LIVE_MEMBERSHIP_STATES).values("profile_id")
    return ClinicianProfile.objects.filter(pool_audience_q(pool)).exclude(pk__in=live).order_by("full_name", "pk")


def pool_members(user: User, pool: TalentPool, *, states=(MembershipState.ACTIVE,)) -> QuerySet[PoolMembership]:
    """A pool's memberships its owner may see, in a fixed number of queries however many there are."""
    if not is_pool_owner(user, pool):
        raise Http404("No such talent pool.")
    return (
        PoolMembership.objects.filter(pool=pool, state__in=states)
        .filter(pool_audience_q(pool, "profile__"))
        .select_related("profile", "target_role", "readiness_by")
        .order_by("profile__full_name", "pk")
    )


def member_for_owner(user: User, pool: TalentPool, membership_id) -> PoolMembership:
    membership = (
        pool_members(user, pool, states=LIVE_MEMBERSHIP_STATES).select_related("pool").filter(pk=membership_id).first()
    )
    if membership is None:
        raise Http404("No such pool member.")
    return membership


def with_member_counts(pools: QuerySet[TalentPool]) -> QuerySet[TalentPool]:
    """Counts of the members and requests the owners would see listed: one who withdrew consent or closed their
    account is not counted, or the count would give the withdrawal away."""
    seen = seen_by_owners_q("memberships__")
    return pools.annotate(
        member_count=Count("memberships", filter=Q(memberships__state=MembershipState.ACTIVE) & seen),
        waiting_count=Count("memberships", filter=Q(memberships__state=MembershipState.REQUESTED) & seen),
    )


def own_memberships(user: User) -> QuerySet[PoolMembership]:
    """The clinician's own invitations, requests and memberships (never a pool they left or declined)."""
    if not user_can(user, Permission.JOIN_TALENT_POOLS):
        return PoolMembership.objects.none()
    return (
        PoolMembership.objects.filter(profile__user=user, state__in=LIVE_MEMBERSHIP_STATES)
        .select_related("pool__training_body", "pool__region", "target_role")
        .order_by("-created_at", "pk")
    )


def own_membership_for(user: User, membership_id) -> PoolMembership:
    membership = own_memberships(user).filter(pk=membership_id).first()
    if membership is None:
        raise Http404("No such pool membership.")
    return membership


def pools_open_to(user: User, *, include_joined: bool = False) -> QuerySet[TalentPool]:
    """Pools a clinician may ask to join: those whose owners they share their record with, for their profession,
    that they are not already in or invited to (unless `include_joined`)."""
    profile = ClinicianProfile.objects.filter(user=user, account_active=True).first()
    if profile is None or not user_can(user, Permission.JOIN_TALENT_POOLS):
        return TalentPool.objects.none()
    owners = Q(pk__in=[])
    if profile.shares_with_training_body and profile.training_body_id:
        owners |= Q(training_body_id=profile.training_body_id)
    if profile.shares_with_hee:
        owners |= Q(training_body__isnull=True, region_id=profile.region_id)
        owners |= Q(training_body__isnull=True, region__isnull=True)
    live = PoolMembership.objects.filter(profile=profile, state__in=LIVE_MEMBERSHIP_STATES).values("pool_id")
    pools = (
        TalentPool.objects.filter(owners)
        .filter(listed_or_any_q("professions", profile.profession))
        .select_related("training_body", "region")
    )
    return pools if include_joined else pools.exclude(pk__in=live)


def reviews_visible_to(user: User) -> QuerySet[TalentReview]:
    return (
        TalentReview.objects.filter(pool__in=pools_owned_by(user).values("pk"))
        .select_related("pool", "opened_by", "closed_by")
        .order_by("-opened_at", "pk")
    )


def review_for(user: User, review_id) -> TalentReview:
    review = reviews_visible_to(user).filter(pk=review_id).first()
    if review is None:
        raise Http404("No such talent review.")
    return review


def review_rows(user: User, review: TalentReview) -> list[PoolMembership]:
    """The review's rows, each a membership with `rating` (this review's ReviewRating or None): while open, the
    pool's current members; once closed, only the members rated in it, so the record does not change as members
    join later. A member who has since left, or whom the owners may no longer see, is left out either way."""
    members = pool_members(user, review.pool)
    if review.is_closed:
        members = members.filter(pk__in=ReviewRating.objects.filter(review=review).values("membership_id"))
    members = members.prefetch_related(
        Prefetch(
            "review_ratings",
            queryset=ReviewRating.objects.filter(review=review).select_related("agreed_by"),
            to_attr="ratings_here",
        )
    )
    rows = list(members)
    for member in rows:
        member.rating = member.ratings_here[0] if member.ratings_here else None
    return rows


@dataclass(frozen=True)
class ReadinessEvidence:
    """What an owner may already open of a member's record, to weigh their readiness. Each part is there only when
    the clinician shares it with this owner: HEE staff see their record (with the latest self-assessment) but never
    a plan, a 360 report or a career conversation."""

    self_assessed_at: datetime | None = None
    plan: bool = False
    feedback_rounds: list[FeedbackRound] = field(default_factory=list)
    conversations: list[CareerConversation] = field(default_factory=list)


def readiness_evidence_for(user: User, membership: PoolMembership) -> ReadinessEvidence | None:
    """None when the owner may not open the clinician's record at all; in a fixed number of queries."""
    profile = clinicians_visible_to(user).filter(pk=membership.profile_id).first()
    if profile is None:
        return None
    assessment = latest_completed_assessment(profile)
    return ReadinessEvidence(
        self_assessed_at=assessment.completed_at if assessment else None,
        plan=user_can(user, Permission.VIEW_SHARED_DEVELOPMENT_PLANS) and plan_shared_with(user, profile),
        feedback_rounds=shared_feedback_rounds_of(user, profile),
        conversations=conversations_with_clinician(user, profile),
    )
