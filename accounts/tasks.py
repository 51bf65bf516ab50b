"""Thin Celery tasks: they take ids and call a service."""

from celery import shared_task

from accounts import services


@shared_task
def purge_unconfirmed_sign_ups() -> int:
    return services.unconfirmed_sign_ups_purge()


@shared_task
def deliver_outbox_message(message_id: str) -> bool:
    from accounts.outbox import outbox_deliver

    return outbox_deliver(message_id=message_id)


@shared_task
def sweep_outbox() -> int:
    from accounts.outbox import outbox_sweep

    return outbox_sweep()
