"""The clinician record's list of 360 feedback reports shared with the viewer's training body, as its own tag so
the record page's view need not know about feedback."""

from django import template

from talent import selectors

register = template.Library()


@register.inclusion_tag("talent/feedback/_shared_reports.html", takes_context=True)
def shared_feedback_reports(context, profile):
    return {"shared_feedback_rounds": selectors.shared_feedback_rounds_of(context["request"].user, profile)}
