"""Real Celery worker processes, against a real Redis broker and the test PostgreSQL database."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
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
    hostname: str = ""

    def sent_emails(self) -> list[str]:
        return [path.read_text() for path in sorted(self.email_dir.glob("*.log"))]

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once: no clean-up, no acknowledgements."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def start_worker(work_dir: Path, *, broker_url: str, database_url: str, concurrency: int = 1, **env) -> Worker:
    """Start `celery worker` as a separate process (in its own process group) and return once it answers a ping.
    Extra keyword arguments become environment variables of the worker (settings such as OUTBOX_MAX_ATTEMPTS)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    log_path, email_dir = work_dir / "worker.log", work_dir / "emails"
    email_dir.mkdir(exist_ok=True)
    hostname = f"integration-{os.getpid()}-{work_dir.name}@localhost"
    worker_env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(email_dir),
        **{name: str(value) for name, value in env.items()},
    }
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel=INFO",
                f"--concurrency={concurrency}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                hostname,
            ],
            cwd=BASE_DIR,
            env=worker_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker = Worker(process=process, email_dir=email_dir, log_path=log_path, hostname=hostname)
    deadline = time.monotonic() + 60
    while not celery_app.control.ping(destination=[hostname], timeout=1):
        if process.poll() is not None or time.monotonic() > deadline:
            worker.stop()
            pytest.fail(f"The Celery worker did not start:\n{log_path.read_text()}")
    return worker


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, tmp_path_factory):
    """A worker on the suite's broker, for the whole session."""
    if not settings.CELERY_BROKER_URL:
        pytest.fail("Integration tests need Redis: run them with `make test` (CELERY_BROKER_URL set).")
    with django_db_blocker.unblock():
        database_url = database_url_for_worker()
    celery_app.control.purge()  # stale messages from an earlier, interrupted run
    worker = start_worker(
        tmp_path_factory.mktemp("worker"), broker_url=settings.CELERY_BROKER_URL, database_url=database_url
    )
    try:
        yield worker
    finally:
        worker.stop()


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own on a free port, without persistence, that the test may stop and start
    (an outage loses whatever was queued, as a real one without persistence would)."""

    def __init__(self, work_dir: Path) -> None:
        self.port = free_port()
        self.work_dir = work_dir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return self.url_for(0)

    def url_for(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.work_dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not wait_until(self.answers, timeout=10, interval=0.05):
            pytest.fail("The private redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a frozen server would not act on the SIGTERM
            self.process.terminate()
            self.process.wait(timeout=10)

    def freeze(self) -> None:
        """SIGSTOP: a hung server. Connections are still accepted by the kernel, and nothing is ever answered."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def answers(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.exceptions.ConnectionError:
            return False

    def queued(self, queue: str = "celery") -> int:
        import redis

        return redis.Redis(port=self.port).llen(queue)


def _use_broker(url: str | None) -> None:
    """Point this process's Celery app at another broker. Celery reads CELERY_BROKER_URL from the environment before
    its configuration, so both change; the connection pools are then rebuilt."""
    if url:
        os.environ["CELERY_BROKER_URL"] = url
    else:
        os.environ.pop("CELERY_BROKER_URL", None)
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def private_broker(work_dir: Path) -> Iterator[PrivateRedis]:
    """A private Redis as this process's broker for the test, so no other worker (the session's, or another
    engineer's) takes these tests' tasks, and the test may stop it."""
    server = PrivateRedis(work_dir)
    server.start()
    previous = os.environ.get("CELERY_BROKER_URL")
    _use_broker(server.url)
    try:
        yield server
    finally:
        _use_broker(previous)
        server.stop()
