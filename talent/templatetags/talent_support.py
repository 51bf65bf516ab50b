"""What the support-and-develop includes show, read through the scoped selectors. Each include fetches its own
figures, so a page that adds one adds one line to its template and nothing to its view (several areas add theirs
to the same homes and record page)."""

from django import template

from accounts.permissions import Permission, user_can
from talent import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def admin_support_counts(context) -> dict:
    """Follow-ups due and overdue (one query) and open conversation requests (one query) of the admin's bodies."""
    user = context["request"].user
    if not user_can(user, Permission.FOLLOW_UP_NUDGES):
        return {}
    counts = selectors.follow_up_counts(user)
    return {
        "due": counts.due,
        "overdue": counts.overdue,
        "requests": selectors.open_conversation_request_count(user)
        if user_can(user, Permission.RECORD_CAREER_CONVERSATIONS)
        else 0,
    }


@register.simple_tag(takes_context=True)
def clinician_support(context, profile) -> dict:
    """This body's follow-ups of and conversations with the clinician, for its admins only: HEE staff, who may open
    the same record, never see the free text."""
    user = context["request"].user
    if not user_can(user, Permission.FOLLOW_UP_NUDGES):
        return {}
    return {
        "follow_ups": selectors.follow_ups_of_clinician(user, profile),
        "conversations": selectors.conversations_with_clinician(user, profile)
        if user_can(user, Permission.RECORD_CAREER_CONVERSATIONS)
        else [],
        "may_record": user_can(user, Permission.RECORD_CAREER_CONVERSATIONS),
    }


@register.simple_tag(takes_context=True)
def my_support(context, profile) -> dict:
    """What the clinician's body signposted them to, and their conversations still to confirm."""
    user = context["request"].user
    if profile is None or not user_can(user, Permission.HAVE_CAREER_CONVERSATIONS):
        return {}
    return {
        "signposts": selectors.signposts_of(profile),
        "to_confirm": selectors.conversations_to_confirm(user).count(),
    }
