"""Relative likelihood (DESIGN.md section 6): the arithmetic, checked against figures worked out by hand."""

import pytest

from pipeline.likelihood import Likelihood, relative_likelihood


def rounded(likelihood: Likelihood) -> tuple[float, float, float]:
    return round(likelihood.ratio, 2), round(likelihood.low, 2), round(likelihood.high, 2)


def test_twice_as_likely_with_its_95_percent_interval():
    """50 of 1,000 against 200 of 8,000: (0.05 / 0.025) = 2.00; SE of the log sqrt(1/50 - 1/1000 + 1/200 - 1/8000)
    = 0.1545, so the interval is 2 * exp(±1.96 * 0.1545) = 1.48 to 2.71."""
    assert rounded(relative_likelihood(50, 1000, 200, 8000)) == (2.0, 1.48, 2.71)


def test_parity_is_one_and_a_smaller_group_is_less_likely():
    assert rounded(relative_likelihood(50, 700, 50, 700)) == (1.0, 0.69, 1.46)
    assert rounded(relative_likelihood(30, 1500, 200, 8000)) == (0.8, 0.55, 1.17)


def test_everyone_reaching_the_stage_has_no_uncertainty_from_that_group():
    """a = n: the group's own term 1/a - 1/n is zero, not negative."""
    assert rounded(relative_likelihood(10, 10, 10, 20)) == (2.0, 1.29, 3.1)


@pytest.mark.parametrize(
    ("a", "n", "b", "m"),
    [(0, 100, 10, 100), (10, 100, 0, 100), (10, 0, 10, 100), (10, 100, 10, 0), (11, 10, 10, 100), (10, 100, 101, 100)],
)
def test_no_likelihood_when_nobody_got_there_a_group_is_empty_or_counts_are_not_a_proportion(a, n, b, m):
    assert relative_likelihood(a, n, b, m) is None
