"""The mutation score of each core rule, from the results `mutmut run` left under mutants/.

A mutant is caught when a test failed, or when the run timed out (an endless loop; counted apart, since a very busy
machine can slow a run that far too); it survives when every test that reached it passed, or no test reached it.
`mutmut show NAME` prints a surviving mutant's change.

    .venv/bin/python scripts/mutation_report.py            scores, then each survivor's name
"""

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


def main() -> int:
    root = Path("mutants")
    if not root.is_dir():
        print("No mutants/ folder: run `make mutation` first.", file=sys.stderr)
        return 1
    failed: dict[str, int] = defaultdict(int)
    timed_out: dict[str, int] = defaultdict(int)
    survivors: dict[str, list[str]] = defaultdict(list)
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

    print(f"{'rule':<14} {'mutants':>8} {'failed':>7} {'timeout':>8} {'survived':>9} {'score':>7}")
    for rule in RULES:
        caught = failed[rule] + timed_out[rule]
        total = caught + len(survivors[rule])
        score = f"{100 * caught / total:.1f}%" if total else "-"
        print(f"{rule:<14} {total:>8} {failed[rule]:>7} {timed_out[rule]:>8} {len(survivors[rule]):>9} {score:>7}")
    for rule in RULES:
        if survivors[rule]:
            print(f"\nSurvived ({rule}):")
            print("\n".join(f"  {name}" for name in sorted(survivors[rule], key=_natural)))
    return 0


def _natural(name: str) -> tuple[str, int]:
    stem, _, number = name.rpartition("__mutmut_")
    return stem, int(number)


if __name__ == "__main__":
    sys.exit(main())
