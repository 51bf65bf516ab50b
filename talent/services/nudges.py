"""Nudges to training bodies (DESIGN.md sections 4 and 5): on each body's schedule, one digest of the consenting
clinicians affiliated to it who showed early interest in leadership, with the open opportunities each is eligible
for, emailed to the body's admins and contact addresses through the outbox.

The dispatcher runs hourly and decides itself which bodies have a period due, so running it again, or two at once,
creates nothing twice: it holds a PostgreSQL advisory lock while it decides and builds, and the database allows
one nudge per body and period end. Its queries grow with the number of bodies, not of clinicians: one for the
bodies, one for the signals of the period (with the profile fields eligibility needs), one for the open
opportunities; eligibility is then checked in Python, once per distinct profile shape.
"""

import hashlib
from collections import defaultdict
from datetime import datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts.models import NudgeFrequency, Role, TrainingBody, TrainingBodyMembership
from accounts.outbox import OwedEmail, outbox_add_many, outbox_context_builder
from pathways.selectors import eligibility_for, open_opportunities
from talent.models import ClinicianProfile, EarlyInterestSignal, Nudge, NudgeEntry, SignalKind
from talent.services.followups import follow_ups_open

# An arbitrary constant naming the dispatcher's lock (pg_advisory_xact_lock takes a bigint).
DISPATCH_LOCK = 6_020_001
ENTRY_BATCH = 2000


def nudge_period(*, frequency: str, now: datetime) -> tuple[datetime, datetime] | None:
    """The latest complete period for a frequency, in local (UK) time: daily, yesterday midnight to midnight;
    weekly, Monday to Monday. None when nudges are off."""
    today = timezone.localtime(now).date()
    if frequency == NudgeFrequency.DAILY:
        end, start = today, today - timedelta(days=1)
    elif frequency == NudgeFrequency.WEEKLY:
        end = today - timedelta(days=today.weekday())
        start = end - timedelta(days=7)
    else:
        return None
    return _midnight(start), _midnight(end)


def _midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def advisory_lock(key: int = DISPATCH_LOCK) -> None:
    """Wait for, then hold until commit, a lock only other dispatchers take (SQLite, for `make run`, has one
    writer anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _due_bodies(now: datetime) -> dict[int, tuple[TrainingBody, datetime, datetime]]:
    """Bodies whose latest period has no nudge yet, with that period. A period starts no earlier than the end of
    the body's last nudge, so changing frequency never reports a signal twice."""
    bodies = (
        TrainingBody.objects.exclude(nudge_frequency=NudgeFrequency.OFF)
        .annotate(last_end=Max("nudges__period_end"))
        .only("id", "name", "slug", "nudge_frequency", "contact_emails")
        .order_by("pk")  # the same order every run: one body already nudged never changes what the others get
    )
    due = {}
    for body in bodies:
        start, end = nudge_period(frequency=body.nudge_frequency, now=now)
        if body.last_end is not None:
            if body.last_end >= end:
                continue
            start = max(start, body.last_end)
        due[body.pk] = (body, start, end)
    return due


def _signals_by_body(due: dict) -> dict[int, dict]:
    """body id -> profile id -> {"shape": what eligibility needs, "signals": [...]}, for consenting, active clinicians
    affiliated to the body, with signals inside the body's period."""
    if not due:
        return {}
    earliest = min(start for _, start, _ in due.values())
    latest = max(end for _, _, end in due.values())
    rows = (
        EarlyInterestSignal.objects.filter(
            created_at__gte=earliest,
            created_at__lt=latest,
            profile__training_body_id__in=list(due),
            profile__shares_with_training_body=True,
            profile__user__is_active=True,
        )
        .order_by("created_at")
        .values_list(
            "profile_id",
            "profile__training_body_id",
            "kind",
            "created_at",
            "profile__profession",
            "profile__career_stage",
            "profile__specialty_training_year",
            "profile__first_registration_year",
        )
    )
    found: dict[int, dict] = defaultdict(dict)
    for profile_id, body_id, kind, created_at, *shape in rows.iterator(2000):
        _, start, end = due[body_id]
        if not start <= created_at < end:
            continue
        entry = found[body_id].get(profile_id)
        if entry is None:
            entry = found[body_id][profile_id] = {"shape": tuple(shape), "signals": []}
        entry["signals"].append({"kind": kind, "at": created_at.isoformat()})
    return found


class EligibleOpportunities:
    """Open opportunities a clinician is eligible for, checked once per distinct profile shape (profession, stage,
    ST year, registration year): a few hundred shapes however many clinicians."""

    def __init__(self, today) -> None:
        self.today = today
        self.opportunities = list(open_opportunities(today).order_by("closes_on", "title"))
        self.cache: dict[tuple, list[dict]] = {}

    def for_shape(self, shape: tuple) -> list[dict]:
        if shape not in self.cache:
            profession, stage, st_year, first_year = shape
            profile = ClinicianProfile(
                profession=profession,
                career_stage=stage,
                specialty_training_year=st_year,
                first_registration_year=first_year,
            )
            self.cache[shape] = [
                {"id": str(o.pk), "title": o.title, "slug": o.slug}
                for o in self.opportunities
                if eligibility_for(opportunity=o, profile=profile, today=self.today).eligible
            ]
        return self.cache[shape]

    def __call__(self, profile: ClinicianProfile) -> list[dict]:
        return self.for_shape(
            (profile.profession, profile.career_stage, profile.specialty_training_year, profile.first_registration_year)
        )


