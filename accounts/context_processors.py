"""Role-aware navigation for the NHS.UK header."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

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
        ("Talent pipeline", "hee_home"),
    ],
    Role.HEE_STAFF: [("Talent pipeline", "hee_home"), ("Clinicians", "clinician_list")],
    Role.CONTENT_EDITOR: [("Content", "editor_home")],
}


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
    links = [(label, reverse(name)) for label, name in items]
    return {
        "navigation": [{"label": label, "url": url, "current": path == url} for label, url in links],
        "service_name": settings.SERVICE_NAME,
    }
