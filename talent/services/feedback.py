"""360 feedback: starting and closing a round, the raters' signed links and answers, reminders, and sharing the
report (DESIGN.md section 4). What the clinician may see of the answers is decided in talent.selectors.feedback.

A rater's link (talent.feedback_links) is made when its email is sent. It works until the round's closing date
or early close, and for one submission: once the answer is submitted the same link only says so.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts.audit import audit_record
from accounts.emails import normalise_email
from accounts.outbox import outbox_add, outbox_context_builder
from config.errors import DomainError
from talent.feedback_links import rater_link_url
from talent.models import (
    FEEDBACK_MAX_DAYS,
    FEEDBACK_MAX_OPEN_ROUNDS,
    FEEDBACK_MAX_RATERS,
    FEEDBACK_MIN_DAYS,
    FEEDBACK_MIN_RATERS,
    ClinicianProfile,
    Dimension,
    FeedbackAnswer,
    FeedbackAnswerStatus,
    FeedbackRater,
    FeedbackRating,
    FeedbackRound,
    RaterGroup,
    RaterLinkState,
    open_rounds_q,
)

REMINDER_STAGES = {7: "reminded_7_days_at", 2: "reminded_2_days_at"}


@dataclass(frozen=True)
class RaterInvite:
    email: str
    group: str


def today_local() -> date:
    return timezone.localdate()


# --- Starting and closing a round -------------------------------------------------------------


def _clean_invites(*, profile: ClinicianProfile, raters: list[RaterInvite]) -> list[RaterInvite]:
    """The raters as they will be stored, or one error naming everything wrong with the list."""
    if len(raters) > FEEDBACK_MAX_RATERS:
        raise DomainError(f"Ask at most {FEEDBACK_MAX_RATERS} people for feedback", field="raters")
    own = normalise_email(profile.user.email)
    cleaned: list[RaterInvite] = []
    seen: set[str] = set()
    problems: list[str] = []
    for invite in raters:
        email = normalise_email(invite.email or "")
        try:
            validate_email(email)
        except ValidationError:
            problems.append(f"“{invite.email.strip()[:100]}” is not an email address")
            continue
        if invite.group not in RaterGroup.values:
            problems.append(f"Choose line manager, peer, direct report or other for {email}")
            continue
        if email == own:
            problems.append("You cannot ask yourself for feedback: your own answers are your self-assessment")
            continue
        if email in seen:
            problems.append(f"{email} is in the list more than once")
            continue
        seen.add(email)
        cleaned.append(RaterInvite(email=email, group=invite.group))
    if problems:
        raise DomainError(". ".join(problems), field="raters")
    if len(cleaned) < FEEDBACK_MIN_RATERS:
        raise DomainError(
            f"Ask at least {FEEDBACK_MIN_RATERS} people for feedback: with fewer, no report could keep them anonymous",
            field="raters",
        )
    return cleaned


def _check_closing_date(closes_on: date, today: date) -> None:
    earliest, latest = today + timedelta(days=FEEDBACK_MIN_DAYS), today + timedelta(days=FEEDBACK_MAX_DAYS)
    if not earliest <= closes_on <= latest:
        raise DomainError(
            f"The closing date must be between {earliest:%-d %B %Y} and {latest:%-d %B %Y} "
            f"({FEEDBACK_MIN_DAYS} to {FEEDBACK_MAX_DAYS} days from today)",
            field="closes_on",
        )


@transaction.atomic
def feedback_round_start(*, profile: ClinicianProfile, closes_on: date, raters: list[RaterInvite]) -> FeedbackRound:
    """Open a round and owe each rater their invitation. At most FEEDBACK_MAX_OPEN_ROUNDS at once per clinician:
    the profile row is locked while counting, so two requests at once cannot both pass."""
    today = today_local()
    _check_closing_date(closes_on, today)
    invites = _clean_invites(profile=profile, raters=raters)
    ClinicianProfile.objects.select_for_update().filter(pk=profile.pk).first()
    if profile.feedback_rounds.filter(open_rounds_q()).count() >= FEEDBACK_MAX_OPEN_ROUNDS:
        raise DomainError(
            f"You already have {FEEDBACK_MAX_OPEN_ROUNDS} feedback rounds open. Wait for one to close, or close one "
            "early, before starting another",
            conflict=True,
        )
    feedback_round = FeedbackRound(profile=profile, closes_on=closes_on)
    feedback_round.full_clean()
    feedback_round.save()
    rows = FeedbackRater.objects.bulk_create(
        [FeedbackRater(round=feedback_round, email=invite.email, group=invite.group) for invite in invites]
    )
    for rater in rows:
        outbox_add(
            key=f"feedback:{rater.pk}:invitation",
            kind="feedback_invitation",
            to=rater.email,
            context={"rater_id": str(rater.pk)},
        )
    audit_record(
        actor=profile.user,
        action="feedback.round_started",
        subject=feedback_round,
        detail={"raters": len(rows), "closes_on": closes_on.isoformat()},
    )
    return feedback_round


@transaction.atomic
def feedback_round_close(*, profile: ClinicianProfile, feedback_round: FeedbackRound) -> FeedbackRound:
    """Close a round before its date: links stop working and the report is made from the answers so far."""
    locked = FeedbackRound.objects.select_for_update().get(pk=feedback_round.pk, profile=profile)
    if not locked.is_open():
        raise DomainError("This feedback round is already closed", conflict=True)
    locked.closed_early_at = timezone.now()
    locked.save(update_fields=["closed_early_at"])
    audit_record(actor=profile.user, action="feedback.round_closed_early", subject=locked)
    return locked


@transaction.atomic
def feedback_report_share(*, profile: ClinicianProfile, feedback_round: FeedbackRound, share: bool) -> FeedbackRound:
    """Share the report with the clinician's (confirmed) training body, or withdraw sharing."""
    locked = FeedbackRound.objects.select_for_update().get(pk=feedback_round.pk, profile=profile)
    if share:
        if profile.training_body_id is None:
            raise DomainError("You need a confirmed training body to share your report with", field="share")
        if locked.is_open():
            raise DomainError("You can share the report once the round has closed", field="share")
        locked.shared_with_id, locked.shared_at = profile.training_body_id, timezone.now()
    else:
        locked.shared_with, locked.shared_at = None, None
    locked.save(update_fields=["shared_with", "shared_at"])
    audit_record(
        actor=profile.user,
        action="feedback.report_shared" if share else "feedback.report_sharing_withdrawn",
        subject=locked,
        detail={"training_body": locked.shared_with_id} if share else {},
    )
    return locked


