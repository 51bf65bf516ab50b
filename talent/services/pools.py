"""Talent pools: the only place pools, memberships, assessed readiness and talent reviews change.

An invitation is never a silent listing: the clinician is emailed and is a member only once they accept. Each change
runs in one transaction that locks the row it changes, writes the audit event and owes its emails as outbox rows.
A review rating carries the version the owner saw, so of two owners agreeing the same member at once one wins and
the other is told who agreed it and when.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.audit import audit_record
from accounts.models import TrainingBody, User
from accounts.outbox import outbox_add
from accounts.permissions import Permission, user_can
from accounts.selectors import training_bodies_administered_by
from config.errors import DomainError
from pathways.models import LeadershipRole, RoleLevel
from regulators.models import Profession
from talent.models import (
    LIVE_MEMBERSHIP_STATES,
    POOL_ROLE_LEVELS,
    ClinicianProfile,
    MembershipState,
    PoolMembership,
    Readiness,
    ReadinessChange,
    ReviewRating,
    TalentPool,
    TalentReview,
)
from talent.selectors.pools import is_pool_owner, owns_training_body_pools, pool_audience_q, pool_owners

NAME_MAX_LENGTH = 150
TEXT_MAX_LENGTH = 5000


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y \\a\\t H:i")


def _text(value: str, *, field: str, label: str, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"Enter {label}", field=field)
    if len(value) > TEXT_MAX_LENGTH:
        raise DomainError(f"{label.capitalize()} must be {TEXT_MAX_LENGTH} characters or fewer", field=field)
    return value


def _require_owner(user: User, pool: TalentPool) -> None:
    if not user_can(user, Permission.MANAGE_TALENT_POOLS) or not is_pool_owner(user, pool):
        raise PermissionDenied("Only the pool's owners can do this.")


def _pool_context(pool: TalentPool, recipient: User, path: str, **extra) -> dict:
    return {
        "recipient_name": recipient.full_name,
        "pool_name": pool.name,
        "owner_name": pool.owner_name,
        "path": path,
        **extra,
    }


@transaction.atomic
def pool_create(
    *,
    user: User,
    name: str,
    purpose: str,
    role_level: str,
    professions: list[str] | None = None,
    training_body: TrainingBody | None = None,
) -> TalentPool:
    """An owner opens a pool: a training-body admin for one of their bodies; HEE staff for their region, or a
    national pool when they are national staff."""
    if not user_can(user, Permission.MANAGE_TALENT_POOLS):
        raise PermissionDenied("Only training-body admins and HEE staff run talent pools.")
    name = _text(name, field="name", label="a name", required=True)
    if len(name) > NAME_MAX_LENGTH:
        raise DomainError(f"The name must be {NAME_MAX_LENGTH} characters or fewer", field="name")
    purpose = _text(purpose, field="purpose", label="the pool's purpose", required=True)
    if role_level not in POOL_ROLE_LEVELS:
        levels = ", ".join(RoleLevel(level).label.lower() for level in POOL_ROLE_LEVELS)
        raise DomainError(f"Choose a role level: {levels}", field="role_level")
    professions = list(dict.fromkeys(professions or []))
    unknown = [p for p in professions if p not in Profession.values]
    if unknown:
        raise DomainError(f"Unknown profession: {', '.join(unknown)}", field="professions")
    pool = TalentPool(name=name, purpose=purpose, role_level=role_level, professions=professions, created_by=user)
    if owns_training_body_pools(user):
        bodies = training_bodies_administered_by(user)
        if training_body is None:
            training_body = bodies.first() if bodies.count() == 1 else None
        if training_body is None or not bodies.filter(pk=training_body.pk).exists():
            raise DomainError("Choose one of your training bodies", field="training_body")
        pool.training_body = training_body
    else:
        pool.region_id = user.hee_region_id
    pool.full_clean()
    pool.save()
    audit_record(actor=user, action="talent_pool.created", subject=pool, detail={"role_level": role_level})
    return pool


@transaction.atomic
def membership_invite(*, user: User, pool: TalentPool, profile: ClinicianProfile, note: str = "") -> PoolMembership:
    """An owner invites a consenting clinician; they are a member only once they accept."""
    _require_owner(user, pool)
    note = _text(note, field="note", label="a note", required=False)
    profile = (
        ClinicianProfile.objects.select_for_update()
        .select_related("user")
        .filter(pool_audience_q(pool), pk=profile.pk)
        .first()
    )
    if profile is None:
        raise DomainError(
            f"You can invite only clinicians who share their record with {pool.owner_name}"
            + (" and are of the pool's professions." if pool.professions else "."),
            field="clinician",
        )
    membership = PoolMembership(
        pool=pool, profile=profile, state=MembershipState.INVITED, invited_by=user, invitation_note=note
    )
    _save_new(membership, for_clinician=False)
    audit_record(actor=user, action="talent_pool.invited", subject=membership, detail={"pool": str(pool.pk)})
    if profile.user.is_active:
        outbox_add(
            key=f"pool_membership:{membership.pk}:invited",
            kind="pool_invitation",
            to=profile.user.email,
            context=_pool_context(
                pool,
                profile.user,
                reverse("talent:show_my_pool_membership", kwargs={"membership_id": membership.pk}),
                inviter_name=user.full_name,
                purpose=pool.purpose,
                note=note,
            ),
        )
    return membership


def _save_new(membership: PoolMembership, *, for_clinician: bool) -> None:
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as error:
        live = PoolMembership.objects.filter(
            pool=membership.pool, profile=membership.profile, state__in=LIVE_MEMBERSHIP_STATES
        ).first()
        if live is None:
            raise
        who = "You are" if for_clinician else f"{membership.profile.user.full_name} is"
        state = {
            MembershipState.INVITED: "already invited to",
            MembershipState.REQUESTED: "already asking to join",
            MembershipState.ACTIVE: "already a member of",
        }[live.state]
        raise DomainError(f"{who} {state} {membership.pool.name}.", field="clinician", conflict=True) from error


@transaction.atomic
def membership_request(*, user: User, pool: TalentPool) -> PoolMembership:
    """A clinician asks to join a pool whose owners they share their record with; the owners decide."""
    if not user_can(user, Permission.JOIN_TALENT_POOLS):
        raise PermissionDenied("Only clinicians join talent pools.")
    profile = ClinicianProfile.objects.select_for_update().select_related("user").filter(user=user).first()
    if profile is None or not ClinicianProfile.objects.filter(pool_audience_q(pool), pk=profile.pk).exists():
        raise DomainError(
            "You can ask to join only pools of those you share your record with, for your profession.", field="pool"
        )
    membership = PoolMembership(pool=pool, profile=profile, state=MembershipState.REQUESTED)
    _save_new(membership, for_clinician=True)
    audit_record(actor=user, action="talent_pool.requested", subject=membership, detail={"pool": str(pool.pk)})
    path = reverse("talent:show_pool", kwargs={"pool_id": pool.pk})
    for owner in pool_owners(pool):
        outbox_add(
            key=f"pool_membership:{membership.pk}:requested:{owner.pk}",
            kind="pool_request",
            to=owner.email,
            context=_pool_context(pool, owner, path, clinician_name=user.full_name),
        )
    return membership


def _locked(membership: PoolMembership) -> PoolMembership:
    locked = PoolMembership.objects.select_for_update().filter(pk=membership.pk).first()
    if locked is None:
        raise DomainError("This membership no longer exists.", conflict=True)
    return PoolMembership.objects.select_related("pool__training_body", "pool__region", "profile__user").get(
        pk=locked.pk
    )


@transaction.atomic
def membership_respond(*, user: User, membership: PoolMembership, accept: bool) -> PoolMembership:
    """The clinician answers an invitation; an owner answers a clinician's request to join."""
    membership = _locked(membership)
    own = membership.profile.user_id == user.pk and user_can(user, Permission.JOIN_TALENT_POOLS)
    if membership.state == MembershipState.INVITED:
        if not own:
            raise PermissionDenied("Only the clinician invited can answer an invitation.")
    elif membership.state == MembershipState.REQUESTED:
        _require_owner(user, membership.pool)
    else:
        raise DomainError(
            f"This is no longer waiting for an answer: {membership.get_state_display().lower()}.", conflict=True
        )
    previous = membership.state
    membership.state = MembershipState.ACTIVE if accept else MembershipState.DECLINED
    membership.responded_at = timezone.now()
    membership.save(update_fields=["state", "responded_at"])
    audit_record(
        actor=user,
        action=f"talent_pool.{'accepted' if accept else 'declined'}",
        subject=membership,
        detail={"from": previous, "to": membership.state},
    )
    if previous == MembershipState.REQUESTED and membership.profile.user.is_active:
        outbox_add(
            key=f"pool_membership:{membership.pk}:answered",
            kind="pool_request_answered",
            to=membership.profile.user.email,
            context=_pool_context(
                membership.pool, membership.profile.user, reverse("talent:list_my_pools"), accepted=accept
            ),
        )
    return membership


