"""Nomination pages as people use them: applying, following and answering your nominations, the body's queue, the
review page with its decision forms, and nominating."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import AuditEvent, OutboxMessage
from talent import selectors
from talent.models import Nomination, NominationState
from talent.services import nominations as service
from tests.factories import ClinicianProfileFactory, InterestRecordFactory, TrainingBodyAdminFactory
from tests.talent.nomination_fixtures import delivered_emails, nomination_in_state

S = NominationState


@pytest.fixture
def as_clinician(client, clinician):
    client.force_login(clinician)
    return client


@pytest.fixture
def as_admin(client, tb_admin):
    client.force_login(tb_admin)
    return client


def text(response) -> str:
    return response.content.decode()


# --- Applying -----------------------------------------------------------------------------------------------------


def test_an_eligible_clinician_applies_from_the_opportunity_page(as_clinician, clinician, tb_admin, open_opportunity):
    """The opportunity page offers to apply; the statement goes to the training body and the clinician sees it."""
    detail = as_clinician.get(reverse("pathways:show_opportunity", kwargs={"slug": open_opportunity.slug}))
    apply_url = reverse("talent:apply_for_opportunity", kwargs={"slug": open_opportunity.slug})
    assert f'href="{apply_url}"' in text(detail)

    response = as_clinician.post(apply_url, {"supporting_statement": "I lead our rota redesign."}, follow=True)

    nomination = Nomination.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "talent:show_my_nomination", kwargs={"nomination_id": nomination.pk}
    )
    assert nomination.state == S.SUBMITTED
    assert "Application sent to" in text(response)
    assert "I lead our rota redesign." in text(response)
    assert OutboxMessage.objects.filter(to_email=tb_admin.email, kind="nomination_received").exists()


def test_an_empty_statement_shows_the_error(as_clinician, open_opportunity):
    response = as_clinician.post(reverse("talent:apply_for_opportunity", kwargs={"slug": open_opportunity.slug}), {})

    assert response.status_code == 200
    assert "There is a problem" in text(response) and "Enter a supporting statement" in text(response)
    assert not Nomination.objects.exists()


def test_an_ineligible_clinician_sees_why_and_no_form(as_clinician, open_opportunity):
    open_opportunity.professions = ["nurse"]
    open_opportunity.save()

    response = as_clinician.get(reverse("talent:apply_for_opportunity", kwargs={"slug": open_opportunity.slug}))
    posted = as_clinician.post(
        reverse("talent:apply_for_opportunity", kwargs={"slug": open_opportunity.slug}),
        {"supporting_statement": "Please."},
    )

    assert "Open only to these professions: nurse." in text(response)
    assert "Send application" not in text(response)
    assert "You are not eligible" in text(posted)
    assert not Nomination.objects.exists()


@pytest.mark.parametrize("nomination_required", [True, False])
def test_without_a_training_body_the_page_says_what_to_do(client, open_opportunity, nomination_required):
    """The lead's decision: no training body, no application through the service; where the provider takes
    applications directly, the page says so with their link."""
    profile = ClinicianProfileFactory(training_body=None, shares_with_training_body=False)
    open_opportunity.nomination_required = nomination_required
    open_opportunity.save()
    client.force_login(profile.user)

    page = text(client.get(reverse("talent:apply_for_opportunity", kwargs={"slug": open_opportunity.slug})))

    assert "You need a training body to be nominated: add yours to your profile" in page
    assert ("apply directly to Example Leadership Academy" in page) is not nomination_required
    assert ('href="https://example.org/opportunity"' in page) is not nomination_required
    assert "Send application" not in page


def test_applying_twice_points_to_the_existing_nomination(as_clinician, submitted_nomination, open_opportunity):
    url = reverse("talent:apply_for_opportunity", kwargs={"slug": open_opportunity.slug})

    page = text(as_clinician.get(url))
    posted = as_clinician.post(url, {"supporting_statement": "Again."})

    assert "You have already applied for this" in page and "You already have a nomination" not in page
    assert reverse("talent:show_my_nomination", kwargs={"nomination_id": submitted_nomination.pk}) in page
    assert "You have already applied for, or been nominated for, Open leadership programme" in text(posted)
    assert Nomination.objects.count() == 1


# --- The clinician's nominations -----------------------------------------------------------------------------------


def test_the_clinician_sees_their_nominations_and_never_others(
    as_clinician, clinician, submitted_nomination, other_body_nomination, django_assert_max_num_queries
):
    home = text(as_clinician.get(reverse("talent:show_clinician_home")))
    assert reverse("talent:list_my_nominations") in home

    with django_assert_max_num_queries(12):
        page = text(as_clinician.get(reverse("talent:list_my_nominations")))

    assert reverse("talent:show_my_nomination", kwargs={"nomination_id": submitted_nomination.pk}) in page
    assert str(other_body_nomination.pk) not in page
    other = as_clinician.get(reverse("talent:show_my_nomination", kwargs={"nomination_id": other_body_nomination.pk}))
    assert other.status_code == 404


def test_the_clinician_list_does_not_grow_in_queries(
    as_clinician, clinician, tb_admin, training_body, django_assert_max_num_queries
):
    from tests.pathways.test_services import make_opportunity

    for index in range(8):
        nomination_in_state(
            [S.SUBMITTED, S.APPROVED, S.REJECTED, S.WITHDRAWN][index % 4],
            profile=clinician.clinician_profile,
            opportunity=make_opportunity(f"opportunity-{index}"),
            admin=tb_admin,
        )

    with django_assert_max_num_queries(12):
        response = as_clinician.get(reverse("talent:list_my_nominations"))

    assert text(response).count("/your-nominations/") >= 8


def test_the_clinician_accepts_a_nomination(as_clinician, pending_nominee_nomination, tb_admin):
    url = reverse("talent:show_my_nomination", kwargs={"nomination_id": pending_nominee_nomination.pk})
    page = text(as_clinician.get(url))
    assert "Accept nomination" in page and "Decline nomination" in page

    response = as_clinician.post(url, {"action": "accept"}, follow=True)

    assert "You accepted the nomination" in text(response)
    assert Nomination.objects.get(pk=pending_nominee_nomination.pk).state == S.SUBMITTED


def test_the_clinician_withdraws_before_a_decision(as_clinician, submitted_nomination):
    url = reverse("talent:show_my_nomination", kwargs={"nomination_id": submitted_nomination.pk})
    assert "Withdraw application" in text(as_clinician.get(url))

    response = as_clinician.post(url, {"action": "withdraw"}, follow=True)

    assert "The nomination was withdrawn." in text(response)
    assert "Withdraw application" not in text(response)
    assert Nomination.objects.get(pk=submitted_nomination.pk).state == S.WITHDRAWN


def test_a_decided_nomination_cannot_be_withdrawn(as_clinician, approved_nomination):
    url = reverse("talent:show_my_nomination", kwargs={"nomination_id": approved_nomination.pk})

    response = as_clinician.post(url, {"action": "withdraw"}, follow=True)

    assert "This nomination was already approved by" in text(response)
    assert Nomination.objects.get(pk=approved_nomination.pk).state == S.APPROVED


@pytest.mark.parametrize("action", ["approve", "", "delete"])
def test_an_action_the_clinician_cannot_take_is_a_bad_request_that_changes_nothing(
    as_clinician, submitted_nomination, action
):
    url = reverse("talent:show_my_nomination", kwargs={"nomination_id": submitted_nomination.pk})

    response = as_clinician.post(url, {"action": action})

    assert response.status_code == 400
    assert "Sorry, we could not understand that request" in text(response)
    assert Nomination.objects.get(pk=submitted_nomination.pk).state == S.SUBMITTED


# --- The training body's queue and review ---------------------------------------------------------------------------


def test_the_queue_shows_days_waiting_longest_first(
    as_admin, tb_admin, training_body, open_opportunity, other_body_nomination, django_assert_max_num_queries
):
    now = timezone.now()
    for days in (2, 9, 5):
        nomination_in_state(
            S.SUBMITTED,
            profile=ClinicianProfileFactory(training_body=training_body, user__full_name=f"Waited {days} days"),
            opportunity=open_opportunity,
            submitted_at=now - timedelta(days=days),
        )

    with django_assert_max_num_queries(14):
        page = text(as_admin.get(reverse("talent:list_nominations")))

    assert page.index("Waited 9 days") < page.index("Waited 5 days") < page.index("Waited 2 days")
    assert '<td class="nhsuk-table__cell">9</td>' in page
    assert escape(other_body_nomination.profile.user.full_name) not in page


def test_the_queue_filters_by_state_and_opportunity(
    as_admin, tb_admin, training_body, open_opportunity, second_open_opportunity
):
    approved = nomination_in_state(
        S.APPROVED,
        profile=ClinicianProfileFactory(training_body=training_body, user__full_name="Approved Person"),
        opportunity=open_opportunity,
        admin=tb_admin,
    )
    nomination_in_state(
        S.SUBMITTED,
        profile=ClinicianProfileFactory(training_body=training_body, user__full_name="Waiting Person"),
        opportunity=second_open_opportunity,
    )

    default = text(as_admin.get(reverse("talent:list_nominations")))
    approved_only = text(as_admin.get(reverse("talent:list_nominations"), {"state": "approved"}))
    by_opportunity = text(
        as_admin.get(reverse("talent:list_nominations"), {"state": "", "opportunity": str(approved.opportunity_id)})
    )

    assert "Waiting Person" in default and "Approved Person" not in default
    assert "Approved Person" in approved_only and "Waiting Person" not in approved_only
    assert "Approved Person" in by_opportunity and "Waiting Person" not in by_opportunity


def test_paging_through_the_queue_keeps_showing_nominations_waiting_for_a_decision(
    as_admin, tb_admin, training_body, open_opportunity
):
    """The pagination links carry only `page`: page 2 of the default queue must still be the waiting ones, not
    every nomination the body ever decided."""
    nomination_in_state(
        S.APPROVED,
        profile=ClinicianProfileFactory(training_body=training_body, user__full_name="Approved Person"),
        opportunity=open_opportunity,
        admin=tb_admin,
    )
    nomination_in_state(
        S.SUBMITTED,
        profile=ClinicianProfileFactory(training_body=training_body, user__full_name="Waiting Person"),
        opportunity=open_opportunity,
    )

    paged = text(as_admin.get(reverse("talent:list_nominations"), {"page": "1"}))

    assert "Waiting Person" in paged and "Approved Person" not in paged
    assert '<option value="submitted" selected>' in paged


def test_the_queue_does_not_grow_in_queries(as_admin, training_body, open_opportunity, django_assert_max_num_queries):
    for _ in range(30):
        nomination_in_state(
            S.SUBMITTED, profile=ClinicianProfileFactory(training_body=training_body), opportunity=open_opportunity
        )

    with django_assert_max_num_queries(14):
        response = as_admin.get(reverse("talent:list_nominations"))

    assert "30 nominations" in text(response)


def test_the_review_page_shows_the_consented_summary_and_is_audited(
    as_admin, tb_admin, clinician, submitted_nomination
):
    InterestRecordFactory(profile=clinician.clinician_profile, level=3, readiness_horizon="1_3_years")

    page = text(as_admin.get(reverse("talent:review_nomination", kwargs={"nomination_id": submitted_nomination.pk})))

    assert escape(clinician.full_name) in page  # names like O'Connor
    assert escape(submitted_nomination.supporting_statement) in page
    assert "Actively developing" in page
    assert "They have not completed a self-assessment yet." in page
    event = AuditEvent.objects.get(action="nomination.nominee_viewed")
    assert event.actor == tb_admin and event.detail == {"profile": str(clinician.clinician_profile.pk)}


def test_without_consent_the_admin_sees_only_the_application(as_admin, training_body, open_opportunity):
    profile = ClinicianProfileFactory(training_body=training_body, shares_with_training_body=False)
    nomination = nomination_in_state(S.SUBMITTED, profile=profile, opportunity=open_opportunity)

    page = text(as_admin.get(reverse("talent:review_nomination", kwargs={"nomination_id": nomination.pk})))

    assert "does not share their profile" in page
    assert "Leadership interest over time" not in page
    assert escape(nomination.supporting_statement) in page


@pytest.mark.parametrize("action", ["accept", "", "delete"])
def test_an_action_the_admin_cannot_take_is_a_bad_request_that_changes_nothing(as_admin, submitted_nomination, action):
    url = reverse("talent:review_nomination", kwargs={"nomination_id": submitted_nomination.pk})

    response = as_admin.post(url, {"action": action, "note": "x"})

    assert response.status_code == 400
    assert "Sorry, we could not understand that request" in text(response)
    assert Nomination.objects.get(pk=submitted_nomination.pk).state == S.SUBMITTED


def test_rejecting_without_a_reason_shows_the_error_then_approving_works(as_admin, submitted_nomination, clinician):
    url = reverse("talent:review_nomination", kwargs={"nomination_id": submitted_nomination.pk})

    rejected = as_admin.post(url, {"action": "reject", "reason": ""})

    assert rejected.status_code == 200
    assert "There is a problem" in text(rejected)
    assert "Enter the reason for not approving this nomination" in text(rejected)
    assert Nomination.objects.get(pk=submitted_nomination.pk).state == S.SUBMITTED

    approved = as_admin.post(url, {"action": "approve", "note": "Well deserved."}, follow=True)

    assert "Nomination approved." in text(approved)
    assert Nomination.objects.get(pk=submitted_nomination.pk).state == S.APPROVED
    assert OutboxMessage.objects.filter(to_email=clinician.email, kind="nomination_approved").exists()


def test_everyone_sees_who_rejected_a_nomination_and_why(
    client, clinician, tb_admin, training_body, submitted_nomination
):
    """A colleague and the clinician read who rejected it and why; the clinician's email gives the reason."""
    reason = "Places this year went to trainees further on in their programme."
    review_url = reverse("talent:review_nomination", kwargs={"nomination_id": submitted_nomination.pk})
    client.force_login(tb_admin)
    client.post(review_url, {"action": "reject", "reason": reason})

    client.force_login(TrainingBodyAdminFactory(training_body=training_body))
    colleague = text(client.get(review_url))
    client.force_login(clinician)
    own = text(client.get(reverse("talent:show_my_nomination", kwargs={"nomination_id": submitted_nomination.pk})))

    for page in (colleague, own):
        assert f"Not approved by {escape(tb_admin.full_name)} on " in page
        assert escape(reason) in page
    [email] = delivered_emails()
    assert email.to == [clinician.email]
    assert f"Their reason: {reason}" in email.body


