"""The licence plan form. The rules are the service's (talent.services.licence); this only turns the page's answers
into values and says what is missing."""

from django import forms

from talent.models import LICENCE_PLAN_NOTE_MAX_LENGTH, LicencePlanChoice


class LicencePlanForm(forms.Form):
    choice = forms.ChoiceField(
        label="What do you plan to do about your licence to practise if you take a senior leadership role?",
        choices=LicencePlanChoice.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what you plan to do about your licence",
            "invalid_choice": "Choose one of the plans listed",
        },
    )
    note = forms.CharField(
        label="Anything you want to remember about it",
        help_text="Only you see this note. The owners of your talent pools see only the plan you choose.",
        required=False,
        max_length=LICENCE_PLAN_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"Your note must be {LICENCE_PLAN_NOTE_MAX_LENGTH:,} characters or fewer"},
    )
