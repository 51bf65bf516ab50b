"""Follow-ups, conversations, plans, mentoring and talent pools for the synthetic national population
(demo.bulk_support), added to a population seeded before them."""

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q

from demo import accounts as demo_accounts
from demo import bulk as demo_bulk
from demo import bulk_support
from pathways.models import ROLE_LEVEL_RANK, RoleLevel
from talent.models import (
    AgreedAction,
    CareerConversation,
    DevelopmentPlan,
    Dimension,
    FollowUp,
    FollowUpOutcome,
    MembershipState,
    MentoringOffer,
    MentoringRequest,
    MentoringStatus,
    NudgeEntry,
    PlanGoal,
    PoolMembership,
    ReadinessChange,
    ReviewRating,
    Signpost,
    TalentPool,
    TalentReview,
)
from tests.clock import runs_at
from tests.factories import TEST_PASSWORD

UK = ZoneInfo("Europe/London")
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UK)
_at_now = runs_at(NOW)
CLINICIANS = 3000


@pytest.fixture
def population(db):
    """A population seeded as before the support areas existed: clinicians and twenty bodies, nothing else."""
    call_command("load_starter_content", verbosity=0)
    demo_accounts.demo_accounts_seed(password=TEST_PASSWORD)
    demo_bulk.synthetic_population_seed(count=CLINICIANS, password=TEST_PASSWORD, training_bodies=20)
    assert not FollowUp.objects.exists()


def test_the_support_data_is_added_once_to_an_existing_population(population):
    """The first run adds every area's rows; the next finds them there and adds nothing."""
    result = bulk_support.support_population_seed()

    assert result.seeded
    for key in ("pool", "nudge", "follow_up", "conversation", "action", "signpost", "plan", "goal", "membership"):
        assert result.rows[key] > 0, key
    counts = Counter({model.__name__: model.objects.count() for model in (FollowUp, PoolMembership, DevelopmentPlan)})
    assert not bulk_support.support_population_seed().seeded
    assert Counter(
        {model.__name__: model.objects.count() for model in (FollowUp, PoolMembership, DevelopmentPlan)}
    ) == (counts)


def test_follow_ups_are_mostly_closed_each_way_some_open_and_some_overdue(population):
    bulk_support.support_population_seed()
    follow_ups = FollowUp.objects.select_related("profile", "nudge")
    total = follow_ups.count()
    today = NOW.date()

    # One per clinician named in a nudge, for that nudge's body, dated after it.
    assert NudgeEntry.objects.count() == total
    assert not follow_ups.exclude(nudge__training_body=F("training_body")).exists()
    for item in follow_ups:
        assert item.nudge.entries.filter(profile=item.profile).exists()
        assert item.opened_at > item.nudge.period_end
        assert item.closed_at is None or item.opened_at < item.closed_at <= NOW
    # Named while they shared with the body; those who have since withdrawn closed that way, the others not.
    withdrawn = follow_ups.filter(outcome=FollowUpOutcome.CONSENT_WITHDRAWN)
    assert not withdrawn.filter(profile__shares_with_training_body=True).exists()
    assert (
        not follow_ups.exclude(outcome=FollowUpOutcome.CONSENT_WITHDRAWN)
        .filter(profile__shares_with_training_body=False)
        .exists()
    )

    past_due = follow_ups.filter(due_on__lt=today)
    overdue = past_due.filter(closed_at__isnull=True).count()
    assert 0.75 < past_due.filter(closed_at__isnull=False).count() / past_due.count() < 0.95
    assert overdue > 0
    assert follow_ups.filter(due_on__gte=today, closed_at__isnull=True).exists()  # open, not yet due
    outcomes = Counter(follow_ups.exclude(outcome="").values_list("outcome", flat=True))
    assert set(outcomes) == set(FollowUpOutcome.values)
    assert outcomes[FollowUpOutcome.CONVERSATION] > outcomes[FollowUpOutcome.NOMINATED]

    # What closed each: its conversation, nomination, signposts or reason.
    for item in follow_ups.filter(outcome=FollowUpOutcome.CONVERSATION).select_related("conversation"):
        assert item.conversation.profile_id == item.profile_id
    for item in follow_ups.filter(outcome=FollowUpOutcome.NOMINATED).select_related("nomination"):
        assert (item.nomination.profile_id, item.nomination.training_body_id) == (
            item.profile_id,
            item.training_body_id,
        )
    assert not follow_ups.filter(outcome=FollowUpOutcome.NO_ACTION, no_action_reason="").exists()
    assert not Signpost.objects.exclude(follow_up__outcome=FollowUpOutcome.SIGNPOSTED).exists()
    assert not follow_ups.filter(outcome=FollowUpOutcome.SIGNPOSTED, signposts__isnull=True).exists()


