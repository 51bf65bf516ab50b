"""What waits for a training-body admin, counted for the header's menu on every page they open: nominations
waiting for their decision, follow-ups due and overdue, requests for career conversations. The scoped selectors'
own querysets, each counted as a subquery of one statement, so the menu costs one query whatever waits."""

from dataclasses import dataclass

from django.db.models import F, Func, IntegerField, QuerySet, Subquery
from django.utils import timezone

from accounts.models import User
from accounts.permissions import Permission, user_can
from talent.models import NominationState
from talent.selectors.conversations import open_conversation_requests
from talent.selectors.followups import OPEN, follow_ups_in_state, follow_ups_visible_to
from talent.selectors.nominations import nominations_visible_to


@dataclass(frozen=True)
class Waiting:
    decisions: int = 0
    follow_ups_due: int = 0
    follow_ups_overdue: int = 0
    conversation_requests: int = 0


def _counted(queryset: QuerySet) -> Subquery:
    # COUNT as a plain function, not an aggregate: no GROUP BY, so the subquery is one row of one number.
    return Subquery(
        queryset.select_related(None).order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
        output_field=IntegerField(),
    )


def waiting_for_admin(user: User) -> Waiting:
    """The counts the user's permissions let them act on (no query for a role with none of them)."""
    counts = {}
    if user_can(user, Permission.DECIDE_NOMINATION):
        counts["decisions"] = _counted(nominations_visible_to(user).filter(state=NominationState.SUBMITTED))
    if user_can(user, Permission.FOLLOW_UP_NUDGES):
        today = timezone.localdate()
        open_items = follow_ups_in_state(follow_ups_visible_to(user), OPEN)
        counts["follow_ups_due"] = _counted(open_items.filter(due_on__gte=today))
        counts["follow_ups_overdue"] = _counted(open_items.filter(due_on__lt=today))
    if user_can(user, Permission.RECORD_CAREER_CONVERSATIONS):
        counts["conversation_requests"] = _counted(open_conversation_requests(user))
    if not counts:
        return Waiting()
    return Waiting(**User.objects.filter(pk=user.pk).values(**counts).get())
