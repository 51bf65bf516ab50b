"""The pathways API: published pathways and opportunities for everyone, filters, "eligible for me", and the schema
(DESIGN.md section 6)."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from pathways.models import ContentStatus, LeadershipRole, Opportunity, OpportunityKind, Pathway, PathwayStep
from pathways.selectors import eligibility_for
from regulators.models import Regulator
from talent.models import ClinicianProfile
from tests.conftest import ROLES
from tests.factories import ClinicianFactory, ClinicianProfileFactory


def api_for(user) -> APIClient:
    """An API client signed in with a token, as an integration would be; anonymous for None."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=user)[1]}")
    return client


def make_pathway(slug: str, *, role: str = "clinical-director", status=ContentStatus.PUBLISHED, **extra) -> Pathway:
    fields = {
        "slug": slug,
        "title": slug.replace("-", " ").capitalize(),
        "summary": "A pathway.",
        "body": "Body.",
        "target_role": LeadershipRole.objects.get(slug=role),
        "status": status,
        "published_at": timezone.now() if status == ContentStatus.PUBLISHED else None,
    }
    return Pathway.objects.create(**{**fields, **extra})


def opportunity_fields(slug: str, *, opens_in: int = -10, closes_in: int = 20, **extra) -> dict:
    today = timezone.localdate()
    fields = {
        "slug": slug,
        "title": slug.replace("-", " ").capitalize(),
        "provider": "Test provider",
        "kind": OpportunityKind.PROGRAMME,
        "summary": "An opportunity.",
        "description": "Description.",
        "opens_on": today + timedelta(days=opens_in),
        "closes_on": today + timedelta(days=closes_in),
        "status": ContentStatus.PUBLISHED,
        "published_at": timezone.now(),
    }
    return {**fields, **extra}


def make_opportunity(slug: str, **extra) -> Opportunity:
    return Opportunity.objects.create(**opportunity_fields(slug, **extra))


def slugs(response) -> set[str]:
    assert response.status_code == 200, response.content[:500]
    return {row["slug"] for row in response.json()["results"]}


# --- Pathways --------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anyone_can_list_published_pathways_but_never_drafts(published_pathway, draft_pathway):
    """Someone who is not signed in sees the published pathways, paginated; drafts are not there."""
    response = APIClient().get(reverse("pathways_api:list_pathways"))

    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    row = body["results"][0]
    assert row["slug"] == published_pathway.slug
    assert row["target_role"] == {
        "slug": "clinical-director",
        "name": "Clinical director",
        "level": "service",
        "needs_licence": True,
    }
    assert row["professions"] == ["doctor"]


@pytest.mark.django_db
def test_a_pathway_shows_its_steps_in_order_with_safe_html(published_pathway, open_opportunity):
    """The detail has the body as Markdown and HTML, and every step in order with what it builds and suggests."""
    PathwayStep.objects.filter(pathway=published_pathway, order=2).update(dimensions=["engaging_the_team"])

    body = APIClient().get(reverse("pathways_api:show_pathway", kwargs={"slug": published_pathway.slug})).json()

    assert body["body"] == published_pathway.body
    assert "<strong>published</strong>" in body["body_html"]
    assert [step["order"] for step in body["steps"]] == [1, 2]
    first, second = body["steps"]
    assert first["title"] == "Lead a quality improvement project"
    assert first["typical_duration"] == "6 to 12 months"
    assert first["dimensions"] == ["leading_with_care"]
    assert first["description_html"].startswith("<p>")
    assert first["suggested_opportunities"] == [
        {"id": str(open_opportunity.pk), "slug": open_opportunity.slug, "title": open_opportunity.title}
    ]
    assert second["dimensions"] == ["engaging_the_team"]
    assert second["suggested_opportunities"] == []


@pytest.mark.django_db
def test_a_step_never_suggests_a_draft_opportunity(published_pathway, draft_opportunity):
    """An unpublished opportunity is not revealed through a pathway that suggests it."""
    published_pathway.steps.get(order=2).suggested_opportunities.add(draft_opportunity)

    body = APIClient().get(reverse("pathways_api:show_pathway", kwargs={"slug": published_pathway.slug})).json()

    assert body["steps"][1]["suggested_opportunities"] == []