def test_the_approval_note_reaches_the_clinician(client, clinician, tb_admin, submitted_nomination):
    """The note added when approving shows to the admin and the clinician, and is in the clinician's email."""
    note = "Well deserved: the faculty will write to you about dates."
    review_url = reverse("talent:review_nomination", kwargs={"nomination_id": submitted_nomination.pk})
    client.force_login(tb_admin)

    review = text(client.post(review_url, {"action": "approve", "note": note}, follow=True))
    client.force_login(clinician)
    own = text(client.get(reverse("talent:show_my_nomination", kwargs={"nomination_id": submitted_nomination.pk})))

    for page in (review, own):
        assert f"Approved by {escape(tb_admin.full_name)} on " in page
        assert re.search(rf">Note</dt>\s*<dd [^>]*>{re.escape(note)}</dd>", page)
    [email] = delivered_emails()
    assert email.to == [clinician.email]
    assert f"Their note: {note}" in email.body and f"Their note: {note}" in email.alternatives[0][0]


def test_a_second_admin_hears_who_decided_first(client, tb_admin, training_body, submitted_nomination):
    """Two admins had the page open; the second one's decision does not apply and says who decided, and when."""
    service.nomination_approve(user=tb_admin, nomination=submitted_nomination)
    second = TrainingBodyAdminFactory(training_body=training_body)
    client.force_login(second)

    response = client.post(
        reverse("talent:review_nomination", kwargs={"nomination_id": submitted_nomination.pk}),
        {"action": "reject", "reason": "Not this year."},
        follow=True,
    )

    assert f"This nomination was already approved by {escape(tb_admin.full_name)} on " in text(response)
    assert Nomination.objects.get(pk=submitted_nomination.pk).state == S.APPROVED


