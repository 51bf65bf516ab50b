"""Demo data of the demo accounts: a full profile for clinician@demo.test and nominations in every state. The
national synthetic population is in demo/bulk.py."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import TrainingBody, User
from pathways.models import LeadershipRole
from pathways.selectors import eligibility_for, open_opportunities
from regulators.models import Profession
from talent import services
from talent.models import (
    CareerStage,
    ClinicianProfile,
    Dimension,
    Nomination,
    NominationRoute,
    NominationState,
    ReadinessHorizon,
)


@transaction.atomic
def demo_clinician_profile_seed(*, user: User, training_body: TrainingBody) -> ClinicianProfile:
    """clinician@demo.test: an early-career doctor (ST2) in the demo admin's training body, with a full record."""
    existing = ClinicianProfile.objects.filter(user=user).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    profile = services.profile_create(
        user=user,
        details=services.ProfileDetails(
            profession=Profession.DOCTOR,
            registration_number="7654321",
            first_registration_year=today.year - 4,
            career_stage=CareerStage.SPECIALTY_TRAINING,
            specialty_training_year=2,
            specialty="Emergency medicine",
            employer_name="Manchester University NHS Foundation Trust",
            employer_ods_code="R0A",
            region=training_body.region,
            training_body=training_body,
            shares_with_training_body=True,
            shares_with_hee=True,
        ),
    )
    admin = training_body.memberships.order_by("pk").first()
    if admin is not None:  # the body's admin confirms that the demo clinician is one of theirs
        services.training_body_members_confirm(actor=admin.user, training_body=training_body, profile_ids=[profile.pk])
        profile.refresh_from_db()
    director = LeadershipRole.objects.filter(slug="clinical-director")
    services.interest_record(
        profile=profile,
        level=1,
        readiness_horizon=ReadinessHorizon.FOUR_PLUS_YEARS,
        note="Enjoyed leading the rota redesign; curious about what comes next.",
    )
    services.interest_record(
        profile=profile,
        level=3,
        readiness_horizon=ReadinessHorizon.ONE_TO_THREE_YEARS,
        target_roles=director,
        note="Aiming for a clinical director role after CCT.",
    )
    services.experience_save(
        profile=profile,
        role="Rota and wellbeing lead",
        organisation="Emergency department",
        level="team",
        start_date=today - timedelta(days=400),
    )
    services.qualification_save(
        profile=profile,
        kind="leadership_management",
        title="Edward Jenner programme",
        awarding_body="NHS Leadership Academy",
        year_awarded=today.year - 1,
    )
    assessment = services.self_assessment_save(
        profile=profile, ratings={dimension: 2 + index % 2 for index, dimension in enumerate(Dimension.values)}
    )
    services.self_assessment_complete(assessment=assessment)
    services.equality_monitoring_save(profile=profile, answers={"sex": "female", "age_band": "25_34"})
    return profile


# How many demo nominations of the demo admin's body in each state (DESIGN.md section 4: every state appears).
DEMO_NOMINATION_STATES = [
    *["submitted"] * 6,
    *["pending_nominee"] * 2,
    *["approved"] * 2,
    *["rejected"] * 2,
    "withdrawn",
]
DEMO_REJECTION_REASONS = [
    "This year's places went to trainees further on in their programme; please apply again next year.",
    "Your supporting statement does not yet show the service-level project the programme asks for.",
]


