"""Reads of licence guidance (published to everyone; drafts to content editors only), the clinician's own
revalidation record and licence checkpoint, and the "licence at risk" counts for the HEE dashboard."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.permissions import Permission, user_can
from pathways.models import ROLE_LEVEL_RANK, LeadershipRole, RoleLevel
from pathways.selectors import listed_or_any_q
from regulators.models import (
    GuidanceEmailOptOut,
    GuidanceStatus,
    LicenceGuidanceVersion,
    Regulator,
    RevalidationRecord,
)
from regulators.revalidation import DUE_SOON_DAYS, StatusDisplay, revalidation_status
from talent.models import ClinicianProfile, InterestRecord, LeadershipExperience
from talent.selectors import profile_of

# A licence checkpoint appears from this level up (board and beyond): where clinicians most often stop practising.
CHECKPOINT_LEVELS = [
    level for level, rank in ROLE_LEVEL_RANK.items() if rank >= ROLE_LEVEL_RANK[RoleLevel.ORGANISATION]
]
# "In a leadership role" for the dashboard, as in the pipeline's last stage (DESIGN.md section 4).
LEADERSHIP_LEVELS = [level for level, rank in ROLE_LEVEL_RANK.items() if rank >= ROLE_LEVEL_RANK[RoleLevel.SERVICE]]


def own_regulator(user: User) -> Regulator | None:
    """The signed-in clinician's regulator, so their guidance can come first."""
    profile = profile_of(user) if user.is_authenticated else None
    return profile.regulator if profile is not None else None


def published_guidance() -> QuerySet[LicenceGuidanceVersion]:
    """The current version of every published guidance item."""
    return LicenceGuidanceVersion.objects.filter(status=GuidanceStatus.PUBLISHED).select_related("guidance__regulator")


def guidance_versions_visible_to(user: User) -> QuerySet[LicenceGuidanceVersion]:
    """Published and superseded versions for everyone; drafts too for content editors (as a preview)."""
    versions = LicenceGuidanceVersion.objects.select_related("guidance__regulator")
    if user_can(user, Permission.EDIT_CONTENT):
        return versions
    return versions.exclude(status=GuidanceStatus.DRAFT)


def applies_to_level_q(level: str) -> Q:
    """Guidance for a role level: it lists that level, or it lists no levels and no roles (it applies to all)."""
    return Q(role_levels__icontains=f'"{level}"') | Q(role_levels=[], roles__isnull=True)


def applies_to_role_q(role: LeadershipRole) -> Q:
    """Guidance for a role: it names the role, or it names no role and applies to the role's level. Guidance that
    names only other roles (a chief pharmacist's, for a medical director) does not apply."""
    return Q(roles=role) | (Q(roles__isnull=True) & applies_to_level_q(role.level))


def guidance_filtered(
    versions: QuerySet[LicenceGuidanceVersion],
    *,
    regulator: Regulator | None = None,
    level: str = "",
    role: LeadershipRole | None = None,
    topic: str = "",
    search: str = "",
) -> QuerySet[LicenceGuidanceVersion]:
    base = versions
    if regulator is not None:
        versions = versions.filter(guidance__regulator=regulator)
    if level:
        versions = versions.filter(applies_to_level_q(level))
    if role is not None:
        versions = versions.filter(applies_to_role_q(role))
    if topic:
        versions = versions.filter(listed_or_any_q("topics", topic) & ~Q(topics=[]))
    for word in search.split():
        versions = versions.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(body__icontains=word)
            | Q(senior_leaders__icontains=word)
            | Q(guidance__regulator__code__iexact=word)
        )
    if versions is base:
        return base
    # The M2M joins above can repeat a row; filtering by the ids keeps one row each (and the caller's ordering and
    # prefetches) without DISTINCT on text columns.
    return base.filter(pk__in=versions.values("pk"))


def own_regulator_first(versions: QuerySet[LicenceGuidanceVersion], regulator: Regulator | None):
    """A clinician's own regulator's guidance first, then the rest by regulator and title."""
    if regulator is None:
        return versions.order_by("guidance__regulator__code", "title", "pk")
    own = Case(When(guidance__regulator=regulator, then=Value(0)), default=Value(1), output_field=IntegerField())
    return versions.annotate(own_first=own).order_by("own_first", "guidance__regulator__code", "title", "pk")


