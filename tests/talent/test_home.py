"""The clinician's home: interest, last self-assessment, what to do next, and who can see their information."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from talent import services
from talent.models import AssessmentStatus, SelfAssessment
from tests.factories import ClinicianProfileFactory

pytestmark = pytest.mark.django_db


def test_a_clinician_without_a_profile_is_sent_to_onboarding(client, new_clinician):
    """Signing in before telling us about yourself starts onboarding instead of an empty home."""
    client.force_login(new_clinician)

    response = client.get(reverse("talent:show_clinician_home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("talent:start_onboarding")


def test_the_home_says_when_nothing_is_recorded_yet(client, clinician):
    """A new profile has no interest or self-assessment yet, and the home says so in words."""
    client.force_login(clinician)

    page = client.get(reverse("talent:show_clinician_home")).content.decode()

    assert "Welcome, " in page
    assert page.count("Not recorded yet") == 2
    assert "Not completed yet" in page
    assert f'href="{reverse("talent:show_profile")}"' in page


def test_the_home_shows_current_interest_and_the_last_completed_self_assessment(client, clinician):
    """The current level and horizon come from the latest interest record; the date is the last completed one."""
    profile = clinician.clinician_profile
    services.interest_record(profile=profile, level=1, readiness_horizon="4_plus_years")
    services.interest_record(profile=profile, level=3, readiness_horizon="1_3_years")
    completed_at = timezone.make_aware(datetime(2025, 3, 14, 10, 0))
    SelfAssessment.objects.create(profile=profile, status=AssessmentStatus.COMPLETED, completed_at=completed_at)
    SelfAssessment.objects.create(profile=profile, status=AssessmentStatus.DRAFT)
    client.force_login(clinician)

    page = client.get(reverse("talent:show_clinician_home")).content.decode()

    assert "Actively developing" in page and "In 1 to 3 years" in page
    assert "Completed on 14 March 2025" in page
    assert "Not recorded yet" not in page


def test_the_home_explains_who_sees_what_for_each_consent(client, training_body):
    """Sharing choices are shown in words (not colour alone), with who sees what and a link to change them."""
    profile = ClinicianProfileFactory(
        training_body=training_body, shares_with_training_body=True, shares_with_hee=False
    )
    client.force_login(profile.user)

    page = client.get(reverse("talent:show_clinician_home")).content.decode()

    assert training_body.name in page
    assert ">Shared<" in page and ">Not shared<" in page
    assert "HEE staff cannot see your name or details" in page
    assert "Training body admins see your profile only if you share it with your training body" in page
    assert "only counted anonymously" in page
    assert "equality monitoring answers are never shown to anyone but you" in page
    assert f'href="{reverse("talent:answer_onboarding_consents")}"' in page


def test_a_clinician_without_a_training_body_is_told_none_can_see_them(client):
    """With no training body, the home says no training body can see the profile and offers to choose one."""
    profile = ClinicianProfileFactory(training_body=None, shares_with_training_body=False)
    client.force_login(profile.user)

    page = client.get(reverse("talent:show_clinician_home")).content.decode()

    assert "no training body can see your profile" in page
    assert f'href="{reverse("talent:answer_onboarding_training_body")}"' in page