@transaction.atomic
def membership_leave(*, user: User, membership: PoolMembership) -> PoolMembership:
    """A clinician leaves (or withdraws a request) at any time; from then on no owner sees them in the pool."""
    membership = _locked(membership)
    if membership.profile.user_id != user.pk:
        raise PermissionDenied("Only the clinician can leave a pool.")
    if membership.state not in LIVE_MEMBERSHIP_STATES:
        raise DomainError("You are not in this pool.", conflict=True)
    previous = membership.state
    membership.state = MembershipState.LEFT
    membership.left_at = timezone.now()
    membership.save(update_fields=["state", "left_at"])
    audit_record(actor=user, action="talent_pool.left", subject=membership, detail={"from": previous})
    return membership


def _check_member(pool: TalentPool, membership: PoolMembership) -> None:
    if membership.pool_id != pool.pk or membership.state != MembershipState.ACTIVE:
        raise DomainError("This clinician is not a member of the pool.", field="member")


def _check_readiness(readiness: str) -> None:
    if readiness not in Readiness.values:
        raise DomainError("Choose how ready they are", field="readiness")


def _check_target_role(pool: TalentPool, target_role: LeadershipRole | None) -> None:
    if target_role is not None and target_role.level != pool.role_level:
        raise DomainError(
            f"{target_role.name} is a {RoleLevel(target_role.level).label.lower()} role; this pool is for "
            f"{RoleLevel(pool.role_level).label.lower()} roles.",
            field="target_role",
        )


