"""Applying and deciding as people do it: one route per opportunity with the nomination requirement said once, an
acknowledgement when a clinician applies, what to do next once approved, the decision page with its confirmation
step, nominating only for what the clinician is eligible for, and a clinician's applications on their record."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils.html import escape
from rest_framework.test import APIClient

from accounts.models import OutboxMessage
from pathways.models import Opportunity
from talent.models import Nomination, NominationState
from tests.clock import runs_at
from tests.factories import ClinicianProfileFactory, TrainingBodyAdminFactory
from tests.pathways.test_services import make_opportunity
from tests.talent.nomination_fixtures import delivered_emails, nomination_in_state

pytestmark = pytest.mark.django_db

UK = ZoneInfo("Europe/London")
NOW = datetime(2027, 3, 10, 10, 0, tzinfo=UK)
_at_now = runs_at(NOW)

S = NominationState


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def opportunity_page(client, opportunity: Opportunity) -> str:
    return text(client.get(reverse("pathways:show_opportunity", kwargs={"slug": opportunity.slug})))


def review_url(nomination: Nomination) -> str:
    return reverse("talent:review_nomination", kwargs={"nomination_id": nomination.pk})


# --- One route per opportunity ------------------------------------------------------------------------------------

APPLY_HERE = "Apply through this service"
APPLY_THERE = "Apply on the Example provider website"


def test_an_opportunity_taking_applications_here_offers_only_this_service(client, clinician):
    opportunity = make_opportunity("course", link="https://example.org/course")
    client.force_login(clinician)

    page = opportunity_page(client, opportunity)

    assert page.count(f">{APPLY_HERE}</a>") == 1  # one button
    assert APPLY_THERE not in page and "apply on the" not in page.lower()
    assert f'href="{reverse("talent:apply_for_opportunity", kwargs={"slug": opportunity.slug})}"' in page


def test_an_opportunity_taking_applications_at_the_provider_offers_only_their_link(client, clinician):
    opportunity = make_opportunity("course", link="https://example.org/course", applications_through_service=False)
    client.force_login(clinician)

    page = opportunity_page(client, opportunity)
    apply_page = text(client.get(reverse("talent:apply_for_opportunity", kwargs={"slug": opportunity.slug})))
    posted = client.post(
        reverse("talent:apply_for_opportunity", kwargs={"slug": opportunity.slug}), {"supporting_statement": "Me."}
    )

    assert f">{APPLY_HERE}</a>" not in page
    assert re.search(r'<a class="nhsuk-button"[^>]*href="https://example.org/course"[^>]*>' + APPLY_THERE, page)
    assert APPLY_THERE in apply_page and "Send application" not in apply_page
    assert posted.status_code == 200 and not Nomination.objects.exists()


@pytest.mark.parametrize(
    ("through_service", "required", "statement"),
    [
        (
            True,
            True,
            "Example provider takes only clinicians their training body nominates. Apply through this service and "
            "your training body decides whether to nominate you.",
        ),
        (
            True,
            False,
            "Apply through this service. Your application goes to your training body, who decide whether to approve "
            "it.",
        ),
        (
            False,
            True,
            "You apply to Example provider on their website, and they take only clinicians their training body "
            "nominates: ask your training body for a nomination before you apply.",
        ),
        (False, False, "You apply to Example provider on their website. You do not need a nomination."),
    ],
)
def test_the_nomination_requirement_is_stated_once_for_the_route(
    client, clinician, through_service, required, statement
):
    """Whether a nomination is needed is said in one place, in words that fit how the clinician applies."""
    opportunity = make_opportunity(
        "course",
        link="https://example.org/",
        applications_through_service=through_service,
        nomination_required=required,
    )
    client.force_login(clinician)

    page = opportunity_page(client, opportunity)

    assert page.count(escape(statement)) == 1
    assert "Nomination required" not in page and "You need a nomination" not in page


def test_who_can_apply_reads_as_a_sentence(client):
    opportunity = make_opportunity(
        "registrar",
        professions=["doctor"],
        career_stages=["specialty_training"],
        min_specialty_training_year=4,
    )

    page = opportunity_page(client, opportunity)

    assert "Open to doctors in specialty training at ST4 or above." in page


def test_the_api_gives_the_same_sentence_and_the_route(client):
    opportunity = make_opportunity("registrar", professions=["doctor"], min_specialty_training_year=4)

    body = client.get(reverse("pathways_api:show_opportunity", kwargs={"opportunity_id": opportunity.pk})).json()

    assert body["eligibility_summary"] == "Open to doctors in specialty training at ST4 or above."
    assert body["applications_through_service"] is True


@pytest.mark.parametrize("who", ["clinician", "tb_admin"])
def test_the_api_refuses_applying_or_nominating_here_for_an_opportunity_taken_at_the_provider(request, clinician, who):
    opportunity = make_opportunity("at-provider", link="https://example.org/", applications_through_service=False)
    client = APIClient()
    client.force_authenticate(request.getfixturevalue(who))
    body = {"opportunity": str(opportunity.pk), "supporting_statement": "Ready."}
    if who == "tb_admin":
        body["clinician"] = str(clinician.clinician_profile.pk)

    response = client.post(reverse("talent_api:list_nominations"), body, format="json")

    assert response.status_code == 400
    assert "takes applications on the Example provider website" in str(response.json()["opportunity"])
    assert not Nomination.objects.exists()


# --- Applying: the acknowledgement and the list's name --------------------------------------------------------------


def test_the_clinician_is_emailed_an_acknowledgement_when_they_apply(client, clinician, tb_admin, training_body):
    opportunity = make_opportunity("course", title="Quality improvement course")
    client.force_login(clinician)

    client.post(
        reverse("talent:apply_for_opportunity", kwargs={"slug": opportunity.slug}),
        {"supporting_statement": "I lead our rota redesign."},
    )

    nomination = Nomination.objects.get()
    [acknowledgement] = [email for email in delivered_emails() if email.to == [clinician.email]]
    assert acknowledgement.subject == "We have your application for Quality improvement course"
    assert (
        f"We have sent your application for Quality improvement course (Example provider) to {training_body.name}"
        in (acknowledgement.body)
    )
    assert reverse("talent:show_my_nomination", kwargs={"nomination_id": nomination.pk}) in acknowledgement.body
    assert OutboxMessage.objects.filter(kind="nomination_received", to_email=tb_admin.email).exists()


def test_the_clinicians_list_is_called_your_applications_and_nominations(client, clinician):
    client.force_login(clinician)

    home = text(client.get(reverse("talent:show_clinician_home")))
    listed = text(client.get(reverse("talent:list_my_nominations")))

    assert "<h2>Your applications and nominations</h2>" in home
    assert "<h1>Your applications and nominations</h1>" in listed
    assert "<title>Your applications and nominations" in listed
    assert "Your nominations" not in home + listed


# --- After approval: what to do next ------------------------------------------------------------------------------

NEXT_STEPS = {
    "next_steps": "Register for the induction day on our website.\nBring your ePortfolio.",
    "starts_on": date(2027, 9, 1),
    "ends_on": date(2028, 8, 31),
    "contact_name": "The fellowship team",
    "contact_email": "fellowships@example.org",
}


def test_once_approved_the_clinician_sees_and_is_emailed_what_to_do_next(client, clinician, tb_admin):
    opportunity = make_opportunity(
        "fellowship", title="Leadership fellowship", link="https://example.org/f", **NEXT_STEPS
    )
    nomination = nomination_in_state(S.SUBMITTED, profile=clinician.clinician_profile, opportunity=opportunity)
    own_url = reverse("talent:show_my_nomination", kwargs={"nomination_id": nomination.pk})
    client.force_login(clinician)
    before = text(client.get(own_url))

    client.force_login(tb_admin)
    client.post(review_url(nomination), {"action": "approve", "note": ""})
    client.force_login(clinician)
    after = text(client.get(own_url))

    assert "What to do next" not in before
    for shown in (
        "What to do next",
        "Register for the induction day on our website.<br>Bring your ePortfolio.",
        'href="https://example.org/f"',
        "From 1 September 2027 to 31 August 2028",
        "The fellowship team",
        'href="mailto:fellowships@example.org"',
    ):
        assert shown in after
    [email] = delivered_emails()
    assert email.to == [clinician.email]
    for said in (
        "What to do next",
        "Register for the induction day on our website.\nBring your ePortfolio.",
        "Example provider: https://example.org/f",
        "When it runs: From 1 September 2027 to 31 August 2028",
        "Who to contact: The fellowship team, fellowships@example.org",
    ):
        assert said in email.body
    assert "fellowships@example.org" in email.alternatives[0][0]


def test_without_next_steps_the_clinician_is_pointed_to_the_provider(client, clinician, approved_nomination):
    client.force_login(clinician)

    page = text(client.get(reverse("talent:show_my_nomination", kwargs={"nomination_id": approved_nomination.pk})))

    assert "What to do next" in page
    assert "Follow Example Leadership Academy's instructions to take up your place." in page
    assert "Not given yet: the provider will tell you" in page


def test_editors_give_the_next_steps_in_the_admin_site(client, editor, open_opportunity):
    client.force_login(editor)
    url = reverse("admin:pathways_opportunity_change", args=[open_opportunity.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        professions=[],
        career_stages=[],
        applications_through_service="on",
        next_steps="Email us your acceptance.",
        starts_on="2027-09-01",
        ends_on="2027-08-01",
        contact_name="Admissions",
        contact_email="admissions@example.org",
    )

    refused = client.post(url, data)
    saved = client.post(url, {**data, "ends_on": "2028-08-31"})

    assert "The end date must be the same as or after the start date." in refused.content.decode()
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    open_opportunity.refresh_from_db()
    assert (open_opportunity.next_steps, open_opportunity.contact_email) == (
        "Email us your acceptance.",
        "admissions@example.org",
    )
    assert open_opportunity.ends_on == date(2028, 8, 31)


def test_an_opportunity_taken_at_the_provider_needs_their_link(client, editor, open_opportunity):
    client.force_login(editor)
    url = reverse("admin:pathways_opportunity_change", args=[open_opportunity.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.pop("applications_through_service")  # the box for this service left unticked
    data.update(professions=[], career_stages=[], link="")

    page = client.post(url, data).content.decode()

    assert "Give the provider&#x27;s page where clinicians apply, or take applications through this service." in page
    open_opportunity.refresh_from_db()
    assert open_opportunity.applications_through_service


# --- The decision page ----------------------------------------------------------------------------------------------


def test_the_evidence_comes_before_one_decision_form_with_the_places_taken(
    client, tb_admin, training_body, clinician, submitted_nomination, open_opportunity
):
    nomination_in_state(
        S.APPROVED, profile=ClinicianProfileFactory(training_body=training_body), opportunity=open_opportunity
    )
    client.force_login(tb_admin)

    page = text(client.get(review_url(submitted_nomination)))

    statement = page.index(escape(submitted_nomination.supporting_statement))
    evidence = page.index("About the nominee")
    decide = page.index('<h2 id="decide">Decide</h2>')
    assert statement < evidence < decide
    assert "Places: 1 of 30 taken." in page
    assert page.count('<form method="post"') == 1  # one decision form
    assert 'value="approve"' in page and 'value="reject"' in page and "Continue" in page


def test_the_decision_is_confirmed_before_it_applies(client, tb_admin, clinician, submitted_nomination):
    client.force_login(tb_admin)
    url = review_url(submitted_nomination)

    check = text(client.post(url, {"action": "decide", "decision": "approve", "note": "Well done."}))

    assert "<h1>Check your decision</h1>" in check
    assert "Well done." in check and "0 of 30 taken now; 1 of 30 once you approve" in check
    assert Nomination.objects.get().state == S.SUBMITTED and not OutboxMessage.objects.exists()

    confirmed = client.post(url, {"action": "approve", "decision": "approve", "note": "Well done."}, follow=True)

    assert "Nomination approved. The clinician has been told." in text(confirmed)
    assert Nomination.objects.get().state == S.APPROVED
    assert Nomination.objects.get().decision_reason == "Well done."


def test_not_approving_needs_a_reason_before_the_confirmation(client, tb_admin, submitted_nomination):
    client.force_login(tb_admin)
    url = review_url(submitted_nomination)

    no_reason = text(client.post(url, {"action": "decide", "decision": "reject", "note": "", "reason": " "}))
    no_choice = text(client.post(url, {"action": "decide", "note": "", "reason": ""}))
    check = text(client.post(url, {"action": "decide", "decision": "reject", "reason": "Not this year."}))

    assert "There is a problem" in no_reason and "Enter the reason for not approving this nomination" in no_reason
    assert "Select whether you approve this nomination" in no_choice
    assert "Check your decision" in check and "Not this year." in check and "Do not approve" in check
    assert Nomination.objects.get().state == S.SUBMITTED


def test_changing_the_decision_returns_to_the_form_as_typed(client, tb_admin, submitted_nomination):
    client.force_login(tb_admin)

    page = text(
        client.post(
            review_url(submitted_nomination),
            {"action": "change", "decision": "reject", "reason": "Apply next year.", "note": ""},
        )
    )

    assert "Apply next year.</textarea>" in page
    assert re.search(r'value="reject"[^>]*checked', page)
    assert "There is a problem" not in page
    assert Nomination.objects.get().state == S.SUBMITTED


def test_a_decision_confirmed_after_a_colleagues_says_who_decided(
    client, tb_admin, training_body, submitted_nomination
):
    colleague = TrainingBodyAdminFactory(training_body=training_body, full_name="Alex Colleague")
    client.force_login(tb_admin)
    client.post(review_url(submitted_nomination), {"action": "approve", "decision": "approve"})
    client.force_login(colleague)

    response = client.post(
        review_url(submitted_nomination), {"action": "decide", "decision": "reject", "reason": "No."}, follow=True
    )

    assert "Check your decision" not in text(response)
    assert "This nomination was already approved by" in text(response)


# --- Nominating: only what the clinician is eligible for ---------------------------------------------------------


def test_the_nominate_form_offers_only_open_opportunities_the_clinician_is_eligible_for(
    client, tb_admin, clinician, submitted_nomination, open_opportunity
):
    """The clinician (a doctor) already applied for the open programme; a nurses' course, one taken on the
    provider's website and a closed one are not theirs to be nominated for, and the page says why."""
    eligible = make_opportunity("eligible-course", title="Eligible course")
    make_opportunity("nurses-course", title="Nurses course", professions=["nurse"])
    make_opportunity(
        "at-provider", title="Provider course", link="https://example.org/", applications_through_service=False
    )
    make_opportunity("closed-course", title="Closed course", opens_in=-30, closes_in=-1)
    client.force_login(tb_admin)
    url = reverse("talent:nominate_clinician")

    first = text(client.get(url))
    second = text(client.get(url, {"clinician": str(clinician.clinician_profile.pk)}))

    assert 'name="opportunity"' not in first and "Continue" in first
    options = re.search(r'<select[^>]*name="opportunity".*?</select>', second, re.S).group(0)
    assert "Eligible course" in options
    for absent in ("Nurses course", "Provider course", "Closed course", "Open leadership programme"):
        assert absent not in options
    assert "Closed course" not in second  # not open, so not listed at all
    name = escape(clinician.full_name)
    for reason in (
        "Open only to these professions: nurse.",
        "Applications go straight to Example provider, not through this service.",
        f"{name} has already applied for it or been nominated (waiting for a decision).",
    ):
        assert reason in second
    assert "3 open opportunities are not offered" in second

    posted = client.post(
        url,
        {
            "clinician": str(clinician.clinician_profile.pk),
            "opportunity": str(Opportunity.objects.get(slug="nurses-course").pk),
            "supporting_statement": "Please.",
        },
    )
    assert "Choose an open opportunity they are eligible for" in text(posted)
    assert not Nomination.objects.filter(opportunity__slug="nurses-course").exists()
    assert eligible.pk


