"""In a real browser: every page with a back link says where it goes ("Back to your nominations") and goes there.
Each person walks the pages of theirs that have one, follows it, and lands on a page whose heading, title or menu
item is the place the link named, at the address it gave (no redirect elsewhere); each page passes axe's checks."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from talent import services
from talent.models import Dimension
from tests.e2e.conftest import accessibility_violations
from tests.e2e.second_factor import enter_security_code
from tests.factories import TEST_PASSWORD, ClinicianProfileFactory, NominationFactory
from tests.talent.nudge_fixtures import NudgeEntryFactory, NudgeFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The names a page goes by: its heading, its title (before the service's name) and its menu item, if it has one.
NAMES = """() => [
  document.querySelector("h1") ? document.querySelector("h1").textContent : "",
  document.title.split(" \\u2013 ")[0],
  ...[...document.querySelectorAll("[aria-current=page]")].map(item => item.textContent),
].map(name => name.replace(/\\s+/g, " ").trim().toLowerCase()).filter(Boolean)"""


def sign_in(page, user, *, staff: bool) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if staff:
        enter_security_code(page, user.email)


def follow_back_links(page, addresses: list[str]) -> list[tuple[str, str, str]]:
    """Open each address, follow its back link; return (address, link text, where it went) for every link that does
    not name the page it leads to or does not land at its own address."""
    wrong = []
    for address in addresses:
        page.goto(address)
        assert accessibility_violations(page) == [], address
        link = page.locator(".nhsuk-back-link")
        assert link.count() == 1, address
        text = " ".join(link.inner_text().split())
        href = link.get_attribute("href")
        link.click()
        page.wait_for_load_state()
        landed = page.url.removeprefix(page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2])
        names = page.evaluate(NAMES)
        destination = text.removeprefix("Back to ").strip("“”").lower()
        named = text.startswith("Back to ") and any(name in destination for name in names)
        if not named or landed != href:
            wrong.append((address, text, f"{landed} {names}"))
    return wrong


def test_a_clinicians_back_links(
    page, clinician, open_opportunity, second_open_opportunity, published_pathway, guidance_published
):
    profile = clinician.clinician_profile
    experience = services.experience_save(
        profile=profile, role="Clinical lead", organisation="A trust", level="team", start_date=date(2022, 1, 1)
    )
    qualification = services.qualification_save(
        profile=profile, kind="leadership_management", title="Leadership certificate"
    )
    assessment = services.self_assessment_complete(
        assessment=services.self_assessment_save(profile=profile, ratings=dict.fromkeys(Dimension.values, 3))
    )
    services.self_assessment_save(profile=profile, ratings={Dimension.INSPIRING_SHARED_PURPOSE: 2})
    nomination = NominationFactory(profile=profile, opportunity=open_opportunity)
    first, second = Dimension.values[:2]
    guidance = guidance_published.guidance
    sign_in(page, clinician, staff=False)

    wrong = follow_back_links(
        page,
        [
            reverse("talent:show_profile"),
            reverse("talent:delete_account"),
            reverse("talent:record_interest"),
            reverse("talent:add_experience"),
            reverse("talent:delete_experience", kwargs={"experience_id": experience.pk}),
            reverse("talent:add_qualification"),
            reverse("talent:delete_qualification", kwargs={"qualification_id": qualification.pk}),
            reverse("talent:start_self_assessment"),
            reverse("talent:answer_self_assessment_question", kwargs={"dimension": first}),
            reverse("talent:answer_self_assessment_question", kwargs={"dimension": second}),
            reverse("talent:answer_self_assessment_question", kwargs={"dimension": second}) + "?change=1",
            reverse("talent:check_self_assessment_answers"),
            reverse("talent:show_self_assessment_results", kwargs={"assessment_id": assessment.pk}),
            reverse("talent:list_my_nominations"),
            reverse("talent:show_my_nomination", kwargs={"nomination_id": nomination.pk}),
            reverse("pathways:show_opportunity", kwargs={"slug": open_opportunity.slug}),
            reverse("talent:apply_for_opportunity", kwargs={"slug": second_open_opportunity.slug}),
            reverse("pathways:show_pathway", kwargs={"slug": published_pathway.slug}),
            reverse("regulators:show_revalidation"),
            reverse("regulators:edit_revalidation"),
            reverse("regulators:show_guidance", kwargs={"regulator": "gmc", "slug": guidance.slug}),
            reverse("regulators:show_guidance_changes", kwargs={"regulator": "gmc", "slug": guidance.slug}),
        ],
    )

    assert wrong == []


def test_a_new_clinicians_back_links_through_the_questions_about_them(page, new_clinician):
    sign_in(page, new_clinician, staff=False)
    page.goto(reverse("talent:answer_onboarding_profession"))
    page.get_by_label("What is your profession?").select_option("Doctor")
    page.get_by_role("button", name="Continue").click()

    wrong = follow_back_links(
        page, [reverse("talent:answer_onboarding_profession"), reverse("talent:answer_onboarding_registration")]
    )

    assert wrong == []


def test_a_training_body_admins_back_links(page, tb_admin, training_body, clinician, open_opportunity):
    profile = clinician.clinician_profile
    nomination = NominationFactory(profile=profile, opportunity=open_opportunity)
    nudge = NudgeFactory(training_body=training_body)
    NudgeEntryFactory(nudge=nudge, profile=profile)
    waiting = ClinicianProfileFactory(
        training_body=None, requested_training_body=training_body, training_body_requested_at=timezone.now()
    )
    sign_in(page, tb_admin, staff=True)

    wrong = follow_back_links(
        page,
        [
            reverse("accounts:show_training_body", kwargs={"slug": training_body.slug}),
            reverse("talent:list_nudges", kwargs={"slug": training_body.slug}),
            reverse("talent:show_nudge", kwargs={"nudge_id": nudge.pk}),
            reverse("talent:list_membership_requests", kwargs={"slug": training_body.slug}),
            reverse("talent:remove_member", kwargs={"slug": training_body.slug, "profile_id": profile.pk}),
            reverse("talent:remove_member", kwargs={"slug": training_body.slug, "profile_id": waiting.pk}),
            reverse("talent:show_clinician", kwargs={"profile_id": profile.pk}),
            reverse("talent:review_nomination", kwargs={"nomination_id": nomination.pk}),
            reverse("talent:nominate_clinician"),
            reverse("pipeline:list_drilldown") + "?stage=registered",
            reverse("pipeline:export_drilldown") + "?stage=registered",
            reverse("pipeline:show_body_follow_ups", kwargs={"slug": training_body.slug}),
        ],
    )

    assert wrong == []


def test_a_content_editors_back_links(page, editor):
    sign_in(page, editor, staff=True)

    wrong = follow_back_links(
        page,
        [reverse("population:list_eligible_population_uploads"), reverse("population:upload_eligible_population")],
    )

    assert wrong == []
