"""The pathway and opportunity pages, and the saved and recommended sections of the clinician home."""

import pytest
from django.urls import reverse
from django.utils import timezone

from pathways import services
from pathways.models import ContentStatus, Opportunity, OpportunityKind, Pathway, SavedPathway
from talent.models import EarlyInterestSignal
from tests.conftest import ROLES
from tests.pathways.pages_opportunities import PAGES as OPPORTUNITY_PAGES
from tests.pathways.pages_pathways import PAGES as PATHWAY_PAGES
from tests.pathways.test_services import make_opportunity, make_pathway
from tests.test_permissions import test_each_role_gets_the_expected_answer_from_each_page as _matrix_check

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PATHWAY_PAGES + OPPORTUNITY_PAGES, ids=lambda page: page.url_name)
def test_matrix_rows_with_the_pathway_fixtures(client, request, user_for_role, page, role):
    """The permission-matrix rows of these pages, run where the pathway and opportunity fixtures are defined."""
    _matrix_check(client, request, user_for_role, page, role)


def get_page(client, name: str, user=None, **kwargs) -> str:
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs.pop("url_kwargs", None)), kwargs)
    assert response.status_code == 200
    return response.content.decode()


# --- Pathways: browse, search, filter -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_draft_content_is_invisible_on_the_lists_for_every_role(
    client, user_for_role, role, published_pathway, draft_pathway, draft_opportunity
):
    """Drafts never appear in the lists, whoever is looking, editors included (they use the admin site)."""
    user = user_for_role(role)

    pathways = get_page(client, "pathways:list_pathways", user)
    opportunities = get_page(client, "pathways:list_opportunities", user)

    assert published_pathway.title in pathways
    assert draft_pathway.title not in pathways
    assert draft_opportunity.title not in opportunities
    assert "Open leadership programme" in opportunities


def test_pathways_can_be_searched_by_words_in_any_order(client):
    """Searching "director clinical" finds the clinical director pathway but not the chief nurse one."""
    make_pathway("to-clinical-director", title="Towards clinical leadership", role="clinical-director")
    make_pathway("to-chief-nurse", title="Nursing to the board", professions=["nurse"], role="chief-nurse")

    page = get_page(client, "pathways:list_pathways", search="director clinical")

    assert "Towards clinical leadership" in page
    assert "Nursing to the board" not in page
    assert "1 pathway found" in page


def test_a_search_with_no_results_says_so(client, published_pathway):
    """An empty result explains what to try next."""
    page = get_page(client, "pathways:list_pathways", search="astronaut")

    assert "No pathways match your search" in page


def test_pathways_filter_by_profession_including_those_open_to_any(client):
    """Filtering by nurse shows nurses' pathways and those open to any profession, not doctors' ones."""
    make_pathway("for-nurses", title="Nurses pathway", professions=["nurse"])
    make_pathway("for-anyone", title="Anyone pathway")
    make_pathway("for-doctors", title="Doctors pathway", professions=["doctor"])

    page = get_page(client, "pathways:list_pathways", profession="nurse")

    assert "Nurses pathway" in page and "Anyone pathway" in page
    assert "Doctors pathway" not in page


def test_pathways_filter_by_target_role(client):
    """Choosing a target role shows only the pathways into it."""
    make_pathway("into-cno", title="Into chief nurse", role="chief-nurse")
    make_pathway("into-md", title="Into medical director", role="medical-director")

    page = get_page(client, "pathways:list_pathways", role="chief-nurse")

    assert "Into chief nurse" in page
    assert "Into medical director" not in page


def test_unknown_pathway_filters_are_cleared_with_a_message(client, published_pathway):
    """An old bookmark or edited URL with values we do not know still shows pathways, and says what was cleared."""
    page = get_page(client, "pathways:list_pathways", profession="wizard", role="no-such-role", search="")

    assert published_pathway.title in page
    assert "We did not recognise the profession and target role you chose, so we cleared those filters." in page
    assert "There is a problem" not in page


def test_the_pathway_list_shows_role_level_and_professions(client, published_pathway):
    """Each card shows the summary, the target role and its level, and who the pathway is for."""
    page = get_page(client, "pathways:list_pathways")

    assert published_pathway.summary in page
    assert "Clinical director (service level)" in page
    assert "Doctor" in page


# --- Pathway detail and saving ------------------------------------------------------------------------------------


