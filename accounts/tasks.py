"""Thin Celery tasks: they take ids and call a service."""

from smtplib import SMTPConnectError, SMTPServerDisconnected

from celery import shared_task

from accounts import services

# Retry what may pass (the mail server unreachable or dropping the connection), not what never will (a refused
# recipient).
TRANSIENT_MAIL_ERRORS = (SMTPConnectError, SMTPServerDisconnected, ConnectionError, TimeoutError)


@shared_task(autoretry_for=TRANSIENT_MAIL_ERRORS, retry_backoff=True, retry_backoff_max=600, max_retries=8)
def send_sign_up_confirmation(user_id: str) -> bool:
    return services.sign_up_confirmation_send(user_id=user_id)


@shared_task(autoretry_for=TRANSIENT_MAIL_ERRORS, retry_backoff=True, retry_backoff_max=600, max_retries=8)
def send_templated_email(
    to: str, subject_template: str, text_template: str, html_template: str | None, context: dict
) -> None:
    services.templated_email_send(
        to=to,
        subject_template=subject_template,
        text_template=text_template,
        html_template=html_template,
        context=context,
    )


@shared_task
def purge_unconfirmed_sign_ups() -> int:
    return services.unconfirmed_sign_ups_purge()


@shared_task
def deliver_outbox_message(message_id: str) -> bool:
    from accounts.outbox import outbox_deliver

    return outbox_deliver(message_id=message_id)
