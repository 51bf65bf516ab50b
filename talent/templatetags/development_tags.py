"""What the clinician's home and the clinician's record show of development plans and mentoring, each read in one
query by its own include file (templates/talent/home/_plans.html, _mentoring.html, clinicians/_plan.html)."""

from django import template

from talent import selectors

register = template.Library()


@register.simple_tag
def plan_review_for_home(profile) -> dict | None:
    return selectors.plan_review_due(profile)


@register.simple_tag
def mentoring_for_home(profile) -> dict:
    return selectors.mentoring_to_do(profile)


@register.simple_tag
def plan_shared_with_viewer(user, profile) -> bool:
    return selectors.plan_shared_with(user, profile)
