"""Confirmed membership of a training body: a clinician's choice of body is a request until an admin of that body
confirms it. Until then the body does not list, nudge, nominate or count them; its admins confirm one at a time or
in bulk, and can remove a member, who is told by email."""

import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, NudgeFrequency, OutboxMessage, Region
from accounts.outbox import outbox_render
from config.errors import DomainError
from pipeline.selectors import PipelineFilters, pipeline_summary
from pipeline.services import pipeline_rollups_refresh
from regulators.models import Profession
from talent import selectors, services
from talent.models import CareerStage, ClinicianProfile, EarlyInterestSignal, NominationState, SignalKind
from tests.clock import runs_at
from tests.factories import (
    ClinicianFactory,
    ClinicianProfileFactory,
    NominationFactory,
    TrainingBodyAdminFactory,
)

UK = ZoneInfo("Europe/London")
# A Wednesday: the weekly nudge due now covers Monday 16 to Monday 23 November.
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UK)
IN_WEEK = datetime(2026, 11, 18, 12, 0, tzinfo=UK)
_at_now = runs_at(NOW)

pytestmark = pytest.mark.django_db


def chooses(body, *, name="Priya Waiting", number="12A3456E") -> ClinicianProfile:
    """A clinician who has just told the service, at onboarding, that they belong to `body` and share with it."""
    return services.profile_create(
        user=ClinicianFactory(full_name=name),
        details=services.ProfileDetails(
            profession=Profession.NURSE,
            registration_number=number,
            first_registration_year=timezone.localdate().year - 2,
            career_stage=CareerStage.BAND_6,
            region=Region.objects.get(slug="north-west"),
            employer_name="Example NHS Foundation Trust",
            training_body=body,
            shares_with_training_body=True,
            shares_with_hee=True,
        ),
    )


def requests_page(client, admin, body):
    client.force_login(admin)
    return client.get(reverse("talent:list_membership_requests", kwargs={"slug": body.slug}))


def confirm(client, admin, body, data):
    client.force_login(admin)
    return client.post(reverse("talent:list_membership_requests", kwargs={"slug": body.slug}), data)


def body_funnel(admin) -> list[int]:
    pipeline_rollups_refresh()
    return [stage["count"] for stage in pipeline_summary(admin, PipelineFilters())["funnel"]]


def test_a_clinician_who_just_chose_a_body_is_not_in_its_list_nudges_or_figures_until_its_admin_confirms_them(
    client, training_body, tb_admin
):
    training_body.nudge_frequency = NudgeFrequency.WEEKLY
    training_body.save()
    profile = chooses(training_body)
    EarlyInterestSignal.objects.create(profile=profile, kind=SignalKind.INTEREST_RAISED, created_at=IN_WEEK)

    assert (profile.training_body, profile.requested_training_body) == (None, training_body)
    assert profile not in selectors.clinicians_visible_to(tb_admin)
    assert profile.full_name in requests_page(client, tb_admin, training_body).content.decode()
    assert profile.full_name not in client.get(reverse("talent:list_clinicians")).content.decode()
    assert client.get(reverse("talent:show_clinician", kwargs={"profile_id": profile.pk})).status_code == 404
    assert body_funnel(tb_admin)[0] == 0
    assert services.nudges_dispatch(now=NOW) == []

    response = confirm(client, tb_admin, training_body, {"confirm_one": str(profile.pk)})

    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.training_body, profile.requested_training_body) == (training_body, None)
    assert profile.training_body_confirmed_by == tb_admin and profile.training_body_confirmed_at is not None
    assert profile in selectors.clinicians_visible_to(tb_admin)
    assert body_funnel(tb_admin)[0] == 1
    [nudge] = services.nudges_dispatch(now=NOW)
    assert [entry.profile for entry in nudge.entries.all()] == [profile]
    assert AuditEvent.objects.filter(
        actor=tb_admin, action="training_body.member_confirmed", subject_id=str(profile.pk)
    ).exists()


def test_the_admins_home_counts_who_waits_and_the_page_lists_them_with_what_identifies_them(
    client, training_body, tb_admin, other_training_body
):
    chooses(training_body, name="Priya Waiting", number="12A3456E")
    chooses(training_body, name="Sam Waiting", number="12A3457E")
    chooses(other_training_body, name="Olu Elsewhere", number="12A3458E")
    client.force_login(tb_admin)

    home = client.get(reverse("accounts:list_training_bodies")).content.decode()
    page = requests_page(client, tb_admin, training_body).content.decode()

    assert "2 clinicians" in home
    assert "Priya Waiting" in page and "Sam Waiting" in page and "NMC 12A3456E" in page
    assert "Olu Elsewhere" not in page


