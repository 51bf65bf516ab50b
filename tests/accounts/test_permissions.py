"""The permission table (accounts/permissions.py): what it grants, how it is asked, and that nothing asks a role."""

import ast
import re
from pathlib import Path

import pytest
from django.template import engines
from django.test import RequestFactory

from accounts.models import Role
from accounts.permissions import ROLE_PERMISSIONS, Permission, user_can
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]

# DESIGN.md section 3, written out once by hand: a change to the table shows here as a change to this list.
DESIGN_SECTION_3 = {
    # Edits own data, records interest, applies/accepts nominations, withdraws, exports or deletes own data; may turn
    # off the second factor they chose (staff roles must keep theirs).
    Role.CLINICIAN: {
        "ltt.edit_own_profile",
        "ltt.apply_for_opportunity",
        "ltt.follow_own_nominations",
        "ltt.export_own_data",
        "ltt.delete_own_account",
        "ltt.turn_off_own_second_factor",
        # 360 feedback: asks colleagues, reads their own report, shares it with their training body.
        "ltt.request_feedback",
        # Keeps a development plan; offers, asks for and answers mentoring.
        "ltt.keep_development_plan",
        "ltt.use_mentoring",
        # Reads their career conversations, comments, confirms or disputes them, asks their body for one.
        "ltt.have_career_conversations",
        # Answers talent pool invitations, asks to join, leaves.
        "ltt.join_talent_pools",
        # Records their licence plan (keep the licence, registration only, undecided).
        "ltt.keep_licence_plan",
    },
    # Sees their body's consenting clinicians, nominations and nudges; nominates, approves/rejects, records what
    # became of an approved nomination, sets nudge frequency; confirms and removes their bodies' members; browses,
    # filters, drills down and exports the pipeline of their bodies.
    Role.TRAINING_BODY_ADMIN: {
        "ltt.view_training_bodies",
        "ltt.set_nudge_frequency",
        "ltt.view_nudges",
        "ltt.nominate_clinician",
        "ltt.decide_nomination",
        "ltt.record_nomination_outcome",
        "ltt.manage_members",
        # 360 feedback reports their clinicians chose to share with the body.
        "ltt.view_shared_feedback",
        # Development plans their clinicians chose to share with them.
        "ltt.view_shared_development_plans",
        # Records career conversations with their clinicians and closes the follow-ups their nudges open.
        "ltt.record_career_conversations",
        "ltt.follow_up_nudges",
        "ltt.view_clinician_records",
        "ltt.view_pipeline",
        "ltt.export_pipeline",
        # Runs their bodies' talent pools and sees their succession figures.
        "ltt.manage_talent_pools",
        "ltt.view_succession",
    },
    # Pipeline aggregates, records of clinicians who consented to share with HEE; browses, drills down, exports.
    # Runs their region's (or the national) talent pools; sees succession for their region (national staff: England).
    Role.HEE_STAFF: {
        "ltt.view_clinician_records",
        "ltt.view_pipeline",
        "ltt.export_pipeline",
        "ltt.manage_talent_pools",
        "ltt.view_succession",
    },
    # Edits pathways, opportunities and guidance; uploads the eligible population (register counts).
    Role.CONTENT_EDITOR: {"ltt.edit_content", "ltt.manage_eligible_population"},
}


def test_each_role_may_do_what_design_section_3_says_and_nothing_more():
    assert {role: {str(permission) for permission in granted} for role, granted in ROLE_PERMISSIONS.items()} == (
        DESIGN_SECTION_3
    )


def test_every_permission_belongs_to_some_role():
    """A permission nobody holds would be a page nobody can open."""
    assert set(Permission) == set().union(*ROLE_PERMISSIONS.values())


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_a_person_may_do_what_their_role_may_and_nothing_else(role):
    user = UserFactory(role=role)
    assert {permission for permission in Permission if user.has_perm(permission)} == ROLE_PERMISSIONS[role]


