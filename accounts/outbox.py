"""The notification outbox (DESIGN.md section 5): writing the emails the service owes, and delivering them.

Writers call `outbox_add` inside the transaction that causes the email; the row commits or rolls back with the
cause, and delivery is queued only after commit.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import OutboxMessage, OutboxState
from config.celery import enqueue_on_commit

# kind -> function(context) returning the template context at send time, or None when the message must no longer
# be sent (e.g. the nominee withdrew consent). Apps register theirs with `outbox_context_builder`.
ContextBuilder = Callable[[dict], dict | None]
_context_builders: dict[str, ContextBuilder] = {}


def outbox_context_builder(kind: str) -> Callable[[ContextBuilder], ContextBuilder]:
    def register(builder: ContextBuilder) -> ContextBuilder:
        _context_builders[kind] = builder
        return builder

    return register


def outbox_add(*, key: str, kind: str, to: str, context: dict) -> OutboxMessage:
    """Owe one email. Must run inside the transaction of its cause; the same key twice is written once.

    The context must be JSON-serialisable (ids, names and links, not model instances).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox_add must be called inside the transaction that causes the email")
    message, created = OutboxMessage.objects.get_or_create(
        idempotency_key=key, defaults={"kind": kind, "to_email": to, "context": context}
    )
    if created:
        from accounts.tasks import deliver_outbox_message

        enqueue_on_commit(deliver_outbox_message, str(message.pk))
    return message


def outbox_render(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """The email for a row, built now (so consent is checked at send time), or None when it must not be sent."""
    context = dict(message.context)
    builder = _context_builders.get(message.kind)
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


def outbox_deliver(*, message_id: str) -> bool:
    """Send one pending row. Returns True if this call sent it."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, state=OutboxState.PENDING, available_at__lte=timezone.now())
            .first()
        )
        if message is None:
            return False
        message.state = OutboxState.SENDING
        message.sending_since = timezone.now()
        message.attempts += 1
        message.save(update_fields=["state", "sending_since", "attempts", "updated_at"])
    email = outbox_render(message)
    if email is not None:
        email.send()
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=OutboxState.SENT, sent_at=timezone.now(), last_error="" if email else "Not sent: no longer due"
    )
    return email is not None
