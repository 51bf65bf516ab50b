"""The outbox, the nudge dispatcher and the web tier with real worker processes, a real Redis and real faults:
Redis stopped or hung, the worker's database connection terminated mid-send. Nothing lost, nothing sent twice, no
error page.

Each test has a Redis of its own (so no other worker takes its tasks, and it may stop or freeze it) and counts the
emails actually delivered, by the message key every email carries.
"""

import re
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import NudgeFrequency, OutboxMessage, OutboxState
from accounts.outbox import outbox_add
from accounts.tasks import sweep_outbox_task
from talent.models import EarlyInterestSignal, NominationState, Nudge
from talent.services.nudges import nudge_period
from talent.tasks import dispatch_nudges_task
from tests.factories import (
    TEST_PASSWORD,
    ClinicianProfileFactory,
    HEEStaffFactory,
    TrainingBodyAdminFactory,
    TrainingBodyFactory,
    UserFactory,
)
from tests.integration.conftest import database_url_for_worker, free_port, private_broker, start_worker, wait_until
from tests.integration.mail import HoldingSMTPServer, SMTPServer
from tests.talent.nomination_fixtures import nomination_in_state

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
KEY_HEADER = re.compile(r"^X-LTT-Message-Key:\s+(\S+)", re.MULTILINE)  # long values are folded
SWEPT = re.compile(r"sweep_outbox\[[^\]]+\] succeeded")
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


@pytest.fixture
def redis_as_deployed(broker, settings):
    """The private Redis as the broker `/readyz` checks and as the shared cache (CACHE_URL set): it goes down with
    the broker."""
    settings.CELERY_BROKER_URL = broker.url
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": broker.url_for(1),
            "OPTIONS": settings.REDIS_CLIENT_OPTIONS,
        }
    }


