"""The layout every page shares (templates/base.html, accounts.context_processors.navigation)."""

import re

import pytest
from django.templatetags.static import static
from django.urls import reverse

pytestmark = pytest.mark.django_db


def links(html: str) -> set[str]:
    return set(re.findall(r'(?:href|src|action)="([^"]*)"', html))


def test_the_layout_links_to_the_service_its_footer_pages_and_its_assets(client):
    html = client.get(reverse("pathways:list_pathways")).content.decode()

    assert {
        reverse("accounts:show_home"),
        reverse("accessibility"),
        reverse("privacy"),
        reverse("api_docs"),
        static("build/css/main.css"),
        static("js/app.mjs"),
        static("build/nhsuk/assets/images/favicon.ico"),
    } <= links(html)
    assert "" not in links(html)


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


def test_the_layout_follows_a_change_of_static_storage(client, settings):
    """Resolved once per process, but not kept past a settings change (the browser tests serve plain names)."""
    client.get(reverse("pathways:list_pathways"))  # resolved under the suite's storage
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    html = client.get(reverse("pathways:list_pathways")).content.decode()

    assert f'href="{settings.STATIC_URL}build/css/main.css"' in html