# --- The rater's answer ----------------------------------------------------------------------


@transaction.atomic
def rater_link_opened(*, rater: FeedbackRater) -> None:
    FeedbackRater.objects.filter(pk=rater.pk, link_state=RaterLinkState.SENT).update(link_state=RaterLinkState.OPENED)


@transaction.atomic
def feedback_answer_save(
    *,
    rater: FeedbackRater,
    ratings: dict[str, int | None],
    does_well: str,
    could_do_more_of: str,
    submit: bool,
) -> FeedbackAnswer:
    """Save the rater's draft, or submit it for good. `ratings` maps a dimension to 1-4, or None for "not
    observed"; a dimension left out is not answered yet (a draft may leave some out, a submission may not)."""
    locked = FeedbackRater.objects.select_for_update().select_related("round").get(pk=rater.pk)
    if locked.answered_at is not None:
        raise DomainError("You have already submitted your feedback. It cannot be changed", conflict=True)
    if not locked.round.is_open():
        raise DomainError("This feedback round has closed", conflict=True)
    unknown = set(ratings) - set(Dimension.values)
    if unknown or any(value is not None and value not in (1, 2, 3, 4) for value in ratings.values()):
        raise DomainError("Choose a level or “not observed” for each dimension", field="ratings")
    if submit:
        missing = [Dimension(d).label for d in Dimension.values if d not in ratings]
        if missing:
            raise DomainError("Choose a level or “not observed” for " + ", ".join(missing), field="ratings")
    answer, _ = FeedbackAnswer.objects.get_or_create(rater=locked)
    answer.does_well, answer.could_do_more_of = does_well.strip(), could_do_more_of.strip()
    now = timezone.now()
    if submit:
        answer.status, answer.submitted_at = FeedbackAnswerStatus.SUBMITTED, now
    answer.full_clean(exclude=["rater"])
    answer.save()
    answer.ratings.all().delete()
    FeedbackRating.objects.bulk_create(
        [FeedbackRating(answer=answer, dimension=d, rating=value) for d, value in ratings.items()]
    )
    if submit:
        locked.link_state, locked.answered_at = RaterLinkState.USED, now
        locked.save(update_fields=["link_state", "answered_at"])
        # The round, not the rater, is the subject: the trail does not say who answered what.
        audit_record(actor=None, action="feedback.answer_submitted", subject=locked.round, detail={})
    elif locked.link_state == RaterLinkState.SENT:
        locked.link_state = RaterLinkState.OPENED
        locked.save(update_fields=["link_state"])
    return answer


