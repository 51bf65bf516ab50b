"""Opportunities in words: who may apply as one sentence, and what an approved clinician does next."""

from datetime import date

import pytest

from pathways.models import Opportunity
from pathways.presenters import dates_text, eligibility_sentence, next_steps_of
from regulators.models import Profession

# (eligibility fields, the sentence a clinician reads). Each sentence is written out, not built from the code.
SENTENCES = [
    pytest.param({}, "Open to clinicians of every profession, at any career stage.", id="no rules"),
    pytest.param({"professions": ["doctor"]}, "Open to doctors.", id="one profession"),
    pytest.param({"professions": ["nurse", "midwife"]}, "Open to nurses and midwives.", id="two professions"),
    pytest.param(
        {"professions": ["pharmacist", "doctor", "nurse"]},
        "Open to doctors, nurses and pharmacists.",
        id="three professions in the usual order",
    ),
    pytest.param(
        {"professions": ["podiatrist", "prosthetist_orthotist"]},
        "Open to chiropodists or podiatrists and prosthetists or orthotists.",
        id="professions with two names",
    ),
    pytest.param(
        {"professions": ["doctor"], "career_stages": ["specialty_training"], "min_specialty_training_year": 4},
        "Open to doctors in specialty training at ST4 or above.",
        id="chief registrar",
    ),
    pytest.param(
        {"min_specialty_training_year": 3},
        "Open to doctors in specialty training at ST3 or above.",
        id="an ST year means doctors",
    ),
    pytest.param(
        {"professions": ["doctor", "nurse"], "min_specialty_training_year": 4},
        "Open to doctors in specialty training at ST4 or above.",
        id="an ST year leaves the other professions out",
    ),
    pytest.param(
        {"professions": ["doctor"], "career_stages": ["specialty_training", "foundation", "core_training"]},
        "Open to doctors in foundation, core or specialty training.",
        id="training stages together",
    ),
    pytest.param(
        {"professions": ["doctor"], "career_stages": ["consultant_gp", "sas"]},
        "Open to doctors in SAS or specialty doctor posts, or working as a consultant or GP.",
        id="senior doctors",
    ),
    pytest.param(
        {"professions": ["nurse", "midwife"], "career_stages": ["band_7", "band_6"]},
        "Open to nurses and midwives at Agenda for Change band 6 or 7.",
        id="bands",
    ),
    pytest.param(
        {"career_stages": ["band_8a", "band_8b", "band_8c", "band_8d", "band_9"]},
        "Open to clinicians at Agenda for Change band 8a, 8b, 8c, 8d or 9.",
        id="bands of any profession",
    ),
    pytest.param(
        {"career_stages": ["core_training", "band_6"]},
        "Open to clinicians in core training, or at Agenda for Change band 6.",
        id="a training stage and a band",
    ),
    pytest.param(
        {"min_years_since_registration": 5},
        "Open to clinicians with at least 5 years since first registration.",
        id="at least",
    ),
    pytest.param(
        {"min_years_since_registration": 1}, "Open to clinicians with at least 1 year since first registration.", id="1"
    ),
    pytest.param(
        {"min_years_since_registration": 0}, "Open to clinicians of every profession, at any career stage.", id="0"
    ),
    pytest.param(
        {"max_years_since_registration": 10},
        "Open to clinicians with up to 10 years since first registration.",
        id="up to",
    ),
    pytest.param(
        {"max_years_since_registration": 0},
        "Open to clinicians in the year they first registered.",
        id="up to none",
    ),
    pytest.param(
        {"min_years_since_registration": 3, "max_years_since_registration": 10},
        "Open to clinicians with 3 to 10 years since first registration.",
        id="between",
    ),
    pytest.param(
        {"min_years_since_registration": 2, "max_years_since_registration": 2},
        "Open to clinicians with exactly 2 years since first registration.",
        id="exactly",
    ),
    pytest.param(
        {"professions": ["nurse"], "career_stages": ["band_7"], "min_years_since_registration": 5},
        "Open to nurses at Agenda for Change band 7, with at least 5 years since first registration.",
        id="profession, band and years",
    ),
    pytest.param(
        {"professions": ["doctor"], "min_specialty_training_year": 4, "max_years_since_registration": 10},
        "Open to doctors in specialty training at ST4 or above, with up to 10 years since first registration.",
        id="ST year and years",
    ),
    pytest.param(
        {"professions": ["dentist"], "min_years_since_registration": 5},
        "Open to dentists with at least 5 years since first registration.",
        id="profession and years",
    ),
    pytest.param(
        {"career_stages": ["not_a_stage_we_know"]},
        "Open to clinicians whose career stage is not_a_stage_we_know.",
        id="a stage added later reads as its code, not an error",
    ),
]


@pytest.mark.parametrize(("fields", "sentence"), SENTENCES)
def test_eligibility_reads_as_one_sentence(fields, sentence):
    """Built from the eligibility fields alone (no database), so every list, page and API answer says the same."""
    assert eligibility_sentence(Opportunity(**fields)) == sentence


def test_the_sentence_does_not_depend_on_the_order_editors_ticked_the_boxes():
    ticked = Opportunity(professions=["midwife", "nurse"], career_stages=["band_7", "band_6"])
    reversed_order = Opportunity(professions=["nurse", "midwife"], career_stages=["band_6", "band_7"])

    assert eligibility_sentence(ticked) == eligibility_sentence(reversed_order)


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "text"),
    [
        (date(2027, 9, 1), date(2028, 8, 31), "From 1 September 2027 to 31 August 2028"),
        (date(2027, 9, 1), None, "Starts on 1 September 2027"),
        (None, date(2028, 8, 31), "Ends on 31 August 2028"),
        (None, None, ""),
    ],
)
def test_the_dates_in_words(starts_on, ends_on, text):
    assert dates_text(Opportunity(starts_on=starts_on, ends_on=ends_on)) == text


def test_next_steps_are_plain_strings_an_email_can_carry():
    opportunity = Opportunity(
        provider="Faculty of Medical Leadership",
        next_steps="  Register on our site.\nThen book induction.  ",
        link="https://example.org/",
        starts_on=date(2027, 9, 1),
        contact_name="Programme team",
        contact_email="programme@example.org",
    )

    assert next_steps_of(opportunity) == {
        "provider": "Faculty of Medical Leadership",
        "instructions": "Register on our site.\nThen book induction.",
        "link": "https://example.org/",
        "dates": "Starts on 1 September 2027",
        "contact_name": "Programme team",
        "contact_email": "programme@example.org",
    }


@pytest.mark.parametrize("profession", Profession.values)
def test_every_profession_reads_as_its_people(profession):
    """Each profession alone gives "Open to <the people in it>.", lower case, plural (midwives, not midwifes)."""
    sentence = eligibility_sentence(Opportunity(professions=[profession]))

    people = sentence.removeprefix("Open to ").removesuffix(".")
    assert people == people.lower() and people.endswith("s") and "wifes" not in people
