"""Talent pools as their owners and clinicians use them: owners invite consenting clinicians, who join only by
accepting; a clinician may ask to join and may always leave; owners assess readiness, which the clinician sees with
its evidence; talent reviews keep the original and the agreed rating and close once."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import AuditEvent, OutboxMessage, Region, TrainingBodyMembership
from accounts.outbox import outbox_render
from config.errors import DomainError
from pathways.models import LeadershipRole, RoleLevel
from talent.models import (
    ClinicianProfile,
    MembershipState,
    PoolMembership,
    Readiness,
    ReadinessChange,
    ReviewRating,
    TalentPool,
    TalentReview,
)
from talent.selectors import pools as selectors
from talent.services import pools as service
from tests.clock import runs_at
from tests.factories import ClinicianProfileFactory, HEEStaffFactory, TrainingBodyAdminFactory, TrainingBodyFactory
from tests.talent.pool_fixtures import make_member, make_pool

UK = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UK)
_at_now = runs_at(NOW)

pytestmark = pytest.mark.django_db


def member_names(owner, pool) -> list[str]:
    return [m.profile.full_name for m in selectors.pool_members(owner, pool)]


def assess(owner, pool, membership, readiness=Readiness.READY_1_2_YEARS, **extra):
    return service.readiness_assess(
        user=owner,
        pool=pool,
        membership=membership,
        readiness=readiness,
        evidence=extra.pop("evidence", "Led the winter escalation plan."),
        **extra,
    )


# --- Owners -----------------------------------------------------------------------------------------------------


def test_a_pool_cannot_belong_to_a_training_body_and_a_region_at_once(training_body):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_pool(training_body=training_body, region=Region.objects.get(slug="london"))


def test_a_pool_owned_by_neither_a_body_nor_a_region_is_national_and_only_national_hee_staff_own_it(
    national_pool, hee_staff, regional_hee_staff, tb_admin
):
    assert national_pool.owner_name == "HEE national"
    assert list(selectors.pools_owned_by(hee_staff)) == [national_pool]
    assert list(selectors.pools_owned_by(regional_hee_staff)) == []
    assert list(selectors.pools_owned_by(tb_admin)) == []


def test_each_owner_creates_a_pool_of_their_own_scope(tb_admin, training_body, regional_hee_staff, hee_staff):
    body_pool = service.pool_create(user=tb_admin, name="CD pool", purpose="Future CDs.", role_level="service")
    regional = service.pool_create(user=regional_hee_staff, name="London", purpose="Boards.", role_level="system")
    national = service.pool_create(user=hee_staff, name="National", purpose="National.", role_level="national")

    assert body_pool.training_body == training_body and body_pool.region is None
    assert regional.region.slug == "london" and regional.training_body is None
    assert national.region is None and national.training_body is None


def test_a_pool_for_team_level_roles_is_refused_naming_the_field(tb_admin):
    with pytest.raises(DomainError) as refused:
        service.pool_create(user=tb_admin, name="Team leads", purpose="Teams.", role_level=RoleLevel.TEAM)

    assert refused.value.field == "role_level"
    assert not TalentPool.objects.exists()


def test_the_owner_invites_a_consenting_clinician_who_is_emailed_and_listed_only_after_accepting(
    pool, tb_admin, clinician
):
    membership = service.membership_invite(user=tb_admin, pool=pool, profile=clinician.clinician_profile, note="Hi")

    assert membership.state == MembershipState.INVITED
    assert member_names(tb_admin, pool) == []
    email = OutboxMessage.objects.get(kind="pool_invitation")
    assert email.to_email == clinician.email
    rendered = outbox_render(email)
    assert pool.name in rendered.subject and "/my-pools/" in rendered.body

    service.membership_respond(user=clinician, membership=membership, accept=True)

    assert member_names(tb_admin, pool) == [clinician.full_name]


def test_a_declined_invitation_lists_nobody(pool, tb_admin, clinician):
    membership = service.membership_invite(user=tb_admin, pool=pool, profile=clinician.clinician_profile)

    service.membership_respond(user=clinician, membership=membership, accept=False)

    assert member_names(tb_admin, pool) == []
    assert list(selectors.own_memberships(clinician)) == []


def test_a_clinician_who_does_not_share_their_record_cannot_be_invited_and_nothing_is_written(
    pool, tb_admin, private_clinician
):
    with pytest.raises(DomainError) as refused:
        service.membership_invite(user=tb_admin, pool=pool, profile=private_clinician.clinician_profile)

    assert refused.value.field == "clinician"
    assert not PoolMembership.objects.exists() and not OutboxMessage.objects.exists()


def test_another_bodys_clinician_cannot_be_invited_to_a_body_pool(pool, tb_admin, other_clinician):
    with pytest.raises(DomainError):
        service.membership_invite(user=tb_admin, pool=pool, profile=other_clinician.clinician_profile)


def test_a_second_invitation_of_the_same_clinician_is_a_conflict(pool, tb_admin, clinician):
    service.membership_invite(user=tb_admin, pool=pool, profile=clinician.clinician_profile)

    with pytest.raises(DomainError) as refused:
        service.membership_invite(user=tb_admin, pool=pool, profile=clinician.clinician_profile)

    assert refused.value.conflict and "already invited" in refused.value.message
    assert PoolMembership.objects.count() == 1


def test_another_bodys_admin_cannot_invite_to_the_pool(pool, other_tb_admin, clinician):
    with pytest.raises(PermissionDenied):
        service.membership_invite(user=other_tb_admin, pool=pool, profile=clinician.clinician_profile)
    assert not PoolMembership.objects.exists()


def test_a_regional_pool_takes_only_clinicians_of_its_region_sharing_with_hee(
    regional_pool, regional_hee_staff, clinician, other_clinician
):
    with pytest.raises(DomainError):
        service.membership_invite(user=regional_hee_staff, pool=regional_pool, profile=clinician.clinician_profile)

    service.membership_invite(user=regional_hee_staff, pool=regional_pool, profile=other_clinician.clinician_profile)


# --- Clinicians ---------------------------------------------------------------------------------------------------


def test_a_clinician_asks_to_join_and_an_owner_accepts(pool, tb_admin, clinician):
    assert list(selectors.pools_open_to(clinician)) == [pool]

    membership = service.membership_request(user=clinician, pool=pool)

    assert OutboxMessage.objects.get(kind="pool_request").to_email == tb_admin.email
    assert member_names(tb_admin, pool) == []
    service.membership_respond(user=tb_admin, membership=membership, accept=True)
    assert member_names(tb_admin, pool) == [clinician.full_name]
    assert OutboxMessage.objects.filter(kind="pool_request_answered", to_email=clinician.email).exists()


def test_a_clinician_cannot_accept_their_own_request(pool, clinician):
    membership = service.membership_request(user=clinician, pool=pool)

    with pytest.raises(PermissionDenied):
        service.membership_respond(user=clinician, membership=membership, accept=True)
    membership.refresh_from_db()
    assert membership.state == MembershipState.REQUESTED


def test_leaving_removes_the_clinician_from_every_view(pool, pool_membership, tb_admin, clinician):
    assess(tb_admin, pool, pool_membership)

    service.membership_leave(user=clinician, membership=pool_membership)

    assert member_names(tb_admin, pool) == []
    assert list(selectors.own_memberships(clinician)) == []
    with pytest.raises(DomainError) as refused:
        assess(tb_admin, pool, pool_membership)
    assert refused.value.field == "member"


def test_withdrawing_consent_hides_the_member_from_the_owners(pool, pool_membership, tb_admin, clinician):
    profile = clinician.clinician_profile
    profile.shares_with_training_body = False
    profile.save(update_fields=["shares_with_training_body"])

    assert member_names(tb_admin, pool) == []


# --- Readiness ------------------------------------------------------------------------------------------------------


def test_readiness_changes_are_kept_with_who_when_from_and_to(pool, pool_membership, tb_admin):
    second = TrainingBodyAdminFactory(training_body=pool.training_body)
    assess(tb_admin, pool, pool_membership, Readiness.READY_3_PLUS_YEARS)
    assess(second, pool, pool_membership, Readiness.READY_NOW)

    changes = list(ReadinessChange.objects.order_by("changed_at"))
    assert [(c.from_readiness, c.to_readiness, c.changed_by) for c in changes] == [
        ("", Readiness.READY_3_PLUS_YEARS, tb_admin),
        (Readiness.READY_3_PLUS_YEARS, Readiness.READY_NOW, second),
    ]
    assert AuditEvent.objects.filter(action="talent_pool.readiness_changed").count() == 2


def test_rating_a_clinician_not_in_the_pool_is_refused(pool, tb_admin, training_body):
    invited = PoolMembership.objects.create(
        pool=pool, profile=ClinicianProfileFactory(training_body=training_body), state=MembershipState.INVITED
    )
    with pytest.raises(DomainError) as refused:
        assess(tb_admin, pool, invited)
    assert refused.value.field == "member"


def test_a_target_role_outside_the_pools_role_level_is_refused(pool, pool_membership, tb_admin):
    board_role = LeadershipRole.objects.create(slug="md", name="Medical director test", level=RoleLevel.ORGANISATION)

    with pytest.raises(DomainError) as refused:
        assess(tb_admin, pool, pool_membership, target_role=board_role)

    assert refused.value.field == "target_role"
    pool_membership.refresh_from_db()
    assert pool_membership.readiness == "" and not ReadinessChange.objects.exists()


def test_the_clinician_sees_their_assessed_readiness_and_the_evidence(
    client, pool, pool_membership, tb_admin, clinician
):
    assess(tb_admin, pool, pool_membership, Readiness.READY_NOW, evidence="Acting clinical director since May.")
    client.force_login(clinician)

    page = client.get(reverse("talent:show_my_pool_membership", kwargs={"membership_id": pool_membership.pk}))

    assert "Ready now" in page.content.decode()
    assert "Acting clinical director since May." in page.content.decode()


def test_the_owner_assesses_on_the_page_and_a_missing_evidence_is_a_field_error(
    client, pool, pool_membership, tb_admin
):
    client.force_login(tb_admin)
    url = reverse("talent:assess_pool_member", kwargs={"pool_id": pool.pk, "membership_id": pool_membership.pk})

    refused = client.post(url, {"readiness": Readiness.READY_NOW, "evidence": ""})
    assert refused.status_code == 200 and "Enter the evidence for this readiness" in refused.content.decode()

    saved = client.post(url, {"readiness": Readiness.READY_NOW, "evidence": "Ran the service review."})
    assert saved.status_code == 302
    pool_membership.refresh_from_db()
    assert pool_membership.readiness == Readiness.READY_NOW


def test_the_owner_invites_on_the_page(client, pool, tb_admin, clinician):
    client.force_login(tb_admin)
    url = reverse("talent:show_pool", kwargs={"pool_id": pool.pk})
    assert f"{clinician.full_name} (Doctor)" in client.get(url).content.decode()

    page = client.post(url, {"action": "invite", "clinician": clinician.clinician_profile.pk}, follow=True)

    assert f"{clinician.full_name} was invited." in page.content.decode()
    assert PoolMembership.objects.get().state == MembershipState.INVITED


def test_an_invitation_on_the_page_of_a_non_consenting_clinician_is_a_field_error(
    client, pool, tb_admin, private_clinician
):
    client.force_login(tb_admin)

    page = client.post(
        reverse("talent:show_pool", kwargs={"pool_id": pool.pk}),
        {"action": "invite", "clinician": private_clinician.clinician_profile.pk},
    )

    assert page.status_code == 200
    assert "Choose a clinician who shares their record" in page.content.decode()
    assert not PoolMembership.objects.exists()


def test_the_clinician_accepts_and_leaves_on_their_page(client, pool, tb_admin, clinician):
    membership = service.membership_invite(user=tb_admin, pool=pool, profile=clinician.clinician_profile)
    client.force_login(clinician)
    url = reverse("talent:show_my_pool_membership", kwargs={"membership_id": membership.pk})

    client.post(url, {"action": "accept"})
    assert member_names(tb_admin, pool) == [clinician.full_name]
    client.post(url, {"action": "leave"})
    assert member_names(tb_admin, pool) == []
    assert client.get(url).status_code == 404


# --- Talent reviews -------------------------------------------------------------------------------------------------


def test_a_review_keeps_the_original_and_the_agreed_rating_and_who_agreed_it(pool, pool_membership, review, tb_admin):
    second = TrainingBodyAdminFactory(training_body=pool.training_body, full_name="Second Owner")
    assess(tb_admin, pool, pool_membership, Readiness.READY_3_PLUS_YEARS)

    rating = service.review_rate(user=second, review=review, membership=pool_membership, readiness=Readiness.READY_NOW)

    assert (rating.original_readiness, rating.agreed_readiness, rating.agreed_by) == (
        Readiness.READY_3_PLUS_YEARS,
        Readiness.READY_NOW,
        second,
    )
    pool_membership.refresh_from_db()
    assert pool_membership.readiness == Readiness.READY_3_PLUS_YEARS  # until the review closes

    service.review_close(user=tb_admin, review=review)

    pool_membership.refresh_from_db()
    assert pool_membership.readiness == Readiness.READY_NOW
    change = ReadinessChange.objects.get(review=review)
    assert (change.from_readiness, change.to_readiness) == (Readiness.READY_3_PLUS_YEARS, Readiness.READY_NOW)
    rating.refresh_from_db()
    assert rating.original_readiness == Readiness.READY_3_PLUS_YEARS


def test_a_closed_review_is_read_only(pool, pool_membership, review, tb_admin):
    service.review_close(user=tb_admin, review=review)

    with pytest.raises(DomainError) as rate_refused:
        service.review_rate(user=tb_admin, review=review, membership=pool_membership, readiness=Readiness.READY_NOW)
    with pytest.raises(DomainError) as close_refused:
        service.review_close(user=tb_admin, review=review)

    assert rate_refused.value.conflict and close_refused.value.conflict
    assert f"closed by {tb_admin.full_name}" in rate_refused.value.message
    assert not ReviewRating.objects.exists()


def test_a_pool_has_one_open_review_at_a_time(pool, review, tb_admin):
    with pytest.raises(DomainError) as refused:
        service.review_open(user=tb_admin, pool=pool)
    assert refused.value.conflict
    assert TalentReview.objects.count() == 1


def test_rating_from_an_out_of_date_page_is_refused_naming_who_agreed_and_when(pool, pool_membership, review, tb_admin):
    second = TrainingBodyAdminFactory(training_body=pool.training_body, full_name="Quick Owner")
    service.review_rate(user=second, review=review, membership=pool_membership, readiness=Readiness.READY_NOW)

    with pytest.raises(DomainError) as refused:
        service.review_rate(
            user=tb_admin, review=review, membership=pool_membership, readiness=Readiness.DEVELOP_IN_ROLE, version=0
        )

    assert refused.value.conflict
    assert "Quick Owner agreed ready now" in refused.value.message and "25 November 2026" in refused.value.message
    assert ReviewRating.objects.get().agreed_readiness == Readiness.READY_NOW


def test_rating_a_clinician_not_in_the_pool_in_a_review_is_refused(
    pool, review, tb_admin, other_clinician, other_training_body
):
    elsewhere = make_member(make_pool(training_body=other_training_body), other_clinician.clinician_profile)

    with pytest.raises(DomainError) as refused:
        service.review_rate(user=tb_admin, review=review, membership=elsewhere, readiness=Readiness.READY_NOW)
    assert refused.value.field == "member"


def test_the_review_page_shows_the_closed_review_without_forms(client, pool, pool_membership, review, tb_admin):
    service.review_rate(user=tb_admin, review=review, membership=pool_membership, readiness=Readiness.READY_NOW)
    service.review_close(user=tb_admin, review=review)
    client.force_login(tb_admin)

    page = client.get(reverse("talent:show_review", kwargs={"review_id": review.pk})).content.decode()

    assert "can no longer change" in page and 'value="rate"' not in page and 'value="close"' not in page


def test_hee_staff_of_another_region_never_see_a_regional_pool(regional_pool):
    north_west = HEEStaffFactory(hee_region=Region.objects.get(slug="north-west"))
    assert list(selectors.pools_owned_by(north_west)) == []


# --- Tampered forms -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("member", ["not-an-id", "", "1"])
def test_answering_a_request_with_a_member_that_is_not_an_id_is_not_found(client, pool, tb_admin, member):
    client.force_login(tb_admin)

    page = client.post(
        reverse("talent:show_pool", kwargs={"pool_id": pool.pk}), {"action": "accept_request", "member": member}
    )

    assert page.status_code == 404


@pytest.mark.parametrize("pool_id", ["not-an-id", ""])
def test_asking_to_join_a_pool_that_is_not_an_id_says_so(client, pool, clinician, pool_id):
    client.force_login(clinician)

    page = client.post(reverse("talent:list_my_pools"), {"action": "request", "pool": pool_id}, follow=True)

    assert page.status_code == 200 and "You cannot ask to join that pool." in page.content.decode()
    assert not PoolMembership.objects.exists()


# --- Counts ---------------------------------------------------------------------------------------------------------


def test_the_pool_list_counts_only_members_and_requests_the_owner_would_see_listed(
    client, pool, pool_membership, tb_admin, training_body
):
    """A count that still included a clinician who withdrew consent or closed their account would give it away."""
    withdrew = make_member(pool, ClinicianProfileFactory(training_body=training_body))
    closed = PoolMembership.objects.create(
        pool=pool, profile=ClinicianProfileFactory(training_body=training_body), state=MembershipState.REQUESTED
    )
    asking = PoolMembership.objects.create(
        pool=pool, profile=ClinicianProfileFactory(training_body=training_body), state=MembershipState.REQUESTED
    )
    ClinicianProfile.objects.filter(pk=withdrew.profile_id).update(shares_with_training_body=False)
    ClinicianProfile.objects.filter(pk=closed.profile_id).update(account_active=False)

    counted = selectors.with_member_counts(selectors.pools_owned_by(tb_admin)).get()

    assert (counted.member_count, counted.waiting_count) == (1, 1)
    assert [m.pk for m in selectors.pool_members(tb_admin, pool)] == [pool_membership.pk]
    assert [m.pk for m in selectors.pool_members(tb_admin, pool, states=(MembershipState.REQUESTED,))] == [asking.pk]


def test_a_member_of_another_profession_than_the_pools_is_neither_listed_nor_counted(
    pool, pool_membership, tb_admin, clinician
):
    TalentPool.objects.filter(pk=pool.pk).update(professions=["nurse"])
    pool.refresh_from_db()

    counted = selectors.with_member_counts(selectors.pools_owned_by(tb_admin)).get()

    assert member_names(tb_admin, pool) == [] and counted.member_count == 0
    TalentPool.objects.filter(pk=pool.pk).update(professions=["nurse", "doctor"])
    pool.refresh_from_db()
    counted = selectors.with_member_counts(selectors.pools_owned_by(tb_admin)).get()
    assert member_names(tb_admin, pool) == [clinician.full_name] and counted.member_count == 1


# --- The review page ------------------------------------------------------------------------------------------------


def test_the_review_page_shows_a_note_entered_elsewhere_and_saving_keeps_it(
    client, pool, pool_membership, review, tb_admin
):
    """A note another owner typed through the API is on the page, so saving the page's form does not wipe it."""
    second = TrainingBodyAdminFactory(training_body=pool.training_body)
    service.review_rate(
        user=second,
        review=review,
        membership=pool_membership,
        readiness=Readiness.READY_NOW,
        note="Panel: strong board exposure.",
    )
    client.force_login(tb_admin)
    url = reverse("talent:show_review", kwargs={"review_id": review.pk})
    prefix = str(pool_membership.pk)

    page = client.get(url).content.decode()

    assert f'name="{prefix}-note"' in page and "Panel: strong board exposure." in page
    client.post(
        url,
        {
            "action": "rate",
            "prefix": prefix,
            f"{prefix}-member": prefix,
            f"{prefix}-version": 1,
            f"{prefix}-readiness": Readiness.READY_1_2_YEARS,
            f"{prefix}-note": "Panel: strong board exposure.",
        },
    )
    rating = ReviewRating.objects.get()
    assert (rating.agreed_readiness, rating.note) == (Readiness.READY_1_2_YEARS, "Panel: strong board exposure.")

    service.review_close(user=tb_admin, review=review)
    assert "Note: Panel: strong board exposure." in client.get(url).content.decode()


