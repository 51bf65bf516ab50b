"""Reads of mentoring: who may offer, the offers that fit a clinician best (with the reasons, in words), and the
requests a clinician made or received. Only the two people of a request ever see it."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from pathways.models import ROLE_LEVEL_RANK, LeadershipRole, RoleLevel
from pathways.recommendations import current_target_role_ids
from pathways.selectors import listed_or_any_q
from regulators.models import Profession
from talent.models import (
    OPEN_MENTORING_STATUSES,
    ClinicianProfile,
    Dimension,
    LeadershipExperience,
    MentoringOffer,
    MentoringRequest,
    MentoringStatus,
)
from talent.selectors.plans import suggested_dimensions

SUGGESTIONS = 5
# Levels at which a current leadership role lets a clinician offer mentoring: service and above.
MENTOR_LEVELS = [level for level, rank in ROLE_LEVEL_RANK.items() if rank >= ROLE_LEVEL_RANK[RoleLevel.SERVICE]]
# How much each kind of fit weighs in the ranking.
ROLE_WEIGHT = 3
DIMENSION_WEIGHT = 2
PROFESSION_WEIGHT = 2
REGION_WEIGHT = 1


def current_leadership_q(today: date, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}level__in": MENTOR_LEVELS,
            f"{prefix}start_date__lte": today,
        }
    ) & (Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today}))


def mentoring_role_of(profile: ClinicianProfile, today: date | None = None) -> LeadershipExperience | None:
    """The clinician's current leadership role at service level or above (the most senior), which lets them offer
    mentoring; None when they hold none."""
    today = today or timezone.localdate()
    roles = list(LeadershipExperience.objects.filter(current_leadership_q(today), profile=profile))
    return max(roles, key=lambda role: (ROLE_LEVEL_RANK[role.level], role.start_date), default=None)


def own_offer(profile: ClinicianProfile) -> MentoringOffer | None:
    return MentoringOffer.objects.prefetch_related("regions", "target_roles").filter(mentor=profile).first()


@dataclass
class Suggestion:
    offer: MentoringOffer
    score: int
    reasons: list[str] = field(default_factory=list)


def _offer_roles_through():
    return MentoringOffer.target_roles.through


def _offer_regions_through():
    return MentoringOffer.regions.through


def suggestable_offers(profile: ClinicianProfile, today: date | None = None) -> QuerySet[MentoringOffer]:
    """Offers the clinician could ask now: open, with room, by an active clinician still in a leadership role at
    service level or above, open to the clinician's profession and region, not their own and not one they already
    have an open request with. Nobody who did not offer is ever here."""
    today = today or timezone.localdate()
    regions = _offer_regions_through().objects
    return (
        MentoringOffer.objects.filter(is_open=True, mentee_count__lt=F("capacity"), mentor__account_active=True)
        .exclude(mentor=profile)
        .filter(listed_or_any_q("professions", profile.profession))
        .filter(
            ~Exists(regions.filter(mentoringoffer_id=OuterRef("pk")))
            | Exists(regions.filter(mentoringoffer_id=OuterRef("pk"), region_id=profile.region_id))
        )
        .filter(
            Exists(LeadershipExperience.objects.filter(current_leadership_q(today), profile_id=OuterRef("mentor_id")))
        )
        .exclude(
            Exists(
                MentoringRequest.objects.filter(
                    mentor_id=OuterRef("mentor_id"), mentee=profile, status__in=OPEN_MENTORING_STATUSES
                )
            )
        )
    )


def mentor_suggestions(
    profile: ClinicianProfile, *, limit: int = SUGGESTIONS, today: date | None = None
) -> list[Suggestion]:
    """Up to `limit` offers ranked by fit: the clinician's target roles (latest interest), the dimensions they rated
    lowest, then offers written for their profession and region before open ones; each with its reasons in words.
    Ranked in the database, so the number of queries does not grow with the number of offers."""
    today = today or timezone.localdate()
    target_role_ids = list(current_target_role_ids(profile).values_list("leadershiprole_id", flat=True))
    weak_dimensions = suggested_dimensions(profile)
    roles = _offer_roles_through().objects
    role_matches = Coalesce(
        Subquery(
            roles.filter(mentoringoffer_id=OuterRef("pk"), leadershiprole_id__in=target_role_ids or [0])
            .order_by()
            .values("mentoringoffer_id")
            .annotate(matches=Count("pk"))
            .values("matches")[:1],
            output_field=IntegerField(),
        ),
        0,
    )
    dimension_matches = sum(
        (
            Case(When(dimensions__icontains=f'"{key}"', then=Value(1)), default=Value(0), output_field=IntegerField())
            for key in weak_dimensions
        ),
        Value(0, output_field=IntegerField()),
    )
    for_profession = Case(
        When(professions__icontains=f'"{profile.profession}"', then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    in_region = Case(
        When(
            Exists(
                _offer_regions_through().objects.filter(mentoringoffer_id=OuterRef("pk"), region_id=profile.region_id)
            ),
            then=Value(1),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    offers = list(
        suggestable_offers(profile, today)
        .annotate(
            role_matches=role_matches,
            dimension_matches=dimension_matches,
            for_profession=for_profession,
            in_region=in_region,
        )
        .annotate(
            score=F("role_matches") * ROLE_WEIGHT
            + F("dimension_matches") * DIMENSION_WEIGHT
            + F("for_profession") * PROFESSION_WEIGHT
            + F("in_region") * REGION_WEIGHT
        )
        .select_related("mentor__user")
        .prefetch_related("target_roles")
        .order_by("-score", "mentee_count", "created_at", "pk")[:limit]
    )
    roles_of_mentors = _current_roles(offer.mentor_id for offer in offers)
    profession_label = dict(Profession.choices).get(profile.profession, profile.profession)
    dimension_labels = dict(Dimension.choices)
    suggestions = []
    for offer in offers:
        reasons = []
        role = roles_of_mentors.get(offer.mentor_id)
        if role is not None:
            reasons.append(f"Is {role.role} at {role.organisation} ({role.get_level_display().lower()} level)")
        aimed_at = [r.name for r in offer.target_roles.all() if r.pk in target_role_ids]
        if aimed_at:
            reasons.append(
                f"Mentors towards {_joined(aimed_at)}, the role{'s' if len(aimed_at) > 1 else ''} you are aiming for"
            )
        helps_with = [dimension_labels[key] for key in weak_dimensions if key in offer.dimensions]
        if helps_with:
            reasons.append(f"Offers help with {_joined(helps_with)}, which you rated lowest in your self-assessment")
        reasons.append(f"Mentors {_plural(profession_label)}" if offer.for_profession else "Mentors any profession")
        reasons.append(f"Mentors in {profile.region.name}" if offer.in_region else "Mentors in any region")
        suggestions.append(Suggestion(offer=offer, score=offer.score, reasons=reasons))
    return suggestions


def _plural(profession: str) -> str:
    """ "Midwife" -> "midwives", "Chiropodist or podiatrist" -> "chiropodists or podiatrists"."""
    return " or ".join(
        part[:-4] + "wives" if part.endswith("wife") else part + "s" for part in profession.lower().split(" or ")
    )


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _current_roles(profile_ids) -> dict:
    """Each mentor's most senior current leadership role, in one query."""
    today = timezone.localdate()
    best: dict = {}
    for role in LeadershipExperience.objects.filter(current_leadership_q(today), profile_id__in=list(profile_ids)):
        held = best.get(role.profile_id)
        if held is None or (ROLE_LEVEL_RANK[role.level], role.start_date) > (
            ROLE_LEVEL_RANK[held.level],
            held.start_date,
        ):
            best[role.profile_id] = role
    return best