def demo_nominations_seed(*, tb_admin: User, clinician: User, seed: int = 20261126) -> int:
    """Nominations in every state for the demo admin's training body, several waiting for a decision, with varied
    waiting times (idempotent: nothing is added once the body has nominations).

    The demo clinician gets one nomination from their body waiting for them to accept, and keeps open opportunities
    with no nomination, so they can apply for one themselves.
    """
    body = tb_admin.administered_bodies.order_by("pk").first()
    if body is None or Nomination.objects.filter(training_body=body).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not security
    today = timezone.localdate()
    now = timezone.now()
    opportunities = list(
        open_opportunities(today).filter(applications_through_service=True).order_by("closes_on", "title")
    )
    approved: dict = {}
    made: list = []

    def add(profile: ClinicianProfile, opportunity, state: str, waited: int, index: int) -> None:
        route = (
            NominationRoute.NOMINATION if state == NominationState.PENDING_NOMINEE or index % 3 == 0 else "application"
        )
        created = now - timedelta(days=waited + rng.randint(1, 3) if route == "nomination" else waited)
        nomination = Nomination(
            profile=profile,
            opportunity=opportunity,
            training_body=body,
            route=route,
            nominated_by=tb_admin if route == NominationRoute.NOMINATION else profile.user,
            supporting_statement=(
                f"{profile.user.full_name} has led improvement work in {profile.specialty or 'their service'} and is "
                f"ready for {opportunity.title}."
            ),
            state=state,
            created_at=created,
            submitted_at=None if state == NominationState.PENDING_NOMINEE else now - timedelta(days=waited),
        )
        if state in (NominationState.APPROVED, NominationState.REJECTED):
            nomination.decided_by = tb_admin
            nomination.decided_at = now - timedelta(days=max(waited - 2, 0))
            if state == NominationState.REJECTED:
                nomination.decision_reason = DEMO_REJECTION_REASONS[index % len(DEMO_REJECTION_REASONS)]
        if state == NominationState.WITHDRAWN:
            nomination.withdrawn_by = profile.user
            nomination.withdrawn_at = now - timedelta(days=max(waited - 1, 0))
        made.append(nomination)

    with transaction.atomic():
        demo_profile = ClinicianProfile.objects.filter(user=clinician).first()
        if demo_profile is not None:
            eligible = [
                o for o in opportunities if eligibility_for(opportunity=o, profile=demo_profile, today=today).eligible
            ]
            if len(eligible) >= 2:  # keep at least one to apply for
                add(demo_profile, eligible[-1], NominationState.PENDING_NOMINEE, 2, 0)
        candidates = (
            ClinicianProfile.objects.filter(training_body=body, user__is_active=True)
            .exclude(user=clinician)
            .select_related("user")
            .order_by("user__email")[:300]
        )
        states = iter(DEMO_NOMINATION_STATES)
        state = next(states)
        for index, profile in enumerate(candidates):
            for opportunity in opportunities:
                if not eligibility_for(opportunity=opportunity, profile=profile, today=today).eligible:
                    continue
                if state == NominationState.APPROVED:
                    if opportunity.places is not None and approved.get(opportunity.pk, 0) >= opportunity.places:
                        continue
                    approved[opportunity.pk] = approved.get(opportunity.pk, 0) + 1
                add(profile, opportunity, state, rng.randint(1, 30), index)
                state = next(states, None)
                break
            if state is None:
                break
        Nomination.objects.bulk_create(made)
    return len(made)


DEMO_MEMBERSHIP_REQUESTS = 3


@transaction.atomic
def demo_membership_requests_seed(*, training_body: TrainingBody) -> int:
    """A few synthetic clinicians of the body's region without a body ask to join it, so its admin has someone to
    confirm. Returns how many were added (none once the body has requests)."""
    if training_body.membership_requests.exists():
        return 0
    chosen = list(
        ClinicianProfile.objects.filter(
            region=training_body.region, training_body__isnull=True, account_active=True
        ).order_by("full_name", "user_id")[:DEMO_MEMBERSHIP_REQUESTS]
    )
    now = timezone.now()
    for days_ago, profile in enumerate(chosen, start=1):
        profile.requested_training_body = training_body
        profile.training_body_requested_at = now - timedelta(days=days_ago)
        profile.save(update_fields=["requested_training_body", "training_body_requested_at", "updated_at"])
    return len(chosen)
