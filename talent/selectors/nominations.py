"""Reads of nominations, always scoped to the user asking (DESIGN.md section 3).

A clinician sees their own; a training-body admin sees the nominations their bodies decide; everyone else none.
Outside that scope a nomination does not exist (404).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.models import Role, TrainingBodyMembership, User
from pathways.models import Opportunity
from pathways.selectors import eligibility_for, open_opportunities
from talent.models import (
    LIVE_NOMINATION_STATES,
    ClinicianProfile,
    InterestRecord,
    Nomination,
    NominationState,
    SelfAssessment,
)
from talent.selectors.clinicians import clinicians_visible_to, interest_timeline, latest_completed_assessment

# States still waiting for someone: the queue measures how long they have waited.
WAITING_STATES = (NominationState.PENDING_NOMINEE, NominationState.SUBMITTED)


def nominations_visible_to(user: User) -> QuerySet[Nomination]:
    """Nominations this user may list or open, with what every list shows, in a fixed number of queries."""
    if not user.is_authenticated or not user.is_active:
        return Nomination.objects.none()
    base = Nomination.objects.select_related(
        "profile__user",
        "opportunity",
        "training_body",
        "decided_by",
        "withdrawn_by",
        "nominated_by",
        "outcome_recorded_by",
    )
    if user.role == Role.CLINICIAN:
        return base.filter(profile__user=user)
    if user.role == Role.TRAINING_BODY_ADMIN:
        # The admin's bodies as a subquery, not joined through to their memberships: one table fewer for the
        # planner to place among the seven joined above.
        administered = TrainingBodyMembership.objects.filter(user=user).values("training_body_id")
        return base.filter(training_body_id__in=administered)
    return Nomination.objects.none()


def nomination_for(user: User, nomination_id) -> Nomination:
    """One nomination the user may see; 404 otherwise, so existence never leaks."""
    nomination = nominations_visible_to(user).filter(pk=nomination_id).first()
    if nomination is None:
        raise Http404("No such nomination.")
    return nomination


def own_nominations(user: User) -> QuerySet[Nomination]:
    """The signed-in clinician's nominations, newest first."""
    if not user.is_authenticated or user.role != Role.CLINICIAN:
        return Nomination.objects.none()
    return nominations_visible_to(user).order_by("-created_at", "pk")


def live_nomination_of(user: User, opportunity: Opportunity) -> Nomination | None:
    """The clinician's current (not rejected or withdrawn) nomination for an opportunity, if any."""
    return own_nominations(user).filter(opportunity=opportunity, state__in=LIVE_NOMINATION_STATES).first()


def places_taken(opportunity: Opportunity) -> int:
    """How many of the opportunity's places approved nominations hold."""
    return Nomination.objects.filter(opportunity=opportunity, state=NominationState.APPROVED).count()


def nominations_of_clinician(user: User, profile: ClinicianProfile) -> QuerySet[Nomination]:
    """A clinician's applications and nominations that the user's training bodies decide, newest first (none for
    anyone who decides none)."""
    if not user.is_authenticated or user.role != Role.TRAINING_BODY_ADMIN:
        return Nomination.objects.none()
    return nominations_visible_to(user).filter(profile=profile).order_by("-created_at", "pk")


@dataclass(frozen=True)
class NotOffered:
    opportunity: Opportunity
    reasons: list[str]


@dataclass(frozen=True)
class NominationChoices:
    """The open opportunities an admin may nominate a clinician for, and each other open one with why not."""

    offered: list[Opportunity]
    not_offered: list[NotOffered]


