"""Forms for career conversations. The rules (dates, owners, lengths) live in talent.services.conversations; the
forms ask in the NHS.UK way and give the same limits, so most mistakes are caught before the service is asked."""

from django import forms

from config.widgets import DateField
from talent.models import ConversationResponse
from talent.services.conversations import (
    ACTION_DESCRIPTION_MAX_LENGTH,
    ACTION_OWNER_MAX_LENGTH,
    ASPIRATIONS_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    PARTICIPANTS_MAX_LENGTH,
    REQUEST_MESSAGE_MAX_LENGTH,
    VERSION_MAX_LENGTH,
    ActionInput,
)

# Rows for agreed actions on the page (it works without JavaScript, so the spare rows are there from the start).
ACTION_ROWS = 3


def _too_long(label: str, limit: int) -> dict:
    return {"max_length": f"{label} must be {limit} characters or fewer"}


class ConversationForm(forms.Form):
    held_on = DateField(
        label="Date of the conversation",
        help_text="For example, 15 3 2026",
        error_messages={"required": "Enter the date of the conversation"},
    )
    participants = forms.CharField(
        label="Who took part",
        help_text="Names and roles, for example: Dr A Patel (clinician), J Smith (training programme director)",
        max_length=PARTICIPANTS_MAX_LENGTH,
        error_messages={"required": "Enter who took part", **_too_long("Who took part", PARTICIPANTS_MAX_LENGTH)},
    )
    aspirations = forms.CharField(
        label="The clinician's aspirations, in their words",
        max_length=ASPIRATIONS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter the clinician's aspirations",
            **_too_long("The clinician's aspirations", ASPIRATIONS_MAX_LENGTH),
        },
    )
    next_conversation_on = DateField(
        label="Date of the next conversation",  # the form layout adds "(optional)"
        help_text="For example, 15 9 2026",
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{number}_description"] = forms.CharField(
                label=f"Action {number}: what was agreed",
                required=False,
                max_length=ACTION_DESCRIPTION_MAX_LENGTH,
                error_messages=_too_long(f"Action {number}", ACTION_DESCRIPTION_MAX_LENGTH),
            )
            self.fields[f"action_{number}_owner"] = forms.CharField(
                label=f"Action {number}: who owns it",
                required=False,
                max_length=ACTION_OWNER_MAX_LENGTH,
                error_messages=_too_long(f"The owner of action {number}", ACTION_OWNER_MAX_LENGTH),
            )
            self.fields[f"action_{number}_due_on"] = DateField(
                label=f"Action {number}: due by", help_text="For example, 30 6 2026", required=False
            )

    def action_rows(self) -> list[list]:
        return [
            [self[f"action_{number}_{part}"] for part in ("description", "owner", "due_on")]
            for number in range(1, ACTION_ROWS + 1)
        ]

    def actions(self) -> list[ActionInput]:
        data = self.cleaned_data
        return [
            ActionInput(
                description=data.get(f"action_{number}_description", ""),
                owner=data.get(f"action_{number}_owner", ""),
                due_on=data.get(f"action_{number}_due_on"),
            )
            for number in range(1, ACTION_ROWS + 1)
        ]


class RespondForm(forms.Form):
    response = forms.ChoiceField(
        label="Is this a fair account of your conversation?",
        choices=[
            (ConversationResponse.CONFIRMED, "Yes, I confirm it"),
            (ConversationResponse.DISPUTED, "No, I dispute it"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether you confirm or dispute this account",
            "invalid_choice": "Choose whether you confirm or dispute this account",
        },
    )
    comment = forms.CharField(
        label="Your comment",  # the form layout adds "(optional)"
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_too_long("Your comment", COMMENT_MAX_LENGTH),
    )
    version = forms.CharField(
        label="Your account of the conversation",
        help_text="Only if you dispute it. Your training body's account is kept, with yours beside it.",
        required=False,
        max_length=VERSION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages=_too_long("Your account", VERSION_MAX_LENGTH),
    )


class RequestConversationForm(forms.Form):
    message = forms.CharField(
        label="What would you like to talk about?",  # the form layout adds "(optional)"
        required=False,
        max_length=REQUEST_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_too_long("Your message", REQUEST_MESSAGE_MAX_LENGTH),
    )