def test_a_closed_review_shows_only_its_ratings_with_the_readiness_they_came_in_with(
    client, pool, pool_membership, review, tb_admin, training_body
):
    """The closed review is a record: not the pool as it is now, nor anyone who joined after it closed."""
    unrated = make_member(pool, ClinicianProfileFactory(training_body=training_body, full_name="Una Rated"))
    assess(tb_admin, pool, pool_membership, Readiness.READY_3_PLUS_YEARS)
    assess(tb_admin, pool, unrated, Readiness.DEVELOP_IN_ROLE)
    service.review_rate(user=tb_admin, review=review, membership=pool_membership, readiness=Readiness.READY_NOW)
    service.review_close(user=tb_admin, review=review)
    make_member(pool, ClinicianProfileFactory(training_body=training_body, full_name="Late Joiner"))
    client.force_login(tb_admin)
    url = reverse("talent:show_review", kwargs={"review_id": review.pk})

    page = client.get(url).content.decode()
    api = APIClient()
    api.force_authenticate(tb_admin)
    ratings = api.get(reverse("talent_api:show_review", kwargs={"review_id": review.pk})).json()["ratings"]

    assert "Una Rated" not in page and "Late Joiner" not in page and "Develop in current role" not in page
    assert pool_membership.profile.full_name in page and "Ready in 3 or more years" in page
    assert [(r["original_readiness"], r["agreed_readiness"]) for r in ratings] == [
        (Readiness.READY_3_PLUS_YEARS, Readiness.READY_NOW)
    ]
    service.membership_leave(user=pool_membership.profile.user, membership=pool_membership)
    assert pool_membership.profile.full_name not in client.get(url).content.decode()


