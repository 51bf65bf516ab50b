"""A clinician's name and active flag, copied onto their profile by database triggers (talent migration 0008) so that
staff lists in name order read one table: the copy follows the account at once, whoever writes."""

import threading
import time
import uuid

import pytest
from django.db import IntegrityError, transaction

from accounts.models import User
from talent.models import ClinicianProfile
from talent.selectors.clinicians import clinicians_visible_to
from tests.config.test_settings import PRODUCTION_ENV, manage
from tests.factories import ClinicianFactory, ClinicianProfileFactory, HEEStaffFactory
from tests.talent.test_nominations_concurrency import race

pytestmark = pytest.mark.django_db


def copy_of(profile: ClinicianProfile) -> tuple[str, bool]:
    profile.refresh_from_db(fields=["full_name", "account_active"])
    return profile.full_name, profile.account_active


def test_a_new_profile_carries_its_accounts_name_and_active_flag():
    profile = ClinicianProfileFactory(user__full_name="Amara Okafor")
    inactive = ClinicianProfileFactory(user__full_name="Ben Hughes", user__is_active=False)

    assert copy_of(profile) == ("Amara Okafor", True)
    assert copy_of(inactive) == ("Ben Hughes", False)


def test_renaming_or_deactivating_an_account_is_copied_to_its_profile_in_the_same_statement():
    profile = ClinicianProfileFactory(user__full_name="Amara Okafor")

    User.objects.filter(pk=profile.user_id).update(full_name="Amara Okafor-Smith")
    assert copy_of(profile) == ("Amara Okafor-Smith", True)

    user = User.objects.get(pk=profile.user_id)
    user.is_active = False
    user.save()
    assert copy_of(profile) == ("Amara Okafor-Smith", False)


def test_a_deactivated_clinician_leaves_staff_lists_at_once():
    """The copy is what the privacy boundary reads (clinicians_visible_to), so it must never lag."""
    profile = ClinicianProfileFactory()
    hee = HEEStaffFactory()
    assert list(clinicians_visible_to(hee)) == [profile]

    User.objects.filter(pk=profile.user_id).update(is_active=False)

    assert list(clinicians_visible_to(hee)) == []


def test_the_copy_cannot_be_written_apart_from_the_account():
    profile = ClinicianProfileFactory(user__full_name="Amara Okafor")

    ClinicianProfile.objects.filter(pk=profile.pk).update(full_name="Someone else", account_active=False)
    assert copy_of(profile) == ("Amara Okafor", True)

    profile.full_name = "Someone else"
    profile.save()
    assert copy_of(profile) == ("Amara Okafor", True)


def test_saving_a_profile_read_before_its_account_was_deactivated_keeps_it_deactivated():
    profile = ClinicianProfileFactory()
    stale = ClinicianProfile.objects.get(pk=profile.pk)
    User.objects.filter(pk=profile.user_id).update(is_active=False)

    stale.specialty = "Cardiology"
    stale.save()

    assert copy_of(profile)[1] is False


def test_a_profile_moved_to_another_account_takes_that_accounts_name():
    profile = ClinicianProfileFactory(user__full_name="Amara Okafor")
    other = ClinicianFactory(full_name="Ben Hughes", is_active=False)

    ClinicianProfile.objects.filter(pk=profile.pk).update(user=other)

    assert copy_of(profile) == ("Ben Hughes", False)


def test_a_profile_naming_no_account_is_refused():
    profile = ClinicianProfileFactory.build(user=ClinicianFactory.build())
    profile.user_id = uuid.uuid4()

    with pytest.raises(IntegrityError), transaction.atomic():
        profile.save()


def test_a_renamed_clinician_moves_in_the_name_ordered_list():
    zed = ClinicianProfileFactory(user__full_name="Zed Adeyemi")
    ClinicianProfileFactory(user__full_name="Mo Farah")
    hee = HEEStaffFactory()

    User.objects.filter(pk=zed.user_id).update(full_name="Aaron Adeyemi")

    assert [p.full_name for p in clinicians_visible_to(hee)] == ["Aaron Adeyemi", "Mo Farah"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_account_deactivated_while_its_profile_is_being_created_is_copied_all_the_same():
    """The profile's transaction reads the account before the deactivation commits; it must not commit a copy the
    deactivation never saw (the trigger's FOR SHARE makes the deactivation wait for it)."""
    user = ClinicianFactory()
    inserted = threading.Event()

    def create_profile():
        with transaction.atomic():
            profile = ClinicianProfileFactory(user=user)
            inserted.set()
            time.sleep(0.5)  # the deactivation is sent meanwhile
        return profile

    def deactivate():
        assert inserted.wait(timeout=10)
        return User.objects.filter(pk=user.pk).update(is_active=False)

    profile, deactivated = race(create_profile, deactivate)

    assert deactivated == 1, deactivated
    assert copy_of(profile) == (user.full_name, False)


SQLITE_COPY = """
import uuid
from django.db import IntegrityError, transaction
from accounts.models import Region, User
from regulators.models import Regulator
from talent.models import ClinicianProfile

def copy(profile):
    profile.refresh_from_db(fields=["full_name", "account_active"])
    return (profile.full_name, profile.account_active)

user = User.objects.create_user(email="a@example.test", password=None, full_name="Amara Okafor")
profile = ClinicianProfile.objects.create(
    user=user, profession="nurse", regulator=Regulator.objects.get(code="NMC"), registration_number="12A3456E",
    first_registration_year=2015, career_stage="band_6", region=Region.objects.first(),
)
seen = [copy(profile)]
User.objects.filter(pk=user.pk).update(full_name="Amara Okafor-Smith", is_active=False)
seen.append(copy(profile))
ClinicianProfile.objects.filter(pk=profile.pk).update(full_name="Someone else", account_active=True)
seen.append(copy(profile))
other = User.objects.create_user(email="b@example.test", password=None, full_name="Ben Hughes")
ClinicianProfile.objects.filter(pk=profile.pk).update(user=other)
seen.append(copy(profile))
try:
    with transaction.atomic():
        ClinicianProfile.objects.filter(pk=profile.pk).update(user_id=uuid.uuid4())
    seen.append("accepted")
except IntegrityError:
    seen.append("refused")
print(seen)
"""


def test_sqlite_keeps_the_copy_in_step_too(tmp_path):
    """`make run`'s database: its own triggers, checked after every migration (a later one that rebuilds either table
    on SQLite would drop them)."""
    env = {**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path}/db"}
    # Forwards, back past the copy (accounts 0006 goes too), and forwards again.
    for target in ([], ["talent", "0007"], []):
        migrated = manage("migrate", *target, "--noinput", "-v0", env=env)
        assert migrated.returncode == 0, migrated.stderr

    result = manage("shell", "-v", "0", "-c", SQLITE_COPY, env=env)

    assert result.stdout.strip() == str(
        [
            ("Amara Okafor", True),
            ("Amara Okafor-Smith", False),
            ("Amara Okafor-Smith", False),
            ("Ben Hughes", True),
            "refused",
        ]
    ), result.stderr
