"""Thin Celery tasks of the talent app: they take ids or dates and call a service. Services import these at module
level, so the services are imported here inside each task; the registered names stay those that beat and queued
messages already use."""

from celery import shared_task


@shared_task(name="talent.tasks.dispatch_nudges")
def dispatch_nudges_task() -> int:
    """Hourly: build the nudges now due. Safe to run twice or concurrently."""
    from talent.services import nudges_dispatch

    return len(nudges_dispatch())


@shared_task(name="talent.tasks.send_nomination_reminders")
def send_nomination_reminders_task() -> int:
    """Daily: remind training bodies of nominations waiting more than 10 working days."""
    from talent.services import nomination_reminders_send

    return nomination_reminders_send()


@shared_task(name="talent.tasks.send_feedback_reminders")
def send_feedback_reminders_task() -> int:
    """Daily: remind 360 raters who have not answered, 7 and 2 days before their round closes."""
    from talent.services import feedback_reminders_send

    return feedback_reminders_send()


@shared_task(name="talent.tasks.send_plan_review_reminders")
def send_plan_review_reminders_task() -> int:
    """Daily: remind clinicians whose development plan is due for review. Safe to run twice or concurrently."""
    from talent.services.plans import plan_review_reminders_send

    return plan_review_reminders_send()


@shared_task(name="talent.tasks.send_follow_up_reminders")
def send_follow_up_reminders_task() -> int:
    """Daily: remind each body of its overdue follow-ups, once a week."""
    from talent.services import follow_up_reminders_send

    return follow_up_reminders_send()
