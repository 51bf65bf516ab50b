"""Thin Celery tasks for the regulators app."""

from celery import shared_task

from regulators import services


@shared_task
def send_revalidation_reminders() -> int:
    """Daily: owe the revalidation reminders due today (each written once however often this runs)."""
    return services.revalidation_reminders_send()
