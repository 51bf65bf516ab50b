"""Professional regulators and the clinical professions they register."""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from pathways.models import RoleLevel


class Profession(models.TextChoices):
    DOCTOR = "doctor", "Doctor"
    NURSE = "nurse", "Nurse"
    MIDWIFE = "midwife", "Midwife"
    NURSING_ASSOCIATE = "nursing_associate", "Nursing associate"
    # The HCPC's allied health professions (and others it registers); prefix of the registration number in brackets.
    ARTS_THERAPIST = "arts_therapist", "Arts therapist"
    BIOMEDICAL_SCIENTIST = "biomedical_scientist", "Biomedical scientist"
    PODIATRIST = "podiatrist", "Chiropodist or podiatrist"
    CLINICAL_SCIENTIST = "clinical_scientist", "Clinical scientist"
    DIETITIAN = "dietitian", "Dietitian"
    HEARING_AID_DISPENSER = "hearing_aid_dispenser", "Hearing aid dispenser"
    OCCUPATIONAL_THERAPIST = "occupational_therapist", "Occupational therapist"
    OPERATING_DEPARTMENT_PRACTITIONER = "operating_department_practitioner", "Operating department practitioner"
    ORTHOPTIST = "orthoptist", "Orthoptist"
    PARAMEDIC = "paramedic", "Paramedic"
    PHYSIOTHERAPIST = "physiotherapist", "Physiotherapist"
    PRACTITIONER_PSYCHOLOGIST = "practitioner_psychologist", "Practitioner psychologist"
    PROSTHETIST_ORTHOTIST = "prosthetist_orthotist", "Prosthetist or orthotist"
    RADIOGRAPHER = "radiographer", "Radiographer"
    SPEECH_AND_LANGUAGE_THERAPIST = "speech_and_language_therapist", "Speech and language therapist"
    PHARMACIST = "pharmacist", "Pharmacist"
    PHARMACY_TECHNICIAN = "pharmacy_technician", "Pharmacy technician"
    DENTIST = "dentist", "Dentist"
    DENTAL_CARE_PROFESSIONAL = "dental_care_professional", "Dental care professional"
    HEALTHCARE_SCIENTIST = "healthcare_scientist", "Healthcare science practitioner"
    OPTOMETRIST = "optometrist", "Optometrist"
    DISPENSING_OPTICIAN = "dispensing_optician", "Dispensing optician"
    OSTEOPATH = "osteopath", "Osteopath"
    CHIROPRACTOR = "chiropractor", "Chiropractor"


# The HCPC registration-number prefix that belongs to each of its professions.
HCPC_PREFIXES: dict[str, str] = {
    Profession.ARTS_THERAPIST: "AS",
    Profession.BIOMEDICAL_SCIENTIST: "BS",
    Profession.PODIATRIST: "CH",
    Profession.CLINICAL_SCIENTIST: "CS",
    Profession.DIETITIAN: "DT",
    Profession.HEARING_AID_DISPENSER: "HAD",
    Profession.OCCUPATIONAL_THERAPIST: "OT",
    Profession.OPERATING_DEPARTMENT_PRACTITIONER: "ODP",
    Profession.ORTHOPTIST: "OR",
    Profession.PARAMEDIC: "PA",
    Profession.PHYSIOTHERAPIST: "PH",
    Profession.PRACTITIONER_PSYCHOLOGIST: "PYL",
    Profession.PROSTHETIST_ORTHOTIST: "PO",
    Profession.RADIOGRAPHER: "RA",
    Profession.SPEECH_AND_LANGUAGE_THERAPIST: "SL",
}


def normalise_registration_number(value: str) -> str:
    """What people type, as the registers write it: no spaces, capital letters."""
    return re.sub(r"\s+", "", value or "").upper()


