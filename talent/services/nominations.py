"""Nominations: the only place their state changes (DESIGN.md section 4).

Every transition runs in one transaction that locks the nomination row, checks who is acting and the state it
expects under the lock (so a decision on a nomination that changed meanwhile never applies), writes the audit event
and owes its emails as outbox rows. `TRANSITIONS` is the whole state machine, as data.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.audit import audit_record
from accounts.models import Role, TrainingBodyMembership, User
from accounts.outbox import outbox_add
from accounts.permissions import Permission, user_can
from config.errors import DomainError
from pathways.models import ContentStatus, Opportunity
from pathways.presenters import next_steps_of
from pathways.selectors import eligibility_for
from talent.models import (
    LIVE_NOMINATION_STATES,
    ClinicianProfile,
    FollowUpOutcome,
    Nomination,
    NominationOutcome,
    NominationRoute,
    NominationState,
)
from talent.selectors import clinicians_visible_to, places_taken
from talent.services.followups import follow_up_close_by

STATEMENT_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 2000

NOMINEE = "nominee"
BODY_ADMIN = "body_admin"

ACCEPT = "accept"
DECLINE = "decline"
WITHDRAW = "withdraw"
APPROVE = "approve"
REJECT = "reject"
ACTIONS = (ACCEPT, DECLINE, WITHDRAW, APPROVE, REJECT)


@dataclass(frozen=True)
class Transition:
    to: str
    by: frozenset[str]


# (current state, action) -> the new state and who may do it. Anything not here is refused.
TRANSITIONS: dict[tuple[str, str], Transition] = {
    (NominationState.PENDING_NOMINEE, ACCEPT): Transition(NominationState.SUBMITTED, frozenset({NOMINEE})),
    (NominationState.PENDING_NOMINEE, DECLINE): Transition(NominationState.WITHDRAWN, frozenset({NOMINEE})),
    # The nominee withdraws; an admin of the body may take back a nomination the nominee has not accepted yet.
    (NominationState.PENDING_NOMINEE, WITHDRAW): Transition(
        NominationState.WITHDRAWN, frozenset({NOMINEE, BODY_ADMIN})
    ),
    (NominationState.SUBMITTED, WITHDRAW): Transition(NominationState.WITHDRAWN, frozenset({NOMINEE})),
    (NominationState.SUBMITTED, APPROVE): Transition(NominationState.APPROVED, frozenset({BODY_ADMIN})),
    (NominationState.SUBMITTED, REJECT): Transition(NominationState.REJECTED, frozenset({BODY_ADMIN})),
}
PARTIES_FOR_ACTION: dict[str, frozenset[str]] = {
    action: frozenset().union(*(t.by for (_, a), t in TRANSITIONS.items() if a == action)) for action in ACTIONS
}


def parties_of(user: User, nomination: Nomination) -> set[str]:
    """What the user is to this nomination: its nominee, an admin of the body that decides it, or nothing. Whether
    their role may act as either comes from the permission table; whose nomination it is, from the nomination."""
    parties = set()
    if user_can(user, Permission.FOLLOW_OWN_NOMINATIONS) and nomination.profile.user_id == user.pk:
        parties.add(NOMINEE)
    if (
        user_can(user, Permission.DECIDE_NOMINATION)
        and TrainingBodyMembership.objects.filter(user=user, training_body_id=nomination.training_body_id).exists()
    ):
        parties.add(BODY_ADMIN)
    return parties


def allowed_actions(user: User, nomination: Nomination) -> list[str]:
    """The actions this user may take on the nomination as it is now (for showing buttons)."""
    parties = parties_of(user, nomination)
    return [
        action
        for action in ACTIONS
        if (t := TRANSITIONS.get((nomination.state, action))) is not None and t.by & parties
    ]


def may_ever(user: User, nomination: Nomination, action: str) -> bool:
    """Whether the user is someone who may take this action on this nomination in some state (checked before any
    input, so a clinician trying to approve hears "not allowed", not "reason missing")."""
    return bool(parties_of(user, nomination) & PARTIES_FOR_ACTION.get(action, frozenset()))


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y \\a\\t H:i")


def was_declined(nomination: Nomination) -> bool:
    """A withdrawn nomination the nominee turned down before accepting it. The state is withdrawn by design
    (DESIGN.md section 4); pages say "declined" because that is what the nominee did."""
    return (
        nomination.state == NominationState.WITHDRAWN
        and nomination.route == NominationRoute.NOMINATION
        and nomination.submitted_at is None
        and nomination.withdrawn_by_id is not None
        and nomination.withdrawn_by_id == nomination.profile.user_id
    )


def _state_conflict(nomination: Nomination) -> DomainError:
    """Why an action cannot apply to the nomination as it now is: who decided or withdrew it, and when."""
    state = nomination.state
    if state in (NominationState.APPROVED, NominationState.REJECTED):
        who = nomination.decided_by.full_name if nomination.decided_by else "someone"
        verb = "approved" if state == NominationState.APPROVED else "rejected"
        message = f"This nomination was already {verb} by {who} on {_when(nomination.decided_at)}."
    elif state == NominationState.WITHDRAWN:
        who = nomination.withdrawn_by.full_name if nomination.withdrawn_by else "someone"
        verb = "declined" if was_declined(nomination) else "withdrawn"
        message = f"This nomination was already {verb} by {who} on {_when(nomination.withdrawn_at)}."
    else:
        message = f"This nomination is now {nomination.get_state_display().lower()}."
    return DomainError(message, conflict=True)


def _locked(nomination: Nomination) -> Nomination:
    # Lock only the nomination row, then read its relations: a FOR UPDATE over a join would lock those rows too.
    locked = Nomination.objects.select_for_update().filter(pk=nomination.pk).first()
    if locked is None:
        raise DomainError("This nomination no longer exists.", conflict=True)
    return (
        Nomination.objects.select_related("profile__user", "opportunity", "training_body", "decided_by", "withdrawn_by")
        .filter(pk=locked.pk)
        .get()
    )


def _check(user: User, nomination: Nomination, action: str) -> Transition:
    """Who may, then what state: someone who may never do this gets PermissionDenied; a party finding the
    nomination in another state gets a conflict that says what happened."""
    parties = parties_of(user, nomination)
    if not parties & PARTIES_FOR_ACTION[action]:
        raise PermissionDenied("You cannot do this to this nomination.")
    transition = TRANSITIONS.get((nomination.state, action))
    if transition is None:
        raise _state_conflict(nomination)
    if not transition.by & parties:
        raise PermissionDenied("You cannot do this to this nomination now.")
    return transition


def _body_admins(nomination: Nomination) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            role=Role.TRAINING_BODY_ADMIN,
            training_body_memberships__training_body_id=nomination.training_body_id,
        ).order_by("email")
    )


def _context(nomination: Nomination, recipient: User, *, path: str, **extra) -> dict:
    return {
        "recipient_name": recipient.full_name,
        "nominee_name": nomination.profile.user.full_name,
        "opportunity_title": nomination.opportunity.title,
        "provider": nomination.opportunity.provider,
        "training_body_name": nomination.training_body.name,
        "path": path,
        **extra,
    }


def _notify_clinician(nomination: Nomination, *, transition: str, kind: str, **extra) -> None:
    user = nomination.profile.user
    if not user.is_active:
        return
    outbox_add(
        key=f"nomination:{nomination.pk}:{transition}:{user.pk}",
        kind=kind,
        to=user.email,
        context=_context(
            nomination,
            user,
            path=reverse("talent:show_my_nomination", kwargs={"nomination_id": nomination.pk}),
            **extra,
        ),
    )


def _notify_admins(nomination: Nomination, *, transition: str, kind: str, **extra) -> None:
    path = reverse("talent:review_nomination", kwargs={"nomination_id": nomination.pk})
    for admin in _body_admins(nomination):
        outbox_add(
            key=f"nomination:{nomination.pk}:{transition}:{admin.pk}",
            kind=kind,
            to=admin.email,
            context=_context(nomination, admin, path=path, **extra),
        )


def _audit(actor: User | None, nomination: Nomination, action: str, previous: str | None, **detail) -> None:
    audit_record(
        actor=actor,
        action=f"nomination.{action}",
        subject=nomination,
        detail={"from": previous, "to": nomination.state, "opportunity": str(nomination.opportunity_id), **detail},
    )


def _check_opportunity(opportunity: Opportunity, profile: ClinicianProfile, today: date, *, for_you: bool) -> None:
    if opportunity.status != ContentStatus.PUBLISHED:
        raise DomainError("This opportunity is not open for applications.", field="opportunity")
    if not opportunity.applications_through_service:
        raise DomainError(
            f"{opportunity.title} takes applications on the {opportunity.provider} website, not through this service.",
            field="opportunity",
        )
    if not opportunity.is_open_on(today):
        if today < opportunity.opens_on:
            message = f"Applications for {opportunity.title} open on {date_format(opportunity.opens_on, 'j F Y')}."
        else:
            message = f"Applications for {opportunity.title} closed on {date_format(opportunity.closes_on, 'j F Y')}."
        raise DomainError(message, field="opportunity")
    eligibility = eligibility_for(opportunity=opportunity, profile=profile, today=today)
    if not eligibility.eligible:
        who = "You are" if for_you else f"{profile.user.full_name} is"
        raise DomainError(f"{who} not eligible: {' '.join(eligibility.reasons)}", field="opportunity")


def _check_statement(statement: str) -> str:
    statement = statement.strip()
    if not statement:
        raise DomainError("Enter a supporting statement", field="supporting_statement")
    if len(statement) > STATEMENT_MAX_LENGTH:
        raise DomainError(
            f"The supporting statement must be {STATEMENT_MAX_LENGTH} characters or fewer", field="supporting_statement"
        )
    return statement


def _save_new(nomination: Nomination, *, for_you: bool) -> None:
    """Write a new nomination. One live nomination per clinician and opportunity is a database constraint; when it
    refuses the row, say which nomination is already there."""
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError as error:
        live = Nomination.objects.filter(
            profile=nomination.profile, opportunity=nomination.opportunity, state__in=LIVE_NOMINATION_STATES
        ).first()
        if live is None:
            raise
        who = "You have" if for_you else f"{nomination.profile.user.full_name} has"
        raise DomainError(
            f"{who} already applied for, or been nominated for, {nomination.opportunity.title} "
            f"({live.get_state_display().lower()}).",
            field="opportunity",
        ) from error


NO_TRAINING_BODY = "You need a training body to be nominated: add yours to your profile"
TRAINING_BODY_NOT_CONFIRMED = "You can apply through this service once your training body has confirmed you"


@transaction.atomic
def nomination_apply(*, user: User, opportunity: Opportunity, supporting_statement: str) -> Nomination:
    """A clinician applies for an open opportunity they are eligible for; it goes straight to their training body."""
    if not user_can(user, Permission.APPLY_FOR_OPPORTUNITY):
        raise PermissionDenied("Only clinicians can apply.")
    profile = ClinicianProfile.objects.select_for_update().select_related("user").filter(user=user).first()
    if profile is None:
        raise DomainError("Tell us about yourself before you apply.")
    today = timezone.localdate()
    if profile.training_body_waiting:
        raise DomainError(f"{TRAINING_BODY_NOT_CONFIRMED}.")
    if profile.training_body_id is None:
        raise DomainError(f"{NO_TRAINING_BODY}.")
    _check_opportunity(opportunity, profile, today, for_you=True)
    statement = _check_statement(supporting_statement)
    now = timezone.now()
    nomination = Nomination(
        profile=profile,
        opportunity=opportunity,
        training_body_id=profile.training_body_id,
        route=NominationRoute.APPLICATION,
        nominated_by=user,
        supporting_statement=statement,
        state=NominationState.SUBMITTED,
        submitted_at=now,
        created_at=now,
    )
    _save_new(nomination, for_you=True)
    nomination = _locked(nomination)
    _audit(user, nomination, "applied", None)
    _notify_admins(nomination, transition="applied", kind="nomination_received")
    _notify_clinician(nomination, transition="applied", kind="application_acknowledged")
    return nomination


@transaction.atomic
def nomination_nominate(
    *,
    user: User,
    profile: ClinicianProfile,
    opportunity: Opportunity,
    supporting_statement: str,
) -> Nomination:
    """A training-body admin nominates a consenting clinician of their body; the clinician then accepts or declines."""
    if not user_can(user, Permission.NOMINATE_CLINICIAN):
        raise PermissionDenied("Only training-body admins can nominate.")
    # Consent and body are checked through the one clinician scope: an admin nominates only whom they may see.
    profile = (
        clinicians_visible_to(user)
        .select_for_update(of=("self",))
        .filter(pk=profile.pk, training_body__isnull=False)
        .first()
    )
    if profile is None:
        raise DomainError(
            "You can nominate only clinicians of your training body who share their profile with it.",
            field="clinician",
        )
    today = timezone.localdate()
    _check_opportunity(opportunity, profile, today, for_you=False)
    statement = _check_statement(supporting_statement)
    nomination = Nomination(
        profile=profile,
        opportunity=opportunity,
        training_body_id=profile.training_body_id,
        route=NominationRoute.NOMINATION,
        nominated_by=user,
        supporting_statement=statement,
        state=NominationState.PENDING_NOMINEE,
        created_at=timezone.now(),
    )
    _save_new(nomination, for_you=False)
    nomination = _locked(nomination)
    _audit(user, nomination, "nominated", None)
    follow_up_close_by(
        user=user,
        profile=profile,
        training_body_id=nomination.training_body_id,
        outcome=FollowUpOutcome.NOMINATED,
        nomination=nomination,
    )
    _notify_clinician(nomination, transition="nominated", kind="nomination_made", nominator_name=user.full_name)
    return nomination


@transaction.atomic
def nomination_accept(*, user: User, nomination: Nomination, today: date | None = None) -> Nomination:
    """The nominee accepts their training body's nomination: it goes to the body for a decision."""
    nomination = _locked(nomination)
    transition = _check(user, nomination, ACCEPT)
    today = timezone.localdate()
    opportunity = nomination.opportunity
    if opportunity.status != ContentStatus.PUBLISHED or not opportunity.is_open_on(today):
        raise DomainError(
            f"Applications for {opportunity.title} are not open now, so this nomination cannot be accepted.",
            conflict=True,
        )
    previous = nomination.state
    nomination.state = transition.to
    nomination.submitted_at = timezone.now()
    nomination.save(update_fields=["state", "submitted_at", "updated_at"])
    _audit(user, nomination, "accepted", previous)
    _notify_admins(nomination, transition="accepted", kind="nomination_received")
    return nomination


