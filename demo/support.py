"""Demo data for career conversations and follow-ups of nudges, so `tbadmin@demo.test` finds follow-ups open,
overdue and closed, and `clinician@demo.test` finds a conversation to confirm and an opportunity their body
signposted (idempotent: nothing is added once the body has follow-ups)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import TrainingBody, User
from pathways.selectors import open_opportunities
from talent.models import (
    AgreedAction,
    CareerConversation,
    FollowUp,
    FollowUpOutcome,
    NoActionReason,
    Signpost,
)
from talent.services.followups import follow_up_due_on


@transaction.atomic
def demo_support_seed(*, training_body: TrainingBody, tb_admin: User, clinician: User) -> int:
    """One follow-up per clinician the body's demo nudges named (a few overdue, a few closed in each way), a
    conversation with the demo clinician waiting for them to confirm it, and a signposted opportunity. Returns how
    many follow-ups were added."""
    if training_body.follow_ups.exists():
        return 0
    entries = [
        (nudge, entry.profile)
        for nudge in training_body.nudges.order_by("period_end").prefetch_related("entries__profile")
        for entry in nudge.entries.all()
    ]
    if not entries:
        return 0
    now = timezone.now()
    today = timezone.localdate()
    items = []
    seen = set()
    for index, (nudge, profile) in enumerate(entries):
        if profile.pk in seen:
            continue
        seen.add(profile.pk)
        # Every third item was opened long enough ago to be overdue now.
        opened = nudge.created_at - timedelta(days=35) if index % 3 == 1 else nudge.created_at
        items.append(
            FollowUp(
                training_body=training_body,
                profile=profile,
                nudge=nudge,
                opened_at=opened,
                due_on=follow_up_due_on(opened),
            )
        )
    FollowUp.objects.bulk_create(items)

    demo_profile = getattr(clinician, "clinician_profile", None)
    mine = next((item for item in items if demo_profile is not None and item.profile_id == demo_profile.pk), None)
    others = [item for item in items if item is not mine]
    # One closed with no action, to show how it reads.
    for item in others[:1]:
        item.closed_at, item.closed_by, item.outcome = now - timedelta(days=2), tb_admin, FollowUpOutcome.NO_ACTION
        item.no_action_reason, item.note = NoActionReason.ALREADY_SUPPORTED, "On the trust's own leadership course."
        item.save()
    if demo_profile is not None and demo_profile.training_body_id == training_body.pk:
        conversation = CareerConversation.objects.create(
            profile=demo_profile,
            training_body=training_body,
            recorded_by=tb_admin,
            held_on=today - timedelta(days=3),
            participants=f"{clinician.full_name} and {tb_admin.full_name} (training programme director)",
            aspirations=(
                "I would like to lead our department's quality improvement work, and in five years or so to be a "
                "clinical lead."
            ),
            next_conversation_on=today + timedelta(days=120),
        )
        AgreedAction.objects.bulk_create(
            [
                AgreedAction(
                    conversation=conversation,
                    position=1,
                    description="Join the department's quality improvement group",
                    owner=clinician.full_name,
                    due_on=today + timedelta(days=30),
                ),
                AgreedAction(
                    conversation=conversation,
                    position=2,
                    description="Introduce them to the clinical lead for a day's shadowing",
                    owner=tb_admin.full_name,
                    due_on=today + timedelta(days=60),
                ),
            ]
        )
        opportunity = open_opportunities(today).order_by("closes_on", "title").first()
        if mine is not None and opportunity is not None:
            mine.closed_at, mine.closed_by, mine.outcome = now - timedelta(days=1), tb_admin, FollowUpOutcome.SIGNPOSTED
            mine.save()
            Signpost.objects.create(
                profile=demo_profile,
                training_body=training_body,
                follow_up=mine,
                opportunity=opportunity,
                created_by=tb_admin,
                created_at=mine.closed_at,
            )
    return len(items)