def _entries_insert(rows: list[tuple]) -> None:
    """Insert (nudge id, profile id, signals, opportunities) rows, a batch per statement."""
    NudgeEntry.objects.bulk_create(
        [NudgeEntry(nudge_id=n, profile_id=p, signals=s, opportunities=o) for n, p, s, o in rows],
        batch_size=ENTRY_BATCH,
    )


def training_body_recipients(bodies: dict[int, TrainingBody]) -> dict[int, list[str]]:
    """Each body's admins and contact addresses, without repeats."""
    found: dict[int, dict[str, str]] = {pk: {} for pk in bodies}
    memberships = TrainingBodyMembership.objects.filter(
        training_body_id__in=list(bodies), user__is_active=True, user__role=Role.TRAINING_BODY_ADMIN
    ).values_list("training_body_id", "user__email")
    for body_id, email in memberships.order_by("user__email"):
        found[body_id].setdefault(email.lower(), email)
    for body_id, body in bodies.items():
        for email in body.contact_email_list:
            found[body_id].setdefault(email.lower(), email)
    return {body_id: list(emails.values()) for body_id, emails in found.items()}


def recipient_key(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()[:20]


@transaction.atomic
def nudges_dispatch(*, now: datetime | None = None) -> list[Nudge]:
    """Build the nudges now due (one per body and period, only for bodies with something to say) and owe their
    emails. Returns the nudges built by this call."""
    now = now or timezone.now()
    advisory_lock()
    due = _due_bodies(now)
    found = _signals_by_body(due)
    if not found:
        return []
    eligible = EligibleOpportunities(timezone.localdate(now))
    nudges, entries = [], []
    for body_id, clinicians in found.items():
        body, start, end = due[body_id]
        nudge = Nudge(
            training_body_id=body_id, frequency=body.nudge_frequency, period_start=start, period_end=end, created_at=now
        )
        nudges.append(nudge)
        entries += [
            (nudge.pk, profile_id, item["signals"], eligible.for_shape(item["shape"]))
            for profile_id, item in clinicians.items()
        ]
    Nudge.objects.bulk_create(nudges)
    _entries_insert(entries)
    # Each clinician named is now the body's to follow up, in this transaction: no nudge without its follow-ups.
    body_of = {nudge.pk: nudge.training_body_id for nudge in nudges}
    follow_ups_open(rows=[(body_of[nudge_id], profile_id, nudge_id) for nudge_id, profile_id, *_ in entries], now=now)
    recipients = training_body_recipients({n.training_body_id: due[n.training_body_id][0] for n in nudges})
    outbox_add_many(
        [
            OwedEmail(
                key=f"nudge:{nudge.pk}:{recipient_key(email)}",
                kind="nudge",
                to=email,
                context={
                    "nudge_id": str(nudge.pk),
                    "path": reverse("talent:show_nudge", kwargs={"nudge_id": nudge.pk}),
                },
            )
            for nudge in nudges
            for email in recipients[nudge.training_body_id]
        ]
    )
    return nudges


def _still_shares(profile: ClinicianProfile, body_id: int) -> bool:
    return profile.shares_with_training_body and profile.training_body_id == body_id and profile.user.is_active


@outbox_context_builder("nudge")
def nudge_email_context(context: dict) -> dict | None:
    """At send time: only the clinicians who still share their record with the body are named; the others are
    counted. Nothing is sent when nobody is left."""
    nudge = Nudge.objects.select_related("training_body").filter(pk=context.get("nudge_id")).first()
    if nudge is None:
        return None
    entries = list(nudge.entries.select_related("profile__user").order_by("profile__user__full_name", "pk"))
    shown = [entry for entry in entries if _still_shares(entry.profile, nudge.training_body_id)]
    if not shown:
        return None
    return {
        **context,
        "training_body_name": nudge.training_body.name,
        "period_start": timezone.localtime(nudge.period_start).date(),
        "period_end": timezone.localtime(nudge.period_end).date() - timedelta(days=1),
        "frequency": nudge.frequency,
        "clinicians": [_entry_context(entry) for entry in shown],
        "left_out": len(entries) - len(shown),
    }


def signal_label(kind: str) -> str:
    return SignalKind(kind).label if kind in SignalKind.values else kind


def _entry_context(entry: NudgeEntry) -> dict:
    profile = entry.profile
    return {
        "name": profile.user.full_name,
        "profession": profile.get_profession_display(),
        "stage": profile.career_stage_label,
        "did": sorted({signal_label(signal["kind"]) for signal in entry.signals}),
        "opportunities": [opportunity["title"] for opportunity in entry.opportunities],
        "record_path": reverse("talent:show_clinician", kwargs={"profile_id": profile.pk}),
        "nominate_path": f"{reverse('talent:nominate_clinician')}?clinician={profile.pk}",
    }
