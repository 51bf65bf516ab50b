"""The HEE talent-pipeline dashboard: figures checked by hand against the fixed population of
tests/pipeline/pipeline_fixtures.py, scope, drill-down, exports, freshness and the API."""

import csv
import io
import json
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent, Region, TrainingBody
from accounts.services import account_copy_to_profile
from pipeline import selectors
from pipeline import services as pipeline_service
from pipeline.models import PipelineCoarseBackgroundRollup, PipelineRollupRun, PipelineScopeSummary
from pipeline.selectors import PipelineFilters, pipeline_funnel_live, pipeline_summary
from pipeline.selectors import figures as figure_selectors
from pipeline.selectors import scope as scope_selectors
from pipeline.services import COARSE_TABLES, pipeline_rollups_refresh
from pipeline.stages import PipelineStage
from regulators.models import RevalidationRecord
from talent.models import ClinicianProfile
from tests.exports.files import export_file, request_export
from tests.exports.files import listed as listed_in_file
from tests.factories import ClinicianProfileFactory, TrainingBodyAdminFactory
from tests.pipeline.pipeline_fixtures import FROZEN

pytestmark = pytest.mark.django_db

STAGES = ["registered", "interested", "developing", "nominated", "approved", "appointed", "in_role"]


def counts(funnel) -> list[int]:
    return [stage["count"] for stage in funnel]


def stage_counts(row) -> list[int]:
    return [row["counts"][stage] for stage in STAGES]


@pytest.fixture
def figures(pipeline_population):
    pipeline_rollups_refresh()
    return pipeline_population


def dashboard(client, user, query: str = ""):
    client.force_login(user)
    return client.get(f"{reverse('pipeline:show_dashboard')}{query}")


def listed(response) -> list[str]:
    return [row["full_name"] for row in response.context["rows"]]


# --- Figures ------------------------------------------------------------------------------------------------------


def test_the_funnel_counts_every_stage_cumulatively_with_conversion_rates(figures, hee_staff):
    """Ten active clinicians (the deleted account is not counted); each stage includes those further along."""
    summary = pipeline_summary(hee_staff, PipelineFilters())

    assert counts(summary["funnel"]) == [10, 9, 8, 5, 3, 2, 2]
    assert [stage["conversion"] for stage in summary["funnel"]] == [None, 90.0, 88.9, 62.5, 60.0, 66.7, 100.0]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (PipelineFilters(), [10, 9, 8, 5, 3, 2, 2]),
        (PipelineFilters(early_career=True), [8, 7, 6, 4, 2, 1, 1]),
        (PipelineFilters(profession="nurse"), [1, 1, 1, 0, 0, 0, 0]),
        (PipelineFilters(career_stage="consultant_gp"), [1, 1, 1, 1, 1, 1, 1]),
        (PipelineFilters(specialty="cardiology"), [1, 1, 1, 1, 1, 1, 1]),
        (PipelineFilters(joined_from=date(2025, 1, 1), joined_to=date(2025, 6, 30)), [2, 1, 0, 0, 0, 0, 0]),
        (PipelineFilters(joined_from=date(2025, 1, 31), joined_to=date(2025, 1, 31)), [1, 0, 0, 0, 0, 0, 0]),
    ],
)
def test_the_roll_ups_and_the_live_funnel_agree_on_hand_computed_figures(figures, hee_staff, filters, expected):
    """Both paths (pre-aggregated roll-ups and the profile table) give the same, hand-computed, funnel."""
    assert counts(pipeline_summary(hee_staff, filters)["funnel"]) == expected
    assert counts(pipeline_funnel_live(hee_staff, filters)) == expected


def test_two_filters_combine(figures, hee_staff):
    north_west = Region.objects.get(slug="north-west")
    filters = PipelineFilters(region_id=north_west.pk, profession="doctor")

    assert counts(pipeline_summary(hee_staff, filters)["funnel"]) == [6, 5, 4, 2, 1, 1, 1]
    assert counts(pipeline_funnel_live(hee_staff, filters)) == [6, 5, 4, 2, 1, 1, 1]


def test_the_coarse_roll_ups_are_the_full_ones_summed_over_specialty_and_month_joined(figures):
    for full, coarse, keys, measure in COARSE_TABLES:
        dimensions = ["region_id", "training_body_id", "profession", "career_stage", "early_career", *keys]
        summed = full.objects.values(*dimensions).annotate(n=Sum(measure)).order_by()
        expected = sorted((tuple(row[name] for name in dimensions), row["n"]) for row in summed)
        rows = coarse.objects.values(*dimensions, measure)
        assert expected
        assert sorted((tuple(row[name] for name in dimensions), row[measure]) for row in rows) == expected


EVERYONE_JOINED = PipelineFilters(joined_from=date(2000, 1, 1), joined_to=date(2026, 11, 30))


@pytest.mark.parametrize("user_fixture", ["hee_staff", "regional_hee_staff"])
def test_backgrounds_grouped_from_profiles_for_a_date_range_agree_with_the_roll_ups(figures, request, user_fixture):
    """A date range that takes in everyone reads the placed profiles; no filter reads the coarse roll-ups: the
    counts behind the backgrounds (equality answers, qualifications, leaders) must be the same."""
    scope = selectors.pipeline_scope_for(request.getfixturevalue(user_fixture))

    from_profiles = Counter()
    for row in figure_selectors._background_rows_from_profiles(scope, EVERYONE_JOINED):
        from_profiles[row["attribute"], row["value"], row["leader"]] += row["n"]
    from_rollups = Counter()
    rollups = PipelineCoarseBackgroundRollup.objects.filter(scope_selectors.rollup_filter_q(scope, PipelineFilters()))
    for row in rollups.values("attribute", "value", "leader", "clinicians"):
        from_rollups[row["attribute"], row["value"], row["leader"]] += row["clinicians"]

    assert from_profiles == from_rollups
    assert any(leader and n for (_, _, leader), n in from_profiles.items())


