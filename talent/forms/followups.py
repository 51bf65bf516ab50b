"""The form an admin closes a follow-up with. Which opportunities and pathways may be signposted, and every other
rule, is checked again by talent.services.followups."""

from django import forms

from talent.models import ADMIN_OUTCOMES, FollowUpOutcome, NoActionReason
from talent.services.followups import NOTE_MAX_LENGTH


class CloseFollowUpForm(forms.Form):
    outcome = forms.ChoiceField(
        label="How did you follow up?",
        help_text=(
            "Conversation or nominated: one recorded since this follow-up opened. Signposted: the clinician is emailed "
            "and sees what you chose on their home page."
        ),
        choices=[(value, FollowUpOutcome(value).label) for value in ADMIN_OUTCOMES],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you followed up", "invalid_choice": "Choose how you followed up"},
    )
    opportunities = forms.MultipleChoiceField(
        label="Opportunities to signpost",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "You can only signpost opportunities that are open for applications today"},
    )
    pathways = forms.MultipleChoiceField(
        label="Career pathways to signpost",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "You can only signpost published pathways"},
    )
    reason = forms.ChoiceField(
        label="Why no action?",
        required=False,
        choices=[("", "Choose a reason"), *NoActionReason.choices],
    )
    note = forms.CharField(
        label="Note",  # the form layout adds "(optional)"
        help_text="Required when the reason is another one. With signposting, the clinician sees this note.",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"The note must be {NOTE_MAX_LENGTH} characters or fewer"},
    )

    def __init__(self, *args, opportunities=(), pathways=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opportunities"].choices = [
            (str(o.pk), f"{o.title} ({o.provider}, closes {o.closes_on:%-d %B %Y})") for o in opportunities
        ]
        self.fields["pathways"].choices = [(str(p.pk), p.title) for p in pathways]
