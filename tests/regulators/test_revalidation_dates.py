"""Cycle arithmetic and status: what date a clinician is told their revalidation is due, and how urgent it looks."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regulators.models import Regulator
from regulators.revalidation import (
    RevalidationStatus,
    add_months,
    next_due_from,
    reminder_stage,
    revalidation_status,
)

# DESIGN.md section 7 (and, for the four with yearly renewal, the cycle the data migration gives them).
CYCLES = {"GMC": 60, "NMC": 36, "HCPC": 24, "GPhC": 12, "GDC": 12, "GOC": 12, "GOsC": 12, "GCC": 12, "AHCS": 12}


@pytest.mark.django_db
def test_each_regulator_has_the_cycle_of_the_design():
    assert dict(Regulator.objects.values_list("code", "revalidation_cycle_months")) == CYCLES


@pytest.mark.parametrize(
    ("code", "last", "due"),
    [
        ("GMC", date(2021, 6, 15), date(2026, 6, 15)),
        ("NMC", date(2023, 4, 1), date(2026, 4, 1)),
        ("HCPC", date(2024, 9, 30), date(2026, 9, 30)),
        ("GPhC", date(2025, 12, 31), date(2026, 12, 31)),
        ("GDC", date(2025, 7, 31), date(2026, 7, 31)),
        # Leap days: the anniversary falls back to 28 February in years without a 29th, never into March.
        ("GMC", date(2024, 2, 29), date(2029, 2, 28)),
        ("NMC", date(2024, 2, 29), date(2027, 2, 28)),
        ("HCPC", date(2024, 2, 29), date(2026, 2, 28)),
        ("GPhC", date(2024, 2, 29), date(2025, 2, 28)),
        ("GDC", date(2024, 2, 29), date(2025, 2, 28)),
        # Four years from a leap day is a leap day again.
        ("GMC", date(2020, 2, 29), date(2025, 2, 28)),
    ],
)
def test_next_due_date_is_one_cycle_after_the_last(code, last, due):
    assert next_due_from(last, CYCLES[code]) == due


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
    ],
)
def test_month_ends_fall_back_to_the_last_day_of_the_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


@given(day=st.dates(min_value=date(1950, 1, 1), max_value=date(2200, 12, 31)), months=st.sampled_from([12, 24, 36, 60]))
def test_a_cycle_lands_in_the_right_month_never_after_the_anniversary(day, months):
    """Whatever the day, the due date is in the month `months` later, on the same day or (when that month is
    shorter) its last day: never later than the true anniversary."""
    due = add_months(day, months)
    assert (due.year * 12 + due.month) - (day.year * 12 + day.month) == months
    assert due.day == day.day or (due.day < day.day and (due + timedelta(days=1)).day == 1)


@given(day=st.dates(min_value=date(1950, 1, 1), max_value=date(2200, 12, 31)), months=st.integers(1, 120))
def test_a_cycle_forward_then_back_returns_to_the_day_unless_it_was_clamped(day, months):
    there = add_months(day, months)
    back = add_months(there, -months)
    assert back == day or (back < day and back.month == day.month)


TODAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("due", "status", "label", "colour"),
    [
        (TODAY - timedelta(days=1), RevalidationStatus.OVERDUE, "Overdue", "red"),
        (TODAY, RevalidationStatus.DUE_SOON, "Due within 90 days", "orange"),
        (TODAY + timedelta(days=90), RevalidationStatus.DUE_SOON, "Due within 90 days", "orange"),
        (TODAY + timedelta(days=91), RevalidationStatus.ON_TRACK, "On track", "green"),
    ],
)
def test_status_is_red_when_overdue_amber_within_90_days_and_always_in_words(due, status, label, colour):
    shown = revalidation_status(due, TODAY)
    assert (shown.status, shown.label, shown.colour) == (status, label, colour)
    assert shown.tag_class == f"nhsuk-tag nhsuk-tag--{colour}"
    assert shown.explanation  # words beside the colour


@pytest.mark.parametrize(
    ("days", "stage"),
    [(120, None), (91, None), (90, "90"), (31, "90"), (30, "30"), (0, "30"), (-1, "overdue")],
)
def test_reminder_stage_by_days_to_go(days, stage):
    assert reminder_stage(TODAY + timedelta(days=days), TODAY) == stage
