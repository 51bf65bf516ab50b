"""Reads for the clinician home: saved pathways, and pathways and opportunities recommended for the clinician.

Each function costs a fixed number of queries, however much content there is.
"""

from datetime import date

from django.db.models import Case, IntegerField, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from accounts.models import User
from pathways.models import ContentStatus, Opportunity, Pathway, SavedPathway
from pathways.selectors import eligibility_for, listed_or_any_q, open_opportunities, pathways_visible_to
from talent.models import ClinicianProfile, InterestRecord

RECOMMENDED_PATHWAYS = 3
RECOMMENDED_OPPORTUNITIES = 3


def for_profession(profession: str) -> Q:
    """Content whose professions include this one, or that is open to any profession (an empty list)."""
    return listed_or_any_q("professions", profession)


def saved_pathways(profile: ClinicianProfile) -> QuerySet[SavedPathway]:
    """The clinician's saved pathways that are still published, most recently saved first."""
    return (
        SavedPathway.objects.filter(profile=profile, pathway__status=ContentStatus.PUBLISHED)
        .select_related("pathway", "pathway__target_role")
        .order_by("-saved_at", "-pk")
    )


def current_target_role_ids(profile: ClinicianProfile) -> QuerySet:
    """The target roles of the clinician's latest interest record (none before they record any), as a subquery."""
    latest = InterestRecord.objects.filter(profile=profile).order_by("-recorded_at").values("pk")[:1]
    return InterestRecord.target_roles.through.objects.filter(interestrecord_id=Subquery(latest)).values(
        "leadershiprole_id"
    )


def recommended_pathways(*, user: User, profile: ClinicianProfile, limit: int = RECOMMENDED_PATHWAYS) -> list[Pathway]:
    """Published pathways for the clinician's profession (or open to any): those into their current target roles
    first, then those written for their profession before general ones, then by title. Pathways they have already
    saved are left out: they are listed above."""
    role_ids = current_target_role_ids(profile)
    pathways = (
        pathways_visible_to(user)
        .filter(for_profession(profile.profession))
        .exclude(pk__in=SavedPathway.objects.filter(profile=profile).values("pathway_id"))
        .annotate(
            targets_my_role=Case(
                When(target_role_id__in=role_ids, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
            open_to_any=Case(When(professions=[], then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        .order_by("targets_my_role", "open_to_any", "title", "pk")
    )
    return list(pathways[:limit])


def recommended_opportunities(
    *, profile: ClinicianProfile, limit: int = RECOMMENDED_OPPORTUNITIES, today: date | None = None
) -> list[Opportunity]:
    """Open opportunities the clinician is eligible for, closing soonest first. The profession is narrowed in the
    database; the other rules are checked in Python on the rows (eligibility needs only the profile), so this is one
    query."""
    today = today or timezone.localdate()
    candidates = (
        open_opportunities(today).filter(for_profession(profile.profession)).order_by("closes_on", "title", "pk")
    )
    eligible = [
        opportunity
        for opportunity in candidates
        if eligibility_for(opportunity=opportunity, profile=profile, today=today).eligible
    ]
    return eligible[:limit]
