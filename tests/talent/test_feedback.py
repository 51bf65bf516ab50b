"""360 feedback as its people see it: the clinician asks colleagues (and is told plainly what is wrong with the
list), each rater gets an email with a link that opens their form without an account, saves a draft, submits once,
is reminded 7 and 2 days before closing if they have not answered, and a link that is changed, closed or used says
so, never a 500. The clinician sees counts per group, closes early, reads the report and shares it with their
training body, whose admins (and nobody else) can then read it."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from accounts.models import AuditEvent
from talent.models import Dimension, FeedbackAnswer, FeedbackRater, FeedbackRound, RaterGroup
from talent.selectors import feedback_report
from talent.services import feedback_reminders_send
from tests.clock import runs_at
from tests.talent.feedback_fixtures import make_round, submit_answer
from tests.talent.nomination_fixtures import delivered_emails

UK = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UK)
TODAY = NOW.date()
_at_now = runs_at(NOW)

pytestmark = pytest.mark.django_db


def start_form(closes_on: date = TODAY + timedelta(days=14), **groups) -> dict:
    data = {"closes_on_day": closes_on.day, "closes_on_month": closes_on.month, "closes_on_year": closes_on.year}
    data.update({"line_managers": "", "peers": "", "direct_reports": "", "others": ""})
    data.update(groups)
    return data


THREE_PEERS = "ana@example.org\nben@example.org\ncai@example.org"


def link_in(email) -> str:
    return re.search(r"http://\S+(/feedback/rate/\S+/)", email.body).group(1)


def full_answer(action: str = "submit", rating: str = "3", **extra) -> dict:
    return {**dict.fromkeys(Dimension.values, rating), "does_well": "", "could_do_more_of": "", "action": action} | (
        extra
    )


@pytest.fixture
def signed_in(client, clinician):
    client.force_login(clinician)
    return client


# --- Starting a round ------------------------------------------------------------------------


def test_a_clinician_asks_three_peers_and_each_gets_their_own_link(signed_in, clinician):
    response = signed_in.post(reverse("talent:start_feedback_round"), start_form(peers=THREE_PEERS))
    feedback_round = FeedbackRound.objects.get(profile=clinician.clinician_profile)
    assert response.url == reverse("talent:show_feedback_round", kwargs={"round_id": feedback_round.pk})
    emails = delivered_emails()
    assert sorted(email.to[0] for email in emails) == ["ana@example.org", "ben@example.org", "cai@example.org"]
    assert len({link_in(email) for email in emails}) == 3
    assert f"{clinician.full_name} asks for your feedback" in emails[0].subject
    assert AuditEvent.objects.filter(action="feedback.round_started", subject_id=str(feedback_round.pk)).exists()


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        ({"peers": "ana@example.org\nben@example.org"}, "Ask at least 3 people"),
        ({"peers": THREE_PEERS + "\nnot-an-address"}, "“not-an-address” is not an email address"),
        ({"peers": THREE_PEERS + "\nAna@Example.org"}, "ana@example.org is in the list more than once"),
        ({"peers": THREE_PEERS, "others": "ana@example.org"}, "ana@example.org is in the list more than once"),
        ({"peers": "\n".join(f"p{n}@example.org" for n in range(21))}, "Ask at most 20 people"),
    ],
)
def test_a_list_of_raters_the_rules_refuse_is_shown_again_with_why(signed_in, groups, message):
    response = signed_in.post(reverse("talent:start_feedback_round"), start_form(**groups))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FeedbackRound.objects.exists()
    assert mail.outbox == []


def test_the_clinician_cannot_ask_themselves(signed_in, clinician):
    response = signed_in.post(
        reverse("talent:start_feedback_round"), start_form(peers=THREE_PEERS + f"\n{clinician.email.upper()}")
    )
    assert "You cannot ask yourself for feedback" in response.content.decode()
    assert not FeedbackRound.objects.exists()


@pytest.mark.parametrize("days", [6, 43, -1])
def test_a_closing_date_outside_7_to_42_days_is_refused(signed_in, days):
    response = signed_in.post(
        reverse("talent:start_feedback_round"), start_form(TODAY + timedelta(days=days), peers=THREE_PEERS)
    )
    assert "The closing date must be between 2 December 2026 and 6 January 2027" in response.content.decode()
    assert not FeedbackRound.objects.exists()


@pytest.mark.parametrize("days", [7, 42])
def test_closing_dates_7_and_42_days_ahead_are_allowed(signed_in, days):
    signed_in.post(reverse("talent:start_feedback_round"), start_form(TODAY + timedelta(days=days), peers=THREE_PEERS))
    assert FeedbackRound.objects.get().closes_on == TODAY + timedelta(days=days)


def test_at_most_3_rounds_are_open_at_once(signed_in, clinician):
    profile = clinician.clinician_profile
    for _ in range(3):
        make_round(profile)
    make_round(profile, closes_in_days=-1)  # closed: does not count
    response = signed_in.post(reverse("talent:start_feedback_round"), start_form(peers=THREE_PEERS))
    assert "You already have 3 feedback rounds open" in response.content.decode()
    assert FeedbackRound.objects.count() == 4
    page = signed_in.get(reverse("talent:list_feedback_rounds")).content.decode()
    assert "the most you can have at once" in page


# --- The clinician's view of progress --------------------------------------------------------


def test_the_clinician_sees_counts_per_group_never_who(signed_in, clinician):
    feedback_round = make_round(
        clinician.clinician_profile,
        raters=[("boss@example.org", RaterGroup.LINE_MANAGER)]
        + [(f"peer{n}@example.org", RaterGroup.PEER) for n in range(4)],
    )
    submit_answer(feedback_round.raters.get(email="peer2@example.org"))
    page = signed_in.get(reverse("talent:show_feedback_round", kwargs={"round_id": feedback_round.pk}))
    html = page.content.decode()
    assert "example.org" not in html
    rows = re.findall(r'scope="row">([^<]+)</th>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)</td>', html)
    assert rows == [("Line manager", "1", "0"), ("Peers", "4", "1")]


def test_closing_early_stops_the_links_and_makes_the_report(signed_in, clinician, client):
    feedback_round = make_round(
        clinician.clinician_profile, raters=[(f"p{n}@example.org", RaterGroup.PEER) for n in range(3)]
    )
    signed_in.post(reverse("talent:close_feedback_round", kwargs={"round_id": feedback_round.pk}))
    feedback_round.refresh_from_db()
    assert feedback_round.closed_early_at is not None
    report = signed_in.get(reverse("talent:show_feedback_report", kwargs={"round_id": feedback_round.pk}))
    assert "0 of the people you asked answered" in report.content.decode()


# --- The rater's link --------------------------------------------------------------------------


@pytest.fixture
def rater_link(signed_in):
    signed_in.post(reverse("talent:start_feedback_round"), start_form(peers=THREE_PEERS))
    signed_in.logout()
    emails = delivered_emails()
    mail.outbox.clear()
    return link_in(next(email for email in emails if email.to == ["ana@example.org"]))


def test_a_rater_opens_the_form_without_an_account_and_sees_no_other_rater(client, rater_link, clinician):
    response = client.get(rater_link)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Feedback for {escape(clinician.full_name)}" in html
    assert "ben@example.org" not in html and "cai@example.org" not in html and "ana@example.org" not in html
    assert "Not observed" in html
    assert "no-store" in response["Cache-Control"]


def test_a_draft_is_kept_and_shown_again_on_the_same_link(client, rater_link):
    response = client.post(
        rater_link,
        {
            Dimension.LEADING_WITH_CARE: "4",
            Dimension.HOLDING_TO_ACCOUNT: "not_observed",
            "action": "draft",
            "does_well": "Calm on nights",
            "could_do_more_of": "",
        },
    )
    assert response.status_code == 302
    html = client.get(rater_link).content.decode()
    assert "Calm on nights" in html
    assert re.search(r'value="4"[^>]*checked', html)
    assert re.search(r'value="not_observed"[^>]*checked', html)
    assert FeedbackRater.objects.get(email="ana@example.org").answered_at is None


def test_a_submission_must_answer_every_dimension(client, rater_link):
    data = full_answer()
    del data[Dimension.ENGAGING_THE_TEAM]
    response = client.post(rater_link, data)
    assert response.status_code == 200
    assert "Choose a level or “not observed” for Engaging the team" in response.content.decode()
    assert not FeedbackAnswer.objects.filter(status="submitted").exists()


def test_a_submitted_answer_cannot_be_changed_and_the_link_then_says_so(client, rater_link):
    response = client.post(rater_link, full_answer(does_well="Always makes time"))
    assert "Feedback submitted" in response.content.decode()
    again = client.post(rater_link, full_answer(rating="1", does_well="Changed my mind"))
    assert again.status_code == 200
    assert "Feedback already submitted" in again.content.decode()
    answer = FeedbackAnswer.objects.get()
    assert answer.does_well == "Always makes time"
    assert set(answer.ratings.values_list("rating", flat=True)) == {3}
    assert "Feedback already submitted" in client.get(rater_link).content.decode()


def test_a_comment_over_the_limit_is_refused_with_a_message(client, rater_link):
    response = client.post(rater_link, full_answer(does_well="x" * 2001))
    assert "This comment must be 2000 characters or fewer" in response.content.decode()
    assert not FeedbackAnswer.objects.exists()


@pytest.mark.parametrize("change", [lambda link: link[:-3] + "x" + link[-2:], lambda link: link.replace(":", "-", 1)])
def test_a_changed_link_says_it_does_not_work(client, rater_link, change):
    response = client.get(change(rater_link))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_a_link_after_the_closing_date_says_the_request_has_closed(client, rater_link):
    with time_machine.travel(NOW + timedelta(days=15), tick=False):
        response = client.get(rater_link)
        posted = client.post(rater_link, full_answer())
    assert response.status_code == 410 and posted.status_code == 410
    assert "This feedback request has closed" in response.content.decode()
    assert not FeedbackAnswer.objects.exists()


def test_the_link_still_works_on_the_closing_day(client, rater_link):
    with time_machine.travel(datetime(2026, 12, 9, 23, 30, tzinfo=UK), tick=False):
        assert client.get(rater_link).status_code == 200


def test_a_link_of_a_round_closed_early_says_so(client, rater_link):
    FeedbackRound.objects.update(closed_early_at=NOW)
    response = client.get(rater_link)
    assert response.status_code == 410
    assert "closed early" in response.content.decode()


# --- Reminders ---------------------------------------------------------------------------------


def test_raters_who_have_not_answered_are_reminded_7_and_2_days_before_closing_once_each(rater_link):
    submit_answer(FeedbackRater.objects.get(email="cai@example.org"))
    closes_on = FeedbackRound.objects.get().closes_on

    def reminders_on(day: date) -> list:
        mail.outbox.clear()
        with time_machine.travel(datetime.combine(day, datetime.min.time(), UK) + timedelta(hours=7), tick=False):
            feedback_reminders_send()
            feedback_reminders_send()  # a second run owes nothing more
            return delivered_emails()

    assert reminders_on(closes_on - timedelta(days=8)) == []
    week = reminders_on(closes_on - timedelta(days=7))
    assert sorted(email.to[0] for email in week) == ["ana@example.org", "ben@example.org"]
    assert "closes in 7 days" in week[0].subject
    assert link_in(week[0]).startswith("/feedback/rate/")
    assert reminders_on(closes_on - timedelta(days=6)) == []
    two = reminders_on(closes_on - timedelta(days=2))
    assert sorted(email.to[0] for email in two) == ["ana@example.org", "ben@example.org"]
    assert reminders_on(closes_on - timedelta(days=1)) == []
    assert reminders_on(closes_on + timedelta(days=1)) == []


def test_no_reminder_once_the_round_is_closed_early(rater_link):
    FeedbackRound.objects.update(closed_early_at=NOW)
    closes_on = FeedbackRound.objects.get().closes_on
    with time_machine.travel(datetime.combine(closes_on - timedelta(days=2), datetime.min.time(), UK), tick=False):
        assert feedback_reminders_send() == 0


# --- Report and sharing ------------------------------------------------------------------------


def test_the_report_compares_self_and_others_in_a_chart_with_a_table(signed_in, closed_feedback_round):
    html = signed_in.get(
        reverse("talent:show_feedback_report", kwargs={"round_id": closed_feedback_round.pk})
    ).content.decode()
    assert "<svg" in html and 'role="img"' in html
    assert "Self-assessment and others' average rating for each dimension" in html
    assert "Line manager (shown although fewer than 3)" in html
    assert "example.org" not in html
    assert "Listens well (peer)" in html
    assert "development_plan_goals" not in html


def test_the_report_offers_a_development_plan_goal_for_each_dimension_others_rated_lowest(
    signed_in, closed_feedback_round
):
    """Each of the lowest dimensions links to the plan's goal form with that dimension already ticked."""
    html = signed_in.get(
        reverse("talent:show_feedback_report", kwargs={"round_id": closed_feedback_round.pk})
    ).content.decode()
    lowest = feedback_report(closed_feedback_round).lowest_dimensions
    links = re.findall(r'href="([^"]*\?dimension=([a-z_]+))">Add a goal for ([^<]+) to your development plan', html)

    assert [(dimension, label) for _, dimension, label in links] == [
        (row.dimension, row.label.lower()) for row in lowest
    ]
    assert lowest
    url, dimension, _ = links[0]
    goal_form = signed_in.get(url.replace("&amp;", "&")).content.decode()
    [ticked] = re.findall(r'<input[^>]*value="([a-z_]+)"[^>]*checked', goal_form)
    assert ticked == dimension