@pytest.mark.django_db
def test_hostile_markdown_reaches_the_api_harmless(published_pathway):
    """Scripts, javascript: links and event handlers an editor pasted in never come back as live HTML."""
    published_pathway.body = (
        '<script>alert(1)</script>\n\n[click](javascript:alert(2))\n\n<img src=x onerror="alert(3)">\n\n**fine**'
    )
    published_pathway.save()

    html = (
        APIClient()
        .get(reverse("pathways_api:show_pathway", kwargs={"slug": published_pathway.slug}))
        .json()["body_html"]
    )

    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html
    assert "<strong>fine</strong>" in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_a_draft_pathway_does_not_exist_for_anyone(user_for_role, role, draft_pathway, published_pathway):
    """Whoever asks, editors included, a draft pathway is neither listed nor found."""
    client = api_for(user_for_role(role))

    assert slugs(client.get(reverse("pathways_api:list_pathways"))) == {published_pathway.slug}
    response = client.get(reverse("pathways_api:show_pathway", kwargs={"slug": draft_pathway.slug}))
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.django_db
def test_pathways_filter_by_profession_role_and_level(published_pathway):
    """Filters narrow the list; a pathway open to any profession shows for every profession."""
    make_pathway("nurse-to-chief-nurse", role="chief-nurse", professions=["nurse", "midwife"])
    make_pathway("anyone-to-chief-executive", role="chief-executive", professions=[])
    make_pathway("nursing-associate-to-lead", role="clinical-lead", professions=["nursing_associate"])
    url = reverse("pathways_api:list_pathways")
    client = APIClient()

    assert slugs(client.get(url, {"profession": "nurse"})) == {"nurse-to-chief-nurse", "anyone-to-chief-executive"}
    assert slugs(client.get(url, {"profession": "doctor"})) == {published_pathway.slug, "anyone-to-chief-executive"}
    assert slugs(client.get(url, {"role": "chief-nurse"})) == {"nurse-to-chief-nurse"}
    levels = {role.slug: role.level for role in LeadershipRole.objects.all()}
    assert slugs(client.get(url, {"level": levels["clinical-director"]})) >= {published_pathway.slug}
    for level in ("team", "service", "organisation", "system", "national"):
        for row in client.get(url, {"level": level}).json()["results"]:
            assert row["target_role"]["level"] == level
    assert slugs(client.get(url, {"profession": "doctor", "role": "chief-nurse"})) == set()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "value"), [("profession", "wizard"), ("role", "no-such-role"), ("level", "galactic")])
def test_unknown_pathway_filter_values_answer_400_naming_the_filter(published_pathway, name, value):
    """A typo in a filter is reported, not silently ignored and never a server error."""
    response = APIClient().get(reverse("pathways_api:list_pathways"), {name: value})

    assert response.status_code == 400
    assert list(response.json()) == [name]


# --- Opportunities ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_a_draft_opportunity_does_not_exist_for_anyone(
    user_for_role, role, open_opportunity, closed_opportunity, draft_opportunity
):
    """Whoever asks, editors included, a draft opportunity is neither listed nor found, however it is filtered."""
    client = api_for(user_for_role(role))
    url = reverse("pathways_api:list_opportunities")

    assert slugs(client.get(url)) == {open_opportunity.slug, closed_opportunity.slug}
    assert draft_opportunity.slug not in slugs(client.get(url, {"kind": "mentoring", "open": "true"}))
    response = client.get(reverse("pathways_api:show_opportunity", kwargs={"opportunity_id": draft_opportunity.pk}))
    assert response.status_code == 404


@pytest.mark.django_db
def test_opportunities_filter_by_open_kind_and_profession(open_opportunity, closed_opportunity):
    """ "Open now" means applications open today; kind and profession narrow the list too."""
    make_opportunity("opens-next-month", opens_in=30, closes_in=60, kind=OpportunityKind.COURSE, professions=["nurse"])
    make_opportunity("closes-today", opens_in=-5, closes_in=0, kind=OpportunityKind.MENTORING)
    make_opportunity("opened-today", opens_in=0, closes_in=5, professions=["doctor", "dentist"])
    url = reverse("pathways_api:list_opportunities")
    client = APIClient()

    assert slugs(client.get(url, {"open": "true"})) == {open_opportunity.slug, "closes-today", "opened-today"}
    assert slugs(client.get(url, {"open": "false"})) == {closed_opportunity.slug, "opens-next-month"}
    assert slugs(client.get(url, {"kind": "fellowship"})) == {closed_opportunity.slug}
    assert slugs(client.get(url, {"profession": "dentist"})) == {open_opportunity.slug, "closes-today", "opened-today"}
    assert slugs(client.get(url, {"profession": "nurse", "open": "false"})) == {"opens-next-month"}
    rows = client.get(url).json()["results"]
    assert [row["closes_on"] for row in rows] == sorted(row["closes_on"] for row in rows)
    assert {row["slug"]: row["is_open"] for row in rows}[closed_opportunity.slug] is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "value"),
    [("open", "yes"), ("kind", "webinar"), ("profession", "wizard"), ("eligible_for", "everyone")],
)
def test_unknown_opportunity_filter_values_answer_400_naming_the_filter(clinician, open_opportunity, name, value):
    """A typo in a filter is reported, not silently ignored and never a server error."""
    response = api_for(clinician).get(reverse("pathways_api:list_opportunities"), {name: value})

    assert response.status_code == 400
    assert list(response.json()) == [name]