def _readiness_change(membership: PoolMembership, *, user: User, previous: str, review: TalentReview | None) -> None:
    ReadinessChange.objects.create(
        membership=membership,
        changed_by=user,
        changed_at=membership.readiness_at,
        from_readiness=previous,
        to_readiness=membership.readiness,
        review=review,
    )
    audit_record(
        actor=user,
        action="talent_pool.readiness_changed",
        subject=membership,
        detail={"from": previous, "to": membership.readiness, "review": str(review.pk) if review else None},
    )


@transaction.atomic
def readiness_assess(
    *,
    user: User,
    pool: TalentPool,
    membership: PoolMembership,
    readiness: str,
    evidence: str,
    target_role: LeadershipRole | None = None,
) -> PoolMembership:
    """An owner records a member's readiness and the evidence for it; the clinician sees both."""
    _require_owner(user, pool)
    membership = _locked(membership)
    _check_member(pool, membership)
    _check_readiness(readiness)
    _check_target_role(pool, target_role)
    evidence = _text(evidence, field="evidence", label="the evidence", required=True)
    previous = membership.readiness
    membership.readiness = readiness
    membership.readiness_evidence = evidence
    membership.target_role = target_role
    membership.readiness_by = user
    membership.readiness_at = timezone.now()
    membership.save(update_fields=["readiness", "readiness_evidence", "target_role", "readiness_by", "readiness_at"])
    _readiness_change(membership, user=user, previous=previous, review=None)
    return membership


@transaction.atomic
def review_open(*, user: User, pool: TalentPool) -> TalentReview:
    """An owner opens a talent review; a pool has one open review at a time."""
    _require_owner(user, pool)
    TalentPool.objects.select_for_update().filter(pk=pool.pk).first()
    open_review = TalentReview.objects.filter(pool=pool, closed_at__isnull=True).select_related("opened_by").first()
    if open_review is not None:
        who = open_review.opened_by.full_name if open_review.opened_by else "someone"
        raise DomainError(
            f"{who} opened a review of this pool on {_when(open_review.opened_at)}; it is still open.", conflict=True
        )
    review = TalentReview.objects.create(pool=pool, opened_by=user)
    audit_record(actor=user, action="talent_review.opened", subject=review, detail={"pool": str(pool.pk)})
    return review


