"""Thin Celery tasks of the exports app. The service imports this at module level, so the service is imported here
inside each task."""

import logging

from celery import shared_task
from django.conf import settings

logger = logging.getLogger(__name__)


@shared_task(
    name="exports.tasks.build_export",
    bind=True,
    # A national list takes far longer than the project's default limits allow; its own limits stay well inside
    # the broker's visibility timeout, so Redis does not hand a running build to a second worker.
    soft_time_limit=settings.EXPORTS_TIME_LIMIT,
    time_limit=settings.EXPORTS_TIME_LIMIT + 60,
    max_retries=settings.EXPORTS_MAX_ATTEMPTS - 1,
)
def build_export_task(self, export_id: str) -> None:
    """Build one export's file; on an error, try again with a doubling delay, and after the last attempt mark it
    failed (the person is told; the error is logged and kept on the export). In-process tasks (no broker) ignore
    countdowns, so there the first error is the last."""
    from exports.services import FAILED_MESSAGE, export_build, export_fail

    try:
        export_build(export_id=export_id)
    except Exception as error:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            logger.exception("Export %s failed for good", export_id)
            export_fail(export_id=export_id, message=FAILED_MESSAGE, error=repr(error))
            return
        logger.warning("Export %s failed, trying again: %r", export_id, error)
        countdown = settings.EXPORTS_RETRY_BASE_SECONDS * 2**self.request.retries
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task(name="exports.tasks.tidy_exports")
def tidy_exports_task() -> dict:
    """Beat: delete expired files, queue again exports whose task was lost."""
    from exports.services import exports_tidy

    return exports_tidy()
