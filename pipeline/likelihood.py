"""Relative likelihood of reaching a pipeline stage (the NHS Workforce Race Equality Standard's measure, DESIGN.md
section 6), with its 95% confidence interval and the small-number rule. Plain Python, so it can be checked by hand.

For a group, ``a`` of the ``n`` at the stage before reached the stage; for the reference group, ``b`` of ``m``. The
relative likelihood is (a/n) / (b/m): 1.00 is parity, below 1 the group is less likely than the reference to move
on. The interval is exp(ln(RL) ± 1.96 · sqrt(1/a - 1/n + 1/b - 1/m)).

No figure when any of the four counts is from 1 to 7 or a group had nobody at the stage before: a ratio of small
counts would point to the few people behind it (the same threshold as `pipeline.suppression`).
"""

import math
from dataclasses import dataclass

from pipeline.suppression import SMALLEST_SHOWN

FIGURE = "figure"
TOO_FEW = "too_few"  # a group, or the reference, is too small to show
NONE_REACHED = "none_reached"  # nobody in the group reached the stage (and the group is large enough to say so)
REFERENCE_NONE_REACHED = "reference_none_reached"  # nobody in the reference group did: nothing to compare with
Z_95 = 1.96


@dataclass(frozen=True)
class RelativeLikelihood:
    status: str
    ratio: float | None = None
    low: float | None = None
    high: float | None = None


def _small(count: int) -> bool:
    return 1 <= count < SMALLEST_SHOWN


def relative_likelihood(*, a: int, n: int, b: int, m: int) -> RelativeLikelihood:
    """The relative likelihood of a group (a of n moved on) against the reference (b of m), rounded to two
    decimals, or why there is none."""
    if min(a, n, b, m) < 0 or a > n or b > m:
        raise ValueError("Counts must be 0 or more, and no more reach a stage than were at the one before.")
    if n == 0 or m == 0 or any(_small(count) for count in (a, n, b, m)):
        return RelativeLikelihood(TOO_FEW)
    if a == 0:
        return RelativeLikelihood(NONE_REACHED)
    if b == 0:
        return RelativeLikelihood(REFERENCE_NONE_REACHED)
    ratio = (a / n) / (b / m)
    error = math.sqrt(1 / a - 1 / n + 1 / b - 1 / m)
    spread = Z_95 * error
    return RelativeLikelihood(
        FIGURE,
        ratio=round(ratio, 2),
        low=round(math.exp(math.log(ratio) - spread), 2),
        high=round(math.exp(math.log(ratio) + spread), 2),
    )
