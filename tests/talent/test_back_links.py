"""Back links on the question pages name the page they go back to, whichever way the clinician came."""

import re

import pytest
from django.urls import reverse

from talent.models import Dimension
from tests.talent.test_onboarding import answer, answer_all, doctor_answers, url

pytestmark = pytest.mark.django_db


def back_link(response) -> tuple[str, str]:
    href, text = re.search(r'<a class="nhsuk-back-link" href="([^"]*)">([^<]*)</a>', response.content.decode()).groups()
    return href.replace("&amp;", "&"), text


def test_onboarding_back_links_name_the_page_before(client, new_clinician, training_body):
    client.force_login(new_clinician)
    assert back_link(client.get(url("profession"))) == (
        reverse("talent:start_onboarding"),
        "Back to “Tell us about yourself”",
    )
    answer(client, "profession", {"profession": "doctor"})
    assert back_link(client.get(url("registration"))) == (url("profession"), "Back to your profession")

    answer_all(client, doctor_answers(training_body))
    check = reverse("talent:check_onboarding_answers")
    assert back_link(client.get(check)) == (url("consents"), "Back to who can see your profile")
    assert back_link(client.get(url("employer", change=1))) == (check, "Back to check your answers")
    # A new profession leaves the registration unanswered: back goes to the profession page, and says so.
    answer(client, "profession", {"profession": "nurse"}, change=1)
    assert back_link(client.get(url("registration", change=1))) == (
        url("profession", change=1),
        "Back to your profession",
    )


def test_changing_the_profile_goes_back_to_your_profile(client, clinician):
    client.force_login(clinician)

    assert back_link(client.get(url("employer"))) == (reverse("talent:show_profile"), "Back to your profile")


def test_self_assessment_questions_go_back_to_the_dimension_before_or_to_check_your_answers(client, clinician):
    client.force_login(clinician)
    first, second = Dimension.values[:2]

    def question(dimension: str, **params) -> str:
        address = reverse("talent:answer_self_assessment_question", kwargs={"dimension": dimension})
        return address + ("?change=1" if params else "")

    assert back_link(client.get(question(first))) == (
        reverse("talent:start_self_assessment"),
        "Back to the leadership self-assessment",
    )
    assert back_link(client.get(question(second))) == (question(first), "Back to Inspiring shared purpose")
    assert back_link(client.get(question(second, change=1))) == (
        reverse("talent:check_self_assessment_answers"),
        "Back to check your answers",
    )