@pytest.mark.parametrize("state", [MembershipState.INVITED, MembershipState.REQUESTED])
def test_the_page_of_an_invitation_or_request_says_nothing_about_licences(client, pool, tb_admin, clinician, state):
    """Licence flags are worked out for members only; an invitation must not claim no role needs a licence."""
    LeadershipRole.objects.filter(level=pool.role_level).update(needs_licence=True)
    waiting = PoolMembership.objects.create(pool=pool, profile=clinician.clinician_profile, state=state)
    client.force_login(tb_admin)

    page = client.get(
        reverse("talent:assess_pool_member", kwargs={"pool_id": pool.pk, "membership_id": waiting.pk})
    ).content.decode()

    assert "needs a licence" not in page and "Licence to practise" not in page


# --- Closing a review -----------------------------------------------------------------------------------------------


def test_closing_a_review_writes_no_readiness_to_members_who_left_or_withdrew_consent(
    pool, pool_membership, review, tb_admin, training_body
):
    """Their agreed rating stays in the review, but nothing new is written to a member the owners can no longer see."""
    withdrew = make_member(pool, ClinicianProfileFactory(training_body=training_body))
    stays = make_member(pool, ClinicianProfileFactory(training_body=training_body))
    for membership in (pool_membership, withdrew, stays):
        service.review_rate(user=tb_admin, review=review, membership=membership, readiness=Readiness.READY_NOW)
    service.membership_leave(user=pool_membership.profile.user, membership=pool_membership)
    ClinicianProfile.objects.filter(pk=withdrew.profile_id).update(shares_with_training_body=False)

    service.review_close(user=tb_admin, review=review)

    readiness = dict(PoolMembership.objects.values_list("pk", "readiness"))
    assert readiness == {pool_membership.pk: "", withdrew.pk: "", stays.pk: Readiness.READY_NOW}
    assert list(ReadinessChange.objects.values_list("membership_id", flat=True)) == [stays.pk]
    assert ReviewRating.objects.filter(review=review).count() == 3