def test_when_places_are_full_the_admin_is_told(as_admin, tb_admin, training_body, second_open_opportunity):
    second_open_opportunity.places = 1
    second_open_opportunity.save()
    nomination_in_state(
        S.APPROVED,
        profile=ClinicianProfileFactory(training_body=training_body),
        opportunity=second_open_opportunity,
        admin=tb_admin,
    )
    waiting = nomination_in_state(
        S.SUBMITTED, profile=ClinicianProfileFactory(training_body=training_body), opportunity=second_open_opportunity
    )

    response = as_admin.post(
        reverse("talent:review_nomination", kwargs={"nomination_id": waiting.pk}), {"action": "approve"}, follow=True
    )

    assert "All 1 places on Second open fellowship are taken" in text(response)
    assert Nomination.objects.get(pk=waiting.pk).state == S.SUBMITTED


def test_an_admin_nominates_a_consenting_clinician(as_admin, clinician, open_opportunity, private_clinician):
    url = reverse("talent:nominate_clinician")
    form = text(as_admin.get(url, {"clinician": str(clinician.clinician_profile.pk)}))
    assert escape(clinician.full_name) in form
    assert escape(private_clinician.full_name) not in form

    response = as_admin.post(
        url,
        {
            "clinician": str(clinician.clinician_profile.pk),
            "opportunity": str(open_opportunity.pk),
            "supporting_statement": "Ready for a programme.",
        },
        follow=True,
    )

    nomination = Nomination.objects.get()
    assert nomination.state == S.PENDING_NOMINEE
    assert f"{escape(clinician.full_name)} has been nominated" in text(response)
    assert OutboxMessage.objects.filter(to_email=clinician.email, kind="nomination_made").exists()


