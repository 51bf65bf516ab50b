"""Forms for the clinician's leadership interest, experience, qualifications and equality monitoring."""

from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from config.widgets import DateField
from pathways.models import ROLE_LEVEL_RANK, LeadershipRole, RoleLevel
from talent.models import (
    FIRST_REGISTRATION_EARLIEST_YEAR,
    AgeBand,
    EthnicGroup,
    InterestLevel,
    QualificationKind,
    ReadinessHorizon,
    Religion,
    Sex,
    SexualOrientation,
    YesNo,
    appointment_latest_start,
    interest_contradictions,
)

EARLIEST_YEAR = FIRST_REGISTRATION_EARLIEST_YEAR

# One line each, shown under the level's label so people pick the one that fits.
INTEREST_LEVEL_HINTS = {
    InterestLevel.NOT_NOW: "I am not thinking about a leadership role at the moment.",
    InterestLevel.CURIOUS: "I would like to find out what leadership roles involve.",
    InterestLevel.EXPLORING: "I am looking into leadership roles and how people get there.",
    InterestLevel.ACTIVELY_DEVELOPING: "I am building leadership skills and experience, for example on a programme.",
    InterestLevel.READY_FOR_A_ROLE: "I am ready to apply for a leadership role.",
}


def leadership_roles_by_level():
    """Leadership roles from the most local level (team) to national, then by name."""
    rank = Case(
        *[When(level=level, then=Value(position)) for level, position in ROLE_LEVEL_RANK.items()],
        output_field=IntegerField(),
    )
    return LeadershipRole.objects.annotate(level_rank_order=rank).order_by("level_rank_order", "name")


class LeadershipRoleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: LeadershipRole) -> str:
        return f"{obj.name} ({obj.get_level_display().lower()} level)"

    def _check_values(self, value):
        # An id no database integer can hold is simply not a choice (SQLite would raise instead of matching nothing).
        for pk in value:
            if str(pk).isdigit() and int(pk) >= 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)


class InterestForm(forms.Form):
    level = forms.TypedChoiceField(
        label="How interested are you in a leadership role?",
        choices=InterestLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how interested you are in a leadership role",
            "invalid_choice": "Select how interested you are in a leadership role",
        },
    )
    readiness_horizon = forms.ChoiceField(
        label="When could you be ready for a leadership role?",
        help_text="If you chose “Not now”, choose “In 4 years or more”.",
        choices=ReadinessHorizon.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select when you could be ready for a leadership role",
            "invalid_choice": "Select when you could be ready for a leadership role",
        },
    )
    target_roles = LeadershipRoleChoiceField(
        label="Which leadership roles are you aiming for?",
        help_text=(
            "Select all that apply, or none if you chose “Not now”. Roles are listed from team level to national level."
        ),
        queryset=LeadershipRole.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": "Select leadership roles from the list",
            "invalid_pk_value": "Select leadership roles from the list",
            "invalid_list": "Select leadership roles from the list",
        },
    )
    note = forms.CharField(
        label="Anything you want to add",
        help_text="For example, what has sparked your interest or what is holding you back. Up to 2,000 characters.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        required=False,
        error_messages={"max_length": "Your note must be 2,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_roles"].queryset = leadership_roles_by_level()

    def clean(self):
        cleaned = super().clean()
        problems = interest_contradictions(
            level=cleaned.get("level"),
            readiness_horizon=cleaned.get("readiness_horizon"),
            has_target_roles=bool(cleaned.get("target_roles")),
        )
        for field, message in problems.items():
            self.add_error(field, message)
        return cleaned

    def level_choices_with_hints(self) -> list[dict]:
        """The level radios with a one-line hint each (the template renders them as NHS.UK radios with hints)."""
        bound = self["level"]
        chosen = str(bound.value()) if bound.value() not in (None, "") else None
        return [
            {
                "value": str(value),
                "label": label,
                "hint": INTEREST_LEVEL_HINTS[InterestLevel(value)],
                "checked": chosen == str(value),
                "id": f"{bound.auto_id}_{position}",
            }
            for position, (value, label) in enumerate(InterestLevel.choices)
        ]


class ExperienceForm(forms.Form):
    role = forms.CharField(
        label="Role title",
        help_text="For example, clinical lead for acute medicine",
        max_length=200,
        error_messages={"required": "Enter the role title", "max_length": "Role title must be 200 characters or fewer"},
    )
    organisation = forms.CharField(
        label="Organisation",
        max_length=200,
        error_messages={
            "required": "Enter the organisation",
            "max_length": "Organisation must be 200 characters or fewer",
        },
    )
    level = forms.ChoiceField(
        label="At what level is the role?",
        choices=RoleLevel.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the level of the role",
            "invalid_choice": "Select the level of the role",
        },
    )
    start_date = DateField(
        label="Start date",
        help_text="For example, 1 9 2022. If you have been appointed to a role that starts later, up to a year ahead",
        error_messages={"required": "Enter the date you started the role"},
    )
    end_date = DateField(
        label="End date",
        help_text="Leave empty if you are still in this role. For example, 31 8 2024",
        required=False,
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and start > appointment_latest_start(timezone.localdate()):
            self.add_error("start_date", "Start date must be no more than a year from today")
        elif start and start.year < EARLIEST_YEAR:
            self.add_error("start_date", f"Start date must be in {EARLIEST_YEAR} or later")
        if start and end and end < start:
            self.add_error("end_date", "End date must be the same as or after the start date")
        return cleaned


class QualificationForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of qualification is it?",
        choices=QualificationKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the kind of qualification",
            "invalid_choice": "Select the kind of qualification",
        },
    )
    title = forms.CharField(
        label="Title",
        help_text="For example, Postgraduate Certificate in Healthcare Leadership",
        max_length=200,
        error_messages={
            "required": "Enter the title of the qualification",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    awarding_body = forms.CharField(
        label="Awarding body",
        help_text="For example, the university or the Faculty of Medical Leadership and Management",
        max_length=200,
        required=False,
        error_messages={"max_length": "Awarding body must be 200 characters or fewer"},
    )
    year_awarded = forms.IntegerField(
        label="Year awarded",
        help_text="For example, 2023",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-4"}),
        error_messages={"invalid": "Year awarded must be a year, like 2023"},
    )

    def clean_year_awarded(self) -> int | None:
        year = self.cleaned_data.get("year_awarded")
        if year is None:
            return None
        if year > timezone.localdate().year:
            raise forms.ValidationError("Year awarded must be this year or in the past")
        if year < EARLIEST_YEAR:
            raise forms.ValidationError(f"Year awarded must be {EARLIEST_YEAR} or later")
        return year


def _optional_radios(label: str, choices) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select one of the answers, or leave the question unanswered"},
    )


class EqualityMonitoringForm(forms.Form):
    """Every question is optional and offers "Prefer not to say"."""

    sex = _optional_radios("What is your sex?", Sex.choices)
    age_band = _optional_radios("What is your age?", AgeBand.choices)
    ethnic_group = _optional_radios("What is your ethnic group?", EthnicGroup.choices)
    disability = _optional_radios(
        "Do you consider yourself to have a disability or a long-term health condition?", YesNo.choices
    )
    sexual_orientation = _optional_radios("What is your sexual orientation?", SexualOrientation.choices)
    religion = _optional_radios("What is your religion or belief?", Religion.choices)

    FIELDS = ("sex", "age_band", "ethnic_group", "disability", "sexual_orientation", "religion")

    def answers(self) -> dict[str, str]:
        return {field: self.cleaned_data.get(field) or "" for field in self.FIELDS}
