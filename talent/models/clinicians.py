"""The clinician's side: profile, consents, leadership interest, self-assessment, experience, qualifications,
equality monitoring and early-interest signals."""

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from accounts.models import Region, TrainingBody
from pathways.models import LeadershipRole, RoleLevel
from regulators.models import Profession, Regulator

FIRST_REGISTRATION_EARLIEST_YEAR = 1950


class PipelineStage(models.IntegerChoices):
    """The furthest stage of the talent pipeline a clinician has reached, as the `pipeline` app places them
    (`pipeline.stages` holds the rules); the funnel is cumulative (each stage includes those further along), so
    "Interested" counts everyone at stage 1 or above. Defined here because the profile stores it."""

    REGISTERED = 0, "Registered"
    INTERESTED = 1, "Interested"
    DEVELOPING = 2, "Developing"
    NOMINATED = 3, "Nominated"
    APPROVED = 4, "Approved"
    APPOINTED = 5, "Appointed"
    IN_ROLE = 6, "In a leadership role"


class CareerStage(models.TextChoices):
    # The order is the order lists and the dashboard's career-route table show them in: doctors' grades, the dental
    # and pharmacy training grades, then the Agenda for Change bands, then everyone paid outside it.
    FOUNDATION = "foundation", "Foundation training"
    CORE_TRAINING = "core_training", "Core training"
    SPECIALTY_TRAINING = "specialty_training", "Specialty training"
    SAS = "sas", "SAS or specialty doctor"
    CONSULTANT_GP = "consultant_gp", "Consultant or GP"
    DENTAL_FOUNDATION = "dental_foundation", "Dental foundation training"
    DENTAL_CORE_TRAINING = "dental_core_training", "Dental core training"
    DENTAL_SPECIALTY_TRAINING = "dental_specialty_training", "Dental specialty training"
    FOUNDATION_PHARMACIST = "foundation_pharmacist", "Foundation trainee pharmacist"
    BAND_2 = "band_2", "Agenda for Change band 2"
    BAND_3 = "band_3", "Agenda for Change band 3"
    BAND_4 = "band_4", "Agenda for Change band 4"
    BAND_5 = "band_5", "Agenda for Change band 5"
    BAND_6 = "band_6", "Agenda for Change band 6"
    BAND_7 = "band_7", "Agenda for Change band 7"
    BAND_8A = "band_8a", "Agenda for Change band 8a"
    BAND_8B = "band_8b", "Agenda for Change band 8b"
    BAND_8C = "band_8c", "Agenda for Change band 8c"
    BAND_8D = "band_8d", "Agenda for Change band 8d"
    BAND_9 = "band_9", "Agenda for Change band 9"
    # General dental practice, community pharmacy, independent practice: paid outside the NHS pay scales.
    NOT_AGENDA_FOR_CHANGE = "not_agenda_for_change", "Not on Agenda for Change"


DOCTOR_STAGES = {
    CareerStage.FOUNDATION,
    CareerStage.CORE_TRAINING,
    CareerStage.SPECIALTY_TRAINING,
    CareerStage.SAS,
    CareerStage.CONSULTANT_GP,
}
# Doctors in these stages are early career whatever their registration year.
DOCTOR_TRAINING_STAGES = {CareerStage.FOUNDATION, CareerStage.CORE_TRAINING, CareerStage.SPECIALTY_TRAINING}
DENTAL_TRAINING_STAGES = {
    CareerStage.DENTAL_FOUNDATION,
    CareerStage.DENTAL_CORE_TRAINING,
    CareerStage.DENTAL_SPECIALTY_TRAINING,
}
AGENDA_FOR_CHANGE_BANDS = [stage for stage in CareerStage if stage.value.startswith("band_")]
# A profession's training grades: someone in one is early career whatever their registration year, as a doctor in
# training is (a dentist in specialty training may have registered ten years ago).
TRAINING_STAGES: dict[str, set[CareerStage]] = {
    Profession.DOCTOR: DOCTOR_TRAINING_STAGES,
    Profession.DENTIST: DENTAL_TRAINING_STAGES,
    Profession.PHARMACIST: {CareerStage.FOUNDATION_PHARMACIST},
}


