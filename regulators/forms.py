"""Forms: the guidance filters (in the URL, so they work without JavaScript) and the clinician's revalidation
record."""

from django import forms
from django.utils import timezone

from config.widgets import DateField
from pathways.models import LeadershipRole, RoleLevel
from regulators.models import GuidanceTopic, Regulator
from regulators.services import RevalidationAnswers, revalidation_problems


class RegulatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Regulator) -> str:
        return f"{obj.name} ({obj.code})"


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
        queryset=Regulator.objects.order_by("code"),
        to_field_name="code",
        empty_label="Any regulator",
    )
    level = forms.ChoiceField(label="Role level", required=False, choices=[("", "Any level"), *RoleLevel.choices])
    topic = forms.ChoiceField(label="Topic", required=False, choices=[("", "Any topic"), *GuidanceTopic.choices])
    role = forms.ModelChoiceField(
        label="Leadership role",
        required=False,
        queryset=LeadershipRole.objects.order_by("name"),
        to_field_name="slug",
        empty_label="Any role",
    )


class RevalidationForm(forms.Form):
    """Only the fields the clinician's regulator has are shown: designated body and responsible officer for doctors
    (GMC), confirmer for nurses, midwives and nursing associates (NMC)."""

    last_revalidated_on = DateField(
        label="When did you last revalidate or renew your registration?",
        help_text="For example, 15 3 2024. We work out your next due date from your regulator's cycle.",
        required=False,
    )
    next_due_on = DateField(
        label="Or, when is your next revalidation or renewal due?",
        help_text="If you know it (for example from your regulator's online account), enter it instead.",
        required=False,
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
            f"For example, 15 3 2024. {regulator.code} registrants revalidate or renew {every}: we work out your next "
            "due date from that."
        )

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
