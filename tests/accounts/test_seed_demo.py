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
    for email in ("clinician@demo.test", "tbadmin@demo.test", "hee@demo.test", "editor@demo.test"):
        assert email in output
        assert User.objects.get(email=email).check_password(TEST_PASSWORD)
    assert TEST_PASSWORD in output
    assert TrainingBody.objects.count() == 3
    assert TrainingBody.objects.values("region").distinct().count() == 3
    assert User.objects.filter(role=Role.CLINICIAN).count() == 26
    tbadmin = User.objects.get(email="tbadmin@demo.test")
    assert tbadmin.administered_bodies.count() == 1
    assert User.objects.get(email="editor@demo.test").is_staff