def _queries_to_close(pool, owner, members: int) -> int:
    review = TalentReview.objects.create(pool=pool, opened_by=owner)
    for _ in range(members):
        membership = make_member(pool, ClinicianProfileFactory(training_body=pool.training_body))
        assess(owner, pool, membership, Readiness.READY_NOW)
        service.review_rate(user=owner, review=review, membership=membership, readiness=Readiness.READY_NOW)
    with CaptureQueriesContext(connection) as queries:
        service.review_close(user=owner, review=review)
    return len(queries)


def test_closing_a_review_locks_its_members_in_one_query_however_many_were_rated(pool, tb_admin):
    """A review whose ratings change nobody closes in the same number of queries at 1 and at 6 members."""
    assert _queries_to_close(pool, tb_admin, 1) == _queries_to_close(pool, tb_admin, 6)


# --- Owners, and the bodies an admin runs pools for -----------------------------------------------------------------


def test_a_request_to_join_a_regional_pool_is_told_to_that_regions_active_hee_staff_only(
    regional_pool, regional_hee_staff, hee_staff, other_clinician
):
    HEEStaffFactory(hee_region=regional_pool.region, is_active=False)
    HEEStaffFactory(hee_region=Region.objects.get(slug="north-west"))

    service.membership_request(user=other_clinician, pool=regional_pool)

    assert list(OutboxMessage.objects.filter(kind="pool_request").values_list("to_email", flat=True)) == [
        regional_hee_staff.email
    ]


def test_an_admin_of_two_bodies_chooses_one_of_them_for_a_pool_and_never_another(
    client, tb_admin, training_body, other_training_body
):
    third = TrainingBodyFactory(name="Zeta deanery")
    TrainingBodyMembership.objects.create(user=tb_admin, training_body=other_training_body)
    client.force_login(tb_admin)
    url = reverse("talent:create_pool")
    fields = {"name": "Board", "purpose": "Boards.", "role_level": "organisation"}

    page = client.get(url).content.decode()
    created = client.post(url, {**fields, "training_body": other_training_body.pk})
    refused = client.post(url, {**fields, "training_body": third.pk})

    assert training_body.name in page and other_training_body.name in page and third.name not in page
    assert created.status_code == 302 and TalentPool.objects.get().training_body == other_training_body
    assert refused.status_code == 200 and TalentPool.objects.count() == 1
