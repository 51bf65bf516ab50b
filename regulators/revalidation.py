"""Revalidation arithmetic: the next due date from a regulator's cycle, and the status a clinician sees.

Pure functions (no database), so the rules are easy to test exhaustively.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# Reminders and the amber status start this many days before the due date.
DUE_SOON_DAYS = 90
# The second reminder.
FINAL_REMINDER_DAYS = 30


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later (or earlier, when negative). When that month is shorter, the last day
    of it: 29 February 2024 + 12 months is 28 February 2025, 31 August + 6 months is 28 (or 29) February.

    Falling back to the end of the month keeps the due date on or before the true anniversary, never after it, so a
    clinician is never told they have longer than they do."""
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due_from(last: date, cycle_months: int) -> date:
    """The next revalidation or renewal date: one cycle after the last one."""
    return add_months(last, cycle_months)


class RevalidationStatus(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ON_TRACK = "on_track"


@dataclass(frozen=True)
class StatusDisplay:
    """What the clinician sees: words first, and the NHS.UK tag colour as a second cue (never the only one)."""

    status: RevalidationStatus
    label: str
    colour: str
    days: int  # days until due (negative when overdue)

    @property
    def tag_class(self) -> str:
        return f"nhsuk-tag nhsuk-tag--{self.colour}"

    @property
    def explanation(self) -> str:
        if self.status == RevalidationStatus.OVERDUE:
            overdue = -self.days
            return f"Your due date passed {overdue} day{'s' if overdue != 1 else ''} ago."
        if self.days == 0:
            return "Your revalidation or renewal is due today."
        return f"{self.days} day{'s' if self.days != 1 else ''} to go."


def revalidation_status(next_due_on: date, today: date) -> StatusDisplay:
    """Red when overdue, amber within 90 days (the due day itself included), green otherwise."""
    days = (next_due_on - today).days
    if days < 0:
        return StatusDisplay(RevalidationStatus.OVERDUE, "Overdue", "red", days)
    if days <= DUE_SOON_DAYS:
        return StatusDisplay(RevalidationStatus.DUE_SOON, f"Due within {DUE_SOON_DAYS} days", "orange", days)
    return StatusDisplay(RevalidationStatus.ON_TRACK, "On track", "green", days)


def reminder_stage(next_due_on: date, today: date) -> str | None:
    """Which reminder is owed today: "90", "30", "overdue", or None. Each stage is sent once (the outbox key names
    the stage), so a clinician who records a date 20 days away gets the 30-day reminder only, not a late 90-day one."""
    if next_due_on < today:
        return "overdue"
    if next_due_on <= today + timedelta(days=FINAL_REMINDER_DAYS):
        return "30"
    if next_due_on <= today + timedelta(days=DUE_SOON_DAYS):
        return "90"
    return None
