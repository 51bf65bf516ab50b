"""The talent pools API: owners create pools, invite, assess and hold reviews; clinicians answer, ask to join and
leave. Bad input is a field error (400) or a conflict (409), never a 500, and nothing is half-written."""

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role, User
from pathways.models import LeadershipRole, Opportunity
from regulators.models import RevalidationRecord
from talent.models import (
    ClinicianProfile,
    LicencePlan,
    MembershipState,
    Nomination,
    PoolMembership,
    Readiness,
    ReviewRating,
)
from tests.factories import ClinicianProfileFactory
from tests.talent.pool_fixtures import make_pool

pytestmark = pytest.mark.django_db


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def members_url(pool) -> str:
    return reverse("talent_api:list_pool_members", kwargs={"pool_id": pool.pk})


def test_an_owner_creates_a_pool_and_a_team_level_is_a_field_error(tb_admin, training_body):
    client = api_as(tb_admin)
    url = reverse("talent_api:list_pools")

    created = client.post(
        url, {"name": "Boards", "purpose": "Future board members.", "role_level": "organisation"}, format="json"
    )
    refused = client.post(url, {"name": "Teams", "purpose": "Team leads.", "role_level": "team"}, format="json")

    assert created.status_code == 201, created.json()
    assert created.json()["training_body"] == training_body.slug and created.json()["owner"] == training_body.name
    assert refused.status_code == 400 and "role_level" in refused.json()
    assert [p["name"] for p in client.get(url).json()["results"]] == ["Boards"]


def test_inviting_answers_400_for_a_non_consenting_clinician_and_409_for_a_duplicate(
    pool, tb_admin, clinician, private_clinician
):
    client = api_as(tb_admin)

    hidden = client.post(members_url(pool), {"clinician": str(private_clinician.clinician_profile.pk)}, format="json")
    invited = client.post(members_url(pool), {"clinician": str(clinician.clinician_profile.pk)}, format="json")
    again = client.post(members_url(pool), {"clinician": str(clinician.clinician_profile.pk)}, format="json")

    assert hidden.status_code == 400 and "clinician" in hidden.json()
    assert invited.status_code == 201 and invited.json()["state"] == "invited"
    assert again.status_code == 409 and "already invited" in again.json()["detail"]
    assert PoolMembership.objects.count() == 1
    assert client.get(members_url(pool)).json()["count"] == 0
    assert client.get(members_url(pool), {"state": "invited"}).json()["count"] == 1


def test_the_clinician_accepts_sees_their_readiness_and_leaves(pool, tb_admin, clinician):
    owner = api_as(tb_admin)
    membership_id = owner.post(
        members_url(pool), {"clinician": str(clinician.clinician_profile.pk)}, format="json"
    ).json()["id"]
    me = api_as(clinician)

    accepted = me.post(reverse("talent_api:accept_pool_invitation", kwargs={"membership_id": membership_id}))
    assert accepted.status_code == 200 and accepted.json()["state"] == "active"
    assessed = owner.post(
        reverse("talent_api:assess_pool_member", kwargs={"pool_id": pool.pk, "membership_id": membership_id}),
        {"readiness": "ready_now", "evidence": "Leads the directorate."},
        format="json",
    )
    assert assessed.status_code == 200, assessed.json()
    mine = me.get(reverse("talent_api:list_my_pools")).json()["results"]
    assert [(m["readiness"], m["readiness_evidence"]) for m in mine] == [("ready_now", "Leads the directorate.")]

    left = me.post(reverse("talent_api:leave_pool", kwargs={"membership_id": membership_id}))

    assert left.status_code == 204
    assert me.get(reverse("talent_api:list_my_pools")).json()["count"] == 0
    assert owner.get(members_url(pool)).json()["count"] == 0


