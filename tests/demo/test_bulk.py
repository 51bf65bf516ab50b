"""The synthetic national population of `seed_demo --clinicians N` (demo.bulk)."""

import json
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import Role, TrainingBody, User
from demo import accounts as demo_accounts
from demo import bulk as demo_bulk
from pathways.models import ROLE_LEVEL_RANK, RoleLevel
from pathways.selectors import eligibility_for
from regulators.models import Regulator
from talent.checks import profiles_disagreeing_with_their_account
from talent.models import (
    ClinicianProfile,
    ConsentEvent,
    ConsentRecipient,
    EarlyInterestSignal,
    EqualityMonitoring,
    InterestRecord,
    LeadershipExperience,
    Nomination,
    NominationRoute,
    NominationState,
    Qualification,
    SelfAssessment,
    SelfAssessmentRating,
    SignalKind,
)
from tests.factories import TEST_PASSWORD

MODES = {
    "copy, one transaction with keys rebuilt": {"use_copy": True, "bulk": True},
    "copy, a transaction per chunk": {"use_copy": True, "bulk": False},
    "bulk_create (SQLite's way)": {"use_copy": False, "bulk": False},
}
TABLE_MODELS = [
    User,
    ClinicianProfile,
    ConsentEvent,
    InterestRecord,
    EarlyInterestSignal,
    SelfAssessment,
    SelfAssessmentRating,
    LeadershipExperience,
    Qualification,
    EqualityMonitoring,
    Nomination,
]


def row_counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in TABLE_MODELS}


@pytest.fixture
def demo_ready(db):
    call_command("load_starter_content", verbosity=0)
    demo_accounts.demo_accounts_seed(password=TEST_PASSWORD)


