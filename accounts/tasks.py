"""Thin Celery tasks: they take ids and call a service. Services import these at module level, so the services are
imported here inside each task; the registered names stay those that beat and queued messages already use."""

from celery import shared_task


@shared_task(name="accounts.tasks.purge_unconfirmed_sign_ups")
def purge_unconfirmed_sign_ups_task() -> int:
    from accounts.services import unconfirmed_sign_ups_purge

    return unconfirmed_sign_ups_purge()


@shared_task(name="accounts.tasks.purge_expired_api_tokens")
def purge_expired_api_tokens_task() -> int:
    from accounts.services import api_tokens_expired_purge

    return api_tokens_expired_purge()


@shared_task(name="accounts.tasks.deliver_outbox_message")
def deliver_outbox_message_task(message_id: str) -> bool:
    from accounts.outbox import outbox_deliver

    return outbox_deliver(message_id=message_id)


@shared_task(name="accounts.tasks.sweep_outbox")
def sweep_outbox_task() -> int:
    from accounts.outbox import outbox_sweep

    return outbox_sweep()


@shared_task(name="accounts.tasks.request_password_reset")
def request_password_reset_task(email: str) -> int:
    from accounts.services import password_reset_request

    return password_reset_request(email=email)


@shared_task(name="accounts.tasks.purge_security_events")
def purge_security_events_task() -> int:
    from accounts.services import security_events_purge

    return security_events_purge()
