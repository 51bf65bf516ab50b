"""No view or endpoint reads clinicians' records except through the scoped selectors."""

import ast
from pathlib import Path

import pytest

TALENT = Path(__file__).resolve().parents[2] / "talent"
# Where reads of clinician data may be written: the selectors and services packages, the clinician's own export,
# the filters (which only narrow a queryset they are given), and the system check that the profiles' copies agree
# with their accounts (which names profile ids to an operator, no one's data).
ALLOWED = {
    "checks.py",
    "selectors.py",
    "services.py",
    "export.py",
    "filters.py",
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
            found.append(f"{path.relative_to(TALENT.parent)}:{node.lineno} {node.value.id}.objects")
    return found


@pytest.mark.parametrize(
    "module",
    sorted(
        p
        for p in TALENT.rglob("*.py")
        if p.name not in ALLOWED and not {"migrations", "services", "selectors"} & set(p.relative_to(TALENT).parts)
    ),
    ids=lambda p: str(p.relative_to(TALENT)),
)
def test_views_forms_and_api_never_query_clinicians_directly(module):
    """Every list or record of clinicians a person sees went through clinicians_visible_to or their own profile."""
    assert direct_queries(module) == []