def test_an_admin_confirms_several_ticked_clinicians_at_once(client, training_body, tb_admin):
    first = chooses(training_body, name="Priya Waiting", number="12A3456E")
    second = chooses(training_body, name="Sam Waiting", number="12A3457E")
    left = chooses(training_body, name="Kim Later", number="12A3458E")

    response = confirm(client, tb_admin, training_body, {"members": [str(first.pk), str(second.pk)]})

    assert response.status_code == 302
    assert set(ClinicianProfile.objects.filter(training_body=training_body)) == {first, second}
    left.refresh_from_db()
    assert left.requested_training_body == training_body
    assert "You confirmed 2 clinicians." in client.get(response["Location"]).content.decode()
    assert AuditEvent.objects.filter(action="training_body.member_confirmed").count() == 2


def test_confirming_with_nothing_ticked_says_what_to_do(client, training_body, tb_admin):
    chooses(training_body)

    response = confirm(client, tb_admin, training_body, {})

    assert response.status_code == 400
    assert "Select the clinicians you want to confirm" in response.content.decode()


def test_another_bodys_admin_cannot_confirm_or_remove_and_is_told_nothing_exists(
    client, training_body, tb_admin, other_training_body, other_tb_admin
):
    profile = chooses(training_body)
    remove_url = reverse("talent:remove_member", kwargs={"slug": training_body.slug, "profile_id": profile.pk})

    assert confirm(client, other_tb_admin, training_body, {"confirm_one": str(profile.pk)}).status_code == 404
    assert client.post(remove_url).status_code == 404
    # Nor through their own body's page, naming someone who asked to join another body.
    confirm(client, other_tb_admin, other_training_body, {"members": [str(profile.pk)]})
    with pytest.raises(DomainError):
        services.training_body_members_confirm(
            actor=other_tb_admin, training_body=training_body, profile_ids=[profile.pk]
        )

    profile.refresh_from_db()
    assert (profile.training_body, profile.requested_training_body) == (None, training_body)
    assert not AuditEvent.objects.filter(action__startswith="training_body.member").exists()


def test_choosing_another_body_is_a_new_request_and_leaves_the_old_one_with_its_undecided_nominations(
    training_body, tb_admin, other_training_body, open_opportunity
):
    profile = ClinicianProfileFactory(training_body=training_body)
    waiting = NominationFactory(profile=profile, opportunity=open_opportunity, training_body=training_body)
    assert profile in selectors.clinicians_visible_to(tb_admin)
    details = services.ProfileDetails(
        profession=profile.profession,
        registration_number=profile.registration_number,
        first_registration_year=profile.first_registration_year,
        career_stage=profile.career_stage,
        specialty_training_year=profile.specialty_training_year,
        region=profile.region,
        employer_name=profile.employer_name,
        training_body=training_body,
        shares_with_training_body=True,
    )

    services.profile_update(profile=profile, details=details)  # the same body: still confirmed
    profile.refresh_from_db()
    assert profile.training_body == training_body

    services.profile_update(profile=profile, details=dataclasses.replace(details, training_body=other_training_body))

    profile.refresh_from_db()
    assert (profile.training_body, profile.requested_training_body) == (None, other_training_body)
    assert profile.training_body_confirmed_at is None
    assert profile not in selectors.clinicians_visible_to(tb_admin)
    waiting.refresh_from_db()
    assert waiting.state == NominationState.WITHDRAWN


def test_the_clinician_sees_on_their_profile_and_home_that_their_body_has_not_confirmed_them_yet(client, training_body):
    profile = chooses(training_body)
    client.force_login(profile.user)

    page = client.get(reverse("talent:show_profile")).content.decode()
    home = client.get(reverse("talent:show_clinician_home")).content.decode()
    api = client.get(reverse("talent_api:edit_my_profile")).json()

    assert "Waiting for its admins to confirm you, since 25 November 2026" in page
    assert "Waiting for confirmation" in home
    assert (api["training_body"], api["training_body_confirmed"]) == (training_body.slug, False)


def test_a_clinician_waiting_for_their_body_cannot_apply_through_it_yet(training_body, open_opportunity):
    profile = chooses(training_body)

    with pytest.raises(DomainError, match="once your training body has confirmed you"):
        services.nomination_apply(user=profile.user, opportunity=open_opportunity, supporting_statement="I would.")


def test_a_clinician_choosing_their_body_through_the_api_asks_to_join_it(client, clinician, other_training_body):
    client.force_login(clinician)

    response = client.patch(
        reverse("talent_api:edit_my_profile"),
        {"training_body": other_training_body.slug},
        content_type="application/json",
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["training_body"], response.json()["training_body_confirmed"]) == (
        other_training_body.slug,
        False,
    )
    profile = ClinicianProfile.objects.get(user=clinician)
    assert (profile.training_body, profile.requested_training_body) == (None, other_training_body)