def test_a_clinician_asks_to_join_and_a_second_request_is_a_conflict(pool, clinician, tb_admin):
    me = api_as(clinician)
    url = reverse("talent_api:list_my_pools")

    first = me.post(url, {"pool": str(pool.pk)}, format="json")
    second = me.post(url, {"pool": str(pool.pk)}, format="json")

    assert first.status_code == 201 and first.json()["state"] == "requested"
    assert second.status_code == 409
    accepted = api_as(tb_admin).post(
        reverse("talent_api:accept_pool_request", kwargs={"pool_id": pool.pk, "membership_id": first.json()["id"]})
    )
    assert accepted.status_code == 200 and accepted.json()["state"] == "active"


def test_a_clinician_cannot_ask_to_join_another_bodys_pool(other_clinician, pool):
    refused = api_as(other_clinician).post(reverse("talent_api:list_my_pools"), {"pool": str(pool.pk)}, format="json")
    assert refused.status_code == 400 and "pool" in refused.json()


def test_a_review_through_the_api_keeps_both_ratings_and_a_closed_review_answers_409(
    pool, pool_membership, tb_admin, other_clinician
):
    client = api_as(tb_admin)
    review = client.post(reverse("talent_api:list_reviews"), {"pool": str(pool.pk)}, format="json").json()
    rate_url = reverse("talent_api:rate_review_member", kwargs={"review_id": review["id"]})

    outsider = client.post(
        rate_url, {"member": str(other_clinician.clinician_profile.pk), "readiness": "ready_now"}, format="json"
    )
    rated = client.post(rate_url, {"member": str(pool_membership.pk), "readiness": "ready_now"}, format="json")
    stale = client.post(
        rate_url, {"member": str(pool_membership.pk), "readiness": "develop_in_role", "version": 0}, format="json"
    )
    closed = client.post(reverse("talent_api:close_review", kwargs={"review_id": review["id"]}))
    after = client.post(
        rate_url, {"member": str(pool_membership.pk), "readiness": "develop_in_role", "version": 1}, format="json"
    )

    assert outsider.status_code == 400 and "member" in outsider.json()
    assert rated.status_code == 200
    assert rated.json()["ratings"] == [
        {
            "member": str(pool_membership.pk),
            "original_readiness": "",
            "agreed_readiness": "ready_now",
            "agreed_by": tb_admin.full_name,
            "agreed_at": rated.json()["ratings"][0]["agreed_at"],
            "note": "",
            "version": 1,
        }
    ]
    assert stale.status_code == 409 and tb_admin.full_name in stale.json()["detail"]
    assert closed.status_code == 200 and closed.json()["closed_at"]
    assert after.status_code == 409
    assert ReviewRating.objects.get().agreed_readiness == Readiness.READY_NOW
    pool_membership.refresh_from_db()
    assert pool_membership.readiness == Readiness.READY_NOW


def test_a_pool_of_another_body_does_not_exist_for_its_admin(pool, other_tb_admin, clinician):
    client = api_as(other_tb_admin)
    assert client.get(members_url(pool)).status_code == 404
    invite = client.post(members_url(pool), {"clinician": str(clinician.clinician_profile.pk)}, format="json")
    assert invite.status_code == 404


def add_members(pool, count: int, *, start: int = 0) -> None:
    """`count` consenting clinicians of the pool's body in the pool, written in bulk."""
    template = ClinicianProfileFactory.build(training_body=pool.training_body)
    users = User.objects.bulk_create(
        User(
            email=f"member{n}@example.test",
            full_name=f"Member {n:04d}",
            role=Role.CLINICIAN,
            password=make_password(None),
            is_active=True,
        )
        for n in range(start, start + count)
    )
    profiles = ClinicianProfile.objects.bulk_create(
        ClinicianProfile(
            user=user,
            profession=template.profession,
            regulator=template.regulator,
            registration_number=f"{8000000 + n:07d}",
            first_registration_year=template.first_registration_year,
            career_stage=template.career_stage,
            specialty_training_year=3,
            region=template.region,
            training_body=pool.training_body,
            training_body_confirmed_at=template.training_body_confirmed_at,
            shares_with_training_body=True,
            shares_with_hee=True,
            full_name=user.full_name,
            account_active=True,
        )
        for n, user in zip(range(start, start + count), users, strict=True)
    )
    PoolMembership.objects.bulk_create(
        PoolMembership(pool=pool, profile=profile, state=MembershipState.ACTIVE) for profile in profiles
    )


