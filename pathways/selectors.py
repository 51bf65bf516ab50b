"""Reads of pathways and opportunities: published content for everyone, and eligibility in plain words."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from pathways.models import ContentStatus, Opportunity, Pathway
from regulators.models import Profession
from talent.models import CareerStage, ClinicianProfile


def pathways_visible_to(user: User) -> QuerySet[Pathway]:
    """Published pathways; drafts are for content editors, who work on them in the admin site."""
    return Pathway.objects.filter(status=ContentStatus.PUBLISHED).select_related("target_role")


def opportunities_visible_to(user: User) -> QuerySet[Opportunity]:
    return Opportunity.objects.filter(status=ContentStatus.PUBLISHED)


def open_opportunities(today: date | None = None) -> QuerySet[Opportunity]:
    today = today or timezone.localdate()
    return Opportunity.objects.filter(status=ContentStatus.PUBLISHED, opens_on__lte=today, closes_on__gte=today)


def listed_or_any_q(field: str, code: str) -> Q:
    """Rows whose JSON list `field` is empty (open to any) or holds `code`.

    A text match on the quoted code rather than `__contains=[code]`, so it also runs on SQLite (`make run`); codes
    are plain lowercase words, so '"nurse"' can only match the element "nurse".
    """
    return Q(**{field: []}) | Q(**{f"{field}__icontains": f'"{code}"'})


def eligible_q(profile: ClinicianProfile, today: date) -> Q:
    """The database form of `eligibility_for(opportunity=..., profile=profile, today=today).eligible`."""
    condition = listed_or_any_q("professions", profile.profession) & listed_or_any_q(
        "career_stages", profile.career_stage
    )
    # Empty outside specialty training (the constraint profile_specialty_year_only_in_specialty_training).
    st_year = profile.specialty_training_year
    if st_year is None:
        condition &= Q(min_specialty_training_year__isnull=True)
    else:
        condition &= Q(min_specialty_training_year__isnull=True) | Q(min_specialty_training_year__lte=st_year)
    years = profile.years_since_registration(today)
    condition &= Q(min_years_since_registration__isnull=True) | Q(min_years_since_registration__lte=years)
    condition &= Q(max_years_since_registration__isnull=True) | Q(max_years_since_registration__gte=years)
    return condition & Q(opens_on__lte=today, closes_on__gte=today)


@dataclass(frozen=True)
class Eligibility:
    """Whether a clinician may apply, and if not, every rule they do not meet, in plain words."""

    reasons: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.reasons


def _joined(labels: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def eligibility_for(
    *, opportunity: Opportunity, profile: ClinicianProfile, today: date, name: str | None = None
) -> Eligibility:
    """Check every eligibility rule of the opportunity against the clinician's profile. An empty list of reasons
    means eligible; otherwise each reason names the rule, e.g. "open to ST4 and above". The reasons speak to the
    clinician ("you have 3"), or about them when someone else reads them (`name`: "Priya Shah has 3")."""
    has = f"{name} has" if name else "you have"
    reasons = []
    if opportunity.professions and profile.profession not in opportunity.professions:
        professions = [Profession(code).label.lower() for code in opportunity.professions]
        reasons.append(f"Open only to these professions: {_joined(professions)}.")
    if opportunity.career_stages and profile.career_stage not in opportunity.career_stages:
        stages = [CareerStage(code).label for code in opportunity.career_stages]
        reasons.append(f"Open only at these career stages: {_joined(stages)}.")
    if opportunity.min_specialty_training_year:
        st_year = profile.specialty_training_year
        if st_year is None or st_year < opportunity.min_specialty_training_year:
            reasons.append(
                f"Open to doctors in specialty training at ST{opportunity.min_specialty_training_year} and above."
            )
    years = profile.years_since_registration(today)
    low, high = opportunity.min_years_since_registration, opportunity.max_years_since_registration
    if low is not None and years < low:
        reasons.append(f"Needs at least {low} years since first registration ({has} {years}).")
    if high is not None and years > high:
        reasons.append(f"Open up to {high} years after first registration ({has} {years}).")
    if today < opportunity.opens_on:
        reasons.append(f"Applications open on {date_format(opportunity.opens_on, 'j F Y')}.")
    elif today > opportunity.closes_on:
        reasons.append(f"Applications closed on {date_format(opportunity.closes_on, 'j F Y')}.")
    return Eligibility(reasons=reasons)