def guidance_version_for(user: User, *, regulator_code: str, slug: str, number: int | None = None):
    """One version of a guidance item (the current one when no number), or 404 when it does not exist for this
    person (drafts for anyone but editors)."""
    versions = guidance_versions_visible_to(user).filter(
        guidance__regulator__code__iexact=regulator_code, guidance__slug=slug
    )
    if number is None:
        version = versions.filter(status=GuidanceStatus.PUBLISHED).first()
    else:
        version = versions.filter(number=number).first()
    if version is None:
        raise Http404("No such guidance.")
    return version


def guidance_history(user: User, version: LicenceGuidanceVersion) -> list[LicenceGuidanceVersion]:
    """Every version of the same item this person may read, newest first."""
    return list(guidance_versions_visible_to(user).filter(guidance_id=version.guidance_id).order_by("-number"))


# --- The clinician's own revalidation record and checkpoint ----------------------------------------------------------


def revalidation_record_of(profile: ClinicianProfile | None) -> RevalidationRecord | None:
    """The clinician's own record. There is no other way to read one: nobody sees another clinician's."""
    if profile is None:
        return None
    return RevalidationRecord.objects.filter(profile=profile).select_related("regulator").first()


def record_status(record: RevalidationRecord | None, today: date | None = None) -> StatusDisplay | None:
    if record is None:
        return None
    return revalidation_status(record.next_due_on, today or timezone.localdate())


@dataclass
class LicenceCheckpoint:
    """What a clinician aiming for (or in) a senior role needs to keep their licence."""

    regulator: Regulator
    roles: list[str]
    levels: list[str]
    guidance: list[LicenceGuidanceVersion]
    record: RevalidationRecord | None
    status: StatusDisplay | None
    level_labels: list[str] = field(default_factory=list)
    # Set on a pathway's page: the checkpoint speaks of the role the pathway leads to.
    pathway_role: LeadershipRole | None = None


def senior_roles_of(profile: ClinicianProfile, today: date) -> list[tuple[str, str]]:
    """(name, level) of the senior roles the clinician targets now (their latest interest record) or holds now.

    One query, as it runs on every visit to the clinician's home."""
    held = (
        LeadershipExperience.objects.filter(profile=profile, level__in=CHECKPOINT_LEVELS)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .annotate(name=F("role"), held=Value(True))
        .values_list("name", "level", "held")
        .order_by()  # SQLite refuses ORDER BY inside a UNION's parts; the rows are sorted below
    )
    rows = held
    # Recording interest always sets a horizon, so without one there are no target roles to look up.
    if profile.current_readiness_horizon:
        latest = InterestRecord.objects.filter(profile=profile).order_by("-recorded_at").values("pk")[:1]
        targeted = (
            LeadershipRole.objects.filter(
                level__in=CHECKPOINT_LEVELS,
                pk__in=InterestRecord.target_roles.through.objects.filter(interestrecord_id=Subquery(latest)).values(
                    "leadershiprole_id"
                ),
            )
            .annotate(held=Value(False))
            .values_list("name", "level", "held")
            .order_by()
        )
        rows = targeted.union(held, all=True)
    found = sorted(rows, key=lambda row: (row[2], row[0]))
    return [(f"{name} (your current role)" if is_held else name, level) for name, level, is_held in found]


def licence_checkpoint(profile: ClinicianProfile | None, *, today: date | None = None) -> LicenceCheckpoint | None:
    """The checkpoint for a clinician who targets or holds a role at organisation level or above; None otherwise.
    A pathway's page has its own (`licence_checkpoint_for_role`)."""
    if profile is None:
        return None
    today = today or timezone.localdate()
    roles = senior_roles_of(profile, today)
    if not roles:
        return None
    levels = sorted({level for _, level in roles}, key=ROLE_LEVEL_RANK.__getitem__)
    applies = Q(pk__in=[])
    for level in levels:
        applies |= applies_to_level_q(level)
    own = published_guidance().filter(guidance__regulator=profile.regulator_id)
    # By id, as the role join in `applies` would repeat guidance that lists several roles.
    guidance = list(own.filter(pk__in=own.filter(applies).values("pk")).order_by("title", "pk"))
    record = revalidation_record_of(profile)
    labels = dict(RoleLevel.choices)
    return LicenceCheckpoint(
        regulator=profile.regulator,
        roles=[name for name, _ in roles],
        levels=levels,
        level_labels=[labels[level].lower() for level in levels],
        guidance=guidance,
        record=record,
        status=record_status(record, today),
    )


