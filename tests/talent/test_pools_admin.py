"""Superusers look talent pools, members (with their readiness history) and reviews up in the admin site, and
change none of them there: changes go through the pages, which audit them and tell the clinician."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from talent.models import Readiness, ReadinessChange, ReviewRating

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="admin@example.nhs.uk", full_name="Admin", password="x-Admin-Pass-1")


def test_a_superuser_reads_pools_members_with_their_readiness_history_and_reviews(
    client, superuser, pool, pool_membership, review, tb_admin
):
    ReadinessChange.objects.create(
        membership=pool_membership, changed_by=tb_admin, from_readiness="", to_readiness=Readiness.READY_NOW
    )
    ReviewRating.objects.create(
        review=review,
        membership=pool_membership,
        original_readiness=Readiness.READY_NOW,
        agreed_readiness=Readiness.READY_1_2_YEARS,
        agreed_by=tb_admin,
        agreed_at=timezone.now(),
    )
    client.force_login(superuser)

    pools = client.get(reverse("admin:talent_talentpool_changelist"))
    member = client.get(reverse("admin:talent_poolmembership_change", args=[pool_membership.pk]))
    review_page = client.get(reverse("admin:talent_talentreview_change", args=[review.pk]))

    assert pools.status_code == 200 and pool.name in pools.content.decode()
    assert member.status_code == 200 and "Ready now" in member.content.decode()
    assert review_page.status_code == 200 and "Ready in 1 to 2 years" in review_page.content.decode()


@pytest.mark.parametrize("model", ["talentpool", "poolmembership", "talentreview"])
def test_nothing_about_pools_is_added_in_the_admin_site(client, superuser, model):
    client.force_login(superuser)

    assert client.get(reverse(f"admin:talent_{model}_add")).status_code == 403