class Regulator(models.Model):
    """A statutory regulator (or accredited register) that keeps a register and decides revalidation."""

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=200, unique=True)
    professions = models.JSONField(default=list, help_text="Profession codes this regulator registers.")
    is_statutory = models.BooleanField(default=True, help_text="False for an accredited register such as the AHCS.")
    registration_number_pattern = models.CharField(
        max_length=200, help_text="Regular expression a registration number must match, after normalising."
    )
    registration_number_format = models.CharField(
        max_length=200, help_text="The format in plain words, shown to clinicians, e.g. “7 digits”."
    )
    registration_number_example = models.CharField(max_length=32)
    revalidation_cycle_months = models.PositiveSmallIntegerField(
        help_text="Months between revalidations or renewals of registration."
    )
    revalidation_summary = models.TextField(blank=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revalidation_cycle_months__gte=1), name="regulator_cycle_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        try:
            re.compile(self.registration_number_pattern)
        except re.error as error:
            raise ValidationError({"registration_number_pattern": f"Not a valid pattern: {error}"}) from error
        if not re.fullmatch(self.registration_number_pattern, self.registration_number_example, flags=re.ASCII):
            raise ValidationError({"registration_number_example": "The example does not match the pattern."})
        unknown = set(self.professions) - set(Profession.values)
        if unknown:
            raise ValidationError({"professions": f"Unknown professions: {', '.join(sorted(unknown))}."})
        # Every profession must keep exactly one regulator: onboarding defaults the regulator from the profession.
        others = Regulator.objects.exclude(pk=self.pk)
        claimed = {code: regulator.code for regulator in others for code in regulator.professions}
        taken = sorted(code for code in self.professions if code in claimed)
        if taken:
            raise ValidationError(
                {
                    "professions": "Already registered by another regulator: "
                    + ", ".join(f"{code} ({claimed[code]})" for code in taken)
                    + "."
                }
            )
        orphaned = sorted(set(Profession.values) - set(claimed) - set(self.professions))
        if orphaned:
            raise ValidationError({"professions": f"These professions would have no regulator: {', '.join(orphaned)}."})

    def validate_registration_number(self, value: str, *, profession: str | None = None) -> str:
        """Return the number normalised, or raise ValidationError saying what the format should be."""
        number = normalise_registration_number(value)
        # ASCII: \d must mean 0-9, not every script's digits.
        if not re.fullmatch(self.registration_number_pattern, number, flags=re.ASCII):
            raise ValidationError(
                "Enter a %(code)s number in the right format: %(format)s, for example %(example)s.",
                code="invalid_registration_number",
                params={
                    "code": self.code,
                    "format": self.registration_number_format,
                    "example": self.registration_number_example,
                },
            )
        prefix = HCPC_PREFIXES.get(profession or "")
        if self.code == "HCPC" and prefix and not re.fullmatch(rf"{prefix}\d+", number):
            raise ValidationError(
                "HCPC numbers on the %(profession)s register start with %(prefix)s.",
                code="wrong_hcpc_prefix",
                params={"profession": Profession(profession).label.lower(), "prefix": prefix},
            )
        return number


class RegistrationNumberValidator:
    """Form/model field validator bound to one regulator."""

    def __init__(self, regulator: Regulator, *, profession: str | None = None) -> None:
        self.regulator = regulator
        self.profession = profession

    def __call__(self, value: str) -> None:
        self.regulator.validate_registration_number(value, profession=self.profession)


# --- Licence guidance ------------------------------------------------------------------------------------------------


class GuidanceTopic(models.TextChoices):
    REVALIDATION = "revalidation", "Revalidation and renewal"
    CPD = "cpd", "Continuing professional development (CPD)"
    SCOPE_OF_PRACTICE = "scope_of_practice", "Scope of practice"
    KEEPING_LICENCE = "keeping_licence", "Keeping or giving up a licence"
    RETURNING = "returning", "Returning to clinical practice"
    RESPONSIBLE_OFFICER = "responsible_officer", "Responsible officer or confirmer"


class GuidanceStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    # A published version replaced by a newer one: still readable, with a notice pointing to the current one.
    SUPERSEDED = "superseded", "Superseded"


