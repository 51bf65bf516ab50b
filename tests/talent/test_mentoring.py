"""Mentoring: who may offer, suggestions ranked by fit with their reasons, requests and their answers, contact
details only after acceptance, capacity never exceeded, and either side ending it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Region
from config.errors import DomainError
from pathways.models import LeadershipRole
from talent import selectors
from talent.models import InterestRecord, MentoringOffer, MentoringRequest, MentoringStatus
from talent.services import mentoring as service
from tests.clock import runs_at
from tests.factories import ClinicianProfileFactory
from tests.talent.nomination_fixtures import delivered_emails
from tests.talent.plan_fixtures import leader

UK = ZoneInfo("Europe/London")
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UK)
_at_now = runs_at(NOW)


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def offer(mentor, **overrides) -> MentoringOffer:
    values = {
        "capacity": 2,
        "professions": [],
        "regions": [],
        "dimensions": [],
        "target_roles": [],
        "about": "",
    }
    values.update(overrides)
    return service.mentoring_offer_save(profile=mentor, **values)


def ask(mentee, mentoring_offer, message="Please mentor me.") -> MentoringRequest:
    return service.mentoring_request_make(mentee=mentee, offer=mentoring_offer, message=message)


# --- Offers -----------------------------------------------------------------------------------------------------


def test_only_a_clinician_in_a_role_at_service_level_or_above_can_offer(client, clinician):
    team_lead = leader(level="team", full_name="Terry Teamlead")
    client.force_login(team_lead.user)

    with pytest.raises(DomainError) as refused:
        offer(team_lead)
    page = client.get(reverse("talent:edit_mentoring_offer")).content.decode()
    api = api_as(team_lead.user).post(reverse("talent_api:list_mentoring_offers"), {"capacity": 2}, format="json")

    assert "service level or above" in refused.value.message
    assert "service level or above" in page and "Save offer" not in page
    assert api.status_code == 400 and "service level or above" in str(api.json())
    assert not MentoringOffer.objects.exists()
    assert offer(leader(level="organisation", full_name="Olu Org")).capacity == 2


def test_a_mentor_makes_an_offer_on_the_page(client, mentor):
    client.force_login(mentor.user)
    london = Region.objects.get(slug="london")

    response = client.post(
        reverse("talent:edit_mentoring_offer"),
        {"capacity": "3", "professions": ["nurse"], "regions": [london.pk], "is_open": "yes", "about": "Happy to."},
    )

    saved = MentoringOffer.objects.get(mentor=mentor)
    assert response.status_code == 302
    assert (saved.capacity, saved.professions, list(saved.regions.all())) == (3, ["nurse"], [london])


def test_capacity_cannot_drop_below_the_mentees_a_mentor_has(mentoring_request, mentoring_offer, mentor):
    second = ask(ClinicianProfileFactory(), mentoring_offer)
    for request in (mentoring_request, second):
        service.mentoring_accept(user=mentor.user, request=request)

    with pytest.raises(DomainError) as refused:
        offer(mentor, capacity=1)

    assert refused.value.field == "capacity" and "You mentor 2 people now" in refused.value.message
    assert MentoringOffer.objects.get(mentor=mentor).capacity == 2


def test_the_database_never_lets_mentees_exceed_capacity(mentoring_offer):
    with pytest.raises(IntegrityError), transaction.atomic():
        MentoringOffer.objects.filter(pk=mentoring_offer.pk).update(mentee_count=3)


# --- Suggestions ------------------------------------------------------------------------------------------------


def test_suggestions_rank_offers_by_fit_with_the_reasons_in_words(clinician):
    profile = clinician.clinician_profile
    director = LeadershipRole.objects.get(slug="clinical-director")
    record = InterestRecord.objects.create(profile=profile, level=3, readiness_horizon="1_3_years")
    record.target_roles.set([director])
    from tests.talent.test_plans import assess

    assess(profile, {"engaging_the_team": 1})
    north_west = Region.objects.get(slug="north-west")
    best = offer(leader(full_name="Best Fit"), target_roles=[director], dimensions=["engaging_the_team"])
    for_doctors = offer(leader(full_name="Doctors Here"), professions=["doctor"], regions=[north_west])
    anyone = offer(leader(full_name="Anyone Welcome"))

    suggestions = selectors.mentor_suggestions(profile)

    assert [s.offer for s in suggestions] == [best, for_doctors, anyone]
    reasons = suggestions[0].reasons
    assert "Is Clinical director at Example Teaching Hospitals (service level)" in reasons
    assert "Mentors towards Clinical director, the role you are aiming for" in reasons
    assert "Offers help with Engaging the team, which you rated lowest in your self-assessment" in reasons
    assert "Mentors doctors" in suggestions[1].reasons and "Mentors in North West" in suggestions[1].reasons
    assert "Mentors any profession" in suggestions[2].reasons


def test_nobody_is_suggested_who_did_not_offer_or_cannot_take_them(clinician, mentor):
    profile = clinician.clinician_profile
    leader(full_name="Never Offered")
    offer(leader(full_name="Nurses Only"), professions=["nurse"])
    offer(leader(full_name="London Only"), regions=[Region.objects.get(slug="london")])
    offer(leader(full_name="Not Now"), is_open=False)
    full = offer(leader(full_name="Full Up"), capacity=1)
    service.mentoring_accept(user=full.mentor.user, request=ask(ClinicianProfileFactory(), full))
    ended = leader(full_name="Role Ended")
    offer(ended)
    ended.experiences.update(end_date=NOW.date() - timedelta(days=1))
    offer(profile_with_role := leader(full_name="Asked Already"))
    ask(profile, profile_with_role.mentoring_offer)
    own = leader(full_name="Myself")
    offer(own)

    names = [s.offer.mentor.user.full_name for s in selectors.mentor_suggestions(profile)]
    own_names = [s.offer.mentor.user.full_name for s in selectors.mentor_suggestions(own)]

    assert names == ["Myself"]
    assert "Myself" not in own_names


def test_at_most_five_offers_are_suggested(clinician):
    for index in range(7):
        offer(leader(full_name=f"Mentor {index}"))
    assert len(selectors.mentor_suggestions(clinician.clinician_profile)) == 5


def test_suggestions_take_the_same_queries_at_1_and_10_offers(clinician, other_clinician, django_assert_num_queries):
    offer(leader(full_name="Only One", region=Region.objects.get(slug="north-west")))

    def count(profile) -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.mentor_suggestions(profile)
        return len(captured.captured_queries)

    one = count(clinician.clinician_profile)
    for index in range(9):
        offer(leader(full_name=f"Mentor {index}"))
    assert count(clinician.clinician_profile) == one


# --- Requests ---------------------------------------------------------------------------------------------------


def test_a_request_to_oneself_is_a_field_error(mentor, mentoring_offer):
    with pytest.raises(DomainError) as refused:
        ask(mentor, mentoring_offer)
    api = api_as(mentor.user).post(
        reverse("talent_api:list_mentoring_requests"),
        {"offer": str(mentoring_offer.pk), "message": "Me?"},
        format="json",
    )

    assert refused.value.field == "offer" and not refused.value.conflict
    assert api.status_code == 400 and api.json() == {"offer": ["You cannot ask yourself to be your mentor"]}
    assert not MentoringRequest.objects.exists()


def test_a_request_to_a_full_mentor_is_a_conflict(client, clinician, mentor):
    full = offer(mentor, capacity=1)
    service.mentoring_accept(user=mentor.user, request=ask(ClinicianProfileFactory(), full))

    api = api_as(clinician).post(
        reverse("talent_api:list_mentoring_requests"), {"offer": str(full.pk), "message": "Hello"}, format="json"
    )
    client.force_login(clinician)
    page = client.post(reverse("talent:ask_mentor", kwargs={"offer_id": full.pk}), {"message": "Hello"})

    assert api.status_code == 409 and "as many people as they can" in api.json()["detail"]
    assert page.status_code == 200 and "as many people as they can" in page.content.decode()
    assert MentoringRequest.objects.filter(mentee=clinician.clinician_profile).count() == 0


def test_a_second_open_request_to_the_same_mentor_is_a_conflict(clinician, mentoring_request, mentoring_offer, mentor):
    api = api_as(clinician).post(
        reverse("talent_api:list_mentoring_requests"),
        {"offer": str(mentoring_offer.pk), "message": "Again"},
        format="json",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        MentoringRequest.objects.create(
            offer=mentoring_offer, mentor=mentor, mentee=clinician.clinician_profile, message="Twice"
        )
    service.mentoring_decline(user=mentor.user, request=mentoring_request)
    after_decline = ask(clinician.clinician_profile, mentoring_offer)

    assert api.status_code == 409 and "already have a request" in api.json()["detail"]
    assert after_decline.status == MentoringStatus.PENDING


def test_a_message_over_its_limit_is_a_field_error(clinician, mentoring_offer):
    api = api_as(clinician).post(
        reverse("talent_api:list_mentoring_requests"),
        {"offer": str(mentoring_offer.pk), "message": "x" * 1001},
        format="json",
    )
    with pytest.raises(DomainError) as refused:
        ask(clinician.clinician_profile, mentoring_offer, message="x" * 1001)

    assert api.status_code == 400 and "message" in api.json()
    assert refused.value.field == "message"
    assert not MentoringRequest.objects.exists()


def test_an_unknown_offer_is_a_field_error(clinician):
    api = api_as(clinician).post(
        reverse("talent_api:list_mentoring_requests"),
        {"offer": "00000000-0000-0000-0000-000000000000", "message": "Hi"},
        format="json",
    )
    assert api.status_code == 400 and "offer" in api.json()


def test_the_mentor_is_emailed_and_contact_details_show_only_after_acceptance(
    client, clinician, mentor, mentoring_request
):
    url = reverse("talent:show_mentoring_request", kwargs={"request_id": mentoring_request.pk})
    api_url = reverse("talent_api:show_mentoring_request", kwargs={"request_id": mentoring_request.pk})
    asked = delivered_emails()
    client.force_login(clinician)
    before = client.get(url).content.decode()
    api_before = api_as(mentor.user).get(api_url).json()

    client.force_login(mentor.user)
    accepted = client.post(url, {"action": "accept", "reply": "Delighted to."})
    mentor_page = client.get(url).content.decode()
    client.force_login(clinician)
    mentee_page = client.get(url).content.decode()
    api_after = api_as(clinician).get(api_url).json()
    emails = delivered_emails()

    assert [e.to for e in asked] == [[mentor.user.email]]
    assert "asked you to mentor them" in asked[0].subject and "my first project" in asked[0].body
    assert mentor.user.email not in before and "Shown once the mentor accepts" in before
    assert api_before["mentee_email"] is None and api_before["mentor_email"] is None
    assert accepted.status_code == 302
    assert clinician.email in mentor_page and mentor.user.email in mentee_page
    assert api_after["mentor_email"] == mentor.user.email and api_after["status"] == "accepted"
    accepted_emails = [email for email in emails if "accepted your mentoring request" in email.subject]
    assert [email.to for email in accepted_emails] == [[clinician.email]]
    assert "Delighted to." in accepted_emails[0].body


def test_only_the_mentor_answers_a_request(clinician, mentoring_request):
    api = api_as(clinician).post(
        reverse("talent_api:accept_mentoring_request", kwargs={"request_id": mentoring_request.pk}), format="json"
    )
    assert api.status_code == 403
    mentoring_request.refresh_from_db()
    assert mentoring_request.status == MentoringStatus.PENDING


def test_a_mentor_cannot_accept_more_mentees_than_their_capacity(mentor, mentoring_request):
    full = offer(mentor, capacity=1)
    other = ask(ClinicianProfileFactory(), full)
    service.mentoring_accept(user=mentor.user, request=other)

    api = api_as(mentor.user).post(
        reverse("talent_api:accept_mentoring_request", kwargs={"request_id": mentoring_request.pk}), format="json"
    )

    assert api.status_code == 409 and "as many people as your offer says" in api.json()["detail"]
    assert MentoringOffer.objects.get(pk=full.pk).mentee_count == 1


def test_either_side_can_end_the_mentoring_and_the_place_is_freed(client, clinician, mentor, mentoring_request):
    service.mentoring_accept(user=mentor.user, request=mentoring_request)
    delivered_emails()

    ended = api_as(clinician).post(
        reverse("talent_api:end_mentoring", kwargs={"request_id": mentoring_request.pk}), format="json"
    )
    again = api_as(mentor.user).post(
        reverse("talent_api:end_mentoring", kwargs={"request_id": mentoring_request.pk}), format="json"
    )
    emails = [email for email in delivered_emails() if "has ended" in email.subject]

    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert ended.json()["mentor_email"] is None
    assert again.status_code == 409
    assert MentoringOffer.objects.get(mentor=mentor).mentee_count == 0
    assert [email.to for email in emails] == [[mentor.user.email]]


def test_the_mentor_ends_it_from_their_side(mentor, clinician, mentoring_request):
    service.mentoring_accept(user=mentor.user, request=mentoring_request)
    service.mentoring_end(user=mentor.user, request=mentoring_request)
    ended = [email for email in delivered_emails() if "has ended" in email.subject]

    assert [email.to for email in ended] == [[clinician.email]]
    assert MentoringRequest.objects.get(pk=mentoring_request.pk).ended_by == mentor.user


def test_the_mentee_withdraws_a_request_not_yet_answered(client, clinician, mentoring_request):
    client.force_login(clinician)
    client.post(
        reverse("talent:show_mentoring_request", kwargs={"request_id": mentoring_request.pk}), {"action": "withdraw"}
    )
    mentoring_request.refresh_from_db()
    assert mentoring_request.status == MentoringStatus.WITHDRAWN


def test_every_mentoring_action_is_audited(mentor, mentoring_request):
    from accounts.models import AuditEvent

    service.mentoring_accept(user=mentor.user, request=mentoring_request)
    service.mentoring_end(user=mentor.user, request=mentoring_request)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"mentoring.offer_made", "mentoring.requested", "mentoring.accepted", "mentoring.ended"} <= actions


# --- Lists, home and query counts ---------------------------------------------------------------------------------


def test_the_home_lists_mentoring_requests_waiting_for_an_answer(client, mentor, mentoring_request):
    client.force_login(mentor.user)
    home = client.get(reverse("talent:show_clinician_home")).content.decode()
    assert "1 mentoring request waiting for your answer" in home


def test_the_home_mentoring_item_is_one_query(mentor, mentoring_request, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = selectors.mentoring_to_do(mentor)
    assert counts["waiting_for_you"] == 1


def test_mentoring_lists_read_the_same_number_of_queries_at_1_and_10_requests(client, mentor, mentoring_offer):
    def counts() -> tuple[int, int]:
        client.force_login(mentor.user)
        client.get(reverse("talent:show_my_mentoring"))
        with CaptureQueriesContext(connection) as page:
            client.get(reverse("talent:show_my_mentoring"))
        api = api_as(mentor.user)
        with CaptureQueriesContext(connection) as listed:
            api.get(reverse("talent_api:list_mentoring_requests"))
        return len(page.captured_queries), len(listed.captured_queries)

    offer(mentor, capacity=10)
    ask(ClinicianProfileFactory(), mentoring_offer)
    one = counts()
    for _ in range(9):
        ask(ClinicianProfileFactory(), mentoring_offer)
    assert counts() == one


def test_the_offers_api_suggests_and_saves_an_offer(clinician, mentor, mentoring_offer):
    suggested = api_as(clinician).get(reverse("talent_api:list_mentoring_offers")).json()
    changed = api_as(mentor.user).post(
        reverse("talent_api:list_mentoring_offers"),
        {"capacity": 4, "regions": ["london"], "professions": ["nurse"], "dimensions": ["engaging_the_team"]},
        format="json",
    )

    assert suggested["count"] == 1 and suggested["results"][0]["offer"] == str(mentoring_offer.pk)
    assert suggested["results"][0]["reasons"]
    assert changed.status_code == 200 and changed.json()["capacity"] == 4 and changed.json()["regions"] == ["london"]


def test_a_mentee_who_deletes_their_account_frees_their_mentors_place(mentor, mentoring_offer):
    mentee = ClinicianProfileFactory()
    service.mentoring_accept(user=mentor.user, request=ask(mentee, mentoring_offer))

    mentee.user.delete()

    assert MentoringOffer.objects.get(pk=mentoring_offer.pk).mentee_count == 0


def test_deleting_an_account_erases_its_plan_and_mentoring(clinician, mentor, mentoring_request, plan_review):
    from talent.models import DevelopmentPlan, PlanReview
    from talent.services import clinician_account_delete

    service.mentoring_accept(user=mentor.user, request=mentoring_request)

    clinician_account_delete(user=clinician)

    assert not DevelopmentPlan.objects.exists() and not PlanReview.objects.exists()
    assert not MentoringRequest.objects.exists()
    assert MentoringOffer.objects.get(mentor=mentor).mentee_count == 0


def test_plan_and_mentoring_endpoints_are_in_the_openapi_schema(client):
    paths = client.get(reverse("api_schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]

    for path in (
        "/api/v1/me/plan/",
        "/api/v1/me/plan/goals/",
        "/api/v1/me/plan/reviews/",
        "/api/v1/mentoring/offers/",
        "/api/v1/mentoring/requests/",
        "/api/v1/mentoring/requests/{request_id}/",
        "/api/v1/mentoring/requests/{request_id}/accept/",
        "/api/v1/mentoring/requests/{request_id}/decline/",
        "/api/v1/mentoring/requests/{request_id}/withdraw/",
        "/api/v1/mentoring/requests/{request_id}/end/",
    ):
        assert path in paths, path


def test_professions_read_as_plain_plurals_in_the_reasons():
    from talent.selectors.mentoring import _plural

    assert _plural("Doctor") == "doctors"
    assert _plural("Midwife") == "midwives"
    assert _plural("Chiropodist or podiatrist") == "chiropodists or podiatrists"