def test_conversations_and_plans_are_valid_and_only_with_consenting_clinicians(population):
    bulk_support.support_population_seed()

    conversations = CareerConversation.objects.select_related("profile")
    assert conversations.count() > 50
    for conversation in conversations:
        conversation.full_clean()
        assert conversation.profile.shares_with_training_body
        assert conversation.profile.training_body_id == conversation.training_body_id
    assert not conversations.filter(actions__isnull=True).exists()
    for action in AgreedAction.objects.all()[:200]:
        action.full_clean()
    assert {c.response for c in conversations} == {"", "confirmed", "disputed"}

    goals = PlanGoal.objects.all()
    assert DevelopmentPlan.objects.count() > 50
    assert not DevelopmentPlan.objects.filter(goals__isnull=True).exists()
    for goal in goals:
        assert goal.dimensions and set(goal.dimensions) <= set(Dimension.values)
    assert DevelopmentPlan.objects.filter(reviews__isnull=False).exists()
    assert DevelopmentPlan.objects.filter(next_review_on__lt=NOW.date()).exists()  # some reviews due
    assert not DevelopmentPlan.objects.filter(shared_with_training_body=True, profile__shares_with_training_body=False)


def test_mentors_are_leaders_who_offered_and_never_over_capacity(population):
    bulk_support.support_population_seed()

    offers = MentoringOffer.objects.annotate(
        accepted=Count("requests", filter=Q(requests__status=MentoringStatus.ACCEPTED))
    )
    assert offers.count() > 5
    for offer in offers:
        assert offer.accepted == offer.mentee_count <= offer.capacity
        levels = offer.mentor.experiences.filter(end_date__isnull=True).values_list("level", flat=True)
        assert any(ROLE_LEVEL_RANK[level] >= ROLE_LEVEL_RANK[RoleLevel.SERVICE] for level in levels)
    requests = MentoringRequest.objects.all()
    assert {r.status for r in requests} >= {MentoringStatus.ACCEPTED, MentoringStatus.PENDING, MentoringStatus.ENDED}
    assert not requests.filter(mentor=F("mentee")).exists()
    assert not requests.exclude(mentor=F("offer__mentor")).exists()


def test_talent_pools_have_members_in_every_state_with_their_readiness_history(population):
    bulk_support.support_population_seed()

    pools = TalentPool.objects.annotate(members=Count("memberships"))
    kinds = Counter("body" if pool.training_body_id else "region" if pool.region_id else "national" for pool in pools)
    assert kinds == {"body": 17, "region": 21, "national": 4}  # the 17 synthetic bodies of the 20
    memberships = PoolMembership.objects.select_related("pool", "profile")
    assert memberships.count() > 0.02 * CLINICIANS
    assert set(memberships.values_list("state", flat=True)) == set(MembershipState.values)
    assert 0.5 < memberships.filter(state=MembershipState.ACTIVE).count() / memberships.count() < 0.7
    # Pools of very different sizes, as they are in life.
    sizes = sorted(pool.members for pool in pools)
    assert sizes[-1] > 10 * max(1, sizes[len(sizes) // 4])

    for membership in memberships:
        # Only consenting clinicians: with the body for its pools, with HEE for a region's or the national ones.
        if membership.pool.training_body_id:
            assert membership.profile.shares_with_training_body
            assert membership.profile.training_body_id == membership.pool.training_body_id
        else:
            assert membership.profile.shares_with_hee
            assert membership.pool.region_id in (None, membership.profile.region_id)
        # Assessed readiness for members only, and its history ends at it.
        if membership.readiness:
            assert membership.state == MembershipState.ACTIVE
            latest = membership.readiness_changes.order_by("-changed_at").first()
            assert latest.to_readiness == membership.readiness
        else:
            assert not membership.readiness_changes.exists()

    reviews = TalentReview.objects.all()
    assert reviews.count() == 9 and not reviews.filter(closed_at__isnull=True).exists()
    ratings = ReviewRating.objects.select_related("membership", "review")
    assert ratings.exists()
    for rating in ratings:
        assert rating.membership.pool_id == rating.review.pool_id
        if rating.agreed_readiness != rating.original_readiness:
            assert ReadinessChange.objects.filter(membership=rating.membership, review=rating.review).exists()
    assert any(r.agreed_readiness != r.original_readiness for r in ratings)
