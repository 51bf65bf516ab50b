"""The talent-pipeline filters (GET parameters, documented in `pipeline.selectors.scope`), shared by the dashboard,
its exports, the drill-down and the API. Choices are limited to the asking user's scope, so a region or training
body outside it is an error, never a wider view."""

from datetime import date

from django import forms

from accounts.models import Region, TrainingBody, User
from config.widgets import MonthField
from pipeline.selectors import (
    DRILLDOWN_SORTS,
    TREND_LABELS,
    Drilldown,
    PipelineFilters,
    pipeline_regions_for,
    pipeline_training_bodies_for,
)
from pipeline.stages import STAGE_BY_KEY, STAGE_KEYS, PipelineStage
from regulators.models import Profession
from talent.models import career_stage_grouped_choices

FILTER_NAMES = (
    "region",
    "profession",
    "career_stage",
    "specialty",
    "training_body",
    "early_career",
    "joined_from",
    "joined_to",
)

# The months the filters accept: the service began long after 1950, and far-off years would only overflow the month
# arithmetic (year 10000) further down; outside this range a date is a field error, never a wider or broken view.
EARLIEST_YEAR, LATEST_YEAR = 1950, 2100


class PipelineFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(), to_field_name="slug", required=False, empty_label="Any region"
    )
    profession = forms.ChoiceField(choices=[("", "Any profession"), *Profession.choices], required=False)
    career_stage = forms.ChoiceField(
        choices=[("", "Any career stage"), *career_stage_grouped_choices()], required=False
    )
    specialty = forms.CharField(
        label="Specialty or field", max_length=120, required=False, help_text="For example, Cardiology"
    )
    training_body = forms.ModelChoiceField(
        queryset=TrainingBody.objects.none(), to_field_name="slug", required=False, empty_label="Any training body"
    )
    early_career = forms.BooleanField(label="Early-career clinicians only", required=False)
    # Months, not days: the figures are counted by the month a clinician joined.
    joined_from = MonthField(
        label="Joined the service from (month and year)",
        error_name="The start month",
        required=False,
        help_text="For example, 4 2025",
    )
    joined_to = MonthField(
        label="Joined the service up to (month and year)",
        error_name="The end month",
        required=False,
        help_text="For example, 6 2026",
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = pipeline_regions_for(user)
        self.fields["training_body"].queryset = pipeline_training_bodies_for(user)

    def _clean_joined(self, name: str) -> date | None:
        value = self.cleaned_data.get(name)
        if value and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            label = self.fields[name].error_name
            raise forms.ValidationError(f"{label} must be in a year between {EARLIEST_YEAR} and {LATEST_YEAR}")
        return value

    def clean_joined_from(self):
        return self._clean_joined("joined_from")

    def clean_joined_to(self):
        return self._clean_joined("joined_to")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("joined_from"), cleaned.get("joined_to")
        if start and end and end < start:
            self.add_error("joined_to", "The end month must be the same as or after the start month")
        return cleaned

    def filters(self) -> PipelineFilters:
        """The valid filters (call after is_valid(); an invalid form gives no filters)."""
        if not self.is_bound or not self.is_valid():
            return PipelineFilters()
        data = self.cleaned_data
        return PipelineFilters(
            region_id=data["region"].pk if data.get("region") else None,
            profession=data.get("profession") or "",
            career_stage=data.get("career_stage") or "",
            specialty=(data.get("specialty") or "").strip(),
            training_body_id=data["training_body"].pk if data.get("training_body") else None,
            early_career=bool(data.get("early_career")),
            joined_from=data.get("joined_from"),
            joined_to=data.get("joined_to"),
        )


class FollowUpTrendForm(forms.Form):
    """The region the follow-up trend is narrowed to (`region=<slug>`); a region outside the person's scope is an
    error, never a wider view."""

    region = forms.ModelChoiceField(
        queryset=Region.objects.none(), to_field_name="slug", required=False, empty_label="England"
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = pipeline_regions_for(user)
        self.fields["region"].label = "Show the trend for"

    def chosen_region(self) -> Region | None:
        if not self.is_bound or not self.is_valid():
            return None
        return self.cleaned_data.get("region")


def _month(value: str) -> date:
    year, month = value.split("-")
    return date(int(year), int(month), 1)


class DrilldownForm(forms.Form):
    """Which count was clicked (on top of the filters)."""

    stage = forms.ChoiceField(
        choices=[(key, PipelineStage(stage).label) for stage, key in STAGE_KEYS.items()], required=False
    )
    leaders = forms.BooleanField(required=False)
    event = forms.ChoiceField(choices=[("", ""), *TREND_LABELS.items()], required=False)
    month = forms.RegexField(regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False)
    sort = forms.ChoiceField(
        choices=[(key, key) for name in DRILLDOWN_SORTS for key in (name, f"-{name}")], required=False
    )

    def clean_month(self):
        value = self.cleaned_data.get("month")
        if value and not EARLIEST_YEAR <= int(value[:4]) <= LATEST_YEAR:
            raise forms.ValidationError(f"The month must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
        return value

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("event")) != bool(cleaned.get("month")):
            raise forms.ValidationError("A trend cell needs both a series and a month.")
        return cleaned

    def drilldown(self) -> Drilldown:
        data = self.cleaned_data
        return Drilldown(
            stage=STAGE_BY_KEY.get(data.get("stage") or "registered", PipelineStage.REGISTERED),
            leaders=bool(data.get("leaders")),
            event=data.get("event") or "",
            month=_month(data["month"]) if data.get("month") else None,
            sort=data.get("sort") or "name",
        )
