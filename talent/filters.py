"""Filters for lists of clinicians, shared by the clinicians page and the `clinicians/` API endpoint.

The FilterSet only narrows a queryset it is given; scoping (who may see whom) is the caller's job and always comes
from `talent.selectors.clinicians_visible_to(user)`.
"""

from datetime import date, datetime, time

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import Region, TrainingBody
from config.widgets import DateField, DateInput
from regulators.models import Profession
from talent.models import CareerStage, ClinicianProfile, EarlyInterestSignal, InterestLevel
from talent.selectors.clinicians import TRAINING_BODY, records_shared_with


def early_interest_since_q(since: date) -> Exists:
    """Clinicians with at least one early-interest signal on or after `since` (local time). A subquery, not a join,
    so each clinician appears once however many signals they have."""
    start = timezone.make_aware(datetime.combine(since, time.min))
    return Exists(EarlyInterestSignal.objects.filter(profile=OuterRef("pk"), created_at__gte=start))


class DateOrPartsInput(DateInput):
    """The NHS.UK date input (day, month, year boxes) that also accepts one ISO date under the plain name, so the
    API can say `?early_interest_since=2025-03-15` while the page shows three boxes."""

    def value_from_datadict(self, data, files, name):
        if data.get(name):
            return data.get(name)
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)


class NHSDateFilter(django_filters.DateFilter):
    field_class = DateField


def _training_bodies(request) -> QuerySet[TrainingBody]:
    """Training-body admins choose among their own bodies; everyone else among all of them."""
    user = getattr(request, "user", None)
    if user is not None and records_shared_with(user) == TRAINING_BODY:
        return TrainingBody.objects.filter(memberships__user=user).order_by("name")
    return TrainingBody.objects.order_by("name")


MIN_INTEREST_CHOICES = [(level.value, f"{level.label} or above") for level in InterestLevel if level.value > 0]
YES_NO_ANY = [("", "Any"), ("true", "Yes"), ("false", "No")]


class ClinicianFilter(django_filters.FilterSet):
    """Search by name or registration number, and filter by region, profession, career stage, training body,
    minimum interest level, early career and early interest since a date."""

    search = django_filters.CharFilter(
        method="filter_search",
        label="Name or registration number",
        max_length=100,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.order_by("name"), to_field_name="slug", label="Region", empty_label="Any region"
    )
    profession = django_filters.ChoiceFilter(choices=Profession.choices, label="Profession", empty_label="Any")
    career_stage = django_filters.ChoiceFilter(choices=CareerStage.choices, label="Career stage", empty_label="Any")
    training_body = django_filters.ModelChoiceFilter(
        queryset=_training_bodies, to_field_name="slug", label="Training body", empty_label="Any training body"
    )
    min_interest_level = django_filters.ChoiceFilter(
        field_name="current_interest_level",
        lookup_expr="gte",
        choices=MIN_INTEREST_CHOICES,
        label="Current leadership interest",
        empty_label="Any level",
    )
    # A choice, not a boolean: anything but true/false is an error (400 in the API), never silently ignored.
    early_career = django_filters.ChoiceFilter(
        method="filter_early_career", label="Early career", choices=YES_NO_ANY[1:], empty_label="Any"
    )
    early_interest_since = NHSDateFilter(
        method="filter_early_interest_since",
        label="Showed early interest in leadership since",
        help_text="For example, 15 3 2025",
        widget=DateOrPartsInput(),
    )

    class Meta:
        model = ClinicianProfile
        fields = [
            "search",
            "region",
            "profession",
            "career_stage",
            "training_body",
            "min_interest_level",
            "early_career",
            "early_interest_since",
        ]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Every word must appear in the name, or the whole text is the registration number (any case, no spaces)."""
        value = value.strip()
        if not value:
            return queryset
        name_matches = Q()
        for word in value.split():
            name_matches &= Q(full_name__icontains=word)
        number = "".join(value.split())
        # Numbers are stored normalised (no spaces, capitals), so an exact match can use the unique index.
        return queryset.filter(name_matches | Q(registration_number=number.upper()))

    def filter_early_career(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.early_career() if value == "true" else queryset.not_early_career()

    def filter_early_interest_since(self, queryset: QuerySet, name: str, value: date | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(early_interest_since_q(value))
