"""The starter licence guidance lives in Markdown files, a folder per regulator; every file loads into the guidance
the service had before, and a broken file stops the load with a message naming it."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from regulators import starter_content
from regulators.models import LicenceGuidanceVersion
from regulators.starter_content import guidance_records

pytestmark = pytest.mark.django_db

GUIDANCE = [
    ("GDC", "renewal-and-cpd-in-leadership"),
    ("GDC", "returning-to-practice"),
    ("GMC", "keeping-your-licence-in-a-senior-role"),
    ("GMC", "leadership-work-and-revalidation"),
    ("GMC", "licence-and-registration"),
    ("GMC", "returning-to-clinical-practice"),
    ("GPhC", "returning-to-practice"),
    ("GPhC", "revalidation-in-a-leadership-role"),
    ("HCPC", "renewal-and-cpd-in-leadership"),
    ("HCPC", "returning-to-practice"),
    ("NMC", "returning-to-practice"),
    ("NMC", "revalidation-in-a-leadership-role"),
    ("NMC", "your-confirmer"),
]


def test_every_file_loads_with_both_sections():
    assert [(g["regulator"], g["slug"]) for g in guidance_records()] == GUIDANCE
    call_command("load_guidance", stdout=open("/dev/null", "w"))  # noqa: SIM115
    versions = LicenceGuidanceVersion.objects.select_related("guidance__regulator")
    assert sorted((v.guidance.regulator.code, v.guidance.slug) for v in versions) == GUIDANCE
    for version in versions:
        assert version.body.strip() and version.senior_leaders.strip()
        assert "How this applies to senior leaders" not in version.body + version.senior_leaders
    keeping = versions.get(guidance__slug="keeping-your-licence-in-a-senior-role")
    assert keeping.body.startswith("## What the licence needs")
    assert keeping.senior_leaders.startswith("A senior role does not end your licence.")
    assert sorted(keeping.roles.values_list("slug", flat=True)) == [
        "associate-medical-director",
        "chief-executive",
        "medical-director",
    ]


@pytest.fixture
def content(tmp_path, monkeypatch):
    copy = tmp_path / "guidance"
    shutil.copytree(starter_content.CONTENT, copy)
    monkeypatch.setattr(starter_content, "CONTENT", copy)
    return copy


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("# How this applies to senior leaders", "## How this applies to senior leaders", "then a line"),
        ("topics: [", "topics: [licence, ", "topics: licence is not one of"),
        ("roles: [", "roles: [chief-wizard, ", "roles: chief-wizard is not a leadership role"),
        ("summary:", "summary: [", "the front matter is not valid YAML"),
    ],
)
def test_a_broken_file_stops_the_load_and_names_the_file(content, old, new, message):
    file = content / "GMC" / "keeping-your-licence-in-a-senior-role.md"
    file.write_text(file.read_text().replace(old, new, 1))

    with pytest.raises(CommandError) as raised:
        call_command("load_guidance", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert str(raised.value).startswith(f"{file}: ")
    assert message in str(raised.value)
    assert not LicenceGuidanceVersion.objects.exists()


def test_a_folder_that_is_no_regulator_is_refused(content):
    (content / "GMC").rename(content / "General Medical Council")
    with pytest.raises(CommandError, match=r"General Medical Council/.*: its folder is not a regulator's code"):
        call_command("load_guidance", stdout=open("/dev/null", "w"))  # noqa: SIM115