def test_the_nominate_form_reads_the_same_number_of_queries_however_many_opportunities(
    client, tb_admin, clinician, django_assert_max_num_queries
):
    for index in range(25):
        make_opportunity(f"course-{index}", professions=["doctor"] if index % 2 else ["nurse"])
    client.force_login(tb_admin)

    with django_assert_max_num_queries(12):
        page = text(
            client.get(reverse("talent:nominate_clinician"), {"clinician": str(clinician.clinician_profile.pk)})
        )

    assert "13 open opportunities are not offered" in page


# --- Past nudges and the clinician's record -------------------------------------------------------------------------


def test_names_on_the_past_nudges_list_link_to_the_record(client, tb_admin, training_body, clinician, nudge):
    client.force_login(tb_admin)

    page = text(client.get(reverse("talent:list_nudges", kwargs={"slug": training_body.slug})))

    record = reverse("talent:show_clinician", kwargs={"profile_id": clinician.clinician_profile.pk})
    assert f'<a href="{record}">{escape(clinician.full_name)}</a>' in page


def test_the_record_lists_the_applications_and_nominations_with_this_body(
    client, tb_admin, hee_staff, clinician, submitted_nomination, other_tb_admin, second_open_opportunity
):
    """The admin of the clinician's body sees them, each linking to its page; HEE staff, who decide none, see no
    such section."""
    pending = nomination_in_state(
        S.PENDING_NOMINEE, profile=clinician.clinician_profile, opportunity=second_open_opportunity, admin=tb_admin
    )
    record = reverse("talent:show_clinician", kwargs={"profile_id": clinician.clinician_profile.pk})
    client.force_login(tb_admin)
    admin_page = text(client.get(record))
    client.force_login(hee_staff)
    hee_page = text(client.get(record))

    assert '<h2 id="applications-and-nominations">Applications and nominations</h2>' in admin_page
    for nomination in (submitted_nomination, pending):
        assert f'href="{review_url(nomination)}"' in admin_page
    assert "Waiting for a decision" in admin_page and "Waiting for the nominee" in admin_page
    assert "Applications and nominations" not in hee_page


def test_the_record_reads_the_same_number_of_queries_however_many_nominations(
    client, tb_admin, clinician, django_assert_max_num_queries
):
    def record_page():
        return client.get(reverse("talent:show_clinician", kwargs={"profile_id": clinician.clinician_profile.pk}))

    client.force_login(tb_admin)
    make_opportunity("first")
    nomination_in_state(
        S.SUBMITTED, profile=clinician.clinician_profile, opportunity=Opportunity.objects.get(slug="first")
    )
    with django_assert_max_num_queries(40) as one:
        record_page()
    for index in range(10):
        nomination_in_state(
            [S.SUBMITTED, S.APPROVED, S.REJECTED][index % 3],
            profile=clinician.clinician_profile,
            opportunity=make_opportunity(f"course-{index}"),
        )

    with django_assert_max_num_queries(len(one.captured_queries)):
        page = text(record_page())

    assert page.count("/nominations/") >= 11