@pytest.mark.django_db
def test_an_opportunity_id_that_is_not_a_uuid_is_simply_not_found(open_opportunity):
    """A mangled link answers a JSON 404, not a server error."""
    client = APIClient()

    for opportunity_id in ("not-a-uuid", str(uuid.uuid4())):
        response = client.get(reverse("pathways_api:show_opportunity", kwargs={"opportunity_id": opportunity_id}))
        assert response.status_code == 404
        assert "detail" in response.json()


@pytest.mark.django_db
def test_the_opportunity_detail_tells_a_clinician_whether_they_may_apply(clinician, open_opportunity):
    """A clinician sees "eligible" or the rules they miss; the description comes as safe HTML too."""
    st4 = make_opportunity("chief-registrar", min_specialty_training_year=4, professions=["doctor"])
    client = api_for(clinician)

    body = client.get(reverse("pathways_api:show_opportunity", kwargs={"opportunity_id": open_opportunity.pk})).json()
    assert body["eligibility"] == {"eligible": True, "reasons": []}
    assert body["description"] == open_opportunity.description
    assert body["description_html"].startswith("<h2>")
    assert body["id"] == str(open_opportunity.pk)

    body = client.get(reverse("pathways_api:show_opportunity", kwargs={"opportunity_id": st4.pk})).json()
    assert body["eligibility"]["eligible"] is False
    assert body["eligibility"]["reasons"] == ["Open to doctors in specialty training at ST4 and above."]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "tb_admin", "hee_staff", "editor", "new_clinician"])
def test_the_eligibility_panel_is_null_for_anyone_without_a_clinician_profile(user_for_role, request, role):
    """Only a clinician with a profile can be judged eligible; everyone else still reads the opportunity."""
    opportunity = request.getfixturevalue("open_opportunity")
    user = request.getfixturevalue(role) if role == "new_clinician" else user_for_role(role)

    response = api_for(user).get(reverse("pathways_api:show_opportunity", kwargs={"opportunity_id": opportunity.pk}))

    assert response.status_code == 200
    assert response.json()["eligibility"] is None


# --- Eligible for me -------------------------------------------------------------------------------------------------


def a_spread_of_opportunities() -> None:
    """Opportunities that each test one eligibility rule, or none, from both sides of its boundary."""
    make_opportunity("for-anyone")
    make_opportunity("doctors-only", professions=["doctor"])
    make_opportunity("nurses-and-midwives", professions=["nurse", "midwife"])
    make_opportunity("nursing-associates", professions=["nursing_associate"])
    make_opportunity("specialty-trainees", career_stages=["specialty_training"])
    make_opportunity("band-7-and-8a", career_stages=["band_7", "band_8a"])
    make_opportunity("st4-and-above", min_specialty_training_year=4)
    make_opportunity("st3-and-above", min_specialty_training_year=3, professions=["doctor"])
    make_opportunity("at-least-4-years", min_years_since_registration=4)
    make_opportunity("at-least-5-years", min_years_since_registration=5)
    make_opportunity("up-to-4-years", max_years_since_registration=4)
    make_opportunity("up-to-3-years", max_years_since_registration=3)
    make_opportunity("10-to-20-years", min_years_since_registration=10, max_years_since_registration=20)
    make_opportunity("closed-yesterday", opens_in=-30, closes_in=-1)
    make_opportunity("opens-tomorrow", opens_in=1, closes_in=30)
    make_opportunity("closes-today", opens_in=-3, closes_in=0)
    make_opportunity("draft-for-anyone", status=ContentStatus.DRAFT, published_at=None)


