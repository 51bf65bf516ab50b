"""Forms of 360 feedback: the clinician starting a round, and a rater's answer. The rules (how many raters, which
addresses, the closing date) live in talent.services.feedback, so the page and the API say the same."""

from django import forms

from config.widgets import DateField
from talent.assessment_content import DIMENSION_ORDER, DIMENSION_SUMMARIES
from talent.models import COMMENT_MAX_LENGTH, FEEDBACK_MAX_DAYS, FEEDBACK_MIN_DAYS, Dimension, RaterGroup, Rating
from talent.services.feedback import RaterInvite

NOT_OBSERVED = "not_observed"
RATER_FIELDS = {
    RaterGroup.LINE_MANAGER: ("line_managers", "Line manager"),
    RaterGroup.PEER: ("peers", "Peers"),
    RaterGroup.DIRECT_REPORT: ("direct_reports", "Direct reports"),
    RaterGroup.OTHER: ("others", "Others"),
}
ADDRESSES_HINT = "Email addresses, one on each line."


class StartFeedbackRoundForm(forms.Form):
    closes_on = DateField(
        label="Closing date",
        help_text=f"Between {FEEDBACK_MIN_DAYS} and {FEEDBACK_MAX_DAYS} days from today. For example, 15 3 2027",
        error_messages={"required": "Enter the closing date"},
    )
    line_managers = forms.CharField(
        label="Line manager",
        required=False,
        help_text="Usually one person. Their answers are shown even though they are fewer than 3, labelled as "
        "your line manager's.",
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off", "spellcheck": "false"}),
    )
    peers = forms.CharField(
        label="Peers",
        required=False,
        help_text=ADDRESSES_HINT,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}),
    )
    direct_reports = forms.CharField(
        label="Direct reports",
        required=False,
        help_text=ADDRESSES_HINT,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}),
    )
    others = forms.CharField(
        label="Others",
        required=False,
        help_text=ADDRESSES_HINT + " For example, colleagues in other teams, or people you work with outside "
        "your organisation.",
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}),
    )

    def invites(self) -> list[RaterInvite]:
        """Every address given, in its group, as typed (the service checks and normalises them)."""
        invites = []
        for group, (name, _label) in RATER_FIELDS.items():
            for line in self.cleaned_data.get(name, "").replace(",", "\n").replace(";", "\n").splitlines():
                if line.strip():
                    invites.append(RaterInvite(email=line.strip(), group=group))
        return invites


def rating_choices() -> list[tuple[str, str]]:
    return [(str(value), label) for value, label in Rating.choices] + [(NOT_OBSERVED, "Not observed")]


class RaterAnswerForm(forms.Form):
    """The nine dimensions (a level or "not observed" each) and two comments. Every field may be left blank in a
    draft; the service says what a submission lacks."""

    does_well = forms.CharField(
        label="What does this person do well as a leader?",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": f"This comment must be {COMMENT_MAX_LENGTH} characters or fewer"},
    )
    could_do_more_of = forms.CharField(
        label="What could this person do more of?",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": f"This comment must be {COMMENT_MAX_LENGTH} characters or fewer"},
    )

    def __init__(self, *args, clinician_name: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        ratings = {}
        for dimension in DIMENSION_ORDER:
            label = Dimension(dimension).label
            ratings[dimension] = forms.ChoiceField(
                label=label,
                help_text=DIMENSION_SUMMARIES[dimension],
                choices=rating_choices(),
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": f"Choose a level or “not observed” for {label}"},
            )
        self.fields = {**ratings, **self.fields}
        self.fields["does_well"].help_text = f"Say what {clinician_name} does that helps. Do not include your name."
        self.fields[
            "could_do_more_of"
        ].help_text = f"Say what would help {clinician_name} lead even better. Do not include your name."

    @property
    def dimension_fields(self):
        return [self[dimension] for dimension in DIMENSION_ORDER]

    def ratings(self) -> dict[str, int | None]:
        """Dimension -> level, or None for "not observed"; dimensions left blank are left out."""
        chosen = {}
        for dimension in DIMENSION_ORDER:
            value = self.cleaned_data.get(dimension)
            if value == NOT_OBSERVED:
                chosen[dimension] = None
            elif value:
                chosen[dimension] = int(value)
        return chosen

    @staticmethod
    def initial_from(answer) -> dict:
        if answer is None:
            return {}
        initial = {"does_well": answer.does_well, "could_do_more_of": answer.could_do_more_of}
        for rating in answer.ratings.all():
            initial[rating.dimension] = NOT_OBSERVED if rating.rating is None else str(rating.rating)
        return initial


class ShareReportForm(forms.Form):
    share = forms.TypedChoiceField(choices=[("yes", "Share"), ("no", "Stop sharing")], coerce=lambda v: v == "yes")