def test_a_clinician_beyond_the_select_limit_can_be_nominated_from_their_record(
    monkeypatch, as_admin, training_body, open_opportunity
):
    """In a large body the select lists only the first clinicians by name; the "Nominate" button on a clinician's
    record (`?clinician=`) must still offer, and accept, that clinician."""
    from talent.views import nominations as views

    monkeypatch.setattr(views, "NOMINATE_CHOICES_LIMIT", 1)
    ClinicianProfileFactory(training_body=training_body, user__full_name="Aaron Listed")
    later = ClinicianProfileFactory(training_body=training_body, user__full_name="Zara Beyond")
    url = reverse("talent:nominate_clinician")

    form = text(as_admin.get(url, {"clinician": str(later.pk)}))
    response = as_admin.post(
        url,
        {"clinician": str(later.pk), "opportunity": str(open_opportunity.pk), "supporting_statement": "Ready now."},
    )
    malformed = as_admin.get(url, {"clinician": "not-a-uuid"})

    assert f'<option value="{later.pk}" selected>' in form
    assert response.status_code == 302
    assert Nomination.objects.get().profile == later
    assert malformed.status_code == 200


def test_nominating_without_choices_shows_errors(as_admin, clinician, open_opportunity):
    """Nobody chosen: the first step says so. A clinician chosen but nothing else: the second step says what is
    missing."""
    nobody = as_admin.post(reverse("talent:nominate_clinician"), {})
    nothing_else = as_admin.post(
        reverse("talent:nominate_clinician"), {"clinician": str(clinician.clinician_profile.pk)}
    )

    assert "Choose the clinician to nominate" in text(nobody)
    assert "Choose the opportunity" in text(nothing_else)
    assert "Enter why you are nominating them" in text(nothing_else)
    assert not Nomination.objects.exists()


