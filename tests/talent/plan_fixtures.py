"""Fixtures for development plans and mentoring, available to the whole suite (the permission matrix included).

`clinician` (of `training_body`) has a plan with one goal, one action and one review; `shared_plan` is that plan
shared with `training_body`. `mentor` is a clinician of `training_body` who is a clinical director (service level)
and offers to mentor two people (`mentoring_offer`); `mentoring_request` is `clinician` asking them, unanswered.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from talent.models import LeadershipExperience
from talent.services import mentoring as mentoring_service
from talent.services import plans as plan_service
from tests.factories import ClinicianFactory, ClinicianProfileFactory


@pytest.fixture
def plan_goal(clinician):
    return plan_service.plan_goal_add(
        clinician=clinician.clinician_profile,
        title="Lead a quality improvement project",
        dimensions=["engaging_the_team", "evaluating_information"],
        detail="Reduce handover delays in the emergency department.",
        target_on=timezone.localdate() + timedelta(days=200),
    )


@pytest.fixture
def plan_action(plan_goal, clinician):
    return plan_service.plan_action_add(
        goal=plan_goal, text="Shadow the clinical director at two service meetings", actor=clinician
    )


@pytest.fixture
def plan_review(plan_action, clinician):
    return plan_service.plan_review_record(plan=plan_action.goal.plan, note="Good start.", actor=clinician)


@pytest.fixture
def shared_plan(plan_action, clinician):
    return plan_service.plan_sharing_set(plan=plan_action.goal.plan, shared=True, actor=clinician)


def leader(training_body=None, *, level: str = "service", full_name: str = "Morgan Mentor", **profile):
    """A clinician in a current leadership role at `level`."""
    user = ClinicianFactory(full_name=full_name)
    mentor = ClinicianProfileFactory(user=user, training_body=training_body, **profile)
    LeadershipExperience.objects.create(
        profile=mentor,
        role="Clinical director",
        organisation="Example Teaching Hospitals",
        level=level,
        start_date=timezone.localdate() - timedelta(days=700),
    )
    return mentor


@pytest.fixture
def mentor(training_body):
    return leader(training_body)


@pytest.fixture
def mentoring_offer(mentor):
    return mentoring_service.mentoring_offer_save(
        profile=mentor,
        capacity=2,
        professions=[],
        regions=[],
        dimensions=["engaging_the_team"],
        target_roles=[],
        about="Twenty years in acute medicine; happy to talk about first leadership roles.",
    )


@pytest.fixture
def mentoring_request(clinician, mentoring_offer):
    return mentoring_service.mentoring_request_make(
        mentee=clinician.clinician_profile, offer=mentoring_offer, message="I would like help with my first project."
    )
