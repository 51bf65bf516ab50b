"""Forms of the development plan: a goal, an action, a review and sharing. The rules are the service's
(talent.services.plans); these only turn the page's answers into values and say what is missing."""

from django import forms
from django.utils.formats import date_format

from config.widgets import DateField
from pathways.models import Opportunity, PathwayStep
from talent.models import ActionStatus, Dimension, GoalStatus
from talent.models.plans import (
    ACTION_TEXT_MAX_LENGTH,
    GOAL_DETAIL_MAX_LENGTH,
    GOAL_TITLE_MAX_LENGTH,
    REVIEW_NOTE_MAX_LENGTH,
)
from talent.selectors.plans import opportunities_for_actions, pathway_steps_for_actions


def _limit(what: str, limit: int) -> dict:
    return {"max_length": f"{what} must be {limit:,} characters or fewer"}


class GoalForm(forms.Form):
    title = forms.CharField(
        label="What do you want to achieve?",
        help_text="For example, lead a quality improvement project in your department.",
        max_length=GOAL_TITLE_MAX_LENGTH,
        error_messages={"required": "Enter what you want to achieve", **_limit("Your goal", GOAL_TITLE_MAX_LENGTH)},
    )
    dimensions = forms.MultipleChoiceField(
        label="Which leadership dimensions will this goal develop?",
        choices=Dimension.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one leadership dimension this goal develops",
            "invalid_choice": "Select leadership dimensions from the list",
        },
    )
    detail = forms.CharField(
        label="More detail (optional)",
        help_text=f"How you will know you have achieved it. Up to {GOAL_DETAIL_MAX_LENGTH:,} characters.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=GOAL_DETAIL_MAX_LENGTH,
        required=False,
        error_messages=_limit("The detail", GOAL_DETAIL_MAX_LENGTH),
    )
    target_on = DateField(label="Target date (optional)", help_text="For example, 31 3 2027", required=False)

    def __init__(self, *args, suggested: list[str] | None = None, latest_assessment=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if suggested:
            labels = dict(Dimension.choices)
            names = ", ".join(labels[key] for key in suggested)
            when = date_format(latest_assessment.completed_at, "j F Y") if latest_assessment else ""
            self.fields["dimensions"].help_text = (
                f"Select all that apply. Suggested: {names}, which you rated lowest in your self-assessment"
                f"{' of ' + when if when else ''}."
            )
        else:
            self.fields["dimensions"].help_text = "Select all that apply."


class GoalChangeForm(GoalForm):
    status = forms.ChoiceField(
        label="How is it going?",
        choices=GoalStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the goal is going", "invalid_choice": "Select how the goal is going"},
    )


class StepChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PathwayStep) -> str:
        return f"{obj.pathway.title}: step {obj.order}, {obj.title}"


class ActionForm(forms.Form):
    text = forms.CharField(
        label="What will you do?",
        help_text="For example, shadow the clinical director at two service meetings.",
        max_length=ACTION_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what you will do", **_limit("The action", ACTION_TEXT_MAX_LENGTH)},
    )
    pathway_step = StepChoiceField(
        label="Is it a step of a career pathway? (optional)",
        queryset=PathwayStep.objects.none(),
        required=False,
        empty_label="No",
        error_messages={"invalid_choice": "Select a pathway step from the list"},
    )
    opportunity = forms.ModelChoiceField(
        label="Or a development opportunity? (optional)",
        queryset=Opportunity.objects.none(),
        required=False,
        empty_label="No",
        error_messages={"invalid_choice": "Select an opportunity from the list"},
    )
    target_on = DateField(label="Target date (optional)", help_text="For example, 30 9 2027", required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pathway_step"].queryset = pathway_steps_for_actions()
        self.fields["opportunity"].queryset = opportunities_for_actions()


class ActionChangeForm(ActionForm):
    status = forms.ChoiceField(
        label="How is it going?",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how the action is going",
            "invalid_choice": "Select how the action is going",
        },
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label="What has changed since your last review? (optional)",
        help_text=f"What went well, what got in the way, what you will change. Up to {REVIEW_NOTE_MAX_LENGTH:,} "
        "characters.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=REVIEW_NOTE_MAX_LENGTH,
        required=False,
        error_messages=_limit("Your note", REVIEW_NOTE_MAX_LENGTH),
    )


class SharingForm(forms.Form):
    shared = forms.TypedChoiceField(
        label="Share your development plan with your training body?",
        choices=[("yes", "Yes, its leadership team may read my plan"), ("no", "No, keep my plan to myself")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to share your plan", "invalid_choice": "Select yes or no"},
    )
