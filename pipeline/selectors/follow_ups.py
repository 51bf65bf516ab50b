"""Follow-up rates of nudges for the HEE dashboard: per training body and per region, items opened, closed within
their due time, overdue, median days to close and how they were closed; the same per month the items were opened;
and one body's figures with its overdue items by age. Plain counts, never a clinician's name or free text; small
numbers follow `pipeline.suppression`. One grouped query per table, whatever the number of items.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from accounts.models import Region, TrainingBody, User
from pipeline.selectors.scope import add_months, month_name, month_start, pipeline_scope_for, start_of
from pipeline.suppression import HIDDEN, shown, suppress_table
from talent.models import CareerConversation, FollowUp, FollowUpOutcome

BY_TRAINING_BODY = "training_body"
BY_REGION = "region"
# Per grouping: its key, its name and its slug (the body's drill-down is addressed by the slug).
GROUPINGS = {
    BY_TRAINING_BODY: ("training_body_id", "training_body__name", "training_body__slug"),
    BY_REGION: ("training_body__region_id", "training_body__region__name", "training_body__region__slug"),
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
# The trend's columns: the same figures, per month the items were opened (conversations are not items of a nudge).
TREND_COLUMNS = [column for column in COLUMNS if column[0] != "conversations"]
TREND_MONTHS = 12
# How long overdue items have been overdue, in days past their due date: (key, label, from, to).
OVERDUE_AGES = [
    ("up_to_week", "1 to 7 days", 1, 7),
    ("up_to_month", "8 to 30 days", 8, 30),
    ("up_to_quarter", "31 to 90 days", 31, 90),
    ("longer", "More than 90 days", 91, None),
]
# A median of fewer closed items is one or two bodies' handful of people: not shown.
MEDIAN_MINIMUM = 8
OUTCOME_KEYS = [value for value, _ in OUTCOME_COLUMNS] + ["still_open"]


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


def _aggregates(today: date) -> dict:
    """The counts of a row of any table here; with the median where the database works it out."""
    closed = Q(closed_at__isnull=False)
    aggregates = {
        "opened": Count("pk"),
        "closed": Count("pk", filter=closed),
        "closed_in_time": Count("pk", filter=closed & Q(closed_at__date__lte=F("due_on"))),
        "overdue": Count("pk", filter=Q(closed_at__isnull=True, due_on__lt=today)),
        "still_open": Count("pk", filter=Q(closed_at__isnull=True)),
        **{value: Count("pk", filter=Q(outcome=value)) for value, _ in OUTCOME_COLUMNS},
    }
    if connection.vendor == "postgresql":
        aggregates["median"] = Median(_time_to_close(), filter=closed)
    return aggregates


def _median_days(row: dict, medians: dict) -> float | None:
    duration = row.pop("median", None) if connection.vendor == "postgresql" else medians.get(row["key"])
    return round(duration / timedelta(days=1), 1) if duration is not None else None


def follow_up_rates(*, user: User, by: str, today: date | None = None) -> list[dict]:
    """One row per training body (or region) with follow-ups or conversations, raw counts, within the user's
    pipeline scope: two grouped queries, however many items."""
    today = today or timezone.localdate()
    key, label, slug = GROUPINGS[by]
    items = _scoped(user)
    aggregates = _aggregates(today)
    rows = list(items.values(key, label, slug).annotate(**aggregates).order_by(label))
    medians = {} if connection.vendor == "postgresql" else _medians_in_python(items, key)
    for row in rows:
        row["key"], row["label"], row["slug"] = row.pop(key), row.pop(label), row.pop(slug)
        row["median_days"] = _median_days(row, medians)
        row["conversations"] = 0
    # Conversations are counted, never shown: HEE staff see how many, not what was said.
    by_key = {row["key"]: row for row in rows}
    empty = {name: 0 for name in aggregates if name != "median"}
    for group, name, group_slug, count in (
        _scoped(user, CareerConversation)
        .values(key, label, slug)
        .annotate(count=Count("pk"))
        .order_by()
        .values_list(key, label, slug, "count")
    ):
        if group not in by_key:
            by_key[group] = {"key": group, "label": name, "slug": group_slug, **empty, "median_days": None}
            rows.append(by_key[group])
        by_key[group]["conversations"] = count
    return sorted(rows, key=lambda row: row["label"])


def _shown_rows(rows: list[dict]) -> list[dict]:
    """Rows as shown: how items were closed (with still open, adding up to those opened) under the small-number
    rule across the table, the other counts each on their own rule, the median only behind enough closed items."""
    suppressed = (
        suppress_table([[row[k] for k in OUTCOME_KEYS] for row in rows], row_totals=True, column_totals=True)
        if rows
        else None
    )
    shown_rows = []
    for index, row in enumerate(rows):
        cells = {k: suppressed.cells[index][position] for position, k in enumerate(OUTCOME_KEYS)}
        cells["opened"] = suppressed.row_totals[index]
        cells["closed_in_time"] = shown(row["closed_in_time"])
        cells["overdue"] = shown(row["overdue"])
        if "conversations" in row:
            cells["conversations"] = shown(row["conversations"])
        enough = row["closed"] >= MEDIAN_MINIMUM
        cells["median_days"] = "" if row["median_days"] is None else (str(row["median_days"]) if enough else HIDDEN)
        shown_rows.append({"key": row["key"], "label": row["label"], "slug": row.get("slug", ""), "cells": cells})
    return shown_rows


def follow_up_rates_table(*, user: User, by: str, sort: str = "label", today: date | None = None) -> list[dict]:
    """The rows as shown (`_shown_rows`), sorted by the shown value of a column (hidden ones first), so the order
    never gives a hidden count away."""
    return sort_rows(_shown_rows(follow_up_rates(user=user, by=by, today=today)), sort)


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


def follow_up_trend(
    *,
    user: User,
    region: Region | None = None,
    training_body: TrainingBody | None = None,
    today: date | None = None,
) -> list[dict]:
    """The figures per month the items were opened, for the last 12 months (this one included, oldest first, a
    month without items as zeros), within the user's scope and narrowed to a region or a body: one grouped query."""
    today = today or timezone.localdate()
    first = add_months(month_start(today), 1 - TREND_MONTHS)
    items = _scoped(user).filter(opened_at__gte=start_of(first))
    if region is not None:
        items = items.filter(training_body__region=region)
    if training_body is not None:
        items = items.filter(training_body=training_body)
    aggregates = _aggregates(today)
    found = {}
    for row in items.annotate(month=TruncMonth("opened_at")).values("month").annotate(**aggregates).order_by():
        row["key"] = timezone.localtime(row.pop("month")).date()
        found[row["key"]] = row
    medians = {}
    if connection.vendor != "postgresql":
        durations: dict = {}
        for opened, closed in items.filter(closed_at__isnull=False).values_list("opened_at", "closed_at"):
            durations.setdefault(month_start(timezone.localdate(opened)), []).append(closed - opened)
        medians = {month: median(values) for month, values in durations.items()}
    empty = {name: 0 for name in aggregates if name != "median"}
    rows = []
    for offset in range(TREND_MONTHS):
        month = add_months(first, offset)
        row = found.get(month, {"key": month, **empty})
        row["label"] = month_name(month)
        row["median_days"] = _median_days(row, medians)
        rows.append(row)
    return rows


