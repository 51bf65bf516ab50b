"""Follow-up rates of nudges for the HEE dashboard: per training body and per region, items opened, closed within
their due time, overdue, median days to close and how they were closed. Plain counts, never a clinician's name or
free text; small numbers follow `pipeline.suppression`. One grouped query per table, whatever the number of items.
"""

from datetime import date, timedelta
from statistics import median

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone

from accounts.models import User
from pipeline.selectors.scope import pipeline_scope_for
from pipeline.suppression import HIDDEN, shown, suppress_table
from talent.models import CareerConversation, FollowUp, FollowUpOutcome

BY_TRAINING_BODY = "training_body"
BY_REGION = "region"
GROUPINGS = {
    BY_TRAINING_BODY: ("training_body_id", "training_body__name"),
    BY_REGION: ("training_body__region_id", "training_body__region__name"),
}
# How an item ended, as columns; with "still open" they add up to the items opened.
OUTCOME_COLUMNS = [(outcome.value, outcome.label) for outcome in FollowUpOutcome]
COLUMNS = [
    ("opened", "Opened"),
    ("closed_in_time", "Closed within the due time"),
    ("overdue", "Overdue"),
    ("median_days", "Median days to close"),
    *OUTCOME_COLUMNS,
    ("still_open", "Still open"),
    ("conversations", "Career conversations recorded"),
]
# A median of fewer closed items is one or two bodies' handful of people: not shown.
MEDIAN_MINIMUM = 8


class Median(Aggregate):
    """PostgreSQL's median of an interval (`percentile_cont`); other databases work it out from the rows."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _time_to_close():
    return ExpressionWrapper(F("closed_at") - F("opened_at"), output_field=DurationField())


def _scoped(user: User, model=FollowUp):
    scope = pipeline_scope_for(user)
    items = model.objects.all()
    if scope.region_id is not None:
        items = items.filter(training_body__region_id=scope.region_id)
    if scope.training_body_ids is not None:
        items = items.filter(training_body_id__in=scope.training_body_ids)
    return items


def _medians_in_python(items, key: str) -> dict:
    """The median time to close per group, for databases without percentile_cont (SQLite, `make run`)."""
    durations: dict = {}
    for group, opened, closed in items.filter(closed_at__isnull=False).values_list(key, "opened_at", "closed_at"):
        durations.setdefault(group, []).append(closed - opened)
    return {group: median(values) for group, values in durations.items()}


def follow_up_rates(*, user: User, by: str, today: date | None = None) -> list[dict]:
    """One row per training body (or region) with follow-ups or conversations, raw counts, within the user's
    pipeline scope: two grouped queries, however many items."""
    today = today or timezone.localdate()
    key, label = GROUPINGS[by]
    items = _scoped(user)
    closed = Q(closed_at__isnull=False)
    aggregates = {
        "opened": Count("pk"),
        "closed": Count("pk", filter=closed),
        "closed_in_time": Count("pk", filter=closed & Q(closed_at__date__lte=F("due_on"))),
        "overdue": Count("pk", filter=Q(closed_at__isnull=True, due_on__lt=today)),
        "still_open": Count("pk", filter=Q(closed_at__isnull=True)),
        **{value: Count("pk", filter=Q(outcome=value)) for value, _ in OUTCOME_COLUMNS},
    }
    postgres = connection.vendor == "postgresql"
    if postgres:
        aggregates["median"] = Median(_time_to_close(), filter=closed)
    rows = list(items.values(key, label).annotate(**aggregates).order_by(label))
    medians = {} if postgres else _medians_in_python(items, key)
    for row in rows:
        row["key"], row["label"] = row.pop(key), row.pop(label)
        duration = row.pop("median", None) if postgres else medians.get(row["key"])
        row["median_days"] = round(duration / timedelta(days=1), 1) if duration is not None else None
        row["conversations"] = 0
    # Conversations are counted, never shown: HEE staff see how many, not what was said.
    by_key = {row["key"]: row for row in rows}
    empty = {name: 0 for name in aggregates if name != "median"}
    for group, name, count in (
        _scoped(user, CareerConversation)
        .values(key, label)
        .annotate(count=Count("pk"))
        .order_by()
        .values_list(key, label, "count")
    ):
        if group not in by_key:
            by_key[group] = {"key": group, "label": name, **empty, "median_days": None}
            rows.append(by_key[group])
        by_key[group]["conversations"] = count
    return sorted(rows, key=lambda row: row["label"])


def follow_up_rates_table(*, user: User, by: str, sort: str = "label", today: date | None = None) -> list[dict]:
    """The rows as shown: how items were closed (with still open, adding up to those opened) under the small-number
    rule across the table, the other counts each on their own rule, the median only behind enough closed items.
    Sorted by the shown value of a column (hidden ones first), so the order never gives a hidden count away."""
    rows = follow_up_rates(user=user, by=by, today=today)
    outcome_keys = [value for value, _ in OUTCOME_COLUMNS] + ["still_open"]
    suppressed = (
        suppress_table([[row[k] for k in outcome_keys] for row in rows], row_totals=True, column_totals=True)
        if rows
        else None
    )
    shown_rows = []
    for index, row in enumerate(rows):
        cells = {k: suppressed.cells[index][position] for position, k in enumerate(outcome_keys)}
        cells["opened"] = suppressed.row_totals[index]
        cells["closed_in_time"] = shown(row["closed_in_time"])
        cells["overdue"] = shown(row["overdue"])
        cells["conversations"] = shown(row["conversations"])
        enough = row["closed"] >= MEDIAN_MINIMUM
        cells["median_days"] = "" if row["median_days"] is None else (str(row["median_days"]) if enough else HIDDEN)
        shown_rows.append({"key": row["key"], "label": row["label"], "cells": cells})
    return sort_rows(shown_rows, sort)


def _sort_value(text: str) -> float:
    if text in ("", HIDDEN):
        return -1.0
    return float(text)


def sort_rows(rows: list[dict], sort: str) -> list[dict]:
    column = sort.lstrip("-")
    descending = sort.startswith("-")
    if column not in dict(COLUMNS):
        return sorted(rows, key=lambda row: row["label"], reverse=descending)
    return sorted(rows, key=lambda row: (_sort_value(row["cells"][column]), row["label"]), reverse=descending)
