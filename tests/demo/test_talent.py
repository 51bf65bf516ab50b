"""Demo nominations: every state appears, some wait for tbadmin@demo.test, and the demo clinician can still apply."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role
from demo import accounts as demo_accounts
from demo import talent as demo_talent
from pathways.selectors import eligibility_for, open_opportunities
from talent.models import Nomination, NominationState
from tests.factories import TEST_PASSWORD, ClinicianProfileFactory


@pytest.mark.django_db
def test_demo_nominations_cover_every_state_and_leave_the_demo_clinician_something_to_apply_for():
    call_command("load_starter_content", verbosity=0)
    users = demo_accounts.demo_accounts_seed(password="Demo-Password-1")
    clinician = next(user for user in users if user.role == Role.CLINICIAN)
    tb_admin = next(user for user in users if user.role == Role.TRAINING_BODY_ADMIN)
    body = tb_admin.administered_bodies.get()
    profile = demo_talent.demo_clinician_profile_seed(user=clinician, training_body=body)
    for stage, year in [("specialty_training", 5), ("consultant_gp", None), ("foundation", None)] * 8:
        ClinicianProfileFactory(training_body=body, career_stage=stage, specialty_training_year=year)

    added = demo_talent.demo_nominations_seed(tb_admin=tb_admin, clinician=clinician)
    today = timezone.localdate()

    nominations = Nomination.objects.filter(training_body=body)
    assert added == nominations.count()
    assert set(nominations.values_list("state", flat=True)) == set(NominationState.values)
    assert nominations.filter(state=NominationState.SUBMITTED).count() >= 5
    for nomination in nominations.select_related("profile", "opportunity"):
        assert eligibility_for(opportunity=nomination.opportunity, profile=nomination.profile, today=today).eligible
    nominated = set(Nomination.objects.filter(profile=profile).values_list("opportunity", flat=True))
    free = [
        o
        for o in open_opportunities(today)
        if o.pk not in nominated and eligibility_for(opportunity=o, profile=profile, today=today).eligible
    ]
    assert free, "the demo clinician must have an open opportunity to apply for"
    assert demo_talent.demo_nominations_seed(tb_admin=tb_admin, clinician=clinician) == 0


@pytest.mark.django_db
def test_the_demo_clinician_is_a_confirmed_member_and_the_demo_admin_has_requests_to_confirm():
    users = demo_accounts.demo_accounts_seed(password="Demo-Password-1")
    clinician = next(user for user in users if user.role == Role.CLINICIAN)
    tb_admin = next(user for user in users if user.role == Role.TRAINING_BODY_ADMIN)
    body = tb_admin.administered_bodies.get()
    waiting = ClinicianProfileFactory.create_batch(4, region=body.region, training_body=None)

    profile = demo_talent.demo_clinician_profile_seed(user=clinician, training_body=body)
    added = demo_talent.demo_membership_requests_seed(training_body=body)

    assert (profile.training_body, profile.training_body_confirmed_by) == (body, tb_admin)
    assert added == demo_talent.DEMO_MEMBERSHIP_REQUESTS
    assert body.membership_requests.count() == added
    assert set(body.membership_requests.all()) < set(waiting)
    assert demo_talent.demo_membership_requests_seed(training_body=body) == 0


@pytest.mark.django_db
def test_the_demo_clinician_has_a_plan_due_for_review_and_a_mentor(settings):
    """`make run` shows clinician@demo.test a plan (shared with their body, due for review) and an accepted mentor."""
    from talent.models import DevelopmentPlan, MentoringRequest, MentoringStatus

    settings.DEMO_PASSWORD = TEST_PASSWORD
    call_command("seed_demo", clinicians=0)
    call_command("seed_demo", clinicians=0)

    plan = DevelopmentPlan.objects.get(profile__user__email="clinician@demo.test")
    assert plan.goals.count() == 2 and plan.reviews.count() == 1 and plan.shared_with_training_body
    assert plan.next_review_on <= timezone.localdate()
    mentoring = MentoringRequest.objects.get(mentee=plan.profile)
    assert mentoring.status == MentoringStatus.ACCEPTED
    assert mentoring.mentor.user.email == "mentor@demo.test"
    assert mentoring.mentor.user.check_password(TEST_PASSWORD)
