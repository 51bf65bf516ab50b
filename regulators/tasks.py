"""Thin Celery tasks for the regulators app: they call a service, imported inside the task (services import tasks
at module level); the registered names stay those that beat already uses."""

from celery import shared_task


@shared_task(name="regulators.tasks.send_revalidation_reminders")
def send_revalidation_reminders_task() -> int:
    """Daily: owe the revalidation reminders due today (each written once however often this runs)."""
    from regulators.services import revalidation_reminders_send

    return revalidation_reminders_send()


@shared_task(name="regulators.tasks.send_guidance_change_emails")
def send_guidance_change_emails_task() -> int:
    """Daily: owe last week's emails about guidance changes, once per clinician per week of changes."""
    from regulators.services import guidance_change_emails_send

    return guidance_change_emails_send()
