"""The onboarding question pages (one topic a page) and the answers they collect.

Answers live in the session as a plain dict (``ANSWER_KEYS``) until the clinician confirms them; the same pages
change an existing profile later. Each form takes the answers given so far, because what one page asks depends on
earlier ones (the registration-number format on the profession, the career stages on whether the clinician is a
doctor, the training-body consent on whether they chose a training body).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Region, TrainingBody
from config.errors import DomainError
from regulators.models import HCPC_PREFIXES, Profession, Regulator
from talent.models import (
    FIRST_REGISTRATION_EARLIEST_YEAR,
    TRAINING_STAGES,
    CareerStage,
    ClinicianProfile,
    career_stages_for,
)
from talent.services import ProfileDetails, regulator_for_profession

ANSWER_KEYS = (
    "profession",
    "registration_number",
    "first_registration_year",
    "career_stage",
    "specialty_training_year",
    "specialty",
    "employer_name",
    "employer_ods_code",
    "region",
    "training_body",
    "shares_with_training_body",
    "shares_with_hee",
)

NO_TRAINING_BODY = "none"

# Professions grouped as clinicians think of them, for the profession question.
PROFESSION_GROUPS: list[tuple[str, list[str]]] = [
    ("Medicine", [Profession.DOCTOR]),
    ("Nursing and midwifery", [Profession.NURSE, Profession.MIDWIFE, Profession.NURSING_ASSOCIATE]),
    ("Allied health professions", sorted(HCPC_PREFIXES, key=lambda code: Profession(code).label)),
    ("Pharmacy", [Profession.PHARMACIST, Profession.PHARMACY_TECHNICIAN]),
    ("Dentistry", [Profession.DENTIST, Profession.DENTAL_CARE_PROFESSIONAL]),
    ("Healthcare science", [Profession.HEALTHCARE_SCIENTIST]),
    ("Eye care", [Profession.OPTOMETRIST, Profession.DISPENSING_OPTICIAN]),
    ("Osteopathy and chiropractic", [Profession.OSTEOPATH, Profession.CHIROPRACTOR]),
]

YES_NO = [("yes", "Yes"), ("no", "No")]


def registration_format_hint(regulator: Regulator, profession: str | None) -> str:
    """The expected number format in plain words, naming the HCPC prefix of the clinician's own profession."""
    prefix = HCPC_PREFIXES.get(profession or "")
    if regulator.code == "HCPC" and prefix:
        return f"{prefix} followed by 4 to 6 digits, for example {prefix}123456"
    return f"{regulator.registration_number_format}, for example {regulator.registration_number_example}"


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


class QuestionForm(forms.Form):
    """One question page. ``answers`` are the answers so far; ``answers_from`` returns what this page changes."""

    keys: tuple[str, ...] = ()

    def __init__(self, *args, answers: dict, **kwargs) -> None:
        self.answers = answers
        kwargs["initial"] = {**self.initial_from(answers), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)

    def initial_from(self, answers: dict) -> dict:
        return {key: answers.get(key) for key in self.keys}

    def answers_from(self) -> dict:
        return {key: self.cleaned_data.get(key) for key in self.keys}


class ProfessionForm(QuestionForm):
    keys = ("profession",)

    profession = forms.ChoiceField(
        label="What is your profession?",
        help_text="Choose the profession you are registered for. We use it to find your regulator.",
        choices=[("", "Choose your profession")]
        + [(group, [(code, Profession(code).label) for code in codes]) for group, codes in PROFESSION_GROUPS],
        error_messages={"required": "Choose your profession", "invalid_choice": "Choose your profession"},
    )