def test_an_admin_declines_a_request_and_the_clinician_is_emailed(client, training_body, tb_admin):
    profile = chooses(training_body)
    url = reverse("talent:remove_member", kwargs={"slug": training_body.slug, "profile_id": profile.pk})
    client.force_login(tb_admin)

    assert "Decline Priya Waiting?" in client.get(url).content.decode()
    response = client.post(url)

    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.training_body, profile.requested_training_body, profile.shares_with_training_body) == (
        None,
        None,
        False,
    )
    [email] = OutboxMessage.objects.filter(kind="training_body_member_removed")
    assert email.to_email == profile.user.email
    assert email.context["was_member"] is False
    assert AuditEvent.objects.get(action="training_body.member_removed").detail == {
        "training_body": training_body.slug,
        "was": "waiting",
    }


def test_an_admin_removes_a_member_who_leaves_their_lists_and_undecided_nominations(
    client, training_body, tb_admin, clinician, open_opportunity
):
    profile = clinician.clinician_profile
    waiting = NominationFactory(profile=profile, opportunity=open_opportunity, training_body=training_body)
    client.force_login(tb_admin)
    record = client.get(reverse("talent:show_clinician", kwargs={"profile_id": profile.pk})).content.decode()
    url = reverse("talent:remove_member", kwargs={"slug": training_body.slug, "profile_id": profile.pk})
    assert url in record

    client.post(url)

    profile.refresh_from_db()
    assert profile.training_body is None and profile.requested_training_body is None
    assert profile not in selectors.clinicians_visible_to(tb_admin)
    waiting.refresh_from_db()
    assert waiting.state == NominationState.WITHDRAWN
    [owed] = OutboxMessage.objects.filter(kind="training_body_member_removed", to_email=clinician.email)
    email = outbox_render(owed)
    assert email.subject == f"You are no longer a member of {training_body.name}"
    assert f"{training_body.name} has removed you from its members" in email.body
    assert "Your 1 nomination waiting for its decision was withdrawn." in email.body
    assert AuditEvent.objects.get(action="training_body.member_removed").detail["was"] == "confirmed"


def test_an_admin_cannot_remove_a_member_whose_record_they_cannot_see(client, tb_admin, private_clinician):
    """A member who does not share with the body is not listed to it, so not offered for removal either."""
    profile = private_clinician.clinician_profile
    client.force_login(tb_admin)

    url = reverse("talent:remove_member", kwargs={"slug": profile.training_body.slug, "profile_id": profile.pk})

    assert client.get(url).status_code == 404


def test_the_database_keeps_one_body_at_a_time_and_dates_a_confirmed_membership(training_body, other_training_body):
    profile = ClinicianProfileFactory(training_body=training_body)

    with pytest.raises(IntegrityError), transaction.atomic():
        ClinicianProfile.objects.filter(pk=profile.pk).update(
            requested_training_body=other_training_body, training_body_requested_at=timezone.now()
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ClinicianProfile.objects.filter(pk=profile.pk).update(training_body_confirmed_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClinicianProfile.objects.filter(pk=profile.pk).update(
            training_body=None, requested_training_body=other_training_body
        )


BEFORE = ("talent", "0011_profile_training_body_requests")
AFTER = ("talent", "0013_profile_training_body_constraints")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_marks_existing_members_confirmed(training_body):
    member = ClinicianProfileFactory(training_body=training_body)
    without = ClinicianProfileFactory(training_body=None)
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        ClinicianProfile.objects.filter(pk=member.pk).update(training_body_confirmed_at=None)
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([AFTER])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    member.refresh_from_db()
    without.refresh_from_db()
    assert member.training_body == training_body
    assert member.training_body_confirmed_at is not None
    assert member.training_body_confirmed_by is None
    assert member in ClinicianProfile.objects.filter(training_body=training_body)
    assert without.training_body_confirmed_at is None


def test_the_profile_page_reads_the_body_asked_for_with_the_profile(client, training_body):
    """Showing which body a clinician is waiting for costs no query of its own: the page needs as many queries
    waiting as once confirmed."""
    profile = chooses(training_body)
    client.force_login(profile.user)
    with CaptureQueriesContext(connection) as waiting:
        assert "Waiting for its admins to confirm you" in client.get(reverse("talent:show_profile")).content.decode()
    services.training_body_members_confirm(
        actor=TrainingBodyAdminFactory(training_body=training_body),
        training_body=training_body,
        profile_ids=[profile.pk],
    )
    with CaptureQueriesContext(connection) as confirmed:
        assert client.get(reverse("talent:show_profile")).status_code == 200

    assert len(waiting) == len(confirmed)
