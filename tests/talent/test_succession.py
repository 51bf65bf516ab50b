"""The succession view as HEE staff and training-body admins use it: for each region and role level, how many pool
members are ready now and ready in 1 to 2 years, by profession, each clinician once; levels with no one ready now
said in words; counts only, with the backgrounds of the members under the small-number rule; a member who leaves
a pool is in no figure."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Region
from talent.models import EqualityMonitoring, MembershipState, PoolMembership, Readiness
from talent.selectors import succession as selectors
from talent.services import pools as pool_service
from tests.clock import runs_at
from tests.factories import ClinicianProfileFactory, TrainingBodyAdminFactory, TrainingBodyFactory
from tests.talent.pool_fixtures import make_member, make_pool
from tests.talent.test_pools_api import add_members

UK = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UK)
_at_now = runs_at(NOW)

pytestmark = pytest.mark.django_db


def rated(pool, profile, readiness: str) -> PoolMembership:
    return make_member(pool, profile, readiness=readiness, readiness_at=timezone.now())


def cell(user, region_slug: str, level: str) -> selectors.SuccessionCell:
    succession = selectors.succession_for(user=user)
    row = next(row for row in succession.rows if row.region.slug == region_slug)
    return next(c for c in row.cells if c.role_level == level)


def api_get(user, name: str = "talent_api:show_succession", **kwargs):
    client = APIClient()
    client.force_authenticate(user)
    return client.get(reverse(name, kwargs=kwargs))


def test_national_hee_staff_see_each_clinician_once_per_region_and_level_at_their_best_readiness(
    hee_staff, training_body, pool, regional_pool
):
    london = Region.objects.get(slug="london")
    both = ClinicianProfileFactory(training_body=training_body)  # North West
    body_service = make_pool(training_body=training_body, name="Second service pool")
    rated(pool, both, Readiness.READY_1_2_YEARS)
    rated(body_service, both, Readiness.READY_NOW)
    nurse = ClinicianProfileFactory(training_body=training_body, profession="nurse")
    rated(pool, nurse, Readiness.READY_1_2_YEARS)
    londoner = ClinicianProfileFactory(region=london)
    rated(regional_pool, londoner, Readiness.READY_NOW)

    service_nw = cell(hee_staff, "north-west", "service")
    board_london = cell(hee_staff, "london", "organisation")

    assert (service_nw.members, service_nw.ready_now, service_nw.ready_1_2_years) == (2, 1, 1)
    assert {(p.profession, p.ready_now, p.ready_1_2_years) for p in service_nw.professions} == {
        ("doctor", 1, 0),
        ("nurse", 0, 1),
    }
    assert (board_london.ready_now, board_london.ready_1_2_years) == (1, 0)
    assert len(selectors.succession_for(user=hee_staff).rows) == Region.objects.count()


def test_a_national_pool_counts_its_members_in_the_regions_they_work_in(hee_staff, national_pool):
    rated(national_pool, ClinicianProfileFactory(region=Region.objects.get(slug="london")), Readiness.READY_NOW)

    assert cell(hee_staff, "london", "national").ready_now == 1
    assert cell(hee_staff, "north-west", "national").ready_now == 0


def test_levels_with_no_one_ready_now_are_flagged_in_words_on_a_page_that_needs_no_script(
    client, hee_staff, pool, training_body
):
    rated(pool, ClinicianProfileFactory(training_body=training_body), Readiness.READY_NOW)
    client.force_login(hee_staff)

    html = client.get(reverse("talent:show_succession")).content.decode()

    regions, levels = Region.objects.count(), 4
    assert html.count("No one ready now</strong>") == regions * levels - 1
    assert "<script" not in html.split('id="maincontent"')[1].split("</main>")[0]
    assert reverse("talent:show_succession_cell", kwargs={"region_slug": "north-west", "role_level": "service"}) in html


def test_the_backgrounds_have_a_page_of_their_own_linked_from_the_table(client, hee_staff, pool, training_body):
    for n in range(20):
        profile = ClinicianProfileFactory(training_body=training_body)
        rated(pool, profile, Readiness.READY_NOW)
        EqualityMonitoring.objects.create(profile=profile, sex="female" if n < 10 else "male")
    client.force_login(hee_staff)

    table = client.get(reverse("talent:show_succession")).content.decode()
    backgrounds = client.get(reverse("talent:show_succession_backgrounds")).content.decode()

    assert reverse("talent:show_succession_backgrounds") in table
    assert "data-background" not in table
    female = backgrounds.split('data-background="sex"')[1].split("Female</th>")[1].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in female.split("</td>")[:2]] == ["10", "10"]
    assert "<script" not in backgrounds.split('id="maincontent"')[1].split("</main>")[0]


def test_regional_hee_staff_see_only_their_region(regional_hee_staff, regional_pool, pool, training_body):
    rated(regional_pool, ClinicianProfileFactory(region=Region.objects.get(slug="london")), Readiness.READY_NOW)
    rated(pool, ClinicianProfileFactory(training_body=training_body), Readiness.READY_NOW)

    succession = selectors.succession_for(user=regional_hee_staff)

    assert [row.region.slug for row in succession.rows] == ["london"]
    assert succession.description == "London"
    assert cell(regional_hee_staff, "london", "organisation").ready_now == 1


def test_a_region_outside_a_regional_persons_scope_does_not_exist_for_them(client, regional_hee_staff):
    client.force_login(regional_hee_staff)
    url = reverse("talent:show_succession_cell", kwargs={"region_slug": "north-west", "role_level": "service"})

    assert client.get(url).status_code == 404


def test_a_training_body_admin_sees_only_their_bodies_pools(tb_admin, other_tb_admin, training_body, pool, hee_staff):
    other_body = TrainingBodyFactory(region=Region.objects.get(slug="north-west"))
    other_pool = make_pool(training_body=other_body, name="Their pool")
    rated(other_pool, ClinicianProfileFactory(training_body=other_body), Readiness.READY_NOW)
    rated(pool, ClinicianProfileFactory(training_body=training_body), Readiness.READY_1_2_YEARS)

    mine = cell(tb_admin, "north-west", "service")
    theirs = selectors.succession_for(user=TrainingBodyAdminFactory(training_body=other_body))

    assert (mine.ready_now, mine.ready_1_2_years) == (0, 1)
    assert sum(c.ready_now for row in theirs.rows for c in row.cells) == 1
    assert sum(c.ready_1_2_years for row in theirs.rows for c in row.cells) == 0
    assert (
        cell(hee_staff, "north-west", "service").ready_now,
        cell(hee_staff, "north-west", "service").ready_1_2_years,
    ) == (1, 1)


def test_leaving_a_pool_removes_the_member_from_every_figure(client, hee_staff, pool, clinician):
    membership = rated(pool, clinician.clinician_profile, Readiness.READY_NOW)
    EqualityMonitoring.objects.create(profile=clinician.clinician_profile, sex="female")
    assert cell(hee_staff, "north-west", "service").ready_now == 1

    pool_service.membership_leave(user=clinician, membership=membership)

    membership.refresh_from_db()
    assert membership.state == MembershipState.LEFT
    succession = selectors.succession_for(user=hee_staff)
    assert all(c.members == c.ready_now == c.ready_1_2_years == 0 for row in succession.rows for c in row.cells)
    _description, backgrounds = selectors.succession_backgrounds_for(user=hee_staff)
    assert all(row.members == "0" for table in backgrounds for row in table.rows)
    body = api_get(hee_staff).json()
    assert all(level["ready_now"] == 0 for region in body["regions"] for level in region["levels"])
    client.force_login(hee_staff)
    detail = client.get(
        reverse("talent:show_succession_cell", kwargs={"region_slug": "north-west", "role_level": "service"})
    )
    assert detail.context["cell"].members == 0 and detail.context["detail"].pools == []


def test_a_member_who_stops_sharing_with_the_pools_owner_is_not_counted(hee_staff, pool, clinician):
    rated(pool, clinician.clinician_profile, Readiness.READY_NOW)
    clinician.clinician_profile.shares_with_training_body = False
    clinician.clinician_profile.save(update_fields=["shares_with_training_body"])

    assert cell(hee_staff, "north-west", "service").ready_now == 0


def test_a_member_whose_profession_the_pool_is_not_for_is_not_counted(client, hee_staff, tb_admin, training_body):
    doctors = make_pool(training_body=training_body, name="Future medical leads", professions=["doctor"])
    nurses_and_doctors = make_pool(training_body=training_body, name="Mixed", professions=["nurse", "doctor"])
    anyone = make_pool(training_body=training_body, name="Open to all", role_level="organisation")
    was_a_doctor = ClinicianProfileFactory(training_body=training_body)
    rated(doctors, was_a_doctor, Readiness.READY_NOW)
    rated(anyone, was_a_doctor, Readiness.READY_NOW)
    nurse = ClinicianProfileFactory(training_body=training_body, profession="nurse")
    rated(nurses_and_doctors, nurse, Readiness.READY_1_2_YEARS)
    assert cell(hee_staff, "north-west", "service").ready_now == 1

    # Their profession changes on their profile: the doctors' pool's owners no longer see them among its members.
    was_a_doctor.profession = "nursing_associate"
    was_a_doctor.save(update_fields=["profession"])
    client.force_login(tb_admin)
    listed = client.get(reverse("talent:show_pool", kwargs={"pool_id": doctors.pk})).context["members"]

    assert listed == []
    service = cell(hee_staff, "north-west", "service")
    assert (service.members, service.ready_now, service.ready_1_2_years) == (1, 0, 1)
    assert [(p.profession, p.members) for p in service.professions] == [("nurse", 1)]
    assert cell(hee_staff, "north-west", "organisation").ready_now == 1  # still counted where the pool is for anyone
    detail = selectors.succession_cell_for(user=tb_admin, region_slug="north-west", role_level="service")
    assert [(figures.pool.name, figures.members) for figures in detail.pools] == [("Mixed", 1)]


def test_the_drill_down_gives_figures_by_profession_and_names_no_one_to_hee_staff(
    client, hee_staff, tb_admin, pool, clinician
):
    rated(pool, clinician.clinician_profile, Readiness.READY_NOW)
    url = reverse("talent:show_succession_cell", kwargs={"region_slug": "north-west", "role_level": "service"})

    client.force_login(hee_staff)
    hee_html = client.get(url).content.decode()
    client.force_login(tb_admin)
    owner_html = client.get(url).content.decode()

    assert 'data-profession="doctor"' in hee_html and "Doctor" in hee_html
    assert clinician.clinician_profile.full_name not in hee_html
    pool_link = reverse("talent:show_pool", kwargs={"pool_id": pool.pk})
    assert pool.name in hee_html and pool_link not in hee_html
    assert pool_link in owner_html


def test_backgrounds_follow_the_small_number_rule_in_every_cell(hee_staff, pool, training_body):
    for n in range(12):
        profile = ClinicianProfileFactory(training_body=training_body)
        rated(pool, profile, Readiness.READY_NOW if n < 3 else Readiness.READY_3_PLUS_YEARS)
        EqualityMonitoring.objects.create(profile=profile, sex="female" if n < 10 else "male")

    sex = next(t for t in selectors.succession_backgrounds_for(user=hee_staff)[1] if t.key == "sex")
    rows = {row.value: row for row in sex.rows}

    assert rows["male"].members == "*" and rows["female"].members == "10"
    # With the total shown, a second cell is hidden so that the two men cannot be worked out from it.
    assert sum(row.members == "*" for row in sex.rows) == 2
    assert rows["female"].ready_now == "*" and sex.total_ready_now == "*"
    assert sex.total_members == "10"


def test_profession_is_counted_exactly_everywhere_and_is_not_one_of_the_suppressed_backgrounds(
    client, hee_staff, pool, training_body
):
    """Profession is not equality data, and the readiness figures by profession are what the succession view is for:
    they are exact in every cell, so no table beside them pretends to hide them."""
    for n in range(12):
        rated(
            pool,
            ClinicianProfileFactory(training_body=training_body),
            Readiness.READY_NOW if n < 5 else Readiness.READY_3_PLUS_YEARS,
        )
    for _ in range(3):
        rated(pool, ClinicianProfileFactory(training_body=training_body, profession="nurse"), Readiness.READY_NOW)
    client.force_login(hee_staff)

    page = client.get(reverse("talent:show_succession_backgrounds")).content.decode()
    detail = client.get(
        reverse("talent:show_succession_cell", kwargs={"region_slug": "north-west", "role_level": "service"})
    ).content.decode()
    body = api_get(hee_staff).json()

    assert 'data-background="profession"' not in page
    assert {table["key"] for table in body["backgrounds"]} == {"sex", "ethnic_group", "disability", "age_band"}
    north_west = next(region for region in body["regions"] if region["region"] == "north-west")
    service = next(level for level in north_west["levels"] if level["role_level"] == "service")
    assert [(p["profession"], p["members"], p["ready_now"]) for p in service["professions"]] == [
        ("doctor", 12, 5),
        ("nurse", 3, 3),
    ]
    assert (service["members"], service["ready_now"]) == (15, 8)
    nurses = detail.split('data-profession="nurse"')[1].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in nurses.split("</td>")[:3]] == ["3", "3", "0"]


def test_a_background_column_never_shows_that_everyone_counted_gave_one_answer(client, tb_admin, pool, training_body):
    """The cell above counts exactly how many members (and how many ready now) there are, so the backgrounds' totals
    are known even when they show *: a column showing one hidden count beside zeros would say everyone gave that
    answer."""
    for _ in range(5):
        profile = ClinicianProfileFactory(training_body=training_body)
        rated(pool, profile, Readiness.READY_NOW)
        EqualityMonitoring.objects.create(profile=profile, sex="female")

    _description, backgrounds = selectors.succession_backgrounds_for(user=tb_admin)
    sex = next(table for table in backgrounds if table.key == "sex")

    assert cell(tb_admin, "north-west", "service").members == 5
    assert sum(row.members != "0" for row in sex.rows) >= 2
    assert sum(row.ready_now != "0" for row in sex.rows) >= 2
    assert all(row.members in ("*", "0") and row.ready_now in ("*", "0") for row in sex.rows)


def test_the_api_answers_the_same_figures_as_the_page(hee_staff, pool, clinician):
    rated(pool, clinician.clinician_profile, Readiness.READY_NOW)

    body = api_get(hee_staff).json()

    assert body["scope"] == "England"
    north_west = next(region for region in body["regions"] if region["region"] == "north-west")
    service = next(level for level in north_west["levels"] if level["role_level"] == "service")
    assert service["ready_now"] == 1 and service["no_ready_now"] is False
    assert service["professions"] == [
        {"profession": "doctor", "label": "Doctor", "members": 1, "ready_now": 1, "ready_1_2_years": 0}
    ]
    system = next(level for level in north_west["levels"] if level["role_level"] == "system")
    assert system["no_ready_now"] is True
    assert {table["key"] for table in body["backgrounds"]} == {"sex", "ethnic_group", "disability", "age_band"}


def test_the_succession_endpoint_is_in_the_api_schema(client):
    schema = client.get(reverse("api_schema"), HTTP_ACCEPT="application/json").content.decode()

    assert "/api/v1/succession/" in schema


def queries_to_show(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["api", "talent:show_succession", "talent:show_succession_backgrounds"])
def test_the_succession_figures_take_the_same_queries_at_10_and_1000_members(client, hee_staff, training_body, page):
    pool = make_pool(training_body=training_body, name="Growing pool")
    add_members(pool, 10)
    if page == "api":
        client = APIClient()
        client.force_authenticate(hee_staff)
        url = reverse("talent_api:show_succession")
    else:
        client.force_login(hee_staff)
        url = reverse(page)
    queries_to_show(client, url)  # the session and the first view's one-off reads
    at_ten = queries_to_show(client, url)

    add_members(pool, 990, start=10)
    PoolMembership.objects.filter(pool=pool).update(readiness=Readiness.READY_NOW, readiness_at=timezone.now())

    assert queries_to_show(client, url) == at_ten
    assert cell(hee_staff, "north-west", "service").ready_now == 1000


def test_the_api_gives_regional_hee_staff_their_region_and_an_admin_their_bodies_pools_only(
    regional_hee_staff, tb_admin, regional_pool, pool, training_body
):
    rated(regional_pool, ClinicianProfileFactory(region=Region.objects.get(slug="london")), Readiness.READY_NOW)
    rated(pool, ClinicianProfileFactory(training_body=training_body), Readiness.READY_1_2_YEARS)

    regional = api_get(regional_hee_staff).json()
    admin = api_get(tb_admin).json()

    assert regional["scope"] == "London" and [r["region"] for r in regional["regions"]] == ["london"]
    assert admin["scope"] == "Your training body's talent pools"
    assert [r["region"] for r in admin["regions"]] == ["north-west"]
    levels = {level["role_level"]: level for level in admin["regions"][0]["levels"]}
    assert (levels["service"]["ready_now"], levels["service"]["ready_1_2_years"]) == (0, 1)
    assert levels["organisation"]["members"] == 0
