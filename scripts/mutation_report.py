"""The mutation score of each core rule, from the results `mutmut run` left under mutants/.

A mutant is caught when a test failed, or when the run timed out (an endless loop; counted apart, since a very busy
machine can slow a run that far too); it survives when every test that reached it passed, or no test reached it.
`mutmut show NAME` prints a surviving mutant's change.

    .venv/bin/python scripts/mutation_report.py            scores, then each survivor's name

A survivor judged equivalent (no one could ever observe the difference) is listed in scripts/mutation_equivalent.txt
with a piece of its changed code (compared with spaces and line breaks collapsed) and the reason; the report leaves
it out of the score ("score, equivalents out") only while the mutant's code still holds that piece, so a list made
for older code cannot hide a new survivor.
"""

import ast
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

# What each rule is: its modules, and optionally which of their functions (by name).
RULES = {
    "suppression": (["pipeline/suppression.py"], None),
    "nominations": (["talent/services/nominations.py"], None),
    "eligibility": (["pathways/selectors.py"], None),
    "nudges": (["talent/services/nudges.py"], None),
    "scoping": (["talent/selectors/clinicians.py"], None),
    "early career": (["talent/models/clinicians.py", "talent/filters.py"], re.compile(r"early_career")),
}
FAILED = {1, 3}  # mutmut's exit codes for a test run that failed
TIMED_OUT = {24, -24, 36, 152, 255}  # ran far longer than the tests do unchanged: an endless loop, caught too
NOT_RUN = {None, 2, 34}  # not checked, interrupted, skipped
EQUIVALENT = Path(__file__).with_name("mutation_equivalent.txt")


def equivalents(root: Path, listing: Path = EQUIVALENT, run: set[str] | None = None) -> tuple[set[str], list[str]]:
    """The survivors judged equivalent whose code still matches the list, and the list's lines that no longer do.
    `run`: the mutants this run made (others in the list are of modules it did not mutate)."""
    matched, stale = set(), []
    sources: dict[Path, dict[str, str]] = {}
    for line in listing.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, piece, _why = line.split("\t")
        if run is not None and name not in run:
            continue
        module, function = name.rsplit(".", 1)
        path = root / (module.replace(".", "/") + ".py")
        if not path.exists():  # a module this run did not mutate
            continue
        if path not in sources:
            text = path.read_text()
            tree = ast.parse(text)
            sources[path] = {
                node.name: ast.get_source_segment(text, node) or ""
                for node in ast.walk(tree)
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            }
        if " ".join(piece.split()) in " ".join(sources.get(path, {}).get(function, "").split()):
            matched.add(name)
        else:
            stale.append(name)
    return matched, stale


def main() -> int:
    root = Path("mutants")
    if not root.is_dir():
        print("No mutants/ folder: run `make mutation` first.", file=sys.stderr)
        return 1
    failed: dict[str, int] = defaultdict(int)
    timed_out: dict[str, int] = defaultdict(int)
    survivors: dict[str, list[str]] = defaultdict(list)
    run = {
        name
        for meta in root.rglob("*.meta")
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items()
        if code not in NOT_RUN
    }
    equivalent, stale = equivalents(root, run=run)
    for rule, (paths, functions) in RULES.items():
        results = {}
        for path in paths:
            meta = root / f"{path}.meta"
            if meta.exists():
                results.update(json.loads(meta.read_text())["exit_code_by_key"])
        for name, code in results.items():
            function = name.rsplit("__mutmut_", 1)[0].rsplit(".", 1)[-1]
            if functions is not None and not functions.search(function):
                continue
            if code in NOT_RUN:
                continue
            if code in FAILED:
                failed[rule] += 1
            elif code in TIMED_OUT:
                timed_out[rule] += 1
            else:
                survivors[rule].append(name)

    print(
        f"{'rule':<14} {'mutants':>8} {'failed':>7} {'timeout':>8} {'survived':>9} {'score':>7} "
        f"{'equivalent':>11} {'score, equivalents out':>23}"
    )
    for rule in RULES:
        caught = failed[rule] + timed_out[rule]
        total = caught + len(survivors[rule])
        same = len([name for name in survivors[rule] if name in equivalent])
        score = f"{100 * caught / total:.1f}%" if total else "-"
        judged = f"{100 * caught / (total - same):.1f}%" if total - same else "-"
        print(
            f"{rule:<14} {total:>8} {failed[rule]:>7} {timed_out[rule]:>8} {len(survivors[rule]):>9} {score:>7} "
            f"{same:>11} {judged:>23}"
        )
    for rule in RULES:
        open_ = [name for name in survivors[rule] if name not in equivalent]
        if open_:
            print(f"\nSurvived, not judged equivalent ({rule}):")
            print("\n".join(f"  {name}" for name in sorted(open_, key=_natural)))
    if stale:
        print(f"\nListed as equivalent in {EQUIVALENT.name} but the mutant's code has changed (judge them again):")
        print("\n".join(f"  {name}" for name in stale))
    return 0


def _natural(name: str) -> tuple[str, int]:
    stem, _, number = name.rpartition("__mutmut_")
    return stem, int(number)


if __name__ == "__main__":
    sys.exit(main())
