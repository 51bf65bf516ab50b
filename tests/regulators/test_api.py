"""The regulators and guidance API: public, published guidance only, filters that answer 400 for unknown values, and
a schema without warnings."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from regulators.models import GuidanceStatus
from tests.regulators.fixtures import make_guidance_version

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(item["title"] for item in response.json()["results"])


def test_anyone_lists_the_nine_regulators_with_their_cycles():
    response = APIClient().get(reverse("regulators_api:list_regulators"))
    assert response.status_code == 200
    cycles = {item["code"]: item["revalidation_cycle_months"] for item in response.json()["results"]}
    assert cycles["GMC"] == 60 and cycles["NMC"] == 36 and len(cycles) == 9


def test_only_the_current_published_version_of_each_item_is_listed(guidance_published, guidance_draft_only):
    data = APIClient().get(reverse("regulators_api:list_guidance")).json()
    assert data["count"] == 1
    (item,) = data["results"]
    assert (item["regulator"], item["slug"], item["version"]) == ("GMC", guidance_published.guidance.slug, 2)
    assert item["roles"] == [{"slug": "medical-director", "name": "Medical director", "level": "organisation"}]
    assert item["senior_leaders_html"].startswith("<p>")


def test_guidance_filters(client):
    make_guidance_version(slug="md", title="Medical directors", role_levels=[], roles=["medical-director"])
    make_guidance_version(regulator="NMC", slug="conf", title="Confirmer", topics=["responsible_officer"])
    make_guidance_version(regulator="GDC", slug="ret", title="Returning", role_levels=["service"], topics=["returning"])
    make_guidance_version(regulator="GDC", slug="draft", title="Draft", status=GuidanceStatus.DRAFT)
    url = reverse("regulators_api:list_guidance")
    api = APIClient()
    assert titles(api.get(url, {"regulator": "GDC"})) == ["Returning"]
    assert titles(api.get(url, {"topic": "responsible_officer"})) == ["Confirmer"]
    assert titles(api.get(url, {"level": "service"})) == ["Returning"]
    assert titles(api.get(url, {"role": "medical-director"})) == ["Confirmer", "Medical directors"]
    assert titles(api.get(url, {"role": "clinical-director"})) == ["Returning"]
    assert titles(api.get(url, {"role": "medical-director", "regulator": "GMC"})) == ["Medical directors"]
    # The page's values work here too: a regulator code in lower case.
    assert titles(api.get(url, {"regulator": "gdc"})) == ["Returning"]


def test_the_role_filter_leaves_out_guidance_for_other_roles_at_the_same_level():
    make_guidance_version(
        slug="md", title="Medical directors", role_levels=["organisation"], roles=["medical-director"]
    )
    make_guidance_version(
        slug="ph", title="Chief pharmacists", role_levels=["organisation"], roles=["chief-pharmacist"]
    )
    make_guidance_version(slug="board", title="Any board role", role_levels=["organisation"])
    url = reverse("regulators_api:list_guidance")
    api = APIClient()
    assert titles(api.get(url, {"role": "medical-director"})) == ["Any board role", "Medical directors"]
    assert titles(api.get(url, {"role": "chief-pharmacist"})) == ["Any board role", "Chief pharmacists"]
    # A role level still lists everything for roles at that level.
    assert titles(api.get(url, {"level": "organisation"})) == [
        "Any board role",
        "Chief pharmacists",
        "Medical directors",
    ]


@pytest.mark.parametrize(
    ("name", "value"), [("regulator", "XYZ"), ("role", "astronaut"), ("level", "galaxy"), ("topic", "x")]
)
def test_unknown_filter_values_answer_400_naming_the_filter(name, value):
    response = APIClient().get(reverse("regulators_api:list_guidance"), {name: value})
    assert response.status_code == 400
    assert name in response.json()


def test_a_draft_or_superseded_only_item_does_not_exist(guidance_draft_only):
    url = reverse(
        "regulators_api:show_guidance", kwargs={"regulator": "nmc", "slug": guidance_draft_only.guidance.slug}
    )
    assert APIClient().get(url).status_code == 404


def test_the_guidance_list_takes_the_same_queries_however_many_items(django_assert_max_num_queries):
    for index in range(3):
        make_guidance_version(slug=f"item-{index}", roles=["medical-director", "chief-executive"])
    api = APIClient()
    with django_assert_max_num_queries(6) as few:
        api.get(reverse("regulators_api:list_guidance"), {"role": "medical-director"})
    for index in range(3, 30):
        make_guidance_version(slug=f"item-{index}", roles=["medical-director", "chief-executive"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get(reverse("regulators_api:list_guidance"), {"role": "medical-director"})
    assert response.json()["count"] == 30


def test_the_schema_documents_the_endpoints(client):
    schema = client.get(reverse("api_schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    assert "get" in paths["/api/v1/regulators/"]
    assert "404" in paths["/api/v1/guidance/{regulator}/{slug}/"]["get"]["responses"]
    filters = {p["name"]: p for p in paths["/api/v1/guidance/"]["get"]["parameters"]}
    assert {"regulator", "role", "level", "topic", "page"} <= set(filters)
    assert "returning" in filters["topic"]["schema"]["enum"]
    assert "GuidanceTopic" in schema["components"]["schemas"]


def test_the_regulators_schema_generates_without_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)
    ours = [
        m for m in GENERATOR_STATS._warn_cache if "regulators" in m or "guidance" in m.lower() or "enum" in m.lower()
    ]
    assert ours == []
    assert not GENERATOR_STATS._error_cache
