"""The clinician's data download includes their support and development: plan, mentoring, 360 feedback rounds (the
report as they were shown it, never a rater's address or one rater's answers), career conversations with their
comments and disputes, signposts and talent pools with assessed readiness and its evidence. Only their own."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from talent.models import Signpost
from talent.services import conversations as conversation_service
from talent.services import licence as licence_service
from talent.services import mentoring as mentoring_service
from talent.services import plans as plan_service
from talent.services import pools as pool_service
from tests.clock import runs_at
from tests.factories import ClinicianFactory
from tests.talent.feedback_fixtures import make_round, submit_answer
from tests.talent.followup_fixtures import recorded_conversation
from tests.talent.plan_fixtures import leader
from tests.talent.pool_fixtures import make_member

UK = ZoneInfo("Europe/London")
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UK)
_at_now = runs_at(NOW)

EXPORT = reverse("talent:download_my_data")


def download(client, user) -> dict:
    client.force_login(user)
    response = client.get(EXPORT)
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_download_has_the_plan_with_goals_actions_and_reviews(client, clinician, other_clinician, plan_review):
    plan_service.plan_goal_add(
        clinician=other_clinician.clinician_profile, title="Someone else's goal", dimensions=["holding_to_account"]
    )

    data = download(client, clinician)

    plan = data["development_plan"]
    [goal] = plan["goals"]
    assert goal["title"] == "Lead a quality improvement project"
    assert goal["detail"] == "Reduce handover delays in the emergency department."
    assert {dimension["code"] for dimension in goal["dimensions"]} == {"engaging_the_team", "evaluating_information"}
    assert goal["actions"][0]["text"] == "Shadow the clinical director at two service meetings"
    assert goal["actions"][0]["status"]["label"] == "To do"
    assert [review["note"] for review in plan["reviews"]] == ["Good start."]
    assert "Someone else's goal" not in json.dumps(data)


def test_mentoring_shows_each_side_and_the_other_address_only_once_accepted(client, clinician, training_body):
    profile = clinician.clinician_profile
    first, second = leader(training_body, full_name="Ada Accepted"), leader(training_body, full_name="Pat Pending")
    offers = [
        mentoring_service.mentoring_offer_save(
            profile=mentor, capacity=2, professions=[], regions=[], dimensions=[], target_roles=[], about="Ask me."
        )
        for mentor in (first, second)
    ]
    accepted = mentoring_service.mentoring_request_make(mentee=profile, offer=offers[0], message="Help with a bid.")
    mentoring_service.mentoring_accept(user=first.user, request=accepted, reply="Gladly.")
    mentoring_service.mentoring_request_make(mentee=profile, offer=offers[1], message="And with rotas.")

    data = download(client, clinician)

    requests = {request["mentor"]: request for request in data["mentoring"]["requests"]}
    assert requests["Ada Accepted"]["email"] == first.user.email
    assert requests["Ada Accepted"]["reply"] == "Gladly."
    assert requests["Ada Accepted"]["status"]["code"] == "accepted"
    assert requests["Pat Pending"]["email"] is None
    assert second.user.email not in json.dumps(data)
    assert data["mentoring"]["offer"] is None

    # The mentor's own download has their offer and the request from their side.
    mentor_data = download(client, first.user)
    assert mentor_data["mentoring"]["offer"]["about"] == "Ask me."
    [received] = mentor_data["mentoring"]["requests"]
    assert received["you_are"] == "mentor" and received["mentee"] == profile.full_name
    assert received["email"] == clinician.email
    assert "And with rotas." not in json.dumps(mentor_data)


def test_feedback_rounds_give_the_report_as_shown_and_never_who_answered_what(
    client, clinician, other_clinician, closed_feedback_round, feedback_round
):
    other = make_round(
        other_clinician.clinician_profile,
        closes_in_days=-1,
        raters=[(f"their{n}@example.org", "peer") for n in range(3)],
    )
    for rater in other.raters.all():
        submit_answer(rater, 2, does_well="Someone else's praise")

    data = download(client, clinician)
    text = json.dumps(data)

    rounds = data["feedback_rounds"]
    assert len(rounds) == 2
    closed = next(item for item in rounds if item["report"]["available"])
    assert closed["shared_with"] == closed_feedback_round.shared_with.name
    assert {group["group"]: group["asked"] for group in closed["asked"]}["Peers"] == 3
    peers = next(group for group in closed["report"]["groups"] if group["group"] == "Peers")
    assert peers["answered"] == 3
    assert peers["what_they_do_well"] == ["Listens well (peer)"] * 3
    assert {row["dimension"]["code"] for row in closed["report"]["dimensions"]} >= {"engaging_the_team"}
    still_open = next(item for item in rounds if not item["report"]["available"])
    assert "when the round closes" in still_open["report"]["reason"]
    # Raters' addresses, one rater's ratings and anyone else's round never appear.
    assert "@example.org" not in text
    assert 'ratings": {' not in text
    assert "Someone else's praise" not in text


def test_talent_pools_give_assessed_readiness_with_its_evidence(
    client, clinician, other_clinician, pool, pool_membership, tb_admin
):
    pool_service.readiness_assess(
        user=tb_admin, pool=pool, membership=pool_membership, readiness="ready_1_2_years",
        evidence="Led the rota redesign across two sites.",
    )  # fmt: skip
    other = make_member(pool, other_clinician.clinician_profile)
    pool_service.readiness_assess(
        user=tb_admin, pool=pool, membership=other, readiness="ready_now", evidence="Someone else's evidence."
    )

    data = download(client, clinician)

    [membership] = data["talent_pools"]
    assert membership["pool"] == pool.name and membership["owner"] == pool.training_body.name
    assert membership["assessed_readiness"]["label"] == "Ready in 1 to 2 years"
    assert membership["readiness_evidence"] == "Led the rota redesign across two sites."
    assert membership["assessed_by"] == tb_admin.full_name
    assert membership["readiness_history"][-1]["to"]["code"] == "ready_1_2_years"
    assert "Someone else's evidence." not in json.dumps(data)


def test_conversations_with_comments_and_disputes_and_signposts_are_the_clinicians_own(
    client, clinician, other_clinician, training_body, open_opportunity
):
    profile = clinician.clinician_profile
    conversation = recorded_conversation(profile=profile, training_body=training_body, aspirations="Lead a service.")
    conversation_service.conversation_respond(
        user=clinician, conversation=conversation, response="disputed", comment="Not quite.",
        version="I said I wanted to lead a team first.",
    )  # fmt: skip
    recorded_conversation(
        profile=other_clinician.clinician_profile, training_body=training_body, aspirations="Someone else's aim."
    )
    Signpost.objects.create(profile=profile, training_body=training_body, opportunity=open_opportunity)

    data = download(client, clinician)

    [mine] = data["career_conversations"]
    assert mine["aspirations"] == "Lead a service."
    assert mine["response"] == "disputed"
    assert mine["your_comment"] == "Not quite."
    assert mine["your_account"] == "I said I wanted to lead a team first."
    assert [signpost["opportunity"] for signpost in data["signposts"]] == [open_opportunity.title]
    assert "Someone else's aim." not in json.dumps(data)
    assert "follow_ups" not in data  # the body's working items, not the clinician's data


def test_a_clinician_without_a_profile_gets_empty_sections(client, db):
    data = download(client, ClinicianFactory())

    assert data["development_plan"] is None
    assert data["mentoring"] == {"offer": None, "requests": []}
    assert data["feedback_rounds"] == [] and data["talent_pools"] == [] and data["licence_plans"] == []


def test_licence_plans_come_with_their_notes_oldest_first_and_only_the_clinicians_own(
    client, clinician, other_clinician
):
    profile = clinician.clinician_profile
    with time_machine.travel(NOW - timedelta(days=30), tick=True):
        licence_service.licence_plan_record(profile=profile, choice="undecided", note="Talk to my RO.", actor=clinician)
    licence_service.licence_plan_record(
        profile=profile, choice="keep_licence", note="One session a week.", actor=clinician
    )
    licence_service.licence_plan_record(
        profile=other_clinician.clinician_profile, choice="registration_only", note="Not mine.", actor=other_clinician
    )

    data = download(client, clinician)

    assert [(plan["choice"]["code"], plan["note"]) for plan in data["licence_plans"]] == [
        ("undecided", "Talk to my RO."),
        ("keep_licence", "One session a week."),
    ]
    assert data["licence_plans"][1]["choice"]["label"] == "Keep my licence and keep practising"
    assert "Not mine." not in json.dumps(data)
