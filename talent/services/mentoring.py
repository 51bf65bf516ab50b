"""Mentoring: the only place offers and requests are written.

An offer's row is the lock for its capacity: accepting and ending lock it first (then the request), and keep
`mentee_count` under a database constraint, so two acceptances at once for the last place give one mentee and one
clear refusal. Every change is audited and emails the other person through the outbox; email addresses are shown to
the two people only once the mentor has accepted.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import Region, User
from accounts.outbox import outbox_add
from config.errors import DomainError
from pathways.models import LeadershipRole
from regulators.models import Profession
from talent.models import (
    MENTORING_CAPACITY_MAX,
    OPEN_MENTORING_STATUSES,
    ClinicianProfile,
    Dimension,
    MentoringOffer,
    MentoringRequest,
    MentoringStatus,
)
from talent.models.mentoring import OFFER_ABOUT_MAX_LENGTH, REQUEST_MESSAGE_MAX_LENGTH, REQUEST_REPLY_MAX_LENGTH
from talent.selectors.mentoring import mentoring_role_of

MENTOR = "mentor"
MENTEE = "mentee"

ACCEPT = "accept"
DECLINE = "decline"
WITHDRAW = "withdraw"
END = "end"
ACTIONS = (ACCEPT, DECLINE, WITHDRAW, END)

# (status, action) -> (new status, who may). Anything else is refused.
TRANSITIONS: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    (MentoringStatus.PENDING, ACCEPT): (MentoringStatus.ACCEPTED, frozenset({MENTOR})),
    (MentoringStatus.PENDING, DECLINE): (MentoringStatus.DECLINED, frozenset({MENTOR})),
    (MentoringStatus.PENDING, WITHDRAW): (MentoringStatus.WITHDRAWN, frozenset({MENTEE})),
    (MentoringStatus.ACCEPTED, END): (MentoringStatus.ENDED, frozenset({MENTOR, MENTEE})),
}
PARTIES_FOR_ACTION = {
    action: frozenset().union(*(by for (_, a), (_, by) in TRANSITIONS.items() if a == action)) for action in ACTIONS
}

NOT_A_LEADER = "You can offer mentoring once your leadership experience shows a current role at service level or above"


def _text(value: str, *, field: str, limit: int, what: str, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"Enter {what}", field=field)
    if len(value) > limit:
        raise DomainError(f"{what[0].upper()}{what[1:]} must be {limit} characters or fewer", field=field)
    return value


def _keys(values, allowed: list[str], *, field: str, what: str) -> list[str]:
    chosen = {str(value) for value in values or []}
    if chosen - set(allowed):
        raise DomainError(f"Choose {what} from the list", field=field)
    return [key for key in allowed if key in chosen]


@transaction.atomic
def mentoring_offer_save(
    *,
    profile: ClinicianProfile,
    capacity: int,
    professions: list[str],
    regions: list[Region],
    dimensions: list[str],
    target_roles: list[LeadershipRole],
    about: str,
    is_open: bool = True,
) -> MentoringOffer:
    """Make or change the clinician's offer. Only clinicians in a current leadership role at service level or above
    may offer; capacity cannot drop below the mentees they have now."""
    if mentoring_role_of(profile) is None:
        raise DomainError(NOT_A_LEADER)
    if not isinstance(capacity, int) or not 1 <= capacity <= MENTORING_CAPACITY_MAX:
        raise DomainError(
            f"Enter how many mentees you can take at once, from 1 to {MENTORING_CAPACITY_MAX}", field="capacity"
        )
    professions = _keys(professions, Profession.values, field="professions", what="professions")
    dimensions = _keys(dimensions, Dimension.values, field="dimensions", what="leadership dimensions")
    about = _text(about, field="about", limit=OFFER_ABOUT_MAX_LENGTH, what="what you can offer", required=False)
    offer = MentoringOffer.objects.select_for_update().filter(mentor=profile).first()
    if offer is not None and capacity < offer.mentee_count:
        raise DomainError(
            f"You mentor {offer.mentee_count} people now: end a mentoring relationship before taking fewer",
            field="capacity",
        )
    created = offer is None
    offer = offer or MentoringOffer(mentor=profile)
    offer.capacity, offer.professions, offer.dimensions = capacity, professions, dimensions
    offer.about, offer.is_open = about, is_open
    offer.save()
    offer.regions.set(regions)
    offer.target_roles.set(target_roles)
    audit_record(
        actor=profile.user,
        action="mentoring.offer_made" if created else "mentoring.offer_changed",
        subject=offer,
        detail={"capacity": capacity, "open": is_open},
    )
    return offer


def _path(request: MentoringRequest) -> str:
    return reverse("talent:show_mentoring_request", kwargs={"request_id": request.pk})


def _email(request: MentoringRequest, *, to: ClinicianProfile, kind: str, event: str, **extra) -> None:
    if not to.user.is_active:
        return
    outbox_add(
        key=f"mentoring:{request.pk}:{event}:{to.user_id}",
        kind=kind,
        to=to.user.email,
        context={
            "recipient_name": to.user.full_name,
            "mentor_name": request.mentor.user.full_name,
            "mentee_name": request.mentee.user.full_name,
            "path": _path(request),
            **extra,
        },
    )


@transaction.atomic
def mentoring_request_make(*, mentee: ClinicianProfile, offer: MentoringOffer, message: str) -> MentoringRequest:
    """Ask the offer's mentor to mentor the clinician; the mentor is emailed. Refused for oneself (a field error),
    a closed or full offer, or a second open request to the same mentor (conflicts)."""
    message = _text(
        message,
        field="message",
        limit=REQUEST_MESSAGE_MAX_LENGTH,
        what="a message to the mentor",
        required=True,
    )
    if offer.mentor_id == mentee.pk:
        raise DomainError("You cannot ask yourself to be your mentor", field="offer")
    # The offer's lock orders this against an acceptance or a change of capacity.
    offer = MentoringOffer.objects.select_for_update().select_related("mentor__user").get(pk=offer.pk)
    if not offer.is_open or not offer.mentor.account_active:
        raise DomainError(f"{offer.mentor.user.full_name} is not taking mentees at the moment", conflict=True)
    if offer.is_full:
        raise DomainError(
            f"{offer.mentor.user.full_name} already mentors as many people as they can at the moment", conflict=True
        )
    if MentoringRequest.objects.filter(mentor=offer.mentor, mentee=mentee, status__in=OPEN_MENTORING_STATUSES).exists():
        raise DomainError(_already_open(offer), conflict=True)
    try:
        with transaction.atomic():
            request = MentoringRequest.objects.create(offer=offer, mentor=offer.mentor, mentee=mentee, message=message)
    except IntegrityError as error:  # the same request made twice at once: the constraint keeps one
        raise DomainError(_already_open(offer), conflict=True) from error
    request.mentor, request.mentee = offer.mentor, mentee
    audit_record(actor=mentee.user, action="mentoring.requested", subject=request)
    _email(request, to=offer.mentor, kind="mentoring_requested", event="requested", message=message)
    return request


def _already_open(offer: MentoringOffer) -> str:
    return f"You already have a request or mentoring with {offer.mentor.user.full_name}"


def parties_of(user: User, request: MentoringRequest) -> set[str]:
    parties = set()
    if request.mentor.user_id == user.pk:
        parties.add(MENTOR)
    if request.mentee.user_id == user.pk:
        parties.add(MENTEE)
    return parties


def allowed_actions(user: User, request: MentoringRequest) -> list[str]:
    parties = parties_of(user, request)
    return [
        action
        for action in ACTIONS
        if (transition := TRANSITIONS.get((request.status, action))) is not None and transition[1] & parties
    ]


DONE_SUBJECT = {
    ACCEPT: ("mentoring.accepted", "mentoring_accepted"),
    DECLINE: ("mentoring.declined", "mentoring_declined"),
    WITHDRAW: ("mentoring.withdrawn", "mentoring_withdrawn"),
    END: ("mentoring.ended", "mentoring_ended"),
}


@transaction.atomic
def mentoring_request_act(*, user: User, request: MentoringRequest, action: str, reply: str = "") -> MentoringRequest:
    """Accept, decline, withdraw or end. The offer's row is locked first, then the request's: the state and the
    capacity are checked under the locks, so a request that changed meanwhile is a conflict that says what happened."""
    if action not in ACTIONS:
        raise DomainError("No such action", field="action")
    parties = parties_of(user, request)
    if not parties & PARTIES_FOR_ACTION[action]:
        raise PermissionDenied("You cannot do this to this mentoring request.")
    reply = _text(reply, field="reply", limit=REQUEST_REPLY_MAX_LENGTH, what="your reply", required=False)
    offer = MentoringOffer.objects.select_for_update().get(pk=request.offer_id)
    request = (
        MentoringRequest.objects.select_for_update(of=("self",))
        .select_related("mentor__user", "mentee__user")
        .get(pk=request.pk)
    )
    transition = TRANSITIONS.get((request.status, action))
    if transition is None:
        raise DomainError(f"This request is already {request.get_status_display().lower()}.", conflict=True)
    new_status, by = transition
    if not by & parties:
        raise PermissionDenied("You cannot do this to this mentoring request now.")
    now = timezone.now()
    if action == ACCEPT:
        if offer.is_full:
            raise DomainError(
                "You already mentor as many people as your offer says: end a mentoring relationship or take more "
                "mentees in your offer first",
                conflict=True,
            )
        offer.mentee_count += 1
        offer.save(update_fields=["mentee_count", "updated_at"])
    elif action == END:
        offer.mentee_count = max(offer.mentee_count - 1, 0)
        offer.save(update_fields=["mentee_count", "updated_at"])
    request.status = new_status
    if action in (ACCEPT, DECLINE, WITHDRAW):
        request.responded_at = now
    if action in (ACCEPT, DECLINE) and reply:
        request.reply = reply
    if action == END:
        request.ended_at, request.ended_by = now, user
    request.save()
    audit_action, kind = DONE_SUBJECT[action]
    audit_record(actor=user, action=audit_action, subject=request)
    # The other person hears of it.
    other = request.mentee if MENTOR in parties else request.mentor
    _email(request, to=other, kind=kind, event=action, ended_by=user.full_name, reply=reply)
    return request


def mentoring_accept(*, user: User, request: MentoringRequest, reply: str = "") -> MentoringRequest:
    return mentoring_request_act(user=user, request=request, action=ACCEPT, reply=reply)


def mentoring_decline(*, user: User, request: MentoringRequest, reply: str = "") -> MentoringRequest:
    return mentoring_request_act(user=user, request=request, action=DECLINE, reply=reply)


def mentoring_end(*, user: User, request: MentoringRequest) -> MentoringRequest:
    return mentoring_request_act(user=user, request=request, action=END)


def mentoring_erase(*, profile: ClinicianProfile) -> None:
    """A clinician deleting their account takes their offer and their requests (made and received) with them; the
    places their mentoring took are freed (talent.models.mentoring)."""
    MentoringRequest.objects.filter(Q(mentee=profile) | Q(mentor=profile)).delete()
    MentoringOffer.objects.filter(mentor=profile).delete()
