"""Fixtures for the talent-pipeline dashboard: a small fixed population whose figures are worked out by hand.

Time is frozen at 20 November 2026, noon. Every clinician is a doctor in specialty training (early career) in the
North West with `training_body`, sharing with it and with HEE, unless said otherwise.

| who | furthest stage | why |
|-----|----------------|-----|
| A   | Registered     | level 0; joined January 2025; female |
| B   | Interested     | level 1 (recorded November 2026); joined June 2025; male |
| C   | Developing     | level 2, self-assessment completed September 2026; female |
| D   | Developing     | level 3; nurse, band 6, registered 2010 (not early career), Critical care; male;  |
|     |                | a leadership qualification |
| E   | Nominated      | level 1, nomination submitted November 2026, waiting; female |
| F   | Nominated      | London / other body, level 2, submitted August 2026 and rejected |
| G   | Approved       | London / other body, level 4, submitted August 2026, approved September 2026 |
| H   | In role        | London / other body, consultant registered 2000, Cardiology, current medical director |
|     |                | (organisation level: a leader), female, Asian, FMLM Fellow |
| I   | In role        | current service-level role; shares with nobody |
| J   | Developing     | level 4, a team-level role that ended in 2025 (below service level: not an appointment that |
|     |                | counts), self-assessment in 2024 (too old) |
| K   | (not counted)  | deleted account (inactive user), level 4 |

Funnel: Registered 10, Interested 9, Developing 8, Nominated 5, Approved 3, Appointed 2, In role 2.
(H and I are appointed and in a role; `test_appointed_stage.py` adds a clinician appointed in the past only.)
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import Region
from pathways.models import Opportunity, OpportunityKind
from regulators.models import Regulator
from talent.models import (
    AssessmentStatus,
    EqualityMonitoring,
    LeadershipExperience,
    Nomination,
    NominationRoute,
    NominationState,
    Qualification,
    SelfAssessment,
)
from tests.factories import ClinicianProfileFactory, InterestRecordFactory

LONDON_TZ = ZoneInfo("Europe/London")
FROZEN = datetime(2026, 11, 20, 12, 0, tzinfo=LONDON_TZ)


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, 0, tzinfo=LONDON_TZ)


@pytest.fixture
def pipeline_now():
    with time_machine.travel(FROZEN, tick=False):
        yield FROZEN


def _opportunity(slug: str) -> Opportunity:
    return Opportunity.objects.create(
        slug=slug,
        title=slug.replace("-", " ").capitalize(),
        provider="Example provider",
        kind=OpportunityKind.COURSE,
        summary="Summary.",
        description="Description.",
        opens_on=date(2026, 1, 1),
        closes_on=date(2026, 12, 31),
        status="published",
        published_at=at(2026, 1, 1),
    )


def _nomination(profile, opportunity, *, submitted, state, decided=None, body) -> Nomination:
    return Nomination.objects.create(
        profile=profile,
        opportunity=opportunity,
        training_body=body,
        route=NominationRoute.APPLICATION,
        supporting_statement="I lead our department's improvement work.",
        state=state,
        submitted_at=submitted,
        decided_at=decided,
        decision_reason="Not this year." if state == NominationState.REJECTED else "",
        created_at=submitted,
    )


@pytest.fixture
def pipeline_population(pipeline_now, training_body, other_training_body) -> dict:
    """The eleven clinicians of the table above, by letter (profiles)."""
    london = Region.objects.get(slug="london")
    nmc = Regulator.objects.get(code="NMC")
    here = {"training_body": training_body}
    there = {"training_body": other_training_body, "region": london}
    people = {
        "A": ClinicianProfileFactory(user__full_name="Alex Adams", current_interest_level=0, **here),
        "B": ClinicianProfileFactory(user__full_name="Bea Brown", current_interest_level=1, **here),
        "C": ClinicianProfileFactory(user__full_name="Cal Clarke", current_interest_level=2, **here),
        "D": ClinicianProfileFactory(
            user__full_name="Dee Davies",
            current_interest_level=3,
            profession="nurse",
            regulator=nmc,
            registration_number="10A1234B",
            career_stage="band_6",
            specialty_training_year=None,
            specialty="Critical care",
            first_registration_year=2010,
            **here,
        ),
        "E": ClinicianProfileFactory(user__full_name="Eve Evans", current_interest_level=1, **here),
        "F": ClinicianProfileFactory(user__full_name="Fin Fox", current_interest_level=2, **there),
        "G": ClinicianProfileFactory(user__full_name="Gil Green", current_interest_level=4, **there),
        "H": ClinicianProfileFactory(
            user__full_name="Hana Hill",
            current_interest_level=4,
            career_stage="consultant_gp",
            specialty_training_year=None,
            specialty="Cardiology",
            first_registration_year=2000,
            **there,
        ),
        "I": ClinicianProfileFactory(
            user__full_name="Ida Irving",
            current_interest_level=3,
            shares_with_training_body=False,
            shares_with_hee=False,
            **here,
        ),
        "J": ClinicianProfileFactory(user__full_name="Jo James", current_interest_level=4, **here),
        "K": ClinicianProfileFactory(
            user__full_name="Kit King", current_interest_level=4, user__is_active=False, **here
        ),
    }
    people["A"].created_at = at(2025, 1, 10)
    people["A"].save(update_fields=["created_at"])
    people["B"].created_at = at(2025, 6, 1)
    people["B"].save(update_fields=["created_at"])

    InterestRecordFactory(profile=people["B"], level=1, recorded_at=at(2026, 11, 5))
    InterestRecordFactory(profile=people["C"], level=2, recorded_at=at(2026, 10, 10))
    SelfAssessment.objects.create(
        profile=people["C"], status=AssessmentStatus.COMPLETED, created_at=at(2026, 9, 1), completed_at=at(2026, 9, 15)
    )
    SelfAssessment.objects.create(
        profile=people["J"], status=AssessmentStatus.COMPLETED, created_at=at(2024, 9, 1), completed_at=at(2024, 9, 15)
    )

    course, fellowship = _opportunity("leadership-course"), _opportunity("clinical-fellowship")
    _nomination(people["E"], course, submitted=at(2026, 11, 2), state=NominationState.SUBMITTED, body=training_body)
    _nomination(
        people["F"],
        course,
        submitted=at(2026, 8, 10),
        decided=at(2026, 8, 20),
        state=NominationState.REJECTED,
        body=other_training_body,
    )
    _nomination(
        people["G"],
        fellowship,
        submitted=at(2026, 8, 12),
        decided=at(2026, 9, 1),
        state=NominationState.APPROVED,
        body=other_training_body,
    )

    LeadershipExperience.objects.create(
        profile=people["H"], role="Medical director", organisation="Example Trust", level="organisation",
        start_date=date(2024, 4, 1),
    )  # fmt: skip
    LeadershipExperience.objects.create(
        profile=people["I"], role="Clinical lead", organisation="Example Trust", level="service",
        start_date=date(2025, 4, 1),
    )  # fmt: skip
    LeadershipExperience.objects.create(
        profile=people["J"], role="Quality improvement lead", organisation="NHS England", level="team",
        start_date=date(2023, 1, 1), end_date=date(2025, 3, 31),
    )  # fmt: skip

    Qualification.objects.create(profile=people["H"], kind="fmlm_fellow", title="FMLM Fellow")
    Qualification.objects.create(profile=people["D"], kind="leadership_management", title="MSc Healthcare leadership")
    Qualification.objects.create(profile=people["A"], kind="other", title="Advanced life support")

    for letter, sex in {"A": "female", "B": "male", "C": "female", "D": "male", "E": "female", "H": "female"}.items():
        EqualityMonitoring.objects.create(
            profile=people[letter], sex=sex, ethnic_group="asian" if letter == "H" else "white"
        )
    return people
