"""The outbox and the nudge dispatcher with real worker processes and a real Redis: exactly once, nothing lost.

Each test has a Redis of its own (so no other worker takes its tasks, and it may stop it) and counts the emails the
workers actually wrote, by the message key every email carries.
"""

import re
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import NudgeFrequency, OutboxMessage, OutboxState
from accounts.outbox import outbox_add
from accounts.tasks import sweep_outbox_task
from talent.models import EarlyInterestSignal, NominationState, Nudge
from talent.services.nudges import nudge_period
from talent.tasks import dispatch_nudges_task
from tests.factories import ClinicianProfileFactory, TrainingBodyAdminFactory, TrainingBodyFactory, UserFactory
from tests.integration.conftest import database_url_for_worker, free_port, private_broker, start_worker, wait_until
from tests.integration.mail import SMTPServer
from tests.talent.nomination_fixtures import nomination_in_state

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
KEY_HEADER = re.compile(r"^X-LTT-Message-Key:\s+(\S+)", re.MULTILINE)  # long values are folded
NOTHING_TO_SWEEP = re.compile(r"sweep_outbox\[[^\]]+\] succeeded in [\d.]+s: 0$", re.MULTILINE)


@pytest.fixture
def broker(tmp_path, tasks_via_broker):
    (tmp_path / "redis").mkdir()
    with private_broker(tmp_path / "redis") as server:
        yield server


@pytest.fixture
def workers(broker, tmp_path):
    """Start workers on the private broker; all are stopped after the test."""
    started = []
    database_url = database_url_for_worker()

    def start(name: str = "worker", **env):
        worker = start_worker(tmp_path / name, broker_url=broker.url, database_url=database_url, **env)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def keys_sent(*workers) -> Counter:
    """How many times each message key was emailed, over every file the workers wrote."""
    return Counter(
        key.strip() for worker in workers for text in worker.sent_emails() for key in KEY_HEADER.findall(text)
    )


def logs(*workers) -> str:
    return "\n".join(worker.log_path.read_text() for worker in workers)


def owe_password_emails(prefix: str, count: int) -> list[str]:
    """Owe `count` password-reset emails to new accounts, committed together."""
    keys = [f"{prefix}:{n}" for n in range(count)]
    users = [UserFactory() for _ in keys]
    with transaction.atomic():
        for key, user in zip(keys, users, strict=True):
            outbox_add(key=key, kind="password_reset", to=user.email, context={"user_id": str(user.pk)})
    return keys


def all_sent() -> bool:
    return not OutboxMessage.objects.exclude(state=OutboxState.SENT).exists()


def test_the_dispatcher_run_twice_and_concurrently_builds_one_nudge_per_body_and_period(workers):
    """Four dispatchers at once on two worker processes, then another: one nudge per body, each email once."""
    start, _ = nudge_period(frequency=NudgeFrequency.WEEKLY, now=timezone.now())
    bodies = [TrainingBodyFactory(nudge_frequency=NudgeFrequency.WEEKLY) for _ in range(3)]
    for body in bodies:
        TrainingBodyAdminFactory(training_body=body)
        for _ in range(3):
            EarlyInterestSignal.objects.create(
                profile=ClinicianProfileFactory(training_body=body), kind="interest_raised", created_at=start
            )
    worker = workers(concurrency=2)

    for _ in range(4):
        dispatch_nudges_task.delay()
    assert wait_until(lambda: logs(worker).count("dispatch_nudges[") >= 8, timeout=60), logs(worker)
    dispatch_nudges_task.delay()
    assert wait_until(lambda: logs(worker).count("dispatch_nudges[") >= 10 and all_sent(), timeout=60), logs(worker)

    assert logs(worker).count("succeeded") >= 5
    assert sorted(Nudge.objects.values_list("training_body_id", flat=True)) == sorted(body.pk for body in bodies)
    owed = set(OutboxMessage.objects.filter(kind="nudge").values_list("idempotency_key", flat=True))
    assert len(owed) == 6  # each body's admin and contact address
    assert keys_sent(worker) == Counter(dict.fromkeys(owed, 1))


def test_a_worker_killed_while_sending_then_a_new_worker_delivers_everything_exactly_once(workers):
    """SIGKILL while the mail server takes its time: that message stays `sending`; the sweep hands it to the new
    worker once the timeout has passed, and the others are still in the queue. Each email arrives once."""
    slow = workers("slow", EMAIL_BACKEND="tests.integration.mail.SlowFileBackend", SLOW_MAIL_SECONDS=120)
    keys = owe_password_emails("kill", 5)
    assert wait_until(lambda: OutboxMessage.objects.filter(state=OutboxState.SENDING).exists()), logs(slow)
    [stuck] = OutboxMessage.objects.filter(state=OutboxState.SENDING)
    slow.kill()

    fresh = workers("fresh", OUTBOX_SENDING_TIMEOUT=2)

    def swept_and_sent() -> bool:
        sweep_outbox_task.delay()  # what beat does every minute
        return all_sent()

    assert wait_until(swept_and_sent, timeout=60, interval=1), logs(slow, fresh)
    assert keys_sent(slow) == Counter()
    assert keys_sent(fresh) == Counter(dict.fromkeys(keys, 1))
    stuck.refresh_from_db()
    assert stuck.attempts == 2