def constraint_and_index_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid::regclass::text LIKE 'talent_%%' "
            "OR conrelid::regclass::text = 'accounts_user' UNION "
            "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid::regclass::text LIKE 'talent_%%' "
            "OR indrelid::regclass::text = 'accounts_user'"
        )
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.parametrize("mode", MODES.values(), ids=MODES.keys())
def test_a_small_population_is_valid_complete_and_idempotent(demo_ready, mode):
    """Every synthetic clinician gets a valid record with a realistic history; every nomination state appears; a
    second run with the same N adds nothing and a larger N adds only the difference."""
    before = constraint_and_index_names()
    result = demo_bulk.synthetic_population_seed(count=600, password=TEST_PASSWORD, training_bodies=20, **mode)

    assert result.clinicians_added == 600
    assert not profiles_disagreeing_with_their_account().exists()  # the copy of each account's name and flag
    assert constraint_and_index_names() == before  # what bulk mode dropped is all back, under the same names
    synthetic = User.objects.filter(email__endswith=f"@{demo_accounts.SYNTHETIC_EMAIL_DOMAIN}")
    assert synthetic.count() == 600
    assert synthetic.get(email=demo_bulk.synthetic_email(0)).check_password(TEST_PASSWORD)
    profiles = ClinicianProfile.objects.filter(user__in=synthetic).select_related("regulator", "user")
    assert profiles.count() == 600

    # Profiles: valid numbers for their regulator, a national spread.
    numbers = Counter()
    for profile in profiles:
        profile.full_clean()
        profile.regulator.validate_registration_number(profile.registration_number, profession=profile.profession)
        numbers[(profile.regulator_id, profile.registration_number)] += 1
    assert max(numbers.values()) == 1
    assert profiles.values("profession").distinct().count() >= 15
    assert profiles.values("region").distinct().count() == 7
    assert profiles.values("current_interest_level").distinct().count() == 5
    assert profiles.filter(career_stage="specialty_training", specialty_training_year__isnull=True).count() == 0

    # Twenty training bodies, every added one with an admin; most clinicians train with one.
    assert TrainingBody.objects.count() == 20
    assert not TrainingBody.objects.filter(memberships__isnull=True).exclude(slug__endswith="-demo").exists()
    assert 0.75 < profiles.filter(training_body__isnull=False).count() / 600 < 0.95

    # Interest history: the profile keeps the level of the latest record.
    latest = {}
    for record in InterestRecord.objects.filter(profile__in=profiles).order_by("recorded_at"):
        latest[record.profile_id] = record
    for profile in profiles:
        expected = latest[profile.pk].level if profile.pk in latest else 0
        assert profile.current_interest_level == expected

    # Consents: a dated history whose latest answer is the profile's current one.
    current = {}
    for event in ConsentEvent.objects.filter(profile__in=profiles).order_by("created_at", "pk"):
        current[(event.profile_id, event.recipient)] = event.granted
    for profile in profiles:
        assert current[(profile.pk, ConsentRecipient.HEE)] == profile.shares_with_hee
        assert current[(profile.pk, ConsentRecipient.TRAINING_BODY)] == profile.shares_with_training_body
    assert 0.5 < profiles.filter(shares_with_hee=True).count() / 600 < 0.75

    # Early-interest signals only for early-career clinicians; completed self-assessments with nine ratings.
    signals = EarlyInterestSignal.objects.filter(profile__in=profiles).select_related("profile")
    assert {signal.kind for signal in signals} == {SignalKind.INTEREST_RAISED, SignalKind.SELF_ASSESSMENT_COMPLETED}
    assert all(signal.profile.is_early_career_on(signal.created_at.date()) for signal in signals)
    assessments = SelfAssessment.objects.filter(profile__in=profiles)
    assert assessments.exists() and not assessments.exclude(status="completed").exists()
    assert SelfAssessmentRating.objects.filter(assessment__in=assessments).count() == 9 * assessments.count()

    # Leaders: a few percent in a current role at service level or above, with leadership qualifications.
    current_roles = LeadershipExperience.objects.filter(profile__in=profiles, end_date__isnull=True)
    senior = [e for e in current_roles if ROLE_LEVEL_RANK[e.level] >= ROLE_LEVEL_RANK[RoleLevel.SERVICE]]
    assert 0.01 < len({e.profile_id for e in senior}) / 600 < 0.12
    for experience in LeadershipExperience.objects.filter(profile__in=profiles):
        experience.full_clean()
    assert Qualification.objects.filter(profile__in=profiles).exists()
    assert 0.6 < EqualityMonitoring.objects.filter(profile__in=profiles).count() / 600 < 0.9

    # Nominations: every state, through the clinician's body, for an opportunity they are eligible for.
    nominations = Nomination.objects.filter(profile__in=profiles).select_related("profile", "opportunity")
    assert {n.state for n in nominations} == set(NominationState.values)
    live = defaultdict(int)
    for nomination in nominations:
        nomination.full_clean()
        assert nomination.training_body_id == nomination.profile.training_body_id
        if nomination.route == NominationRoute.NOMINATION:
            assert nomination.profile.shares_with_training_body
        when = nomination.created_at.date()
        reasons = eligibility_for(opportunity=nomination.opportunity, profile=nomination.profile, today=when).reasons
        assert [r for r in reasons if "pplications" not in r] == []  # the window is as it was then
        if nomination.state in (NominationState.PENDING_NOMINEE, NominationState.SUBMITTED, NominationState.APPROVED):
            live[(nomination.profile_id, nomination.opportunity_id)] += 1
    assert max(live.values()) == 1

    # Idempotent: the same N adds nothing; a larger N adds only the difference.
    counts = row_counts()
    again = demo_bulk.synthetic_population_seed(count=600, password=TEST_PASSWORD, training_bodies=20, **mode)
    assert again.clinicians_added == 0
    assert row_counts() == counts
    more = demo_bulk.synthetic_population_seed(count=650, password=TEST_PASSWORD, training_bodies=20, **mode)
    assert more.clinicians_added == 50
    assert synthetic.count() == 650 and ClinicianProfile.objects.filter(user__in=synthetic).count() == 650


def test_an_account_left_without_a_profile_gets_one_and_is_not_duplicated(demo_ready):
    """Accounts made by an earlier, interrupted run (or the old two-step seeding) are completed, not recreated."""
    orphan = User.objects.create_user(
        email=demo_bulk.synthetic_email(3), password=TEST_PASSWORD, full_name="Left Over", role=Role.CLINICIAN
    )
    demo_bulk.synthetic_population_seed(count=10, password=TEST_PASSWORD)

    assert User.objects.filter(email__endswith=f"@{demo_accounts.SYNTHETIC_EMAIL_DOMAIN}").count() == 10
    assert ClinicianProfile.objects.get(user=orphan).registration_number == demo_bulk.registration_number(3)
    assert not profiles_disagreeing_with_their_account().exists()


