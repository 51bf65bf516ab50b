"""The notification outbox: written with its cause, delivered once, retried with backoff, failed visibly, and sent
again from the admin by a superuser."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutboxMessage, OutboxState
from accounts.outbox import outbox_add, outbox_context_builder, outbox_deliver, outbox_sweep, retry_delay
from accounts.tasks import deliver_outbox_message_task
from tests.factories import UserFactory

FAILING = "tests.accounts.test_outbox.RefusingBackend"
LOSING_THE_DATABASE = "tests.accounts.test_outbox.DatabaseLostWhileSendingBackend"


class RefusingBackend(BaseEmailBackend):
    """A mail server that drops every connection."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("Connection refused by mail.example.nhs.uk:587")


class DatabaseLostWhileSendingBackend(locmem.EmailBackend):
    """A mail server that accepts the email while, meanwhile, the sender's database connection is terminated (a
    database restart or failover, a firewall closing an idle connection)."""

    def send_messages(self, email_messages):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            [pid] = cursor.fetchone()
        other = connection.get_new_connection(connection.get_connection_params())
        try:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        finally:
            other.close()
        return super().send_messages(email_messages)


@outbox_context_builder("test_skipped")
def _always_skipped(context):
    return None


@pytest.fixture(autouse=True)
def _outbox_settings(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    settings.OUTBOX_SENDING_TIMEOUT = 600


def plain_message(key="test:1", **fields) -> OutboxMessage:
    """A password-reset email owed to a new account (its link is made at send time)."""
    user = UserFactory()
    return OutboxMessage.objects.create(
        idempotency_key=key, kind="password_reset", to_email=user.email, context={"user_id": str(user.pk)}, **fields
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_outbox_is_written_inside_the_transaction_of_its_cause():
    with pytest.raises(RuntimeError):
        outbox_add(key="k", kind="password_reset", to="a@example.nhs.uk", context={})


@pytest.mark.django_db
def test_a_rolled_back_transaction_leaves_no_row_and_enqueues_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(ValueError),
        transaction.atomic(),
    ):
        outbox_add(key="k", kind="password_reset", to="a@example.nhs.uk", context={})
        raise ValueError("the cause failed")
    assert not OutboxMessage.objects.exists()
    assert callbacks == []


@pytest.mark.django_db
def test_the_same_key_is_owed_once_and_delivery_is_queued_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        first = outbox_add(key="k", kind="password_reset", to="a@example.nhs.uk", context={})
        second = outbox_add(key="k", kind="password_reset", to="b@example.nhs.uk", context={})
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_a_message_is_sent_once_however_often_delivery_runs():
    message = plain_message()

    assert deliver_outbox_message_task(str(message.pk)) is True
    assert deliver_outbox_message_task(str(message.pk)) is False
    assert outbox_deliver(message_id=message.pk) is False

    [email] = mail.outbox
    assert email.extra_headers["X-LTT-Message-Key"] == "test:1"
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (OutboxState.SENT, 1, "")
    assert message.sent_at is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_email_accepted_while_the_database_connection_was_lost_is_marked_sent_and_not_sent_again(settings, caplog):
    """The outcome is written on a new connection: the sweep and later deliveries find it sent."""
    if connection.vendor != "postgresql":
        pytest.skip("terminates a PostgreSQL connection")
    settings.EMAIL_BACKEND = LOSING_THE_DATABASE
    message = plain_message()

    assert outbox_deliver(message_id=message.pk) is True

    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxState.SENT, 1)
    assert "database connection lost, reconnecting" in caplog.text
    assert outbox_sweep() == 0
    assert outbox_deliver(message_id=message.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_mail_errors_are_retried_with_backoff_then_fail_with_the_error_kept(settings):
    settings.EMAIL_BACKEND = FAILING
    message = plain_message()
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        assert outbox_deliver(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.state == OutboxState.PENDING and message.attempts == 1
    assert message.available_at == start + timedelta(seconds=30)
    assert "Connection refused" in message.last_error

    with time_machine.travel(start + timedelta(seconds=10), tick=False):
        assert outbox_deliver(message_id=message.pk) is False  # not due yet: not even tried
    message.refresh_from_db()
    assert message.attempts == 1

    with time_machine.travel(start + timedelta(seconds=31), tick=False):
        outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.attempts == 2 and message.available_at == start + timedelta(seconds=31 + 60)

    with time_machine.travel(start + timedelta(seconds=200), tick=False):
        outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxState.FAILED, 3)
    assert message.last_error.startswith("Attempt 3:") and "Connection refused" in message.last_error
    assert mail.outbox == []


def test_retry_delay_doubles_up_to_an_hour(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]


@pytest.mark.django_db
def test_a_builder_that_says_no_longer_due_sends_nothing():
    message = OutboxMessage.objects.create(idempotency_key="k", kind="test_skipped", to_email="a@example.nhs.uk")
    assert outbox_deliver(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.state == OutboxState.SENT and message.last_error == "Not sent: no longer due"
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_message_that_cannot_be_built_fails_at_once():
    message = OutboxMessage.objects.create(idempotency_key="k", kind="no_such_template", to_email="a@example.nhs.uk")
    assert outbox_deliver(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.state == OutboxState.FAILED and "no_such_template" in message.last_error


@pytest.mark.django_db
def test_a_row_stuck_sending_is_taken_again_only_after_the_timeout():
    """A worker that died while sending leaves the row `sending`; another worker takes it once the timeout passed."""
    now = timezone.now()
    message = plain_message(state=OutboxState.SENDING, sending_since=now - timedelta(seconds=60), attempts=1)

    assert outbox_sweep() == 0
    assert outbox_deliver(message_id=message.pk) is False

    OutboxMessage.objects.filter(pk=message.pk).update(sending_since=now - timedelta(seconds=601))
    assert outbox_deliver(message_id=message.pk) is True
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxState.SENT, 2)


@pytest.mark.django_db
def test_the_sweep_queues_what_is_due_and_nothing_else():
    """Pending and due, or stuck sending: queued (and here, sent in-process). Later, sent or failed: left alone."""
    now = timezone.now()
    plain_message("due")
    plain_message("stuck", state=OutboxState.SENDING, sending_since=now - timedelta(hours=1))
    plain_message("later", available_at=now + timedelta(minutes=5))
    plain_message("sent", state=OutboxState.SENT, sent_at=now)
    plain_message("failed", state=OutboxState.FAILED, last_error="boom")

    assert outbox_sweep() == 2

    assert sorted(email.extra_headers["X-LTT-Message-Key"] for email in mail.outbox) == ["due", "stuck"]
    assert dict(OutboxMessage.objects.values_list("idempotency_key", "state")) == {
        "due": "sent",
        "stuck": "sent",
        "later": "pending",
        "sent": "sent",
        "failed": "failed",
    }


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True, role="hee_staff")


@pytest.mark.django_db
def test_the_admin_lists_outbox_rows_by_state_and_a_superuser_sends_failed_ones_again(
    client, superuser, django_capture_on_commit_callbacks
):
    failed = plain_message("failed", state=OutboxState.FAILED, attempts=3, last_error="Attempt 3: refused")
    sent = plain_message("sent", state=OutboxState.SENT, sent_at=timezone.now())
    client.force_login(superuser)
    url = reverse("admin:accounts_outboxmessage_changelist")

    response = client.get(url, {"state__exact": "failed"})
    assert response.status_code == 200
    assert "Attempt 3: refused" in response.text
    assert "Send the selected failed messages again" in response.text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "retry_failed", "_selected_action": [failed.pk, sent.pk]}, follow=True)
    assert response.status_code == 200
    assert "1 failed message queued to send again." in response.text

    [email] = mail.outbox
    assert email.extra_headers["X-LTT-Message-Key"] == "failed"
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == (OutboxState.SENT, 1)


@pytest.mark.django_db
def test_staff_who_are_not_superusers_cannot_send_again(client, editor):
    """An editor allowed to look at the outbox sees it, without the action."""
    plain_message("failed", state=OutboxState.FAILED, attempts=3, last_error="Attempt 3: refused")
    editor.user_permissions.add(*Permission.objects.filter(codename="view_outboxmessage"))
    client.force_login(editor)
    response = client.get(reverse("admin:accounts_outboxmessage_changelist"))
    assert response.status_code == 200
    assert "Attempt 3: refused" in response.text
    assert "Send the selected failed messages again" not in response.text


@pytest.mark.django_db
def test_a_password_reset_goes_through_the_outbox_without_storing_the_link(client, django_capture_on_commit_callbacks):
    """The row names the account only; the one-time link is made when the email is sent."""
    user = UserFactory(email="reset.outbox@example.nhs.uk")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:reset_password"), {"email": "reset.outbox@example.nhs.uk"})

    row = OutboxMessage.objects.get(kind="password_reset")
    assert row.context == {"user_id": str(user.pk)}
    assert row.state == OutboxState.SENT
    [email] = mail.outbox
    assert "/password-reset/" in email.body
