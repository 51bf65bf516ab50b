"""The accessibility statement and the privacy notice: the sections the regulations and UK GDPR ask for, with the
details of the deployment they are read from (settings, so each copy of the service describes its own)."""

import re
from datetime import date
from html import unescape

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from config.settings import env_date

pytestmark = pytest.mark.django_db


def headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", heading).strip() for heading in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html)]


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def test_the_accessibility_statement_has_the_sections_the_regulations_require(client):
    html = client.get(reverse("accessibility")).content.decode()

    assert {
        "How accessible this service is",
        "Feedback and contact information",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    } <= set(headings(html))
    words = text(html)
    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard" in words
    assert "The admin site (/admin/) has not been tested against WCAG 2.2 AA" in words
    assert "The API documentation (/api/docs/)" in words
    assert "Equality and Human Rights Commission (EHRC)" in words
    assert 'href="https://www.equalityadvisoryservice.com/"' in html
    assert "This statement was prepared on 7 December 2026. It was last reviewed on 7 December 2026." in words
    assert 'href="mailto:help@leadership-talent.nhs.test"' in html


def test_the_accessibility_statement_describes_the_deployment_from_its_settings(client, settings):
    settings.SERVICE_OWNER = "Health Education North"
    settings.SITE_URL = "https://talent.example.nhs.uk"
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@example.nhs.uk"
    settings.ACCESSIBILITY_COMPLIANCE = "fully"
    settings.ACCESSIBILITY_STATEMENT_PREPARED = date(2026, 9, 1)
    settings.ACCESSIBILITY_STATEMENT_REVIEWED = date(2027, 3, 2)
    settings.ACCESSIBILITY_LAST_TESTED = date(2027, 2, 14)
    settings.ACCESSIBILITY_TESTED_BY = "an external auditor"

    html = client.get(reverse("accessibility")).content.decode()
    words = text(html)

    assert "applies to Leadership Talent Tracker at https://talent.example.nhs.uk. Health Education North runs" in words
    assert "This service is fully compliant with the Web Content Accessibility Guidelines version 2.2 AA" in words
    assert "due to the non-compliances" not in words
    assert "prepared on 1 September 2026. It was last reviewed on 2 March 2027." in words
    assert "last tested on 14 February 2027. The test was carried out by an external auditor." in words
    assert 'href="mailto:access@example.nhs.uk"' in html and "help@leadership-talent.nhs.test" not in html


def test_the_privacy_notice_names_the_controller_basis_retention_rights_and_a_contact(client, settings):
    settings.PRIVACY_CONTROLLER = "Health Education North"
    settings.PRIVACY_CONTROLLER_ADDRESS = "1 Example Street, Leeds LS1 1AA"
    settings.PRIVACY_CONTACT_EMAIL = "dpo@example.nhs.uk"
    settings.PRIVACY_ICO_REGISTRATION = "Z1234567"
    settings.SECURITY_AUDIT_DAYS = 200
    settings.EXPORTS_KEEP_DAYS = 1

    html = client.get(reverse("privacy")).content.decode()
    words = text(html)

    assert {
        "Who is responsible for your information",
        "Our lawful basis",
        "How long we keep your information",
        "Your rights",
        "Contact and complaints",
    } <= set(headings(html))
    assert "Health Education North is the data controller" in words
    assert "Its address is 1 Example Street, Leeds LS1 1AA." in words
    assert "registered with the Information Commissioner's Office, registration number Z1234567" in words
    assert "UK GDPR Article 6(1)(e)" in words and "UK GDPR Article 9(2)(g)" in words
    assert "Sign-ins and other security events 200 days" in words
    assert "Files of lists that staff export 1 day" in words
    assert "A sign-up you did not confirm 14 days" in words
    assert "Until you delete your account" in words
    assert "have your information deleted" in words and "get a copy of your information" in words
    assert 'href="mailto:dpo@example.nhs.uk"' in html
    assert 'href="https://ico.org.uk/make-a-complaint/"' in html


def test_the_privacy_notice_leaves_out_an_ico_registration_it_was_not_given(client):
    assert "registered with the Information Commissioner" not in text(client.get(reverse("privacy")).content.decode())


def test_a_date_setting_must_be_a_date(monkeypatch):
    monkeypatch.setenv("ACCESSIBILITY_STATEMENT_REVIEWED", "next week")
    with pytest.raises(ImproperlyConfigured, match="ACCESSIBILITY_STATEMENT_REVIEWED must be a date"):
        env_date("ACCESSIBILITY_STATEMENT_REVIEWED", "2026-12-07")

    monkeypatch.setenv("ACCESSIBILITY_STATEMENT_REVIEWED", "2027-01-31")
    assert env_date("ACCESSIBILITY_STATEMENT_REVIEWED", "2026-12-07") == date(2027, 1, 31)
