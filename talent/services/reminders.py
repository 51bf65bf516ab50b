"""Reminders to training bodies about nominations waiting too long for a decision, and (weekly) about overdue
follow-ups of nudges (DESIGN.md section 5).

Run daily by beat. A nomination submitted more than REMINDER_AFTER_WORKING_DAYS working days ago (Monday to Friday;
bank holidays are not counted out) and still waiting reminds the body's admins and contact addresses, at most once
in any seven days: the last reminder is looked up in the outbox, and the day in the key makes two runs on the same
day write it once.
"""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutboxMessage, TrainingBody
from accounts.outbox import OwedEmail, outbox_add_many, outbox_context_builder
from talent.models import FollowUp, Nomination, NominationState
from talent.services.nudges import advisory_lock, recipient_key, training_body_recipients

REMINDER_AFTER_WORKING_DAYS = 10
REMINDER_EVERY = timedelta(days=7)
REMINDER_KIND = "nomination_reminder"
# Not the nudge dispatcher's lock: the two jobs may run together.
REMINDER_LOCK = 6_020_002


def working_days_before(day: date, count: int) -> date:
    """The date `count` working days (Monday to Friday) before `day`."""
    while count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def waiting_too_long_since(now: datetime) -> datetime:
    """Nominations submitted before this moment have waited more than REMINDER_AFTER_WORKING_DAYS working days."""
    cutoff = working_days_before(timezone.localdate(now), REMINDER_AFTER_WORKING_DAYS)
    return timezone.make_aware(datetime.combine(cutoff, datetime.min.time()))


@transaction.atomic
def nomination_reminders_send(*, now: datetime | None = None) -> int:
    """Owe a reminder for each nomination waiting too long and not reminded in the last seven days. Returns how
    many nominations were reminded."""
    now = now or timezone.now()
    advisory_lock(REMINDER_LOCK)
    waiting = list(
        Nomination.objects.filter(state=NominationState.SUBMITTED, submitted_at__lt=waiting_too_long_since(now))
        .select_related("opportunity")
        .order_by("submitted_at")
    )
    if not waiting:
        return 0
    # By calendar day, so a daily job that drifts by minutes still reminds on the same weekday each week.
    week_ago = timezone.make_aware(
        datetime.combine(timezone.localdate(now) - REMINDER_EVERY + timedelta(days=1), datetime.min.time())
    )
    reminded = set(
        OutboxMessage.objects.filter(kind=REMINDER_KIND, created_at__gte=week_ago).values_list(
            "context__nomination_id", flat=True
        )
    )
    waiting = [nomination for nomination in waiting if str(nomination.pk) not in reminded]
    body_ids = {nomination.training_body_id for nomination in waiting}
    recipients = training_body_recipients({body.pk: body for body in TrainingBody.objects.filter(pk__in=body_ids)})
    day = timezone.localdate(now).isoformat()
    outbox_add_many(
        [
            OwedEmail(
                key=f"{REMINDER_KIND}:{nomination.pk}:{day}:{recipient_key(email)}",
                kind=REMINDER_KIND,
                to=email,
                context={
                    "nomination_id": str(nomination.pk),
                    "path": reverse("talent:review_nomination", kwargs={"nomination_id": nomination.pk}),
                },
            )
            for nomination in waiting
            for email in recipients[nomination.training_body_id]
        ]
    )
    return len(waiting)


@outbox_context_builder(REMINDER_KIND)
def reminder_email_context(context: dict) -> dict | None:
    """At send time: nothing to remind about once the nomination has been decided or withdrawn."""
    nomination = (
        Nomination.objects.select_related("opportunity", "training_body")
        .filter(pk=context.get("nomination_id"), state=NominationState.SUBMITTED)
        .first()
    )
    if nomination is None:
        return None
    return {
        **context,
        "opportunity_title": nomination.opportunity.title,
        "training_body_name": nomination.training_body.name,
        "submitted_on": timezone.localtime(nomination.submitted_at).date(),
        "working_days": REMINDER_AFTER_WORKING_DAYS,
    }


FOLLOW_UP_REMINDER_KIND = "follow_up_reminder"
FOLLOW_UP_REMINDER_LOCK = 6_020_003


@transaction.atomic
def follow_up_reminders_send(*, now: datetime | None = None) -> int:
    """Once a week, remind each body with overdue follow-ups of them. The ISO week is in the key, so a daily job
    writes each body's reminder once a week however often it runs. Returns how many bodies were reminded."""
    now = now or timezone.now()
    advisory_lock(FOLLOW_UP_REMINDER_LOCK)
    today = timezone.localdate(now)
    body_ids = set(
        FollowUp.objects.filter(closed_at__isnull=True, due_on__lt=today).values_list("training_body_id", flat=True)
    )
    if not body_ids:
        return 0
    recipients = training_body_recipients({body.pk: body for body in TrainingBody.objects.filter(pk__in=body_ids)})
    year, week, _ = today.isocalendar()
    outbox_add_many(
        [
            OwedEmail(
                key=f"{FOLLOW_UP_REMINDER_KIND}:{body_id}:{year}-W{week:02d}:{recipient_key(email)}",
                kind=FOLLOW_UP_REMINDER_KIND,
                to=email,
                context={"training_body_id": body_id, "path": f"{reverse('talent:list_follow_ups')}?state=overdue"},
            )
            for body_id in sorted(body_ids)
            for email in recipients[body_id]
        ]
    )
    return len(body_ids)


@outbox_context_builder(FOLLOW_UP_REMINDER_KIND)
def follow_up_reminder_email_context(context: dict) -> dict | None:
    """At send time: the body's overdue items, naming only clinicians who still share their record with it."""
    body = TrainingBody.objects.filter(pk=context.get("training_body_id")).first()
    if body is None:
        return None
    overdue = list(
        FollowUp.objects.filter(
            training_body=body,
            closed_at__isnull=True,
            due_on__lt=timezone.localdate(),
            profile__shares_with_training_body=True,
            profile__training_body=body,
            profile__account_active=True,
        )
        .select_related("profile__user")
        .order_by("due_on", "profile__user__full_name")
    )
    if not overdue:
        return None
    return {
        **context,
        "training_body_name": body.name,
        "overdue": [
            {
                "name": item.profile.user.full_name,
                "due_on": item.due_on,
                "path": reverse("talent:show_follow_up", kwargs={"follow_up_id": item.pk}),
            }
            for item in overdue[:50]
        ],
        "more": max(0, len(overdue) - 50),
        "count": len(overdue),
    }