def test_a_regional_page_for_a_date_range_taking_in_everyone_shows_the_same_backgrounds(figures, regional_hee_staff):
    assert (
        pipeline_summary(regional_hee_staff, EVERYONE_JOINED)["backgrounds"]
        == pipeline_summary(regional_hee_staff, PipelineFilters())["backgrounds"]
    )


def test_the_unfiltered_figures_stored_with_a_run_are_those_computed_from_its_roll_ups(
    figures, hee_staff, regional_hee_staff, tb_admin
):
    run = PipelineRollupRun.objects.get()
    stored = PipelineScopeSummary.objects.filter(run=run)
    assert stored.count() == 1 + Region.objects.count() + TrainingBody.objects.count()
    for user in (hee_staff, regional_hee_staff, tb_admin):
        scope = selectors.pipeline_scope_for(user)
        computed = json.loads(json.dumps(figure_selectors._compute_summary(scope, PipelineFilters(), run)))
        with CaptureQueriesContext(connection) as queries:
            summary = pipeline_summary(user, PipelineFilters(), run)
        # One small read, however many clinicians (after the admin's bodies).
        assert len(queries) <= (2 if user == tb_admin else 1)
        # With the totals of the scope's unfiltered lists (pipeline.selectors.totals).
        assert {key: value for key, value in summary.items() if key != "listed"} == computed
        assert set(summary["listed"]) == {"hee", "training_body"}
    # A refresh that changes nothing stores nothing: the figures stored with the run are served for the next, with
    # the next one's time.
    pipeline_rollups_refresh()
    later = PipelineRollupRun.objects.order_by("-pk").first()
    assert later.kind == "incremental"
    with CaptureQueriesContext(connection) as queries:
        assert pipeline_summary(hee_staff, PipelineFilters(), later)["as_of"] == later.refreshed_at.isoformat()
    assert len(queries) <= 1
    assert set(PipelineScopeSummary.objects.values_list("run", flat=True)) == {run.pk}
    # A full rebuild stores them all again; the run before keeps what it served (a page may have read it just
    # before the rebuild was committed); the next replaces them.
    pipeline_rollups_refresh(full=True)
    pipeline_rollups_refresh(full=True)
    latest_two = set(PipelineRollupRun.objects.order_by("-pk").values_list("pk", flat=True)[:2])
    assert set(PipelineScopeSummary.objects.values_list("run", flat=True)) == latest_two
    assert run.pk not in latest_two


def test_breakdowns_count_each_stage_per_region_profession_and_training_body(figures, hee_staff, training_body):
    breakdowns = pipeline_summary(hee_staff, PipelineFilters())["breakdowns"]

    assert {row["label"]: stage_counts(row) for row in breakdowns["region"]} == {
        "London": [3, 3, 3, 3, 2, 1, 1],
        "North West": [7, 6, 5, 2, 1, 1, 1],
    }
    assert {row["label"]: stage_counts(row) for row in breakdowns["profession"]} == {
        "Doctor": [9, 8, 7, 5, 3, 2, 2],
        "Nurse": [1, 1, 1, 0, 0, 0, 0],
    }
    by_body = {row["key"]: stage_counts(row) for row in breakdowns["training_body"]}
    assert by_body[training_body.slug] == [7, 6, 5, 2, 1, 1, 1]


def test_trends_count_events_per_month_for_the_last_24_months(figures, hee_staff):
    trends = pipeline_summary(hee_staff, PipelineFilters())["trends"]

    assert trends["months"][0] == "2024-12" and trends["months"][-1] == "2026-11" and len(trends["months"]) == 24
    nonzero = {
        series["key"]: {month: value for month, value in zip(trends["months"], series["values"], strict=True) if value}
        for series in trends["series"]
    }
    assert nonzero == {
        "interest_0": {},
        "interest_1": {"2026-11": 1},
        "interest_2": {"2026-10": 1},
        "interest_3": {},
        "interest_4": {},
        "assessments": {"2026-09": 1},  # J's, from 2024, is older than 24 months
        "nominations_submitted": {"2026-08": 2, "2026-11": 1},
        "nominations_approved": {"2026-09": 1},
        "appointments": {"2025-04": 1},  # I's service-level role; H's, from April 2024, is older than 24 months
    }


def test_the_date_range_limits_the_trend_months(figures, hee_staff):
    trends = pipeline_summary(hee_staff, PipelineFilters(joined_from=date(2026, 8, 3), joined_to=date(2026, 9, 1)))

    assert trends["trends"]["months"] == ["2026-08", "2026-09"]