def test_admins_find_the_queue_from_their_home_and_navigation(as_admin):
    page = text(as_admin.get(reverse("accounts:list_training_bodies")))

    assert page.count(f'href="{reverse("talent:list_nominations")}"') >= 2


def test_the_review_page_shows_the_nominees_latest_completed_self_assessment(as_admin, clinician, submitted_nomination):
    from talent import services
    from talent.models import Dimension

    profile = clinician.clinician_profile
    ratings = dict.fromkeys(Dimension.values, 2) | {"engaging_the_team": 4}
    services.self_assessment_complete(assessment=services.self_assessment_save(profile=profile, ratings=ratings))

    page = text(as_admin.get(reverse("talent:review_nomination", kwargs={"nomination_id": submitted_nomination.pk})))

    assert "Engaging the team" in page and "Exemplary" in page
    assert "They have not completed a self-assessment yet." not in page


# --- Wording a user reads ----------------------------------------------------------------------------------------


def test_the_approval_note_says_optional_once(as_admin, submitted_nomination):
    page = text(as_admin.get(reverse("talent:review_nomination", kwargs={"nomination_id": submitted_nomination.pk})))

    assert "Note to the clinician (optional)" in page
    assert "(optional) (optional)" not in page


def test_the_nominee_reads_waiting_for_you_to_accept(as_clinician, pending_nominee_nomination):
    detail = text(
        as_clinician.get(reverse("talent:show_my_nomination", kwargs={"nomination_id": pending_nominee_nomination.pk}))
    )
    listed = text(as_clinician.get(reverse("talent:list_my_nominations")))

    for page in (detail, listed):
        assert "Waiting for you to accept" in page and "Waiting for the nominee" not in page
    assert "Deciding training body" in detail and "Decided by" not in detail