def test_a_report_shared_with_the_body_opens_for_its_admins_only_until_withdrawn(
    client, signed_in, closed_feedback_round, tb_admin, other_tb_admin, hee_staff
):
    url = reverse("talent:show_shared_feedback_report", kwargs={"round_id": closed_feedback_round.pk})
    record = reverse("talent:show_clinician", kwargs={"profile_id": closed_feedback_round.profile_id})
    for person, status in ((tb_admin, 200), (other_tb_admin, 404), (hee_staff, 403)):
        client.force_login(person)
        assert client.get(url).status_code == status
    client.force_login(tb_admin)
    assert url in client.get(record).content.decode()
    assert AuditEvent.objects.filter(action="feedback.shared_report_viewed", actor=tb_admin).exists()

    client.force_login(closed_feedback_round.profile.user)
    client.post(reverse("talent:share_feedback_report", kwargs={"round_id": closed_feedback_round.pk}), {"share": "no"})
    client.force_login(tb_admin)
    assert client.get(url).status_code == 404
    assert url not in client.get(record).content.decode()


def test_a_clinician_shares_a_closed_round_with_their_training_body(signed_in, clinician, training_body):
    feedback_round = make_round(clinician.clinician_profile, closes_in_days=-2)
    signed_in.post(reverse("talent:share_feedback_report", kwargs={"round_id": feedback_round.pk}), {"share": "yes"})
    feedback_round.refresh_from_db()
    assert feedback_round.shared_with == training_body