def test_backgrounds_of_leaders_follow_the_small_number_rule_at_national_level_too(figures, hee_staff):
    """England, no filters: ten clinicians, one leader (Hana, a female doctor). Plain counts here would tell anyone
    who knows her, or who reads the list of leaders, her answers."""
    backgrounds = {table["key"]: table for table in pipeline_summary(hee_staff, PipelineFilters())["backgrounds"]}

    def rows(key):
        return {row["label"]: (row["pipeline"], row["leaders"]) for row in backgrounds[key]["rows"]}

    # Doctors 9 (1 leader), nurses 1 (0). Whole pipeline: the 1 is hidden, so the 9 goes with it (the total 10 is
    # known). Leaders: the 1 is hidden, and it is the only possible answer, so the nurses' 0 goes with it.
    assert rows("profession") == {"Doctor": ("*", "*"), "Nurse": ("*", "*")}
    assert backgrounds["profession"]["total"] == {"pipeline": "10", "leaders": "*"}
    # Qualifications are not a partition (no total to protect): each cell on its own.
    assert rows("qualification")["FMLM Fellow"] == ("*", "*")
    assert rows("qualification")["No leadership qualification"] == ("10", "0")  # 8; "other" kinds do not count
    # Female 4 (1 leader), male 2, prefer not to say 0, not answered 4. Whole pipeline: 4, 2 and 4 are hidden, the 0
    # shows. Leaders: the one woman is the only possible answer, so the smallest other cell goes: not "prefer not
    # to say" (0 in the whole pipeline, so 0 leaders whatever is shown) but the men's 0.
    assert rows("sex") == {
        "Female": ("*", "*"),
        "Male": ("*", "*"),
        "Prefer not to say": ("0", "0"),
        "Not answered": ("*", "0"),
    }
    assert all(table["suppressed"] for table in backgrounds.values())
    shown = {
        cell for table in backgrounds.values() for row in table["rows"] for cell in (row["pipeline"], row["leaders"])
    }
    assert not shown & {"1", "2", "3", "4", "5", "6", "7"}


def test_a_view_with_a_few_people_fewer_than_a_wider_one_hides_its_whole_column(figures, hee_staff):
    """London has three clinicians: one woman who leads, two who did not answer. England has seven more, so
    England's tables minus London's would describe those seven: London's whole-pipeline column is hidden. Both have
    the same one leader, so the leaders' column follows the rule as usual."""
    london = Region.objects.get(slug="london")
    backgrounds = {
        table["key"]: table
        for table in pipeline_summary(hee_staff, PipelineFilters(region_id=london.pk))["backgrounds"]
    }

    sex = backgrounds["sex"]
    assert sex["suppressed"]
    assert [(row["label"], row["pipeline"], row["leaders"]) for row in sex["rows"]] == [
        ("Female", "*", "*"),
        ("Male", "*", "*"),  # the leader is the only possible answer, so the next smallest cell is hidden too
        ("Prefer not to say", "*", "0"),
        ("Not answered", "*", "0"),
    ]
    assert sex["total"] == {"pipeline": "*", "leaders": "*"}
    assert all(row["pipeline"] == "*" for table in backgrounds.values() for row in table["rows"])
    shown = {
        cell for table in backgrounds.values() if table["equality"] for row in table["rows"] for cell in row.values()
    }
    assert not shown & {"1", "2", "3", "4", "5", "6", "7"} - {""}


def test_regional_staff_get_suppressed_equality_figures_too(figures, regional_hee_staff):
    backgrounds = pipeline_summary(regional_hee_staff, PipelineFilters())["backgrounds"]

    assert all(table["suppressed"] for table in backgrounds if table["equality"])


# --- The page --------------------------------------------------------------------------------------------------------


def test_hee_staff_see_the_dashboard_with_charts_tables_and_the_time_of_the_figures(figures, client, hee_staff):
    response = dashboard(client, hee_staff)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Figures as of 12:00 on 20 November 2026" in html
    assert html.count('class="chart"') == 2 + 6  # and a dot plot per equality question (test_representation.py)
    funnel = re.search(r'<svg [^>]*id="pipeline-funnel".*?</svg>', html, re.S).group(0)
    assert 'role="img"' in funnel and 'aria-labelledby="pipeline-funnel-title pipeline-funnel-desc"' in funnel
    assert '<title id="pipeline-funnel-title">Clinicians at each stage of the leadership pipeline</title>' in funnel
    assert (
        "Registered: 10; Interested: 9; Developing: 8; Nominated: 5; Approved: 3; Appointed: 2; "
        "In a leadership role: 2" in funnel
    )
    assert funnel.count('class="chart-bar"') == 7  # one bar per stage, each labelled with its count
    assert re.findall(r'class="chart-bar".*?<text [^>]*>(\d+)</text>', funnel, re.S) == [
        "10",
        "9",
        "8",
        "5",
        "3",
        "2",
        "2",
    ]
    trends = re.search(r'<svg [^>]*id="pipeline-trends".*?</svg>', html, re.S).group(0)
    assert '<title id="pipeline-trends-title">Leadership activity per month</title>' in trends
    assert trends.count('class="chart-line"') == 4 and trends.count("<polyline ") == 4
    assert f'href="{reverse("pipeline:list_drilldown")}?stage=developing"' in html
    assert "Shown: England." in html


def test_a_repeated_view_shows_the_same_page_in_its_layout(figures, client, hee_staff):
    """The second view's figures come from the cache, inside a freshly rendered layout."""
    first = dashboard(client, hee_staff).content.decode()
    repeated = dashboard(client, hee_staff)

    html = repeated.content.decode()
    assert repeated.status_code == 200 and repeated["Content-Type"] == "text/html; charset=utf-8"
    assert html.count("Figures as of 12:00 on 20 November 2026") == first.count("Figures as of") == 1
    assert html.index("<title>") < html.index('id="pipeline-funnel-title"') < html.index("</html>")
    assert "Sign out" in html
    assert len(html) == len(first)


def test_people_with_different_scopes_never_see_each_others_cached_figures(
    figures, client, hee_staff, regional_hee_staff, tb_admin
):
    dashboard(client, hee_staff)

    regional = dashboard(client, regional_hee_staff)
    admin = dashboard(client, tb_admin)

    assert [stage["count"] for stage in regional.context["figures"]["funnel"]] == [3, 3, 3, 3, 2, 1, 1]
    assert "Shown: London." in regional.content.decode()
    assert f"Shown: {tb_admin.administered_bodies.get().name}." in admin.content.decode()
    assert "Shown: England." in dashboard(client, hee_staff).content.decode()
    other_admin = TrainingBodyAdminFactory()
    other_body = other_admin.administered_bodies.get().name
    assert other_body in dashboard(client, other_admin).content.decode()
    assert other_body not in admin.content.decode()
    other_admin.training_body_memberships.all().delete()  # an admin of no body: no figures, not England's
    html = dashboard(client, other_admin).content.decode()
    assert "Shown: No training body." in html and "Shown: England" not in html


