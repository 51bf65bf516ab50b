"""Deployment checks (`manage.py check --deploy`): settings that work for the demo but are wrong in production."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def production_services_configured(app_configs=None, **kwargs) -> list[Warning]:
    problems = []
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        problems.append(
            Warning(
                "DATABASE_URL is not set: the service is using the SQLite demo database.",
                hint="Set DATABASE_URL to the PostgreSQL database.",
                id="ltt.W001",
            )
        )
    if not settings.CELERY_BROKER_URL:
        problems.append(
            Warning(
                "CELERY_BROKER_URL is not set: tasks run inside web requests.",
                hint="Set CELERY_BROKER_URL to the Redis broker and run a worker and one beat.",
                id="ltt.W002",
            )
        )
    if settings.SITE_URL.startswith(("http://127.0.0.1", "http://localhost")):
        problems.append(
            Warning(
                "SITE_URL points at this machine: links in emails will not work for anyone else.",
                hint="Set SITE_URL to the service's public address.",
                id="ltt.W003",
            )
        )
    if settings.OUTBOX_SENDING_TIMEOUT <= settings.CELERY_TASK_TIME_LIMIT:
        problems.append(
            Warning(
                "OUTBOX_SENDING_TIMEOUT is not longer than CELERY_TASK_TIME_LIMIT: the sweep could take back an email"
                " a worker is still sending, and send it twice.",
                hint="Set OUTBOX_SENDING_TIMEOUT above the task time limit.",
                id="ltt.W004",
            )
        )
    placeholders = [
        name
        for name in ("ACCESSIBILITY_CONTACT_EMAIL", "PRIVACY_CONTACT_EMAIL")
        if getattr(settings, name).endswith(".test")
    ]
    if placeholders:
        problems.append(
            Warning(
                f"{' and '.join(placeholders)} still give the demo's address: the accessibility statement and the"
                " privacy notice would tell people to write to nobody.",
                hint="Set SERVICE_CONTACT_EMAIL (or ACCESSIBILITY_CONTACT_EMAIL) and PRIVACY_CONTACT_EMAIL.",
                id="ltt.W005",
            )
        )
    return problems
