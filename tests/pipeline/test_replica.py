"""The talent-pipeline pages with a read replica (DATABASE_REPLICA_URL): the dashboard, drill-down, their exports and
the API read from it and say so; sign-in, other pages and every write use the primary; a replica too far behind or
down is not read. The replica is the stand-in of tests/replica.py, copied from the primary after its first refresh
and then left behind by a new clinician and a second refresh, so the two databases tell apart which one a page read.
"""

import csv
import io
import logging

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.permissions import Permission
from config import db
from exports.models import Export
from pipeline.models import PipelineRollupRun
from pipeline.services import pipeline_rollups_refresh
from tests.conftest import ROLES
from tests.exports.files import file_rows, listed, request_export
from tests.factories import ClinicianProfileFactory
from tests.permissions import Page
from tests.pipeline.pages_pipeline import PAGES
from tests.replica import REPLICA, REPLICA_DATABASES, UNREACHABLE_DATABASES, needs_replica, replica_copy

pytestmark = [needs_replica, pytest.mark.django_db(databases=REPLICA_DATABASES)]

DASHBOARD = reverse("pipeline:show_dashboard")
DRILLDOWN = reverse("pipeline:list_drilldown")
SUMMARY = reverse("pipeline_api:show_summary")
FROM_A_COPY = "Figures read from a copy of the database"
BEFORE_THE_NEWCOMER = [10, 9, 8, 5, 3, 2, 2]  # tests/pipeline/pipeline_fixtures.py: on the replica
WITH_THE_NEWCOMER = [11, 9, 8, 5, 3, 2, 2]  # registered only: on the primary


@pytest.fixture
def replica_behind(pipeline_population, hee_staff, training_body):
    """The replica holds the figures of the first refresh; the primary has a newcomer and a second refresh."""
    pipeline_rollups_refresh()
    replica_copy()
    ClinicianProfileFactory(user__full_name="Nia Newcomer", training_body=training_body, current_interest_level=0)
    pipeline_rollups_refresh()
    return pipeline_population


def funnel(response) -> list[int]:
    return [stage["count"] for stage in response.context["figures"]["funnel"]]


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_dashboard_drill_down_and_api_read_the_replica_and_say_so(replica_behind, replica, client, hee_staff):
    client.force_login(hee_staff)

    page = client.get(DASHBOARD)
    drilldown = client.get(DRILLDOWN)
    summary = client.get(SUMMARY)

    assert funnel(page) == BEFORE_THE_NEWCOMER
    assert f"{FROM_A_COPY}." in page.content.decode()  # the stand-in cannot say how far behind it is
    listed = drilldown.content.decode()
    assert "Alex Adams" in listed and "Nia Newcomer" not in listed and f"{FROM_A_COPY}." in listed
    assert [stage["count"] for stage in summary.json()["funnel"]] == BEFORE_THE_NEWCOMER


def test_without_a_replica_the_same_pages_read_the_primary_only(replica_behind, client, hee_staff):
    client.force_login(hee_staff)

    with CaptureQueriesContext(connections[REPLICA]) as asked_of_the_replica:
        page = client.get(DASHBOARD)
        drilldown = client.get(DRILLDOWN)
        summary = client.get(SUMMARY)

    assert funnel(page) == WITH_THE_NEWCOMER and FROM_A_COPY not in page.content.decode()
    assert "Nia Newcomer" in drilldown.content.decode() and FROM_A_COPY not in drilldown.content.decode()
    assert [stage["count"] for stage in summary.json()["funnel"]] == WITH_THE_NEWCOMER
    assert asked_of_the_replica.captured_queries == []


def test_exports_read_the_replica_and_their_audit_records_are_written_on_the_primary(
    replica_behind, replica, client, hee_staff
):
    client.force_login(hee_staff)

    tables = csv_rows(client.get(reverse("pipeline:export_dashboard")))
    export = request_export(client)
    people = listed(file_rows(client, export))

    assert ["Registered", "10", ""] in tables
    names = [row[1] for row in people]
    assert "Alex Adams" in names and "Nia Newcomer" not in names
    for action in ("pipeline.exported", "export.requested", "export.downloaded"):
        assert AuditEvent.objects.using(DEFAULT_DB_ALIAS).filter(action=action, actor=hee_staff).count() == 1
        assert not AuditEvent.objects.using(REPLICA).filter(action=action).exists()
    assert not Export.objects.using(REPLICA).filter(pk=export.pk).exists()  # the export itself is the primary's