def licence_checkpoint_for_role(
    profile: ClinicianProfile | None, role: LeadershipRole, *, today: date | None = None
) -> LicenceCheckpoint | None:
    """The checkpoint on a pathway's page: what keeping their licence would mean for this clinician in the role the
    pathway leads to, when that role is at organisation level or above; None otherwise."""
    if profile is None or role.level not in CHECKPOINT_LEVELS:
        return None
    own = published_guidance().filter(guidance__regulator=profile.regulator_id)
    # By id, as the role join would repeat guidance that lists several roles.
    guidance = list(own.filter(pk__in=own.filter(applies_to_role_q(role)).values("pk")).order_by("title", "pk"))
    record = revalidation_record_of(profile)
    return LicenceCheckpoint(
        regulator=profile.regulator,
        roles=[role.name],
        levels=[role.level],
        level_labels=[RoleLevel(role.level).label.lower()],
        guidance=guidance,
        record=record,
        status=record_status(record, today or timezone.localdate()),
        pathway_role=role,
    )


# --- Guidance changes for clinicians -------------------------------------------------------------------------------

# How long a change stays on the clinician's home.
GUIDANCE_CHANGES_SHOWN_DAYS = 28


@dataclass(frozen=True)
class GuidanceChange:
    """A guidance item that changed: its newest version and the version before the change, to compare."""

    version: LicenceGuidanceVersion
    from_number: int

    @property
    def regulator_code(self) -> str:
        return self.version.guidance.regulator.code


def changed_guidance(*, since: datetime, until: datetime | None = None) -> QuerySet[LicenceGuidanceVersion]:
    """Versions that replaced an earlier one and were published in the period (still current or since replaced),
    each with the number of the version published before it. A first version is new guidance, not a change."""
    earlier = LicenceGuidanceVersion.objects.filter(
        guidance=OuterRef("guidance"),
        number__lt=OuterRef("number"),
        status__in=[GuidanceStatus.PUBLISHED, GuidanceStatus.SUPERSEDED],
    ).order_by("-number")
    versions = LicenceGuidanceVersion.objects.filter(
        status__in=[GuidanceStatus.PUBLISHED, GuidanceStatus.SUPERSEDED], published_at__gte=since
    )
    if until is not None:
        versions = versions.filter(published_at__lt=until)
    return (
        versions.annotate(previous_number=Subquery(earlier.values("number")[:1]))
        .filter(previous_number__isnull=False)
        .select_related("guidance__regulator")
        .order_by("guidance__regulator__code", "title", "number")
    )


def guidance_changes_grouped(versions) -> list[GuidanceChange]:
    """One change per item: its newest version in the period, compared with the version before the first."""
    by_item: dict[int, GuidanceChange] = {}
    for version in versions:
        known = by_item.get(version.guidance_id)
        if known is None:
            by_item[version.guidance_id] = GuidanceChange(version=version, from_number=version.previous_number)
        else:
            newest = version if version.number > known.version.number else known.version
            by_item[version.guidance_id] = GuidanceChange(
                version=newest, from_number=min(known.from_number, version.previous_number)
            )
    return sorted(by_item.values(), key=lambda change: (change.regulator_code, change.version.title))


def applies_to_levels(version: LicenceGuidanceVersion, levels: set[str]) -> bool:
    """Guidance that lists no levels applies to every level (as `applies_to_level_q`)."""
    return not version.role_levels or bool(set(version.role_levels) & levels)


def _latest_interest_record(profile_ref) -> Subquery:
    return Subquery(InterestRecord.objects.filter(profile=profile_ref).order_by("-recorded_at").values("pk")[:1])


def clinician_role_levels(profile: ClinicianProfile, today: date | None = None) -> set[str]:
    """The levels of the roles the clinician aims for (their latest interest record) or holds now: the guidance
    for those levels is theirs."""
    today = today or timezone.localdate()
    held = LeadershipExperience.objects.filter(profile=profile).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    targeted = LeadershipRole.objects.filter(
        pk__in=InterestRecord.target_roles.through.objects.filter(
            interestrecord_id=_latest_interest_record(profile.pk)
        ).values("leadershiprole_id")
    )
    levels = held.values_list("level", flat=True).order_by().union(targeted.values_list("level", flat=True).order_by())
    return set(levels)