def test_parameters_that_mean_nothing_to_the_dashboard_neither_change_it_nor_make_it_again(figures, client, hee_staff):
    """A tracking tag or a made-up sort gets the cached page of the same filters and sorts, with no sign of them."""
    dashboard(client, hee_staff, "?profession=doctor&region_sort=-interested")
    with CaptureQueriesContext(connection) as repeated:
        client.get(f"{reverse('pipeline:show_dashboard')}?profession=doctor&region_sort=-interested")

    with CaptureQueriesContext(connection) as tagged:
        response = client.get(
            f"{reverse('pipeline:show_dashboard')}?utm_source=email&region_sort=-interested&profession=doctor&training_body_sort=x"
        )

    html = response.content.decode()
    assert response.status_code == 200 and len(tagged) == len(repeated)  # from the cache, not made again
    assert "utm_source" not in html and "training_body_sort=x" not in html
    assert "region_sort=interested" in html  # the next sort of the column it is sorted by


def test_filters_are_kept_in_the_address_and_carried_into_drill_down_links(figures, client, hee_staff):
    response = dashboard(client, hee_staff, "?region=north-west&profession=doctor")

    assert [stage["count"] for stage in response.context["figures"]["funnel"]] == [6, 5, 4, 2, 1, 1, 1]
    html = response.content.decode()
    drilldown, export = reverse("pipeline:list_drilldown"), reverse("pipeline:export_dashboard")
    assert f'href="{drilldown}?region=north-west&amp;profession=doctor&amp;stage=in_role"' in html
    assert f'href="{export}?region=north-west&amp;profession=doctor"' in html


def test_breakdown_tables_sort_by_any_column(figures, client, hee_staff):
    response = dashboard(client, hee_staff, "?region_sort=-registered")
    region = next(table for table in response.context["figures"]["breakdowns"] if table["key"] == "region")
    assert [row["label"] for row in region["rows"]] == ["North West", "London"]

    response = dashboard(client, hee_staff, "?region_sort=-nominated")
    region = next(table for table in response.context["figures"]["breakdowns"] if table["key"] == "region")
    assert [row["label"] for row in region["rows"]] == ["London", "North West"]
    assert region["headers"][4]["aria_sort"] == "descending"
    html = response.content.decode()
    assert 'aria-sort="descending"><a href="?region_sort=nominated#region">Nominated</a>' in html  # sorts it back
    assert f'href="{reverse("pipeline:list_drilldown")}?region=london&amp;stage=nominated"' in html


def test_a_date_range_that_ends_before_it_starts_is_an_error(figures, client, hee_staff):
    response = dashboard(client, hee_staff, "?joined_from=2026-05-01&joined_to=2026-01-01")

    assert response.status_code == 400
    assert "The end month must be the same as or after the start month" in response.content.decode()


def test_the_dashboard_costs_a_fixed_number_of_queries(figures, client, hee_staff, django_assert_max_num_queries):
    client.force_login(hee_staff)
    # One of them asks whether a wider view counts a few people more (`_columns_near_a_wider_view`), one reads
    # the time to appointment, and two the register comparison: the latest upload (in the cache key) and the one
    # covering the view.
    with django_assert_max_num_queries(20):
        client.get(reverse("pipeline:show_dashboard") + "?profession=doctor")
    # A second view of the same figures is a cache read.
    with CaptureQueriesContext(connection) as cached:
        client.get(reverse("pipeline:show_dashboard") + "?profession=doctor")
    for _ in range(30):
        ClinicianProfileFactory()
    pipeline_rollups_refresh()
    with CaptureQueriesContext(connection) as more_rows:
        client.get(reverse("pipeline:show_dashboard") + "?profession=doctor")
    assert len(cached) <= 6
    assert len(more_rows) <= 20


# --- Scope --------------------------------------------------------------------------------------------------------


def test_regional_staff_see_only_their_region_whatever_the_filters(figures, client, regional_hee_staff, training_body):
    """London staff: three clinicians. Asking for North West (or a North West body) never shows its figures."""
    response = dashboard(client, regional_hee_staff)
    assert [s["count"] for s in response.context["figures"]["funnel"]] == [3, 3, 3, 3, 2, 1, 1]

    response = dashboard(client, regional_hee_staff, "?region=north-west")
    assert response.status_code == 400
    assert [s["count"] for s in response.context["figures"]["funnel"]] == [3, 3, 3, 3, 2, 1, 1]

    response = dashboard(client, regional_hee_staff, f"?training_body={training_body.slug}")
    assert [s["count"] for s in response.context["figures"]["funnel"]] == [0, 0, 0, 0, 0, 0, 0]
    assert [row["label"] for row in response.context["figures"]["breakdowns"][0]["rows"]] == []

    api = client.get(reverse("pipeline_api:show_summary") + "?region=north-west")
    assert api.status_code == 400 and "region" in api.json()


