"""Professional regulators and the clinical professions they register."""

import re

from django.core.exceptions import ValidationError
from django.db import models


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