class RegistrationForm(QuestionForm):
    keys = ("registration_number", "first_registration_year")

    registration_number = forms.CharField(
        label="Registration number",
        max_length=32,
        error_messages={"required": "Enter your registration number"},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off", "class": "nhsuk-input--width-10"}),
    )
    first_registration_year = forms.IntegerField(
        label="Year of first registration",
        help_text="The year you first joined the register, for example 2018",
        error_messages={
            "required": "Enter the year you first registered",
            "invalid": "Year of first registration must be a year with 4 numbers, like 2018",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-4"}),
    )

    def __init__(self, *args, answers: dict, **kwargs) -> None:
        super().__init__(*args, answers=answers, **kwargs)
        self.profession = answers.get("profession")
        self.regulator = regulator_for_profession(self.profession)
        field = self.fields["registration_number"]
        field.label = f"{self.regulator.code} registration number"
        field.help_text = (
            f"Your {self.regulator.name} number: {registration_format_hint(self.regulator, self.profession)}"
        )

    def clean_registration_number(self) -> str:
        try:
            return self.regulator.validate_registration_number(
                self.cleaned_data["registration_number"], profession=self.profession
            )
        except ValidationError as error:
            raise ValidationError(error.messages[0]) from error

    def clean_first_registration_year(self) -> int:
        year = self.cleaned_data["first_registration_year"]
        this_year = timezone.localdate().year
        if year > this_year:
            raise ValidationError(f"Year of first registration must be this year ({this_year}) or in the past")
        if year < FIRST_REGISTRATION_EARLIEST_YEAR:
            raise ValidationError(f"Year of first registration must be {FIRST_REGISTRATION_EARLIEST_YEAR} or later")
        return year


# The longer words the career-stage question gives a stage, where its name alone might not say who it is for.
STAGE_CHOICE_LABELS = {
    CareerStage.NOT_AGENDA_FOR_CHANGE: (
        "Not on Agenda for Change (for example general dental practice, community pharmacy or independent practice)"
    ),
}


class CareerForm(QuestionForm):
    keys = ("career_stage", "specialty_training_year", "specialty")

    career_stage = forms.ChoiceField(
        label="What is your career stage?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select your career stage", "invalid_choice": "Select your career stage"},
    )
    specialty_training_year = forms.TypedChoiceField(
        label="Specialty training year",
        help_text="Only if you are in specialty training",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Not in specialty training")] + [(str(year), f"ST{year}") for year in range(1, 9)],
        error_messages={"invalid_choice": "Select your specialty training year, from ST1 to ST8"},
    )
    specialty = forms.CharField(
        label="Specialty or field",
        max_length=120,
        required=False,
        help_text="For example, emergency medicine, mental health nursing or paediatric physiotherapy",
    )

    def __init__(self, *args, answers: dict, **kwargs) -> None:
        super().__init__(*args, answers=answers, **kwargs)
        self.is_doctor = answers.get("profession") == Profession.DOCTOR
        profession = answers.get("profession")
        stages = career_stages_for(profession)
        self.fields["career_stage"].choices = [
            (stage.value, STAGE_CHOICE_LABELS.get(stage, stage.label)) for stage in stages
        ]
        if self.is_doctor:
            self.fields["career_stage"].help_text = "Your current grade"
            return
        del self.fields["specialty_training_year"]
        in_training = "your training grade if you are in training, otherwise " if profession in TRAINING_STAGES else ""
        self.fields["career_stage"].help_text = (
            f"Choose {in_training}the Agenda for Change band closest to your current role. If your pay is not on "
            "Agenda for Change (for example in general dental practice, community pharmacy or independent practice), "
            "choose “Not on Agenda for Change”."
        )

    def clean(self):
        cleaned = super().clean()
        stage = cleaned.get("career_stage")
        already_wrong = "specialty_training_year" in self.errors  # one message a field is enough
        if stage == CareerStage.SPECIALTY_TRAINING and not cleaned.get("specialty_training_year") and not already_wrong:
            self.add_error("specialty_training_year", "Select your specialty training year, from ST1 to ST8")
        elif stage and stage != CareerStage.SPECIALTY_TRAINING:
            cleaned["specialty_training_year"] = None
        return cleaned


