"""Invariants the database itself enforces."""

import pytest
from django.db import IntegrityError

from accounts.models import AuditEvent, Region, Role, TrainingBodyMembership, User
from accounts.services import staff_user_create, training_body_admin_add
from config.errors import DomainError
from tests.factories import ClinicianFactory, TrainingBodyFactory


@pytest.mark.django_db
def test_the_seven_nhs_england_regions_are_loaded():
    """The regions come with the database, ready for training bodies and HEE staff."""
    assert sorted(Region.objects.values_list("name", flat=True)) == [
        "East of England",
        "London",
        "Midlands",
        "North East and Yorkshire",
        "North West",
        "South East",
        "South West",
    ]


@pytest.mark.django_db
def test_two_accounts_cannot_share_an_email_in_any_case():
    """The database refuses a second account whose email differs only in capitals."""
    ClinicianFactory(email="same@example.nhs.uk")
    with pytest.raises(IntegrityError):
        User.objects.create(email="SAME@example.nhs.uk", full_name="Someone")


@pytest.mark.django_db
def test_only_hee_staff_can_be_limited_to_a_region():
    """A region on a non-HEE account is refused by the database."""
    with pytest.raises(IntegrityError):
        ClinicianFactory(hee_region=Region.objects.first())


@pytest.mark.django_db
def test_only_training_body_admins_can_administer_a_body():
    """Making a clinician an admin of a training body is refused with a clear message."""
    with pytest.raises(DomainError, match="Only training-body admins"):
        training_body_admin_add(user=ClinicianFactory(), training_body=TrainingBodyFactory())
    assert TrainingBodyMembership.objects.count() == 0


@pytest.mark.django_db
def test_staff_accounts_are_never_clinicians_and_editors_get_the_admin_site():
    """Admins create staff accounts; an editor can use the admin site, HEE staff cannot."""
    with pytest.raises(DomainError):
        staff_user_create(email="c@example.nhs.uk", full_name="C", role=Role.CLINICIAN)
    editor = staff_user_create(email="e@example.nhs.uk", full_name="E", role=Role.CONTENT_EDITOR)
    hee = staff_user_create(email="h@example.nhs.uk", full_name="H", role=Role.HEE_STAFF)
    assert editor.is_staff and editor.has_perm("regulators.change_regulator")
    assert not hee.is_staff and not hee.has_perm("regulators.change_regulator")


@pytest.mark.django_db
def test_audit_events_cannot_be_changed_or_deleted():
    """The audit trail is append-only."""
    event = AuditEvent.objects.create(action="test.happened")
    event.action = "test.rewritten"
    with pytest.raises(Exception, match="cannot be changed"):
        event.save()
    with pytest.raises(Exception, match="cannot be deleted"):
        event.delete()
    assert AuditEvent.objects.get().action == "test.happened"
