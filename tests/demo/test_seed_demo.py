"""The demo data command."""

import pytest
from django.core.management import call_command

from accounts.models import Role, TrainingBody, User
from tests.factories import TEST_PASSWORD


@pytest.mark.django_db
def test_seed_demo_creates_the_demo_accounts_and_is_idempotent(capsys, settings):
    """Running it twice leaves one of each demo account, three bodies and the requested clinicians."""
    settings.DEMO_PASSWORD = TEST_PASSWORD
    call_command("seed_demo", clinicians=25)
    call_command("seed_demo", clinicians=25)

    output = capsys.readouterr().out
    for email in ("clinician@demo.test", "tbadmin@demo.test", "hee@demo.test", "editor@demo.test", "mentor@demo.test"):
        assert email in output
        assert User.objects.get(email=email).check_password(TEST_PASSWORD)
    assert TEST_PASSWORD in output
    assert TrainingBody.objects.count() == 3
    assert TrainingBody.objects.values("region").distinct().count() == 3
    # The demo clinician, their mentor (mentor@demo.test) and the synthetic clinicians.
    assert User.objects.filter(role=Role.CLINICIAN).count() == 27
    tbadmin = User.objects.get(email="tbadmin@demo.test")
    assert tbadmin.administered_bodies.count() == 1
    assert User.objects.get(email="editor@demo.test").is_staff


@pytest.mark.django_db
def test_seed_demo_gives_every_clinician_a_realistic_profile():
    """Synthetic clinicians get valid profiles with a spread of professions, regions and interest histories."""
    from talent.models import ClinicianProfile, InterestRecord

    call_command("seed_demo", clinicians=200)

    profiles = ClinicianProfile.objects.select_related("regulator")
    assert profiles.count() == 202  # with the demo clinician and their mentor
    for profile in profiles:
        profile.regulator.validate_registration_number(profile.registration_number, profession=profile.profession)
        profile.full_clean()
    assert profiles.values("profession").distinct().count() >= 8
    assert profiles.values("region").distinct().count() == 7
    assert profiles.values("current_interest_level").distinct().count() == 5
    assert InterestRecord.objects.count() > 150
    demo = ClinicianProfile.objects.get(user__email="clinician@demo.test")
    assert demo.is_early_career and demo.training_body.admins.filter(email="tbadmin@demo.test").exists()
    assert demo.self_assessments.filter(status="completed").exists()
