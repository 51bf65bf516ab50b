"""A real Celery worker process, against the real Redis broker and the test PostgreSQL database."""

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

BASE_DIR = Path(__file__).resolve().parents[2]


def database_url_for_worker() -> str:
    """The URL of the database the tests use (pytest-django's test database), for the worker process."""
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("Integration tests need PostgreSQL: run them with `make test` (DATABASE_URL set).")
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@dataclass
class Worker:
    process: subprocess.Popen
    email_dir: Path  # the worker's file-based mail backend writes each email it sends here
    log_path: Path

    def sent_emails(self) -> list[str]:
        return [path.read_text() for path in sorted(self.email_dir.glob("*.log"))]


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, tmp_path_factory):
    """Start `celery worker` as a separate process; yield once it answers a ping; stop it afterwards."""
    if not settings.CELERY_BROKER_URL:
        pytest.fail("Integration tests need Redis: run them with `make test` (CELERY_BROKER_URL set).")
    with django_db_blocker.unblock():
        database_url = database_url_for_worker()
    work_dir = tmp_path_factory.mktemp("worker")
    log_path, email_dir = work_dir / "worker.log", work_dir / "emails"
    email_dir.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(email_dir),
    }
    celery_app.control.purge()  # stale messages from an earlier, interrupted run
    hostname = f"integration-{os.getpid()}@localhost"
    with open(log_path, "w") as log:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel=INFO",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "-n",
                hostname,
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(destination=[hostname], timeout=1):
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The Celery worker did not start:\n{log_path.read_text()}")
        yield Worker(process=worker, email_dir=email_dir, log_path=log_path)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


@pytest.fixture
def tasks_via_broker():
    """Send tasks to the broker (not in-process) for the duration of a test."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = previous


def wait_until(condition, *, timeout: float = 30, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()
