"""Follow-up rates on the dashboard: per training body and per region, what became of the follow-ups of nudges,
within each person's pipeline scope, counts only, small numbers hidden, sortable, in a fixed number of queries."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pipeline.selectors.follow_ups import BY_REGION, BY_TRAINING_BODY, follow_up_rates, follow_up_rates_table
from talent.models import FollowUp, FollowUpOutcome
from tests.clock import runs_at
from tests.factories import ClinicianProfileFactory
from tests.talent.followup_fixtures import recorded_conversation

UK = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UK)
_at_now = runs_at(NOW)


def items(body, count: int, *, closed_after_days: int | None = None, outcome: str = "", overdue: bool = False):
    now = timezone.now()
    opened = now - timedelta(days=40 if overdue else 10)
    made = []
    for _ in range(count):
        closed = opened + timedelta(days=closed_after_days) if closed_after_days is not None else None
        made.append(
            FollowUp.objects.create(
                training_body=body,
                profile=ClinicianProfileFactory(training_body=body),
                opened_at=opened,
                due_on=timezone.localdate(opened) + timedelta(days=30),
                closed_at=closed,
                outcome=outcome if closed else "",
                no_action_reason="not_wanted" if outcome == FollowUpOutcome.NO_ACTION else "",
            )
        )
    return made


def test_counts_per_body_opened_in_time_overdue_median_and_how(training_body, other_training_body, hee_staff):
    items(training_body, 6, closed_after_days=4, outcome=FollowUpOutcome.SIGNPOSTED)
    items(training_body, 4, closed_after_days=40, outcome=FollowUpOutcome.NO_ACTION)
    items(training_body, 3, overdue=True)
    items(other_training_body, 2)

    rows = {row["label"]: row for row in follow_up_rates(user=hee_staff, by=BY_TRAINING_BODY)}

    mine = rows[training_body.name]
    assert mine["opened"] == 13
    assert mine["closed_in_time"] == 6
    assert mine["overdue"] == 3
    assert mine["signposted"] == 6
    assert mine["no_action"] == 4
    assert mine["still_open"] == 3
    assert mine["median_days"] == 4.0
    assert rows[other_training_body.name]["opened"] == 2
    assert rows[other_training_body.name]["median_days"] is None

    regions = {row["label"]: row["opened"] for row in follow_up_rates(user=hee_staff, by=BY_REGION)}
    assert regions == {training_body.region.name: 13, other_training_body.region.name: 2}


def test_conversations_are_counted_never_shown(training_body, other_training_body, tb_admin, hee_staff, client):
    """HEE staff see how many career conversations a body recorded, and nothing of what was said; a body with
    conversations but no follow-ups still has its row."""
    for _ in range(9):
        recorded_conversation(
            profile=ClinicianProfileFactory(training_body=other_training_body),
            training_body=other_training_body,
            aspirations="A private aspiration nobody at HEE may read.",
        )

    rows = {row["label"]: row for row in follow_up_rates(user=hee_staff, by=BY_TRAINING_BODY)}
    assert rows[other_training_body.name]["conversations"] == 9
    assert rows[other_training_body.name]["opened"] == 0

    client.force_login(hee_staff)
    page = client.get(reverse("pipeline:show_follow_up_rates")).content.decode()
    assert "Career conversations recorded" in page
    assert "A private aspiration" not in page


def test_small_numbers_are_hidden_and_the_median_needs_eight_closed(training_body, hee_staff):
    items(training_body, 20, closed_after_days=3, outcome=FollowUpOutcome.SIGNPOSTED)
    items(training_body, 2, closed_after_days=3, outcome=FollowUpOutcome.NO_ACTION)

    [row] = follow_up_rates_table(user=hee_staff, by=BY_TRAINING_BODY)

    assert row["cells"]["no_action"] == "*"
    assert row["cells"]["opened"] in {"20", "25"}
    assert row["cells"]["median_days"] == "3.0"
    assert "*" in row["cells"].values()


def test_each_person_sees_only_their_scope(training_body, other_training_body, tb_admin, regional_hee_staff):
    items(training_body, 9)
    items(other_training_body, 9)
    assert [row["label"] for row in follow_up_rates(user=tb_admin, by=BY_TRAINING_BODY)] == [training_body.name]
    # Regional staff (London) see London's bodies only.
    assert [row["label"] for row in follow_up_rates(user=regional_hee_staff, by=BY_TRAINING_BODY)] == [
        other_training_body.name
    ]


@pytest.mark.parametrize("sort", ["label", "-opened", "median_days", "-signposted"])
def test_the_page_sorts_and_takes_the_same_queries_at_10_and_at_many(sort, training_body, hee_staff, client):
    client.force_login(hee_staff)
    url = reverse("pipeline:show_follow_up_rates") + f"?training_body_sort={sort}"
    items(training_body, 10, closed_after_days=2, outcome=FollowUpOutcome.CONVERSATION)
    with CaptureQueriesContext(connection) as ten:
        assert client.get(url).status_code == 200
    items(training_body, 30, overdue=True)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert len(many) == len(ten)
    content = page.content.decode()
    assert training_body.name in content
    assert "Median days to close" in content