def test_an_open_round_cannot_be_shared(signed_in, feedback_round):
    response = signed_in.post(
        reverse("talent:share_feedback_report", kwargs={"round_id": feedback_round.pk}), {"share": "yes"}, follow=True
    )
    assert "You can share the report once the round has closed" in response.content.decode()
    feedback_round.refresh_from_db()
    assert feedback_round.shared_with is None


# --- API ---------------------------------------------------------------------------------------


def test_the_api_starts_lists_and_closes_rounds(signed_in, clinician):
    body = {
        "closes_on": (TODAY + timedelta(days=10)).isoformat(),
        "raters": [
            {"email": "boss@example.org", "group": "line_manager"},
            {"email": "a@example.org", "group": "peer"},
            {"email": "b@example.org", "group": "direct_report"},
        ],
    }
    created = signed_in.post("/api/v1/me/feedback-rounds/", body, content_type="application/json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["invited"] == 3 and data["answered"] == 0 and data["is_open"]
    assert {row["group"] for row in data["progress"]} == {"line_manager", "peer", "direct_report"}
    assert "example.org" not in created.content.decode()
    listed = signed_in.get("/api/v1/me/feedback-rounds/").json()
    assert [row["id"] for row in listed["results"]] == [data["id"]]
    closed = signed_in.post(f"/api/v1/me/feedback-rounds/{data['id']}/close/")
    assert closed.status_code == 200 and not closed.json()["is_open"]
    again = signed_in.post(f"/api/v1/me/feedback-rounds/{data['id']}/close/")
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("raters", "field"),
    [
        ([{"email": "a@example.org", "group": "peer"}] * 3, "raters"),
        ([{"email": f"p{n}@example.org", "group": "peer"} for n in range(21)], "raters"),
        ([{"email": "x", "group": "peer"}] * 3, "raters"),
        ([{"email": f"p{n}@example.org", "group": "boss"} for n in range(3)], "raters"),
    ],
)
def test_the_api_answers_400_naming_the_field_for_bad_raters(signed_in, raters, field):
    body = {"closes_on": (TODAY + timedelta(days=10)).isoformat(), "raters": raters}
    response = signed_in.post("/api/v1/me/feedback-rounds/", body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert not FeedbackRound.objects.exists()


def test_the_api_refuses_a_fourth_open_round_with_409(signed_in, clinician):
    for _ in range(3):
        make_round(clinician.clinician_profile)
    body = {
        "closes_on": (TODAY + timedelta(days=10)).isoformat(),
        "raters": [{"email": f"p{n}@example.org", "group": "peer"} for n in range(3)],
    }
    assert signed_in.post("/api/v1/me/feedback-rounds/", body, content_type="application/json").status_code == 409


def test_deleting_the_account_removes_the_raters_addresses_and_their_answers(client, clinician, closed_feedback_round):
    client.force_login(clinician)
    client.post(reverse("talent:delete_account"), {"confirm": "on"})
    assert not FeedbackRound.objects.exists()
    assert not FeedbackRater.objects.exists()
    assert not FeedbackAnswer.objects.exists()


def test_listing_rounds_costs_the_same_however_many_there_are(signed_in, clinician, django_assert_max_num_queries):
    for days in range(-40, -10, 3):
        make_round(
            clinician.clinician_profile,
            closes_in_days=days,
            raters=[(f"p{n}@example.org", RaterGroup.PEER) for n in range(5)],
        )
    with django_assert_max_num_queries(12):
        assert signed_in.get(reverse("talent:list_feedback_rounds")).status_code == 200
    with django_assert_max_num_queries(12):
        assert len(signed_in.get("/api/v1/me/feedback-rounds/").json()["results"]) == 10
