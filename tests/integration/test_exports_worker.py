"""The drill-down export with a real worker and a real Redis: the web request only asks, the worker builds the
file, and the requester downloads it whole."""

import csv
import io
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from exports.models import Export, ExportState
from pipeline.selectors import DRILLDOWN_EXPORT_HEADER
from tests.factories import ClinicianProfileFactory, HEEStaffFactory
from tests.integration.conftest import database_url_for_worker, private_broker, start_worker, wait_until

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def broker(tmp_path, tasks_via_broker):
    (tmp_path / "redis").mkdir()
    with private_broker(tmp_path / "redis") as server:
        yield server


@pytest.fixture
def workers(broker, tmp_path):
    """Start a worker of the test's own on the private Redis; stopped after the test."""
    started = []

    def start(**env):
        worker = start_worker(tmp_path / "worker", broker_url=broker.url, database_url=database_url_for_worker(), **env)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def worker(workers, tmp_path, settings):
    """A worker writing export files where this process reads them."""
    media = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media / "exports"},
        },
    }
    return workers(MEDIA_ROOT=str(media))


def test_the_worker_builds_the_export_and_the_requester_downloads_it_whole(worker, client):
    hee = HEEStaffFactory()
    for _ in range(30):
        ClinicianProfileFactory()
    ClinicianProfileFactory(shares_with_hee=False)
    client.force_login(hee)

    response = client.post(reverse("pipeline:export_drilldown") + "?profession=doctor")

    assert response.status_code == 302
    [export_id] = parse_qs(urlparse(response.url).query)["requested"]
    assert wait_until(lambda: Export.objects.get(pk=export_id).state == ExportState.READY, timeout=60), (
        worker.log_path.read_text()
    )
    download = client.get(reverse("exports:download_export", kwargs={"export_id": export_id}))
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    listed = rows[rows.index(list(DRILLDOWN_EXPORT_HEADER)) + 1 : -1]
    assert len(listed) == 30 == Export.objects.get(pk=export_id).row_count
    assert rows[-1] == ["End of export: 30 rows"]
    assert rows[2] == ["Scope and filters: England; doctors"]
    assert "exports.tasks.build_export[" in worker.log_path.read_text()  # built by the worker, not the web request
    path = reverse("exports:download_export", kwargs={"export_id": export_id})
    assert wait_until(lambda: any(path in email for email in worker.sent_emails())), worker.log_path.read_text()


def test_a_build_that_keeps_failing_is_retried_then_failed_and_the_person_told(workers, client):
    """Storage the worker cannot write to: the task tries EXPORTS_MAX_ATTEMPTS times with a growing delay, then the
    export is failed with a message, and the requester is emailed; nothing is offered."""
    hee = HEEStaffFactory()
    ClinicianProfileFactory()
    failing = workers(MEDIA_ROOT="/dev/null/media", EXPORTS_RETRY_BASE_SECONDS=1)
    client.force_login(hee)

    response = client.post(reverse("pipeline:export_drilldown"))

    [export_id] = parse_qs(urlparse(response.url).query)["requested"]
    assert wait_until(lambda: Export.objects.get(pk=export_id).state == ExportState.FAILED, timeout=60), (
        failing.log_path.read_text()
    )
    export = Export.objects.get(pk=export_id)
    assert export.attempts == 3 and "NotADirectoryError" in export.error and not export.file
    assert failing.log_path.read_text().count("failed, trying again") == 2
    assert wait_until(lambda: any("could not be made" in email for email in failing.sent_emails()))