def guidance_changes_for(profile: ClinicianProfile | None, *, now: datetime | None = None) -> list[GuidanceChange]:
    """Recent changes to the guidance of the clinician's regulator for their role levels, for their home."""
    if profile is None:
        return []
    now = now or timezone.now()
    versions = list(
        changed_guidance(since=now - timedelta(days=GUIDANCE_CHANGES_SHOWN_DAYS)).filter(
            guidance__regulator_id=profile.regulator_id
        )
    )
    if not versions:
        return []  # the usual case: no level lookups
    levels = clinician_role_levels(profile, timezone.localdate(now))
    return guidance_changes_grouped(version for version in versions if applies_to_levels(version, levels))


def clinicians_concerned_by(*, regulator_id: int, levels: list[str] | None, today: date) -> QuerySet[ClinicianProfile]:
    """Clinicians with an active account and this regulator who have not opted out of the emails, and who aim for
    or hold a role at one of the levels (every one of them when `levels` is None: guidance for every level)."""
    profiles = ClinicianProfile.objects.filter(regulator_id=regulator_id, user__is_active=True).exclude(
        Exists(GuidanceEmailOptOut.objects.filter(profile=OuterRef("pk")))
    )
    if levels is None:
        return profiles
    held = LeadershipExperience.objects.filter(profile=OuterRef("pk"), level__in=levels).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    targeted = InterestRecord.target_roles.through.objects.filter(
        interestrecord_id=_latest_interest_record(OuterRef(OuterRef("pk"))), leadershiprole__level__in=levels
    )
    return profiles.filter(Exists(held) | Exists(targeted))


def wants_guidance_emails(profile: ClinicianProfile) -> bool:
    return not GuidanceEmailOptOut.objects.filter(profile=profile).exists()


# --- HEE dashboard ---------------------------------------------------------------------------------------------------


def licence_at_risk_counts(
    profiles: QuerySet[ClinicianProfile], today: date | None = None, *, all_in_role: bool = False
) -> dict:
    """Among the given clinicians who are in a leadership role now (service level or above), how many have their
    revalidation overdue, and how many due within 90 days. One query; the caller's queryset sets the scope.
    `all_in_role`: the caller has already limited the profiles to those in such a role (the talent pipeline, from
    its roll-up placement), so the role check is not repeated.

    Returns {"in_leadership_roles", "overdue", "due_soon", "at_risk", "without_date"}."""
    today = today or timezone.localdate()
    leaders = profiles
    if not all_in_role:
        # Started (a role may be recorded up to a year ahead of its start) and not ended.
        in_role = LeadershipExperience.objects.filter(
            profile=OuterRef("pk"), level__in=LEADERSHIP_LEVELS, start_date__lte=today
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        leaders = profiles.filter(Exists(in_role))
    due = "revalidation_record__next_due_on"
    counts = leaders.aggregate(
        in_leadership_roles=Count("pk"),
        overdue=Count("pk", filter=Q(**{f"{due}__lt": today})),
        due_soon=Count("pk", filter=Q(**{f"{due}__gte": today, f"{due}__lte": today + timedelta(days=DUE_SOON_DAYS)})),
        without_date=Count("pk", filter=Q(revalidation_record__isnull=True)),
    )
    counts["at_risk"] = counts["overdue"] + counts["due_soon"]
    return counts


def revalidation_record_export(profile: ClinicianProfile) -> dict | None:
    """The clinician's own record for "Download all your data" (JSON-ready), or None."""
    record = revalidation_record_of(profile)
    if record is None:
        return None
    return {
        "regulator": record.regulator.code,
        "last_revalidated_on": record.last_revalidated_on.isoformat() if record.last_revalidated_on else None,
        "next_due_on": record.next_due_on.isoformat(),
        "designated_body": record.designated_body,
        "responsible_officer": record.responsible_officer,
        "confirmer": record.confirmer,
        "clinical_practice": record.clinical_practice,
        "updated_at": record.updated_at.isoformat(),
    }
