"""Exports: asked for on a page, built by the task into a file, downloaded by the requester only."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.urls import reverse

from accounts.models import AuditEvent, Region, Role, TrainingBodyMembership
from exports.models import Export, ExportKind, ExportState, exports_storage
from exports.services import FAILED_MESSAGE, export_request, exports_tidy
from pipeline.selectors import Drilldown, PipelineFilters, pipeline_drilldown, pipeline_drilldown_rows
from pipeline.services import pipeline_rollups_refresh
from talent.services.clinicians import consent_set
from tests.conftest import ROLES
from tests.exports.files import download, file_rows, listed, request_export
from tests.exports.fixtures import ready_export
from tests.factories import ClinicianProfileFactory

pytestmark = pytest.mark.django_db

# Interested or further along, doctors, sharing with HEE (tests/pipeline/pipeline_fixtures.py): not Alex (not
# interested), Dee (a nurse), Ida (shares with nobody) or Kit (account deleted).
INTERESTED_DOCTORS = {"Bea Brown", "Cal Clarke", "Eve Evans", "Fin Fox", "Gil Green", "Hana Hill", "Jo James"}


@pytest.fixture
def figures(pipeline_population):
    pipeline_rollups_refresh()
    return pipeline_population


def names(rows) -> set[str]:
    return {row[1] for row in listed(rows)}


def test_the_export_page_says_what_will_be_exported_and_asking_only_writes_a_row(figures, client, hee_staff):
    """The page names the list; the request returns at once with the export waiting for the worker (the task is
    queued when the request commits, and builds nothing inside it)."""
    client.force_login(hee_staff)
    query = "?profession=doctor&stage=interested"

    page = client.get(reverse("pipeline:export_drilldown") + query).content.decode()
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        response = client.post(reverse("pipeline:export_drilldown") + query)

    assert "Export this list: Interested (or further along the pipeline)" in page
    assert "England; doctors" in page
    assert response.status_code == 302 and response.url.startswith(reverse("exports:list_exports"))
    [export] = Export.objects.all()
    assert export.state == ExportState.QUEUED and not export.file and export.row_count is None
    assert export.filters == {"profession": "doctor", "stage": "interested"}
    assert export.scope_description == "England; doctors"
    assert len(queued) == 1  # the build, queued after commit
    event = AuditEvent.objects.get(action="export.requested")
    assert event.actor == hee_staff and event.detail["filters"] == export.filters


def test_the_file_names_its_filters_first_and_ends_with_its_row_count(figures, client, hee_staff):
    """First lines: what is listed, the scope and every filter, the time of the stages and of the list; last line:
    the row count, which equals the rows and is stored."""
    client.force_login(hee_staff)

    export = request_export(client, "?profession=doctor&stage=interested")
    rows = file_rows(client, export)

    export.refresh_from_db()
    assert export.state == ExportState.READY
    assert rows[0] == ["Talent pipeline: clinicians"]
    assert rows[1] == ["List: Interested (or further along the pipeline)"]
    assert rows[2] == ["Scope and filters: England; doctors"]
    assert rows[3] == ["Filters as given: profession=doctor; stage=interested"]
    assert rows[4][0].startswith("Stages as of: 20 November 2026 12:00 GMT")
    assert rows[5] == ["Listed as of: 20 November 2026 12:00 GMT"]
    assert names(rows) == INTERESTED_DOCTORS
    assert rows[-1] == [f"End of export: {len(INTERESTED_DOCTORS)} rows"]  # seven
    assert export.row_count == len(listed(rows)) == len(INTERESTED_DOCTORS)
    assert export.expires_at == export.finished_at + timedelta(days=7)
    assert AuditEvent.objects.filter(action="export.downloaded", actor=hee_staff).count() == 1


def test_the_requester_is_emailed_a_link_to_the_file(figures, client, hee_staff):
    client.force_login(hee_staff)

    export = request_export(client, "?stage=in_role")

    [email] = mail.outbox
    assert email.to == [hee_staff.email]
    assert email.subject == "Your export is ready: In a leadership role (or further along the pipeline)"
    assert reverse("exports:download_export", kwargs={"export_id": export.pk}) in email.body
    assert "1 row." in email.body


def test_your_exports_shows_state_rows_filters_and_a_link_while_ready(figures, client, hee_staff):
    client.force_login(hee_staff)
    export = request_export(client, "?profession=doctor&stage=interested")
    Export.objects.create(
        requested_by=hee_staff,
        kind=ExportKind.PIPELINE_CLINICIANS,
        description="All registered clinicians",
        scope_description="England",
        state=ExportState.FAILED,
        message="The list was too long to make in time.",
    )

    page = client.get(reverse("exports:list_exports") + f"?requested={export.pk}").content.decode()

    assert "We are making your file: Interested (or further along the pipeline)" in page
    assert "England; doctors" in page
    assert '<strong class="nhsuk-tag nhsuk-tag--green">Ready</strong>' in page
    assert f'<td class="nhsuk-table__cell">{len(INTERESTED_DOCTORS)}</td>' in page
    assert reverse("exports:download_export", kwargs={"export_id": export.pk}) in page
    assert '<strong class="nhsuk-tag nhsuk-tag--red">Failed</strong><br>The list was too long to make in time.' in page


def test_your_exports_reads_the_same_few_queries_however_many_exports(
    figures, client, hee_staff, django_assert_max_num_queries
):
    client.force_login(hee_staff)
    ready_export(hee_staff)
    client.get(reverse("exports:list_exports"))  # the session and second factor settle
    with django_assert_max_num_queries(6):
        client.get(reverse("exports:list_exports"))
    for _ in range(20):
        ready_export(hee_staff, {"stage": "developing"})

    with django_assert_max_num_queries(6):
        page = client.get(reverse("exports:list_exports")).content.decode()

    assert page.count("nhsuk-tag--green") == 21


def test_someone_else_s_export_and_a_deleted_file_answer_404(figures, client, hee_staff, regional_hee_staff):
    export = ready_export(hee_staff)
    client.force_login(regional_hee_staff)
    assert download(client, export).status_code == 404
    client.force_login(hee_staff)
    exports_storage().delete(export.file.name)
    assert download(client, export).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_the_training_body_admin_who_asked_downloads_their_export(figures, client, user_for_role, tb_admin, role):
    """Every other person, HEE staff who see more included, gets 404 (or is sent to sign in)."""
    export = ready_export(tb_admin)
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)

    response = download(client, export)

    assert response.status_code == {"anonymous": 302, "tb_admin": 200}.get(role, 404)
    if role == "tb_admin":
        rows = list(b"".join(response.streaming_content).decode().splitlines())
        assert rows[2] == '"Scope and filters: ' + tb_admin.administered_bodies.get().name + '"'


def test_whoever_can_no_longer_see_the_data_cannot_download(figures, client, hee_staff, tb_admin, training_body):
    """A role removed, a national view narrowed to a region, an admin removed from their body: 404."""
    national, body_list = ready_export(hee_staff), ready_export(tb_admin)
    client.force_login(hee_staff)
    assert download(client, national).status_code == 200

    hee_staff.hee_region = Region.objects.get(slug="london")
    hee_staff.save()
    assert download(client, national).status_code == 404
    hee_staff.hee_region, hee_staff.role = None, Role.CONTENT_EDITOR
    hee_staff.save()
    assert download(client, national).status_code == 404

    client.force_login(tb_admin)
    assert download(client, body_list).status_code == 200
    TrainingBodyMembership.objects.filter(user=tb_admin, training_body=training_body).delete()
    assert download(client, body_list).status_code == 404


def test_a_deactivated_account_cannot_download_and_its_files_are_deleted(figures, client, hee_staff):
    export = ready_export(hee_staff)
    client.force_login(hee_staff)
    hee_staff.is_active = False
    hee_staff.save()

    assert download(client, export).status_code == 302  # signed out: inactive accounts have no session
    assert exports_tidy()["expired"] == 1
    export.refresh_from_db()
    assert export.state == ExportState.EXPIRED and not export.file


def test_an_expired_file_cannot_be_downloaded_and_the_beat_job_deletes_it(figures, client, hee_staff):
    client.force_login(hee_staff)
    export = request_export(client)
    name = export.file.name
    assert exports_storage().exists(name)

    with time_machine.travel(export.expires_at + timedelta(seconds=1), tick=False):
        client.force_login(hee_staff)  # a week later: a new session
        assert download(client, export).status_code == 404
        assert exports_tidy()["expired"] == 1
        page = client.get(reverse("exports:list_exports")).content.decode()

    export.refresh_from_db()
    assert export.state == ExportState.EXPIRED and not export.file
    assert not exports_storage().exists(name)
    assert '<strong class="nhsuk-tag nhsuk-tag--grey">Expired</strong>' in page
    assert exports_tidy()["expired"] == 0  # done once


def test_consent_withdrawn_between_the_request_and_the_build_is_respected(figures, client, hee_staff):
    """The list is read when the file is built, through who may be listed then."""
    client.force_login(hee_staff)
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        client.post(reverse("pipeline:export_drilldown") + "?stage=in_role")
    consent_set(profile=figures["H"], recipient="hee", granted=False)

    with TestCase.captureOnCommitCallbacks(execute=True):
        for build in queued:
            build()

    rows = file_rows(client, Export.objects.get())
    assert listed(rows) == []
    assert rows[-1] == ["End of export: 0 rows"]


def test_filters_outside_the_person_s_scope_are_refused_and_nothing_is_queued(figures, client, regional_hee_staff):
    client.force_login(regional_hee_staff)

    response = client.post(reverse("pipeline:export_drilldown") + "?region=north-west")

    assert response.status_code == 400
    assert not Export.objects.exists()


def test_a_build_that_fails_is_marked_failed_with_a_message_for_the_person(figures, client, hee_staff, settings):
    """Storage that cannot be written: the export is failed, the person told why on the page and by email; nothing
    is offered for download. (In-process the first error is the last; a real worker retries first:
    tests/integration/test_exports_worker.py.)"""
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": "/dev/null/x"}},
    }
    client.force_login(hee_staff)

    export = request_export(client, "?stage=in_role")

    export.refresh_from_db()
    assert export.state == ExportState.FAILED and export.attempts == 1
    assert export.message == FAILED_MESSAGE and "NotADirectoryError" in export.error
    assert not export.file and export.row_count is None
    [email] = mail.outbox
    assert email.subject == "Your export could not be made: In a leadership role (or further along the pipeline)"
    assert FAILED_MESSAGE in email.body
    page = client.get(reverse("exports:list_exports")).content.decode()
    assert FAILED_MESSAGE in page and "Download" not in page
    assert download(client, export).status_code == 404


def test_the_beat_job_queues_again_an_export_whose_task_was_lost(figures, client, hee_staff):
    """Asked for while the broker was down (its task never ran): the tidy job queues it again and it is built."""
    export = export_request(user=hee_staff, kind=ExportKind.PIPELINE_CLINICIANS, filters={})  # on_commit never runs

    later = export.updated_at + timedelta(minutes=11)
    with time_machine.travel(later, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        assert exports_tidy()["requeued"] == 1

    export.refresh_from_db()
    assert export.state == ExportState.READY and export.attempts == 1


def test_the_beat_job_fails_an_export_tried_too_often(figures, hee_staff, settings):
    export = export_request(user=hee_staff, kind=ExportKind.PIPELINE_CLINICIANS, filters={})
    Export.objects.filter(pk=export.pk).update(attempts=settings.EXPORTS_MAX_ATTEMPTS)

    with time_machine.travel(export.updated_at + timedelta(minutes=11), tick=False):
        assert exports_tidy()["failed"] == 1

    export.refresh_from_db()
    assert export.state == ExportState.FAILED and export.message == FAILED_MESSAGE


def test_a_redelivered_build_of_a_finished_export_changes_nothing(figures, client, hee_staff):
    from exports.tasks import build_export_task

    export = ready_export(hee_staff)
    build_export_task.delay(str(export.pk))

    assert Export.objects.get(pk=export.pk).file.name == export.file.name
    assert Export.objects.get(pk=export.pk).attempts == 1


def test_the_list_is_read_through_a_server_side_cursor_in_chunks(pipeline_now, hee_staff):
    """Memory stays flat however long the list: PostgreSQL holds the rows in a named cursor and hands them over a
    chunk at a time, so the rows are never all in the worker's memory."""
    for _ in range(5):
        ClinicianProfileFactory()
    rows = pipeline_drilldown_rows(pipeline_drilldown(hee_staff, PipelineFilters(), Drilldown()))

    def open_cursors() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_cursors WHERE name LIKE '_django_curs_%%'")
            return cursor.fetchone()[0]

    assert open_cursors() == 0
    first = next(rows)
    assert open_cursors() == 1
    rest = list(rows)
    assert open_cursors() == 0
    assert len([first, *rest]) == 5