def add_licence_facts(pool, opportunity) -> None:
    """Every member aims for clinical director (a role that needs a licence) and has a licence plan; every other one
    is overdue, the rest due during the secondment they were approved for."""
    today, now = timezone.localdate(), timezone.now()
    members = list(PoolMembership.objects.filter(pool=pool).select_related("profile").order_by("pk"))
    PoolMembership.objects.filter(pool=pool).update(target_role=LeadershipRole.objects.get(slug="clinical-director"))
    RevalidationRecord.objects.bulk_create(
        RevalidationRecord(
            profile=m.profile,
            regulator_id=m.profile.regulator_id,
            next_due_on=today - timedelta(days=1) if n % 2 else today + timedelta(days=200),
        )
        for n, m in enumerate(members)
    )
    Nomination.objects.bulk_create(
        Nomination(
            profile=m.profile,
            opportunity=opportunity,
            training_body=pool.training_body,
            route="application",
            nominated_by_id=m.profile.user_id,
            supporting_statement="I want to lead.",
            state="approved",
            submitted_at=now,
            decided_at=now,
        )
        for m in members
    )
    LicencePlan.objects.bulk_create(LicencePlan(profile=m.profile, choice="keep_licence") for m in members)


def queries_to_list(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Revalidation overdue" in text and "Revalidation due during a programme" in text
    assert "Keep my licence and keep practising" in text or "keep_licence" in text
    return len(captured)


@pytest.mark.parametrize("api", [False, True], ids=["page", "api"])
def test_the_member_list_takes_the_same_queries_at_10_and_1000_members(client, tb_admin, training_body, api):
    small = make_pool(training_body=training_body, name="Ten members")
    large = make_pool(training_body=training_body, name="A thousand members")
    add_members(small, 10)
    add_members(large, 1000, start=10)
    today = timezone.localdate()
    secondment = Opportunity.objects.create(
        slug="board-secondment",
        title="Board secondment",
        provider="Example Leadership Academy",
        kind="secondment",
        summary="A secondment.",
        description="A secondment.",
        opens_on=today - timedelta(days=60),
        closes_on=today - timedelta(days=30),
        starts_on=today + timedelta(days=100),
        ends_on=today + timedelta(days=300),
    )
    add_licence_facts(small, secondment)
    add_licence_facts(large, secondment)
    if api:
        client = api_as(tb_admin)
    else:
        client.force_login(tb_admin)

    def url(pool) -> str:
        return members_url(pool) if api else reverse("talent:show_pool", kwargs={"pool_id": pool.pk})

    queries_to_list(client, url(small))  # the session and the first view's one-off reads
    assert queries_to_list(client, url(large)) == queries_to_list(client, url(small))


def test_ids_in_bodies_that_are_not_ids_are_field_errors(pool, review, pool_membership, tb_admin, clinician):
    owner = api_as(tb_admin)

    answers = {
        "clinician": owner.post(members_url(pool), {"clinician": "x' OR 1=1"}, format="json"),
        "member": owner.post(
            reverse("talent_api:rate_review_member", kwargs={"review_id": review.pk}),
            {"member": "nope", "readiness": Readiness.READY_NOW},
            format="json",
        ),
        "pool": owner.post(reverse("talent_api:list_reviews"), {"pool": "12"}, format="json"),
    }
    joined = api_as(clinician).post(reverse("talent_api:list_my_pools"), {"pool": ["a"]}, format="json")

    assert {field: (a.status_code, field in a.json()) for field, a in answers.items()} == {
        "clinician": (400, True),
        "member": (400, True),
        "pool": (400, True),
    }
    assert joined.status_code == 400 and "pool" in joined.json()
