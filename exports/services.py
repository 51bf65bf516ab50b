"""Exports a person asks for (DESIGN.md section 5): the request only writes a row and queues a task, so no web
worker waits for a long list; a worker builds the file through a server-side cursor in chunks (memory flat) and
stores it (`exports.models.exports_storage`); the person is emailed a link and sees it on "Your exports" until it
expires. The file names what it holds in its first lines and ends with its row count, which is also stored, so a
cut-off copy is plain to see. A build that fails is tried again (the task's retries, then the tidy job); when it
cannot succeed the export is marked failed with a message for the person, who is emailed too."""

import csv
import logging
import tempfile
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import User
from accounts.outbox import outbox_add, outbox_context_builder
from accounts.permissions import ROLE_PERMISSIONS, Permission, user_can
from config.celery import enqueue_on_commit
from config.db import reading_from_replica
from config.errors import DomainError
from exports import kinds
from exports.models import Export, ExportKind, ExportState, exports_storage
from exports.tasks import build_export_task
from pipeline.services import pipeline_fresh_run
from pipeline.spreadsheet import safe_cell

logger = logging.getLogger(__name__)

READY_EMAIL = "export_ready"
FAILED_EMAIL = "export_failed"
# A queued export that no worker has started after this long lost its message (a broker outage): queue it again.
QUEUED_GRACE = timedelta(minutes=10)
FAILED_MESSAGE = "The file could not be made. Ask for it again; if that fails too, contact the service desk."
NOT_ALLOWED_MESSAGE = "You can no longer export this list, so the file was not made."


def _stale_building_before(now):
    """A build started before this has passed the task's hard time limit: its worker died."""
    return now - timedelta(seconds=settings.EXPORTS_TIME_LIMIT + 60)


@transaction.atomic
def export_request(*, user: User, kind: str, filters: dict) -> Export:
    """Ask for an export: checked and described now, built by a worker after commit. Filters are the address's
    parameters as given (see `exports.kinds`); ones the person may not use are a DomainError."""
    if kind != ExportKind.PIPELINE_CLINICIANS:
        raise DomainError(f"There is no export of {kind!r}.")
    if not user_can(user, Permission.EXPORT_PIPELINE):
        raise DomainError("Your role may not export this list.")
    parameters = kinds.pipeline_export_parameters(filters)
    subject = kinds.pipeline_clinicians_read(user=user, parameters=parameters)
    scope_words, scope = kinds.pipeline_clinicians_scope(user=user, subject=subject)
    export = Export.objects.create(
        requested_by=user,
        kind=kind,
        filters=parameters,
        description=kinds.pipeline_clinicians_description(subject),
        scope_description=scope_words,
        scope=scope,
    )
    audit_record(
        actor=user,
        action="export.requested",
        subject=export,
        detail={"kind": kind, "filters": parameters, "list": export.description, "scope": scope_words},
    )
    enqueue_on_commit(build_export_task, str(export.pk))
    return export


def _claim(export_id: str) -> Export | None:
    """Take the export for this build: queued, or building so long ago that its worker died. None if another
    build has it or it is done (a redelivered task does nothing)."""
    now = timezone.now()
    with transaction.atomic():
        export = (
            Export.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("requested_by")
            .filter(
                Q(state=ExportState.QUEUED) | Q(state=ExportState.BUILDING, started_at__lt=_stale_building_before(now)),
                pk=export_id,
            )
            .first()
        )
        if export is None:
            return None
        export.state, export.started_at, export.attempts = ExportState.BUILDING, now, export.attempts + 1
        export.save(update_fields=["state", "started_at", "attempts", "updated_at"])
    return export


def _heading(export: Export, *, listed_at, figures_as_of) -> list[list[str]]:
    def when(moment) -> str:
        return f"{timezone.localtime(moment):%-d %B %Y %H:%M %Z}" if moment else "not known"

    given = "; ".join(f"{name}={value}" for name, value in sorted(export.filters.items())) or "none"
    return [
        [export.get_kind_display()],
        [f"List: {export.description}"],
        [f"Scope and filters: {export.scope_description}"],
        [f"Filters as given: {given}"],
        [f"Stages as of: {when(figures_as_of)} (the dashboard's figures of that time)"],
        [f"Listed as of: {when(listed_at)}"],
        [f"Requested by: {export.requested_by.full_name}"],
        [],
    ]


