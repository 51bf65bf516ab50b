"""Writes for licence guidance (publishing versions) and revalidation records (and their reminders)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import OutboxMessage, User
from accounts.outbox import OwedEmail, outbox_add, outbox_add_many, outbox_context_builder
from config.db import batches
from config.errors import DomainError
from regulators import selectors
from regulators.models import (
    GuidanceChangeDigest,
    GuidanceEmailOptOut,
    GuidanceStatus,
    LicenceGuidance,
    LicenceGuidanceVersion,
    RevalidationRecord,
)
from regulators.revalidation import add_months, next_due_from, reminder_stage, revalidation_status
from talent.models import ClinicianProfile

# --- Guidance --------------------------------------------------------------------------------------------------------

COPIED_FIELDS = [
    "title",
    "summary",
    "body",
    "senior_leaders",
    "topics",
    "role_levels",
    "source_url",
]


def _lock_item(version: LicenceGuidanceVersion) -> None:
    """Changes to one item's versions take turns: two editors at once would otherwise both number a new draft the
    same, or both publish, and the second would fail on a database rule instead of hearing why."""
    LicenceGuidance.objects.select_for_update().filter(pk=version.guidance_id).first()


@transaction.atomic
def guidance_version_publish(*, version: LicenceGuidanceVersion, actor: User | None) -> LicenceGuidanceVersion:
    """Publish a draft. The version published before it (if any) becomes superseded: still readable, with a notice.
    Publishing an older draft than the current version is refused, so the numbers always say which is newer."""
    _lock_item(version)
    version = LicenceGuidanceVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != GuidanceStatus.DRAFT:
        raise DomainError("Only a draft can be published.", conflict=True)
    try:
        version.full_clean()
    except ValidationError as error:
        raise DomainError("; ".join(error.messages)) from error
    now = timezone.now()
    current = (
        LicenceGuidanceVersion.objects.select_for_update()
        .filter(guidance_id=version.guidance_id, status=GuidanceStatus.PUBLISHED)
        .first()
    )
    if current is not None:
        if current.number > version.number:
            raise DomainError(
                f"Version {current.number} is already published and is newer than this draft.", conflict=True
            )
        current.status = GuidanceStatus.SUPERSEDED
        current.superseded_at = now
        current.save(update_fields=["status", "superseded_at", "updated_at"])
        audit_record(actor=actor, action="licence_guidance.supersede", subject=current)
    version.status = GuidanceStatus.PUBLISHED
    version.published_at = now
    fields = ["status", "published_at", "updated_at"]
    if version.last_reviewed_on is None:
        # Every published page says when it was last reviewed. A new draft starts unreviewed (it must not claim the
        # old version's review); the editor who publishes it has reviewed it, so publishing is its review.
        version.last_reviewed_on = timezone.localdate()
        version.reviewed_by = actor
        fields += ["last_reviewed_on", "reviewed_by"]
    version.save(update_fields=fields)
    audit_record(actor=actor, action="licence_guidance.publish", subject=version)
    return version


@transaction.atomic
def guidance_version_unpublish(*, version: LicenceGuidanceVersion, actor: User | None) -> LicenceGuidanceVersion:
    """Take the current version off the site (back to draft). Superseded versions stay as they were."""
    _lock_item(version)
    version = LicenceGuidanceVersion.objects.get(pk=version.pk)
    if version.status != GuidanceStatus.PUBLISHED:
        raise DomainError("Only the published version can be returned to draft.", conflict=True)
    version.status = GuidanceStatus.DRAFT
    version.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="licence_guidance.unpublish", subject=version)
    return version


@transaction.atomic
def guidance_version_start_next(*, version: LicenceGuidanceVersion, actor: User | None) -> LicenceGuidanceVersion:
    """A new draft copying the newest version of the item, numbered after it, for an editor to change."""
    _lock_item(version)
    newest = LicenceGuidanceVersion.objects.filter(guidance_id=version.guidance_id).order_by("-number").first()
    if newest.status == GuidanceStatus.DRAFT:
        raise DomainError(f"Version {newest.number} is already a draft: change that one.", conflict=True)
    # A new draft has not been reviewed yet, so it does not inherit the review; the model requires an effective-from
    # date, so it starts as today for the editor to change.
    draft = LicenceGuidanceVersion(
        guidance_id=version.guidance_id,
        number=newest.number + 1,
        effective_from=timezone.localdate(),
        last_reviewed_on=None,
        reviewed_by=None,
    )
    for name in COPIED_FIELDS:
        setattr(draft, name, getattr(newest, name))
    draft.save()
    draft.roles.set(newest.roles.all())
    audit_record(actor=actor, action="licence_guidance.draft", subject=draft)
    return draft


# --- Revalidation records --------------------------------------------------------------------------------------------

GMC_ONLY = {"designated_body": "a designated body", "responsible_officer": "a responsible officer"}
NMC_ONLY = {"confirmer": "a confirmer"}


@dataclass(frozen=True)
class RevalidationAnswers:
    last_revalidated_on: date | None = None
    next_due_on: date | None = None
    designated_body: str = ""
    responsible_officer: str = ""
    confirmer: str = ""
    clinical_practice: str = ""


def revalidation_problems(*, regulator, answers: RevalidationAnswers, today: date) -> dict[str, str]:
    """Every problem with the answers, field by field (the form shows them all; the service refuses the first)."""
    problems: dict[str, str] = {}
    cycle = regulator.revalidation_cycle_months
    cycle_words = f"{cycle // 12} year{'s' if cycle != 12 else ''}" if cycle % 12 == 0 else f"{cycle} months"
    last, due = answers.last_revalidated_on, answers.next_due_on
    if last is None and due is None:
        problems["last_revalidated_on"] = (
            "Enter one of the two dates: when you last revalidated or renewed, or when your next one is due"
        )
    if last is not None:
        if last > today:
            problems["last_revalidated_on"] = (
                "The date of your last revalidation or renewal must be today or in the past"
            )
        elif last < add_months(today, -cycle):
            problems["last_revalidated_on"] = (
                f"The date of your last revalidation or renewal must be within the last {cycle_words}: "
                f"{regulator.code} cycles are {cycle_words} long"
            )
    if due is not None:
        if due < add_months(today, -cycle):
            problems["next_due_on"] = f"Your next due date cannot be more than {cycle_words} ago"
        elif due > add_months(today, cycle):
            problems["next_due_on"] = (
                f"Your next due date must be within {cycle_words} from today: {regulator.code} cycles are "
                f"{cycle_words} long"
            )
        elif last is not None and "last_revalidated_on" not in problems and due <= last:
            problems["next_due_on"] = "Your next due date must be after your last revalidation or renewal"
    if regulator.code != "GMC":
        for name, words in GMC_ONLY.items():
            if getattr(answers, name).strip():
                problems[name] = f"Only doctors (GMC) have {words}: leave this empty"
    if regulator.code != "NMC":
        for name, words in NMC_ONLY.items():
            if getattr(answers, name).strip():
                problems[name] = f"Only nurses, midwives and nursing associates (NMC) have {words}: leave this empty"
    return problems


@transaction.atomic
def revalidation_record_save(
    *, profile: ClinicianProfile, answers: RevalidationAnswers, today: date | None = None
) -> RevalidationRecord:
    """Create or change the clinician's own record. The next due date is the one they give, or one cycle of their
    regulator after their last revalidation or renewal."""
    today = today or timezone.localdate()
    regulator = profile.regulator
    problems = revalidation_problems(regulator=regulator, answers=answers, today=today)
    if problems:
        field, message = next(iter(problems.items()))
        raise DomainError(message, field=field)
    # Lock the profile, not only the record: before the first save there is no record row to lock, and two
    # requests at once (a double submit) would both insert and the second would fail on the one-per-clinician rule.
    ClinicianProfile.objects.select_for_update().only("pk").get(pk=profile.pk)
    record = RevalidationRecord.objects.select_for_update().filter(profile=profile).first()
    created = record is None
    record = record or RevalidationRecord(profile=profile)
    record.regulator = regulator
    record.last_revalidated_on = answers.last_revalidated_on
    record.next_due_on = answers.next_due_on or next_due_from(
        answers.last_revalidated_on, regulator.revalidation_cycle_months
    )
    record.designated_body = answers.designated_body.strip()
    record.responsible_officer = answers.responsible_officer.strip()
    record.confirmer = answers.confirmer.strip()
    record.clinical_practice = answers.clinical_practice.strip()
    record.full_clean(exclude=["profile"] if created else None)
    record.save()
    audit_record(
        actor=profile.user,
        action="revalidation.record" if created else "revalidation.change",
        subject=record,
        detail={"next_due_on": record.next_due_on.isoformat()},
    )
    return record


# --- Reminders -------------------------------------------------------------------------------------------------------

REMINDER_KIND = "revalidation_reminder"


def reminder_key(record: RevalidationRecord, stage: str) -> str:
    """One reminder per record, due date and stage: a changed due date starts afresh; the same day twice does not."""
    return f"revalidation:{record.pk}:{record.next_due_on.isoformat()}:{stage}"


@transaction.atomic
def revalidation_reminders_send(*, today: date | None = None) -> int:
    """Owe the reminders due today (90 and 30 days before, and once overdue). Safe to run any number of times a day:
    each reminder's outbox key is written once. Returns how many new reminders were written."""
    today = today or timezone.localdate()
    # Overdue records stop getting reminders after one cycle of the longest regulator (they will have updated or
    # left); this bounds the daily scan.
    records = list(
        RevalidationRecord.objects.filter(
            next_due_on__lte=today + timedelta(days=90),
            next_due_on__gte=add_months(today, -60),
            profile__user__is_active=True,
        ).select_related("profile__user", "regulator")
    )
    wanted = {}
    for record in records:
        stage = reminder_stage(record.next_due_on, today)
        if stage is not None:
            wanted[reminder_key(record, stage)] = (record, stage)
    already = set()
    for keys in batches(wanted):  # one statement may carry at most 65,535 values (config.db)
        already.update(OutboxMessage.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", flat=True))
    written = 0
    for key, (record, stage) in wanted.items():
        if key in already:
            continue
        outbox_add(
            key=key,
            kind=REMINDER_KIND,
            to=record.profile.user.email,
            context={
                "record_id": str(record.pk),
                "next_due_on": record.next_due_on.isoformat(),
                "stage": stage,
                "path": reverse("regulators:show_revalidation"),
            },
        )
        written += 1
    return written


@outbox_context_builder(REMINDER_KIND)
def reminder_context(context: dict) -> dict | None:
    """At send time: skip the reminder if the clinician has since changed their due date or left."""
    record = (
        RevalidationRecord.objects.filter(pk=context["record_id"], profile__user__is_active=True)
        .select_related("profile__user", "regulator")
        .first()
    )
    if record is None or record.next_due_on.isoformat() != context["next_due_on"]:
        return None
    status = revalidation_status(record.next_due_on, timezone.localdate())
    return {
        **context,
        "name": record.profile.user.get_short_name(),
        "regulator_code": record.regulator.code,
        "regulator_name": record.regulator.name,
        "regulator_website": record.regulator.website,
        "next_due_on": record.next_due_on,
        "status_label": status.label,
        "explanation": status.explanation,
    }


# --- Telling clinicians when their guidance changes ------------------------------------------------------------------

GUIDANCE_CHANGES_KIND = "guidance_changes"
DIGEST_BATCH = 2000


@transaction.atomic
def guidance_emails_choose(*, profile: ClinicianProfile, wanted: bool) -> None:
    """The clinician's choice of the weekly email about changes to their guidance (the home shows them anyway)."""
    if wanted:
        deleted, _ = GuidanceEmailOptOut.objects.filter(profile=profile).delete()
        changed = bool(deleted)
    else:
        _, changed = GuidanceEmailOptOut.objects.get_or_create(profile=profile)
    if changed:
        audit_record(
            actor=profile.user,
            action="guidance_emails.opt_in" if wanted else "guidance_emails.opt_out",
            subject=profile,
        )


def week_starting(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def guidance_change_key(*, week: date, profile_id) -> str:
    """One email per clinician per week of changes, however often the weekly job runs."""
    return f"guidance-changes:{week.isoformat()}:{profile_id}"


def guidance_change_emails_send(*, today: date | None = None) -> int:
    """Owe each clinician one email about last week's changes to the guidance of their regulator and role levels,
    unless they opted out. The week before is caught up too, should the job not have run then. A week is done
    once: its digest row is written once its emails are owed, so running this again (daily, or twice at once) owes
    nothing more, and each email's key is written once whatever happens. Returns how many emails were written."""
    today = today or timezone.localdate()
    this_week = week_starting(today)
    written = 0
    for week in (this_week - timedelta(days=14), this_week - timedelta(days=7)):
        written += _guidance_change_week_send(week=week, today=today)
    return written


def _guidance_change_week_send(*, week: date, today: date) -> int:
    if GuidanceChangeDigest.objects.filter(week_starting=week).exists():
        return 0
    versions = list(
        selectors.changed_guidance(since=_local_midnight(week), until=_local_midnight(week + timedelta(days=7)))
    )
    # Who each version concerns: one query per regulator and set of levels (a week has few).
    groups: dict[tuple[int, tuple[str, ...] | None], list[LicenceGuidanceVersion]] = {}
    for version in versions:
        levels = tuple(sorted(version.role_levels)) or None
        groups.setdefault((version.guidance.regulator_id, levels), []).append(version)
    owed: dict = {}  # profile id -> (email, version ids)
    for (regulator_id, levels), group in groups.items():
        recipients = selectors.clinicians_concerned_by(
            regulator_id=regulator_id, levels=list(levels) if levels else None, today=today
        ).values_list("pk", "user__email")
        for profile_id, email in recipients.iterator(chunk_size=DIGEST_BATCH):
            owed.setdefault(profile_id, (email, []))[1].extend(version.pk for version in group)
    written = 0
    items = list(owed.items())
    # In batches, each its own transaction, so a week for a whole register does not hold one long transaction;
    # the keys make a batch written twice (a run that died before the digest row) harmless.
    for start in range(0, len(items), DIGEST_BATCH):
        with transaction.atomic():
            written += outbox_add_many(
                [
                    OwedEmail(
                        key=guidance_change_key(week=week, profile_id=profile_id),
                        kind=GUIDANCE_CHANGES_KIND,
                        to=email,
                        context={
                            "profile_id": str(profile_id),
                            "version_ids": sorted(set(version_ids)),
                            "week_starting": week.isoformat(),
                        },
                    )
                    for profile_id, (email, version_ids) in items[start : start + DIGEST_BATCH]
                ]
            )
    with transaction.atomic():
        digest, created = GuidanceChangeDigest.objects.get_or_create(
            week_starting=week, defaults={"emails_owed": len(owed)}
        )
        if created:
            digest.versions.set(versions)
    return written


@outbox_context_builder(GUIDANCE_CHANGES_KIND)
def guidance_changes_context(context: dict) -> dict | None:
    """At send time: not sent to a clinician who has since opted out or left."""
    profile = (
        ClinicianProfile.objects.filter(pk=context["profile_id"], user__is_active=True).select_related("user").first()
    )
    if profile is None or not selectors.wants_guidance_emails(profile):
        return None
    week = date.fromisoformat(context["week_starting"])
    versions = selectors.changed_guidance(
        since=_local_midnight(week), until=_local_midnight(week + timedelta(days=7))
    ).filter(pk__in=context["version_ids"])
    changes = [
        {
            "title": change.version.title,
            "regulator_code": change.regulator_code,
            "path": reverse(
                "regulators:show_guidance_changes",
                kwargs={"regulator": change.regulator_code.lower(), "slug": change.version.guidance.slug},
            )
            + f"?from={change.from_number}&to={change.version.number}",
        }
        for change in selectors.guidance_changes_grouped(versions)
    ]
    if not changes:
        return None
    return {
        **context,
        "name": profile.user.get_short_name(),
        "week_starting": week,
        "changes": changes,
        "settings_path": reverse("regulators:edit_guidance_emails"),
    }


# --- Data rights -----------------------------------------------------------------------------------------------------


def revalidation_record_erase(*, profile: ClinicianProfile) -> int:
    """For account deletion: the record names other people (responsible officer, confirmer), so it goes entirely.
    Call inside the deletion's transaction."""
    deleted, _ = RevalidationRecord.objects.filter(profile=profile).delete()
    return deleted