class Answers:
    """Each request made during an outage: what it was, its status and how long it took."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, int, float]] = []

    def __call__(self, what: str, request):
        began = time.monotonic()
        response = request()
        self.seen.append((what, response.status_code, time.monotonic() - began))
        return response

    def slowest(self) -> float:
        return max(seconds for _, _, seconds in self.seen)

    def errors(self) -> list[tuple[str, int, float]]:
        return [answer for answer in self.seen if answer[1] >= 500 and answer[0] != "/readyz"]


WITHIN_SECONDS = 3


@pytest.mark.parametrize("outage", ["stopped", "frozen"])
def test_with_redis_down_web_requests_succeed_quickly_and_everything_is_delivered_once_it_is_back(
    outage, workers, broker, redis_as_deployed, client, training_body, open_opportunity
):
    """Redis (the broker and the cache) stopped, or hung without a word: admins approve nominations, a clinician
    records interest, opens their pages and asks for an API token, HEE staff open the dashboard and the clinicians
    list. Every request succeeds within a few seconds and the emails wait as pending rows; `/readyz` says the broker
    is unreachable at once. Redis comes back (empty after a stop); the sweep delivers each email once."""
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
    hee = HEEStaffFactory()
    worker = workers()
    client.force_login(clinician)
    assert client.get(reverse("talent:show_clinician_home")).status_code == 200  # the cache's connections are made
    broker.stop() if outage == "stopped" else broker.freeze()
    answered = Answers()

    client.force_login(admin)
    for nomination in nominations:
        response = answered(
            "approve",
            lambda n=nomination: client.post(
                reverse("talent_api:approve_nomination", kwargs={"nomination_id": n.pk}),
                {},
                content_type="application/json",
            ),
        )
        assert response.status_code == 200, response.content
    client.force_login(clinician)
    response = answered(
        "record interest",
        lambda: client.post(
            reverse("talent_api:list_my_interests"),
            {"level": 3, "readiness_horizon": "1_3_years"},
            content_type="application/json",
        ),
    )
    assert response.status_code == 201, response.content
    assert answered("clinician home", lambda: client.get(reverse("talent:show_clinician_home"))).status_code == 200
    assert answered("me", lambda: client.get(reverse("accounts_api:show_my_account"))).status_code == 200
    token = answered(
        "token",
        lambda: Client().post(
            reverse("accounts_api:obtain_token"),
            {"email": clinician.email, "password": TEST_PASSWORD},
            content_type="application/json",
        ),
    )
    assert token.status_code == 200, token.content
    client.force_login(hee)
    assert answered("dashboard", lambda: client.get(reverse("pipeline:show_dashboard"))).status_code == 200
    assert answered("clinicians", lambda: client.get(reverse("talent:list_clinicians"))).status_code == 200
    assert answered("clinicians API", lambda: client.get(reverse("talent_api:list_clinicians"))).status_code == 200
    ready = answered("/readyz", lambda: Client().get("/readyz"))
    assert ready.status_code == 503 and ready.json()["failing"] == ["broker"]

    print(f"Redis {outage}: " + ", ".join(f"{what} {status} {seconds:.2f}s" for what, status, seconds in answered.seen))
    assert answered.errors() == []
    assert answered.slowest() < WITHIN_SECONDS, answered.seen
    assert answered.seen[-1][2] < 2  # the probe
    owed = set(OutboxMessage.objects.values_list("idempotency_key", flat=True))
    assert len(owed) == 3
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxState.PENDING}

    broker.start() if outage == "stopped" else broker.thaw()

    def swept_and_sent() -> bool:
        sweep_outbox_task.delay()
        return all_sent()

    assert wait_until(swept_and_sent, timeout=90, interval=1), logs(worker)
    sweep_outbox_task.delay()  # and once more, finding nothing left to send
    assert wait_until(lambda: NOTHING_TO_SWEEP.search(logs(worker))), logs(worker)
    assert keys_sent(worker) == Counter(dict.fromkeys(owed, 1))


@pytest.mark.parametrize("outage", ["stopped", "frozen"])
def test_with_the_broker_down_a_change_owing_many_emails_commits_within_a_second(outage, broker):
    """Each owed email is published after commit; with the broker unreachable the first try gives up after the
    Redis timeout and the rest are left for the sweep, so the person waits no longer for owing twenty emails."""
    users = [UserFactory() for _ in range(20)]
    broker.stop() if outage == "stopped" else broker.freeze()

    began = time.monotonic()
    with transaction.atomic():
        for user in users:
            outbox_add(key=f"many:{user.pk}", kind="password_reset", to=user.email, context={"user_id": str(user.pk)})
    took = time.monotonic() - began

    print(f"Broker {outage}: 20 emails owed, committed and published in {took:.2f}s")
    assert took < 1
    assert OutboxMessage.objects.filter(state=OutboxState.PENDING).count() == 20


def terminate_worker_connections() -> int:
    """pg_terminate_backend for every other connection to the test database: the workers'."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_the_database_connection_terminated_while_the_mail_server_has_the_email_sends_each_email_once(workers):
    """Each time the mail server has an email and the worker waits for its answer, the worker's database connection
    is terminated. The worker marks the email sent on a new connection: every email arrives, once, even with the
    sweep taking back rows left `sending` after two seconds."""
    port = free_port()
    smtp = HoldingSMTPServer(port)
    try:
        worker = workers(
            concurrency=2,
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS="false",
            EMAIL_TIMEOUT=60,
            OUTBOX_SENDING_TIMEOUT=2,
        )
        keys = owe_password_emails("reset", 8)
        resets = 0
        deadline = time.monotonic() + 120
        while len(set(received_keys(smtp))) < len(keys) and time.monotonic() < deadline:
            if not wait_until(lambda: smtp.held() >= 1, timeout=5):
                sweep_outbox_task.delay()  # a claim lost with its connection: the row is pending again
                continue
            time.sleep(0.3)  # the other worker process's email too, when it has one
            resets += terminate_worker_connections()
            smtp.release()
        # What the beat does every minute, for longer than OUTBOX_SENDING_TIMEOUT: a row left `sending` would be
        # sent again now.
        for _ in range(8):
            sweep_outbox_task.delay()
            smtp.release()
            time.sleep(0.5)
        assert wait_until(all_sent), logs(worker)
        smtp.release()
    finally:
        smtp.release()
        smtp.close()

    sent = Counter(received_keys(smtp))
    print(f"{len(keys)} emails, {resets} connections terminated mid-send, received: {sorted(sent.values())}")
    assert sent == Counter(dict.fromkeys(keys, 1))  # none lost, none twice
    assert resets >= len(keys) // 2
    assert "database connection lost, reconnecting" in logs(worker)


def received_keys(smtp) -> list[str]:
    return [key.strip() for text in list(smtp.received) for key in KEY_HEADER.findall(text)]


def test_the_sweep_runs_at_once_behind_a_long_queue_of_deliveries(workers):
    """Deliveries queued by the hundred do not hold back the sweep: it has a queue of its own, which the worker
    started without -Q consumes too."""
    worker = workers(EMAIL_BACKEND="tests.integration.mail.SlowFileBackend", SLOW_MAIL_SECONDS=0.3)
    keys = owe_password_emails("queued", 30)  # 9 s of deliveries on one worker process
    assert wait_until(lambda: OutboxMessage.objects.filter(state=OutboxState.SENT).exists()), logs(worker)

    sweep_outbox_task.delay()

    assert wait_until(lambda: SWEPT.search(logs(worker)), timeout=3), logs(worker)
    assert OutboxMessage.objects.exclude(state=OutboxState.SENT).count() >= 10  # well before the queue was done
    assert wait_until(all_sent, timeout=60), logs(worker)
    assert keys_sent(worker) == Counter(dict.fromkeys(keys, 1))


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
