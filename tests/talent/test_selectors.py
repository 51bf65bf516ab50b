"""Who may see which clinicians (DESIGN.md section 3), through the one selector every page and endpoint uses."""

import pytest
from django.http import Http404

from accounts.models import Region
from accounts.services import account_copy_to_profile
from talent.selectors import clinician_for, clinicians_visible_to, profile_of
from tests.factories import ClinicianProfileFactory


@pytest.fixture
def population(training_body, other_training_body):
    """Clinicians of `training_body` (North West) with every consent combination, plus one of the other body."""
    london = Region.objects.get(slug="london")
    return {
        "both": ClinicianProfileFactory(training_body=training_body),
        "body_only": ClinicianProfileFactory(training_body=training_body, shares_with_hee=False),
        "hee_only": ClinicianProfileFactory(training_body=training_body, shares_with_training_body=False),
        "neither": ClinicianProfileFactory(
            training_body=training_body, shares_with_hee=False, shares_with_training_body=False
        ),
        "other_body_london": ClinicianProfileFactory(training_body=other_training_body, region=london),
        "no_body": ClinicianProfileFactory(training_body=None),
    }


def visible(user, population) -> set[str]:
    ids = set(clinicians_visible_to(user).values_list("pk", flat=True))
    return {name for name, profile in population.items() if profile.pk in ids}


@pytest.mark.django_db
def test_training_body_admins_see_only_consenting_clinicians_of_their_body(tb_admin, other_tb_admin, population):
    """An admin lists clinicians of their own body who share with it; another body's admin sees none of them."""
    assert visible(tb_admin, population) == {"both", "body_only"}
    assert visible(other_tb_admin, population) == {"other_body_london"}


@pytest.mark.django_db
def test_hee_staff_see_clinicians_sharing_with_hee_within_their_region(hee_staff, regional_hee_staff, population):
    """National HEE staff see everyone sharing with HEE; London staff only London's."""
    assert visible(hee_staff, population) == {"both", "hee_only", "other_body_london", "no_body"}
    assert visible(regional_hee_staff, population) == {"other_body_london"}


@pytest.mark.django_db
def test_clinicians_editors_and_anonymous_see_nobody(clinician, editor, population):
    """Clinicians see only themselves (through their own profile), editors no one."""
    from django.contrib.auth.models import AnonymousUser

    for user in (clinician, editor, AnonymousUser()):
        assert visible(user, population) == set()
    assert profile_of(clinician) == clinician.clinician_profile
    assert profile_of(editor) is None


@pytest.mark.django_db
def test_a_clinician_out_of_scope_is_not_found(tb_admin, population):
    """Opening a non-consenting clinician's record is a 404, exactly like a record that does not exist."""
    assert clinician_for(tb_admin, population["both"].pk) == population["both"]
    with pytest.raises(Http404):
        clinician_for(tb_admin, population["neither"].pk)


@pytest.mark.django_db
def test_deactivated_clinicians_are_not_listed(tb_admin, population):
    """A deleted (deactivated) account never appears in lists, even if its consents were never withdrawn."""
    population["both"].user.is_active = False
    population["both"].user.save()
    account_copy_to_profile(user=population["both"].user)

    assert visible(tb_admin, population) == {"body_only"}