def test_training_body_admins_see_only_their_own_body(
    figures, client, tb_admin, other_training_body, django_assert_max_num_queries
):
    """Their body has seven clinicians (one who shares with nobody is still counted)."""
    response = dashboard(client, tb_admin)
    assert [s["count"] for s in response.context["figures"]["funnel"]] == [7, 6, 5, 2, 1, 1, 1]
    assert "Talent pipeline" in [item["label"] for item in response.context["navigation"]]

    response = dashboard(client, tb_admin, f"?training_body={other_training_body.slug}")
    assert response.status_code == 400
    assert [s["count"] for s in response.context["figures"]["funnel"]] == [7, 6, 5, 2, 1, 1, 1]

    response = dashboard(client, tb_admin, "?region=london")
    assert [s["count"] for s in response.context["figures"]["funnel"]] == [0, 0, 0, 0, 0, 0, 0]

    drill = client.get(reverse("pipeline:list_drilldown") + f"?training_body={other_training_body.slug}")
    assert drill.status_code == 400
    assert "Fin Fox" not in drill.content.decode()
    export = client.get(reverse("pipeline:export_drilldown") + f"?training_body={other_training_body.slug}")
    assert export.status_code == 400


# --- Drill-down ---------------------------------------------------------------------------------------------------


def test_a_refresh_that_places_many_clinicians_brings_the_planners_statistics_up_to_date(
    pipeline_population, monkeypatch
):
    """A freshly loaded database's first refresh places everyone; until the statistics know, the planner takes the
    drill-down's `pipeline_stage >= N` to match nobody and sorts the table for each page."""
    monkeypatch.setattr(pipeline_service, "PLACEMENTS_BEFORE_ANALYZE", 5)  # it places 10

    pipeline_rollups_refresh()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT null_frac FROM pg_stats WHERE tablename = 'talent_clinicianprofile' AND attname = 'pipeline_stage'"
        )
        statistics = cursor.fetchall()
    assert statistics and statistics[0][0] < 1  # placed clinicians seen, not a column of nulls


def test_drill_down_lists_only_consenting_clinicians_behind_a_stage(figures, client, hee_staff):
    """Ida is in a role but shares with nobody: counted on the dashboard, never listed."""
    client.force_login(hee_staff)

    response = client.get(reverse("pipeline:list_drilldown") + "?stage=in_role")
    assert listed(response) == ["Hana Hill"]
    assert "Ida Irving" not in response.content.decode()

    response = client.get(reverse("pipeline:list_drilldown") + "?stage=developing")
    assert listed(response) == [
        "Cal Clarke",
        "Dee Davies",
        "Eve Evans",
        "Fin Fox",
        "Gil Green",
        "Hana Hill",
        "Jo James",
    ]


def test_drill_down_from_a_breakdown_a_trend_cell_and_a_leaders_count(figures, client, hee_staff):
    client.force_login(hee_staff)
    drill = reverse("pipeline:list_drilldown")

    assert listed(client.get(f"{drill}?region=london&stage=approved")) == ["Gil Green", "Hana Hill"]
    assert listed(client.get(f"{drill}?event=nominations_submitted&month=2026-08")) == ["Fin Fox", "Gil Green"]
    assert listed(client.get(f"{drill}?profession=doctor&stage=in_role&leaders=true")) == ["Hana Hill"]
    assert client.get(f"{drill}?event=assessments").status_code == 400


def test_drill_down_rows_link_to_records_and_escape_what_people_typed(pipeline_now, client, hee_staff):
    profile = ClinicianProfileFactory(shares_with_hee=True, user__full_name="<b>Bold</b> & Co")
    client.force_login(hee_staff)

    page = client.get(reverse("pipeline:list_drilldown")).content.decode()

    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in page and "<b>Bold</b>" not in page
    assert f'href="{reverse("talent:show_clinician", kwargs={"profile_id": profile.pk})}"' in page


def test_drill_down_sorts_by_a_column(figures, client, hee_staff):
    client.force_login(hee_staff)
    response = client.get(reverse("pipeline:list_drilldown") + "?stage=nominated&sort=-name")

    assert listed(response) == ["Hana Hill", "Gil Green", "Fin Fox", "Eve Evans"]
    response = client.get(reverse("pipeline:list_drilldown") + "?stage=nominated&sort=region")
    assert listed(response)[0] == "Fin Fox"  # London before North West


def test_regional_staff_drill_down_stays_in_their_region(figures, client, regional_hee_staff):
    client.force_login(regional_hee_staff)

    response = client.get(reverse("pipeline:list_drilldown") + "?region=north-west")

    assert response.status_code == 400
    assert listed(response) == ["Fin Fox", "Gil Green", "Hana Hill"]


def test_regional_staff_moved_to_another_region_drill_down_into_that_region_at_once(
    figures, client, regional_hee_staff
):
    """A new region is a new scope, listed at once; the same cell sorted another way is another list."""
    client.force_login(regional_hee_staff)
    drill = reverse("pipeline:list_drilldown") + "?stage=nominated"
    assert listed(client.get(drill)) == ["Fin Fox", "Gil Green", "Hana Hill"]
    assert listed(client.get(drill + "&sort=-name")) == ["Hana Hill", "Gil Green", "Fin Fox"]

    regional_hee_staff.hee_region = Region.objects.get(slug="north-west")
    regional_hee_staff.save()

    assert listed(client.get(drill)) == ["Eve Evans"]


def test_national_drill_down_by_stage_binds_only_the_time_zone(figures, hee_staff):
    """The stage is written into the SQL: with only the (unchanging) time zone to bind, PostgreSQL plans each stage's
    page once per connection instead of at every view (docs/adr/0006)."""
    for stage in PipelineStage:
        clinicians = selectors.pipeline_drilldown(hee_staff, PipelineFilters(), selectors.Drilldown(stage=stage))
        page = selectors.pipeline_drilldown_values(clinicians)[:50]

        _sql, params = page.query.get_compiler(using="default").as_sql()

        assert params == (settings.TIME_ZONE,)
        assert len(list(page)) == clinicians.count()


