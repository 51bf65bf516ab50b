"""Finding a pathway: search ranked by relevance (the title first, then the summary, then the steps), PostgreSQL
full-text search through a GIN index with a plain match where there is none (SQLite), the profession filter starting
at the clinician's own, and the licence checkpoint of a pathway speaking of its target role below its content."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from pathways.models import LeadershipRole, Pathway, PathwayStep
from pathways.selectors import _matched, pathways_searched, pathways_visible_to
from tests.factories import ClinicianProfileFactory
from tests.pathways.test_services import make_pathway
from tests.regulators.fixtures import make_guidance_version

pytestmark = pytest.mark.django_db

LIST = reverse("pathways:list_pathways")


@pytest.fixture
def three_pathways():
    """ "Governance" is in one pathway's title, another's summary and a third's steps."""
    in_steps = make_pathway("in-steps", title="Alpha pathway")
    PathwayStep.objects.create(
        pathway=in_steps, order=1, title="Board skills", description="Learn clinical governance on the board."
    )
    in_summary = make_pathway("in-summary", title="Beta pathway")
    in_summary.summary = "Lead clinical governance for a division."
    in_summary.save()
    make_pathway("in-title", title="Zulu governance pathway")
    return ["Zulu governance pathway", "Beta pathway", "Alpha pathway"]


def titles(page: str) -> list[str]:
    return re.findall(r'class="nhsuk-card__link" href="[^"]+">([^<]+)</a>', page)


def test_a_search_lists_a_title_match_first_then_the_summary_then_the_steps(client, three_pathways):
    page = client.get(LIST, {"search": "governance"}).content.decode()

    assert titles(page) == three_pathways
    assert "Most relevant first" in page


def test_search_finds_words_by_their_stem_and_start(client, three_pathways):
    """ "govern" finds governance, and every word must match somewhere in the pathway."""
    assert titles(client.get(LIST, {"search": "govern"}).content.decode()) == three_pathways
    assert titles(client.get(LIST, {"search": "governance board"}).content.decode()) == ["Alpha pathway"]


def test_the_target_role_is_searched_too(client):
    make_pathway("towards", title="Towards leadership", role="clinical-director")
    assert titles(client.get(LIST, {"search": "director clinical"}).content.decode()) == ["Towards leadership"]


def test_search_text_never_reaches_the_query_syntax(client, three_pathways):
    for text in ["governance & !", "gov:* | ' \\", "<>()!&|:*", "'"]:
        assert client.get(LIST, {"search": text}).status_code == 200


def test_editing_a_step_changes_what_finds_its_pathway(client):
    pathway = make_pathway("editable", title="Editable pathway")
    step = PathwayStep.objects.create(pathway=pathway, order=1, title="Step", description="Quality improvement.")
    assert titles(client.get(LIST, {"search": "quality"}).content.decode()) == ["Editable pathway"]
    step.description = "Finance and budgets."
    step.save()
    assert titles(client.get(LIST, {"search": "quality"}).content.decode()) == []
    step.delete()
    assert titles(client.get(LIST, {"search": "finance"}).content.decode()) == []


def test_the_search_uses_its_gin_index():
    """The index exists and PostgreSQL can answer the search from it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'pathway_search'")
        (definition,) = cursor.fetchone()
    assert "USING gin (search_vector)" in definition
    searched = pathways_searched(Pathway.objects.all(), "governance")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = searched.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "pathway_search" in plan


def test_without_full_text_search_a_plain_match_ranks_the_same_way(three_pathways):
    """What SQLite (`make run`) uses: every word must appear; the title counts most, then the summary."""
    found = _matched(pathways_visible_to(None), ["governance"])
    assert [pathway.title for pathway in found] == three_pathways
    assert [pathway.title for pathway in _matched(pathways_visible_to(None), ["governance", "board"])] == [
        "Alpha pathway"
    ]


# --- The profession filter starts at the clinician's own -------------------------------------------------------------


def test_the_profession_filter_starts_at_the_clinicians_profession(client):
    make_pathway("for-nurses", title="Nurses pathway", professions=["nurse"])
    make_pathway("for-doctors", title="Doctors pathway", professions=["doctor"])
    client.force_login(ClinicianProfileFactory(profession="doctor").user)

    page = client.get(LIST).content.decode()

    assert '<option value="doctor" selected>' in page
    assert titles(page) == ["Doctors pathway"]
    # "Any profession" stays a choice, and "Clear" shows every pathway.
    assert titles(client.get(LIST, {"profession": ""}).content.decode()) == ["Doctors pathway", "Nurses pathway"]
    assert f'href="{LIST}?profession="' in page


def test_visitors_start_with_every_profession(client):
    make_pathway("for-nurses", title="Nurses pathway", professions=["nurse"])
    make_pathway("for-doctors", title="Doctors pathway", professions=["doctor"])
    assert titles(client.get(LIST).content.decode()) == ["Doctors pathway", "Nurses pathway"]


# --- The licence checkpoint on a pathway -----------------------------------------------------------------------------


def test_a_pathways_checkpoint_speaks_of_its_target_role_below_its_content(client, clinician):
    """A doctor who aims for nothing yet reads a pathway into medical director: the checkpoint names that role and
    its guidance, after the pathway's steps."""
    make_guidance_version(title="Keeping your licence as a medical director", roles=["medical-director"])
    pathway = make_pathway("into-md", title="Into medical director", role="medical-director")
    PathwayStep.objects.create(pathway=pathway, order=1, title="Lead a service", description="Lead a service.")
    client.force_login(clinician)

    page = client.get(reverse("pathways:show_pathway", kwargs={"slug": pathway.slug})).content.decode()

    assert "This pathway leads to medical director, a role at organisation (board) level." in page
    assert "GMC guidance for a medical director" in page
    assert "Keeping your licence as a medical director" in page
    assert page.index("Lead a service</h3>") < page.index("Licence checkpoint: GMC")


def test_a_pathway_into_a_service_role_has_no_checkpoint_even_for_a_board_aspirant(client, clinician):
    from tests.regulators.test_checkpoint import target

    target(clinician.clinician_profile, "medical-director")
    pathway = make_pathway("into-cd", title="Into clinical director", role="clinical-director")
    client.force_login(clinician)
    page = client.get(reverse("pathways:show_pathway", kwargs={"slug": pathway.slug})).content.decode()
    assert "Licence checkpoint" not in page
    assert LeadershipRole.objects.get(slug="clinical-director").level == "service"
