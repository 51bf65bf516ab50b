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
        ("Your home", "talent:show_clinician_home"),
        ("Your profile", "talent:show_profile"),
        ("Career pathways", "pathways:list_pathways"),
        ("Opportunities", "pathways:list_opportunities"),
        ("Licence guidance", "regulators:list_guidance"),
        ("Your nominations", "talent:list_my_nominations"),
    ],
    Role.TRAINING_BODY_ADMIN: [
        ("Your training bodies", "accounts:list_training_bodies"),
        ("Clinicians", "talent:list_clinicians"),
        ("Nominations", "talent:list_nominations"),
        ("Talent pipeline", "pipeline:show_dashboard"),
    ],
    Role.HEE_STAFF: [("Talent pipeline", "pipeline:show_dashboard"), ("Clinicians", "talent:list_clinicians")],
    Role.CONTENT_EDITOR: [("Content", "accounts:show_editor_home")],
}


# The layout's own links and assets (templates/base.html), the same on every page.
LAYOUT_URL_NAMES = ("accounts:show_home", "accounts:sign_out", "accessibility", "privacy", "api_docs")
LAYOUT_ASSETS = {
    "favicon_ico": "build/nhsuk/assets/images/favicon.ico",
    "favicon_svg": "build/nhsuk/assets/images/favicon.svg",
    "touch_icon": "build/nhsuk/assets/images/nhsuk-icon-180.png",
    "stylesheet": "build/css/main.css",
    "script": "js/app.mjs",
}


@functools.lru_cache(maxsize=64)
def _resolved(script_prefix: str, url_names: tuple[str, ...]) -> dict[str, str]:
    """URLs resolved once per process (and per script prefix): every page's layout and menu has more than a dozen,
    and they never change while the process runs."""
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
            ("Career pathways", "pathways:list_pathways"),
            ("Opportunities", "pathways:list_opportunities"),
            ("Licence guidance", "regulators:list_guidance"),
            ("Sign in", "accounts:sign_in"),
            ("Create an account", "accounts:sign_up"),
        ]
    else:
        items = [*NAVIGATION.get(user.role, []), ("Change password", "accounts:change_password")]
    path = request.path
    prefix = get_script_prefix()
    urls = _resolved(prefix, tuple(name for _, name in items))
    return {
        "navigation": [{"label": label, "url": urls[name], "current": path == urls[name]} for label, name in items],
        # Keyed by the name without its namespace, so the layout reads {{ layout.show_home }}.
        "layout": {
            **{name.rpartition(":")[2]: url for name, url in _resolved(prefix, LAYOUT_URL_NAMES).items()},
            **_assets(),
        },
        "service_name": settings.SERVICE_NAME,
    }