def test_a_training_body_admin_and_hee_staff_each_get_their_own_drill_down_total(
    figures, client, hee_staff, tb_admin, training_body
):
    ClinicianProfileFactory.create_batch(2, training_body=training_body, shares_with_training_body=True)
    drill = reverse("pipeline:list_drilldown")
    active = ClinicianProfile.objects.filter(user__is_active=True)
    in_body = active.filter(training_body=training_body, shares_with_training_body=True).count()
    with_hee = active.filter(shares_with_hee=True).count()
    assert in_body != with_hee

    client.force_login(hee_staff)
    assert client.get(drill).context["page"].paginator.count == with_hee
    client.force_login(tb_admin)
    assert client.get(drill).context["page"].paginator.count == in_body
    client.force_login(hee_staff)
    assert client.get(drill).context["page"].paginator.count == with_hee


def test_drill_down_query_count_is_the_same_for_10_and_100_rows(
    pipeline_now, client, hee_staff, django_assert_max_num_queries
):
    client.force_login(hee_staff)

    def drill_down_after_refresh(new_clinicians: int):
        ClinicianProfileFactory.create_batch(new_clinicians, current_interest_level=2, shares_with_hee=True)
        pipeline_rollups_refresh()
        with django_assert_max_num_queries(6) as queries:
            response = client.get(reverse("pipeline:list_drilldown") + "?stage=interested")
        return response, len(queries)

    ten, ten_queries = drill_down_after_refresh(10)
    hundred, hundred_queries = drill_down_after_refresh(90)

    assert len(ten.context["rows"]) == 10
    assert hundred.context["page"].paginator.count == 100
    assert len(hundred.context["rows"]) == 50
    # No query per row; a list that fits on one page does not even look its total up.
    assert ten_queries <= hundred_queries


def test_drill_down_lists_who_the_last_refresh_placed_at_the_stage(
    figures, client, hee_staff, django_capture_on_commit_callbacks
):
    """The list behind a count is the people the count was made from: someone who became interested since the
    figures were made appears with the next refresh, as they do in the count."""
    client.force_login(hee_staff)
    drill = reverse("pipeline:list_drilldown") + "?stage=interested"
    newcomer = ClinicianProfileFactory(current_interest_level=0, shares_with_hee=True, user__full_name="Aaron Able")
    pipeline_rollups_refresh()
    newcomer.current_interest_level = 2
    newcomer.save()

    before = client.get(drill)
    assert "Aaron Able" not in listed(before)

    with django_capture_on_commit_callbacks(execute=True):  # as on a real commit: pages see the new run
        pipeline_rollups_refresh()
    newcomer.refresh_from_db()
    assert newcomer.pipeline_stage == PipelineStage.INTERESTED
    after = client.get(drill)
    assert "Aaron Able" in listed(after)
    assert after.context["page"].paginator.count == before.context["page"].paginator.count + 1


def test_a_refresh_clears_the_stage_of_clinicians_no_longer_counted(figures):
    profile = figures["H"]  # Hana Hill, in a role at organisation level
    profile.refresh_from_db()
    assert (profile.pipeline_stage, profile.pipeline_leader) == (PipelineStage.IN_ROLE, True)

    profile.user.is_active = False
    profile.user.save()
    account_copy_to_profile(user=profile.user)
    pipeline_rollups_refresh()

    profile.refresh_from_db()
    assert (profile.pipeline_stage, profile.pipeline_leader) == (None, False)


def test_a_drill_down_page_that_ends_the_list_shows_its_rows_exact_total(
    pipeline_now, client, hee_staff, regional_hee_staff
):
    ClinicianProfileFactory.create_batch(3, shares_with_hee=True)
    client.force_login(hee_staff)
    drill = reverse("pipeline:list_drilldown")
    assert client.get(drill).context["page"].paginator.count == 3

    ClinicianProfileFactory(shares_with_hee=True)  # since the figures' run: listed, and counted on the last page
    response = client.get(drill)
    assert response.context["total"].exact and response.context["page"].paginator.count == 4
    assert len(response.context["rows"]) == 4
    client.force_login(regional_hee_staff)
    regional = client.get(drill).context["page"].paginator.count  # another scope, another total
    in_region = ClinicianProfile.objects.filter(region=regional_hee_staff.hee_region, shares_with_hee=True)
    assert regional == in_region.count()


# --- Exports ------------------------------------------------------------------------------------------------------


def test_the_tables_export_as_csv_and_the_export_is_audited(figures, client, hee_staff):
    client.force_login(hee_staff)

    response = client.get(reverse("pipeline:export_dashboard") + "?profession=doctor")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert ["Registered", "9", ""] in rows and ["Appointed", "2", "66.7"] in rows
    assert ["In a leadership role", "2", "100.0"] in rows
    event = AuditEvent.objects.get(action="pipeline.exported")
    assert event.actor == hee_staff and event.detail["filters"] == {"profession": "doctor"}


def test_the_drill_down_list_exports_consenting_clinicians_only_and_is_audited(figures, client, hee_staff):
    """Built by the task into a file (tests/exports), read here as the requester downloads it."""
    client.force_login(hee_staff)

    rows = export_file(client, "?stage=in_role")

    assert ["Record id", "Name", "Profession"] in [row[:3] for row in rows]
    assert [row[1] for row in listed_in_file(rows)] == ["Hana Hill"]
    assert AuditEvent.objects.filter(action="export.requested", actor=hee_staff).count() == 1
    assert AuditEvent.objects.filter(action="export.downloaded", actor=hee_staff).count() == 1


