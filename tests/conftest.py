"""Fixtures shared by the whole suite: one user per role, and tasks run in-process for unit tests."""

import copy
import importlib

import pytest
from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client
from django.utils import timezone
from pytest_django.plugin import blocking_manager_key

from accounts.models import Region
from config.celery import app as celery_app
from tests.factories import (
    ClinicianFactory,
    ClinicianProfileFactory,
    EditorFactory,
    HEEStaffFactory,
    TrainingBodyAdminFactory,
    TrainingBodyFactory,
)
from tests.mfa import second_factor_verified_login

# Fixtures of each area, available to every test (the permission matrix included).
pytest_plugins = [
    "tests.pathways.fixtures",
    "tests.talent.nomination_fixtures",
    "tests.talent.nudge_fixtures",
    "tests.talent.feedback_fixtures",
    "tests.talent.plan_fixtures",
    "tests.talent.followup_fixtures",
    "tests.talent.pool_fixtures",
    "tests.pipeline.pipeline_fixtures",
    "tests.regulators.fixtures",
    "tests.exports.fixtures",
    "tests.replica",
]


def _replica_stand_in() -> None:
    """A second database on the same PostgreSQL server stands in for a read replica (tests/replica.py). It is
    created only when a test names it: pytest-django sets up the databases the collected tests ask for. Reads go
    there only in tests that ask (the `replica` fixture), even when DATABASE_REPLICA_URL is set around the run."""
    default = django_settings.DATABASES["default"]
    django_settings.DATABASES.pop("replica", None)
    django_settings.DATABASES.pop("unreachable_replica", None)
    django_settings.DATABASE_REPLICA_ALIAS = None
    django_settings.DATABASE_ROUTERS = []
    if default["ENGINE"] != "django.db.backends.postgresql":
        return
    test_name = default.get("TEST", {}).get("NAME") or f"test_{default['NAME']}"
    test = {"MIRROR": None, "MIGRATE": True, "CHARSET": None, "COLLATION": None}
    django_settings.DATABASES["replica"] = {**copy.deepcopy(default), "TEST": {**test, "NAME": f"{test_name}_replica"}}
    # A connection for a test to make unreachable: it shares the primary's test database (nothing is created for it)
    # and, being a mirror, is never inside the test's transaction, so it can be closed and pointed elsewhere.
    django_settings.DATABASES["unreachable_replica"] = {
        **copy.deepcopy(default),
        "TEST": {**test, "NAME": None, "MIRROR": "default"},
    }


_replica_stand_in()


RESTORE_AT_END = pytest.StashKey[bool]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """A transactional test empties the database as it ends, taking the reference data the migrations loaded
    (regions, regulators, leadership roles). Within a run the next such test puts it back first
    (`serialized_rollback`); at the end of the run it is put back once more, so a database kept with `--reuse-db`
    is whole for the next run."""
    yield
    marker = item.get_closest_marker("django_db")
    transactional = (marker and marker.kwargs.get("transaction")) or "live_server" in item.fixturenames
    if transactional and not item.session.stash.get(RESTORE_AT_END, False):
        item.session.stash[RESTORE_AT_END] = True
        # Registered after the test database was set up, so it runs before the database is torn down.
        item.session.addfinalizer(lambda: _reference_data_restore(item.config))


# The data migrations that load the reference data, and the function in each that loads it.
REFERENCE_DATA = (
    ("accounts.migrations.0002_regions", "load_regions"),
    ("regulators.migrations.0002_the_nine_regulators", "load_regulators"),
    ("pathways.migrations.0002_leadership_roles", "load_roles"),
    ("pathways.migrations.0006_roles_needing_a_licence", "set_licence_needs"),
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A database kept with `--reuse-db` by a run that was stopped half-way (after a transactional test emptied
    it) has no reference data: load it again from the data migrations, before it is saved for
    `serialized_rollback`."""
    with django_db_blocker.unblock():
        if not Region.objects.exists():
            for module, function in REFERENCE_DATA:
                getattr(importlib.import_module(module), function)(django_apps, None)
            for connection in connections.all(initialized_only=True):
                if hasattr(connection, "_test_serialized_contents"):
                    connection._test_serialized_contents = connection.creation.serialize_db_to_string()


def _reference_data_restore(config) -> None:
    with config.stash[blocking_manager_key].unblock():
        for connection in connections.all(initialized_only=True):
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request):
    """Unit tests run tasks in-process; tests marked integration use the real worker and broker instead."""
    if request.node.get_closest_marker("integration"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _staff_sign_in_with_their_second_factor(monkeypatch):
    """`client.force_login(user)` leaves staff signed in as after their second factor (tests/mfa.py)."""
    monkeypatch.setattr(Client, "force_login", second_factor_verified_login)


@pytest.fixture(autouse=True)
def _export_files_in_a_temporary_directory(settings, tmp_path):
    """Export files (exports app) go to the test's own directory, not the working tree's var/media."""
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "exports"},
        },
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing is slow by design; the suite creates thousands. Behaviour is the same."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """API throttling counts and cached dashboard figures live in the cache; each test starts from none."""
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()
    yield
    for alias in caches:
        caches[alias].clear()


@pytest.fixture
def training_body(db):
    return TrainingBodyFactory(region=Region.objects.get(slug="north-west"))


@pytest.fixture
def other_training_body(db):
    return TrainingBodyFactory(region=Region.objects.get(slug="london"))


@pytest.fixture
def clinician(training_body):
    """A clinician with a full profile in `training_body`, sharing with it and with HEE (North West)."""
    return ClinicianProfileFactory(training_body=training_body).user


@pytest.fixture
def other_clinician(other_training_body):
    """Another clinician, in `other_training_body` (London), sharing with both."""
    return ClinicianProfileFactory(training_body=other_training_body, region=Region.objects.get(slug="london")).user


@pytest.fixture
def private_clinician(training_body):
    """A clinician of `training_body` who shares with nobody: counted, never listed or opened."""
    return ClinicianProfileFactory(
        training_body=training_body, shares_with_training_body=False, shares_with_hee=False
    ).user


@pytest.fixture
def new_clinician(db):
    """A clinician who has confirmed their email but not yet completed onboarding (no profile)."""
    return ClinicianFactory()


@pytest.fixture
def waiting_clinician(training_body):
    """A clinician who chose `training_body` and waits for its admins to confirm them, sharing with it."""
    return ClinicianProfileFactory(
        requested_training_body=training_body, training_body_requested_at=timezone.now()
    ).user


@pytest.fixture
def tb_admin(training_body):
    return TrainingBodyAdminFactory(training_body=training_body)


@pytest.fixture
def other_tb_admin(other_training_body):
    return TrainingBodyAdminFactory(training_body=other_training_body)


@pytest.fixture
def hee_staff(db):
    return HEEStaffFactory()


@pytest.fixture
def regional_hee_staff(db):
    return HEEStaffFactory(hee_region=Region.objects.get(slug="london"))


@pytest.fixture
def editor(db):
    return EditorFactory()


ROLES = (
    "anonymous",
    "clinician",
    "other_clinician",
    "tb_admin",
    "other_tb_admin",
    "hee_staff",
    "regional_hee_staff",
    "editor",
)


@pytest.fixture
def user_for_role(request):
    """Resolve a role name from the permission matrix to a user (None for anonymous)."""

    def resolve(role: str):
        return None if role == "anonymous" else request.getfixturevalue(role)

    return resolve