def _locked_review(review: TalentReview) -> TalentReview:
    TalentReview.objects.select_for_update().filter(pk=review.pk).first()
    review = TalentReview.objects.select_related("pool", "closed_by").get(pk=review.pk)
    if review.is_closed:
        who = review.closed_by.full_name if review.closed_by else "someone"
        raise DomainError(
            f"This review was closed by {who} on {_when(review.closed_at)}; it can no longer change.", conflict=True
        )
    return review


@transaction.atomic
def review_rate(
    *,
    user: User,
    review: TalentReview,
    membership: PoolMembership,
    readiness: str,
    note: str = "",
    version: int = 0,
) -> ReviewRating:
    """An owner records the readiness the review agreed for one member. `version` is the rating's version the owner
    saw (0: not yet agreed); when someone agreed it since, nothing is written and they are named."""
    _require_owner(user, review.pool)
    review = _locked_review(review)
    membership = _locked(membership)
    _check_member(review.pool, membership)
    _check_readiness(readiness)
    note = _text(note, field="note", label="a note", required=False)
    rating = ReviewRating.objects.select_for_update().filter(review=review, membership=membership).first()
    if rating is None and version != 0:
        raise DomainError("Nobody has agreed a readiness for this clinician in this review yet.", field="version")
    if rating is not None and rating.version != version:
        rating = ReviewRating.objects.select_related("agreed_by").get(pk=rating.pk)
        who = rating.agreed_by.full_name if rating.agreed_by else "someone"
        raise DomainError(
            f"{who} agreed {rating.get_agreed_readiness_display().lower()} for this clinician on "
            f"{_when(rating.agreed_at)}, after you opened the page. Check their rating before changing it.",
            conflict=True,
        )
    now = timezone.now()
    if rating is None:
        rating = ReviewRating(review=review, membership=membership, original_readiness=membership.readiness, version=0)
    previous = rating.agreed_readiness if rating.pk else None
    rating.agreed_readiness = readiness
    rating.agreed_by = user
    rating.agreed_at = now
    rating.note = note
    rating.version += 1
    rating.save()
    audit_record(
        actor=user,
        action="talent_review.rated",
        subject=review,
        detail={
            "member": str(membership.pk),
            "original": rating.original_readiness,
            "from": previous,
            "to": readiness,
        },
    )
    return rating


@transaction.atomic
def review_close(*, user: User, review: TalentReview) -> TalentReview:
    """Close the review once: the agreed ratings become the members' readiness (each change audited), and the
    review is read-only from then on."""
    _require_owner(user, review.pool)
    review = _locked_review(review)
    now = timezone.now()
    ratings = list(
        ReviewRating.objects.filter(review=review).only("membership_id", "agreed_readiness", "agreed_by_id", "note")
    )
    # Only members the owners may still see take the agreed readiness: not one who left or withdrew consent since.
    memberships = {
        membership.pk: membership
        for membership in PoolMembership.objects.select_for_update(of=("self",))
        .filter(pk__in=[rating.membership_id for rating in ratings], state=MembershipState.ACTIVE)
        .filter(pool_audience_q(review.pool, "profile__"))
    }
    changed, previous = [], {}
    for rating in ratings:
        membership = memberships.get(rating.membership_id)
        if membership is None or membership.readiness == rating.agreed_readiness:
            continue
        previous[membership.pk] = membership.readiness
        membership.readiness = rating.agreed_readiness
        membership.readiness_by_id = rating.agreed_by_id
        membership.readiness_at = now
        if not membership.readiness_evidence:
            membership.readiness_evidence = rating.note or "Agreed in a talent review."
        changed.append(membership)
    PoolMembership.objects.bulk_update(changed, ["readiness", "readiness_by", "readiness_at", "readiness_evidence"])
    for membership in changed:
        _readiness_change(membership, user=user, previous=previous[membership.pk], review=review)
    review.closed_by = user
    review.closed_at = now
    review.save(update_fields=["closed_by", "closed_at"])
    audit_record(actor=user, action="talent_review.closed", subject=review, detail={"pool": str(review.pool_id)})
    return review
