"""Beat's schedule and messages already queued name tasks by their registered names, which must outlive any
renaming of the Python functions behind them."""

from django.conf import settings

from config.celery import app

QUEUED_NAMES = {
    "accounts.tasks.deliver_outbox_message",
    "accounts.tasks.purge_unconfirmed_sign_ups",
    "accounts.tasks.sweep_outbox",
    "exports.tasks.build_export",
    "exports.tasks.tidy_exports",
    "regulators.tasks.send_revalidation_reminders",
    "talent.tasks.dispatch_nudges",
    "talent.tasks.refresh_pipeline_rollups",
    "talent.tasks.send_nomination_reminders",
}


def test_every_scheduled_job_names_a_registered_task():
    app.loader.import_default_modules()

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    registered = set(app.tasks)
    assert not scheduled - registered, scheduled - registered
    assert not QUEUED_NAMES - registered, QUEUED_NAMES - registered
