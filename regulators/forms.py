"""Forms: the guidance filters (in the URL, so they work without JavaScript) and the clinician's revalidation
record."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from config.widgets import DateField
from pathways.models import LeadershipRole, RoleLevel
from regulators.models import GuidanceTopic, Regulator
from regulators.services import RevalidationAnswers, revalidation_problems


class RegulatorChoiceField(forms.ModelChoiceField):
    """A regulator by its code, in any case (`gmc` or `GMC`), so the page and the API take the same values."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("queryset", Regulator.objects.order_by("code"))
        kwargs.setdefault("to_field_name", "code")
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Regulator) -> str:
        return f"{obj.name} ({obj.code})"

    def to_python(self, value):
        if value in self.empty_values:
            return None
        found = self.queryset.filter(code__iexact=str(value).strip()).first()
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return found

    def prepare_value(self, value):
        # Show the chosen regulator selected in the list even when the address spelled its code in lower case.
        if isinstance(value, str) and value:
            return value.upper()
        return super().prepare_value(value)


class LeadershipRoleChoiceField(forms.ModelChoiceField):
    """A leadership role by its slug (`medical-director`), as in the API."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("queryset", LeadershipRole.objects.order_by("name"))
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(**kwargs)


class GuidanceFilterForm(forms.Form):
    search = forms.CharField(
        label="Search guidance",
        required=False,
        max_length=100,
        help_text="For example, appraisal or practice hours",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    regulator = RegulatorChoiceField(
        label="Regulator",
        required=False,
        empty_label="Any regulator",
        error_messages={"invalid_choice": "Choose a regulator from the list"},
    )
    level = forms.ChoiceField(
        label="Role level",
        required=False,
        choices=[("", "Any level"), *RoleLevel.choices],
        error_messages={"invalid_choice": "Choose a role level from the list"},
    )
    topic = forms.ChoiceField(
        label="Topic",
        required=False,
        choices=[("", "Any topic"), *GuidanceTopic.choices],
        error_messages={"invalid_choice": "Choose a topic from the list"},
    )
    role = LeadershipRoleChoiceField(
        label="Leadership role",
        required=False,
        empty_label="Any role",
        error_messages={"invalid_choice": "Choose a leadership role from the list"},
    )


class RevalidationForm(forms.Form):
    """Only the fields the clinician's regulator has are shown: designated body and responsible officer for doctors
    (GMC), confirmer for nurses, midwives and nursing associates (NMC)."""

    last_revalidated_on = DateField(
        label="When did you last revalidate or renew your registration?",
        help_text=(
            "Give this date or your next due date below: we need one of the two. For example, 15 3 2024. We work out "
            "your next due date from your regulator's cycle."
        ),
        required=False,
        # Errors name the date, not the question (NHS.UK date input style).
        error_messages={
            "incomplete": "Date of your last revalidation must include a %(missing)s",
            "invalid": "Date of your last revalidation must be a real date",
            "invalid_year": "Date of your last revalidation must include a year with 4 numbers",
        },
    )
    next_due_on = DateField(
        label="Or, when is your next revalidation or renewal due?",
        help_text=(
            "Give this date instead if you know it (for example from your regulator's online account): we need one of "
            "the two dates. For example, 15 3 2027."
        ),
        required=False,
        error_messages={
            "incomplete": "Your next due date must include a %(missing)s",
            "invalid": "Your next due date must be a real date",
            "invalid_year": "Your next due date must include a year with 4 numbers",
        },
    )
    designated_body = forms.CharField(
        label="Designated body",
        help_text="Usually the organisation you work for most; for doctors in training, your local office or deanery.",
        required=False,
        max_length=200,
    )
    responsible_officer = forms.CharField(
        label="Responsible officer", help_text="Their name.", required=False, max_length=200
    )
    confirmer = forms.CharField(
        label="Confirmer", help_text="Usually your line manager. Their name.", required=False, max_length=200
    )
    clinical_practice = forms.CharField(
        label="What clinical practice are you keeping up while you lead?",
        help_text="For example, one clinical session a week in the emergency department. Up to 2,000 characters.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
        error_messages={"max_length": "Your answer must be 2,000 characters or fewer"},
    )

    def __init__(self, *args, regulator: Regulator, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.regulator = regulator
        if regulator.code != "GMC":
            del self.fields["designated_body"]
            del self.fields["responsible_officer"]
        if regulator.code != "NMC":
            del self.fields["confirmer"]
        cycle = regulator.revalidation_cycle_months
        every = f"every {cycle // 12} year{'s' if cycle != 12 else ''}" if cycle % 12 == 0 else f"every {cycle} months"
        self.fields["last_revalidated_on"].help_text = (
            "Give this date or your next due date below: we need one of the two. For example, 15 3 2024. "
            f"{regulator.code} registrants revalidate or renew {every}: we work out your next due date from that."
        )
        # Neither date is optional on its own: one of the two is needed, so neither is labelled "(optional)".
        for name in ("last_revalidated_on", "next_due_on"):
            self.fields[name].one_of_required = True

    def answers(self) -> RevalidationAnswers:
        data = self.cleaned_data
        return RevalidationAnswers(
            last_revalidated_on=data.get("last_revalidated_on"),
            next_due_on=data.get("next_due_on"),
            designated_body=data.get("designated_body", ""),
            responsible_officer=data.get("responsible_officer", ""),
            confirmer=data.get("confirmer", ""),
            clinical_practice=data.get("clinical_practice", ""),
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        problems = revalidation_problems(regulator=self.regulator, answers=self.answers(), today=timezone.localdate())
        for name, message in problems.items():
            self.add_error(name if name in self.fields else None, message)
        return cleaned


class GuidanceEmailsForm(forms.Form):
    wanted = forms.TypedChoiceField(
        label="Do you want an email when your licence guidance changes?",
        help_text=(
            "At most one a week, when guidance from your regulator for the leadership roles you hold or aim for "
            "changes. Changes are always shown on your home page."
        ),
        choices=[("yes", "Yes, email me"), ("no", "No, only show changes on my home page")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you want an email when your licence guidance changes"},
    )