def _withdraw(user: User, nomination: Nomination, action: str) -> Nomination:
    nomination = _locked(nomination)
    transition = _check(user, nomination, action)
    previous = nomination.state
    nomination.state = transition.to
    nomination.withdrawn_by = user
    nomination.withdrawn_at = timezone.now()
    nomination.save(update_fields=["state", "withdrawn_by", "withdrawn_at", "updated_at"])
    by_nominee = nomination.profile.user_id == user.pk
    verb = "declined" if action == DECLINE else "withdrawn"
    _audit(user, nomination, verb, previous)
    if by_nominee:
        kind = "nomination_declined" if action == DECLINE else "nomination_withdrawn"
        _notify_admins(nomination, transition=verb, kind=kind, by_nominee=True)
    else:
        _notify_clinician(nomination, transition=verb, kind="nomination_withdrawn", withdrawn_by_name=user.full_name)
    return nomination


@transaction.atomic
def nomination_decline(*, user: User, nomination: Nomination) -> Nomination:
    """The nominee turns down a nomination made for them."""
    return _withdraw(user, nomination, DECLINE)


@transaction.atomic
def nomination_withdraw(*, user: User, nomination: Nomination) -> Nomination:
    """The nominee withdraws before a decision (or the body's admin takes back a nomination not yet accepted)."""
    return _withdraw(user, nomination, WITHDRAW)


