"""Thin Celery tasks: they take ids and call a service."""

from celery import shared_task

from accounts import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def send_sign_up_confirmation(user_id: str) -> bool:
    return services.sign_up_confirmation_send(user_id=user_id)


@shared_task
def purge_unconfirmed_sign_ups() -> int:
    return services.unconfirmed_sign_ups_purge()
