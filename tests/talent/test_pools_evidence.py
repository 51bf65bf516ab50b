"""An owner weighing a member's readiness has links to what they may already read of the clinician's record: a
training-body admin their record, shared plan, shared 360 reports and career conversations; HEE staff only the
record (never a plan, a 360 report or conversation free text). Each only while the clinician shares it."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from talent.models import AssessmentStatus, DevelopmentPlan, SelfAssessment
from talent.selectors import pools as selectors
from tests.clock import runs_at
from tests.factories import ClinicianProfileFactory
from tests.talent.feedback_fixtures import make_round
from tests.talent.followup_fixtures import recorded_conversation
from tests.talent.pool_fixtures import make_member

UK = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UK)
_at_now = runs_at(NOW)

pytestmark = pytest.mark.django_db


def shares_everything(profile, training_body, admin, *, rounds: int = 1, conversations: int = 1) -> None:
    SelfAssessment.objects.create(
        profile=profile, status=AssessmentStatus.COMPLETED, completed_at=NOW - timedelta(days=30)
    )
    DevelopmentPlan.objects.create(profile=profile, shared_with_training_body=True, next_review_on=date(2027, 3, 1))
    for _ in range(rounds):
        make_round(profile, closes_in_days=-1, shared_with=training_body, shared_at=timezone.now())
    for _ in range(conversations):
        recorded_conversation(profile=profile, training_body=training_body, admin=admin)


def member_page(client, owner, pool, membership) -> str:
    client.force_login(owner)
    url = reverse("talent:assess_pool_member", kwargs={"pool_id": pool.pk, "membership_id": membership.pk})
    return client.get(url).content.decode()


def test_a_training_body_admin_has_links_to_the_record_plan_360_report_and_conversations(
    client, pool, pool_membership, tb_admin, training_body
):
    profile = pool_membership.profile
    shares_everything(profile, training_body, tb_admin)
    conversation = profile.career_conversations.get()
    feedback_round = profile.feedback_rounds.get()

    page = member_page(client, tb_admin, pool, pool_membership)

    assert reverse("talent:show_clinician", kwargs={"profile_id": profile.pk}) in page
    assert "self-assessment of 26 October 2026" in page
    assert reverse("talent:show_clinician_plan", kwargs={"profile_id": profile.pk}) in page
    assert reverse("talent:show_shared_feedback_report", kwargs={"round_id": feedback_round.pk}) in page
    assert reverse("talent:show_conversation", kwargs={"conversation_id": conversation.pk}) in page
    assert conversation.aspirations not in page


def test_a_plan_or_report_no_longer_shared_is_not_offered(client, pool, pool_membership, tb_admin, training_body):
    profile = pool_membership.profile
    shares_everything(profile, training_body, tb_admin)
    DevelopmentPlan.objects.filter(profile=profile).update(shared_with_training_body=False)
    profile.feedback_rounds.update(shared_with=None, shared_at=None)

    page = member_page(client, tb_admin, pool, pool_membership)

    assert "/plan/" not in page and "/feedback/shared/" not in page
    assert reverse("talent:show_clinician", kwargs={"profile_id": profile.pk}) in page


def test_hee_staff_have_a_link_to_the_record_only_never_a_plan_report_or_conversation(
    client, national_pool, hee_staff, clinician, training_body, tb_admin
):
    profile = clinician.clinician_profile
    membership = make_member(national_pool, profile)
    shares_everything(profile, training_body, tb_admin)

    page = member_page(client, hee_staff, national_pool, membership)

    assert reverse("talent:show_clinician", kwargs={"profile_id": profile.pk}) in page
    assert "/plan/" not in page and "/feedback/shared/" not in page and "/conversations/" not in page
    evidence = selectors.readiness_evidence_for(hee_staff, membership)
    assert (evidence.plan, evidence.feedback_rounds, evidence.conversations) == (False, [], [])


def test_the_evidence_takes_the_same_number_of_queries_however_much_is_shared(pool, tb_admin, training_body, clinician):
    few = make_member(pool, clinician.clinician_profile)
    many = make_member(pool, ClinicianProfileFactory(training_body=training_body))
    shares_everything(few.profile, training_body, tb_admin, rounds=1, conversations=1)
    shares_everything(many.profile, training_body, tb_admin, rounds=4, conversations=5)

    counts = []
    for membership in (few, many):
        with CaptureQueriesContext(connection) as queries:
            evidence = selectors.readiness_evidence_for(tb_admin, membership)
            [(r.shared_with.name, r.opened_at) for r in evidence.feedback_rounds]
            [c.held_on for c in evidence.conversations]
        counts.append(len(queries))

    assert counts[0] == counts[1]
    assert len(evidence.conversations) == 5 and len(evidence.feedback_rounds) == 4
