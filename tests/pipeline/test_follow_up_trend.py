"""Follow-up rates month by month, and one training body's follow-ups: counts only, small numbers hidden, within
each person's pipeline scope, in the same number of queries at 10 and at 1,000 follow-ups."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from pipeline.selectors.follow_ups import body_follow_ups, follow_up_trend, follow_up_trend_table, overdue_by_age
from talent.models import FollowUp, FollowUpOutcome
from tests.clock import runs_at
from tests.factories import ClinicianProfileFactory
from tests.talent.followup_fixtures import recorded_conversation

UK = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UK)
_at_now = runs_at(NOW)


def opened_items(body, count: int, *, days_ago: int, closed_after_days: int | None = None, outcome: str = ""):
    """`count` follow-ups of the body opened `days_ago` days ago, each of its own clinician (one open item each)."""
    opened = timezone.now() - timedelta(days=days_ago)
    closed = opened + timedelta(days=closed_after_days) if closed_after_days is not None else None
    return [
        FollowUp.objects.create(
            training_body=body,
            profile=ClinicianProfileFactory(training_body=body),
            opened_at=opened,
            due_on=timezone.localdate(opened) + timedelta(days=30),
            closed_at=closed,
            outcome=outcome if closed else "",
        )
        for _ in range(count)
    ]


def many_closed_items(body, count: int, *, days_ago: int = 60):
    """Closed items need no clinician of their own (only open ones are one per clinician): quick to make many."""
    profile = ClinicianProfileFactory(training_body=body)
    opened = timezone.now() - timedelta(days=days_ago)
    FollowUp.objects.bulk_create(
        FollowUp(
            training_body=body,
            profile=profile,
            opened_at=opened - timedelta(days=index % 200),
            due_on=timezone.localdate(opened) + timedelta(days=30),
            closed_at=opened + timedelta(days=3),
            outcome=FollowUpOutcome.SIGNPOSTED if index % 2 else FollowUpOutcome.CONVERSATION,
        )
        for index in range(count)
    )


def test_the_trend_counts_each_month_the_items_were_opened_for_twelve_months(training_body, hee_staff):
    opened_items(training_body, 9, days_ago=5, closed_after_days=2, outcome=FollowUpOutcome.SIGNPOSTED)
    opened_items(training_body, 3, days_ago=70)  # September: overdue
    opened_items(training_body, 4, days_ago=400)  # more than a year ago: outside the trend

    rows = follow_up_trend(user=hee_staff)

    assert len(rows) == 12
    assert rows[0]["label"] == "December 2025"
    assert rows[-1]["label"] == "November 2026"
    by_month = {row["label"]: row for row in rows}
    assert by_month["November 2026"]["opened"] == 9
    assert by_month["November 2026"]["closed_in_time"] == 9
    assert by_month["November 2026"]["signposted"] == 9
    assert by_month["November 2026"]["median_days"] == 2.0
    assert by_month["September 2026"]["overdue"] == 3
    assert by_month["October 2026"]["opened"] == 0
    assert sum(row["opened"] for row in rows) == 12


def test_the_trend_narrows_to_a_region_and_hides_small_numbers(training_body, other_training_body, hee_staff):
    opened_items(training_body, 9, days_ago=5, closed_after_days=2, outcome=FollowUpOutcome.SIGNPOSTED)
    opened_items(other_training_body, 2, days_ago=5)
    opened_items(training_body, 9, days_ago=40, closed_after_days=2, outcome=FollowUpOutcome.CONVERSATION)

    london = {row["label"]: row for row in follow_up_trend(user=hee_staff, region=other_training_body.region)}
    assert london["November 2026"]["opened"] == 2

    shown = {row["label"]: row["cells"] for row in follow_up_trend_table(user=hee_staff)}
    assert shown["November 2026"]["opened"] == "10"  # 11 rounded to the nearest 5
    assert shown["November 2026"]["still_open"] == "*"
    assert shown["November 2026"]["median_days"] == "2.0"
    narrowed = {
        row["label"]: row["cells"] for row in follow_up_trend_table(user=hee_staff, region=other_training_body.region)
    }
    assert narrowed["November 2026"]["opened"] == "*"


def test_the_rates_page_shows_the_trend_and_links_each_body(training_body, other_training_body, hee_staff, client):
    opened_items(training_body, 9, days_ago=5, closed_after_days=2, outcome=FollowUpOutcome.SIGNPOSTED)
    client.force_login(hee_staff)

    page = client.get(reverse("pipeline:show_follow_up_rates")).content.decode()
    assert "Month by month" in page
    assert "November 2026" in page and "December 2025" in page
    assert reverse("pipeline:show_body_follow_ups", kwargs={"slug": training_body.slug}) in page

    region = other_training_body.region
    narrowed = client.get(reverse("pipeline:show_follow_up_rates"), {"region": region.slug}).content.decode()
    assert f"Month by month: {region.name}" in narrowed


def test_regional_staff_cannot_narrow_the_trend_outside_their_region(training_body, regional_hee_staff, client):
    client.force_login(regional_hee_staff)
    answer = client.get(reverse("pipeline_api:show_follow_up_rates"), {"region": training_body.region.slug})
    assert answer.status_code == 400
    assert "region" in answer.json()


def test_overdue_items_are_counted_by_how_long_they_are_overdue(training_body, hee_staff):
    opened_items(training_body, 2, days_ago=33)  # due 30 days after opening: 3 days overdue
    opened_items(training_body, 9, days_ago=80)  # 50 days overdue
    opened_items(training_body, 1, days_ago=200)  # 170 days overdue

    counts = {age["key"]: age["count"] for age in overdue_by_age(user=hee_staff, training_body=training_body)}
    assert counts == {"up_to_week": 2, "up_to_month": 0, "up_to_quarter": 9, "longer": 1}

    figures = body_follow_ups(user=hee_staff, training_body=training_body)
    shown = {age["key"]: age["count"] for age in figures.overdue_by_age}
    assert shown["up_to_week"] == "*" and shown["longer"] == "*"
    # One band alone is never the only hidden one, so the total cannot give it away.
    assert list(shown.values()).count("*") >= 2
    assert figures.overdue == "10"


def test_the_body_page_shows_counts_and_never_a_name_or_notes(training_body, hee_staff, client):
    items = opened_items(training_body, 9, days_ago=5, closed_after_days=2, outcome=FollowUpOutcome.SIGNPOSTED)
    opened_items(training_body, 9, days_ago=5, closed_after_days=2, outcome=FollowUpOutcome.CONVERSATION)
    FollowUp.objects.filter(pk=items[0].pk).update(note="A private note about this clinician.")
    profile = items[0].profile
    recorded_conversation(profile=profile, training_body=training_body, aspirations="A private aspiration.")
    client.force_login(hee_staff)

    page = client.get(reverse("pipeline:show_body_follow_ups", kwargs={"slug": training_body.slug})).content.decode()

    assert f"How {training_body.name} follows up its nudges" in page
    assert "How its follow-ups were closed" in page
    assert "Overdue follow-ups by how long they are overdue" in page
    assert "November 2026" in page
    assert escape(profile.user.full_name) not in page
    assert "A private note" not in page and "A private aspiration" not in page

    api = client.get(reverse("pipeline_api:show_body_follow_ups", kwargs={"slug": training_body.slug})).json()
    assert api["figures"]["signposted"] == "10"
    assert api["trend"][-1] == {"month": "2026-11-01", "label": "November 2026", "cells": api["trend"][-1]["cells"]}
    assert len(api["trend"]) == 12
    assert "A private" not in str(api) and profile.user.full_name not in str(api)


def test_the_admin_of_a_body_sees_its_page_and_not_another(training_body, other_training_body, tb_admin, client):
    client.force_login(tb_admin)
    url = reverse("pipeline:show_body_follow_ups", kwargs={"slug": training_body.slug})
    assert client.get(url).status_code == 200
    other = reverse("pipeline:show_body_follow_ups", kwargs={"slug": other_training_body.slug})
    assert client.get(other).status_code == 404


@pytest.mark.parametrize(
    "url_name", ["pipeline:show_body_follow_ups", "pipeline_api:show_body_follow_ups", "pipeline:show_follow_up_rates"]
)
def test_the_body_page_and_the_trend_take_the_same_queries_at_10_and_at_1000_items(
    url_name, training_body, other_training_body, hee_staff, client
):
    client.force_login(hee_staff)
    kwargs = {} if url_name == "pipeline:show_follow_up_rates" else {"slug": training_body.slug}
    url = reverse(url_name, kwargs=kwargs)
    many_closed_items(training_body, 8)
    opened_items(training_body, 2, days_ago=40)
    with CaptureQueriesContext(connection) as ten:
        assert client.get(url).status_code == 200
    many_closed_items(training_body, 980)
    opened_items(training_body, 10, days_ago=100)
    many_closed_items(other_training_body, 10)
    assert FollowUp.objects.filter(training_body=training_body).count() == 1000
    with CaptureQueriesContext(connection) as thousand:
        assert client.get(url).status_code == 200
    assert len(thousand) == len(ten)