@transaction.atomic
def nominations_withdraw_on_leaving(*, profile: ClinicianProfile, training_body_id: int, actor: User) -> int:
    """A body decides only about its members: when a clinician leaves it (they chose another body or none, or its
    admin removed them), their nominations it has not decided yet are withdrawn. The body's admins are told when
    the clinician left; when an admin removed them, the removal email says so."""
    live = list(
        Nomination.objects.select_for_update()
        .select_related("profile__user", "opportunity", "training_body")
        .filter(
            profile=profile,
            training_body_id=training_body_id,
            state__in=[NominationState.PENDING_NOMINEE, NominationState.SUBMITTED],
        )
        .order_by("pk")
    )
    now = timezone.now()
    for nomination in live:
        previous = nomination.state
        nomination.state = NominationState.WITHDRAWN
        nomination.withdrawn_by = actor
        nomination.withdrawn_at = now
        nomination.save(update_fields=["state", "withdrawn_by", "withdrawn_at", "updated_at"])
        _audit(actor, nomination, "withdrawn", previous, reason="left_training_body")
        if nomination.profile.user_id == actor.pk:
            _notify_admins(nomination, transition="withdrawn", kind="nomination_withdrawn", by_nominee=True)
    return len(live)


@transaction.atomic
def nomination_approve(*, user: User, nomination: Nomination, note: str = "") -> Nomination:
    """An admin of the nomination's training body approves it, if the opportunity still has a place."""
    nomination = _locked(nomination)
    transition = _check(user, nomination, APPROVE)
    note = (note or "").strip()
    if len(note) > REASON_MAX_LENGTH:
        raise DomainError(f"The note must be {REASON_MAX_LENGTH} characters or fewer", field="note")
    # Lock the opportunity while counting: two approvals of the last place queue here, and the second sees it taken.
    opportunity = Opportunity.objects.select_for_update().get(pk=nomination.opportunity_id)
    if opportunity.places is not None and places_taken(opportunity) >= opportunity.places:
        raise DomainError(
            f"All {opportunity.places} places on {opportunity.title} are taken, so no more nominations can be "
            "approved.",
            conflict=True,
        )
    previous = nomination.state
    nomination.state = transition.to
    nomination.decided_by = user
    nomination.decided_at = timezone.now()
    nomination.decision_reason = note
    nomination.save(update_fields=["state", "decided_by", "decided_at", "decision_reason", "updated_at"])
    _audit(user, nomination, "approved", previous)
    _notify_clinician(
        nomination, transition="approved", kind="nomination_approved", note=note, **next_steps_of(opportunity)
    )
    return nomination