@pytest.mark.django_db
def test_a_superuser_may_do_what_their_role_may_in_the_service_and_anything_in_the_admin_site():
    """Being a superuser opens the admin site, not every role's pages: a superuser on HEE staff cannot, say, start a
    clinician profile and be counted in the pipeline."""
    superuser = UserFactory(role=Role.HEE_STAFF, is_staff=True, is_superuser=True)
    assert superuser.has_perm(Permission.VIEW_PIPELINE)
    assert not superuser.has_perm(Permission.EDIT_OWN_PROFILE)
    assert superuser.has_perm("accounts.change_user")


@pytest.mark.django_db
def test_signed_out_and_deactivated_people_may_do_nothing():
    from django.contrib.auth.models import AnonymousUser

    deactivated = UserFactory(role=Role.CLINICIAN, is_active=False)
    for person in (AnonymousUser(), deactivated):
        assert not any(person.has_perm(permission) or user_can(person, permission) for permission in Permission)


@pytest.mark.django_db
def test_templates_ask_the_same_table_through_perms():
    template = engines["django"].from_string("{% if perms.ltt.nominate_clinician %}nominate{% endif %}")
    request = RequestFactory().get("/")
    for role in Role.values:
        request.user = UserFactory(role=role)
        shown = template.render({}, request) == "nominate"
        assert shown == (Permission.NOMINATE_CLINICIAN in ROLE_PERMISSIONS[role])


# Where comparing a role is still right, and why. Everywhere else asks for a permission.
MAY_COMPARE_ROLES = {
    "accounts/permissions.py": "the table itself",
    "accounts/models.py": "the Role model and the invariants of users and memberships",
    "accounts/services.py": "sign-up and staff accounts: what an account of a role is, not what it may do",
    "accounts/admin.py": "the admin's role field: staff accounts need no email confirmation",
    "demo/accounts.py": "the demo seeder picks its people by role",
    "demo/management/commands/seed_demo.py": "the demo seeder picks its people by role",
    "accounts/selectors.py": "scope: which training bodies a person administers",
    "talent/selectors/clinicians.py": "scope: whose consent lets a person see records",
    "talent/selectors/nominations.py": "scope: whose nominations a person sees",
    "talent/selectors/nudges.py": "scope: whose nudges a person sees",
    "talent/selectors/pools.py": "scope: whose talent pools a person runs",
    "pipeline/selectors/scope.py": "scope: which region or training bodies a person's figures cover",
}
# Every top-level package but the tests, found rather than listed, so a new app (or a moved module) is covered.
APP_PACKAGES = sorted(
    path.name for path in ROOT.iterdir() if path.is_dir() and (path / "__init__.py").exists() and path.name != "tests"
)


def _is_role(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute) and (
        node.attr == "role" or (isinstance(node.value, ast.Name) and node.value.id == "Role")
    ):
        return True
    return isinstance(node, (ast.Tuple, ast.List, ast.Set)) and any(_is_role(element) for element in node.elts)


def _role_comparisons(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare) and any(_is_role(operand) for operand in [node.left, *node.comparators])
    ]


def test_every_module_allowed_to_compare_roles_exists():
    """An allowance for a module that moved would otherwise excuse nothing, silently."""
    assert {"accounts", "demo", "pipeline", "talent"} <= set(APP_PACKAGES)
    assert [path for path in MAY_COMPARE_ROLES if not (ROOT / path).is_file()] == []


def test_no_view_api_or_service_compares_a_role():
    """Views, the API, forms and services ask for a permission, so what a role may do is only ever the table."""
    found = []
    for package in APP_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "migrations" in path.parts or relative in MAY_COMPARE_ROLES:
                continue
            found += _role_comparisons(path)
    assert found == []


ROLE_IN_TEMPLATE = re.compile(
    r"user\.(role\b|is_clinician|is_training_body_admin|is_hee_staff|is_content_editor)"
    r"""|[=!]=\s*["'](clinician|training_body_admin|hee_staff|content_editor)["']"""
)


def test_no_template_compares_a_role():
    """Templates show what a person may do with `perms.ltt.*`, never by naming their role."""
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for match in ROLE_IN_TEMPLATE.finditer(path.read_text())
    ]
    assert found == []
