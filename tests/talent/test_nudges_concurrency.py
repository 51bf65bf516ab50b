"""Two nudge dispatchers at the same moment (two beats, or an hourly run still going when the next starts), on real
PostgreSQL: each thread has its own connection. Each body gets one nudge for its period, each recipient one email,
and neither dispatcher fails."""

import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection, transaction
from django.db.models import Count

from accounts.models import NudgeFrequency, OutboxMessage
from talent import services
from talent.models import EarlyInterestSignal, Nudge, SignalKind
from tests.clock import runs_at
from tests.concurrency import race
from tests.factories import ClinicianProfileFactory, TrainingBodyAdminFactory

# serialized_rollback keeps the reference data (regions, regulators) that migrations load.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

UK = ZoneInfo("Europe/London")
# A Wednesday: the weekly period before it is Monday 16 to Monday 23 November, the daily one 24 November.
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UK)
_at_now = runs_at(NOW)


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def waiting_on_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted)", [pid])
        return cursor.fetchone()[0]


@pytest.fixture
def due_bodies(training_body, other_training_body) -> dict:
    """A weekly and a daily body, each with an admin and a clinician who did something in its period; the addresses
    each body's nudge goes to."""
    training_body.nudge_frequency = NudgeFrequency.WEEKLY
    training_body.save()
    other_training_body.nudge_frequency = NudgeFrequency.DAILY
    other_training_body.save()
    recipients = {}
    for body, at in (
        (training_body, datetime(2026, 11, 18, 12, tzinfo=UK)),  # last week
        (other_training_body, datetime(2026, 11, 24, 15, tzinfo=UK)),  # yesterday
    ):
        admin = TrainingBodyAdminFactory(training_body=body)
        profile = ClinicianProfileFactory(training_body=body)
        EarlyInterestSignal.objects.create(profile=profile, kind=SignalKind.INTEREST_RAISED, created_at=at)
        recipients[body] = [admin.email, *body.contact_email_list]
    return recipients


def test_two_dispatchers_at_once_build_each_nudge_once_and_neither_fails(due_bodies):
    """Two dispatchers running together: each body's admins and contact address get one email for the period, and
    the second dispatcher finds nothing left to do instead of failing."""
    assert connection.vendor == "postgresql"
    first_built = threading.Event()
    second_done = threading.Event()
    second_pid: list[int] = []
    overlapped = threading.Event()

    def first():
        # The first dispatcher is slow to commit: it keeps its transaction open until the second one is blocked
        # behind it (or has finished), so the two always overlap, however the threads are scheduled.
        with transaction.atomic():
            built = services.nudges_dispatch(now=NOW)
            first_built.set()
            deadline = time.monotonic() + 10
            while not second_done.is_set() and time.monotonic() < deadline:
                if second_pid and waiting_on_a_lock(second_pid[0]):
                    overlapped.set()
                    break
                time.sleep(0.01)
        return built

    def second():
        second_pid.append(backend_pid())
        first_built.wait(timeout=10)
        try:
            return services.nudges_dispatch(now=NOW)
        finally:
            second_done.set()

    results = race(first, second)

    assert overlapped.is_set(), "the second dispatcher never had to wait for the first: no race was tested"
    assert not [r for r in results if isinstance(r, Exception)], results
    assert [len(built) for built in results] == [2, 0], results  # the first built both nudges; the second, none
    per_period = Nudge.objects.values("training_body", "period_end").annotate(n=Count("id"))
    assert sorted((row["training_body"], row["n"]) for row in per_period) == sorted((b.pk, 1) for b in due_bodies)
    recipients = sorted(email for emails in due_bodies.values() for email in emails)
    assert sorted(OutboxMessage.objects.filter(kind="nudge").values_list("to_email", flat=True)) == recipients
    assert sorted(email.to[0] for email in mail.outbox) == recipients
