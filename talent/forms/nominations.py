"""Forms for nominations: applying, nominating, and an admin's decision. Rules live in talent.services.nominations."""

from django import forms

from config.widgets import DateField
from talent.models import NominationOutcome, NominationState
from talent.services.nominations import REASON_MAX_LENGTH, STATEMENT_MAX_LENGTH

STATEMENT_HINT = (
    "Say why this opportunity fits your leadership development now, what you would bring to it and how it would help "
    "your service. Your training body's admins read this when they decide."
)


class ApplyForm(forms.Form):
    supporting_statement = forms.CharField(
        label="Your supporting statement",
        help_text=STATEMENT_HINT,
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Enter a supporting statement",
            "max_length": f"The supporting statement must be {STATEMENT_MAX_LENGTH} characters or fewer",
        },
    )


APPROVE = "approve"
REJECT = "reject"


class DecisionForm(forms.Form):
    """One decision on a nomination: approve with an optional note, or do not approve with a reason."""

    decision = forms.ChoiceField(
        label="Do you approve this nomination?",
        choices=[(APPROVE, "Approve"), (REJECT, "Do not approve")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you approve this nomination",
            "invalid_choice": "Select whether you approve this nomination",
        },
    )
    note = forms.CharField(
        label="Note to the clinician",  # the form layout adds "(optional)"
        help_text="If you approve. The clinician will see this note.",
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"The note must be {REASON_MAX_LENGTH} characters or fewer"},
    )
    reason = forms.CharField(
        label="Reason for not approving",
        help_text="Needed if you do not approve. The clinician will see this reason.",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter the reason for not approving this nomination",
            "max_length": f"The reason must be {REASON_MAX_LENGTH} characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The reason is needed only to not approve; unbound, the label must not call it optional.
        if self.is_bound and self.data.get("decision") != REJECT:
            self.fields["reason"].required = False


class OutcomeForm(forms.Form):
    """What became of an approved nomination (the service checks the date against the approval and today)."""

    outcome = forms.ChoiceField(
        label="What became of this nomination?",
        choices=NominationOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what became of the nomination",
            "invalid_choice": "Select what became of the nomination",
        },
    )
    date = DateField(
        label="Date",
        help_text="The day they completed it, left it or turned the place down. For example, 15 3 2026",
        error_messages={"required": "Enter the date"},
    )
    note = forms.CharField(
        label="Note",  # the form layout adds "(optional)"
        help_text="The clinician will see this note.",
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"The note must be {REASON_MAX_LENGTH} characters or fewer"},
    )


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *NominationState.choices],
    )
    opportunity = forms.ChoiceField(label="Opportunity", required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("longest_waiting", "Waiting longest first"), ("newest", "Newest first")],
    )

    def __init__(self, *args, opportunities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opportunity"].choices = [("", "Any opportunity")] + [
            (str(opportunity.pk), opportunity.title) for opportunity in opportunities
        ]


def _clinician_choices(clinicians) -> list[tuple[str, str]]:
    return [("", "Choose a clinician")] + [
        (str(profile.pk), f"{profile.user.full_name} ({profile.get_profession_display()})") for profile in clinicians
    ]


CLINICIAN_ERRORS = {"required": "Choose the clinician to nominate", "invalid_choice": "Choose a clinician"}
CLINICIAN_HINT = "Clinicians of your training body who share their profile with it."


class ChooseClinicianForm(forms.Form):
    """The first step of nominating: whom, so the next step can offer only what they are eligible for."""

    clinician = forms.ChoiceField(label="Clinician", help_text=CLINICIAN_HINT, error_messages=CLINICIAN_ERRORS)

    def __init__(self, *args, clinicians=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinician"].choices = _clinician_choices(clinicians)


class NominateForm(forms.Form):
    """An admin nominates one of the clinicians they may see for an open opportunity they are eligible for."""

    clinician = forms.ChoiceField(label="Clinician", help_text=CLINICIAN_HINT, error_messages=CLINICIAN_ERRORS)
    opportunity = forms.ChoiceField(
        label="Opportunity",
        help_text="Open opportunities this clinician is eligible for.",
        error_messages={
            "required": "Choose the opportunity",
            "invalid_choice": "Choose an open opportunity they are eligible for",
        },
    )
    supporting_statement = forms.CharField(
        label="Why you are nominating them",
        help_text="The clinician sees this when they decide whether to accept.",
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter why you are nominating them",
            "max_length": f"The statement must be {STATEMENT_MAX_LENGTH} characters or fewer",
        },
    )

    def __init__(self, *args, clinicians=(), opportunities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinician"].choices = _clinician_choices(clinicians)
        self.fields["opportunity"].choices = [("", "Choose an opportunity")] + [
            (str(opportunity.pk), opportunity.title) for opportunity in opportunities
        ]
