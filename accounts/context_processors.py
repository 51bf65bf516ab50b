"""Role-aware navigation for the NHS.UK header."""

import functools

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse

from accounts.models import Role

# (label, url name) per role; the first item is the role's home page.
NAVIGATION: dict[str, list[tuple[str, str]]] = {
    Role.CLINICIAN: [
        ("Your home", "clinician_home"),
        ("Your profile", "profile_summary"),
        ("Career pathways", "pathway_list"),
        ("Opportunities", "opportunity_list"),
        ("Licence guidance", "licence_guidance_list"),
        ("Your nominations", "my_nomination_list"),
    ],
    Role.TRAINING_BODY_ADMIN: [
        ("Your training bodies", "training_body_list"),
        ("Clinicians", "clinician_list"),
        ("Nominations", "nomination_queue"),
        ("Talent pipeline", "pipeline:show_dashboard"),
    ],
    Role.HEE_STAFF: [("Talent pipeline", "pipeline:show_dashboard"), ("Clinicians", "clinician_list")],
    Role.CONTENT_EDITOR: [("Content", "editor_home")],
}


# The layout's own links and assets (templates/base.html), the same on every page.
LAYOUT_URL_NAMES = ("home", "sign_out", "accessibility", "privacy", "api_docs")
LAYOUT_ASSETS = {
    "favicon_ico": "build/nhsuk/assets/images/favicon.ico",
    "favicon_svg": "build/nhsuk/assets/images/favicon.svg",
    "touch_icon": "build/nhsuk/assets/images/nhsuk-icon-180.png",
    "stylesheet": "build/css/main.css",
    "script": "js/app.mjs",
}


@functools.lru_cache(maxsize=64)
def _resolved(script_prefix: str, url_names: tuple[str, ...]) -> dict[str, str]:
    """URLs resolved once per process (and per script prefix): each reverse() or static() costs tens of
    microseconds, and every page's layout and menu has more than a dozen."""
    return {name: reverse(name) for name in url_names}


@functools.cache
def _assets() -> dict[str, str]:
    return {key: static(path) for key, path in LAYOUT_ASSETS.items()}


@receiver(setting_changed)
def _forget_resolved(*, setting: str, **kwargs) -> None:
    """Settings only change in tests (e.g. the browser tests serve assets under their plain names)."""
    if setting in ("STORAGES", "STATIC_URL", "ROOT_URLCONF"):
        _resolved.cache_clear()
        _assets.cache_clear()


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        items = [
            ("Career pathways", "pathway_list"),
            ("Opportunities", "opportunity_list"),
            ("Licence guidance", "licence_guidance_list"),
            ("Sign in", "sign_in"),
            ("Create an account", "sign_up"),
        ]
    else:
        items = [*NAVIGATION.get(user.role, []), ("Change password", "password_change")]
    path = request.path
    prefix = get_script_prefix()
    urls = _resolved(prefix, tuple(name for _, name in items))
    return {
        "navigation": [{"label": label, "url": urls[name], "current": path == urls[name]} for label, name in items],
        "layout": {**_resolved(prefix, LAYOUT_URL_NAMES), **_assets()},
        "service_name": settings.SERVICE_NAME,
    }
