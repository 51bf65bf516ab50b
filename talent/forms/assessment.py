"""Forms of the self-assessment pages."""

from django import forms
from django.template.loader import render_to_string

from talent.assessment_content import INDICATOR_QUESTIONS
from talent.models import Dimension, Rating


def indicator_hint(dimension: str) -> str:
    """The dimension's reflection questions, as the hint the form's radios are described by."""
    return render_to_string("talent/assessment/_indicator_hint.html", {"questions": INDICATOR_QUESTIONS[dimension]})


class DimensionRatingForm(forms.Form):
    """One dimension, rated on the four-level scale."""

    rating = forms.TypedChoiceField(choices=Rating.choices, coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, dimension: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        label = Dimension(dimension).label
        field = self.fields["rating"]
        field.label = f"How do you rate yourself for {label}?"
        field.help_text = indicator_hint(dimension)
        field.error_messages = {
            **field.error_messages,
            "required": f"Select how you rate yourself for {label}",
            "invalid_choice": f"Select how you rate yourself for {label}",
        }

    @property
    def is_blank(self) -> bool:
        """True when the person submitted without choosing anything."""
        return self.is_bound and not self.data.get(self.add_prefix("rating"))


class CompleteAssessmentForm(forms.Form):
    """Confirms the draft the person was looking at, so a second press of the button cannot complete another."""

    assessment_id = forms.UUIDField(widget=forms.HiddenInput)
