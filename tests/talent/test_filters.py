"""The clinicians FilterSet shared by the clinicians page and the API: each filter, the search, bad input."""

from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import Region, TrainingBody
from regulators.models import Regulator
from talent.filters import ClinicianFilter
from talent.models import CareerStage, ClinicianProfile, EarlyInterestSignal, SignalKind, early_career_q
from talent.selectors import clinicians_visible_to
from tests.factories import ClinicianFactory, ClinicianProfileFactory, TrainingBodyFactory

pytestmark = pytest.mark.django_db


def filtered(params: dict, queryset=None, user=None) -> set:
    request = RequestFactory().get("/clinicians/", params)
    request.user = user
    filterset = ClinicianFilter(params, queryset=queryset or ClinicianProfile.objects.all(), request=request)
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("pk", flat=True))


def signal(profile, *, days_ago: int) -> EarlyInterestSignal:
    return EarlyInterestSignal.objects.create(
        profile=profile, kind=SignalKind.INTEREST_RAISED, created_at=timezone.now() - timedelta(days=days_ago)
    )


def test_the_early_career_filter_agrees_with_the_rule_for_every_kind_of_clinician():
    """ "Early career: yes" lists exactly the clinicians the profile page calls early career, and "no" the rest,
    including at the EARLY_CAREER_YEARS boundary and for non-doctors in doctors' training stages."""
    this_year = timezone.localdate().year
    years = settings.EARLY_CAREER_YEARS
    nmc = Regulator.objects.get(code="NMC")
    profiles = []
    for profession in ("doctor", "nurse"):
        for stage in (
            CareerStage.FOUNDATION,
            CareerStage.CORE_TRAINING,
            CareerStage.SPECIALTY_TRAINING,
            CareerStage.SAS,
            CareerStage.CONSULTANT_GP,
            CareerStage.BAND_6,
        ):
            for first_year in (this_year, this_year - years + 1, this_year - years, this_year - years - 1, 1960):
                extra = {"regulator": nmc} if profession == "nurse" else {}
                profiles.append(
                    ClinicianProfileFactory(
                        profession=profession,
                        career_stage=stage,
                        specialty_training_year=3 if stage == CareerStage.SPECIALTY_TRAINING else None,
                        first_registration_year=first_year,
                        **extra,
                    )
                )
    early = {profile.pk for profile in profiles if profile.is_early_career_on()}
    assert early and early != {profile.pk for profile in profiles}
    assert filtered({"early_career": "true"}) == early
    assert filtered({"early_career": "false"}) == {profile.pk for profile in profiles} - early
    assert filtered({"early_career": ""}) == {profile.pk for profile in profiles}
    assert set(ClinicianProfile.objects.filter(early_career_q()).values_list("pk", flat=True)) == early


def test_region_profession_stage_and_training_body_filters_each_narrow_the_list(training_body, other_training_body):
    """Choosing a region, profession, career stage or training body shows only the clinicians who match it."""
    london = Region.objects.get(slug="london")
    in_london = ClinicianProfileFactory(region=london, training_body=other_training_body)
    nurse = ClinicianProfileFactory(
        profession="nurse", regulator=Regulator.objects.get(code="NMC"), career_stage="band_6",
        specialty_training_year=None, training_body=training_body,
    )  # fmt: skip
    consultant = ClinicianProfileFactory(career_stage="consultant_gp", specialty_training_year=None)
    assert filtered({"region": "london"}) == {in_london.pk}
    assert filtered({"profession": "nurse"}) == {nurse.pk}
    assert filtered({"career_stage": "consultant_gp"}) == {consultant.pk}
    assert filtered({"training_body": training_body.slug}) == {nurse.pk}
    assert filtered({"region": "north-west", "profession": "doctor"}) == {consultant.pk}


def test_minimum_interest_level_includes_everyone_at_or_above_it():
    """ "Exploring or above" lists clinicians at Exploring, Actively developing and Ready for a role."""
    by_level = {level: ClinicianProfileFactory(current_interest_level=level) for level in range(5)}
    assert filtered({"min_interest_level": "2"}) == {by_level[level].pk for level in (2, 3, 4)}
    assert filtered({"min_interest_level": "4"}) == {by_level[4].pk}


