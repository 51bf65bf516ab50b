"""Demo talent pools: `make run` shows the demo admin a pool with members in every state and a closed talent
review, the demo clinician their assessed readiness, and HEE staff a succession table filled in."""

import pytest
from django.core.management import call_command

from accounts.models import User
from demo.pools import BODY_POOL_NAME, NATIONAL_POOL_NAME
from talent.models import MembershipState, PoolMembership, Readiness, ReviewRating, TalentPool, TalentReview
from talent.selectors import pools as pool_selectors
from talent.selectors import succession
from tests.factories import TEST_PASSWORD


@pytest.mark.django_db
def test_demo_pools_fill_the_pools_the_review_and_the_succession_table_once(settings):
    settings.DEMO_PASSWORD = TEST_PASSWORD
    call_command("seed_demo", clinicians=300)
    pools_before = TalentPool.objects.count()
    members_before = PoolMembership.objects.count()
    call_command("seed_demo", clinicians=0)

    assert TalentPool.objects.count() == pools_before and PoolMembership.objects.count() == members_before
    tb_admin = User.objects.get(email="tbadmin@demo.test")
    hee = User.objects.get(email="hee@demo.test")
    clinician = User.objects.get(email="clinician@demo.test")

    body_pool = TalentPool.objects.get(name=BODY_POOL_NAME)
    assert body_pool in pool_selectors.pools_owned_by(tb_admin)
    states = set(body_pool.memberships.values_list("state", flat=True))
    assert states == set(MembershipState.values)
    review = TalentReview.objects.get(pool=body_pool)
    assert review.is_closed
    ratings = ReviewRating.objects.filter(review=review)
    assert any(r.agreed_readiness != r.original_readiness for r in ratings)
    assert any(r.agreed_readiness == r.original_readiness for r in ratings)

    regional = TalentPool.objects.filter(region__isnull=False, training_body__isnull=True)
    assert regional.values("region").distinct().count() >= 3
    assert all(pool.memberships.filter(state=MembershipState.ACTIVE).exists() for pool in regional)
    national = TalentPool.objects.get(name=NATIONAL_POOL_NAME)
    assert national in pool_selectors.pools_owned_by(hee)
    assert national.memberships.filter(state=MembershipState.ACTIVE).exclude(readiness="").exists()

    mine = pool_selectors.own_memberships(clinician).get(pool=body_pool)
    assert mine.state == MembershipState.ACTIVE and mine.readiness == Readiness.READY_3_PLUS_YEARS

    england = succession.succession_for(user=hee)
    filled = [cell for row in england.rows for cell in row.cells if cell.ready_now]
    assert {cell.region.slug for cell in filled} >= {"north-west", "london"}
    assert england.gaps
    body = succession.succession_for(user=tb_admin)
    assert sum(cell.ready_now for row in body.rows for cell in row.cells) >= 1