def offer_to_ask(profile: ClinicianProfile, offer_id) -> MentoringOffer:
    """An open offer the clinician may ask (404 otherwise). Whether it is their own, has room or already has their
    request is the service's to say, with a clear reason."""
    offer = (
        MentoringOffer.objects.select_related("mentor__user")
        .prefetch_related("regions", "target_roles")
        .filter(pk=offer_id, is_open=True, mentor__account_active=True)
        .first()
    )
    if offer is None:
        raise Http404("No such mentoring offer.")
    return offer


def mentoring_requests_of(user: User) -> QuerySet[MentoringRequest]:
    """Requests the user made or received (as mentee or mentor); nobody else's."""
    return (
        MentoringRequest.objects.filter(Q(mentee__user=user) | Q(mentor__user=user))
        .select_related("mentor__user", "mentee__user", "mentee__region", "offer")
        .order_by("-created_at", "pk")
    )


def mentoring_request_for(user: User, request_id) -> MentoringRequest:
    request = mentoring_requests_of(user).filter(pk=request_id).first()
    if request is None:
        raise Http404("No such mentoring request.")
    return request


def mentoring_to_do(profile: ClinicianProfile) -> dict:
    """For the clinician's home, in one query: requests waiting for their answer as a mentor, their own requests
    waiting for an answer, and their current mentors and mentees."""
    return MentoringRequest.objects.filter(Q(mentor=profile) | Q(mentee=profile)).aggregate(
        waiting_for_you=Count("pk", filter=Q(mentor=profile, status=MentoringStatus.PENDING)),
        waiting_for_mentor=Count("pk", filter=Q(mentee=profile, status=MentoringStatus.PENDING)),
        mentors=Count("pk", filter=Q(mentee=profile, status=MentoringStatus.ACCEPTED)),
        mentees=Count("pk", filter=Q(mentor=profile, status=MentoringStatus.ACCEPTED)),
    )


def target_roles_for_offers() -> QuerySet[LeadershipRole]:
    return LeadershipRole.objects.order_by("name")