def test_with_redis_stopped_web_requests_succeed_and_everything_is_delivered_once_it_is_back(
    workers, broker, client, training_body, open_opportunity
):
    """Admins approve nominations and a clinician records interest while Redis is down: every request succeeds and
    the emails wait as pending rows. Redis comes back empty (what was queued is lost); the sweep delivers each once."""
    admin = TrainingBodyAdminFactory(training_body=training_body)
    nominations = [
        nomination_in_state(
            NominationState.SUBMITTED,
            profile=ClinicianProfileFactory(training_body=training_body),
            opportunity=open_opportunity,
        )
        for _ in range(3)
    ]
    clinician = ClinicianProfileFactory(training_body=training_body).user
    worker = workers()
    broker.stop()

    client.force_login(admin)
    for nomination in nominations:
        response = client.post(
            reverse("talent_api:approve_nomination", kwargs={"nomination_id": nomination.pk}),
            {},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
    client.force_login(clinician)
    response = client.post(
        reverse("talent_api:list_my_interests"),
        {"level": 3, "readiness_horizon": "1_3_years"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content

    owed = set(OutboxMessage.objects.values_list("idempotency_key", flat=True))
    assert len(owed) == 3
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxState.PENDING}

    broker.start()

    def swept_and_sent() -> bool:
        sweep_outbox_task.delay()
        return all_sent()

    assert wait_until(swept_and_sent, timeout=90, interval=1), logs(worker)
    sweep_outbox_task.delay()  # and once more, finding nothing left to send
    assert wait_until(lambda: NOTHING_TO_SWEEP.search(logs(worker))), logs(worker)
    assert keys_sent(worker) == Counter(dict.fromkeys(owed, 1))


def test_a_failing_mail_server_means_retries_with_backoff_then_failed_then_an_admin_retry_sends_once(
    workers, client, django_capture_on_commit_callbacks
):
    port = free_port()
    worker = workers(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS="false",
        EMAIL_TIMEOUT=2,
        OUTBOX_MAX_ATTEMPTS=3,
        OUTBOX_RETRY_BASE_SECONDS=1,
    )
    began = time.monotonic()
    [key] = owe_password_emails("smtp", 1)
    message = OutboxMessage.objects.get(idempotency_key=key)

    assert wait_until(lambda: OutboxMessage.objects.get(pk=message.pk).state == OutboxState.FAILED, timeout=60), logs(
        worker
    )
    assert time.monotonic() - began >= 1 + 2  # waited 1 s, then 2 s, between the three attempts
    message.refresh_from_db()
    assert message.attempts == 3
    assert message.last_error.startswith("Attempt 3:") and "refused" in message.last_error.lower()
    assert "retrying in 0:00:01" in logs(worker) and "retrying in 0:00:02" in logs(worker)

    superuser = UserFactory(is_staff=True, is_superuser=True, role="hee_staff")
    client.force_login(superuser)
    changelist = reverse("admin:accounts_outboxmessage_changelist")
    assert "Attempt 3: ConnectionRefusedError" in client.get(changelist, {"state__exact": "failed"}).text

    smtp = SMTPServer(port)
    try:
        response = client.post(changelist, {"action": "retry_failed", "_selected_action": [message.pk]})
        assert response.status_code == 302
        assert wait_until(lambda: OutboxMessage.objects.get(pk=message.pk).state == OutboxState.SENT), logs(worker)
        sweep_outbox_task.delay()
        assert wait_until(lambda: NOTHING_TO_SWEEP.search(logs(worker))), logs(worker)
        assert len(smtp.received) == 1
        assert f"X-LTT-Message-Key: {key}" in smtp.received[0]
    finally:
        smtp.close()


def test_a_rolled_back_transaction_leaves_no_row_and_queues_nothing(broker):
    with pytest.raises(ValueError), transaction.atomic():
        outbox_add(key="rolled-back", kind="password_reset", to="a@example.nhs.uk", context={"user_id": "x"})
        raise ValueError("the cause failed")
    assert not OutboxMessage.objects.exists()
    assert broker.queued() == 0

    owe_password_emails("committed", 1)
    assert broker.queued() == 1  # the same path, committed, does reach the broker


def test_the_sweep_leaves_rows_that_are_not_due_alone(workers):
    """A row waiting for its retry time is not sent early by the sweep."""
    worker = workers()
    OutboxMessage.objects.create(
        idempotency_key="later",
        kind="password_reset",
        to_email="a@example.nhs.uk",
        available_at=timezone.now() + timedelta(hours=1),
    )
    sweep_outbox_task.delay()
    assert wait_until(lambda: NOTHING_TO_SWEEP.search(logs(worker))), logs(worker)
    assert OutboxMessage.objects.get().state == OutboxState.PENDING
    assert keys_sent(worker) == Counter()
