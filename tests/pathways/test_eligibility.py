"""Eligibility for development opportunities, in plain words."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.models import Opportunity
from pathways.selectors import eligibility_for
from regulators.models import Profession
from talent.models import DOCTOR_STAGES, CareerStage, ClinicianProfile

TODAY = date(2026, 11, 26)


def opportunity(**rules) -> Opportunity:
    values = {"opens_on": TODAY - timedelta(days=10), "closes_on": TODAY + timedelta(days=10)}
    return Opportunity(title="Test opportunity", **{**values, **rules})


def profile(**facts) -> ClinicianProfile:
    values = {
        "profession": Profession.DOCTOR,
        "career_stage": CareerStage.SPECIALTY_TRAINING,
        "specialty_training_year": 4,
        "first_registration_year": TODAY.year - 6,
    }
    return ClinicianProfile(**{**values, **facts})


@pytest.mark.parametrize(
    ("rules", "facts", "reason"),
    [
        ({"professions": ["nurse", "midwife"]}, {}, "Open only to these professions: nurse and midwife."),
        ({"career_stages": ["band_8a", "band_8b"]}, {}, "Open only at these career stages: Agenda for Change band 8a"),
        ({"min_specialty_training_year": 4}, {"specialty_training_year": 3}, "at ST4 and above"),
        (
            {"min_specialty_training_year": 4},
            {"career_stage": CareerStage.CONSULTANT_GP, "specialty_training_year": None},
            "at ST4 and above",
        ),
        ({"min_years_since_registration": 7}, {}, "Needs at least 7 years since first registration (you have 6)"),
        ({"max_years_since_registration": 5}, {}, "Open up to 5 years after first registration (you have 6)"),
        (
            {"opens_on": TODAY + timedelta(days=1), "closes_on": TODAY + timedelta(days=30)},
            {},
            "Applications open on 27 November 2026",
        ),
        (
            {"opens_on": TODAY - timedelta(days=30), "closes_on": TODAY - timedelta(days=1)},
            {},
            "Applications closed on 25 November 2026",
        ),
    ],
)
def test_each_unmet_rule_is_explained(rules, facts, reason):
    """A clinician who misses a rule is told which one, in words."""
    result = eligibility_for(opportunity=opportunity(**rules), profile=profile(**facts), today=TODAY)

    assert not result.eligible
    assert any(reason in text for text in result.reasons), result.reasons


@pytest.mark.parametrize(
    ("rules", "facts"),
    [
        ({"professions": ["doctor"]}, {}),
        ({"career_stages": ["specialty_training"], "min_specialty_training_year": 4}, {}),
        ({"min_years_since_registration": 6, "max_years_since_registration": 6}, {}),  # both boundaries included
        ({"opens_on": TODAY, "closes_on": TODAY}, {}),  # the window includes its first and last day
        (
            {},
            {"profession": Profession.PHARMACIST, "career_stage": CareerStage.BAND_7, "specialty_training_year": None},
        ),  # no rules: open to everyone
    ],
)
def test_meeting_every_rule_on_the_boundary_is_eligible(rules, facts):
    """Boundary values count as met: the sixth year for "6 to 6 years", today for a window ending today."""
    result = eligibility_for(opportunity=opportunity(**rules), profile=profile(**facts), today=TODAY)

    assert result.eligible and result.reasons == []


def test_several_unmet_rules_are_all_listed():
    """Someone failing three rules sees three reasons, not just the first."""
    rules = {
        "professions": ["nurse"],
        "min_years_since_registration": 10,
        "closes_on": TODAY - timedelta(days=1),
        "opens_on": TODAY - timedelta(days=20),
    }

    assert len(eligibility_for(opportunity=opportunity(**rules), profile=profile(), today=TODAY).reasons) == 3


professions = st.sampled_from(Profession.values)
stages = st.sampled_from(CareerStage.values)
years_ago = st.integers(min_value=0, max_value=45)


@st.composite
def profiles(draw):
    profession = draw(professions)
    stage_choices = [s for s in CareerStage.values if (s in DOCTOR_STAGES) == (profession == Profession.DOCTOR)]
    stage = draw(st.sampled_from(stage_choices))
    return profile(
        profession=profession,
        career_stage=stage,
        specialty_training_year=draw(st.integers(1, 8)) if stage == CareerStage.SPECIALTY_TRAINING else None,
        first_registration_year=TODAY.year - draw(years_ago),
    )


@st.composite
def opportunities(draw):
    low = draw(st.none() | st.integers(0, 20))
    high = draw(st.none() | st.integers(low or 0, 40))
    opens = TODAY + timedelta(days=draw(st.integers(-60, 60)))
    return opportunity(
        professions=draw(st.lists(professions, max_size=3, unique=True)),
        career_stages=draw(st.lists(stages, max_size=4, unique=True)),
        min_specialty_training_year=draw(st.none() | st.integers(1, 8)),
        min_years_since_registration=low,
        max_years_since_registration=high,
        opens_on=opens,
        closes_on=opens + timedelta(days=draw(st.integers(0, 90))),
    )


def meets_every_rule(o: Opportunity, p: ClinicianProfile) -> bool:
    """The rules as a checklist, written independently of the service's wording."""
    years = TODAY.year - p.first_registration_year
    st_year = p.specialty_training_year if p.career_stage == CareerStage.SPECIALTY_TRAINING else 0
    checks = [
        not o.professions or p.profession in o.professions,
        not o.career_stages or p.career_stage in o.career_stages,
        not o.min_specialty_training_year or (st_year or 0) >= o.min_specialty_training_year,
        o.min_years_since_registration is None or years >= o.min_years_since_registration,
        o.max_years_since_registration is None or years <= o.max_years_since_registration,
        o.opens_on <= TODAY <= o.closes_on,
    ]
    return all(checks)


@settings(max_examples=300, deadline=None)
@given(o=opportunities(), p=profiles())
def test_eligible_means_no_reasons_and_ineligible_always_has_one(o, p):
    """Property: an eligible clinician is never given a reason; an ineligible one always gets at least one."""
    result = eligibility_for(opportunity=o, profile=p, today=TODAY)

    assert result.eligible == meets_every_rule(o, p)
    assert result.eligible == (result.reasons == [])
    assert all(reason.endswith(".") and reason[0].isupper() for reason in result.reasons)