@transaction.atomic
def nomination_reject(*, user: User, nomination: Nomination, reason: str) -> Nomination:
    """An admin of the nomination's training body rejects it, saying why (the clinician is told the reason)."""
    nomination = _locked(nomination)
    transition = _check(user, nomination, REJECT)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Enter the reason for not approving this nomination", field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(f"The reason must be {REASON_MAX_LENGTH} characters or fewer", field="reason")
    previous = nomination.state
    nomination.state = transition.to
    nomination.decided_by = user
    nomination.decided_at = timezone.now()
    nomination.decision_reason = reason
    nomination.save(update_fields=["state", "decided_by", "decided_at", "decision_reason", "updated_at"])
    _audit(user, nomination, "rejected", previous)
    _notify_clinician(nomination, transition="rejected", kind="nomination_rejected", reason=reason)
    return nomination


def may_record_outcome(user: User, nomination: Nomination) -> bool:
    """Whether the user is an admin of the body that decided this nomination, whose role may record outcomes (the
    same rule as deciding: the role from the permission table, the body from the nomination)."""
    return user_can(user, Permission.RECORD_NOMINATION_OUTCOME) and BODY_ADMIN in parties_of(user, nomination)


def _outcome_of(nomination: Nomination) -> dict | None:
    if not nomination.outcome:
        return None
    return {
        "outcome": nomination.outcome,
        "on": nomination.outcome_on.isoformat(),
        "note": nomination.outcome_note,
    }