def test_the_same_clinician_comes_out_the_same_whichever_way_it_is_written(demo_ready):
    """Clinician n is the same person from COPY or bulk_create, so SQLite demos and PostgreSQL benches agree."""
    demo_bulk.synthetic_population_seed(count=30, password=TEST_PASSWORD, use_copy=True, bulk=False)
    fields = ("user__email", "user__full_name", "profession", "registration_number", "career_stage", "region")
    copied = list(ClinicianProfile.objects.order_by("user__email").values_list(*fields))
    ClinicianProfile.objects.all().delete()
    User.objects.filter(email__endswith=f"@{demo_accounts.SYNTHETIC_EMAIL_DOMAIN}").delete()

    demo_bulk.synthetic_population_seed(count=30, password=TEST_PASSWORD, use_copy=False)

    assert list(ClinicianProfile.objects.order_by("user__email").values_list(*fields)) == copied


@pytest.mark.django_db
def test_registration_numbers_are_valid_and_unique_on_each_register_for_a_national_population():
    """Up to a few million clinicians, every number fits its regulator's format and none is given twice."""
    regulators = {regulator.code: regulator for regulator in Regulator.objects.all()}
    seen: dict[str, set] = defaultdict(set)
    for n in [*range(0, 120_000), *range(2_990_000, 3_000_000)]:
        profession = demo_bulk.SLOTS[n % 1000]
        code = demo_bulk.REGULATOR_OF[profession]
        number = demo_bulk.registration_number(n)
        assert number not in seen[code], (n, number)
        seen[code].add(number)
        if n % 37 == 0:  # the format check is slower; a spread sample covers every profession
            regulators[code].validate_registration_number(number, profession=profession)
    assert set(seen) == set(regulators)


def test_the_profession_mix_is_exact_and_national():
    """One slot per thousand clinicians: the mix is exact at any N that is a multiple of 1,000."""
    mix = Counter(demo_bulk.SLOTS)
    assert mix == Counter(demo_bulk.PROFESSION_PER_THOUSAND)
    assert mix["nurse"] > mix["doctor"] > mix["pharmacist"] > mix["osteopath"] > 0


def test_a_large_population_gets_two_hundred_training_bodies(demo_ready):
    """From NATIONAL_POPULATION clinicians on, there are 200 bodies across all regions, each with an admin."""
    demo_bulk.training_bodies_seed(count=demo_bulk.NATIONAL_TRAINING_BODIES)

    bodies = TrainingBody.objects.all()
    assert bodies.count() == 200
    assert bodies.values("region").distinct().count() == 7
    assert bodies.values("kind").distinct().count() == 4
    assert User.objects.filter(role=Role.TRAINING_BODY_ADMIN, administered_bodies__isnull=False).count() >= 198
    assert demo_bulk.training_bodies_seed(count=demo_bulk.NATIONAL_TRAINING_BODIES) == 0


@pytest.mark.django_db
def test_copy_text_round_trips_awkward_values():
    """Tabs, newlines, backslashes, NULLs, booleans and JSON arrive in PostgreSQL exactly as they were."""
    rows = [
        ("plain", None, True, {"level": 2}, 3),
        ("tab\there, new\nline, back\\slash, \\N", "", False, {}, 0),
        ("O'Brien", "\\", None, {"a": "b\tc"}, None),
    ]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE copy_check (a text, b text, c boolean, d jsonb, e integer)")
        demo_bulk.copy_from_lines(cursor, "COPY copy_check FROM STDIN", demo_bulk.copy_lines(rows))
        cursor.execute("SELECT a, b, c, d, e FROM copy_check ORDER BY e NULLS LAST, a")
        # Django leaves jsonb as text for its JSONField to decode.
        stored = [(a, b, c, json.loads(d), e) for a, b, c, d, e in cursor.fetchall()]
    assert sorted(stored, key=lambda row: row[0]) == sorted(rows, key=lambda row: row[0])
