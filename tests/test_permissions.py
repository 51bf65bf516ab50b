"""The permission matrix: every page and endpoint, for anonymous and every role, declared once as data.

A new page adds its row to PAGES. A page names the permission it needs and the expected answers follow from
accounts.permissions.ROLE_PERMISSIONS (see tests/permissions.py); "*" is the expectation for any signed-in role not
named.
"""

from importlib import import_module
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.permissions import Permission
from tests.conftest import ROLES
from tests.permissions import EVERYONE, ROLE_OF, SIGNED_IN_GO_HOME, SIGNED_IN_ONLY, Page

PAGES = [
    Page("accounts:show_home", SIGNED_IN_GO_HOME),
    Page("accounts:sign_in", SIGNED_IN_GO_HOME),
    Page("accounts:sign_up", SIGNED_IN_GO_HOME),
    Page("accounts:show_sign_up_sent", EVERYONE),
    Page("accounts:resend_confirmation", EVERYONE),
    Page("accounts:confirm_sign_up", {"anonymous": 400, "*": 400}, literal_kwargs={"token": "not-a-real-token"}),
    Page("accounts:sign_out", {"anonymous": 302, "*": 302}, method="post"),
    Page("accounts:change_password", SIGNED_IN_ONLY),
    Page("accounts:reset_password", EVERYONE),
    Page("accounts:show_password_reset_sent", EVERYONE),
    Page("accounts:show_password_reset_complete", EVERYONE),
    Page("accounts:choose_new_password", EVERYONE, literal_kwargs={"uidb64": "MQ", "token": "set-password"}),
    Page("accessibility", EVERYONE),
    Page("privacy", EVERYONE),
    Page("talent:show_clinician_home", permission=Permission.EDIT_OWN_PROFILE),
    Page("accounts:list_training_bodies", permission=Permission.VIEW_TRAINING_BODIES),
    Page(
        "accounts:show_training_body",
        {"other_tb_admin": 404},
        permission=Permission.SET_NUDGE_FREQUENCY,
        kwargs={"slug": "training_body.slug"},
    ),
    Page("pipeline:show_dashboard", permission=Permission.VIEW_PIPELINE),
    Page("accounts:show_editor_home", permission=Permission.EDIT_CONTENT),
    # The admin site asks for staff status, which the roles that edit content are given (user_role_access_sync).
    Page("admin:index", permission=Permission.EDIT_CONTENT, denied=302),
    Page("healthz", EVERYONE),
    Page("readyz", EVERYONE),
    Page("accounts_api:obtain_token", {"anonymous": 400, "*": 400}, method="post"),
    Page("accounts_api:show_my_account", {"anonymous": 401, "*": 200}),
    Page("api_schema", EVERYONE),
    Page("api_docs", EVERYONE),
]


# Each area declares its pages in tests/<app>/pages_<area>.py as PAGES.
for _module in sorted(Path(__file__).parent.glob("*/pages_*.py")):
    PAGES += import_module(f"tests.{_module.parent.name}.{_module.stem}").PAGES


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.url_name)
def test_each_role_gets_the_expected_answer_from_each_page(client, request, user_for_role, page, role):
    """People only reach the pages their role may use; other training bodies' pages do not exist for them."""
    kwargs = dict(page.literal_kwargs)
    for kwarg, path in page.kwargs.items():
        fixture_name, *attributes = path.split(".")
        value = request.getfixturevalue(fixture_name)
        for attribute in attributes:
            value = getattr(value, attribute)
        kwargs[kwarg] = value
    user = user_for_role(role)
    if user is not None:
        assert user.role == ROLE_OF[role]
        client.force_login(user)
    response = getattr(client, page.method)(reverse(page.url_name, kwargs=kwargs))
    assert response.status_code == page.expected_status(role), response.content[:500]


@pytest.mark.parametrize("page", [page for page in PAGES if page.permission], ids=lambda page: page.url_name)
def test_a_row_overrides_only_the_answers_of_roles_that_may_use_the_page(page):
    """A row cannot promise a role a page the permission table refuses it: that answer is 403 whatever it says."""
    named = set(page.expect) - {"anonymous", "*"}
    assert {who for who in named if not page.allows(who)} == set()


def test_every_named_url_is_in_the_matrix():
    """A new page cannot ship without saying who may see it."""
    from django.urls import get_resolver

    covered = {page.url_name for page in PAGES}
    resolver = get_resolver()
    named = {name for name in resolver.reverse_dict if isinstance(name, str)}
    for namespace in ("accounts", "talent", "pathways", "regulators"):
        named |= {
            f"{namespace}:{name}"
            for name in resolver.namespace_dict[namespace][1].reverse_dict
            if isinstance(name, str)
        }
    assert named - covered == set()
