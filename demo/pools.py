"""Demo data of talent pools and succession: the demo training body's pool of future clinical directors (members
in every state, readiness assessed, and a closed talent review whose agreed ratings differ from some of the
originals; clinician@demo.test is a member and sees their readiness), HEE pools in London, the Midlands and the
North East and Yorkshire, and a national pool run by hee@demo.test, so the succession table is filled in.
Safe to run again: nothing is added once the demo body's pool exists."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Region, TrainingBody, User
from pathways.models import RoleLevel
from talent import selectors
from talent.models import (
    ClinicianProfile,
    MembershipState,
    PoolMembership,
    Readiness,
    ReadinessChange,
    TalentPool,
)
from talent.selectors.pools import pool_audience_q
from talent.services import pools as pool_services

BODY_POOL_NAME = "Future clinical directors (demo)"
NATIONAL_POOL_NAME = "Aspiring national clinical leaders (demo)"


@dataclass(frozen=True)
class RegionalPool:
    region_slug: str
    name: str
    purpose: str
    role_level: str


REGIONAL_POOLS = [
    RegionalPool(
        "london",
        "London board talent (demo)",
        "Clinicians in London who could join a trust board as medical or nursing director.",
        RoleLevel.ORGANISATION,
    ),
    RegionalPool(
        "midlands",
        "Midlands system leaders (demo)",
        "Clinical leaders for the Midlands' integrated care systems.",
        RoleLevel.SYSTEM,
    ),
    RegionalPool(
        "north-east-and-yorkshire",
        "North East and Yorkshire clinical directors (demo)",
        "Consultants and senior nurses ready to lead a service.",
        RoleLevel.SERVICE,
    ),
]

# What each member's owners assessed, in turn; None leaves one member not yet assessed.
READINESS_CYCLE = [
    Readiness.READY_NOW,
    Readiness.READY_1_2_YEARS,
    Readiness.READY_1_2_YEARS,
    Readiness.READY_3_PLUS_YEARS,
    Readiness.DEVELOP_IN_ROLE,
    None,
]
EVIDENCE = {
    Readiness.READY_NOW: "Acting clinical lead for six months; led the department through its inspection.",
    Readiness.READY_1_2_YEARS: "Chairs the quality improvement group; needs board-level experience.",
    Readiness.READY_3_PLUS_YEARS: "Strong clinically; starting their first leadership course.",
    Readiness.DEVELOP_IN_ROLE: "Newly in post; building the team before a bigger step.",
}
# Members in each state besides active ones: (state, how many).
OTHER_STATES = [(MembershipState.INVITED, 1), (MembershipState.REQUESTED, 1), (MembershipState.DECLINED, 1)]


def _candidates(pool: TalentPool, *, exclude: list[int], count: int) -> list[ClinicianProfile]:
    profiles: QuerySet[ClinicianProfile] = ClinicianProfile.objects.filter(pool_audience_q(pool)).exclude(
        pk__in=exclude
    )
    return list(profiles.order_by("full_name", "pk")[:count])


def _add_members(pool: TalentPool, profiles: list[ClinicianProfile], *, by: User | None) -> list[PoolMembership]:
    """The first profiles become members in every state (one invited, one asking to join, one who declined, one
    who left); the rest active, their readiness assessed in turn (written as the pool's owners would, with its
    history)."""
    now = timezone.now()
    members = []
    rest = list(profiles)
    for state, count in OTHER_STATES:
        for profile in rest[:count]:
            PoolMembership.objects.create(
                pool=pool,
                profile=profile,
                state=state,
                invited_by=by if state != MembershipState.REQUESTED else None,
                responded_at=now if state == MembershipState.DECLINED else None,
            )
        rest = rest[count:]
    for index, profile in enumerate(rest):
        readiness = READINESS_CYCLE[index % len(READINESS_CYCLE)]
        membership = PoolMembership.objects.create(
            pool=pool,
            profile=profile,
            state=MembershipState.ACTIVE,
            invited_by=by,
            responded_at=now,
            readiness=readiness or "",
            readiness_evidence=EVIDENCE[readiness] if readiness else "",
            readiness_by=by if readiness else None,
            readiness_at=now if readiness else None,
        )
        if readiness:
            ReadinessChange.objects.create(
                membership=membership, changed_by=by, from_readiness="", to_readiness=readiness
            )
        members.append(membership)
    if len(members) > 3:
        # One member left: they are counted nowhere any more.
        leaver = members.pop()
        leaver.state, leaver.left_at = MembershipState.LEFT, now
        leaver.save(update_fields=["state", "left_at"])
    return members


def _closed_review(*, pool: TalentPool, owner: User, members: list[PoolMembership]) -> None:
    """A review of the pool, closed, that moved some members' readiness: each agreed rating is kept beside the
    original."""
    review = pool_services.review_open(user=owner, pool=pool)
    moves = {Readiness.READY_1_2_YEARS: Readiness.READY_NOW, Readiness.READY_3_PLUS_YEARS: Readiness.READY_1_2_YEARS}
    for index, membership in enumerate(members):
        if not membership.readiness:
            continue
        agreed = moves.get(membership.readiness) if index % 2 == 1 else None
        pool_services.review_rate(
            user=owner,
            review=review,
            membership=membership,
            readiness=agreed or membership.readiness,
            note="Panel agreed after the 360 summary and the rota lead's view." if agreed else "",
        )
    pool_services.review_close(user=owner, review=review)


@transaction.atomic
def demo_pools_seed(*, training_body: TrainingBody, tb_admin: User, hee: User, clinician: User) -> int:
    """Returns how many pools were added (none once the demo body's pool exists)."""
    if TalentPool.objects.filter(name=BODY_POOL_NAME).exists():
        return 0
    added = 0
    demo_profile = selectors.profile_of(clinician)
    mine = [demo_profile.pk] if demo_profile is not None else []

    body_pool = pool_services.pool_create(
        user=tb_admin,
        name=BODY_POOL_NAME,
        purpose="Develop the clinicians of our programmes who could be clinical directors in the next few years.",
        role_level=RoleLevel.SERVICE,
        training_body=training_body,
    )
    added += 1
    members = _add_members(body_pool, _candidates(body_pool, exclude=mine, count=14), by=tb_admin)
    if demo_profile is not None and demo_profile.training_body_id == training_body.pk:
        membership = PoolMembership.objects.create(
            pool=body_pool,
            profile=demo_profile,
            state=MembershipState.ACTIVE,
            invited_by=tb_admin,
            invitation_note="Your supervisor suggested you: the pool meets four times a year.",
            responded_at=timezone.now(),
        )
        pool_services.readiness_assess(
            user=tb_admin,
            pool=body_pool,
            membership=membership,
            readiness=Readiness.READY_3_PLUS_YEARS,
            evidence="Leads the trainees' quality improvement work; a clinical lead role first would build on it.",
        )
        members.append(membership)
    _closed_review(pool=body_pool, owner=tb_admin, members=members)

    regions = {region.slug: region for region in Region.objects.all()}
    for spec in REGIONAL_POOLS:
        region = regions.get(spec.region_slug)
        if region is None:
            continue
        pool = TalentPool.objects.create(
            name=spec.name, purpose=spec.purpose, role_level=spec.role_level, region=region, created_by=None
        )
        added += 1
        _add_members(pool, _candidates(pool, exclude=mine, count=12), by=None)

    national = pool_services.pool_create(
        user=hee,
        name=NATIONAL_POOL_NAME,
        purpose="Senior clinicians from every region who could take a national clinical leadership role.",
        role_level=RoleLevel.NATIONAL,
    )
    added += 1
    _add_members(national, _candidates(national, exclude=mine, count=12), by=hee)
    return added
