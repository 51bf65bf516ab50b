"""A clinician's name and active flag, copied onto their profile so that staff lists in name order read one table:
every service that creates a profile or changes an account's name or active flag keeps the copy equal to the
account, and the check ltt.W005 finds any profile whose copy disagrees."""

import ast
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from accounts.services import account_copy_to_profile, password_changed, sign_up_confirm, sign_up_token_make
from demo import accounts as demo
from talent import services
from talent.checks import profile_copy_agrees, profiles_disagreeing_with_their_account
from talent.models import ClinicianProfile
from talent.selectors.clinicians import clinicians_visible_to
from tests.concurrency import race
from tests.config.test_settings import PRODUCTION_ENV, manage
from tests.factories import TEST_PASSWORD, ClinicianFactory, ClinicianProfileFactory, HEEStaffFactory
from tests.talent.test_services import details

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent


def copy_of(profile: ClinicianProfile) -> tuple[str, bool]:
    profile.refresh_from_db(fields=["full_name", "account_active"])
    return profile.full_name, profile.account_active


def all_agree() -> bool:
    return not profiles_disagreeing_with_their_account().exists()


def test_a_new_profile_carries_its_accounts_name_and_active_flag():
    user = ClinicianFactory(full_name="Amara Okafor")

    profile = services.profile_create(user=user, details=details())

    assert copy_of(profile) == ("Amara Okafor", True)


def test_confirming_a_sign_up_lists_the_clinician():
    profile = ClinicianProfileFactory(user__is_active=False, user__email_confirmed_at=None)
    hee = HEEStaffFactory()

    sign_up_confirm(token=sign_up_token_make(user=profile.user))

    assert copy_of(profile)[1] is True
    assert list(clinicians_visible_to(hee)) == [profile]
    assert all_agree()


def test_a_password_reset_that_confirms_the_account_copies_the_flag():
    profile = ClinicianProfileFactory(user__is_active=False, user__email_confirmed_at=None)

    password_changed(user=profile.user)

    assert copy_of(profile)[1] is True


def test_a_deleted_clinician_leaves_staff_lists_at_once():
    """The copy is what the privacy boundary reads (clinicians_visible_to), so it must never lag."""
    profile = ClinicianProfileFactory(user__full_name="Amara Okafor")
    hee = HEEStaffFactory()
    assert list(clinicians_visible_to(hee)) == [profile]

    services.clinician_account_delete(user=profile.user)

    assert copy_of(profile) == ("Deleted clinician", False)
    assert list(clinicians_visible_to(hee)) == []


def test_renaming_or_deactivating_a_clinician_in_the_admin_site_is_copied(client):
    profile = ClinicianProfileFactory(user__full_name="Zed Adeyemi")
    ClinicianProfileFactory(user__full_name="Mo Farah")
    client.force_login(User.objects.create_superuser(email="admin@example.nhs.uk", full_name="Admin", password="x"))
    url = reverse("admin:accounts_user_change", args=[profile.user.pk])
    form = client.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None
        and key not in {"groups", "user_permissions", "password", "date_joined", "last_login", "hee_region"}
    }
    data.update(full_name="Aaron Adeyemi", is_active="on", email_confirmed_at_0="", email_confirmed_at_1="")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert [p.full_name for p in clinicians_visible_to(HEEStaffFactory())] == ["Aaron Adeyemi", "Mo Farah"]

    del data["is_active"]
    assert client.post(url, data).status_code == 302
    assert copy_of(profile) == ("Aaron Adeyemi", False)


def test_seeding_the_demo_accounts_again_copies_their_names():
    demo.demo_accounts_seed(password=TEST_PASSWORD)
    clinician = User.objects.get(email="clinician@demo.test")
    profile = ClinicianProfileFactory(user=clinician)
    User.objects.filter(pk=clinician.pk).update(full_name="Renamed meanwhile", is_active=False)

    demo.demo_accounts_seed(password=TEST_PASSWORD)

    assert copy_of(profile) == (clinician.full_name, True)