def end_line(row_count: int) -> str:
    """The file's last line: a copy without it, or whose count differs from its rows, was cut off."""
    return f"End of export: {row_count:,} row{'' if row_count == 1 else 's'}"


def export_build(*, export_id: str) -> Export | None:
    """Build the file of an export (the task's body). Returns the export, or None when there was nothing to do.
    Raises on an error worth trying again (the task retries), after putting the export back in the queue."""
    export = _claim(export_id)
    if export is None:
        return None
    user = export.requested_by
    if not user_can(user, Permission.EXPORT_PIPELINE):
        return export_fail(export_id=export_id, message=NOT_ALLOWED_MESSAGE)
    try:
        subject = kinds.pipeline_clinicians_read(user=user, parameters=export.filters)
    except DomainError as error:
        return export_fail(
            export_id=export_id, message=f"Those filters are no longer open to you, so the file was not made: {error}"
        )
    try:
        return _build(export, subject)
    except SoftTimeLimitExceeded:
        logger.exception("Export %s took longer than its time limit", export_id)
        return export_fail(
            export_id=export_id,
            message="The list was too long to make in time. Ask for a narrower list (add a filter).",
            error="Soft time limit exceeded",
        )
    except Exception:
        # Back in the queue, so the task's retry (or the tidy job) can claim it again at once.
        Export.objects.filter(pk=export_id, state=ExportState.BUILDING).update(state=ExportState.QUEUED)
        raise


@reading_from_replica()  # the list is read where the dashboard's figures are (config.db); the export row is written
def _build(export: Export, subject: kinds.PipelineClinicians) -> Export:
    user = export.requested_by
    run = pipeline_fresh_run()  # the stages the list is placed by, as the drill-down page does
    scope_words, scope = kinds.pipeline_clinicians_scope(user=user, subject=subject)
    export.scope_description, export.scope = scope_words, scope  # what the file holds now, not at the request
    listed_at = timezone.now()
    header, rows = kinds.pipeline_clinicians_rows(user=user, subject=subject)
    filename = f"talent-pipeline-clinicians-{timezone.localtime(listed_at):%Y%m%d-%H%M}.csv"
    row_count = 0
    # Written to a local temporary file first, then handed to the storage in one piece: a half-written file is
    # never offered, and object storage receives it as one upload.
    with tempfile.NamedTemporaryFile("w+", encoding="utf-8", newline="", suffix=".csv") as out:
        # Every field quoted, so a separator other than the comma (a spreadsheet set to ";") cannot split one.
        writer = csv.writer(out, quoting=csv.QUOTE_ALL)
        writer.writerows(_heading(export, listed_at=listed_at, figures_as_of=run.refreshed_at if run else None))
        writer.writerow(header)
        for row in rows:
            writer.writerow([safe_cell(value) for value in row])
            row_count += 1
        writer.writerow([end_line(row_count)])
        out.flush()
        with open(out.name, "rb") as data:
            name = exports_storage().save(f"{export.pk}/{filename}", File(data, name=filename))
    now = timezone.now()
    with transaction.atomic():
        updated = Export.objects.filter(pk=export.pk, state=ExportState.BUILDING).update(
            state=ExportState.READY,
            file=name,
            row_count=row_count,
            scope_description=scope_words,
            scope=scope,
            figures_as_of=run.refreshed_at if run else None,
            finished_at=now,
            expires_at=now + timedelta(days=settings.EXPORTS_KEEP_DAYS),
            message="",
            updated_at=now,
        )
        if not updated:  # someone else finished or failed it meanwhile: keep theirs, drop this file
            transaction.on_commit(lambda: exports_storage().delete(name))
            return Export.objects.get(pk=export.pk)
        outbox_add(
            key=f"export:{export.pk}:ready",
            kind=READY_EMAIL,
            to=user.email,
            context={"export_id": str(export.pk), "path": reverse("exports:download_export", args=[export.pk])},
        )
    return Export.objects.get(pk=export.pk)