def test_a_declined_nomination_reads_declined_by_the_nominee(
    client, clinician, tb_admin, as_clinician, pending_nominee_nomination
):
    """Declining is stored as withdrawn (DESIGN.md); pages say what happened, and nothing claims a decision."""
    service.nomination_decline(user=clinician, nomination=pending_nominee_nomination)
    own = text(
        as_clinician.get(reverse("talent:show_my_nomination", kwargs={"nomination_id": pending_nominee_nomination.pk}))
    )
    client.force_login(tb_admin)
    review = text(
        client.get(reverse("talent:review_nomination", kwargs={"nomination_id": pending_nominee_nomination.pk}))
    )
    queue = text(client.get(reverse("talent:list_nominations"), {"state": ""}))

    assert "Declined by you" in own and "Withdrawn" not in own
    assert "Declined by the nominee" in review and f"By the nominee, {escape(clinician.full_name)}, on" in review
    assert "Declined by the nominee" in queue and "Done" not in queue
    for page in (own, review):
        assert "Decided by" not in page and "Deciding training body" not in page

    with pytest.raises(service.DomainError) as raised:
        service.nomination_withdraw(user=tb_admin, nomination=pending_nominee_nomination)
    assert raised.value.message.startswith(f"This nomination was already declined by {clinician.full_name} on ")


def test_a_withdrawal_conflict_names_who_and_when(clinician, tb_admin, submitted_nomination):
    service.nomination_withdraw(user=clinician, nomination=submitted_nomination)
    submitted_nomination.refresh_from_db()
    when = timezone.localtime(submitted_nomination.withdrawn_at)

    with pytest.raises(service.DomainError) as raised:
        service.nomination_approve(user=tb_admin, nomination=submitted_nomination)

    assert raised.value.message == (
        f"This nomination was already withdrawn by {clinician.full_name} on {when:%-d %B %Y} at {when:%H:%M}."
    )


def test_the_queue_says_decided_instead_of_done(as_admin, approved_nomination):
    page = text(as_admin.get(reverse("talent:list_nominations"), {"state": ""}))

    assert '<td class="nhsuk-table__cell">Decided</td>' in page
    assert ">Done<" not in page


def test_after_applying_the_apply_page_says_so_in_words(as_clinician, pending_nominee_nomination, submitted_nomination):
    applied = text(
        as_clinician.get(
            reverse("talent:apply_for_opportunity", kwargs={"slug": submitted_nomination.opportunity.slug})
        )
    )
    nominated = text(
        as_clinician.get(
            reverse("talent:apply_for_opportunity", kwargs={"slug": pending_nominee_nomination.opportunity.slug})
        )
    )

    assert "You have already applied for this" in applied
    assert "You have already been nominated for this" in nominated and "Waiting for you to accept" in nominated


# --- Length limits ------------------------------------------------------------------------------------------------

# (form, who fills it in, field, limit, the error the page shows). Limits are written out, not read from the code.
LIMITED_FIELDS = [
    pytest.param(
        "apply",
        "clinician",
        "supporting_statement",
        5000,
        "The supporting statement must be 5000 characters or fewer",
        id="application statement",
    ),
    pytest.param(
        "nominate",
        "tb_admin",
        "supporting_statement",
        5000,
        "The statement must be 5000 characters or fewer",
        id="nomination statement",
    ),
    pytest.param("approve", "tb_admin", "note", 2000, "The note must be 2000 characters or fewer", id="approval note"),
    pytest.param(
        "reject", "tb_admin", "reason", 2000, "The reason must be 2000 characters or fewer", id="rejection reason"
    ),
]