def test_a_pathway_shows_its_steps_skills_and_suggested_opportunities(client, published_pathway, open_opportunity):
    """Steps appear in order with their duration, the leadership skills they build and links to opportunities."""
    page = get_page(client, "pathways:show_pathway", url_kwargs={"slug": published_pathway.slug})

    assert page.index("Lead a quality improvement project") < page.index("Take a leadership fellowship")
    assert 'href="#step-1"' in page and 'id="step-1"' in page
    assert "6 to 12 months" in page
    assert "Leading with care" in page
    assert reverse("pathways:show_opportunity", kwargs={"slug": open_opportunity.slug}) in page
    assert "<strong>published</strong>" in page  # the body's Markdown, rendered
    assert f"Page last reviewed: {timezone.localdate():%-d %B %Y}" in page


def test_a_draft_opportunity_is_not_suggested_on_a_pathway(client, published_pathway, draft_opportunity):
    """A step never links to an opportunity that is not published."""
    published_pathway.steps.get(order=2).suggested_opportunities.add(draft_opportunity)

    page = get_page(client, "pathways:show_pathway", url_kwargs={"slug": published_pathway.slug})

    assert draft_opportunity.title not in page


@pytest.mark.parametrize(
    ("role", "sees_button"),
    [("anonymous", False), ("clinician", True), ("tb_admin", False), ("hee_staff", False), ("editor", False)],
)
def test_only_clinicians_see_the_save_button(client, user_for_role, published_pathway, role, sees_button):
    """The save button is for clinicians; visitors are invited to sign in instead."""
    page = get_page(client, "pathways:show_pathway", user_for_role(role), url_kwargs={"slug": published_pathway.slug})

    assert ("Save this pathway" in page) is sees_button
    assert ("as a clinician to save this pathway" in page) is (role == "anonymous")


def test_a_clinician_saves_a_pathway_and_finds_it_on_their_home(client, clinician, published_pathway):
    """Save, see it confirmed, find it under "Saved pathways" on the home, then remove it again."""
    client.force_login(clinician)
    detail = reverse("pathways:show_pathway", kwargs={"slug": published_pathway.slug})

    response = client.post(reverse("pathways:save_pathway", kwargs={"slug": published_pathway.slug}), follow=True)

    assert response.redirect_chain[-1][0] == detail
    page = response.content.decode()
    assert "is saved" in page and "Remove from saved" in page
    home = get_page(client, "talent:show_clinician_home")
    saved_section = home[home.index("Saved pathways") : home.index("Recommended for you")]
    assert published_pathway.title in saved_section

    response = client.post(reverse("pathways:unsave_pathway", kwargs={"slug": published_pathway.slug}), follow=True)

    assert "Save this pathway" in response.content.decode()
    assert not SavedPathway.objects.exists()
    assert EarlyInterestSignal.objects.count() == 1


def test_saving_twice_from_the_page_is_harmless(client, clinician, published_pathway):
    """A double submission keeps one saved pathway."""
    client.force_login(clinician)
    url = reverse("pathways:save_pathway", kwargs={"slug": published_pathway.slug})

    client.post(url)
    client.post(url)

    assert SavedPathway.objects.count() == 1
    assert EarlyInterestSignal.objects.count() == 1


def test_a_visitor_who_tries_to_save_is_asked_to_sign_in_and_comes_back_to_the_pathway(client, published_pathway):
    """After signing in they land on the pathway, not on a page that only accepts form posts."""
    response = client.post(reverse("pathways:save_pathway", kwargs={"slug": published_pathway.slug}))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))
    assert "next=/pathways/doctor-to-clinical-director/" in response["Location"]


def test_a_clinician_without_a_profile_is_sent_to_onboarding_first(client, new_clinician, published_pathway):
    """Saving needs a profile; a clinician who has not finished onboarding is sent to their home."""
    client.force_login(new_clinician)

    response = client.post(reverse("pathways:save_pathway", kwargs={"slug": published_pathway.slug}))

    assert response["Location"] == reverse("talent:show_clinician_home")
    assert not SavedPathway.objects.exists()


# --- Opportunities --------------------------------------------------------------------------------------------------