PROFILES = {
    "doctor ST3, 4 years": {},
    "doctor ST5, 4 years": {"specialty_training_year": 5},
    "consultant, 15 years": {
        "career_stage": "consultant_gp",
        "specialty_training_year": None,
        "first_registration_year": -15,
    },
    "nurse band 7, 3 years": {
        "profession": "nurse",
        "regulator": "NMC",
        "registration_number": "12A3456E",
        "career_stage": "band_7",
        "specialty_training_year": None,
        "first_registration_year": -3,
    },
    "nursing associate band 5, 1 year": {
        "profession": "nursing_associate",
        "regulator": "NMC",
        "registration_number": "99Z9999Z",
        "career_stage": "band_5",
        "specialty_training_year": None,
        "first_registration_year": -1,
    },
}


def profile_with(facts: dict) -> ClinicianProfile:
    facts = dict(facts)
    if "regulator" in facts:
        facts["regulator"] = Regulator.objects.get(code=facts["regulator"])
    if "first_registration_year" in facts:
        facts["first_registration_year"] += timezone.localdate().year
    return ClinicianProfileFactory(**facts)


@pytest.mark.django_db
@pytest.mark.parametrize("facts", PROFILES.values(), ids=PROFILES.keys())
def test_eligible_for_me_lists_exactly_what_eligibility_for_allows(facts):
    """A clinician filtering to "eligible for me" sees every opportunity they may apply for today and nothing else,
    exactly as the detail page would judge each one."""
    a_spread_of_opportunities()
    profile = profile_with(facts)

    listed = slugs(api_for(profile.user).get(reverse("pathways_api:list_opportunities"), {"eligible_for": "me"}))

    expected = {
        opportunity.slug
        for opportunity in Opportunity.objects.filter(status=ContentStatus.PUBLISHED)
        if eligibility_for(opportunity=opportunity, profile=profile, today=timezone.localdate()).eligible
    }
    assert listed == expected
    assert "for-anyone" in listed
    assert not {"closed-yesterday", "opens-tomorrow", "draft-for-anyone"} & listed


@pytest.mark.django_db
def test_eligible_for_me_combines_with_the_other_filters(clinician):
    """ "Eligible for me" narrows whatever else is chosen."""
    a_spread_of_opportunities()
    make_opportunity("doctor-fellowship", kind=OpportunityKind.FELLOWSHIP, professions=["doctor"])
    make_opportunity("nurse-fellowship", kind=OpportunityKind.FELLOWSHIP, professions=["nurse"])

    listed = slugs(
        api_for(clinician).get(reverse("pathways_api:list_opportunities"), {"eligible_for": "me", "kind": "fellowship"})
    )

    assert listed == {"doctor-fellowship"}


@pytest.mark.django_db
def test_eligible_for_me_without_signing_in_answers_401_saying_why(open_opportunity):
    """An anonymous caller is told to sign in rather than being shown everything."""
    response = APIClient().get(reverse("pathways_api:list_opportunities"), {"eligible_for": "me"})

    assert response.status_code == 401
    assert "Sign in" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["new_clinician", "tb_admin", "hee_staff", "editor"])
def test_eligible_for_me_without_a_clinician_profile_answers_400_saying_why(request, role, open_opportunity):
    """Signed-in people with no clinician profile learn why the filter cannot apply to them."""
    response = api_for(request.getfixturevalue(role)).get(
        reverse("pathways_api:list_opportunities"), {"eligible_for": "me"}
    )

    assert response.status_code == 400
    assert "clinicians with a profile" in response.json()["eligible_for"][0]


@pytest.mark.django_db
def test_session_sign_in_also_works_for_eligible_for_me(client, clinician, open_opportunity):
    """A signed-in browser session can ask for its own eligible opportunities."""
    client.force_login(clinician)

    assert slugs(client.get(reverse("pathways_api:list_opportunities"), {"eligible_for": "me"})) == {
        open_opportunity.slug
    }


