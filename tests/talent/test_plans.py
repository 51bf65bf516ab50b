"""The development plan: goals tied to leadership dimensions, actions, reviews kept as they were, the review
reminder, and sharing with the training body only with the clinician's consent."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import OutboxMessage
from accounts.outbox import outbox_deliver
from config.errors import DomainError
from pathways.models import ContentStatus
from talent import selectors, services
from talent.models import DevelopmentPlan, Dimension, PlanGoal, PlanReview
from talent.services import plans as service
from tests.clock import runs_at
from tests.talent.nomination_fixtures import delivered_emails

UK = ZoneInfo("Europe/London")
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UK)
_at_now = runs_at(NOW)


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def assess(profile, ratings: dict[str, int]):
    assessment = services.self_assessment_save(
        profile=profile, ratings={key: ratings.get(key, 3) for key in Dimension.values}
    )
    return services.self_assessment_complete(assessment=assessment)


# --- Goals ------------------------------------------------------------------------------------------------------


def test_a_goal_with_no_dimension_is_a_field_error_and_nothing_is_written(client, clinician):
    profile = clinician.clinician_profile
    with pytest.raises(DomainError) as refused:
        service.plan_goal_add(clinician=profile, title="Lead a project", dimensions=[])
    client.force_login(clinician)
    page = client.post(reverse("talent:add_plan_goal"), {"title": "Lead a project"})
    api = api_as(clinician).post(
        reverse("talent_api:add_my_plan_goal"), {"title": "Lead", "dimensions": []}, format="json"
    )

    assert refused.value.field == "dimensions"
    assert page.status_code == 200
    assert "Select at least one leadership dimension this goal develops" in page.content.decode()
    assert api.status_code == 400 and "dimensions" in api.json()
    assert not DevelopmentPlan.objects.filter(profile=profile).exists()


def test_the_database_refuses_a_goal_with_no_dimension(plan_goal):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanGoal.objects.create(plan=plan_goal.plan, title="No dimension", dimensions=[])


def test_free_text_over_its_limit_is_a_field_error(client, clinician):
    client.force_login(clinician)
    page = client.post(reverse("talent:add_plan_goal"), {"title": "x" * 201, "dimensions": ["engaging_the_team"]})
    api = api_as(clinician).post(
        reverse("talent_api:add_my_plan_goal"),
        {"title": "Lead", "dimensions": ["engaging_the_team"], "detail": "x" * 2001},
        format="json",
    )
    with pytest.raises(DomainError) as refused:
        service.plan_goal_add(clinician=clinician.clinician_profile, title="x" * 201, dimensions=["engaging_the_team"])

    assert "Your goal must be 200 characters or fewer" in page.content.decode()
    assert api.status_code == 400 and "detail" in api.json()
    assert refused.value.field == "title"
    assert not PlanGoal.objects.exists()


def test_an_unknown_dimension_is_refused(clinician):
    with pytest.raises(DomainError) as refused:
        service.plan_goal_add(clinician=clinician.clinician_profile, title="Lead", dimensions=["charisma"])
    assert refused.value.field == "dimensions"


def test_a_clinician_keeps_one_plan_however_many_goals(clinician, plan_goal):
    second = service.plan_goal_add(
        clinician=clinician.clinician_profile, title="Chair a meeting", dimensions=["sharing_the_vision"]
    )

    assert second.plan_id == plan_goal.plan_id
    assert DevelopmentPlan.objects.filter(profile=clinician.clinician_profile).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        DevelopmentPlan.objects.create(profile=clinician.clinician_profile, next_review_on=date(2027, 1, 1))


def test_a_new_plan_is_due_for_review_in_six_months(plan_goal):
    assert plan_goal.plan.next_review_on == date(2027, 6, 7)


def test_the_plan_suggests_the_dimensions_rated_lowest_in_the_latest_self_assessment(client, clinician):
    profile = clinician.clinician_profile
    with time_machine.travel(NOW - timedelta(days=60), tick=False):
        assess(profile, {"holding_to_account": 1})
    assess(profile, {"engaging_the_team": 1, "sharing_the_vision": 1, "leading_with_care": 2})
    client.force_login(clinician)

    page = client.get(reverse("talent:add_plan_goal")).content.decode()
    api = api_as(clinician).get(reverse("talent_api:show_my_plan")).json()

    assert selectors.suggested_dimensions(profile) == ["sharing_the_vision", "engaging_the_team"]
    assert "Suggested: Sharing the vision, Engaging the team, which you rated lowest" in page
    assert api["suggested_dimensions"] == ["sharing_the_vision", "engaging_the_team"]


def test_a_clinician_adds_a_goal_and_an_action_linked_to_a_pathway_step(client, clinician, published_pathway):
    client.force_login(clinician)
    step = published_pathway.steps.order_by("order").first()

    added = client.post(
        reverse("talent:add_plan_goal"),
        {"title": "Lead a QI project", "dimensions": ["engaging_the_team", "evaluating_information"]},
    )
    goal = PlanGoal.objects.get()
    action = client.post(
        reverse("talent:add_plan_action", kwargs={"goal_id": goal.pk}),
        {"text": "Take the first pathway step", "pathway_step": step.pk},
    )
    page = client.get(reverse("talent:show_my_plan")).content.decode()

    assert added.status_code == 302 and action.status_code == 302
    assert goal.dimensions == ["evaluating_information", "engaging_the_team"]
    assert "Lead a QI project" in page and "Evaluating information, Engaging the team" in page
    assert f"{published_pathway.title}: {step.title}" in page


def test_an_action_linked_to_an_unpublished_opportunity_is_refused(plan_goal, clinician, draft_opportunity):
    with pytest.raises(DomainError) as refused:
        service.plan_action_add(goal=plan_goal, text="Apply", opportunity=draft_opportunity, actor=clinician)
    assert refused.value.field == "opportunity"
    assert not plan_goal.actions.exists()


def test_a_target_date_in_the_past_is_refused(clinician):
    with pytest.raises(DomainError) as refused:
        service.plan_goal_add(
            clinician=clinician.clinician_profile,
            title="Lead",
            dimensions=["engaging_the_team"],
            target_on=date(2026, 1, 1),
        )
    assert refused.value.field == "target_on"


def test_goals_and_actions_are_audited(plan_action):
    from accounts.models import AuditEvent

    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"plan.started", "plan.goal_added", "plan.action_added"} <= actions


# --- Reviews ----------------------------------------------------------------------------------------------------


def test_a_review_keeps_the_plan_as_it_was(client, clinician, plan_action):
    goal = plan_action.goal
    client.force_login(clinician)

    response = client.post(reverse("talent:review_my_plan"), {"note": "Project agreed with my supervisor."})
    review = PlanReview.objects.get()
    services.plan_goal_update(
        goal=goal,
        title="A different goal",
        dimensions=["holding_to_account"],
        detail="",
        target_on=goal.target_on,
        status="achieved",
        actor=clinician,
    )
    page = client.get(reverse("talent:show_my_plan_review", kwargs={"review_id": review.pk})).content.decode()

    assert response.status_code == 302
    assert review.reviewed_on == date(2026, 12, 7)
    assert review.snapshot["goals"][0]["title"] == "Lead a quality improvement project"
    assert review.snapshot["goals"][0]["actions"][0]["text"] == plan_action.text
    assert "Lead a quality improvement project" in page and "A different goal" not in page
    goal.plan.refresh_from_db()
    assert goal.plan.next_review_on == date(2027, 6, 7)


def test_reviews_cannot_be_changed(plan_review):
    with pytest.raises(Exception, match="cannot be changed"):
        plan_review.note = "Rewritten"
        plan_review.save()


def test_a_reminder_goes_out_once_when_a_review_is_due(plan_goal, clinician, settings):
    plan = plan_goal.plan
    before = service.plan_review_reminders_send(today=date(2027, 6, 6))
    first = service.plan_review_reminders_send(today=date(2027, 6, 7))
    again = service.plan_review_reminders_send(today=date(2027, 6, 8))
    emails = delivered_emails()

    assert (before, first, again) == (0, 1, 0)
    assert OutboxMessage.objects.filter(kind="plan_review_due").count() == 1
    assert len(emails) == 1 and emails[0].to == [clinician.email]
    assert "due for review" in emails[0].subject
    assert reverse("talent:review_my_plan") in emails[0].body
    # After a review the next one is reminded in its turn.
    services.plan_review_record(plan=plan, note="", actor=clinician, today=date(2027, 6, 9))
    assert service.plan_review_reminders_send(today=date(2027, 12, 9)) == 1


def test_a_reminder_owed_for_a_review_already_recorded_is_not_sent(plan_goal, clinician):
    service.plan_review_reminders_send(today=date(2027, 6, 7))
    services.plan_review_record(plan=plan_goal.plan, note="", actor=clinician, today=date(2027, 6, 7))
    message = OutboxMessage.objects.get(kind="plan_review_due")

    assert outbox_deliver(message_id=message.pk) is False
    assert mail.outbox == []


def test_the_review_period_comes_from_the_setting(clinician, settings):
    settings.PLAN_REVIEW_MONTHS = 3
    goal = service.plan_goal_add(clinician=clinician.clinician_profile, title="Lead", dimensions=["engaging_the_team"])
    assert goal.plan.next_review_on == date(2027, 3, 7)


def test_the_beat_schedule_runs_the_reminders_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["plan-review-reminders"]
    assert entry["task"] == "talent.tasks.send_plan_review_reminders"


# --- Sharing ----------------------------------------------------------------------------------------------------


def test_the_training_body_reads_the_plan_only_once_the_clinician_shares_it(
    client, clinician, tb_admin, other_tb_admin, hee_staff, plan_action
):
    profile = clinician.clinician_profile
    url = reverse("talent:show_clinician_plan", kwargs={"profile_id": profile.pk})
    record = reverse("talent:show_clinician", kwargs={"profile_id": profile.pk})

    client.force_login(tb_admin)
    before = client.get(url).status_code
    record_before = client.get(record).content.decode()
    services.plan_sharing_set(plan=plan_action.goal.plan, shared=True, actor=clinician)
    shared = client.get(url)
    record_after = client.get(record).content.decode()
    client.force_login(other_tb_admin)
    other_body = client.get(url).status_code
    client.force_login(hee_staff)
    hee = client.get(url).status_code
    hee_record = client.get(record).content.decode()

    assert before == 404
    assert shared.status_code == 200
    assert "Lead a quality improvement project" in shared.content.decode()
    assert plan_action.text in shared.content.decode()
    assert "development plan" not in record_before and url in record_after
    assert other_body == 404 and hee == 403 and url not in hee_record


def test_a_clinician_who_stops_sharing_their_record_hides_their_plan(client, clinician, tb_admin, shared_plan):
    services.consent_set(profile=clinician.clinician_profile, recipient="training_body", granted=False)
    client.force_login(tb_admin)

    response = client.get(reverse("talent:show_clinician_plan", kwargs={"profile_id": shared_plan.profile_id}))

    assert response.status_code == 404


def test_a_clinician_shares_their_plan_on_the_sharing_page(client, clinician, plan_goal):
    client.force_login(clinician)

    response = client.post(reverse("talent:share_my_plan"), {"shared": "yes"})

    assert response.status_code == 302
    plan_goal.plan.refresh_from_db()
    assert plan_goal.plan.shared_with_training_body


# --- Home and query counts ----------------------------------------------------------------------------------------


def test_the_home_says_when_the_plan_review_is_due(client, clinician, plan_goal):
    client.force_login(clinician)
    before = client.get(reverse("talent:show_clinician_home")).content.decode()
    with time_machine.travel(datetime(2027, 6, 8, 9, 0, tzinfo=UK)):
        client.force_login(clinician)
        due = client.get(reverse("talent:show_clinician_home")).content.decode()

    assert "next review on 7 June 2027" in before
    assert "Your plan review was due on 7 June 2027" in due and reverse("talent:review_my_plan") in due


def test_the_home_plan_item_is_one_query(clinician, plan_goal, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.plan_review_due(clinician.clinician_profile)


def add_goals(profile, count: int, clinician, opportunity) -> None:
    for index in range(count):
        goal = service.plan_goal_add(clinician=profile, title=f"Goal {index}", dimensions=["engaging_the_team"])
        service.plan_action_add(goal=goal, text=f"Action {index}", actor=clinician, opportunity=opportunity)


def test_the_plan_page_and_api_read_the_same_number_of_queries_at_1_and_10_goals(
    client, clinician, other_clinician, open_opportunity
):
    add_goals(clinician.clinician_profile, 1, clinician, open_opportunity)
    add_goals(other_clinician.clinician_profile, 10, other_clinician, open_opportunity)
    counts = []
    for user in (clinician, other_clinician):
        client.force_login(user)
        api = api_as(user)
        client.get(reverse("talent:show_my_plan"))  # warm the session
        counts.append(
            (
                queries(lambda: client.get(reverse("talent:show_my_plan"))),
                queries(lambda api=api: api.get(reverse("talent_api:show_my_plan"))),
            )
        )
    assert counts[0] == counts[1]


def test_the_plan_api_shows_goals_and_adds_them(clinician):
    api = api_as(clinician)

    created = api.post(
        reverse("talent_api:add_my_plan_goal"),
        {"title": "Lead a project", "dimensions": ["engaging_the_team"], "target_on": "2027-03-31"},
        format="json",
    )
    shared = api.patch(reverse("talent_api:show_my_plan"), {"shared_with_training_body": True}, format="json")
    reviewed = api.post(reverse("talent_api:add_my_plan_review"), {"note": "First review"}, format="json")
    plan = api.get(reverse("talent_api:show_my_plan")).json()

    assert created.status_code == 201 and created.json()["dimensions"] == ["engaging_the_team"]
    assert shared.status_code == 200 and shared.json()["shared_with_training_body"] is True
    assert reviewed.status_code == 201 and reviewed.json()["snapshot"]["goals"][0]["title"] == "Lead a project"
    assert [goal["title"] for goal in plan["goals"]] == ["Lead a project"]
    assert plan["reviews"][0]["note"] == "First review"


def test_pathway_steps_offered_for_actions_are_published_only(published_pathway):
    published_pathway.status = ContentStatus.DRAFT
    published_pathway.save()
    assert not selectors.plans.pathway_steps_for_actions().exists()
