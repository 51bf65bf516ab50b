"""Representation along the pipeline: for each equality attribute, how likely each group is to reach a stage from
the stage before, compared with a reference group (`pipeline.likelihood`, WRES style). Read from the same rows as
the backgrounds of leaders (equality answer by furthest stage), so it costs no query of its own.

Reference groups: White for ethnic group (as the NHS Workforce Race Equality Standard) and "No" for disability (as
the Workforce Disability Equality Standard); for the other attributes, the largest answered group at the first stage
of the view. Clinicians who did not answer or preferred not to say are never the reference and get no figure. No
count leaves here, only ratios, and none from a group of 1 to 7. The ratios are worked out from the counts rounded to
the nearest 5, as the backgrounds show them, so two views that differ by one person give the same figures unless the
rounding turns; and a view whose backgrounds hide the whole pipeline column (a wider view counts only a few more
people, `pipeline.selectors.figures._columns_near_a_wider_view`) shows no figure at all.
"""

from collections.abc import Iterable
from itertools import pairwise

from pipeline.likelihood import (
    FIGURE,
    NONE_REACHED,
    REFERENCE_NONE_REACHED,
    TOO_FEW,
    RelativeLikelihood,
    relative_likelihood,
)
from pipeline.stages import funnel_from_counts
from pipeline.suppression import is_primary, round_to_five
from talent.models import PREFER_NOT_TO_SAY, EthnicGroup, YesNo

REFERENCE = "reference"
WITHHELD = "withheld"  # a wider view counts only a few more people: any figure could describe those few
NOT_COMPARED = {"", PREFER_NOT_TO_SAY[0]}
FIXED_REFERENCES = {
    "ethnic_group": (EthnicGroup.WHITE.value, "as in the NHS Workforce Race Equality Standard"),
    "disability": (YesNo.NO.value, "as in the NHS Workforce Disability Equality Standard"),
}
LARGEST_GROUP = "the largest group at the {stage} stage in these figures"


def _rounded_likelihood(*, a: int, n: int, b: int, m: int) -> RelativeLikelihood:
    """The likelihood of the counts as the backgrounds would show them: a small count (1 to 7) is too few whatever
    it rounds to (2 would round to 0 and read as "none reached")."""
    if any(is_primary(count) for count in (a, n, b, m)):
        return RelativeLikelihood(TOO_FEW)
    return relative_likelihood(a=round_to_five(a), n=round_to_five(n), b=round_to_five(b), m=round_to_five(m))


def representation_transitions() -> list[dict]:
    """Each stage with the one before it, in the pipeline's order (whatever stages there are)."""
    stages = funnel_from_counts({})
    return [
        {"key": stage["key"], "label": stage["label"], "from_key": before["key"], "from_label": before["label"]}
        for before, stage in pairwise(stages)
    ]


def pipeline_representation(
    rows: Iterable[dict], attributes: dict[str, tuple[str, list]], *, withheld: bool = False
) -> dict:
    """From (attribute, value, stage, n) rows (furthest stage; rows without a stage are skipped), the relative
    likelihood of each answered group at each transition, per attribute in `attributes` (key: (label, choices)).
    `withheld`: no figure for any group (the reference is still named)."""
    at_stage: dict[str, dict[str, dict[int, int]]] = {}
    for row in rows:
        if row["attribute"] in attributes and row.get("stage") is not None:
            counts = at_stage.setdefault(row["attribute"], {}).setdefault(row["value"], {})
            counts[row["stage"]] = counts.get(row["stage"], 0) + row["n"]
    transitions = representation_transitions()
    first_stage = funnel_from_counts({})[0]
    tables = []
    for attribute, (label, choices) in attributes.items():
        reached = {
            value: {stage["key"]: stage["count"] for stage in funnel_from_counts(counts)}
            for value, counts in at_stage.get(attribute, {}).items()
        }
        compared = [(code, name) for code, name in choices if code not in NOT_COMPARED]
        names = dict(compared)
        if attribute in FIXED_REFERENCES:
            reference, basis = FIXED_REFERENCES[attribute]
        else:
            sizes = {code: reached.get(code, {}).get(first_stage["key"], 0) for code, _ in compared}
            largest = max(sizes, key=sizes.get, default=None)  # of equals, the first in the question's order
            reference = largest if largest is not None and sizes[largest] else None
            basis = LARGEST_GROUP.format(stage=first_stage["label"])
        base = reached.get(reference, {})
        table_rows = []
        for code, name in compared:
            cells = []
            for transition in transitions:
                if code == reference:
                    cells.append(
                        {"transition": transition["key"], "status": REFERENCE, "ratio": None, "low": None, "high": None}
                    )
                    continue
                if withheld:
                    cells.append(
                        {"transition": transition["key"], "status": WITHHELD, "ratio": None, "low": None, "high": None}
                    )
                    continue
                group = reached.get(code, {})
                figure = _rounded_likelihood(
                    a=group.get(transition["key"], 0),
                    n=group.get(transition["from_key"], 0),
                    b=base.get(transition["key"], 0),
                    m=base.get(transition["from_key"], 0),
                )
                cells.append(
                    {
                        "transition": transition["key"],
                        "status": figure.status,
                        "ratio": figure.ratio,
                        "low": figure.low,
                        "high": figure.high,
                    }
                )
            table_rows.append({"value": code, "label": name, "reference": code == reference, "cells": cells})
        tables.append(
            {
                "key": attribute,
                "label": label,
                "reference": {"value": reference, "label": names[reference], "basis": basis} if reference else None,
                "rows": table_rows,
            }
        )
    return {"transitions": transitions, "attributes": tables}


STATUS_TEXT = {
    REFERENCE: "reference",
    WITHHELD: "hidden: a wider view counts only a few more people",
    TOO_FEW: "too few to show",
    NONE_REACHED: "none reached",
    REFERENCE_NONE_REACHED: "none of the reference group reached it",
}


def representation_cell_text(cell: dict) -> str:
    """A cell as the page and the CSV show it: "0.85 (0.70 to 1.03)", or why there is no figure."""
    if cell["status"] == FIGURE:
        return f"{cell['ratio']:.2f} ({cell['low']:.2f} to {cell['high']:.2f})"
    return STATUS_TEXT[cell["status"]]