def follow_up_trend_table(
    *,
    user: User,
    region: Region | None = None,
    training_body: TrainingBody | None = None,
    today: date | None = None,
) -> list[dict]:
    """The trend as shown, oldest month first, under the same rules as the rates table."""
    return _shown_rows(follow_up_trend(user=user, region=region, training_body=training_body, today=today))


def follow_up_body_for(*, user: User, slug: str) -> TrainingBody:
    """A training body whose follow-up figures the user may see (within their pipeline scope); 404 otherwise."""
    scope = pipeline_scope_for(user)
    bodies = TrainingBody.objects.select_related("region").filter(slug=slug)
    if scope.region_id is not None:
        bodies = bodies.filter(region_id=scope.region_id)
    if scope.training_body_ids is not None:
        bodies = bodies.filter(pk__in=scope.training_body_ids)
    body = bodies.first()
    if body is None:
        raise Http404("No such training body.")
    return body


@dataclass(frozen=True)
class BodyFollowUps:
    """One body's follow-up figures as shown: its row of the rates table (the same cells, so the two pages never
    show one count two ways), its monthly trend and its overdue items by how long they have been overdue."""

    training_body: TrainingBody
    cells: dict
    trend: list[dict]
    overdue_by_age: list[dict]
    overdue: str


def overdue_by_age(*, user: User, training_body: TrainingBody, today: date | None = None) -> list[dict]:
    """Raw counts of the body's overdue items per age band: one query."""
    today = today or timezone.localdate()
    bands = {}
    for key, _, start, end in OVERDUE_AGES:
        band = Q(due_on__lte=today - timedelta(days=start))
        if end is not None:
            band &= Q(due_on__gte=today - timedelta(days=end))
        bands[key] = Count("pk", filter=band)
    counts = (
        _scoped(user).filter(training_body=training_body, closed_at__isnull=True, due_on__lt=today).aggregate(**bands)
    )
    return [{"key": key, "label": label, "count": counts[key]} for key, label, _, _ in OVERDUE_AGES]


def body_follow_ups(*, user: User, training_body: TrainingBody, today: date | None = None) -> BodyFollowUps:
    """Everything of the body's drill-down, in a fixed number of queries whatever the number of items."""
    today = today or timezone.localdate()
    rows = follow_up_rates_table(user=user, by=BY_TRAINING_BODY, today=today)
    row = next((row for row in rows if row["key"] == training_body.pk), None)
    empty_cells = {column: "0" for column, _ in COLUMNS} | {"median_days": ""}
    ages = overdue_by_age(user=user, training_body=training_body, today=today)
    # One line: the bands add up to the body's overdue items, so one hidden band is never the only one.
    suppressed = suppress_table([[age["count"] for age in ages]], row_totals=True, column_totals=False)
    return BodyFollowUps(
        training_body=training_body,
        cells=row["cells"] if row else empty_cells,
        trend=follow_up_trend_table(user=user, training_body=training_body, today=today),
        overdue_by_age=[
            {"key": age["key"], "label": age["label"], "count": cell}
            for age, cell in zip(ages, suppressed.cells[0], strict=True)
        ],
        overdue=suppressed.row_totals[0],
    )
