"""Writes for licence guidance (publishing versions) and revalidation records (and their reminders)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import OutboxMessage, User
from accounts.outbox import outbox_add, outbox_context_builder
from config.db import batches
from config.errors import DomainError
from regulators.models import GuidanceStatus, LicenceGuidance, LicenceGuidanceVersion, RevalidationRecord
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
    version.save(update_fields=["status", "published_at", "updated_at"])
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


# --- Data rights -----------------------------------------------------------------------------------------------------


def revalidation_record_erase(*, profile: ClinicianProfile) -> int:
    """For account deletion: the record names other people (responsible officer, confirmer), so it goes entirely.
    Call inside the deletion's transaction."""
    deleted, _ = RevalidationRecord.objects.filter(profile=profile).delete()
    return deleted