def test_the_day_joined_is_the_day_in_england_on_the_page_and_in_the_export(pipeline_now, client, hee_staff):
    """Joined at 23:30 UTC on 30 June: 00:30 on 1 July in London (summer time), so July on both."""
    late = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    ClinicianProfileFactory(shares_with_hee=True, user__full_name="Late Joiner", created_at=late)
    client.force_login(hee_staff)

    page = client.get(reverse("pipeline:list_drilldown")).content.decode()
    rows = listed_in_file(export_file(client))

    assert '<td class="nhsuk-table__cell">Jul 2026</td>' in page
    assert [row[-1] for row in rows if row[1:2] == ["Late Joiner"]] == ["2026-07-01"]


@pytest.mark.parametrize(
    "name",
    [
        "=HYPERLINK(1)",
        "+SUM(1)",
        "-1+1",
        "@cmd",
        "\t=1+1",
        "\r=1+1",
        " =HYPERLINK(1)",
        " \n=HYPERLINK(1)",
        "\u00a0=HYPERLINK(1)",
        "\u3000+SUM(1)",
        "\uff1dHYPERLINK(1)",
        "\uff0bSUM(1)",
        "\uff0d1+1",
        "\uff20cmd",
        "  \uff1dHYPERLINK(1)",
    ],
)
def test_exported_names_cannot_run_as_spreadsheet_formulas(pipeline_now, client, hee_staff, name):
    """A name a spreadsheet would run as a formula, after spaces or in full-width signs too, is exported as text."""
    ClinicianProfileFactory(user__full_name=name)
    client.force_login(hee_staff)

    rows = listed_in_file(export_file(client))

    assert rows[0][1] == f"'{name}"


def test_every_exported_field_is_quoted_so_a_semicolon_cannot_split_it(pipeline_now, client, hee_staff):
    """A spreadsheet that splits on semicolons still reads "Smith; Jones" as one name."""
    ClinicianProfileFactory(user__full_name="Smith; Jones")
    client.force_login(hee_staff)

    export = request_export(client)
    response = client.get(reverse("exports:download_export", kwargs={"export_id": export.pk}))
    lines = b"".join(response.streaming_content).decode().splitlines()
    [line] = [line for line in lines if "Smith; Jones" in line]

    [row] = csv.reader([line])
    assert line == ",".join(f'"{field}"' for field in row)
    assert row[1] == "Smith; Jones"


# --- Freshness ----------------------------------------------------------------------------------------------------


def test_figures_are_never_more_than_five_minutes_old(figures, client, hee_staff):
    """A new clinician appears once the roll-ups are refreshed; a page finding older figures refreshes them."""
    client.force_login(hee_staff)
    ClinicianProfileFactory()

    assert dashboard(client, hee_staff).context["figures"]["funnel"][0]["count"] == 10  # figures of 12:00, still fresh
    with time_machine.travel(FROZEN + timedelta(minutes=6), tick=False):
        response = dashboard(client, hee_staff)
        assert response.context["figures"]["funnel"][0]["count"] == 11
        assert "Figures as of 12:06" in response.content.decode()
    assert PipelineRollupRun.objects.count() == 2


def test_with_a_worker_stale_figures_queue_a_refresh_and_show_their_time(
    figures, client, hee_staff, monkeypatch, django_capture_on_commit_callbacks
):
    """A page never waits for a rebuild when a worker can do it: it shows the last figures with their time."""
    from config.celery import app
    from pipeline import tasks

    queued = []
    app.conf.task_always_eager = False  # as with a worker; the suite's autouse fixture restores it
    monkeypatch.setattr(tasks.refresh_pipeline_rollups_task, "apply_async", lambda args, **options: queued.append(args))
    with time_machine.travel(FROZEN + timedelta(minutes=6), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = dashboard(client, hee_staff)
        with django_capture_on_commit_callbacks(execute=True):
            dashboard(client, hee_staff, "?profession=doctor")

    assert "Figures as of 12:00" in response.content.decode()
    assert len(queued) == 1  # once, however many views meanwhile
    assert PipelineRollupRun.objects.count() == 1


def test_the_beat_refreshes_the_roll_ups(figures):
    """With a worker and its beat, the dashboard's figures are rebuilt before they are ever too old to show: the
    beat's entry is due again within MAX_AGE of the last run, and the task it names writes a new run that counts a
    clinician who joined since."""
    from celery.beat import ScheduleEntry

    from config.celery import app

    app.loader.import_default_modules()  # as a worker does on starting: its tasks are registered by name
    last = PipelineRollupRun.objects.get()
    entry = ScheduleEntry(
        name="pipeline-rollups-refresh",
        app=app,
        last_run_at=last.refreshed_at,
        **app.conf.beat_schedule["pipeline-rollups-refresh"],
    )
    due_in = entry.schedule.remaining_estimate(last.refreshed_at)
    assert timedelta(0) < due_in < selectors.MAX_AGE
    ClinicianProfileFactory(user__full_name="Nia Newcomer")

    with time_machine.travel(last.refreshed_at + due_in, tick=False):
        assert entry.is_due().is_due
        app.tasks[entry.task].apply_async(entry.args, entry.kwargs, **entry.options)

    newest = PipelineRollupRun.objects.first()
    assert newest != last
    assert (newest.refreshed_at, newest.clinicians) == (last.refreshed_at + due_in, last.clinicians + 1)


def test_the_refresh_task_rebuilds_the_figures(pipeline_population):
    from pipeline.tasks import refresh_pipeline_rollups_task

    refresh_pipeline_rollups_task.delay()

    assert PipelineRollupRun.objects.get().clinicians == 10


# --- API ----------------------------------------------------------------------------------------------------------


def test_the_api_gives_stages_trends_breakdowns_and_backgrounds_with_the_same_filters(figures, client, hee_staff):
    client.force_login(hee_staff)

    response = client.get(reverse("pipeline_api:show_summary") + "?early_career=true")

    assert response.status_code == 200
    data = response.json()
    assert [stage["count"] for stage in data["funnel"]] == [8, 7, 6, 4, 2, 1, 1]
    assert data["funnel"][1]["conversion"] == 87.5
    assert len(data["trends"]["months"]) == 24
    assert {row["label"] for row in data["breakdowns"]["region"]} == {"London", "North West"}
    sex = next(table for table in data["backgrounds"] if table["key"] == "sex")
    assert sex["suppressed"] is True
    assert data["as_of"].startswith("2026-11-20T12:00")


def test_the_api_rejects_a_bad_filter_with_field_detail(figures, client, hee_staff):
    client.force_login(hee_staff)

    response = client.get(reverse("pipeline_api:show_summary") + "?joined_from=not-a-date")

    assert response.status_code == 400 and "joined_from" in response.json()


# --- Dates out of range and invalid filters on the exports ----------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "?joined_to=9999-12-31",
        "?joined_to_day=31&joined_to_month=12&joined_to_year=9999",
        "?joined_from=0001-01-01",
        "?event=assessments&month=9999-12",
        "?event=assessments&month=0000-01",
    ],
)
@pytest.mark.parametrize(
    "url_name",
    ["pipeline:list_drilldown", "pipeline:export_drilldown", "pipeline:show_dashboard", "pipeline:export_dashboard"],
)
def test_dates_out_of_range_are_an_error_never_a_server_error(figures, client, hee_staff, url_name, query):
    client.force_login(hee_staff)

    response = client.get(reverse(url_name) + query)

    if url_name in ("pipeline:show_dashboard", "pipeline:export_dashboard") and query.startswith("?event="):
        # The dashboard and its tables take no trend cell: the parameter is ignored there.
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert "between 1950 and 2100" in response.content.decode()


