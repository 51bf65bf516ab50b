"""List totals without counting the profiles (pipeline.selectors.totals, config.paginators, ADR 0011): exact from
the roll-ups for every role's scope and filter, "about N" from the planner where the roll-ups cannot answer; the
licence-at-risk figure from its roll-up; each training body's unfiltered dashboard stored with the run.

Runs at the pipeline fixtures' moment (20 November 2026, noon; tests/pipeline/pipeline_fixtures.py)."""

from datetime import date, timedelta
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import TrainingBodyMembership
from pipeline import selectors
from pipeline.models import PipelineLicenceRollup, PipelineListRollup, PipelineScopeSummary
from pipeline.selectors import Drilldown, PipelineFilters, PipelineScope
from pipeline.selectors.figures import _compute_summary
from pipeline.selectors.scope import profile_filter_q
from pipeline.services import pipeline_rollups_refresh
from pipeline.stages import PipelineStage
from regulators.models import RevalidationRecord
from regulators.selectors import licence_at_risk_counts
from talent.filters import ClinicianFilter
from talent.selectors import clinicians_visible_to
from talent.views import clinicians as clinicians_views
from tests.factories import TrainingBodyAdminFactory

STAFF = ("hee_staff", "regional_hee_staff", "tb_admin", "other_tb_admin", "two_body_admin")


@pytest.fixture
def two_body_admin(training_body, other_training_body):
    admin = TrainingBodyAdminFactory(training_body=training_body)
    TrainingBodyMembership.objects.create(user=admin, training_body=other_training_body)
    return admin


@pytest.fixture
def figures(pipeline_population):
    pipeline_rollups_refresh()
    return pipeline_population


def counts_profiles(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries.captured_queries
        # Rows of the profile table counted; not a count of other rows joined to it (the menu's follow-ups).
        if "COUNT(" in query["sql"].upper() and 'FROM "talent_clinicianprofile"' in query["sql"]
    ]


def clinician_filters(rf, user, data: dict) -> ClinicianFilter:
    request = rf.get("/clinicians/", data)
    request.user = user
    return ClinicianFilter(data or None, queryset=clinicians_visible_to(user), request=request)


def filter_cases(training_body, other_training_body) -> list[dict]:
    return [
        {},
        {"region": "london"},
        {"region": "north-west"},
        {"profession": "doctor"},
        {"profession": "nurse"},
        {"career_stage": "specialty_training"},
        {"training_body": training_body.slug},
        {"training_body": other_training_body.slug},
        {"min_interest_level": "2"},
        {"early_career": "true"},
        {"early_career": "false"},
        {"region": "north-west", "profession": "doctor", "min_interest_level": "1", "early_career": "true"},
    ]


@pytest.mark.parametrize("role", STAFF)
def test_clinicians_list_totals_are_exact_from_the_rollups_for_every_scope_and_filter(
    figures, rf, request, role, training_body, other_training_body
):
    user = request.getfixturevalue(role)
    run = selectors.pipeline_latest_run()
    for data in filter_cases(training_body, other_training_body):
        filterset = clinician_filters(rf, user, data)
        filterset.is_valid()
        with CaptureQueriesContext(connection) as queries:
            total = selectors.clinicians_list_total(
                user=user, filters=filterset.form.cleaned_data if filterset.is_bound else {}, clinicians=filterset.qs
            )
        assert not counts_profiles(queries), data
        assert (total.count, total.exact, total.as_of) == (filterset.qs.count(), True, run.refreshed_at), (role, data)


@pytest.mark.parametrize("role", STAFF)
def test_drilldown_totals_are_exact_from_the_rollups_for_every_scope_stage_and_filter(
    figures, request, role, training_body, other_training_body
):
    user = request.getfixturevalue(role)
    filter_sets = [
        PipelineFilters(),
        PipelineFilters(profession="doctor"),
        PipelineFilters(region_id=training_body.region_id),
        PipelineFilters(training_body_id=other_training_body.pk),
        PipelineFilters(early_career=True),
        PipelineFilters(career_stage="specialty_training", profession="doctor"),
    ]
    cells = [Drilldown(stage=stage) for stage in PipelineStage] + [Drilldown(stage=PipelineStage.IN_ROLE, leaders=True)]
    for filters in filter_sets:
        for cell in cells:
            clinicians = selectors.pipeline_drilldown(user, filters, cell)
            with CaptureQueriesContext(connection) as queries:
                total = selectors.drilldown_total(user=user, filters=filters, drilldown=cell, clinicians=clinicians)
            assert not counts_profiles(queries)
            assert (total.count, total.exact) == (clinicians.count(), True), (role, filters, cell)


def test_an_unfiltered_total_is_one_read_of_the_stored_counts(figures, hee_staff, tb_admin, two_body_admin):
    for user in (hee_staff, tb_admin, two_body_admin):
        clinicians = clinicians_visible_to(user)
        with CaptureQueriesContext(connection) as queries:
            total = selectors.clinicians_list_total(user=user, filters={}, clinicians=clinicians)
        tables = " ".join(query["sql"] for query in queries.captured_queries)
        assert "pipeline_listrollup" not in tables and "talent_pipelinescopesummary" in tables
        assert total.exact and total.count == clinicians.count()