class LicenceGuidance(models.Model):
    """One piece of guidance from a regulator, known by a slug that stays the same across its versions.

    The words live in LicenceGuidanceVersion; at most one version is published (current) at a time."""

    regulator = models.ForeignKey(Regulator, on_delete=models.PROTECT, related_name="guidance")
    slug = models.SlugField(max_length=120, help_text="Stays the same for every version; part of the page address.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["regulator__code", "slug"]
        verbose_name = "licence guidance item"
        verbose_name_plural = "licence guidance items"
        constraints = [models.UniqueConstraint(fields=["regulator", "slug"], name="guidance_unique_slug_per_regulator")]

    def __str__(self) -> str:
        return f"{self.regulator.code}: {self.slug}"


class LicenceGuidanceVersion(models.Model):
    """The words of one version of a guidance item. Drafts are edited; published and superseded versions are kept
    as they were, so "what changed" can compare any two."""

    guidance = models.ForeignKey(LicenceGuidance, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(help_text="1 for the first version, then 2, 3…")
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=400)
    body = models.TextField(help_text="Markdown. Rendered safely: scripts and event handlers never reach the page.")
    senior_leaders = models.TextField(
        "how this applies to senior leaders",
        help_text="Required. Markdown: what this means for a clinician in a senior leadership role.",
    )
    topics = models.JSONField(default=list, blank=True, help_text="Topic codes.")
    role_levels = models.JSONField(
        default=list, blank=True, help_text="Leadership role levels it applies to; none (and no roles) means any."
    )
    roles = models.ManyToManyField("pathways.LeadershipRole", blank=True, related_name="+")
    source_url = models.URLField("source link", help_text="The regulator's own page.")
    effective_from = models.DateField()
    last_reviewed_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=GuidanceStatus.choices, default=GuidanceStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["guidance", "-number"]
        verbose_name = "licence guidance version"
        constraints = [
            models.UniqueConstraint(fields=["guidance", "number"], name="guidanceversion_unique_number"),
            # The current version: never two published at once for one item.
            models.UniqueConstraint(
                fields=["guidance"],
                condition=models.Q(status=GuidanceStatus.PUBLISHED),
                name="guidanceversion_one_published",
            ),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="guidanceversion_number_positive"),
            models.CheckConstraint(
                condition=models.Q(status__in=GuidanceStatus.values), name="guidanceversion_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status=GuidanceStatus.DRAFT) | models.Q(published_at__isnull=False),
                name="guidanceversion_published_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=GuidanceStatus.SUPERSEDED) | models.Q(superseded_at__isnull=False),
                name="guidanceversion_superseded_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(senior_leaders__regex=r"^\s*$"), name="guidanceversion_senior_leaders_required"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number}, {self.get_status_display().lower()})"

    def clean(self) -> None:
        unknown = set(self.topics or []) - set(GuidanceTopic.values)
        if unknown:
            raise ValidationError({"topics": f"Unknown topics: {', '.join(sorted(unknown))}."})
        unknown = set(self.role_levels or []) - set(RoleLevel.values)
        if unknown:
            raise ValidationError({"role_levels": f"Unknown role levels: {', '.join(sorted(unknown))}."})
        if not (self.senior_leaders or "").strip():
            raise ValidationError({"senior_leaders": "Say how this guidance applies to senior leaders."})

    @property
    def topic_labels(self) -> list[str]:
        labels = dict(GuidanceTopic.choices)
        return [labels.get(code, code) for code in self.topics]

    @property
    def role_level_labels(self) -> list[str]:
        labels = dict(RoleLevel.choices)
        return [labels.get(code, code) for code in self.role_levels]


# --- Revalidation ----------------------------------------------------------------------------------------------------


class RevalidationRecord(models.Model):
    """A clinician's own revalidation (GMC, NMC) or renewal (the others) date, and what keeps their licence safe
    while they lead. One per clinician; only they see it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.OneToOneField(
        "talent.ClinicianProfile", on_delete=models.CASCADE, related_name="revalidation_record"
    )
    regulator = models.ForeignKey(Regulator, on_delete=models.PROTECT, related_name="+")
    last_revalidated_on = models.DateField(null=True, blank=True)
    next_due_on = models.DateField()
    designated_body = models.CharField(max_length=200, blank=True, help_text="GMC only.")
    responsible_officer = models.CharField(max_length=200, blank=True, help_text="GMC only.")
    confirmer = models.CharField(max_length=200, blank=True, help_text="NMC only.")
    clinical_practice = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_revalidated_on__isnull=True)
                | models.Q(next_due_on__gt=models.F("last_revalidated_on")),
                name="revalidation_due_after_last",
            ),
        ]
        indexes = [models.Index(fields=["next_due_on"])]

    def __str__(self) -> str:
        return f"{self.regulator.code} due {self.next_due_on:%Y-%m-%d}"


# --- Telling clinicians when their guidance changes ------------------------------------------------------------------


class GuidanceEmailOptOut(models.Model):
    """A clinician who asked not to be emailed when their regulator's guidance changes. Everyone else is emailed
    (weekly, at most); the change is always shown on their home."""

    profile = models.OneToOneField(
        "talent.ClinicianProfile", on_delete=models.CASCADE, primary_key=True, related_name="guidance_email_opt_out"
    )
    opted_out_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "opt-out of guidance change emails"
        verbose_name_plural = "opt-outs of guidance change emails"

    def __str__(self) -> str:
        return f"No guidance emails since {self.opted_out_at:%Y-%m-%d}"


class GuidanceChangeDigest(models.Model):
    """One week's guidance changes, emailed once: the row is written when every clinician it concerns has been
    owed their email, so later runs of the weekly job skip the week."""

    week_starting = models.DateField(unique=True, help_text="The Monday the week of changes starts on.")
    versions = models.ManyToManyField(LicenceGuidanceVersion, blank=True, related_name="+")
    emails_owed = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-week_starting"]

    def __str__(self) -> str:
        return f"Guidance changes in the week of {self.week_starting:%Y-%m-%d}"