def test_the_api_rejects_a_date_out_of_range(figures, client, hee_staff):
    client.force_login(hee_staff)

    response = client.get(reverse("pipeline_api:show_summary") + "?joined_to=9999-12-31")

    assert response.status_code == 400 and "between 1950 and 2100" in response.json()["joined_to"][0]


def test_the_tables_export_refuses_invalid_filters_instead_of_giving_unfiltered_figures(
    figures, client, hee_staff, tb_admin
):
    client.force_login(hee_staff)
    response = client.get(reverse("pipeline:export_dashboard") + "?region=zzz")
    assert response.status_code == 400 and "not valid" in response.content.decode()
    assert "Select a valid choice" in response.content.decode()

    client.force_login(tb_admin)
    response = client.get(reverse("pipeline:export_dashboard") + "?joined_from=2030-01-01&joined_to=2020-01-01")
    assert response.status_code == 400
    assert "The end month must be the same as or after the start month" in response.content.decode()
    assert not AuditEvent.objects.filter(action="pipeline.exported").exists()


# --- Licence at risk -------------------------------------------------------------------------------------------------


@pytest.fixture
def licence_figures(pipeline_population):
    """H (London, other body, medical director) overdue; I (North West, `training_body`, service-level lead, shares
    with nobody) due in 30 days; G (no leadership role) overdue but not counted; J's role ended (not counted)."""
    today = date(2026, 11, 20)
    people = pipeline_population
    for letter, due in {"H": today - timedelta(days=10), "I": today + timedelta(days=30), "G": today}.items():
        profile = people[letter]
        RevalidationRecord.objects.create(profile=profile, regulator=profile.regulator, next_due_on=due)
    RevalidationRecord.objects.create(
        profile=people["J"], regulator=people["J"].regulator, next_due_on=today - timedelta(days=1)
    )
    pipeline_rollups_refresh()
    return people


def risk_rows(response) -> dict[str, str]:
    rows = csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))
    return {row[0]: row[1] for row in rows if len(row) == 2}


def test_hee_staff_see_licence_at_risk_counts_on_the_dashboard_the_api_and_the_export(
    licence_figures, client, hee_staff
):
    response = dashboard(client, hee_staff)

    assert response.context["figures"]["licence_at_risk"] == {
        "in_leadership_roles": 2,
        "overdue": 1,
        "due_soon": 1,
        "at_risk": 2,
        "without_date": 0,
    }
    page = response.content.decode()
    assert "Licence at risk" in page and 'id="licence-at-risk-heading"' in page
    assert client.get(reverse("pipeline_api:show_summary")).json()["licence_at_risk"]["at_risk"] == 2
    rows = risk_rows(client.get(reverse("pipeline:export_dashboard")))
    assert rows["Overdue"] == "1" and rows["Due within 90 days"] == "1"

    # The filters apply: London only is the medical director, overdue.
    api = client.get(reverse("pipeline_api:show_summary") + "?region=london").json()["licence_at_risk"]
    assert (api["in_leadership_roles"], api["overdue"], api["due_soon"]) == (1, 1, 0)


def test_training_body_admins_see_licence_at_risk_for_their_body_only(licence_figures, client, tb_admin):
    """Their body's only current leader is I, who shares with nobody: counted (aggregate), due within 90 days."""
    response = dashboard(client, tb_admin)

    risk = response.context["figures"]["licence_at_risk"]
    assert (risk["in_leadership_roles"], risk["overdue"], risk["due_soon"], risk["at_risk"]) == (1, 0, 1, 1)
    api = client.get(reverse("pipeline_api:show_summary")).json()["licence_at_risk"]
    assert (api["in_leadership_roles"], api["overdue"], api["due_soon"]) == (1, 0, 1)


def test_regional_staff_see_licence_at_risk_for_their_region(licence_figures, client, regional_hee_staff):
    risk = dashboard(client, regional_hee_staff).context["figures"]["licence_at_risk"]
    assert (risk["in_leadership_roles"], risk["overdue"], risk["due_soon"]) == (1, 1, 0)
