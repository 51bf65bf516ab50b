"""The single settings module: secure production defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-7f3c9e21b84d4a6f95e0c1d2b3a4f5e6d7c8",
    "ALLOWED_HOSTS": "leadership-talent.example.nhs.uk",
    "DATABASE_URL": "postgres://ltt:ltt@127.0.0.1:5432/ltt",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "SITE_URL": "https://leadership-talent.example.nhs.uk",
    "SERVICE_CONTACT_EMAIL": "leadership-talent@example.nhs.uk",
    "PRIVACY_CONTACT_EMAIL": "data-protection@example.nhs.uk",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    test_only = {"SECURE_SSL_REDIRECT", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {key: value for key, value in os.environ.items() if key not in test_only}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_reports_nothing_with_production_like_variables():
    """`manage.py check --deploy` is clean once DEBUG is off and the real variables are set."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    """Forgetting SECRET_KEY with DEBUG off stops the process with a clear message, never a default key."""
    result = manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": ""})

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is false" in result.stderr


def test_deploy_check_warns_about_demo_defaults_left_in_production():
    """Forgetting the database, broker or public address in production is reported, not silently tolerated."""
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": "",
        "CELERY_BROKER_URL": "",
        "SITE_URL": "",
        "SERVICE_CONTACT_EMAIL": "",
        "PRIVACY_CONTACT_EMAIL": "",
    }

    result = manage("check", "--deploy", env=env)

    for check_id in ("ltt.W001", "ltt.W002", "ltt.W003", "ltt.W005"):
        assert check_id in result.stderr + result.stdout


def test_deploy_check_warns_when_a_stuck_email_could_be_taken_back_while_still_sending():
    """The sweep retakes emails stuck in "sending" after OUTBOX_SENDING_TIMEOUT; shorter than a task may run, an
    email still being sent could go twice."""
    result = manage("check", "--deploy", env={**PRODUCTION_ENV, "OUTBOX_SENDING_TIMEOUT": "60"})

    assert "ltt.W004" in result.stderr + result.stdout


@pytest.mark.django_db
def test_a_sqlite_database_url_works_and_postgresql_connections_run_without_jit(tmp_path):
    sqlite_env = {**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path}/db"}
    sqlite = manage("migrate", "--noinput", "-v0", env=sqlite_env)
    assert sqlite.returncode == 0, sqlite.stderr

    test_database = connection.settings_dict["NAME"]  # the one pytest made (the URL's own may not exist)
    postgresql = {**PRODUCTION_ENV, "DATABASE_URL": os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{test_database}"}
    shown = manage("shell", "-v", "0", "-c", SHOW_JIT, env=postgresql)
    assert shown.stdout.strip() == "off", shown.stderr


SHOW_JIT = (
    "from django.db import connection\n"
    "with connection.cursor() as cursor:\n"
    "    cursor.execute('SHOW jit')\n"
    "    print(cursor.fetchone()[0])"
)


PREPARED_AFTER_SIX_RUNS = (
    "from accounts.models import Region\n"
    "from django.db import connection\n"
    "for _ in range(6):\n"
    "    list(Region.objects.filter(slug='london'))\n"
    "with connection.cursor() as cursor:\n"
    "    cursor.execute('SELECT count(*) FROM pg_prepared_statements')\n"
    "    print(cursor.fetchone()[0])"
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("setting", "prepared"),
    [({"DATABASE_PREPARED_STATEMENTS": "true"}, "1"), ({"DATABASE_PREPARED_STATEMENTS": "false"}, "0")],
)
def test_a_query_a_connection_keeps_running_is_prepared_unless_turned_off(setting, prepared):
    """PostgreSQL plans a prepared statement once, not at every page view; a pooler in transaction mode, which
    cannot keep them, has the switch."""
    test_database = connection.settings_dict["NAME"]
    postgresql = {**PRODUCTION_ENV, "DATABASE_URL": os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{test_database}"}

    shown = manage("shell", "-v", "0", "-c", PREPARED_AFTER_SIX_RUNS, env={**postgresql, **setting})

    assert shown.stdout.strip() == prepared, shown.stderr


def test_sessions_are_kept_in_the_database_with_or_without_a_shared_cache():
    """Signed-in pages work while Redis is down, and a sign-out then is not undone by a copy Redis kept."""
    show = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    shared = manage("shell", "-v", "0", "-c", show, env={**PRODUCTION_ENV, "CACHE_URL": "redis://127.0.0.1:6379/3"})
    per_process = manage("shell", "-v", "0", "-c", show, env={**PRODUCTION_ENV, "CACHE_URL": ""})

    assert shared.stdout.strip() == "django.contrib.sessions.backends.db", shared.stderr
    assert per_process.stdout.strip() == "django.contrib.sessions.backends.db", per_process.stderr
