"""Relative likelihood (NHS Workforce Race Equality Standard; DESIGN.md section 6, "Relative likelihood"): how much
more or less likely one group is than the reference group to get somewhere, with its 95% confidence interval.

1.00 is parity; above 1 the group is more likely than the reference group, below 1 less likely. The interval comes
from the log of the ratio, whose standard error is sqrt(1/a - 1/n + 1/b - 1/m).
"""

import math
from dataclasses import dataclass

# The normal distribution's 97.5th centile: 95% of the interval's weight lies within this many standard errors.
Z_95 = 1.959963984540054


@dataclass(frozen=True)
class Likelihood:
    ratio: float
    low: float
    high: float


def relative_likelihood(a: int, n: int, b: int, m: int) -> Likelihood | None:
    """`a` of the group's `n` got there, and `b` of the reference group's `m`: (a/n) / (b/m), with its 95% interval.

    None when it cannot be worked out: nobody got there in either group (a ratio of zero or infinity has no
    interval on the log scale), a group is empty, or more got there than there were (the counts do not describe
    one group, so they are not a proportion)."""
    if min(a, b) <= 0 or a > n or b > m:
        return None
    ratio = (a / n) / (b / m)
    error = math.sqrt(1 / a - 1 / n + 1 / b - 1 / m)
    spread = Z_95 * error
    return Likelihood(ratio=ratio, low=ratio * math.exp(-spread), high=ratio * math.exp(spread))
