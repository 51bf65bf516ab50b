"""Navigation for the NHS.UK header: each signed-in person's menu is the pages their permissions open, with what
waits for a training-body admin counted beside their items."""

from typing import NamedTuple

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse

from accounts import mfa
from accounts.models import User
from accounts.permissions import Permission
from talent import selectors as talent_selectors


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
    MenuItem("Follow-ups", "talent:list_follow_ups", Permission.FOLLOW_UP_NUDGES),
    MenuItem("Conversation requests", "talent:list_conversation_requests", Permission.RECORD_CAREER_CONVERSATIONS),
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


def menu_counts(user: User) -> dict[str, str]:
    """What waits for the person, in words, by the menu item it belongs to: decisions on nominations, follow-ups
    due and overdue, conversation requests (one query for all, only for the roles that may act on them). A count is
    part of its link's text, so a screen reader says it and it never rests on colour; nothing waiting, no words."""
    waiting = talent_selectors.waiting_for_admin(user)
    follow_ups = [
        f"{count} {what}"
        for count, what in ((waiting.follow_ups_due, "due"), (waiting.follow_ups_overdue, "overdue"))
        if count
    ]
    counts = {
        "talent:list_nominations": f"{waiting.decisions} waiting for your decision" if waiting.decisions else "",
        "talent:list_follow_ups": ", ".join(follow_ups),
        "talent:list_conversation_requests": (
            f"{waiting.conversation_requests} waiting" if waiting.conversation_requests else ""
        ),
    }
    return {name: words for name, words in counts.items() if words}


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    counts: dict[str, str] = {}
    if user is None or not user.is_authenticated:
        items = list(VISITORS_MENU)
    else:
        items = [(item.label, item.url_name) for item in menu_for(user)]
        items.append(("Change password", "accounts:change_password"))
        items.append(("Sign-in security", "accounts:show_sign_in_security"))
        items.append(("API tokens", "accounts:list_api_tokens"))
        if mfa.second_factor_required(user, getattr(request, "session", {})) and not mfa.session_verified(user):
            items = []  # nothing opens until the second factor is verified
        elif items:
            counts = menu_counts(user)
    path = request.path
    menu = [(label, reverse(name), counts.get(name, "")) for label, name in items]
    return {
        "navigation": [
            {"label": label, "url": url, "current": path == url, "count": count} for label, url, count in menu
        ],
        # Keyed by the name without its namespace, so the layout reads {{ layout.show_home }}.
        "layout": {
            **{name.rpartition(":")[2]: reverse(name) for name in LAYOUT_URL_NAMES},
            **{key: static(path) for key, path in LAYOUT_ASSETS.items()},
        },
        "service_name": settings.SERVICE_NAME,
    }
