"""Navigation for the NHS.UK header: each signed-in person's menu is the pages their permissions open."""

from typing import NamedTuple

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse

from accounts import mfa
from accounts.models import User
from accounts.permissions import Permission


class MenuItem(NamedTuple):
    label: str
    url_name: str
    # What the page asks of its visitor (its view's `permission_required`). The guidance, pathways and opportunities
    # are open to everyone, so they name what clinicians use them for: only clinicians get them in their menu.
    permission: Permission


# Every signed-in menu item, in the order menus show them (after the person's home page, which comes first).
MENU: tuple[MenuItem, ...] = (
    MenuItem("Your home", "talent:show_clinician_home", Permission.EDIT_OWN_PROFILE),
    MenuItem("Your profile", "talent:show_profile", Permission.EDIT_OWN_PROFILE),
    MenuItem("Career pathways", "pathways:list_pathways", Permission.EDIT_OWN_PROFILE),
    MenuItem("Opportunities", "pathways:list_opportunities", Permission.APPLY_FOR_OPPORTUNITY),
    MenuItem("Licence guidance", "regulators:list_guidance", Permission.EDIT_OWN_PROFILE),
    MenuItem("Your applications and nominations", "talent:list_my_nominations", Permission.FOLLOW_OWN_NOMINATIONS),
    MenuItem("Your training bodies", "accounts:list_training_bodies", Permission.VIEW_TRAINING_BODIES),
    MenuItem("Clinicians", "talent:list_clinicians", Permission.VIEW_CLINICIAN_RECORDS),
    MenuItem("Nominations", "talent:list_nominations", Permission.DECIDE_NOMINATION),
    MenuItem("Talent pools", "talent:list_pools", Permission.MANAGE_TALENT_POOLS),
    MenuItem("Talent pipeline", "pipeline:show_dashboard", Permission.VIEW_PIPELINE),
    MenuItem("Your exports", "exports:list_exports", Permission.EXPORT_PIPELINE),
    MenuItem("Content", "accounts:show_editor_home", Permission.EDIT_CONTENT),
)
# A person's home page is the first of these their permissions open: where their work starts (an admin's training
# bodies before those bodies' pipeline).
HOME_PAGES: tuple[str, ...] = (
    "talent:show_clinician_home",
    "accounts:list_training_bodies",
    "pipeline:show_dashboard",
    "accounts:show_editor_home",
)
VISITORS_MENU: tuple[tuple[str, str], ...] = (
    ("Career pathways", "pathways:list_pathways"),
    ("Opportunities", "pathways:list_opportunities"),
    ("Licence guidance", "regulators:list_guidance"),
    ("Sign in", "accounts:sign_in"),
    ("Create an account", "accounts:sign_up"),
)

# The layout's own links and assets (templates/base.html), the same on every page.
# The API documentation is for programmers, so it is linked from the API tokens page and the README, not the footer.
LAYOUT_URL_NAMES = ("accounts:show_home", "accounts:sign_out", "accessibility", "privacy")
LAYOUT_ASSETS = {
    "favicon_ico": "build/nhsuk/assets/images/favicon.ico",
    "favicon_svg": "build/nhsuk/assets/images/favicon.svg",
    "touch_icon": "build/nhsuk/assets/images/nhsuk-icon-180.png",
    "stylesheet": "build/css/main.css",
    "script": "js/app.mjs",
    "body_classes_script": "js/body-classes.js",
}


def home_item_for(user: User) -> MenuItem | None:
    """The first of HOME_PAGES the person may open, else the first page of their menu."""
    permitted = [item for item in MENU if user.has_perm(item.permission)]
    homes = [item for name in HOME_PAGES for item in permitted if item.url_name == name]
    return next(iter(homes or permitted), None)


def menu_for(user: User) -> list[MenuItem]:
    """The person's home page, then every other page their permissions open."""
    home = home_item_for(user)
    others = [item for item in MENU if item != home and user.has_perm(item.permission)]
    return [home, *others] if home is not None else others


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        items = list(VISITORS_MENU)
    else:
        items = [(item.label, item.url_name) for item in menu_for(user)]
        items.append(("Change password", "accounts:change_password"))
        items.append(("Sign-in security", "accounts:show_sign_in_security"))
        items.append(("API tokens", "accounts:list_api_tokens"))
        if mfa.second_factor_required(user, getattr(request, "session", {})) and not mfa.session_verified(user):
            items = []  # nothing opens until the second factor is verified
    path = request.path
    menu = [(label, reverse(name)) for label, name in items]
    return {
        "navigation": [{"label": label, "url": url, "current": path == url} for label, url in menu],
        # Keyed by the name without its namespace, so the layout reads {{ layout.show_home }}.
        "layout": {
            **{name.rpartition(":")[2]: reverse(name) for name in LAYOUT_URL_NAMES},
            **{key: static(path) for key, path in LAYOUT_ASSETS.items()},
        },
        "service_name": settings.SERVICE_NAME,
    }
