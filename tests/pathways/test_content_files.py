"""The starter pathways and opportunities live in Markdown files editors can review; every file loads into the
records the service had before, and a broken file stops the load with a message naming it."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pathways import starter_content
from pathways.content_files import ContentError
from pathways.models import Opportunity, Pathway, PathwayStep
from pathways.starter_content import opportunity_records, pathway_records

OPPORTUNITY_SLUGS = [
    "aspiring-chief-executive-programme",
    "chief-pharmaceutical-officers-clinical-fellow-scheme",
    "chief-registrar-programme",
    "early-career-clinical-leadership-mentoring",
    "edward-jenner-programme",
    "elizabeth-garrett-anderson-programme",
    "fmlm-associate-fellow",
    "fmlm-fellow",
    "fmlm-senior-fellow",
    "integrated-care-board-clinical-leadership-secondment",
    "mary-seacole-programme",
    "national-medical-directors-clinical-fellow-scheme",
    "nye-bevan-programme",
    "ready-now-programme",
    "rosalind-franklin-programme",
]
PATHWAY_SLUGS = [
    "ahp-to-chief-ahp",
    "ahp-to-clinical-lead",
    "clinician-to-chief-clinical-information-officer",
    "clinician-to-chief-executive",
    "clinician-to-chief-operating-officer",
    "clinician-to-system-clinical-leader",
    "dentist-to-clinical-director",
    "doctor-to-associate-medical-director",
    "doctor-to-clinical-director",
    "doctor-to-medical-director",
    "midwife-to-director-of-midwifery",
    "nurse-to-chief-nurse",
    "pharmacist-to-chief-pharmacist",
]


def test_every_file_reads_into_an_item_with_its_words():
    opportunities, pathways = opportunity_records(), pathway_records()
    assert [o["slug"] for o in opportunities] == OPPORTUNITY_SLUGS
    assert [p["slug"] for p in pathways] == PATHWAY_SLUGS
    assert all(o["description"].startswith("## What it involves") for o in opportunities)
    assert all(p["body"].strip() and p["steps"] for p in pathways)
    assert sum(len(p["steps"]) for p in pathways) == 48


@pytest.mark.django_db
def test_the_command_loads_every_file_as_before():
    call_command("load_starter_content", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(Opportunity.objects.values_list("slug", flat=True)) == OPPORTUNITY_SLUGS
    assert sorted(Pathway.objects.values_list("slug", flat=True)) == PATHWAY_SLUGS
    assert PathwayStep.objects.count() == 48
    assert not Opportunity.objects.filter(description="").exists()
    assert not Pathway.objects.filter(body="").exists()
    registrar = Opportunity.objects.get(slug="chief-registrar-programme")
    assert registrar.min_specialty_training_year == 4 and registrar.nomination_required and registrar.places == 100
    assert "**ST4 or above**" in registrar.description
    assert registrar.description.endswith(f"check them with [the provider]({registrar.link}) before you apply.*")
    step = PathwayStep.objects.get(pathway__slug="doctor-to-clinical-director", order=3)
    assert step.description == "Lead a team or pathway: rotas, guidelines, audit and the team's development."
    assert list(step.suggested_opportunities.values_list("slug", flat=True)) == ["rosalind-franklin-programme"]


@pytest.fixture
def content(tmp_path, monkeypatch) -> Path:
    """A copy of the content folder the loader reads, for a test to break."""
    copy = tmp_path / "content"
    shutil.copytree(starter_content.CONTENT, copy)
    monkeypatch.setattr(starter_content, "CONTENT", copy)
    return copy


REGISTRAR = "opportunities/chief-registrar-programme.md"
DIRECTOR = "pathways/doctor-to-clinical-director.md"


@pytest.mark.parametrize(
    ("path", "old", "new", "message"),
    [
        (REGISTRAR, "places: 100", "places: [100", "the front matter is not valid YAML"),
        (REGISTRAR, "---\ntitle:", "title:", "must start with YAML front matter"),
        (REGISTRAR, "places: 100", "places: a hundred", "places must be a whole number, not 'a hundred'"),
        (REGISTRAR, "places: 100", "place: 100", "unknown field place"),
        (REGISTRAR, "kind: programme\n", "", "missing field kind"),
        (REGISTRAR, "[specialty_training]", "[specialty_trainee]", "career_stages: specialty_trainee is not one of"),
        (REGISTRAR, "closes_in_days: 40", "closes_in_days: -20", "closes"),
        (DIRECTOR, "[rosalind-franklin-programme]", "[rosalind-franklin]", "step 3: no starter opportunity"),
        (DIRECTOR, "  typical_duration: 12 months\n", "", "step 2: missing field typical_duration"),
        (DIRECTOR, "target_role: clinical-director", "target_role: clinical-boss", "not a leadership role"),
    ],
)
@pytest.mark.django_db
def test_a_broken_file_stops_the_load_and_names_the_file(content, path, old, new, message):
    file = content / path
    assert old in file.read_text()
    file.write_text(file.read_text().replace(old, new, 1))

    with pytest.raises(CommandError) as raised:
        call_command("load_starter_content", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert str(raised.value).startswith(f"{file}: ")
    assert message in str(raised.value)
    assert not Opportunity.objects.exists() and not Pathway.objects.exists()


def test_a_file_without_text_or_with_a_name_that_is_no_slug_is_refused(content):
    folder = content / "opportunities"
    (folder / "chief-registrar-programme.md").write_text("---\ntitle: Chief registrar\n---\n\n")
    with pytest.raises(ContentError, match=r"chief-registrar-programme\.md: has no Markdown text"):
        opportunity_records()
    (folder / "chief-registrar-programme.md").unlink()
    (folder / "Chief Registrar.md").write_text("---\ntitle: Chief registrar\n---\nText\n")
    with pytest.raises(ContentError, match=r"Chief Registrar\.md: the file name is the slug"):
        opportunity_records()
