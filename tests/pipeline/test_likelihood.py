"""Relative likelihood (DESIGN.md section 6): the arithmetic, checked against figures worked out by hand."""

import pytest

from pipeline.likelihood import NONE_REACHED, REFERENCE_NONE_REACHED, TOO_FEW, relative_likelihood


def figure(a, n, b, m):
    result = relative_likelihood(a=a, n=n, b=b, m=m)
    return result.status, result.ratio, result.low, result.high


def test_twice_as_likely_with_its_95_percent_interval():
    """50 of 1,000 against 200 of 8,000: (0.05 / 0.025) = 2.00; SE of the log sqrt(1/50 - 1/1000 + 1/200 - 1/8000)
    = 0.1545, so the interval is 2 * exp(±1.96 * 0.1545) = 1.48 to 2.71."""
    assert figure(50, 1000, 200, 8000) == ("figure", 2.0, 1.48, 2.71)


def test_parity_is_one_and_a_smaller_group_is_less_likely():
    assert figure(50, 700, 50, 700) == ("figure", 1.0, 0.69, 1.46)
    assert figure(30, 1500, 200, 8000) == ("figure", 0.8, 0.55, 1.17)


def test_everyone_reaching_the_stage_has_no_uncertainty_from_that_group():
    """a = n: the group's own term 1/a - 1/n is zero, not negative."""
    assert figure(10, 10, 10, 20) == ("figure", 2.0, 1.29, 3.1)


@pytest.mark.parametrize(
    ("a", "n", "b", "m", "status"),
    [
        (0, 100, 10, 100, NONE_REACHED),
        (10, 100, 0, 100, REFERENCE_NONE_REACHED),
        (0, 0, 10, 100, TOO_FEW),
        (10, 100, 0, 0, TOO_FEW),
    ],
)
def test_no_figure_when_nobody_got_there_or_a_group_is_empty(a, n, b, m, status):
    assert figure(a, n, b, m) == (status, None, None, None)


@pytest.mark.parametrize(("a", "n", "b", "m"), [(11, 10, 10, 100), (10, 100, 101, 100), (-1, 10, 10, 100)])
def test_counts_that_are_not_a_proportion_are_refused(a, n, b, m):
    with pytest.raises(ValueError):
        relative_likelihood(a=a, n=n, b=b, m=m)
