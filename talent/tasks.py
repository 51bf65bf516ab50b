"""Thin Celery tasks of the talent app: they take ids or dates and call a service."""

from celery import shared_task

from talent import services


@shared_task
def dispatch_nudges() -> int:
    """Hourly: build the nudges now due. Safe to run twice or concurrently."""
    return len(services.nudges_dispatch())


@shared_task
def send_nomination_reminders() -> int:
    """Daily: remind training bodies of nominations waiting more than 10 working days."""
    return services.nomination_reminders_send()


@shared_task(expires=110)
def refresh_pipeline_rollups() -> None:
    """Every two minutes: rebuild the talent-pipeline roll-ups (a run that would start late is dropped: the next
    one is due anyway)."""
    from talent.services.pipeline import pipeline_rollups_refresh

    pipeline_rollups_refresh()