@pytest.fixture
def opportunities(db):
    """For the clinician fixture (doctor, ST3, registered 4 years ago): one open eligible course, one open
    fellowship for ST4 and above, one open mentoring scheme for nurses, and one closed course."""
    return {
        "eligible": make_opportunity("eligible-course", title="Eligible course", closes_in=20),
        "st4": make_opportunity(
            "st4-fellowship", title="ST4 fellowship", kind=OpportunityKind.FELLOWSHIP, min_specialty_training_year=4
        ),
        "nurses": make_opportunity(
            "nurse-mentoring", title="Nurse mentoring", kind=OpportunityKind.MENTORING, professions=["nurse"]
        ),
        "closed": make_opportunity("closed-course", title="Closed course", opens_in=-30, closes_in=-2),
    }


def test_opportunities_filter_to_open_now_and_kind(client, opportunities):
    """ "Open now" hides closed ones; choosing a kind shows only that kind."""
    open_now = get_page(client, "pathways:list_opportunities", open="on")
    fellowships = get_page(client, "pathways:list_opportunities", kind="fellowship")

    assert "Eligible course" in open_now and "Closed course" not in open_now
    assert "ST4 fellowship" in fellowships and "Eligible course" not in fellowships


def test_opportunities_are_listed_closing_soonest_first(client, opportunities):
    """The most urgent deadlines come first."""
    page = get_page(client, "pathways:list_opportunities")

    assert page.index("Closed course") < page.index("Eligible course") < page.index("ST4 fellowship")


def test_a_clinician_filters_to_opportunities_they_are_eligible_for(client, clinician, opportunities):
    """ "Eligible for me" leaves only what the clinician could apply for today, each marked as such."""
    page = get_page(client, "pathways:list_opportunities", clinician, eligible="on")

    assert "Eligible course" in page
    assert "ST4 fellowship" not in page and "Nurse mentoring" not in page and "Closed course" not in page
    assert "You are eligible" in page


def test_without_the_filter_a_clinician_sees_which_they_are_not_eligible_for(client, clinician, opportunities):
    """Each row says in words whether the clinician is eligible."""
    page = get_page(client, "pathways:list_opportunities", clinician)

    assert "Not eligible" in page and "You are eligible" in page


@pytest.mark.parametrize("role", ["anonymous", "tb_admin", "hee_staff", "editor", "new_clinician"])
def test_eligible_for_me_is_only_for_clinicians_with_a_profile(client, request, opportunities, role):
    """Others do not see the option; using it anyway shows every opportunity with a message saying why."""
    user = None if role == "anonymous" else request.getfixturevalue(role)
    plain = get_page(client, "pathways:list_opportunities", user)
    client.logout()
    attempted = get_page(client, "pathways:list_opportunities", user, eligible="on")

    assert "Only opportunities I am eligible for" not in plain
    assert "Nurse mentoring" in attempted and "Eligible course" in attempted
    assert "Only clinicians who have told us about themselves" in attempted


def test_unknown_opportunity_filters_are_cleared_with_a_message(client, opportunities):
    """An unknown kind is dropped, with a message, and the page still works."""
    page = get_page(client, "pathways:list_opportunities", kind="<script>alert(1)</script>", open="on")

    assert "We did not recognise the kind you chose, so we cleared that filter." in page
    assert "Eligible course" in page and "ST4 fellowship" in page
    assert "alert(1)" not in page


def test_an_opportunity_shows_its_details_and_rules_in_plain_words(client):
    """Provider, kind, window, places, nomination and eligibility rules are all readable without signing in."""
    opportunity = make_opportunity(
        "fellowship",
        title="Clinical leadership fellowship",
        kind=OpportunityKind.FELLOWSHIP,
        professions=["doctor", "nurse"],
        min_specialty_training_year=4,
        min_years_since_registration=3,
        max_years_since_registration=10,
        takes_trainee_out_of_programme=True,
        places=12,
        nomination_required=True,
        link="https://example.org/apply",
    )

    page = get_page(client, "pathways:show_opportunity", url_kwargs={"slug": opportunity.slug})

    for text in (
        "Fellowship from Example provider",
        # Only doctors have a specialty training year, so the sentence names doctors alone.
        "Open to doctors in specialty training at ST4 or above, with 3 to 10 years since first registration.",
        "out of their training programme",
        "12",
        "Example provider takes only clinicians their training body nominates.",
        'href="https://example.org/apply"',
        "as a clinician to see whether you are eligible",
    ):
        assert text in page