# --- Emails ----------------------------------------------------------------------------------


def _rater_email_context(context: dict) -> dict | None:
    """At send time: nothing to send to a rater who has answered, or once the round has closed."""
    rater = (
        FeedbackRater.objects.select_related("round__profile__user")
        .filter(pk=context.get("rater_id"), answered_at__isnull=True)
        .first()
    )
    if rater is None or not rater.round.is_open():
        return None
    return {
        "clinician_name": rater.round.profile.user.full_name,
        "group": rater.get_group_display().lower(),
        "closes_on": rater.round.closes_on,
        "link": rater_link_url(rater_id=rater.pk),
        "days_left": context.get("days_left"),
    }


outbox_context_builder("feedback_invitation")(_rater_email_context)
outbox_context_builder("feedback_reminder")(_rater_email_context)


def feedback_reminders_send(*, today: date | None = None) -> int:
    """Remind raters who have not answered, 7 and 2 days before closing. Each reminder is marked on the rater
    (a conditional update) and keyed in the outbox, so however often this runs each is owed once. A rater invited
    that same day is not reminded (they have just had the invitation). Returns how many reminders were owed."""
    today = today or today_local()
    owed = 0
    for days, field in REMINDER_STAGES.items():
        # A missed day still reminds, as long as the closing date has not passed and the later stage is not due.
        later = min((d for d in REMINDER_STAGES if d < days), default=-1)
        due = FeedbackRater.objects.filter(
            **{f"{field}__isnull": True},
            answered_at__isnull=True,
            round__closed_early_at__isnull=True,
            round__closes_on__lte=today + timedelta(days=days),
            round__closes_on__gt=today + timedelta(days=later),
            invited_at__lt=timezone.make_aware(datetime.combine(today, time.min)),
        ).values_list("pk", "email")
        for rater_id, email in due:
            with transaction.atomic():
                if not FeedbackRater.objects.filter(pk=rater_id, **{f"{field}__isnull": True}).update(
                    **{field: timezone.now()}
                ):
                    continue
                outbox_add(
                    key=f"feedback:{rater_id}:reminder:{days}",
                    kind="feedback_reminder",
                    to=email,
                    context={"rater_id": str(rater_id), "days_left": days},
                )
                owed += 1
    return owed


def feedback_rounds_erase(*, profile: ClinicianProfile) -> int:
    """Deleting an account removes its feedback rounds: raters' addresses and comments are personal data."""
    deleted, _ = profile.feedback_rounds.all().delete()
    return deleted
