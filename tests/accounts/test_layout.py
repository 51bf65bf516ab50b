"""The layout every page shares (templates/base.html, accounts.context_processors.navigation)."""

import re

import pytest
from django.templatetags.static import static
from django.urls import reverse

from accounts.models import Role
from accounts.permissions import ROLE_PERMISSIONS, Permission

pytestmark = pytest.mark.django_db


def links(html: str) -> set[str]:
    return set(re.findall(r'(?:href|src|action)="([^"]*)"', html))


def test_the_layout_links_to_the_service_its_footer_pages_and_its_assets(client):
    html = client.get(reverse("pathways:list_pathways")).content.decode()

    assert {
        reverse("accounts:show_home"),
        reverse("accessibility"),
        reverse("privacy"),
        static("build/css/main.css"),
        static("js/app.mjs"),
        static("build/nhsuk/assets/images/favicon.ico"),
    } <= links(html)
    assert "" not in links(html)


def test_the_public_footer_does_not_offer_the_api_documentation_but_the_api_tokens_page_does(client, clinician):
    """The API documentation is a programmer's page: a visitor following the footer would land on it unprepared."""
    assert reverse("api_docs") not in links(client.get(reverse("pathways:list_pathways")).content.decode())

    client.force_login(clinician)
    tokens_page = client.get(reverse("accounts:list_api_tokens")).content.decode()

    assert reverse("api_docs") not in links(tokens_page.partition('class="nhsuk-footer"')[2])
    assert f'<a href="{reverse("api_docs")}">API documentation</a>' in tokens_page


def test_the_api_documentation_page_says_its_language(client):
    html = client.get(reverse("api_docs")).content.decode()

    assert re.search(r'<html lang="en-GB">', html)


def test_each_role_gets_its_own_menu_with_the_current_page_marked(client, clinician, hee_staff):
    client.force_login(clinician)
    clinician_page = client.get(reverse("pathways:list_pathways"))
    client.force_login(hee_staff)
    hee_page = client.get(reverse("talent:list_clinicians"))

    clinician_menu = {item["label"]: item for item in clinician_page.context["navigation"]}
    hee_menu = {item["label"]: item for item in hee_page.context["navigation"]}
    assert clinician_menu["Career pathways"]["current"] and clinician_menu["Your profile"]["url"] == reverse(
        "talent:show_profile"
    )
    assert "Your profile" not in hee_menu and hee_menu["Clinicians"]["current"]
    assert reverse("accounts:sign_out") in links(hee_page.content.decode())


MENUS = {
    "clinician": [
        "Your home",
        "Your profile",
        "Career pathways",
        "Opportunities",
        "Licence guidance",
        "Your applications and nominations",
        "Change password",
        "Sign-in security",
        "API tokens",
    ],
    "tb_admin": [
        "Your training bodies",
        "Clinicians",
        "Nominations",
        "Follow-ups",
        "Conversation requests",
        "Talent pools",
        "Talent pipeline",
        "Your exports",
        "Change password",
        "Sign-in security",
        "API tokens",
    ],
    "hee_staff": [
        "Talent pipeline",
        "Clinicians",
        "Talent pools",
        "Your exports",
        "Change password",
        "Sign-in security",
        "API tokens",
    ],
    "editor": ["Content", "Change password", "Sign-in security", "API tokens"],
    "anonymous": ["Career pathways", "Opportunities", "Licence guidance", "Sign in", "Create an account"],
}


@pytest.mark.parametrize("who", MENUS)
def test_each_person_gets_their_menu_in_order_with_their_home_first(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    menu = client.get(reverse("regulators:list_guidance")).context["navigation"]

    assert [item["label"] for item in menu] == MENUS[who]
    if who != "anonymous":
        assert client.get(reverse("accounts:show_home"))["Location"] == menu[0]["url"]


def test_the_menu_and_home_page_follow_the_permission_table(client, hee_staff, monkeypatch):
    """A role given a permission finds its page in the menu; one that loses its home page's gets the next page."""
    monkeypatch.setitem(
        ROLE_PERMISSIONS, Role.HEE_STAFF, frozenset({Permission.VIEW_CLINICIAN_RECORDS, Permission.DECIDE_NOMINATION})
    )
    client.force_login(hee_staff)

    menu = client.get(reverse("regulators:list_guidance")).context["navigation"]

    assert [item["label"] for item in menu] == [
        "Clinicians",
        "Nominations",
        "Change password",
        "Sign-in security",
        "API tokens",
    ]
    assert client.get(reverse("accounts:show_home"))["Location"] == reverse("talent:list_clinicians")
