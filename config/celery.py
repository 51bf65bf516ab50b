"""The Celery application. Configuration comes from Django settings (the CELERY_ names)."""

import logging
import os
import time

from celery import Celery
from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("leadership_talent")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)
# Broker URL -> monotonic time until which this process does not try to publish to it.
_unreachable_until: dict[str, float] = {}


def enqueue_on_commit(task, *args) -> None:
    """Send a task once the current transaction commits.

    A broker outage must not turn a saved change into an error page, nor hold it: each publish is tried once, with
    the Redis timeouts, and after a failure this process does not try that broker again for REDIS_RETRY_SECONDS, so
    a request owing many emails waits out at most one timeout. What was not queued is logged; the outbox sweep
    delivers the emails owed (they are rows in the database), and other tasks can be asked for again.
    """

    def send() -> None:
        broker = app.conf.broker_url or ""
        to_broker = not app.conf.task_always_eager  # in-process tasks have no broker to wait for
        if to_broker and time.monotonic() < _unreachable_until.get(broker, 0):
            logger.info("Not queued %s%r: the broker was unreachable moments ago", task.name, args)
            return
        try:
            task.apply_async(args=args, retry=False)
        except OperationalError:
            if to_broker:
                _unreachable_until[broker] = time.monotonic() + settings.REDIS_RETRY_SECONDS
            logger.exception("Could not queue %s%r: broker unreachable", task.name, args)

    transaction.on_commit(send)
