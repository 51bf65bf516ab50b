"""Demo data of development plans and mentoring: clinician@demo.test has a plan (two goals with actions, a past
review, shared with their training body, due for review again) and a mentor, mentor@demo.test, a clinical director
who offers mentoring and has accepted them. Safe to run again."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, TrainingBody, User
from accounts.services import account_copy_to_profile
from pathways.models import ContentStatus, LeadershipRole, Opportunity, PathwayStep
from regulators.models import Profession
from talent import selectors, services
from talent.models import CareerStage, DevelopmentPlan, LeadershipExperience, MentoringRequest, MentoringStatus

MENTOR_EMAIL = "mentor@demo.test"
MENTOR_NAME = "Samuel Adeyemi"


@transaction.atomic
def demo_plan_seed(*, clinician: User) -> DevelopmentPlan | None:
    """Two goals on the dimensions the demo clinician rated lowest, with actions on a pathway step and an open
    opportunity, a review recorded seven months ago (so the next one is due), shared with their training body."""
    profile = selectors.profile_of(clinician)
    if profile is None:
        return None
    existing = DevelopmentPlan.objects.filter(profile=profile).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    weak = selectors.suggested_dimensions(profile) or ["engaging_the_team"]
    first = services.plan_goal_add(
        clinician=profile,
        title="Lead a quality improvement project in the emergency department",
        dimensions=weak[:2],
        detail="Cut the time from handover to first review, with the nursing team, and present the results.",
        target_on=today + timedelta(days=240),
    )
    second = services.plan_goal_add(
        clinician=profile,
        title="Chair the trainees' forum for a year",
        dimensions=weak[-1:],
        target_on=today + timedelta(days=365),
    )
    step = (
        PathwayStep.objects.filter(
            pathway__status=ContentStatus.PUBLISHED, pathway__target_role__slug="clinical-director"
        )
        .order_by("pathway__title", "order")
        .first()
    )
    services.plan_action_add(
        goal=first,
        text="Agree the project's aim and measures with my educational supervisor",
        actor=clinician,
        pathway_step=step,
        target_on=today + timedelta(days=30),
    )
    opportunity = (
        Opportunity.objects.filter(status=ContentStatus.PUBLISHED, closes_on__gte=today).order_by("closes_on").first()
    )
    services.plan_action_add(
        goal=first, text="Take a quality improvement course", actor=clinician, opportunity=opportunity
    )
    services.plan_action_add(goal=second, text="Stand for election at the next forum", actor=clinician)
    plan = first.plan
    services.plan_review_record(
        plan=plan,
        note="Started the plan with my supervisor; the project is agreed in outline.",
        actor=clinician,
        today=today - timedelta(days=210),
    )
    services.plan_sharing_set(plan=plan, shared=True, actor=clinician)
    return plan


@transaction.atomic
def demo_mentoring_seed(*, clinician: User, training_body: TrainingBody, password: str) -> MentoringRequest | None:
    """mentor@demo.test, a clinical director (service level) offering to mentor three doctors, who has accepted the
    demo clinician."""
    mentee = selectors.profile_of(clinician)
    if mentee is None:
        return None
    mentor_user = User.objects.filter(email=MENTOR_EMAIL).first()
    if mentor_user is None:
        mentor_user = User(email=MENTOR_EMAIL, full_name=MENTOR_NAME, role=Role.CLINICIAN, is_active=True)
        mentor_user.email_confirmed_at = timezone.now()
        mentor_user.set_password(password)
        mentor_user.save()
        account_copy_to_profile(user=mentor_user)
    mentor = selectors.profile_of(mentor_user)
    today = timezone.localdate()
    if mentor is None:
        mentor = services.profile_create(
            user=mentor_user,
            details=services.ProfileDetails(
                profession=Profession.DOCTOR,
                registration_number="7654322",
                first_registration_year=today.year - 22,
                career_stage=CareerStage.CONSULTANT_GP,
                specialty_training_year=None,
                specialty="Acute medicine",
                employer_name="Manchester University NHS Foundation Trust",
                employer_ods_code="R0A",
                region=training_body.region,
                training_body=None,
                shares_with_training_body=False,
                shares_with_hee=False,
            ),
        )
    if not LeadershipExperience.objects.filter(profile=mentor).exists():
        services.experience_save(
            profile=mentor,
            role="Clinical director for acute medicine",
            organisation="Manchester University NHS Foundation Trust",
            level="service",
            start_date=today - timedelta(days=1500),
        )
    offer = selectors.own_offer(mentor) or services.mentoring_offer_save(
        profile=mentor,
        capacity=3,
        professions=[Profession.DOCTOR],
        regions=[],
        dimensions=selectors.suggested_dimensions(mentee)[:2] or ["engaging_the_team"],
        target_roles=list(LeadershipRole.objects.filter(slug="clinical-director")),
        about="Twenty years in acute medicine and four as a clinical director; glad to talk through first "
        "leadership roles, quality improvement and getting the most from a training programme.",
    )
    existing = MentoringRequest.objects.filter(mentor=mentor, mentee=mentee).first()
    if existing is not None:
        return existing
    request = services.mentoring_request_make(
        mentee=mentee,
        offer=offer,
        message="I am aiming for a clinical director role after CCT and would value help with my first QI project.",
    )
    if request.status == MentoringStatus.PENDING:
        services.mentoring_accept(
            user=mentor_user, request=request, reply="Delighted to. Let us start with a call in the next fortnight."
        )
    return request