@transaction.atomic
def export_fail(*, export_id: str, message: str, error: str = "") -> Export | None:
    """Give up on an export: failed, with a message for the person, who is emailed. A finished one is left as is."""
    export = (
        Export.objects.select_for_update(of=("self",))
        .select_related("requested_by")
        .filter(pk=export_id, state__in=(ExportState.QUEUED, ExportState.BUILDING))
        .first()
    )
    if export is None:
        return None
    export.state, export.message, export.error = ExportState.FAILED, message, error[:2000]
    export.finished_at = timezone.now()
    export.save(update_fields=["state", "message", "error", "finished_at", "updated_at"])
    outbox_add(
        key=f"export:{export.pk}:failed",
        kind=FAILED_EMAIL,
        to=export.requested_by.email,
        context={"export_id": str(export.pk), "path": reverse("exports:list_exports")},
    )
    return export


def export_downloaded(*, user: User, export: Export) -> None:
    audit_record(
        actor=user,
        action="export.downloaded",
        subject=export,
        detail={"kind": export.kind, "list": export.description, "rows": export.row_count},
    )


def _roles_that_may_export() -> list[str]:
    return [role for role, permissions in ROLE_PERMISSIONS.items() if Permission.EXPORT_PIPELINE in permissions]


def exports_tidy(*, now=None) -> dict[str, int]:
    """The beat job: delete the files of exports that expired or whose requester may no longer export (account
    deactivated, role changed); queue again the exports whose task was lost (broker outage, a worker killed),
    and fail those tried EXPORTS_MAX_ATTEMPTS times. Each step is safe to repeat."""
    now = now or timezone.now()
    done = {"expired": 0, "requeued": 0, "failed": 0}
    gone = Export.objects.filter(state=ExportState.READY).filter(
        Q(expires_at__lte=now) | Q(requested_by__is_active=False) | ~Q(requested_by__role__in=_roles_that_may_export())
    )
    for export in gone.only("pk", "file").iterator(chunk_size=500):
        if export.file.name:
            exports_storage().delete(export.file.name)
        done["expired"] += Export.objects.filter(pk=export.pk, state=ExportState.READY).update(
            state=ExportState.EXPIRED, file="", updated_at=now
        )
    lost = Export.objects.filter(
        Q(state=ExportState.QUEUED, updated_at__lt=now - QUEUED_GRACE)
        | Q(state=ExportState.BUILDING, started_at__lt=_stale_building_before(now))
    )
    for export_id, attempts in lost.values_list("pk", "attempts").iterator(chunk_size=500):
        if attempts >= settings.EXPORTS_MAX_ATTEMPTS:
            if export_fail(export_id=export_id, message=FAILED_MESSAGE, error=f"Gave up after {attempts} attempts"):
                done["failed"] += 1
        else:
            with transaction.atomic():
                enqueue_on_commit(build_export_task, str(export_id))
            done["requeued"] += 1
    return done


def _ready_export(context: dict) -> Export | None:
    return (
        Export.objects.select_related("requested_by")
        .filter(pk=context["export_id"], requested_by__is_active=True)
        .first()
    )


@outbox_context_builder(READY_EMAIL)
def export_ready_context(context: dict) -> dict | None:
    """At send time: nothing to say if the file has gone meanwhile (expired, or the person left)."""
    export = _ready_export(context)
    if export is None or not export.downloadable():
        return None
    return _email_context(context, export)


@outbox_context_builder(FAILED_EMAIL)
def export_failed_context(context: dict) -> dict | None:
    export = _ready_export(context)
    if export is None or export.state != ExportState.FAILED:
        return None
    return _email_context(context, export)


def _email_context(context: dict, export: Export) -> dict:
    return {
        **context,
        "name": export.requested_by.get_short_name(),
        "kind": export.get_kind_display(),
        "description": export.description,
        "scope_description": export.scope_description,
        "row_count": export.row_count,
        "expires_at": export.expires_at,
        "message": export.message,
    }
