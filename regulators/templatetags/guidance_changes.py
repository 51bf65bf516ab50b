"""The clinician's recent guidance changes, for the include on their home (so the home view needs no change)."""

from django import template

from regulators import selectors

register = template.Library()


@register.simple_tag
def guidance_changes_for(profile) -> list[selectors.GuidanceChange]:
    return selectors.guidance_changes_for(profile)


@register.simple_tag
def wants_guidance_emails(profile) -> bool:
    return profile is not None and selectors.wants_guidance_emails(profile)
