"""The Celery application. Configuration comes from Django settings (the CELERY_ names)."""

import logging
import os

from celery import Celery
from django.db import transaction
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("leadership_talent")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue_on_commit(task, *args) -> None:
    """Send a task once the current transaction commits.

    A broker outage must not turn a saved change into an error page: the failure is logged, and what the task
    would have sent can be asked for again (the outbox of DESIGN.md section 5 will re-deliver automatically).
    """

    def send() -> None:
        try:
            task.delay(*args)
        except OperationalError:
            logging.getLogger(__name__).exception("Could not queue %s%r: broker unreachable", task.name, args)

    transaction.on_commit(send)
