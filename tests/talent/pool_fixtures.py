"""Fixtures for talent pools, available to the whole suite (the permission matrix included).

`pool` belongs to `training_body` (North West) and has `clinician` as a member; `regional_pool` belongs to HEE London
(where `regional_hee_staff` works); `national_pool` to national HEE staff. `review` is an open review of `pool`.
"""

import pytest
from django.utils import timezone

from accounts.models import Region
from pathways.models import RoleLevel
from talent.models import MembershipState, PoolMembership, TalentPool, TalentReview


def make_pool(**fields) -> TalentPool:
    defaults = {
        "name": "Future clinical directors",
        "purpose": "Develop our next clinical directors.",
        "role_level": RoleLevel.SERVICE,
    }
    return TalentPool.objects.create(**{**defaults, **fields})


def make_member(pool: TalentPool, profile, **fields) -> PoolMembership:
    return PoolMembership.objects.create(
        pool=pool, profile=profile, state=MembershipState.ACTIVE, responded_at=timezone.now(), **fields
    )


@pytest.fixture
def pool(training_body):
    return make_pool(training_body=training_body)


@pytest.fixture
def pool_membership(pool, clinician):
    return make_member(pool, clinician.clinician_profile)


@pytest.fixture
def regional_pool(db):
    return make_pool(region=Region.objects.get(slug="london"), name="London board talent", role_level="organisation")


@pytest.fixture
def national_pool(db):
    return make_pool(name="Aspiring national leaders", role_level="national")


@pytest.fixture
def review(pool, tb_admin):
    return TalentReview.objects.create(pool=pool, opened_by=tb_admin)