def test_early_interest_since_a_date_lists_each_clinician_once():
    """Clinicians with a signal on or after the date are listed once each, however many signals they have."""
    recent, old, none = ClinicianProfileFactory(), ClinicianProfileFactory(), ClinicianProfileFactory()
    for days in (1, 2, 3):
        signal(recent, days_ago=days)
    signal(old, days_ago=60)
    since = timezone.localdate() - timedelta(days=10)
    params = {
        "early_interest_since_day": str(since.day),
        "early_interest_since_month": str(since.month),
        "early_interest_since_year": str(since.year),
    }
    request = RequestFactory().get("/clinicians/", params)
    filterset = ClinicianFilter(params, queryset=ClinicianProfile.objects.all(), request=request)
    assert list(filterset.qs.values_list("pk", flat=True)) == [recent.pk]
    # The API sends one ISO date under the plain name.
    assert filtered({"early_interest_since": since.isoformat()}) == {recent.pk}
    assert filtered({"early_interest_since": (since - timedelta(days=100)).isoformat()}) == {recent.pk, old.pk}
    assert filtered({}) == {recent.pk, old.pk, none.pk}


def test_a_signal_at_midnight_on_the_date_counts():
    """ "Since 1 March" includes something that happened in the first minute of 1 March."""
    profile = ClinicianProfileFactory()
    day = timezone.localdate() - timedelta(days=5)
    EarlyInterestSignal.objects.create(
        profile=profile,
        kind=SignalKind.SELF_ASSESSMENT_COMPLETED,
        created_at=timezone.make_aware(datetime.combine(day, datetime.min.time())),
    )
    assert filtered({"early_interest_since": day.isoformat()}) == {profile.pk}
    assert filtered({"early_interest_since": (day + timedelta(days=1)).isoformat()}) == set()


def test_search_finds_clinicians_by_name_words_or_registration_number():
    """Typing part of a name (any order, any case) or a full registration number finds the clinician."""
    ada = ClinicianProfileFactory(user=ClinicianFactory(full_name="Ada Lovelace"), registration_number="7123456")
    grace = ClinicianProfileFactory(user=ClinicianFactory(full_name="Grace Hopper"), registration_number="7654321")
    nurse = ClinicianProfileFactory(
        user=ClinicianFactory(full_name="Mary Seacole"), profession="nurse",
        regulator=Regulator.objects.get(code="NMC"), registration_number="12A3456E",
        career_stage="band_6", specialty_training_year=None,
    )  # fmt: skip
    assert filtered({"search": "lovelace"}) == {ada.pk}
    assert filtered({"search": "lovelace ADA"}) == {ada.pk}
    assert filtered({"search": "Ada Hopper"}) == set()
    assert filtered({"search": "7654321"}) == {grace.pk}
    assert filtered({"search": " 12a 3456e "}) == {nurse.pk}
    assert filtered({"search": "765432"}) == set()  # part of a number finds nobody: numbers are not guessable
    assert filtered({"search": "   "}) == {ada.pk, grace.pk, nurse.pk}


def test_filters_never_widen_what_the_user_may_see(tb_admin, training_body, other_training_body):
    """Filtering by another body's slug finds nobody for an admin, even though that body has clinicians."""
    ClinicianProfileFactory(training_body=other_training_body)
    own = ClinicianProfileFactory(training_body=training_body)
    scoped = clinicians_visible_to(tb_admin)
    assert filtered({}, queryset=scoped, user=tb_admin) == {own.pk}
    request = RequestFactory().get("/")
    request.user = tb_admin
    filterset = ClinicianFilter({"training_body": other_training_body.slug}, queryset=scoped, request=request)
    assert not filterset.is_valid()  # not one of their bodies: not even a choice
    assert set(filterset.qs) <= {own}


def test_training_body_choices_are_the_admins_own_bodies_but_all_bodies_for_hee(tb_admin, hee_staff, training_body):
    """An admin's "Training body" list shows only the bodies they administer; HEE staff choose among all."""
    TrainingBodyFactory()

    def choices_for(user) -> set[str]:
        request = RequestFactory().get("/")
        request.user = user
        field = ClinicianFilter({}, request=request).form.fields["training_body"]
        return {str(value) for value, _ in field.choices if value}

    assert choices_for(tb_admin) == {training_body.slug}
    assert choices_for(hee_staff) == set(TrainingBody.objects.values_list("slug", flat=True))


@pytest.mark.parametrize(
    "params, field",
    [
        ({"region": "atlantis"}, "region"),
        ({"profession": "wizard"}, "profession"),
        ({"career_stage": "band_42"}, "career_stage"),
        ({"min_interest_level": "9"}, "min_interest_level"),
        ({"early_interest_since": "not-a-date"}, "early_interest_since"),
        ({"early_interest_since_day": "31", "early_interest_since_month": "2", "early_interest_since_year": "2025"},
         "early_interest_since"),
        ({"search": "x" * 101}, "search"),
    ],
)  # fmt: skip
def test_bad_filter_values_are_field_errors_not_crashes(params, field):
    """Made-up values in the URL give a message against the right filter (the API turns these into a 400)."""
    filterset = ClinicianFilter(params, queryset=ClinicianProfile.objects.all())
    assert not filterset.is_valid()
    assert field in filterset.errors
    list(filterset.qs)  # the other filters still run
