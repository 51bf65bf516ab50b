"""Security headers: a strict Content-Security-Policy on every response and no inline script or style on any page;
`Cache-Control: no-store` on everything that holds personal data."""

from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from tests.conftest import ROLES
from tests.test_permissions import PAGES

# What the policy must say: everything from the service itself, nothing inline, no framing, no plugins.
REQUIRED_DIRECTIVES = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
}


class InlineCode(HTMLParser):
    """Finds what a Content-Security-Policy without 'unsafe-inline' would block: inline scripts and styles without a
    nonce, style attributes, event-handler attributes and javascript: links."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        data_block = named.get("type") in {"application/json", "application/ld+json"}
        if tag == "script" and "src" not in named and "nonce" not in named and not data_block:
            self.found.append(f"<script> without src or nonce: {self.get_starttag_text()}")
        if tag == "style" and "nonce" not in named:
            self.found.append("<style> without a nonce")
        for name, value in attrs:
            if name == "style":
                self.found.append(f"style attribute on <{tag}>")
            if name.startswith("on"):
                self.found.append(f"event handler {name} on <{tag}>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL on <{tag}>")


def inline_code_in(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def policy_of(response) -> set[str]:
    return {directive.strip() for directive in response["Content-Security-Policy"].split(";")}


def kwargs_for(page, request) -> dict:
    kwargs = dict(page.literal_kwargs)
    for kwarg, path in page.kwargs.items():
        fixture_name, *attributes = path.split(".")
        value = request.getfixturevalue(fixture_name)
        for attribute in attributes:
            value = getattr(value, attribute)
        kwargs[kwarg] = value
    return kwargs


# Every page of the permission matrix that someone can open, once, as the first person who may.
PAGES_TO_WALK = {
    page.url_name: page
    for page in reversed(PAGES)
    if page.method == "get" and any(page.expected_status(who) == 200 for who in ROLES)
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES_TO_WALK.values(), ids=lambda page: page.url_name)
def test_every_page_has_a_strict_policy_and_no_inline_script_or_style(client, request, user_for_role, page):
    """Walks every page the service has, as someone who may see it: each answer carries the policy, and no HTML
    page has anything inline that the policy would block (so nothing breaks under it)."""
    who = next(who for who in ROLES if page.expected_status(who) == 200)
    user = user_for_role(who)
    if user is not None:
        client.force_login(user)

    response = client.get(reverse(page.url_name, kwargs=kwargs_for(page, request)))

    assert response.status_code == 200
    assert policy_of(response) >= REQUIRED_DIRECTIVES
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    if response["Content-Type"].startswith("text/html"):
        assert inline_code_in(response.content.decode()) == []


@pytest.mark.django_db
def test_the_api_documentation_loads_its_start_up_script_as_a_file(client):
    """Swagger UI's own page has its script and style inline; ours serves both as files the policy allows."""
    page = client.get(reverse("api_docs"))
    script = client.get(reverse("api_docs") + "?script=")

    assert inline_code_in(page.content.decode()) == []
    assert policy_of(page) >= REQUIRED_DIRECTIVES
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/no-such-page/", "/api/v1/no-such-endpoint/"], ids=["page not found", "API not found"]
)
def test_error_answers_carry_the_policy_too(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert policy_of(response) >= REQUIRED_DIRECTIVES
    assert inline_code_in(response.content.decode()) == []


def test_the_server_error_page_has_nothing_inline():
    assert inline_code_in(render_to_string("errors/500.html")) == []


# --- Cache-Control: no-store ------------------------------------------------------------------------------------------


def stores_nothing(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def signed_in_openers(page) -> list[str]:
    return [who for who in ROLES if who != "anonymous" and page.expected_status(who) == 200]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page", [page for page in PAGES_TO_WALK.values() if signed_in_openers(page)], ids=lambda page: page.url_name
)
def test_every_signed_in_page_and_api_answer_is_not_stored(client, request, user_for_role, page):
    """Browsers and proxies keep no copy of anything a signed-in person was shown, nor of any API answer."""
    client.force_login(user_for_role(signed_in_openers(page)[0]))

    response = client.get(reverse(page.url_name, kwargs=kwargs_for(page, request)))

    assert response.status_code == 200 and stores_nothing(response)


@pytest.mark.django_db
def test_api_answers_to_visitors_and_errors_are_not_stored_either(client):
    for path in (reverse("pathways_api:list_pathways"), reverse("accounts_api:show_my_account")):
        assert stores_nothing(client.get(path)), path
    assert stores_nothing(client.post(reverse("accounts_api:obtain_token"), {}, content_type="application/json"))


@pytest.mark.django_db
def test_token_authenticated_api_answers_are_not_stored(client, clinician):
    from knox.models import AuthToken

    token = AuthToken.objects.create(user=clinician)[1]

    response = client.get(reverse("accounts_api:show_my_account"), HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 200 and stores_nothing(response)


@pytest.mark.django_db
def test_public_pages_to_visitors_may_still_be_cached(client):
    """Visitors' pages hold no personal data: the header is kept for what needs it."""
    assert not stores_nothing(client.get(reverse("pathways:list_pathways")))
