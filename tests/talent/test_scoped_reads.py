"""No view or endpoint reads clinicians' records except through the scoped selectors."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The apps that hold or read clinicians' records: talent, the pipeline, which counts them and lists them on
# drill-down, and exports, which writes those lists into files.
APPS = (ROOT / "talent", ROOT / "pipeline", ROOT / "exports")
# Where reads of clinician data may be written: the selectors and services (modules or packages), the clinician's
# own export, the filters (which only narrow a queryset they are given), the system check that the profiles' copies
# agree with their accounts (which names profile ids to an operator, no one's data), and the pipeline's stage rules
# (conditions that the selectors and the refresh apply, never a list of anyone).
ALLOWED = {
    "checks.py",
    "selectors.py",
    "services.py",
    "export.py",
    "filters.py",
    "stages.py",
}
PERSONAL_MODELS = {
    "ClinicianProfile",
    "InterestRecord",
    "SelfAssessment",
    "SelfAssessmentRating",
    "LeadershipExperience",
    "Qualification",
    "EqualityMonitoring",
    "ConsentEvent",
    "EarlyInterestSignal",
}


def direct_queries(path: Path) -> list[str]:
    """`Model.objects` uses of personal-data models in one module (`Model.objects.none()` reads nothing)."""
    found = []
    tree = ast.parse(path.read_text())
    harmless = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr == "none"}
    for node in ast.walk(tree):
        if id(node) in harmless:
            continue
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "objects"
            and isinstance(node.value, ast.Name)
            and node.value.id in PERSONAL_MODELS
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value.id}.objects")
    return found


@pytest.mark.parametrize(
    "module",
    sorted(
        p
        for app in APPS
        for p in app.rglob("*.py")
        if p.name not in ALLOWED and not {"migrations", "services", "selectors"} & set(p.relative_to(app).parts)
    ),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_views_forms_and_api_never_query_clinicians_directly(module):
    """Every list or record of clinicians a person sees went through clinicians_visible_to or their own profile."""
    assert direct_queries(module) == []
