"""Counts beside a training-body admin's menu items: nominations waiting for their decision, follow-ups due and
overdue, requests for career conversations. Part of each link's text (a screen reader says it), their own bodies
only, one query each however many items wait, and nothing for any other role."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from talent.models import ClinicianProfile, ConversationRequest, FollowUp, Nomination, NominationState
from tests.clock import runs_at
from tests.factories import ClinicianProfileFactory

UK = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UK)
_at_now = runs_at(NOW)

PAGE = "regulators:list_guidance"


def members(body, count: int, *, start: int) -> list[ClinicianProfile]:
    """`count` consenting clinicians confirmed in the body, written in bulk."""
    template = ClinicianProfileFactory.build(training_body=body)
    users = User.objects.bulk_create(
        User(
            email=f"waiting{n}@example.test",
            full_name=f"Waiting {n:04d}",
            role=Role.CLINICIAN,
            password=make_password(None),
            is_active=True,
        )
        for n in range(start, start + count)
    )
    return ClinicianProfile.objects.bulk_create(
        ClinicianProfile(
            user=user,
            profession=template.profession,
            regulator=template.regulator,
            registration_number=f"{8100000 + n:07d}",
            first_registration_year=template.first_registration_year,
            career_stage=template.career_stage,
            specialty_training_year=3,
            region=template.region,
            training_body=body,
            training_body_confirmed_at=timezone.now(),
            shares_with_training_body=True,
            shares_with_hee=True,
            full_name=user.full_name,
            account_active=True,
        )
        for n, user in zip(range(start, start + count), users, strict=True)
    )


def waiting_for(body, opportunity, *, decisions: int, due: int, overdue: int, requests: int, start: int = 0) -> None:
    """What waits for the body's admins, each kind for its own clinicians."""
    profiles = members(body, decisions + due + overdue + requests, start=start)
    now, today = timezone.now(), timezone.localdate()
    Nomination.objects.bulk_create(
        Nomination(
            profile=profile,
            opportunity=opportunity,
            training_body=body,
            route="application",
            nominated_by=profile.user,
            supporting_statement="I want to lead.",
            state=NominationState.SUBMITTED,
            submitted_at=now,
        )
        for profile in profiles[:decisions]
    )
    follow_ups = profiles[decisions : decisions + due + overdue]
    FollowUp.objects.bulk_create(
        FollowUp(
            training_body=body,
            profile=profile,
            opened_at=now - timedelta(days=40 if index < overdue else 3),
            due_on=today + timedelta(days=-10 if index < overdue else 27),
        )
        for index, profile in enumerate(follow_ups)
    )
    ConversationRequest.objects.bulk_create(
        ConversationRequest(profile=profile, training_body=body) for profile in profiles[decisions + due + overdue :]
    )


def menu_of(client) -> dict[str, dict]:
    return {item["label"]: item for item in client.get(reverse(PAGE)).context["navigation"]}


def test_the_admin_sees_what_waits_for_their_body_in_the_link_text(
    client, tb_admin, training_body, other_training_body, open_opportunity
):
    waiting_for(training_body, open_opportunity, decisions=2, due=3, overdue=1, requests=4)
    waiting_for(other_training_body, open_opportunity, decisions=5, due=5, overdue=5, requests=5, start=100)
    client.force_login(tb_admin)

    menu = menu_of(client)
    assert menu["Nominations"]["count"] == "2 waiting for your decision"
    assert menu["Follow-ups"]["count"] == "3 due, 1 overdue"
    assert menu["Conversation requests"]["count"] == "4 waiting"

    page = client.get(reverse(PAGE)).content.decode()
    # The words are inside the link, so they are its accessible name, not a badge beside it.
    link = rf'<a [^>]*href="{reverse("talent:list_follow_ups")}"[^>]*>\s*Follow-ups \(3 due, 1 overdue\)\s*</a>'
    assert re.search(link, page)
    assert "Nominations (2 waiting for your decision)" in page
    assert "Conversation requests (4 waiting)" in page
    assert "(5 waiting" not in page and "5 overdue" not in page


def test_nothing_waiting_shows_no_count(client, tb_admin):
    client.force_login(tb_admin)
    menu = menu_of(client)
    assert menu["Follow-ups"]["count"] == "" and menu["Nominations"]["count"] == ""
    assert menu["Conversation requests"]["count"] == ""


def test_the_other_body_admin_sees_only_their_own_counts(
    client, other_tb_admin, training_body, other_training_body, open_opportunity
):
    waiting_for(training_body, open_opportunity, decisions=2, due=3, overdue=1, requests=4)
    waiting_for(other_training_body, open_opportunity, decisions=0, due=0, overdue=2, requests=0, start=100)
    client.force_login(other_tb_admin)

    menu = menu_of(client)
    assert menu["Follow-ups"]["count"] == "2 overdue"
    assert menu["Nominations"]["count"] == "" and menu["Conversation requests"]["count"] == ""


@pytest.mark.parametrize("who", ["clinician", "other_clinician", "hee_staff", "regional_hee_staff", "editor"])
def test_other_roles_get_no_counts_and_no_queries_for_them(
    client, request, who, training_body, open_opportunity, tb_admin
):
    waiting_for(training_body, open_opportunity, decisions=2, due=3, overdue=1, requests=4)
    client.force_login(request.getfixturevalue(who))

    menu = client.get(reverse(PAGE)).context["navigation"]

    assert all(item["count"] == "" for item in menu)
    assert not {"Follow-ups", "Conversation requests", "Nominations"} & {item["label"] for item in menu}


def test_the_counts_take_the_same_queries_at_10_and_at_1000_items(client, tb_admin, training_body, open_opportunity):
    client.force_login(tb_admin)
    waiting_for(training_body, open_opportunity, decisions=3, due=3, overdue=2, requests=2)
    with CaptureQueriesContext(connection) as ten:
        menu = menu_of(client)
    assert menu["Follow-ups"]["count"] == "3 due, 2 overdue"
    waiting_for(training_body, open_opportunity, decisions=300, due=300, overdue=200, requests=190, start=10)
    with CaptureQueriesContext(connection) as thousand:
        menu = menu_of(client)
    assert menu["Nominations"]["count"] == "303 waiting for your decision"
    assert menu["Follow-ups"]["count"] == "303 due, 202 overdue"
    assert menu["Conversation requests"]["count"] == "192 waiting"
    assert len(thousand) == len(ten)
