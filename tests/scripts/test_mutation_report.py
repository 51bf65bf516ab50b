"""`make mutation`'s report: survivors judged equivalent leave the score only while their code is what was judged."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "mutation_report.py"
spec = importlib.util.spec_from_file_location("mutation_report", SCRIPT)
mutation_report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mutation_report)

MUTANTS = """
def x_window__mutmut_1(today, opens_on):
    if today <= opens_on:
        return "opens later"


def x_window__mutmut_2(today, opens_on):
    if today > opens_on:
        return "opens later"
"""


def test_an_equivalent_survivor_is_matched_only_while_its_code_holds_the_judged_piece(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "windows.py").write_text(MUTANTS)
    listing = tmp_path / "equivalent.txt"
    listing.write_text(
        "# comments and blank lines are skipped\n\n"
        "rules.windows.x_window__mutmut_1\tif today <= opens_on:\ttoday == opens_on never gets here\n"
        "rules.windows.x_window__mutmut_2\tif today >= opens_on:\tjudged on older code\n"
    )

    matched, stale = mutation_report.equivalents(tmp_path, listing)

    assert matched == {"rules.windows.x_window__mutmut_1"}
    assert stale == ["rules.windows.x_window__mutmut_2"]


def test_every_listed_equivalent_names_a_rule_module_and_says_why():
    modules = {path for paths, _ in mutation_report.RULES.values() for path in paths}
    for line in mutation_report.EQUIVALENT.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, piece, why = line.split("\t")
        module = name.rsplit(".", 1)[0].replace(".", "/") + ".py"
        assert module in modules, name
        assert piece.strip() and len(why) > 20, name
