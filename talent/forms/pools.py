"""Forms for talent pools. The rules live in talent.services.pools; these only shape the input."""

from django import forms

from pathways.models import LeadershipRole
from regulators.models import Profession
from talent.models import Readiness
from talent.models.pools import TalentPool
from talent.services.pools import NAME_MAX_LENGTH, TEXT_MAX_LENGTH

TEXT_ERRORS = {"max_length": f"Enter {TEXT_MAX_LENGTH} characters or fewer"}


class PoolForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=NAME_MAX_LENGTH, error_messages={"required": "Enter a name for the pool"}
    )
    purpose = forms.CharField(
        label="Purpose",
        help_text="What the pool is for. Clinicians you invite read this.",
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the pool's purpose", **TEXT_ERRORS},
    )
    role_level = forms.ChoiceField(
        label="Role level",
        choices=[(value, label) for value, label in TalentPool._meta.get_field("role_level").choices],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the role level the pool is for"},
    )
    professions = forms.MultipleChoiceField(
        label="Professions",
        help_text="Leave all unticked for any profession.",
        choices=Profession.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    training_body = forms.ModelChoiceField(label="Training body", queryset=None, required=False)

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if bodies is None or len(bodies) < 2:
            del self.fields["training_body"]
        else:
            self.fields["training_body"].queryset = bodies


class InviteForm(forms.Form):
    clinician = forms.ModelChoiceField(
        label="Clinician",
        queryset=None,
        error_messages={
            "required": "Choose a clinician to invite",
            "invalid_choice": "Choose a clinician who shares their record with the pool's owner",
        },
    )
    note = forms.CharField(
        label="Note to the clinician",
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=TEXT_ERRORS,
    )

    def __init__(self, *args, candidates, limit: int, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["clinician"]
        # Any candidate is accepted; the select offers the first `limit` of them.
        field.queryset = candidates
        field.widget.choices = [("", "Choose a clinician")] + [
            (profile.pk, f"{profile.full_name} ({profile.get_profession_display()})") for profile in candidates[:limit]
        ]


class ReadinessForm(forms.Form):
    readiness = forms.ChoiceField(
        label="Readiness",
        choices=Readiness.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how ready they are"},
    )
    target_role = forms.ModelChoiceField(
        label="For which role",
        help_text="Leave empty for the pool's role level in general.",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": "Choose a role at the pool's role level"},
    )
    evidence = forms.CharField(
        label="Evidence",
        help_text="The clinician sees this.",
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the evidence for this readiness", **TEXT_ERRORS},
    )

    def __init__(self, *args, pool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_role"].queryset = LeadershipRole.objects.filter(level=pool.role_level)


class ReviewRatingForm(forms.Form):
    member = forms.UUIDField(widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    readiness = forms.ChoiceField(
        label="Agreed readiness",
        choices=Readiness.choices,
        error_messages={"required": "Choose the agreed readiness"},
    )
    note = forms.CharField(label="Note", required=False, max_length=TEXT_MAX_LENGTH, error_messages=TEXT_ERRORS)
