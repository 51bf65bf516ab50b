"""The notification outbox (DESIGN.md section 5): writing the emails the service owes, and delivering them.

Writers call `outbox_add` inside the transaction that causes the email; the row commits or rolls back with the
cause, and delivery is queued only after commit. Delivery claims a row (pending -> sending) in a short transaction
with `select_for_update(skip_locked=True)`, sends outside any transaction, then marks it sent. So:

- two workers, a redelivered task (acks_late) or the sweep racing the task: only one of them claims the row; the
  others find it locked, sending or sent and do nothing;
- the connection that claimed the row sits idle while the mail server talks, and may be reset meanwhile (a database
  restart or failover, a pooler or firewall dropping idle connections): the outcome is written with a fresh
  connection, retried a few times with a short pause, so an email the mail server accepted is not sent again;
- a worker killed while sending leaves the row `sending`; once OUTBOX_SENDING_TIMEOUT has passed the sweep queues it
  again and a live worker sends it. So delivery is at least once: a duplicate remains possible only when the mail
  server accepted the email and the row could not be marked sent, because the worker died first or the database
  stayed unreachable through every retry (every email carries its key in X-LTT-Message-Key for that case);
- a mail error puts the row back to pending with a doubling delay (available_at), and after OUTBOX_MAX_ATTEMPTS
  leaves it `failed` with the error kept, for a superuser to retry from the admin.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import InterfaceError, OperationalError, connections, router, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from kombu.exceptions import OperationalError as BrokerUnreachable

from accounts.audit import audit_record
from accounts.models import OutboxMessage, OutboxState
from accounts.tasks import deliver_outbox_message_task
from config.celery import enqueue_on_commit

logger = logging.getLogger(__name__)

# kind -> function(context) returning the template context at send time, or None when the message must no longer
# be sent (e.g. the nominee withdrew consent). Apps register theirs with `outbox_context_builder`.
ContextBuilder = Callable[[dict], dict | None]
_context_builders: dict[str, ContextBuilder] = {}
_services_loaded = False
SWEEP_BATCH = 500
# Writing a delivery's outcome: attempts, and the first pause between them (doubling): about 6 s in all.
OUTCOME_WRITE_ATTEMPTS = 7
OUTCOME_WRITE_FIRST_PAUSE = 0.1


def _builders() -> dict[str, ContextBuilder]:
    """The registered builders. They live in the apps' services modules, imported here so that a worker or a
    command that has not imported them yet still finds them."""
    global _services_loaded
    if not _services_loaded:
        autodiscover_modules("services")
        _services_loaded = True
    return _context_builders


def outbox_context_builder(kind: str) -> Callable[[ContextBuilder], ContextBuilder]:
    def register(builder: ContextBuilder) -> ContextBuilder:
        _context_builders[kind] = builder
        return builder

    return register


def _enqueue(message_ids: list[str], *, countdown: float = 0) -> None:
    for message_id in message_ids:
        if countdown:
            transaction.on_commit(lambda m=message_id: _send_later(deliver_outbox_message_task, m, countdown))
        else:
            enqueue_on_commit(deliver_outbox_message_task, message_id)


def _send_later(task, message_id: str, countdown: float) -> None:
    if task.app.conf.task_always_eager:
        return  # in-process tasks ignore countdowns: retrying now would spend every attempt at once
    try:
        task.apply_async(args=[message_id], countdown=countdown)
    except BrokerUnreachable:
        logger.exception("Could not queue the retry of outbox message %s: the sweep will", message_id)


def _check_in_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("The outbox is written inside the transaction that causes the email")


def outbox_add(*, key: str, kind: str, to: str, context: dict) -> OutboxMessage:
    """Owe one email. Must run inside the transaction of its cause; the same key twice is written once.

    The context must be JSON-serialisable (ids, names and links, not model instances).
    """
    _check_in_transaction()
    message, created = OutboxMessage.objects.get_or_create(
        idempotency_key=key, defaults={"kind": kind, "to_email": to, "context": context}
    )
    if created:
        _enqueue([str(message.pk)])
    return message


@dataclass(frozen=True)
class OwedEmail:
    key: str
    kind: str
    to: str
    context: dict


def outbox_add_many(emails: list[OwedEmail]) -> int:
    """`outbox_add` for many emails in two queries (the nudge dispatcher owes hundreds at once). Keys already
    written are skipped. Returns how many rows were written."""
    _check_in_transaction()
    if not emails:
        return 0
    rows = [OutboxMessage(idempotency_key=e.key, kind=e.kind, to_email=e.to, context=e.context) for e in emails]
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    # With ignore_conflicts PostgreSQL does not say which rows went in; ours are those with the ids we chose.
    written = [
        str(pk) for pk in OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).values_list("pk", flat=True)
    ]
    _enqueue(written)
    return len(written)


def outbox_render(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """The email for a row, built now (so consent is checked at send time), or None when it must not be sent."""
    context = dict(message.context)
    builder = _builders().get(message.kind)
    if builder is not None:
        context = builder(context)
        if context is None:
            return None
    context.setdefault("service_name", settings.SERVICE_NAME)
    context.setdefault("site_url", settings.SITE_URL)
    subject = "".join(render_to_string(f"emails/{message.kind}_subject.txt", context).splitlines())
    email = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{message.kind}.txt", context),
        to=[message.to_email],
        headers={"X-LTT-Message-Key": message.idempotency_key},
    )
    email.attach_alternative(render_to_string(f"emails/{message.kind}.html", context), "text/html")
    return email


def _claimable(now) -> Q:
    """Rows a delivery may take: pending and due, or sending for so long that their worker must have died."""
    stuck_before = now - timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT)
    return Q(state=OutboxState.PENDING, available_at__lte=now) | Q(
        state=OutboxState.SENDING, sending_since__lt=stuck_before
    )


def retry_delay(attempts: int) -> timedelta:
    """Delay before the next attempt after `attempts` failed ones: the base, doubling, at most an hour."""
    return timedelta(seconds=min(settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), 60 * 60))


def outbox_deliver(*, message_id: str) -> bool:
    """Send one row if it is due and nobody else is sending it. Returns True if this call sent an email."""
    now = timezone.now()
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True).filter(_claimable(now), pk=message_id).first()
        )
        if message is None:
            return False
        message.state = OutboxState.SENDING
        message.sending_since = now
        message.attempts += 1
        message.save(update_fields=["state", "sending_since", "attempts", "updated_at"])
    try:
        email = outbox_render(message)
    except Exception as error:  # a template or builder bug will not pass on retry: fail now
        logger.exception("Outbox message %s could not be rendered", message.pk)
        _write_outcome(message, state=OutboxState.FAILED, last_error=f"Could not build the email: {error!r}"[:2000])
        return False
    if email is None:
        _write_outcome(message, state=OutboxState.SENT, sent_at=timezone.now(), last_error="Not sent: no longer due")
        return False
    try:
        email.send()
    except Exception as error:  # noqa: BLE001 - mail errors: refused, dropped, timed out
        _record_failure(message, error)
        return False
    _write_outcome(message, state=OutboxState.SENT, sent_at=timezone.now(), last_error="")
    return True


def _write_outcome(message: OutboxMessage, **fields) -> None:
    """Write what became of a claimed row, reconnecting if the connection was lost while the mail server talked.

    The update matches only this delivery's claim (`sending` since the claim's time), so repeating it after a
    connection lost just as the update committed changes nothing.
    """
    mine = OutboxMessage.objects.filter(pk=message.pk, state=OutboxState.SENDING, sending_since=message.sending_since)
    connection = connections[router.db_for_write(OutboxMessage)]
    pause = OUTCOME_WRITE_FIRST_PAUSE
    for attempt in range(1, OUTCOME_WRITE_ATTEMPTS + 1):
        try:
            mine.update(**fields)
            return
        except (OperationalError, InterfaceError):
            if connection.in_atomic_block or attempt == OUTCOME_WRITE_ATTEMPTS:
                logger.error("Outbox message %s stays sending: could not write %s", message.pk, fields["state"])
                raise
            logger.warning("Outbox message %s: database connection lost, reconnecting", message.pk, exc_info=True)
            connection.close()
            time.sleep(pause)
            pause *= 2


def _record_failure(message: OutboxMessage, error: Exception) -> None:
    text = f"Attempt {message.attempts}: {error!r}"[:2000]
    if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        logger.error("Outbox message %s failed for good: %s", message.pk, text)
        _write_outcome(message, state=OutboxState.FAILED, last_error=text)
        return
    delay = retry_delay(message.attempts)
    logger.warning("Outbox message %s failed, retrying in %s: %s", message.pk, delay, text)
    _write_outcome(message, state=OutboxState.PENDING, available_at=timezone.now() + delay, last_error=text)
    _enqueue([str(message.pk)], countdown=delay.total_seconds())


def outbox_sweep() -> int:
    """Queue delivery of every row that is due but may have no task in the broker (queued during a broker outage,
    lost with a dead worker, or whose retry was not queued). Extra deliveries are harmless: only one claims a row."""
    ids = list(
        OutboxMessage.objects.filter(_claimable(timezone.now()))
        .order_by("available_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for message_id in ids:
        deliver_outbox_message_task.delay(str(message_id))
    return len(ids)


@transaction.atomic
def outbox_retry(*, message_ids: list, actor) -> int:
    """A superuser asks for failed rows to be sent again: back to pending, with a fresh set of attempts."""
    rows = list(OutboxMessage.objects.select_for_update().filter(pk__in=message_ids, state=OutboxState.FAILED))
    for row in rows:
        row.state, row.attempts, row.available_at = OutboxState.PENDING, 0, timezone.now()
        row.save(update_fields=["state", "attempts", "available_at", "updated_at"])
        audit_record(actor=actor, action="outbox.retried", subject=row, detail={"kind": row.kind})
    _enqueue([str(row.pk) for row in rows])
    return len(rows)