@transaction.atomic
def nomination_outcome_record(
    *, user: User, nomination: Nomination, outcome: str, on: date, note: str = ""
) -> Nomination:
    """An admin of the nomination's training body records what became of it once approved (completed, withdrew,
    did not take up the place), or corrects what was recorded. Each time is audited with what it was before and
    after (`nomination.outcome_recorded`, then `nomination.outcome_corrected`); the clinician sees it on their
    applications page."""
    nomination = _locked(nomination)
    if not may_record_outcome(user, nomination):
        raise PermissionDenied("You cannot record what became of this nomination.")
    if nomination.state != NominationState.APPROVED:
        raise DomainError(
            f"Only an approved nomination has an outcome to record; this one is "
            f"{nomination.get_state_display().lower()}.",
            conflict=True,
        )
    if outcome not in NominationOutcome.values:
        raise DomainError("Select what became of the nomination", field="outcome")
    today = timezone.localdate()
    approved_on = timezone.localdate(nomination.decided_at)
    if on > today:
        raise DomainError("The date must be today or in the past", field="date")
    if on < approved_on:
        raise DomainError(
            f"The date must be on or after the day it was approved, {date_format(approved_on, 'j F Y')}", field="date"
        )
    note = (note or "").strip()
    if len(note) > REASON_MAX_LENGTH:
        raise DomainError(f"The note must be {REASON_MAX_LENGTH} characters or fewer", field="note")
    before = _outcome_of(nomination)
    nomination.outcome, nomination.outcome_on, nomination.outcome_note = outcome, on, note
    after = _outcome_of(nomination)
    if before == after:
        return nomination
    nomination.outcome_recorded_by = user
    nomination.outcome_recorded_at = timezone.now()
    nomination.save(
        update_fields=[
            "outcome",
            "outcome_on",
            "outcome_note",
            "outcome_recorded_by",
            "outcome_recorded_at",
            "updated_at",
        ]
    )
    audit_record(
        actor=user,
        action="nomination.outcome_corrected" if before else "nomination.outcome_recorded",
        subject=nomination,
        detail={"before": before, "after": after, "opportunity": str(nomination.opportunity_id)},
    )
    return nomination


ACTION_SERVICES = {
    ACCEPT: nomination_accept,
    DECLINE: nomination_decline,
    WITHDRAW: nomination_withdraw,
    APPROVE: nomination_approve,
    REJECT: nomination_reject,
}


def nomination_act(*, user: User, nomination: Nomination, action: str, reason: str = "", note: str = "") -> Nomination:
    """Dispatch one of ACTIONS by name (pages and the API post the action's name)."""
    if action == REJECT:
        return nomination_reject(user=user, nomination=nomination, reason=reason)
    if action == APPROVE:
        return nomination_approve(user=user, nomination=nomination, note=note)
    if action in ACTION_SERVICES:
        return ACTION_SERVICES[action](user=user, nomination=nomination)
    raise DomainError("Choose what to do with this nomination.")


__all__ = [
    "ACTIONS",
    "NO_TRAINING_BODY",
    "TRANSITIONS",
    "allowed_actions",
    "may_record_outcome",
    "nomination_accept",
    "nomination_act",
    "nomination_apply",
    "nomination_approve",
    "nomination_decline",
    "nomination_nominate",
    "nomination_outcome_record",
    "nomination_reject",
    "nomination_withdraw",
    "parties_of",
]