def test_the_check_names_profiles_whose_copy_disagrees():
    profile = ClinicianProfileFactory(user__full_name="Amara Okafor")
    ClinicianProfileFactory()
    assert profile_copy_agrees(databases=["default"]) == []

    User.objects.filter(pk=profile.user_id).update(full_name="Amara Okafor-Smith")  # no service: no copy

    [warning] = profile_copy_agrees(databases=["default"])
    assert warning.id == "ltt.W005"
    assert str(profile.pk) in warning.msg
    account_copy_to_profile(user=profile.user)
    assert profile_copy_agrees(databases=["default"]) == []


def test_the_check_runs_with_the_database_checks():
    call_command("check", "--database", "default", "--fail-level", "WARNING")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_account_deleted_while_its_profile_is_being_created_leaves_it_hidden():
    """The profile reads the account under a lock, so the deletion waits for it, then copies onto the new profile;
    neither commits a copy the other never saw."""
    user = ClinicianFactory()
    locked = threading.Event()

    def create_profile():
        with transaction.atomic():
            profile = services.profile_create(user=user, details=details())
            locked.set()
            time.sleep(0.5)  # the deletion is sent meanwhile
        return profile

    def delete():
        assert locked.wait(timeout=10)
        services.clinician_account_delete(user=user)

    profile, deleted = race(create_profile, delete)

    assert deleted is None, deleted
    assert copy_of(profile) == ("Deleted clinician", False)


WRITERS_OF_THE_COPY = {"account_copy_to_profile", "accounts_copy_to_profiles"}


def functions_changing_a_name_or_active_flag():
    """(file, function) of product and demo code that assigns `.full_name` or `.is_active` on an existing object."""
    for package in ("accounts", "config", "demo", "pathways", "regulators", "talent"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for function in ast.walk(ast.parse(path.read_text())):
                if not isinstance(function, ast.FunctionDef):
                    continue
                assigned = {
                    target.attr
                    for node in ast.walk(function)
                    if isinstance(node, ast.Assign)
                    for target in node.targets
                    if isinstance(target, ast.Attribute)
                }
                if assigned & {"full_name", "is_active"}:
                    calls = {
                        node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                        for node in ast.walk(function)
                        if isinstance(node, ast.Call)
                    }
                    yield path.relative_to(ROOT), function.name, bool(calls & WRITERS_OF_THE_COPY)


def test_every_function_that_changes_a_name_or_active_flag_writes_the_copy():
    found = list(functions_changing_a_name_or_active_flag())

    assert {(str(path), name) for path, name, _ in found} >= {
        ("accounts/services.py", "_email_confirmed"),
        ("talent/services/clinicians.py", "clinician_account_delete"),
    }
    assert [(str(path), name) for path, name, copies in found if not copies] == []


SQLITE_COPY = """
from accounts.models import Region, User
from accounts.services import account_copy_to_profile
from regulators.models import Regulator
from talent.models import ClinicianProfile

user = User.objects.create_user(email="a@example.test", password=None, full_name="Amara Okafor")
profile = ClinicianProfile.objects.create(
    user=user, profession="nurse", regulator=Regulator.objects.get(code="NMC"), registration_number="12A3456E",
    first_registration_year=2015, career_stage="band_6", region=Region.objects.first(),
)
user.full_name = "Amara Okafor-Smith"
user.save()
account_copy_to_profile(user=user)
profile.refresh_from_db()
print((profile.full_name, profile.account_active))
"""


def test_make_runs_sqlite_database_migrates_both_ways_and_keeps_the_copy(tmp_path):
    """`make run`'s database: forwards, back past the copy and the triggers that once kept it, forwards again."""
    env = {**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path}/db"}
    for target in ([], ["talent", "0007"], []):
        migrated = manage("migrate", *target, "--noinput", "-v0", env=env)
        assert migrated.returncode == 0, migrated.stderr

    result = manage("shell", "-v", "0", "-c", SQLITE_COPY, env=env)

    assert result.stdout.strip() == str(("Amara Okafor-Smith", True)), result.stderr