def test_a_question_the_rollups_cannot_answer_is_estimated_by_the_planner(figures, hee_staff, rf):
    filterset = clinician_filters(rf, hee_staff, {"search": "a"})
    filterset.is_valid()
    with CaptureQueriesContext(connection) as queries:
        total = selectors.clinicians_list_total(
            user=hee_staff, filters=filterset.form.cleaned_data, clinicians=filterset.qs
        )
    assert not counts_profiles(queries)
    assert total.exact is False and total.as_of is None and total.count >= 0
    assert any(query["sql"].startswith("EXPLAIN") for query in queries.captured_queries)

    drill = selectors.pipeline_drilldown(hee_staff, PipelineFilters(specialty="Cardiology"), Drilldown())
    assert (
        selectors.drilldown_total(
            user=hee_staff, filters=PipelineFilters(specialty="Cardiology"), drilldown=Drilldown(), clinicians=drill
        ).exact
        is False
    )


def test_without_fresh_figures_the_total_is_an_estimate(pipeline_population, hee_staff):
    total = selectors.clinicians_list_total(
        user=hee_staff, filters={}, clinicians=clinicians_visible_to(hee_staff)
    )  # no refresh yet
    assert total.exact is False


# --- The pages --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF)
def test_the_clinicians_page_shows_the_exact_total_as_of_the_figures_without_counting(
    figures, client, request, role, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(clinicians_views, "CLINICIANS_PER_PAGE", 2)
    user = request.getfixturevalue(role)
    client.force_login(user)
    expected = clinicians_visible_to(user).count()

    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(14):
        response = client.get(reverse("talent:list_clinicians"))

    assert response.status_code == 200
    assert not counts_profiles(queries)
    total = response.context["total"]
    assert total.exact and total.count == expected
    html = response.content.decode()
    if expected > 2:  # the first page does not end the list: the total is the figures'
        assert f"{expected} clinicians</h2>" in html and "Counted at 12:00" in html
        last = client.get(reverse("talent:list_clinicians"), {"page": 99})  # past the end: the last page
        assert last.context["page"].number == -(-expected // 2)


def test_a_search_shows_about_n_when_its_first_page_does_not_end_the_list(figures, client, hee_staff, monkeypatch):
    monkeypatch.setattr(clinicians_views, "CLINICIANS_PER_PAGE", 2)
    client.force_login(hee_staff)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("talent:list_clinicians"), {"search": "a"})

    assert not counts_profiles(queries)
    html = response.content.decode()
    if connection.vendor == "postgresql":
        assert "About " in html and "This number is an estimate" in html
        assert response.context["page"].has_next()
    one = client.get(reverse("talent:list_clinicians"), {"search": "Alex Adams"})
    assert "1 clinician found</h2>" in one.content.decode() and one.context["total"].exact


def test_an_estimated_list_has_no_page_past_its_rows(figures, client, hee_staff):
    client.force_login(hee_staff)

    response = client.get(reverse("talent:list_clinicians"), {"search": "a", "page": 50})

    assert response.status_code == 404


@pytest.mark.parametrize("role", STAFF)
def test_the_drilldown_shows_the_exact_total_without_counting(
    figures, client, request, role, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr("pipeline.views.drilldown.DRILLDOWN_PER_PAGE", 2)
    user = request.getfixturevalue(role)
    client.force_login(user)
    cases = [
        ({}, Drilldown(), PipelineFilters()),
        ({"stage": "interested"}, Drilldown(stage=PipelineStage.INTERESTED), PipelineFilters()),
        (
            {"stage": "in_role", "leaders": "true"},
            Drilldown(stage=PipelineStage.IN_ROLE, leaders=True),
            PipelineFilters(),
        ),
        ({"profession": "doctor"}, Drilldown(), PipelineFilters(profession="doctor")),
    ]
    for query, cell, filters in cases:
        expected = selectors.pipeline_drilldown(user, filters, cell).count()
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(16):
            response = client.get(reverse("pipeline:list_drilldown"), query)
        assert response.status_code == 200
        assert not counts_profiles(queries)
        assert response.context["total"].count == expected and response.context["total"].exact


@pytest.mark.parametrize("role", ["anonymous", "clinician", "other_clinician", "editor"])
def test_roles_without_clinician_records_get_no_list_and_no_total(figures, client, user_for_role, role):
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)
    assert client.get(reverse("talent:list_clinicians")).status_code in (302, 403)
    assert client.get(reverse("pipeline:list_drilldown")).status_code in (302, 403)


# --- The API ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF)
def test_the_api_count_says_whether_it_is_exact(figures, request, role, monkeypatch):
    monkeypatch.setattr("config.paginators.ListTotalPagination.page_size", 2)
    user = request.getfixturevalue(role)
    api = APIClient()
    api.force_authenticate(user)
    expected = clinicians_visible_to(user).count()
    url = reverse("talent_api:list_clinicians")

    with CaptureQueriesContext(connection) as queries:
        body = api.get(url).json()

    assert not counts_profiles(queries)
    assert body["count"] == expected and body["count_exact"] is True
    if expected > 2:
        assert body["count_as_of"].startswith("2026-11-20T12:00")
        assert api.get(url, {"page": 99}).status_code == 404
    searched = api.get(url, {"search": "Alex Adams"}).json()
    assert searched["count_exact"] is True and searched["count_as_of"] is None


def test_the_api_schema_says_whether_the_count_is_exact(client):
    schema = client.get(reverse("api_schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    page = schema["components"]["schemas"]["PaginatedClinicianList"]
    assert page["properties"]["count_exact"]["type"] == "boolean"
    assert "count_exact" in page["required"] and "estimate" in page["properties"]["count"]["description"]


# --- Licence at risk and the stored summaries of training bodies --------------------------------------------------


@pytest.fixture
def licence_figures(pipeline_population):
    """H (London, other body, medical director) overdue; I (North West, `training_body`, service-level lead, shares
    with nobody) due in 30 days; G (no leadership role) overdue but not counted; J's role ended (not counted)."""
    today = date(2026, 11, 20)
    for letter, due in {"H": today - timedelta(days=10), "I": today + timedelta(days=30), "G": today}.items():
        profile = pipeline_population[letter]
        RevalidationRecord.objects.create(profile=profile, regulator=profile.regulator, next_due_on=due)
    pipeline_rollups_refresh()
    return pipeline_population


def test_the_licence_at_risk_figure_from_the_rollups_equals_the_live_count(licence_figures, hee_staff):
    for scope in (
        PipelineScope(),
        *[PipelineScope(region_id=profile.region_id) for profile in licence_figures.values()],
        *[PipelineScope(training_body_ids=(profile.training_body_id,)) for profile in licence_figures.values()],
    ):
        for filters in (PipelineFilters(), PipelineFilters(profession="doctor"), PipelineFilters(early_career=True)):
            live = licence_at_risk_counts(
                selectors.pipeline_population(scope).filter(
                    profile_filter_q(filters), pipeline_stage=PipelineStage.IN_ROLE
                ),
                all_in_role=True,
            )
            assert _compute_summary(scope, filters, None)["licence_at_risk"] == live, (scope, filters)


def test_a_one_body_admin_gets_their_body_s_stored_dashboard(figures, tb_admin, other_tb_admin, two_body_admin):
    run = selectors.pipeline_latest_run()
    stored = set(PipelineScopeSummary.objects.filter(run=run).values_list("scope", flat=True))
    assert {
        f"body:{body.pk}" for body in (tb_admin.administered_bodies.get(), other_tb_admin.administered_bodies.get())
    } <= stored

    with CaptureQueriesContext(connection) as queries:
        mine = selectors.pipeline_summary(tb_admin, PipelineFilters(), run)
    assert any("talent_pipelinescopesummary" in query["sql"] for query in queries.captured_queries)
    assert not any("talent_pipelinecoarserollup" in query["sql"] for query in queries.captured_queries)
    assert len(queries.captured_queries) <= 3

    theirs = selectors.pipeline_summary(other_tb_admin, PipelineFilters(), run)
    scope = selectors.pipeline_scope_for(tb_admin)
    assert mine["funnel"] == _compute_summary(scope, PipelineFilters(), run)["funnel"]
    assert theirs["funnel"] != mine["funnel"]
    assert (
        theirs["funnel"]
        == _compute_summary(selectors.pipeline_scope_for(other_tb_admin), PipelineFilters(), run)["funnel"]
    )

    with CaptureQueriesContext(connection) as queries:  # several bodies: computed from the roll-ups
        both = selectors.pipeline_summary(two_body_admin, PipelineFilters(), run)
    assert any("talent_pipelinecoarserollup" in query["sql"] for query in queries.captured_queries)
    assert both["funnel"][0]["count"] == mine["funnel"][0]["count"] + theirs["funnel"][0]["count"]


def test_the_migration_fills_the_new_rollups_as_a_refresh_does(licence_figures):
    """Deployed between two refreshes, the list and licence roll-ups are filled from the last placements, so totals
    and licence at risk read right until the next refresh."""
    migration = import_module("pipeline.migrations.0004_list_and_licence_rollups_and_body_indexes")

    def rows(model) -> list[tuple]:
        fields = [field.attname for field in model._meta.concrete_fields if field.attname != "id"]
        return sorted(model.objects.values_list(*fields), key=repr)

    refreshed = rows(PipelineListRollup), rows(PipelineLicenceRollup)
    PipelineListRollup.objects.all().delete()
    PipelineLicenceRollup.objects.all().delete()
    with connection.schema_editor() as editor:
        migration.rollups_from_the_last_placement(django_apps, editor)

    assert (rows(PipelineListRollup), rows(PipelineLicenceRollup)) == refreshed
    assert refreshed[1]