def test_pages_other_than_the_pipeline_read_the_primary(replica_behind, replica, client, hee_staff):
    client.force_login(hee_staff)

    with CaptureQueriesContext(connections[REPLICA]) as asked_of_the_replica:
        clinicians = client.get(reverse("talent:list_clinicians") + "?search=Newcomer")

    assert "Nia Newcomer" in clinicians.content.decode()
    assert asked_of_the_replica.captured_queries == []


@pytest.mark.parametrize(("lag", "said"), [("4.4", "4 seconds behind."), ("1", "1 second behind.")])
def test_the_pages_say_how_far_behind_the_replica_is(
    replica_behind, replica, client, hee_staff, monkeypatch, lag, said
):
    """The replica answers as a streaming standby that far behind would."""
    monkeypatch.setattr(db, "REPLICA_LAG_SQL", f"SELECT {lag}")
    client.force_login(hee_staff)

    page = client.get(DASHBOARD)
    drilldown = client.get(DRILLDOWN)

    assert funnel(page) == BEFORE_THE_NEWCOMER
    assert f"{FROM_A_COPY} {said}" in page.content.decode()
    assert f"{FROM_A_COPY} {said}" in drilldown.content.decode()


def test_a_replica_further_behind_than_the_limit_is_not_read(
    replica_behind, replica, client, hee_staff, monkeypatch, settings, caplog
):
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 60
    monkeypatch.setattr(db, "REPLICA_LAG_SQL", "SELECT 61")
    client.force_login(hee_staff)

    with caplog.at_level(logging.WARNING, logger="config.db"):
        page = client.get(DASHBOARD)
        drilldown = client.get(DRILLDOWN)

    assert funnel(page) == WITH_THE_NEWCOMER and FROM_A_COPY not in page.content.decode()
    assert "Nia Newcomer" in drilldown.content.decode() and FROM_A_COPY not in drilldown.content.decode()
    assert "the replica is 61 seconds behind (more than 60)" in caplog.text


@pytest.mark.django_db(databases=UNREACHABLE_DATABASES)
def test_when_the_replica_is_down_the_pages_read_the_primary(
    pipeline_population, unreachable_replica, client, hee_staff, caplog
):
    pipeline_rollups_refresh()
    client.force_login(hee_staff)

    with caplog.at_level(logging.WARNING, logger="config.db"):
        page = client.get(DASHBOARD)
        drilldown = client.get(DRILLDOWN)

    assert page.status_code == 200 and funnel(page) == BEFORE_THE_NEWCOMER
    assert FROM_A_COPY not in page.content.decode() and FROM_A_COPY not in drilldown.content.decode()
    assert "Alex Adams" in drilldown.content.decode()
    assert "the replica could not be reached" in caplog.text


def test_figures_a_page_had_to_rebuild_are_read_back_from_the_primary(pipeline_population, replica, client, hee_staff):
    """The replica has no figures yet: the page builds them on the primary and shows them from there, not the
    replica's nothing."""
    replica_copy()
    client.force_login(hee_staff)

    page = client.get(DASHBOARD)

    assert funnel(page) == BEFORE_THE_NEWCOMER  # no newcomer in this test
    assert "Figures as of 12:00 on 20 November 2026" in page.content.decode()
    assert FROM_A_COPY not in page.content.decode()
    assert PipelineRollupRun.objects.using(DEFAULT_DB_ALIAS).count() == 1
    assert not PipelineRollupRun.objects.using(REPLICA).exists()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "page",
    [Page("pipeline:show_dashboard", permission=Permission.VIEW_PIPELINE), *PAGES],
    ids=lambda page: page.url_name,
)
def test_each_role_gets_the_same_answer_and_only_those_allowed_reach_the_replica(
    replica, client, request, user_for_role, page, role
):
    """Who may see the pipeline (and which training body's page) is decided on the primary, before anything is read
    from the replica."""
    user = user_for_role(role)
    kwargs = {}
    for kwarg, path in page.kwargs.items():
        fixture_name, *attributes = path.split(".")
        value = request.getfixturevalue(fixture_name)
        for attribute in attributes:
            value = getattr(value, attribute)
        kwargs[kwarg] = value
    replica_copy()  # the person's account and memberships are on the replica too
    if user is not None:
        client.force_login(user)

    with CaptureQueriesContext(connections[REPLICA]) as asked_of_the_replica:
        response = client.get(reverse(page.url_name, kwargs=kwargs))
        if response.streaming:
            b"".join(response.streaming_content)

    assert response.status_code == page.expected_status(role)
    assert bool(asked_of_the_replica.captured_queries) is (page.expected_status(role) == 200)