def career_stages_for(profession: str | None) -> list[CareerStage]:
    """The stages a clinician of this profession can be at: doctors a doctor's grade; dentists and pharmacists their
    training grades too; everyone but doctors an Agenda for Change band or "not on Agenda for Change"."""
    if profession == Profession.DOCTOR:
        return [stage for stage in CareerStage if stage in DOCTOR_STAGES]
    training = [stage for stage in CareerStage if stage in TRAINING_STAGES.get(profession or "", set())]
    return [*training, *AGENDA_FOR_CHANGE_BANDS, CareerStage.NOT_AGENDA_FOR_CHANGE]


# How the dashboard's and the clinician list's career-stage filters group the stages.
CAREER_STAGE_GROUPS: list[tuple[str, list[CareerStage]]] = [
    ("Doctors", [stage for stage in CareerStage if stage in DOCTOR_STAGES]),
    (
        "Dental and pharmacy training",
        [
            CareerStage.DENTAL_FOUNDATION,
            CareerStage.DENTAL_CORE_TRAINING,
            CareerStage.DENTAL_SPECIALTY_TRAINING,
            CareerStage.FOUNDATION_PHARMACIST,
        ],
    ),
    ("Agenda for Change", AGENDA_FOR_CHANGE_BANDS),
    ("Outside Agenda for Change", [CareerStage.NOT_AGENDA_FOR_CHANGE]),
]