# --- Cost ------------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [10, 100])
def test_the_pathway_list_costs_the_same_queries_however_long(django_assert_max_num_queries, rows):
    """A hundred pathways list as fast as ten, filters included."""
    for number in range(rows):
        make_pathway(f"pathway-{number}", professions=["doctor"])
    client = APIClient()

    # count, page (target roles joined)
    with django_assert_max_num_queries(2):
        response = client.get(reverse("pathways_api:list_pathways"))
    assert response.json()["count"] == rows

    # plus the role slug lookup
    with django_assert_max_num_queries(3):
        response = client.get(
            reverse("pathways_api:list_pathways"),
            {"profession": "doctor", "role": "clinical-director", "level": "service"},
        )
    assert response.json()["count"] == rows


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [10, 100])
def test_a_pathway_costs_the_same_queries_however_many_steps(django_assert_max_num_queries, rows):
    """A long pathway opens as fast as a short one."""
    pathway = make_pathway("long-pathway")
    opportunity = make_opportunity("suggested")
    for order in range(1, rows + 1):
        PathwayStep.objects.create(pathway=pathway, order=order, title=f"Step {order}", description="Do it.")
        pathway.steps.get(order=order).suggested_opportunities.add(opportunity)

    # pathway, steps, suggested opportunities
    with django_assert_max_num_queries(3):
        response = APIClient().get(reverse("pathways_api:show_pathway", kwargs={"slug": pathway.slug}))
    assert len(response.json()["steps"]) == rows


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [10, 100])
def test_the_opportunity_list_costs_the_same_queries_however_long(clinician, django_assert_max_num_queries, rows):
    """A hundred opportunities list as fast as ten, "eligible for me" included."""
    Opportunity.objects.bulk_create([Opportunity(**opportunity_fields(f"opportunity-{n}")) for n in range(rows)])

    # count, page
    with django_assert_max_num_queries(2):
        response = APIClient().get(reverse("pathways_api:list_opportunities"), {"open": "true", "kind": "programme"})
    assert response.json()["count"] == rows

    client = api_for(clinician)
    # token, profile, count, page
    with django_assert_max_num_queries(4):
        response = client.get(
            reverse("pathways_api:list_opportunities"), {"eligible_for": "me", "profession": "doctor"}
        )
    assert response.json()["count"] == rows


# --- Schema ----------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_openapi_schema_documents_every_pathways_endpoint(client):
    """The published schema lists the four endpoints, their filters (with allowed values) and response bodies."""
    schema = client.get(reverse("api_schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    paths = schema["paths"]
    for path in (
        "/api/v1/pathways/",
        "/api/v1/pathways/{slug}/",
        "/api/v1/opportunities/",
        "/api/v1/opportunities/{opportunity_id}/",
    ):
        assert "get" in paths[path], path
    pathway_filters = {p["name"]: p for p in paths["/api/v1/pathways/"]["get"]["parameters"]}
    assert {"profession", "role", "level", "page"} <= set(pathway_filters)
    assert "national" in pathway_filters["level"]["schema"]["enum"]
    opportunity_filters = {p["name"]: p for p in paths["/api/v1/opportunities/"]["get"]["parameters"]}
    assert {"open", "kind", "profession", "eligible_for", "page"} <= set(opportunity_filters)
    assert opportunity_filters["eligible_for"]["schema"]["enum"] == ["me"]
    assert {"200", "400", "401"} <= set(paths["/api/v1/opportunities/"]["get"]["responses"])
    assert "404" in paths["/api/v1/opportunities/{opportunity_id}/"]["get"]["responses"]
    components = schema["components"]["schemas"]
    for name in ("PaginatedPathwayList", "PathwayDetail", "PathwayStep", "PaginatedOpportunityList"):
        assert name in components, name
    detail = components["OpportunityDetail"]["properties"]
    assert {"eligibility", "description_html", "is_open"} <= set(detail)
    assert {"body_html", "steps"} <= set(components["PathwayDetail"]["properties"])


def test_the_pathways_schema_generates_without_warnings():
    """Every pathways endpoint is described precisely enough that generation raises no warnings."""
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)

    ours = [message for message in GENERATOR_STATS._warn_cache if "pathways" in message or "enum" in message.lower()]
    assert ours == []
    assert not GENERATOR_STATS._error_cache


@pytest.mark.django_db
def test_a_clinician_without_a_profile_reads_everything_else(open_opportunity, published_pathway):
    """Before onboarding, a clinician can still browse pathways and opportunities through the API."""
    client = api_for(ClinicianFactory())

    assert slugs(client.get(reverse("pathways_api:list_pathways"))) == {published_pathway.slug}
    assert slugs(client.get(reverse("pathways_api:list_opportunities"))) == {open_opportunity.slug}