def nomination_choices(*, profile: ClinicianProfile, today: date | None = None) -> NominationChoices:
    """Sort today's open opportunities into those `profile` (a clinician the admin may see, from
    `clinicians_visible_to`) may be nominated for and the rest, each with why in plain words: it takes applications
    only on its provider's website, the clinician already has a live nomination for it, or an eligibility rule
    (`pathways.selectors.eligibility_for`, the one rule) fails. The same checks as `nomination_nominate`, so what is
    offered is what it accepts. Two queries however many opportunities."""
    today = today or timezone.localdate()
    live = dict(
        Nomination.objects.filter(profile=profile, state__in=LIVE_NOMINATION_STATES).values_list(
            "opportunity_id", "state"
        )
    )
    name = profile.user.full_name
    offered, not_offered = [], []
    for opportunity in open_opportunities(today).order_by("title", "pk"):
        reasons = []
        if not opportunity.applications_through_service:
            reasons.append(f"Applications go straight to {opportunity.provider}, not through this service.")
        if opportunity.pk in live:
            state = NominationState(live[opportunity.pk]).label.lower()
            reasons.append(f"{name} has already applied for it or been nominated ({state}).")
        reasons += eligibility_for(opportunity=opportunity, profile=profile, today=today, name=name).reasons
        if reasons:
            not_offered.append(NotOffered(opportunity=opportunity, reasons=reasons))
        else:
            offered.append(opportunity)
    return NominationChoices(offered=offered, not_offered=not_offered)


QUEUE_SORTS = {
    "longest_waiting": ("waiting_since", "pk"),
    "newest": ("-waiting_since", "pk"),
}


def nomination_queue(
    user: User, *, state: str | None = None, opportunity: Opportunity | None = None, sort: str = "longest_waiting"
) -> QuerySet[Nomination]:
    """A training-body admin's nominations, filtered, sorted by how long they have waited (since they were made,
    or accepted when the nominee had to accept first)."""
    if not user.is_authenticated or user.role != Role.TRAINING_BODY_ADMIN:
        return Nomination.objects.none()
    # Only what the queue shows (the nominee's name is copied onto their profile): with every related row of
    # `nominations_visible_to` joined, PostgreSQL took far longer to choose a join order than to run the query.
    nominations = (
        nominations_visible_to(user)
        .select_related(None)
        .select_related("profile", "opportunity")
        .annotate(waiting_since=Coalesce(F("submitted_at"), F("created_at")))
    )
    if state:
        nominations = nominations.filter(state=state)
    if opportunity is not None:
        nominations = nominations.filter(opportunity=opportunity)
    return nominations.order_by(*QUEUE_SORTS.get(sort, QUEUE_SORTS["longest_waiting"]))


def days_waiting(nomination: Nomination, today: date | None = None) -> int | None:
    """Whole days a nomination has waited for its next step; None once it is final."""
    if nomination.state not in WAITING_STATES:
        return None
    since = nomination.submitted_at or nomination.created_at
    return ((today or timezone.localdate()) - timezone.localdate(since)).days


def queue_opportunities(user: User) -> QuerySet[Opportunity]:
    """Opportunities with at least one nomination the admin's bodies decide (for the queue's filter)."""
    if not user.is_authenticated or user.role != Role.TRAINING_BODY_ADMIN:
        return Opportunity.objects.none()
    return Opportunity.objects.filter(nominations__training_body__memberships__user=user).distinct().order_by("title")


@dataclass(frozen=True)
class NomineeSummary:
    """What the deciding admin may see of the nominee: their profile only if they consent to share it with the
    body (DESIGN.md section 3); otherwise only the application itself."""

    profile: ClinicianProfile | None
    timeline: list[InterestRecord]
    assessment: SelfAssessment | None

    @property
    def shared(self) -> bool:
        return self.profile is not None


def nominee_summary(user: User, nomination: Nomination) -> NomineeSummary:
    profile = clinicians_visible_to(user).filter(pk=nomination.profile_id).first()
    if profile is None:
        return NomineeSummary(profile=None, timeline=[], assessment=None)
    return NomineeSummary(
        profile=profile,
        timeline=list(interest_timeline(profile)),
        assessment=latest_completed_assessment(profile),
    )