def career_stage_grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The stages as grouped choices (a select's option groups)."""
    return [(group, [(stage.value, stage.label) for stage in stages]) for group, stages in CAREER_STAGE_GROUPS]


class InterestLevel(models.IntegerChoices):
    NOT_NOW = 0, "Not now"
    CURIOUS = 1, "Curious"
    EXPLORING = 2, "Exploring"
    ACTIVELY_DEVELOPING = 3, "Actively developing"
    READY_FOR_A_ROLE = 4, "Ready for a role"


class ReadinessHorizon(models.TextChoices):
    NOW = "now", "Now"
    ONE_TO_THREE_YEARS = "1_3_years", "In 1 to 3 years"
    FOUR_PLUS_YEARS = "4_plus_years", "In 4 years or more"


CAREER_STAGE_LABELS = dict(CareerStage.choices)


# Early career (DESIGN.md section 4): a clinician in a training grade of their profession (a doctor in foundation,
# core or specialty training; a dentist in dental foundation, core or specialty training; a foundation trainee
# pharmacist), or anyone within EARLY_CAREER_YEARS of first registration. Written once for a row in Python and once
# as a query; a test holds the two equal over clinicians who are early career by one half of the rule only.


def is_early_career(
    profession: str, career_stage: str, first_registration_year: int, today: date | None = None
) -> bool:
    """The rule for one clinician, from its columns (so lists read as plain values can say it too)."""
    if career_stage in TRAINING_STAGES.get(profession, ()):
        return True
    return (today or timezone.localdate()).year - first_registration_year <= settings.EARLY_CAREER_YEARS


def early_career_q(prefix: str = "", today: date | None = None) -> models.Q:
    """The rule as a query on profiles, reached through `prefix` (e.g. "profile__") from another model."""
    today = today or timezone.localdate()
    in_training = models.Q()
    for profession, stages in TRAINING_STAGES.items():
        in_training |= models.Q(**{f"{prefix}profession": profession, f"{prefix}career_stage__in": sorted(stages)})
    recently_registered = models.Q(
        **{f"{prefix}first_registration_year__gte": today.year - settings.EARLY_CAREER_YEARS}
    )
    return in_training | recently_registered


def career_stage_label(stage: str, specialty_training_year: int | None) -> str:
    """ "Specialty training (ST3)", or the stage's name."""
    if stage == CareerStage.SPECIALTY_TRAINING and specialty_training_year:
        return f"Specialty training (ST{specialty_training_year})"
    return CAREER_STAGE_LABELS.get(stage, stage)


class ClinicianProfileQuerySet(models.QuerySet):
    def early_career(self, today: date | None = None) -> "ClinicianProfileQuerySet":
        """Early-career clinicians (`early_career_q`)."""
        return self.filter(early_career_q(today=today))

    def not_early_career(self, today: date | None = None) -> "ClinicianProfileQuerySet":
        return self.exclude(early_career_q(today=today))


class ClinicianProfile(models.Model):
    """Who a clinician is professionally. One per clinician account; created when onboarding is confirmed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician_profile")
    profession = models.CharField(max_length=40, choices=Profession.choices)
    regulator = models.ForeignKey(Regulator, on_delete=models.PROTECT, related_name="clinicians")
    registration_number = models.CharField(max_length=32)
    first_registration_year = models.PositiveSmallIntegerField()
    career_stage = models.CharField(max_length=32, choices=CareerStage.choices)
    specialty_training_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="ST1 to ST8; only for doctors in specialty training."
    )
    specialty = models.CharField("specialty or field", max_length=120, blank=True)
    employer_name = models.CharField(max_length=200, blank=True)
    employer_ods_code = models.CharField(
        "employer ODS code",
        max_length=10,
        blank=True,
        validators=[
            RegexValidator(
                r"^[A-Z0-9]{3,6}$", "Enter an ODS code of 3 to 6 letters and numbers, like RR8", code="invalid_ods"
            )
        ],
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="clinicians")
    # The body the clinician is a confirmed member of: everything a body sees of its members reads this. A body the
    # clinician chose but whose admins have not confirmed them yet is `requested_training_body`; one or the other.
    training_body = models.ForeignKey(
        TrainingBody, on_delete=models.SET_NULL, null=True, blank=True, related_name="clinicians"
    )
    training_body_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    training_body_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    requested_training_body = models.ForeignKey(
        TrainingBody, on_delete=models.SET_NULL, null=True, blank=True, related_name="membership_requests"
    )
    training_body_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Current state, kept for fast filtering; the history is in InterestRecord and ConsentEvent.
    current_interest_level = models.PositiveSmallIntegerField(choices=InterestLevel.choices, default=0)
    current_readiness_horizon = models.CharField(max_length=16, choices=ReadinessHorizon.choices, blank=True)
    shares_with_training_body = models.BooleanField(default=False)
    shares_with_hee = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Where the last roll-up refresh placed this clinician (pipeline.services), so a drill-down lists the
    # people behind a dashboard count by a plain comparison, as of the same time as the count. Null until then.
    pipeline_stage = models.PositiveSmallIntegerField(
        choices=PipelineStage.choices, null=True, blank=True, editable=False
    )
    pipeline_leader = models.BooleanField(default=False, editable=False)
    # Copies of the account's name and active flag, so a page of a staff list in name order reads this table alone:
    # an index walk, not a probe of two tables per row. Written by the services that create a profile or change
    # either (accounts.services.account_copy_to_profile, docs/adr/0007); the check ltt.W005 finds any that disagree.
    full_name = models.CharField(max_length=150, default="", editable=False)
    account_active = models.BooleanField(default=False, editable=False)

    objects = ClinicianProfileQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["regulator", "registration_number"], name="profile_unique_registration"),
            models.CheckConstraint(
                condition=models.Q(first_registration_year__gte=FIRST_REGISTRATION_EARLIEST_YEAR),
                name="profile_first_registration_year_plausible",
            ),
            models.CheckConstraint(
                condition=models.Q(current_interest_level__gte=0, current_interest_level__lte=4),
                name="profile_interest_level_range",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        career_stage=CareerStage.SPECIALTY_TRAINING,
                        specialty_training_year__gte=1,
                        specialty_training_year__lte=8,
                    )
                    | (
                        ~models.Q(career_stage=CareerStage.SPECIALTY_TRAINING)
                        & models.Q(specialty_training_year__isnull=True)
                    )
                ),
                name="profile_specialty_year_only_in_specialty_training",
            ),
            models.CheckConstraint(
                condition=models.Q(profession__in=Profession.values), name="profile_profession_valid"
            ),
            models.CheckConstraint(condition=models.Q(career_stage__in=CareerStage.values), name="profile_stage_valid"),
            # A member of one body at a time, confirmed or waiting, and a confirmed membership says when it was
            # confirmed. (Only that way round: deleting a body empties its column and leaves the date behind.)
            models.CheckConstraint(
                condition=models.Q(training_body__isnull=True) | models.Q(requested_training_body__isnull=True),
                name="profile_one_training_body",
            ),
            models.CheckConstraint(
                condition=models.Q(training_body__isnull=True) | models.Q(training_body_confirmed_at__isnull=False),
                name="profile_training_body_confirmed_dated",
            ),
            models.CheckConstraint(
                condition=models.Q(requested_training_body__isnull=True)
                | models.Q(training_body_requested_at__isnull=False),
                name="profile_training_body_request_dated",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "profession", "career_stage"]),
            models.Index(fields=["training_body", "current_interest_level"]),
            models.Index(fields=["pipeline_stage"], name="profile_pipeline_stage_idx"),
            # Lists of clinicians are in name order, then account (unique): a page is the first rows of one of these,
            # nationally, in a region (regional HEE staff) or in a training body (its admins).
            models.Index(fields=["full_name", "user"], name="profile_name_idx"),
            models.Index(fields=["region", "full_name", "user"], name="profile_region_name_idx"),
            models.Index(fields=["training_body", "full_name", "user"], name="profile_body_name_idx"),
            # A body's admins list the requests waiting for them, oldest first.
            models.Index(
                fields=["requested_training_body", "training_body_requested_at"],
                condition=models.Q(requested_training_body__isnull=False),
                name="profile_body_request_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.full_name} ({self.get_profession_display()})"

    @property
    def chosen_training_body(self) -> TrainingBody | None:
        """The body the clinician says they belong to, whether or not its admins have confirmed it yet."""
        return self.training_body or self.requested_training_body

    @property
    def training_body_waiting(self) -> bool:
        """Whether the clinician's body has yet to confirm them."""
        return self.requested_training_body_id is not None

    @property
    def career_stage_label(self) -> str:
        return career_stage_label(self.career_stage, self.specialty_training_year)

    def years_since_registration(self, today: date | None = None) -> int:
        return (today or timezone.localdate()).year - self.first_registration_year

    def is_early_career_on(self, today: date | None = None) -> bool:
        """See `is_early_career` (DESIGN.md section 4)."""
        return is_early_career(self.profession, self.career_stage, self.first_registration_year, today)

    @property
    def is_early_career(self) -> bool:
        return self.is_early_career_on()


class ConsentRecipient(models.TextChoices):
    TRAINING_BODY = "training_body", "My training body"
    HEE = "hee", "HEE (NHS England workforce, training and education)"


class AppendOnlyModel(models.Model):
    """History rows: written once, never changed or deleted one by one (deleting the whole profile removes them)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError(f"{self._meta.verbose_name.capitalize()} records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(f"{self._meta.verbose_name.capitalize()} records cannot be deleted.")


class ConsentEvent(AppendOnlyModel):
    """A dated grant or withdrawal of consent to share with the training body or with HEE."""

    profile = models.ForeignKey(ClinicianProfile, on_delete=models.CASCADE, related_name="consent_events")
    recipient = models.CharField(max_length=16, choices=ConsentRecipient.choices)
    # Consent to share with "my training body" is consent for one particular body.
    training_body = models.ForeignKey(TrainingBody, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    granted = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient__in=ConsentRecipient.values), name="consent_recipient_valid"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{'Granted' if self.granted else 'Withdrew'} {self.get_recipient_display()} on {self.created_at:%Y-%m-%d}"
        )


# How long a clinician may correct their latest interest record (a slip, not a change of mind: that is a new record).
INTEREST_CORRECTION_WINDOW = timedelta(hours=24)


def interest_contradictions(*, level: int | None, readiness_horizon: str | None, has_target_roles: bool) -> dict:
    """What contradicts "Not now" in one statement of interest, field by field (the form shows them all; the
    service refuses the first): someone not thinking about a leadership role is not ready within 3 years and aims
    for no role yet. "In 4 years or more" is the one horizon that fits."""
    problems = {}
    if level != InterestLevel.NOT_NOW:
        return problems
    if readiness_horizon and readiness_horizon != ReadinessHorizon.FOUR_PLUS_YEARS:
        problems["readiness_horizon"] = (
            "You chose “Not now”, so choose “In 4 years or more” for when you could be ready, or choose how "
            "interested you are again"
        )
    if has_target_roles:
        problems["target_roles"] = (
            "You chose “Not now”, so do not select any leadership roles, or choose how interested you are again"
        )
    return problems


class InterestRecordQuerySet(models.QuerySet):
    def not_corrected(self) -> "InterestRecordQuerySet":
        """Records that stand: none later corrects them (what counts where interest is counted)."""
        return self.filter(correction__isnull=True)


class InterestRecord(AppendOnlyModel):
    """One dated statement of leadership interest. A change is a new record; so is a correction, which names the
    record it corrects (both stay in the history, the corrected one marked so)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(ClinicianProfile, on_delete=models.CASCADE, related_name="interest_records")
    level = models.PositiveSmallIntegerField(choices=InterestLevel.choices)
    readiness_horizon = models.CharField(max_length=16, choices=ReadinessHorizon.choices)
    target_roles = models.ManyToManyField(LeadershipRole, blank=True, related_name="+")
    note = models.TextField(blank=True, max_length=2000)
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)
    corrects = models.OneToOneField(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="correction", editable=False
    )

    objects = InterestRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=0, level__lte=4), name="interest_level_range"),
            models.CheckConstraint(
                condition=models.Q(readiness_horizon__in=ReadinessHorizon.values), name="interest_horizon_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} on {self.recorded_at:%Y-%m-%d}"


class Dimension(models.TextChoices):
    """The nine dimensions of the NHS Leadership Academy's Healthcare Leadership Model."""

    INSPIRING_SHARED_PURPOSE = "inspiring_shared_purpose", "Inspiring shared purpose"
    LEADING_WITH_CARE = "leading_with_care", "Leading with care"
    EVALUATING_INFORMATION = "evaluating_information", "Evaluating information"
    CONNECTING_OUR_SERVICE = "connecting_our_service", "Connecting our service"
    SHARING_THE_VISION = "sharing_the_vision", "Sharing the vision"
    ENGAGING_THE_TEAM = "engaging_the_team", "Engaging the team"
    HOLDING_TO_ACCOUNT = "holding_to_account", "Holding to account"
    DEVELOPING_CAPABILITY = "developing_capability", "Developing capability"
    INFLUENCING_FOR_RESULTS = "influencing_for_results", "Influencing for results"


class Rating(models.IntegerChoices):
    ESSENTIAL = 1, "Essential"
    PROFICIENT = 2, "Proficient"
    STRONG = 3, "Strong"
    EXEMPLARY = 4, "Exemplary"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    COMPLETED = "completed", "Completed"


class SelfAssessment(models.Model):
    """A self-assessment against the Healthcare Leadership Model. Drafts can be resumed; completed ones are kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(ClinicianProfile, on_delete=models.CASCADE, related_name="self_assessments")
    status = models.CharField(max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One draft at a time: "continue your self-assessment" always means the same one.
            models.UniqueConstraint(
                fields=["profile"], condition=models.Q(status="draft"), name="assessment_one_draft_per_profile"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status=AssessmentStatus.DRAFT, completed_at__isnull=True)
                    | models.Q(status=AssessmentStatus.COMPLETED, completed_at__isnull=False)
                ),
                name="assessment_completed_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"Self-assessment ({self.get_status_display().lower()}) started {self.created_at:%Y-%m-%d}"


class SelfAssessmentRating(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    dimension = models.CharField(max_length=40, choices=Dimension.choices)
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "dimension"], name="rating_unique_dimension"),
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=4), name="rating_range"),
            models.CheckConstraint(condition=models.Q(dimension__in=Dimension.values), name="rating_dimension_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}: {self.get_rating_display()}"


def appointment_latest_start(today: date) -> date:
    """The latest start date a leadership role may be recorded with: a year from today (an appointment is often
    made months ahead), 28 February when today is 29 February."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def organisation_key(name: str) -> str:
    """An organisation's name as compared for overlapping roles: case and spacing do not make another one."""
    return " ".join(name.split()).casefold()


class LeadershipExperience(models.Model):
    """A leadership role the clinician holds or held: their recorded appointments to leadership roles, which the
    pipeline counts (Appointed, In a leadership role, appointments per month, time to appointment)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(ClinicianProfile, on_delete=models.CASCADE, related_name="experiences")
    role = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200)
    level = models.CharField(max_length=16, choices=RoleLevel.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Leave empty if you are still in this role.")

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="experience_end_not_before_start",
            ),
            models.CheckConstraint(condition=models.Q(level__in=RoleLevel.values), name="experience_level_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.role}, {self.organisation}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)


class QualificationKind(models.TextChoices):
    LEADERSHIP_MANAGEMENT = "leadership_management", "Leadership or management qualification"
    FMLM_ASSOCIATE_FELLOW = "fmlm_associate_fellow", "FMLM Associate Fellow"
    FMLM_FELLOW = "fmlm_fellow", "FMLM Fellow"
    FMLM_SENIOR_FELLOW = "fmlm_senior_fellow", "FMLM Senior Fellow"
    OTHER = "other", "Other"


class Qualification(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(ClinicianProfile, on_delete=models.CASCADE, related_name="qualifications")
    kind = models.CharField(max_length=32, choices=QualificationKind.choices)
    title = models.CharField(max_length=200)
    awarding_body = models.CharField(max_length=200, blank=True)
    year_awarded = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-year_awarded", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=QualificationKind.values), name="qualification_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(year_awarded__isnull=True) | models.Q(year_awarded__gte=1950),
                name="qualification_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.title


PREFER_NOT_TO_SAY = ("prefer_not_to_say", "Prefer not to say")


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY


class AgeBand(models.TextChoices):
    UNDER_25 = "under_25", "Under 25"
    AGE_25_34 = "25_34", "25 to 34"
    AGE_35_44 = "35_44", "35 to 44"
    AGE_45_54 = "45_54", "45 to 54"
    AGE_55_64 = "55_64", "55 to 64"
    AGE_65_PLUS = "65_plus", "65 or over"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY


class EthnicGroup(models.TextChoices):
    """The five ONS high-level ethnic groups."""

    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY


class SexualOrientation(models.TextChoices):
    STRAIGHT = "straight", "Straight or heterosexual"
    GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
    BISEXUAL = "bisexual", "Bisexual"
    OTHER = "other", "Other sexual orientation"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY


class Religion(models.TextChoices):
    NO_RELIGION = "none", "No religion"
    BUDDHIST = "buddhist", "Buddhist"
    CHRISTIAN = "christian", "Christian"
    HINDU = "hindu", "Hindu"
    JEWISH = "jewish", "Jewish"
    MUSLIM = "muslim", "Muslim"
    SIKH = "sikh", "Sikh"
    OTHER = "other", "Any other religion"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY


class EqualityMonitoring(models.Model):
    """Optional equality answers, kept apart from the profile and only ever shown to the clinician themselves;
    everyone else sees them only inside suppressed aggregates."""

    profile = models.OneToOneField(ClinicianProfile, on_delete=models.CASCADE, related_name="equality_monitoring")
    sex = models.CharField(max_length=20, choices=Sex.choices, blank=True)
    age_band = models.CharField(max_length=20, choices=AgeBand.choices, blank=True)
    ethnic_group = models.CharField(max_length=20, choices=EthnicGroup.choices, blank=True)
    disability = models.CharField(max_length=20, choices=YesNo.choices, blank=True)
    sexual_orientation = models.CharField(max_length=20, choices=SexualOrientation.choices, blank=True)
    religion = models.CharField(max_length=20, choices=Religion.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "Equality monitoring answers"


class SignalKind(models.TextChoices):
    INTEREST_RAISED = "interest_raised", "Raised their leadership interest to Exploring or above"
    SELF_ASSESSMENT_COMPLETED = "self_assessment_completed", "Completed a leadership self-assessment"
    PATHWAY_SAVED = "pathway_saved", "Saved a career pathway"


class EarlyInterestSignal(models.Model):
    """A dated sign that an early-career clinician is interested in leadership. Nudges summarise these."""

    profile = models.ForeignKey(ClinicianProfile, on_delete=models.CASCADE, related_name="early_interest_signals")
    kind = models.CharField(max_length=32, choices=SignalKind.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=SignalKind.values), name="signal_kind_valid"),
        ]
        indexes = [models.Index(fields=["profile", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.created_at:%Y-%m-%d}"
