"""Forms of mentoring: the mentor's offer, a request, and a reply. The rules are the service's
(talent.services.mentoring)."""

from django import forms

from accounts.models import Region
from pathways.models import LeadershipRole
from regulators.models import Profession
from talent.models import MENTORING_CAPACITY_MAX, Dimension
from talent.models.mentoring import OFFER_ABOUT_MAX_LENGTH, REQUEST_MESSAGE_MAX_LENGTH, REQUEST_REPLY_MAX_LENGTH

CHOOSE_FROM_LIST = "Select {what} from the list"


class OfferForm(forms.Form):
    capacity = forms.IntegerField(
        label="How many mentees can you take at once?",
        help_text=f"From 1 to {MENTORING_CAPACITY_MAX}.",
        min_value=1,
        max_value=MENTORING_CAPACITY_MAX,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-2"}),
        error_messages={
            "required": "Enter how many mentees you can take at once",
            "invalid": "Enter how many mentees as a number, like 2",
            "min_value": f"Enter a number from 1 to {MENTORING_CAPACITY_MAX}",
            "max_value": f"Enter a number from 1 to {MENTORING_CAPACITY_MAX}",
        },
    )
    professions = forms.MultipleChoiceField(
        label="Which professions will you mentor?",
        help_text="Leave all unticked to mentor any profession.",
        choices=Profession.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": CHOOSE_FROM_LIST.format(what="professions")},
    )
    regions = forms.ModelMultipleChoiceField(
        label="Which regions will you mentor in?",
        help_text="Leave all unticked to mentor in any region.",
        queryset=Region.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": CHOOSE_FROM_LIST.format(what="regions"),
            "invalid_pk_value": CHOOSE_FROM_LIST.format(what="regions"),
        },
    )
    dimensions = forms.MultipleChoiceField(
        label="Which leadership dimensions can you help with?",
        choices=Dimension.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": CHOOSE_FROM_LIST.format(what="leadership dimensions")},
    )
    target_roles = forms.ModelMultipleChoiceField(
        label="Which leadership roles can you help people towards?",
        queryset=LeadershipRole.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": CHOOSE_FROM_LIST.format(what="leadership roles"),
            "invalid_pk_value": CHOOSE_FROM_LIST.format(what="leadership roles"),
        },
    )
    about = forms.CharField(
        label="What can you offer? (optional)",
        help_text=f"Shown to the clinicians we suggest you to. Up to {OFFER_ABOUT_MAX_LENGTH:,} characters.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=OFFER_ABOUT_MAX_LENGTH,
        required=False,
        error_messages={"max_length": f"What you can offer must be {OFFER_ABOUT_MAX_LENGTH:,} characters or fewer"},
    )
    is_open = forms.TypedChoiceField(
        label="Are you taking new mentees?",
        choices=[("yes", "Yes, suggest me to clinicians looking for a mentor"), ("no", "No, not at the moment")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
        error_messages={"required": "Select whether you are taking new mentees"},
    )


class RequestForm(forms.Form):
    message = forms.CharField(
        label="Your message to the mentor",
        help_text=f"Say what you would like help with. Up to {REQUEST_MESSAGE_MAX_LENGTH:,} characters.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=REQUEST_MESSAGE_MAX_LENGTH,
        error_messages={
            "required": "Enter a message to the mentor",
            "max_length": f"Your message must be {REQUEST_MESSAGE_MAX_LENGTH:,} characters or fewer",
        },
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label="A reply to them (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REQUEST_REPLY_MAX_LENGTH,
        required=False,
        error_messages={"max_length": f"Your reply must be {REQUEST_REPLY_MAX_LENGTH:,} characters or fewer"},
    )