def test_an_eligible_clinician_sees_the_eligible_panel(client, clinician, opportunities):
    """A clinician who meets every rule is told so plainly."""
    page = get_page(client, "pathways:show_opportunity", clinician, url_kwargs={"slug": "eligible-course"})

    assert "You are eligible for this course" in page
    assert "nhsuk-inset-text" in page


def test_an_ineligible_clinician_sees_every_reason(client, clinician, opportunities):
    """Each unmet rule is listed, e.g. the ST year and the closed window."""
    Opportunity.objects.filter(pk=opportunities["st4"].pk).update(professions=["nurse"])

    page = get_page(client, "pathways:show_opportunity", clinician, url_kwargs={"slug": "st4-fellowship"})

    assert "You are not eligible for this fellowship" in page
    assert "Open only to these professions: nurse." in page
    assert "Open to doctors in specialty training at ST4 and above." in page


def test_staff_see_no_eligibility_panel(client, tb_admin, opportunities):
    """Eligibility is about the clinician reading the page; staff see only the rules."""
    page = get_page(client, "pathways:show_opportunity", tb_admin, url_kwargs={"slug": "eligible-course"})

    assert "You are eligible" not in page and "You are not eligible" not in page


# --- Clinician home -------------------------------------------------------------------------------------------------


def test_the_home_recommends_pathways_and_open_eligible_opportunities(client, clinician, opportunities):
    """Recommendations match the clinician's profession, and opportunities are ones they could apply for now."""
    make_pathway("doctors-way", title="A doctors' way to the board", professions=["doctor"])
    make_pathway("nurses-way", title="A nurses' way to the board", professions=["nurse"])

    home = get_page(client, "talent:show_clinician_home", clinician)
    recommended = home[home.index("Recommended for you") : home.index("Who can see your information")]

    assert "A doctors&#x27; way to the board" in recommended
    assert "nurses" not in recommended
    assert "Eligible course" in recommended
    assert "ST4 fellowship" not in recommended and "Closed course" not in recommended
    assert "You have not saved any career pathways yet" in home


# --- Query counts ---------------------------------------------------------------------------------------------------


def _content(count: int) -> None:
    for number in range(count):
        pathway = make_pathway(f"pathway-{number:03}", professions=["doctor"] if number % 2 else [])
        opportunity = make_opportunity(f"opportunity-{number:03}", closes_in=5 + number, professions=["doctor"])
        pathway.steps.create(order=1, title="Step", description="Do it.", dimensions=["leading_with_care"])
        pathway.steps.get().suggested_opportunities.add(opportunity)


def _queries_for(client, django_assert_max_num_queries, url: str, params: dict, bound: int) -> None:
    with django_assert_max_num_queries(bound):
        response = client.get(url, params)
    assert response.status_code == 200


@pytest.mark.parametrize("count", [10, 100])
def test_the_pathway_list_takes_the_same_queries_at_10_and_100_pathways(
    client, clinician, django_assert_max_num_queries, count
):
    """The list does not slow down as pathways are added."""
    _content(count)
    client.force_login(clinician)
    _queries_for(client, django_assert_max_num_queries, reverse("pathways:list_pathways"), {"profession": "doctor"}, 5)


@pytest.mark.parametrize("count", [10, 100])
def test_the_opportunity_list_takes_the_same_queries_at_10_and_100_opportunities(
    client, clinician, django_assert_max_num_queries, count
):
    """Eligibility for every row is worked out without a query per row."""
    _content(count)
    client.force_login(clinician)
    _queries_for(client, django_assert_max_num_queries, reverse("pathways:list_opportunities"), {"eligible": "on"}, 4)


@pytest.mark.parametrize("count", [10, 100])
def test_the_clinician_home_takes_the_same_queries_at_10_and_100_saved_pathways(
    client, clinician, django_assert_max_num_queries, count
):
    """Saved pathways and recommendations do not add a query per item."""
    _content(count)
    profile = clinician.clinician_profile
    for pathway in Pathway.objects.filter(status=ContentStatus.PUBLISHED):
        services.pathway_save(profile=profile, pathway=pathway)
    client.force_login(clinician)
    # 9: one is the guidance changes of the clinician's regulator (regulators.selectors.guidance_changes_for).
    # One query each for the home's to-do items (guidance changes, signposts, conversations, 360, plan, mentoring).
    _queries_for(client, django_assert_max_num_queries, reverse("talent:show_clinician_home"), {}, 13)
