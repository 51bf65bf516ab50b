"""Eligibility for development opportunities, in plain words; and "eligible for me" worked out by the database
(`eligible_q`, `open_opportunities`) agreeing with `eligibility_for` on every rule and on the first and last day of
an application window."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.models import ContentStatus, Opportunity, OpportunityKind
from pathways.selectors import eligibility_for, eligible_q, open_opportunities
from regulators.models import Profession, Regulator
from talent.models import DOCTOR_STAGES, CareerStage, ClinicianProfile
from tests.clock import runs_at
from tests.factories import ClinicianProfileFactory

# The checks on unsaved objects below pass their own day; those on the database run at NOW.
TODAY = date(2026, 11, 26)
NOW = datetime(2027, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/London"))
_at_now = runs_at(NOW)


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
        (
            {"professions": ["nurse", "midwife", "pharmacist"]},
            {},
            "Open only to these professions: nurse, midwife and pharmacist.",
        ),
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


# --- The database and Python agree, on the first and last day of a window -----------------------------------------

# Application windows, as (opens, closes) in days from NOW's date, and whether applications are open at NOW.
WINDOWS = {
    "opened-and-closed-yesterday": (-1, -1, False),
    "opened-yesterday-closes-today": (-1, 0, True),
    "opened-yesterday-closes-tomorrow": (-1, 1, True),
    "opens-and-closes-today": (0, 0, True),
    "opens-today-closes-tomorrow": (0, 1, True),
    "opens-and-closes-tomorrow": (1, 1, False),
}
OPEN_WINDOWS = {name for name, (*_, is_open) in WINDOWS.items() if is_open}

ST4, CONSULTANT, NURSE = "ST4 doctor, 6 years", "consultant, 15 years", "nurse band 7, 3 years"
# Clinicians, by their facts; first registered this many years before NOW's year.
CLINICIANS = {
    ST4: {"career_stage": CareerStage.SPECIALTY_TRAINING, "specialty_training_year": 4, "years": 6},
    CONSULTANT: {"career_stage": CareerStage.CONSULTANT_GP, "specialty_training_year": None, "years": 15},
    NURSE: {
        "profession": Profession.NURSE,
        "regulator": "NMC",
        "career_stage": CareerStage.BAND_7,
        "specialty_training_year": None,
        "years": 3,
    },
}
# Eligibility rules, and who among CLINICIANS meets them (worked out by hand).
RULES = {
    "anyone": ({}, {ST4, CONSULTANT, NURSE}),
    "doctors": ({"professions": ["doctor"]}, {ST4, CONSULTANT}),
    "nurses-and-midwives": ({"professions": ["nurse", "midwife"]}, {NURSE}),
    "specialty-trainees": ({"career_stages": ["specialty_training"]}, {ST4}),
    "band-7-and-consultants": ({"career_stages": ["band_7", "consultant_gp"]}, {CONSULTANT, NURSE}),
    "st4-and-above": ({"min_specialty_training_year": 4}, {ST4}),
    "st5-and-above": ({"min_specialty_training_year": 5}, set()),
    "at-least-6-years": ({"min_years_since_registration": 6}, {ST4, CONSULTANT}),
    "at-least-7-years": ({"min_years_since_registration": 7}, {CONSULTANT}),
    "up-to-6-years": ({"max_years_since_registration": 6}, {ST4, NURSE}),
    "up-to-5-years": ({"max_years_since_registration": 5}, {NURSE}),
    "3-to-6-years": ({"min_years_since_registration": 3, "max_years_since_registration": 6}, {ST4, NURSE}),
    "doctors-up-to-15-years": ({"professions": ["doctor"], "max_years_since_registration": 15}, {ST4, CONSULTANT}),
}


def opportunities_for(rules: dict[str, tuple[dict, set]]) -> None:
    """One published opportunity per rule and window, its slug "rule--window"."""
    day = NOW.date()
    Opportunity.objects.bulk_create(
        Opportunity(
            slug=f"{rule}--{window}",
            title=f"{rule} {window}".replace("-", " ").capitalize(),
            provider="Example provider",
            kind=OpportunityKind.COURSE,
            summary="Summary.",
            description="Description.",
            opens_on=day + timedelta(days=opens),
            closes_on=day + timedelta(days=closes),
            status=ContentStatus.PUBLISHED,
            published_at=NOW - timedelta(days=30),
            **fields,
        )
        for rule, (fields, _) in rules.items()
        for window, (opens, closes, _) in WINDOWS.items()
    )


def clinician_with(facts: dict) -> ClinicianProfile:
    facts = dict(facts)
    if "regulator" in facts:
        facts["regulator"] = Regulator.objects.get(code=facts["regulator"])
    profile = ClinicianProfileFactory(first_registration_year=NOW.year - facts.pop("years"), **facts)
    profile.refresh_from_db()  # the stored values, as a page reads them, not what the factory was given
    return profile


def slugs(opportunities) -> set[str]:
    return {opportunity.slug for opportunity in opportunities}


@pytest.mark.django_db
@pytest.mark.parametrize("who", CLINICIANS)
def test_eligible_for_me_in_the_database_agrees_with_eligibility_for_on_every_rule_and_window(who):
    """A clinician is offered exactly the opportunities they may apply for, one opening or closing today included,
    whichever way the rules are checked (the API's filter, the nudges' list of open ones, the detail page's panel)."""
    opportunities_for(RULES)
    profile = clinician_with(CLINICIANS[who])
    expected = {
        f"{rule}--{window}" for rule, (_, admitted) in RULES.items() if who in admitted for window in OPEN_WINDOWS
    }
    every_open_one = {f"{rule}--{window}" for rule in RULES for window in OPEN_WINDOWS}
    everything = Opportunity.objects.all()
    today = timezone.localdate()

    python = slugs(o for o in everything if eligibility_for(opportunity=o, profile=profile, today=today).eligible)
    query = slugs(Opportunity.objects.filter(eligible_q(profile, today)))
    open_ones = slugs(open_opportunities())
    open_and_eligible = slugs(
        o for o in open_opportunities() if eligibility_for(opportunity=o, profile=profile, today=today).eligible
    )

    assert python == expected
    assert query == expected
    assert open_ones == every_open_one
    assert open_and_eligible == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("pathways:list_opportunities", {"eligible": "on"}),
        ("pathways:list_opportunities", {"open": "on"}),
        ("pathways_api:list_opportunities", {"eligible_for": "me"}),
        ("pathways_api:list_opportunities", {"open": "true"}),
    ],
    ids=["page eligible for me", "page open now", "API eligible_for=me", "API open=true"],
)
def test_filtering_opportunities_keeps_one_closing_today_and_drops_one_that_closed_yesterday(
    client, clinician, url_name, query
):
    """ "Eligible for me" and "open now", on the page and in the API, list opportunities opening or closing today
    and never one that closed yesterday or opens tomorrow."""
    opportunities_for({"anyone": RULES["anyone"]})
    client.force_login(clinician)

    response = client.get(reverse(url_name), query)

    assert response.status_code == 200
    if url_name == "pathways_api:list_opportunities":
        listed = {row["slug"] for row in response.json()["results"]}
    else:
        listed = slugs(row["opportunity"] for row in response.context["rows"])
    assert listed == {f"anyone--{window}" for window in OPEN_WINDOWS}
    assert "anyone--opened-yesterday-closes-today" in listed and "anyone--opened-and-closed-yesterday" not in listed


@pytest.mark.django_db
def test_years_since_registration_are_counted_on_the_day_asked_about():
    """Asked about a day next year (a nudge for a period), a clinician one year further on is no longer eligible."""
    profile = clinician_with({"career_stage": CareerStage.CONSULTANT_GP, "specialty_training_year": None, "years": 5})
    opportunities_for({"up-to-5-years": ({"max_years_since_registration": 5}, set())})
    updated = Opportunity.objects.filter(slug__startswith="up-to-5-years--").update(
        opens_on=NOW.date() - timedelta(days=30), closes_on=NOW.date() + timedelta(days=400)
    )
    next_year = NOW.date() + timedelta(days=365)

    assert updated == len(WINDOWS)
    assert Opportunity.objects.filter(eligible_q(profile, NOW.date())).count() == len(WINDOWS)
    assert not Opportunity.objects.filter(eligible_q(profile, next_year)).exists()
    assert not any(
        eligibility_for(opportunity=o, profile=profile, today=next_year).eligible for o in Opportunity.objects.all()
    )