class EmployerForm(QuestionForm):
    keys = ("employer_name", "employer_ods_code", "region")

    employer_name = forms.CharField(
        label="Employer",
        max_length=200,
        help_text="The organisation you mainly work for, for example Leeds Teaching Hospitals NHS Trust",
        error_messages={"required": "Enter the name of your employer"},
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    employer_ods_code = forms.CharField(
        label="Employer ODS code",
        max_length=10,
        required=False,
        help_text="The Organisation Data Service code of your employer, 3 to 6 letters and numbers, like RR8",
        widget=forms.TextInput(attrs={"spellcheck": "false", "class": "nhsuk-input--width-10"}),
    )
    region = forms.ModelChoiceField(
        label="Which NHS England region do you work in?",
        queryset=Region.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the region you work in", "invalid_choice": "Select the region you work in"},
    )

    def initial_from(self, answers: dict) -> dict:
        return {**super().initial_from(answers), "region": answers.get("region")}

    def clean_employer_ods_code(self) -> str:
        code = self.cleaned_data["employer_ods_code"].strip().upper()
        if code and not (3 <= len(code) <= 6 and code.isascii() and code.isalnum()):
            raise ValidationError("Employer ODS code must be 3 to 6 letters and numbers, like RR8 or A81001")
        return code

    def answers_from(self) -> dict:
        answers = super().answers_from()
        answers["region"] = answers["region"].pk
        return answers


class TrainingBodyForm(QuestionForm):
    keys = ("training_body",)

    training_body = forms.ChoiceField(
        label="Which training body are you with?",
        help_text=(
            "The organisation responsible for your training or professional development, such as your NHS England "
            "local office (deanery), a royal college or a university. Its admins confirm that you are one of theirs "
            "(they see your name, profession, registration number and employer to do so); until then it does not "
            "list you. Choose “I do not have a training body” if none applies."
        ),
        error_messages={
            "required": "Choose your training body, or “I do not have a training body”",
            "invalid_choice": "Choose your training body, or “I do not have a training body”",
        },
    )

    def __init__(self, *args, answers: dict, **kwargs) -> None:
        super().__init__(*args, answers=answers, **kwargs)
        groups: dict[str, list[tuple[str, str]]] = {}
        for body in TrainingBody.objects.select_related("region").order_by("region__name", "name"):
            groups.setdefault(body.region.name, []).append((str(body.pk), body.name))
        self.fields["training_body"].choices = [
            ("", "Choose a training body"),
            (NO_TRAINING_BODY, "I do not have a training body"),
            *groups.items(),
        ]

    def initial_from(self, answers: dict) -> dict:
        if "training_body" not in answers:
            return {}
        return {
            "training_body": NO_TRAINING_BODY if answers["training_body"] is None else str(answers["training_body"])
        }

    def answers_from(self) -> dict:
        chosen = self.cleaned_data["training_body"]
        body = None if chosen == NO_TRAINING_BODY else int(chosen)
        answers = {"training_body": body}
        if body is None or body != self.answers.get("training_body"):
            # Sharing with "my training body" means a particular body: a new one (or none) is asked about afresh.
            answers["shares_with_training_body"] = None
        return answers


class ConsentsForm(QuestionForm):
    keys = ("shares_with_training_body", "shares_with_hee")

    shares_with_training_body = forms.TypedChoiceField(
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    shares_with_hee = forms.TypedChoiceField(
        label="Do you want to share your profile with NHS England's workforce, training and education team (HEE)?",
        help_text=(
            "If you say yes, HEE staff planning leadership programmes can see your profile, leadership interest, "
            "self-assessment results and experience (regional staff only see people in their own region). "
            "If you say no, HEE never sees your name or details: you are only counted anonymously in totals."
        ),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select yes if you want to share your profile with HEE",
            "invalid_choice": "Select yes if you want to share your profile with HEE",
        },
    )

    def __init__(self, *args, answers: dict, training_body: TrainingBody | None, **kwargs) -> None:
        super().__init__(*args, answers=answers, **kwargs)
        if training_body is None:
            del self.fields["shares_with_training_body"]
            return
        field = self.fields["shares_with_training_body"]
        field.label = f"Do you want to share your profile with {training_body.name}?"
        field.help_text = (
            f"If you say yes, the leadership team at {training_body.name} can see your profile, leadership interest, "
            "self-assessment results and experience, and can nominate you for opportunities. If you say no, they "
            "never see your name or details: you are only counted anonymously in totals."
        )
        question = f"Select yes if you want to share your profile with {training_body.name}"
        field.error_messages = {**field.error_messages, "required": question, "invalid_choice": question}

    def initial_from(self, answers: dict) -> dict:
        return {key: _yes_no(answers.get(key)) for key in self.keys}

    def answers_from(self) -> dict:
        return {
            "shares_with_training_body": self.cleaned_data.get("shares_with_training_body", False),
            "shares_with_hee": self.cleaned_data["shares_with_hee"],
        }


# The question pages in the order onboarding asks them: (step, form, page title).
STEPS: list[tuple[str, type[QuestionForm], str]] = [
    ("profession", ProfessionForm, "Your profession"),
    ("registration", RegistrationForm, "Your registration"),
    ("career", CareerForm, "Your career stage"),
    ("employer", EmployerForm, "Where you work"),
    ("training_body", TrainingBodyForm, "Your training body"),
    ("consents", ConsentsForm, "Who can see your profile"),
]
STEP_NAMES = [step for step, _, _ in STEPS]

# Which page asks for each ProfileDetails field, so an error from the service can link to the right page.
FIELD_STEPS = {key: step for step, form, _ in STEPS for key in form.keys} | {"regulator": "registration"}


def training_body_of(answers: dict) -> TrainingBody | None:
    pk = answers.get("training_body")
    return TrainingBody.objects.filter(pk=pk).first() if pk else None


def first_unanswered_step(answers: dict) -> str | None:
    """The first page whose answers are missing or no longer fit the others (after a change of profession or of
    training body, say); None when every answer is in and consistent."""
    profession = answers.get("profession")
    if profession not in Profession.values:
        return "profession"
    try:
        regulator = regulator_for_profession(profession)
        regulator.validate_registration_number(answers.get("registration_number") or "", profession=profession)
    except (DomainError, ValidationError):
        return "registration"
    year = answers.get("first_registration_year")
    if not isinstance(year, int) or not FIRST_REGISTRATION_EARLIEST_YEAR <= year <= timezone.localdate().year:
        return "registration"
    stage = answers.get("career_stage")
    if stage not in career_stages_for(profession):
        return "career"
    if stage == CareerStage.SPECIALTY_TRAINING and answers.get("specialty_training_year") not in range(1, 9):
        return "career"
    if not answers.get("employer_name") or not Region.objects.filter(pk=answers.get("region")).exists():
        return "employer"
    if "training_body" not in answers:
        return "training_body"
    if answers["training_body"] is not None and not TrainingBody.objects.filter(pk=answers["training_body"]).exists():
        return "training_body"
    if answers.get("shares_with_hee") is None:
        return "consents"
    if answers["training_body"] is not None and answers.get("shares_with_training_body") is None:
        return "consents"
    return None


def answers_from_profile(profile: ClinicianProfile) -> dict:
    """A profile's current answers, as the question pages hold them, for changing it."""
    answers = {key: getattr(profile, key) for key in ANSWER_KEYS if key not in ("region", "training_body")}
    answers["region"] = profile.region_id
    answers["training_body"] = profile.training_body_id or profile.requested_training_body_id
    return answers


def profile_details_from(answers: dict) -> ProfileDetails:
    """Complete answers (first_unanswered_step is None) as the service's ProfileDetails."""
    training_body = training_body_of(answers)
    return ProfileDetails(
        profession=answers["profession"],
        registration_number=answers["registration_number"],
        first_registration_year=answers["first_registration_year"],
        career_stage=answers["career_stage"],
        region=Region.objects.get(pk=answers["region"]),
        specialty_training_year=answers.get("specialty_training_year"),
        specialty=answers.get("specialty") or "",
        employer_name=answers.get("employer_name") or "",
        employer_ods_code=answers.get("employer_ods_code") or "",
        training_body=training_body,
        shares_with_training_body=bool(training_body and answers.get("shares_with_training_body")),
        shares_with_hee=bool(answers.get("shares_with_hee")),
    )
