"""`make mutation` copies the project into a tree of its own: every app must be in it, or the suite cannot import."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_app_of_the_project_is_copied_for_mutation_testing():
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    copied = {*settings["source_paths"], *settings["also_copy"]}
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}

    assert apps - copied == set()