@pytest.fixture
def limited_form(request, client, clinician, open_opportunity):
    """Sign in as whoever fills in the form; return its page and the data to post with a given text in the field."""

    def prepare(form: str, who: str, field: str):
        client.force_login(request.getfixturevalue(who))
        if form == "apply":
            return reverse("talent:apply_for_opportunity", kwargs={"slug": open_opportunity.slug}), {}
        if form == "nominate":
            # The statement is asked for once the clinician is chosen.
            chosen = {"clinician": str(clinician.clinician_profile.pk), "opportunity": str(open_opportunity.pk)}
            return f"{reverse('talent:nominate_clinician')}?clinician={clinician.clinician_profile.pk}", chosen
        nomination = nomination_in_state(S.SUBMITTED, profile=clinician.clinician_profile, opportunity=open_opportunity)
        return reverse("talent:review_nomination", kwargs={"nomination_id": nomination.pk}), {"action": form}

    return prepare


@pytest.mark.parametrize(("form", "who", "field", "limit", "error"), LIMITED_FIELDS)
def test_the_text_box_stops_at_the_limit(client, limited_form, form, who, field, limit, error):
    """The browser lets nobody type past the limit: the text box says its maximum length."""
    url, _ = limited_form(form, who, field)

    page = text(client.get(url))

    assert re.search(rf'<textarea[^>]* name="{field}"[^>]* maxlength="{limit}"[ >]', page)


@pytest.mark.parametrize(("form", "who", "field", "limit", "error"), LIMITED_FIELDS)
def test_text_of_exactly_the_limit_is_sent_and_kept_whole(client, limited_form, form, who, field, limit, error):
    """A statement of 5,000 characters, or a note or reason of 2,000, goes through and is kept to the last one."""
    url, data = limited_form(form, who, field)
    typed = "x" * (limit - 1) + "z"

    response = client.post(url, {**data, field: typed})

    assert response.status_code == 302, text(response)
    saved = Nomination.objects.get()
    assert (saved.supporting_statement if field == "supporting_statement" else saved.decision_reason) == typed


@pytest.mark.parametrize(("form", "who", "field", "limit", "error"), LIMITED_FIELDS)
def test_one_character_over_the_limit_shows_the_field_error_and_saves_nothing(
    client, limited_form, form, who, field, limit, error
):
    """One character more: the page shows the error on that field, keeps what was typed, and saves nothing."""
    url, data = limited_form(form, who, field)
    before = list(Nomination.objects.values_list("pk", "state", "decision_reason"))

    typed = "x" * (limit + 1)

    response = client.post(url, {**data, field: typed})

    page = text(response)
    assert response.status_code == 200
    assert typed in page
    assert "There is a problem" in page
    assert f'<a href="#id_{field}">{error}</a>' in page
    assert re.search(rf'<span class="nhsuk-error-message" id="id_{field}-error">.*{error}</span>', page)
    assert list(Nomination.objects.values_list("pk", "state", "decision_reason")) == before
    assert not OutboxMessage.objects.exists()


def test_the_queue_reads_only_what_it_shows_in_one_plain_query(tb_admin, training_body, open_opportunity):
    """Every related row of a nomination joined made PostgreSQL spend far longer choosing a join order than running
    the queue's query: it joins the nominee's profile (their name is copied there) and the opportunity, no more,
    and finds the admin's bodies by a subquery."""
    nomination_in_state(
        S.SUBMITTED, profile=ClinicianProfileFactory(training_body=training_body), opportunity=open_opportunity
    )
    queue = selectors.nomination_queue(tb_admin)
    sql = str(queue.query)

    assert sql.count(" JOIN ") == 2
    assert '"accounts_trainingbodymembership"' in sql and '"accounts_user"' not in sql
    assert [nomination.profile.full_name for nomination in queue] == [queue.first().profile.user.full_name]
