"""Thin Celery tasks of the pipeline app. The service imports this at module level, so it is imported here inside
the task. The registered name is the one the task had in the talent app: beat and messages already queued use it."""

from celery import shared_task


@shared_task(name="talent.tasks.refresh_pipeline_rollups", expires=110)
def refresh_pipeline_rollups_task() -> None:
    """Every two minutes: rebuild the talent-pipeline roll-ups (a run that would start late is dropped: the next
    one is due anyway)."""
    from pipeline.services import pipeline_rollups_refresh

    pipeline_rollups_refresh()
