"""A synthetic national population of clinicians for `seed_demo --clinicians N`, fast enough for a million.

Every synthetic clinician n (0 <= n < N, email `clinician{n:07d}@synthetic.demo.test`) is generated from its own
random stream, so the same n always gets the same person, and a run only fills in the clinicians that are missing:
running again with the same N adds nothing, and a larger N adds the difference.

Rows are generated a chunk of clinicians at a time (bounded memory) and written in one transaction per chunk, so an
interrupted run leaves whole clinicians only. On PostgreSQL each table's rows stream through `COPY ... FROM STDIN`
(psycopg's `cursor.copy()`, about a megabyte at a time); elsewhere (SQLite for `make run`, where N is small)
through `bulk_create`.
Every constraint and index stays in place: the generator produces only valid rows (registration numbers in each
regulator's format and unique per regulator, one live nomination per clinician and opportunity, and so on).
"""

import concurrent.futures
import contextlib
import json
import logging
import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import (
    Region,
    Role,
    TrainingBody,
    TrainingBodyKind,
    TrainingBodyMembership,
    User,
)
from accounts.services import accounts_copy_to_profiles
from demo.accounts import SYNTHETIC_EMAIL_DOMAIN
from pathways.models import ContentStatus, LeadershipRole, Opportunity, RoleLevel
from regulators.models import HCPC_PREFIXES, Profession, Regulator
from talent.models import (
    AgeBand,
    AssessmentStatus,
    CareerStage,
    ClinicianProfile,
    ConsentEvent,
    ConsentRecipient,
    Dimension,
    EarlyInterestSignal,
    EqualityMonitoring,
    EthnicGroup,
    InterestRecord,
    LeadershipExperience,
    Nomination,
    NominationRoute,
    NominationState,
    Qualification,
    QualificationKind,
    ReadinessHorizon,
    Religion,
    SelfAssessment,
    SelfAssessmentRating,
    Sex,
    SexualOrientation,
    SignalKind,
    YesNo,
    is_early_career,
)

logger = logging.getLogger(__name__)

SEED = 20261126
CHUNK = 10_000
# From this many synthetic clinicians on, the population gets a national set of training bodies.
NATIONAL_POPULATION = 10_000
NATIONAL_TRAINING_BODIES = 200
BODY_ADMIN_EMAIL_DOMAIN = "bodies.synthetic.demo.test"
P = Profession
S = CareerStage

# Registered professionals in each 1,000 of the synthetic workforce, roughly the shape of the NHS in England.
PROFESSION_PER_THOUSAND = {
    P.NURSE: 340,
    P.DOCTOR: 220,
    P.MIDWIFE: 35,
    P.NURSING_ASSOCIATE: 12,
    P.PHYSIOTHERAPIST: 40,
    P.OCCUPATIONAL_THERAPIST: 30,
    P.PARAMEDIC: 30,
    P.RADIOGRAPHER: 30,
    P.SPEECH_AND_LANGUAGE_THERAPIST: 12,
    P.DIETITIAN: 9,
    P.OPERATING_DEPARTMENT_PRACTITIONER: 14,
    P.PODIATRIST: 7,
    P.PRACTITIONER_PSYCHOLOGIST: 18,
    P.ARTS_THERAPIST: 3,
    P.ORTHOPTIST: 2,
    P.PROSTHETIST_ORTHOTIST: 1,
    P.BIOMEDICAL_SCIENTIST: 18,
    P.CLINICAL_SCIENTIST: 8,
    P.HEARING_AID_DISPENSER: 1,
    P.PHARMACIST: 45,
    P.PHARMACY_TECHNICIAN: 22,
    P.DENTIST: 30,
    P.DENTAL_CARE_PROFESSIONAL: 35,
    P.HEALTHCARE_SCIENTIST: 12,
    P.OPTOMETRIST: 14,
    P.DISPENSING_OPTICIAN: 6,
    P.OSTEOPATH: 3,
    P.CHIROPRACTOR: 3,
}
assert sum(PROFESSION_PER_THOUSAND.values()) == 1000


def _slots() -> list[str]:
    """1,000 profession slots in a fixed shuffled order: clinician n has the profession of slot n % 1000, so the
    mix is exact and each clinician's number within their regulator can be computed from n alone."""
    slots = [profession for profession, count in PROFESSION_PER_THOUSAND.items() for _ in range(count)]
    random.Random(SEED).shuffle(slots)  # noqa: S311 - repeatable demo data
    return slots


SLOTS = _slots()
REGULATOR_OF = {
    **dict.fromkeys([P.DOCTOR], "GMC"),
    **dict.fromkeys([P.NURSE, P.MIDWIFE, P.NURSING_ASSOCIATE], "NMC"),
    **dict.fromkeys(HCPC_PREFIXES, "HCPC"),
    **dict.fromkeys([P.PHARMACIST, P.PHARMACY_TECHNICIAN], "GPhC"),
    **dict.fromkeys([P.DENTIST, P.DENTAL_CARE_PROFESSIONAL], "GDC"),
    **dict.fromkeys([P.OPTOMETRIST, P.DISPENSING_OPTICIAN], "GOC"),
    P.OSTEOPATH: "GOsC",
    P.CHIROPRACTOR: "GCC",
    P.HEALTHCARE_SCIENTIST: "AHCS",
}
# Numbering is per register: HCPC numbers carry the profession's prefix, so each HCPC profession counts alone.
_REGISTER = [REGULATOR_OF[p] if REGULATOR_OF[p] != "HCPC" else f"HCPC-{p}" for p in SLOTS]
_REGISTER_SIZE = {register: _REGISTER.count(register) for register in set(_REGISTER)}
_REGISTER_RANK = [_REGISTER[:slot].count(_REGISTER[slot]) for slot in range(1000)]
NMC_LETTERS = "ABCDEFGHJKLMNPRSTUVWXY"


def register_ordinal(n: int) -> int:
    """Clinician n's position among synthetic clinicians on the same register (0, 1, 2, ... with no gaps)."""
    slot = n % 1000
    return (n // 1000) * _REGISTER_SIZE[_REGISTER[slot]] + _REGISTER_RANK[slot]


def registration_number(n: int) -> str:
    """A number in the format of clinician n's regulator, unique on that register for n below ten million."""
    profession, k = SLOTS[n % 1000], register_ordinal(n)
    regulator = REGULATOR_OF[profession]
    if regulator == "GMC":
        return f"{3_000_000 + k:07d}"
    if regulator == "NMC":  # like 12A3456E: two digits, a letter, four digits, E for England (and then others)
        return f"{k // 10_000 % 100:02d}{NMC_LETTERS[k // 1_000_000 % 22]}{k % 10_000:04d}{'EWSN'[k // 22_000_000]}"
    if regulator == "HCPC":
        return f"{HCPC_PREFIXES[profession]}{100_000 + k:06d}"
    if regulator == "GPhC":
        return f"{2_000_000 + k:07d}"
    if regulator == "GOC":
        return f"{1 + k // 100_000:02d}-{k % 100_000:05d}"
    if regulator in ("GOsC", "GCC"):
        return f"{10_000 + k:05d}"
    return f"{100_000 + k:06d}"  # GDC and AHCS: 4 to 6 digits


DOCTOR_STAGE_MIX = [
    (S.FOUNDATION, 12),
    (S.CORE_TRAINING, 13),
    (S.SPECIALTY_TRAINING, 27),
    (S.SAS, 13),
    (S.CONSULTANT_GP, 35),
]
BAND_MIX = [
    (S.BAND_5, 30),
    (S.BAND_6, 31),
    (S.BAND_7, 22),
    (S.BAND_8A, 9),
    (S.BAND_8B, 4),
    (S.BAND_8C, 2),
    (S.BAND_8D, 1),
    (S.BAND_9, 1),
]
ENTRY_BAND_MIX = [(S.BAND_5, 70), (S.BAND_6, 25), (S.BAND_7, 5)]  # nursing associates, technicians, dental care
ENTRY_BAND_PROFESSIONS = {P.NURSING_ASSOCIATE, P.PHARMACY_TECHNICIAN, P.DENTAL_CARE_PROFESSIONAL}
YEARS_REGISTERED = {
    S.FOUNDATION: (0, 1),
    S.CORE_TRAINING: (2, 4),
    S.SPECIALTY_TRAINING: (3, 10),
    S.SAS: (5, 25),
    S.CONSULTANT_GP: (9, 35),
    S.BAND_5: (0, 4),
    S.BAND_6: (2, 12),
    S.BAND_7: (5, 25),
    S.BAND_8A: (8, 30),
    S.BAND_8B: (10, 30),
    S.BAND_8C: (12, 32),
    S.BAND_8D: (14, 34),
    S.BAND_9: (15, 35),
}
SENIOR_STAGES = {S.SAS, S.CONSULTANT_GP, S.BAND_8A, S.BAND_8B, S.BAND_8C, S.BAND_8D, S.BAND_9}
SPECIALTIES = {
    P.DOCTOR: [
        "General practice",
        "Emergency medicine",
        "Anaesthetics",
        "Psychiatry",
        "Paediatrics",
        "General surgery",
        "Trauma and orthopaedic surgery",
        "Cardiology",
        "Respiratory medicine",
        "Geriatric medicine",
        "Obstetrics and gynaecology",
        "Radiology",
        "Public health",
    ],
    P.NURSE: ["Adult nursing", "Mental health nursing", "Children's nursing", "Learning disability nursing"],
    P.MIDWIFE: ["Midwifery", "Community midwifery"],
    P.PHARMACIST: ["Hospital pharmacy", "Community pharmacy", "Primary care pharmacy"],
    P.DENTIST: ["General dental practice", "Orthodontics", "Oral surgery", "Community dentistry"],
    P.PARAMEDIC: ["Urgent and emergency care", "Critical care"],
    P.RADIOGRAPHER: ["Diagnostic radiography", "Therapeutic radiography"],
    P.HEALTHCARE_SCIENTIST: ["Physiological sciences", "Life sciences", "Physical sciences"],
}
EMPLOYER_KINDS = [
    "Teaching Hospitals NHS Foundation Trust",
    "University Hospitals NHS Trust",
    "Community Health NHS Trust",
    "Mental Health NHS Foundation Trust",
    "Ambulance Service NHS Trust",
    "Primary Care Network",
    "Integrated Care Board",
]
REGION_WEIGHTS = {
    "london": 16,
    "south-east": 17,
    "south-west": 10,
    "midlands": 19,
    "east-of-england": 11,
    "north-west": 13,
    "north-east-and-yorkshire": 14,
}
FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Chloe",
    "Daniel",
    "Efua",
    "Farah",
    "George",
    "Hannah",
    "Imran",
    "Jess",
    "Kwame",
    "Laura",
    "Mohammed",
    "Niamh",
    "Oliver",
    "Priya",
    "Rhys",
    "Sarah",
    "Tariq",
    "Zoe",
    "Adam",
    "Bethan",
    "Chen",
    "Deepa",
    "Emeka",
    "Fiona",
    "Grace",
    "Harvey",
    "Ifeoma",
    "Jamal",
    "Katie",
    "Liam",
    "Maria",
    "Nathan",
    "Olu",
    "Rosa",
    "Sam",
    "Thomas",
    "Uzma",
    "Wei",
]
LAST_NAMES = [
    "Adebayo",
    "Brown",
    "Chen",
    "Davies",
    "Evans",
    "Fernandes",
    "Green",
    "Hussain",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Murphy",
    "Nowak",
    "Okoro",
    "Patel",
    "Roberts",
    "Smith",
    "Taylor",
    "Williams",
    "Ali",
    "Begum",
    "Clarke",
    "Das",
    "Edwards",
    "Fraser",
    "Gill",
    "Hall",
    "Ibrahim",
    "Johnson",
    "Kaur",
    "Lee",
    "Mensah",
    "Nguyen",
    "O'Brien",
    "Price",
    "Quinn",
    "Singh",
    "Walker",
    "Wright",
]
HORIZON_FOR_LEVEL = {
    0: ReadinessHorizon.FOUR_PLUS_YEARS,
    1: ReadinessHorizon.FOUR_PLUS_YEARS,
    2: ReadinessHorizon.ONE_TO_THREE_YEARS,
    3: ReadinessHorizon.ONE_TO_THREE_YEARS,
    4: ReadinessHorizon.NOW,
}
CURRENT_ROLE_LEVELS = [
    (RoleLevel.TEAM, 25),
    (RoleLevel.SERVICE, 50),
    (RoleLevel.ORGANISATION, 19),
    (RoleLevel.SYSTEM, 5),
    (RoleLevel.NATIONAL, 1),
]
ROLE_TITLES = {
    RoleLevel.TEAM: ["Clinical lead", "Team leader", "Ward manager", "Education lead"],
    RoleLevel.SERVICE: ["Clinical director", "Head of service", "Matron", "Head of therapies", "Lead pharmacist"],
    RoleLevel.ORGANISATION: [
        "Associate medical director",
        "Deputy chief nurse",
        "Chief AHP",
        "Chief pharmacist",
        "Chief clinical information officer",
    ],
    RoleLevel.SYSTEM: ["ICS clinical leader", "System director of nursing"],
    RoleLevel.NATIONAL: ["National clinical director", "National clinical adviser"],
}
LEADERSHIP_QUALIFICATIONS = [
    ("Edward Jenner programme", "NHS Leadership Academy"),
    ("Mary Seacole programme", "NHS Leadership Academy"),
    ("Rosalind Franklin programme", "NHS Leadership Academy"),
    ("Elizabeth Garrett Anderson programme", "NHS Leadership Academy"),
    ("Nye Bevan programme", "NHS Leadership Academy"),
    ("ILM Level 5 Certificate in Leadership and Management", "Institute of Leadership and Management"),
    ("MSc Healthcare Leadership", "University of Birmingham"),
    ("MBA (Healthcare)", "Open University"),
]
FMLM = [
    (QualificationKind.FMLM_ASSOCIATE_FELLOW, "FMLM Associate Fellow"),
    (QualificationKind.FMLM_FELLOW, "FMLM Fellow"),
    (QualificationKind.FMLM_SENIOR_FELLOW, "FMLM Senior Fellow"),
]
NOMINATION_STATES = [
    (NominationState.PENDING_NOMINEE, 10),
    (NominationState.SUBMITTED, 25),
    (NominationState.APPROVED, 35),
    (NominationState.REJECTED, 15),
    (NominationState.WITHDRAWN, 15),
]
REJECTION_REASONS = [
    "Places were limited this round; we encourage you to apply again next year.",
    "The programme is aimed at a later career stage; the Edward Jenner programme would suit you now.",
    "We could not release you from clinical duties for this cohort.",
]
SUPPORTING_STATEMENTS = [
    "Led the redesign of our department's handover and wants to take on a service-level role.",
    "Has shown strong leadership in quality improvement work and is ready for a structured programme.",
    "Consistently mentors junior colleagues and chairs the unit's governance meeting.",
    "Keen to develop system leadership skills after leading a cross-organisation pathway project.",
]
SEX_MIX = [(Sex.FEMALE, 74), (Sex.MALE, 24), (Sex.PREFER_NOT_TO_SAY, 2)]
ETHNIC_MIX = [
    (EthnicGroup.WHITE, 68),
    (EthnicGroup.ASIAN, 16),
    (EthnicGroup.BLACK, 9),
    (EthnicGroup.MIXED, 2),
    (EthnicGroup.OTHER, 2),
    (EthnicGroup.PREFER_NOT_TO_SAY, 3),
]
DISABILITY_MIX = [(YesNo.NO, 88), (YesNo.YES, 6), (YesNo.PREFER_NOT_TO_SAY, 6)]
ORIENTATION_MIX = [
    (SexualOrientation.STRAIGHT, 86),
    (SexualOrientation.GAY_LESBIAN, 3),
    (SexualOrientation.BISEXUAL, 2),
    (SexualOrientation.OTHER, 1),
    (SexualOrientation.PREFER_NOT_TO_SAY, 8),
]
RELIGION_MIX = [
    (Religion.CHRISTIAN, 45),
    (Religion.NO_RELIGION, 30),
    (Religion.MUSLIM, 8),
    (Religion.HINDU, 5),
    (Religion.SIKH, 2),
    (Religion.JEWISH, 1),
    (Religion.BUDDHIST, 1),
    (Religion.OTHER, 2),
    (Religion.PREFER_NOT_TO_SAY, 6),
]


class _Mix:
    """A weighted choice with the cumulative weights computed once (rng.choices recomputes them every call)."""

    def __init__(self, mix: list[tuple]) -> None:
        self.items = [str(item) if isinstance(item, str) else item for item, _ in mix]
        self.cum = []
        total = 0
        for _, weight in mix:
            total += weight
            self.cum.append(total)

    def __call__(self, rng: random.Random):
        return rng.choices(self.items, cum_weights=self.cum)[0]


DOCTOR_STAGE = _Mix(DOCTOR_STAGE_MIX)
BAND = _Mix(BAND_MIX)
ENTRY_BAND = _Mix(ENTRY_BAND_MIX)
CURRENT_ROLE_LEVEL = _Mix(CURRENT_ROLE_LEVELS)
NOMINATION_STATE = _Mix(NOMINATION_STATES)
SEX = _Mix(SEX_MIX)
ETHNIC = _Mix(ETHNIC_MIX)
DISABILITY = _Mix(DISABILITY_MIX)
ORIENTATION = _Mix(ORIENTATION_MIX)
RELIGION = _Mix(RELIGION_MIX)
DIMENSIONS = [str(value) for value in Dimension.values]


def synthetic_email(n: int) -> str:
    return f"clinician{n:07d}@{SYNTHETIC_EMAIL_DOMAIN}"


_UUID_MASK = ~(0xF000 << 64) & ~(0xC000 << 48) & ((1 << 128) - 1)
_UUID_BITS = (0x4000 << 64) | (0x8000 << 48)  # version 4, RFC 4122 variant


def _uuid(rng: random.Random) -> str:
    """A version-4 UUID (as text, the cheapest form to write) from the clinician's own stream, so reruns give the
    same identifiers."""
    h = "%032x" % (rng.getrandbits(128) & _UUID_MASK | _UUID_BITS)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# ---------------------------------------------------------------------------------------------------------------
# Tables: the columns each generator fills, in row order. Columns a generator does not fill must be nullable or have
# a constant default (checked when a run starts), so a field added to a model later fails loudly, not silently.


@dataclass
class Table:
    model: type[models.Model]
    columns: tuple[str, ...]
    constants: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.model._meta.db_table

    def prepare(self, now: datetime) -> None:
        self.constants = {}
        for model_field in self.model._meta.concrete_fields:
            if model_field.attname in self.columns:
                continue
            if model_field.primary_key and isinstance(model_field, models.fields.AutoFieldMixin):
                continue  # the database's sequence
            if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
                self.constants[model_field.attname] = now
            elif model_field.null:
                continue
            elif model_field.has_default() and not model_field.unique and not model_field.primary_key:
                self.constants[model_field.attname] = model_field.get_default()
            elif model_field.blank and isinstance(model_field, models.CharField | models.TextField):
                self.constants[model_field.attname] = ""  # left blank, as a form would leave it
            else:
                raise RuntimeError(f"demo.bulk does not fill {self.name}.{model_field.attname}")

    @property
    def all_columns(self) -> tuple[str, ...]:
        return self.columns + tuple(self.constants)


def _m2m_through(model, name):
    return model._meta.get_field(name).remote_field.through


TABLES = {
    "user": Table(
        User,
        (
            "id",
            "password",
            "email",
            "full_name",
            "role",
            "is_active",
            "is_staff",
            "is_superuser",
            "date_joined",
            "email_confirmed_at",
        ),
    ),
    "profile": Table(
        ClinicianProfile,
        (
            "id",
            "user_id",
            "profession",
            "regulator_id",
            "registration_number",
            "first_registration_year",
            "career_stage",
            "specialty_training_year",
            "specialty",
            "employer_name",
            "employer_ods_code",
            "region_id",
            "training_body_id",
            "training_body_confirmed_at",
            "current_interest_level",
            "current_readiness_horizon",
            "shares_with_training_body",
            "shares_with_hee",
            "created_at",
            "full_name",
            "account_active",
        ),
    ),
    "consent": Table(ConsentEvent, ("profile_id", "recipient", "training_body_id", "granted", "created_at")),
    "interest": Table(InterestRecord, ("id", "profile_id", "level", "readiness_horizon", "note", "recorded_at")),
    "target": Table(_m2m_through(InterestRecord, "target_roles"), ("interestrecord_id", "leadershiprole_id")),
    "signal": Table(EarlyInterestSignal, ("profile_id", "kind", "created_at", "detail")),
    "assessment": Table(SelfAssessment, ("id", "profile_id", "status", "created_at", "completed_at")),
    "rating": Table(SelfAssessmentRating, ("assessment_id", "dimension", "rating")),
    "experience": Table(
        LeadershipExperience, ("id", "profile_id", "role", "organisation", "level", "start_date", "end_date")
    ),
    "qualification": Table(Qualification, ("id", "profile_id", "kind", "title", "awarding_body", "year_awarded")),
    "equality": Table(
        EqualityMonitoring,
        ("profile_id", "sex", "age_band", "ethnic_group", "disability", "sexual_orientation", "religion"),
    ),
    "nomination": Table(
        Nomination,
        (
            "id",
            "profile_id",
            "opportunity_id",
            "training_body_id",
            "route",
            "nominated_by_id",
            "supporting_statement",
            "state",
            "submitted_at",
            "decided_by_id",
            "decided_at",
            "decision_reason",
            "withdrawn_by_id",
            "withdrawn_at",
            "created_at",
        ),
    ),
}


# ---------------------------------------------------------------------------------------------------------------
# Reference data the generator needs, loaded once per run.


@dataclass(frozen=True)
class OpportunityRule:
    id: uuid.UUID
    professions: frozenset
    career_stages: frozenset
    min_st_year: int | None
    min_years: int | None
    max_years: int | None

    def admits(self, profession: str, stage: str, st_year: int | None, years: int) -> bool:
        """The eligibility rules of pathways.selectors.eligibility_for, without the application window (synthetic
        nominations are dated in the past, when the window was open)."""
        if self.professions and profession not in self.professions:
            return False
        if self.career_stages and stage not in self.career_stages:
            return False
        if self.min_st_year and (st_year is None or st_year < self.min_st_year):
            return False
        if self.min_years is not None and years < self.min_years:
            return False
        return self.max_years is None or years <= self.max_years


@dataclass
class Context:
    now: datetime
    today: date
    password_hash: str
    regulator_ids: dict[str, int]
    regions: list[tuple[int, str]]
    region_cum: list[int]
    bodies_by_region: dict[int, list[int]]
    national_bodies: list[int]
    body_admin: dict[int, uuid.UUID]
    roles_for: dict[str, list[int]]
    opportunities: list[OpportunityRule]


def _context(*, password: str, now: datetime) -> Context:
    regulator_ids = {}
    for regulator in Regulator.objects.all():
        for profession in regulator.professions:
            regulator_ids[profession] = regulator.pk
    regions, region_cum, total = [], [], 0
    for region in Region.objects.order_by("slug"):
        regions.append((region.pk, region.name))
        total += REGION_WEIGHTS.get(region.slug, 10)
        region_cum.append(total)
    bodies_by_region: dict[int, list[int]] = {}
    national_bodies = []
    for body in TrainingBody.objects.order_by("slug"):
        if body.kind == TrainingBodyKind.ROYAL_COLLEGE:
            national_bodies.append(body.pk)  # colleges train clinicians from every region
        else:
            bodies_by_region.setdefault(body.region_id, []).append(body.pk)
    body_admin = {}
    for membership in TrainingBodyMembership.objects.order_by("created_at", "pk"):
        body_admin.setdefault(membership.training_body_id, membership.user_id)
    roles_for: dict[str, list[int]] = {}
    roles = list(LeadershipRole.objects.order_by("slug"))
    for profession in Profession.values:
        roles_for[profession] = [role.pk for role in roles if not role.professions or profession in role.professions]
    opportunities = [
        OpportunityRule(
            id=o.pk,
            professions=frozenset(o.professions),
            career_stages=frozenset(o.career_stages),
            min_st_year=o.min_specialty_training_year,
            min_years=o.min_years_since_registration,
            max_years=o.max_years_since_registration,
        )
        for o in Opportunity.objects.filter(status=ContentStatus.PUBLISHED).order_by("slug")
    ]
    return Context(
        now=now,
        today=timezone.localdate(now),
        password_hash=make_password(password),
        regulator_ids=regulator_ids,
        regions=regions,
        region_cum=region_cum,
        bodies_by_region=bodies_by_region,
        national_bodies=national_bodies,
        body_admin=body_admin,
        roles_for=roles_for,
        opportunities=opportunities,
    )


# ---------------------------------------------------------------------------------------------------------------
# One clinician's rows.


def clinician_rows(n: int, user_id: str | None, ctx: Context, out: dict[str, list]) -> None:
    """Append every row of synthetic clinician n to `out` (table key -> list of tuples). `user_id` is the id of an
    existing account without a profile; None creates the account too."""
    rng = random.Random(SEED * 7919 + n)  # noqa: S311 - repeatable demo data, not security
    now, today = ctx.now, ctx.today
    profession = SLOTS[n % 1000]
    if profession == P.DOCTOR:
        stage = DOCTOR_STAGE(rng)
    elif profession in ENTRY_BAND_PROFESSIONS:
        stage = ENTRY_BAND(rng)
    else:
        stage = BAND(rng)
    low, high = YEARS_REGISTERED[stage]
    years = rng.randint(low, high)
    st_year = rng.randint(1, 8) if stage == S.SPECIALTY_TRAINING else None
    region_id, region_name = rng.choices(ctx.regions, cum_weights=ctx.region_cum)[0]
    local = ctx.bodies_by_region.get(region_id, [])
    if rng.random() < 0.85 and (local or ctx.national_bodies):
        # Most clinicians train with a body in their region; one in five with a royal college.
        pool = ctx.national_bodies if (rng.random() < 0.2 and ctx.national_bodies) or not local else local
        body_id = rng.choice(pool)
    else:
        body_id = None
    early = is_early_career(profession, stage, today.year - years, today)
    created = now - timedelta(seconds=rng.randint(3600, 1000 * 86400))
    # The profile's copy of its account's name and active flag; an account made earlier is copied once the rows
    # are in (synthetic_population_seed).
    full_name, account_active = "", False
    if user_id is None:
        user_id = _uuid(rng)
        joined = created - timedelta(minutes=rng.randint(5, 600))
        full_name, account_active = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", True
        out["user"].append(
            (
                user_id,
                ctx.password_hash,
                synthetic_email(n),
                full_name,
                Role.CLINICIAN.value,
                True,
                False,
                False,
                joined,
                joined + timedelta(minutes=rng.randint(1, 120)),
            )
        )
    else:
        _uuid(rng)  # keep the stream aligned with a run that created the account
    profile_id = _uuid(rng)

    # Interest history: mostly rising over time; the last record is the profile's current level.
    level = rng.choice((0, 0, 1, 1, 1, 2))
    when, previous = created, None
    records = rng.choices((0, 1, 2, 3, 4), cum_weights=(28, 60, 82, 94, 100))[0]
    for index in range(records):
        if index:
            level = max(0, min(4, level + rng.choice((-1, 0, 1, 1, 1, 2))))
        # Strictly increasing and in the past, so "the latest record" is never a tie.
        when = min(now - timedelta(minutes=records - index), when + timedelta(seconds=rng.randint(86400, 240 * 86400)))
        record_id = _uuid(rng)
        out["interest"].append((record_id, profile_id, level, HORIZON_FOR_LEVEL[level].value, "", when))
        if level >= 2:
            roles = ctx.roles_for.get(profession, [])
            for role_id in rng.sample(roles, min(len(roles), rng.choice((1, 1, 2)))):
                out["target"].append((record_id, role_id))
            if early and (previous is None or previous < 2):
                out["signal"].append((profile_id, SignalKind.INTEREST_RAISED.value, when, {"level": level}))
        previous = level
    current_level = level if records else 0
    horizon = HORIZON_FOR_LEVEL[level].value if records else ""

    # Self-assessments: more likely the more interested; a second one a year later for some.
    if current_level >= 1 and rng.random() < 0.12 + 0.08 * current_level:
        done = min(now, created + timedelta(seconds=rng.randint(86400, 400 * 86400)))
        base = 1 + current_level // 2
        for attempt in range(rng.choice((1, 1, 1, 2))):
            assessment_id = _uuid(rng)
            started = done - timedelta(days=rng.randint(0, 14))
            out["assessment"].append((assessment_id, profile_id, AssessmentStatus.COMPLETED.value, started, done))
            for dimension in DIMENSIONS:
                rating = max(1, min(4, base + attempt + rng.choice((-1, 0, 0, 1))))
                out["rating"].append((assessment_id, dimension, rating))
            if early:
                out["signal"].append((profile_id, SignalKind.SELF_ASSESSMENT_COMPLETED.value, done, {}))
            done = min(now, done + timedelta(days=rng.randint(200, 400)))

    # Leadership experience: current roles for a share of senior clinicians, past team roles for some others.
    employer = f"{region_name} {rng.choice(EMPLOYER_KINDS)}"
    leader = stage in SENIOR_STAGES and rng.random() < 0.3
    if leader:
        role_level = CURRENT_ROLE_LEVEL(rng)
        out["experience"].append(
            (
                _uuid(rng),
                profile_id,
                rng.choice(ROLE_TITLES[role_level]),
                employer,
                role_level,
                today - timedelta(days=rng.randint(60, 3000)),
                None,
            )
        )
    if years >= 3 and rng.random() < 0.2:
        start = today - timedelta(days=rng.randint(800, max(801, years * 365)))
        out["experience"].append(
            (
                _uuid(rng),
                profile_id,
                rng.choice(ROLE_TITLES[RoleLevel.TEAM]),
                employer,
                RoleLevel.TEAM.value,
                start,
                start + timedelta(days=rng.randint(180, 720)),
            )
        )

    # Qualifications: common among leaders, rarer otherwise; FMLM for doctors and dentists.
    if rng.random() < (0.55 if leader else 0.07):
        title, awarding_body = rng.choice(LEADERSHIP_QUALIFICATIONS)
        out["qualification"].append(
            (
                _uuid(rng),
                profile_id,
                QualificationKind.LEADERSHIP_MANAGEMENT.value,
                title,
                awarding_body,
                today.year - rng.randint(0, max(0, years)),
            )
        )
    if profession in (P.DOCTOR, P.DENTIST) and rng.random() < (0.3 if leader else 0.03):
        kind, title = FMLM[min(2, years // 10)]
        out["qualification"].append(
            (
                _uuid(rng),
                profile_id,
                kind.value,
                title,
                "Faculty of Medical Leadership and Management",
                today.year - rng.randint(0, min(5, years)),
            )
        )

    # Consents, with a history for some who changed their mind.
    shares_body = body_id is not None and rng.random() < 0.72
    shares_hee = rng.random() < 0.62
    for recipient, granted, target_body in (
        (ConsentRecipient.TRAINING_BODY.value, shares_body, body_id),
        (ConsentRecipient.HEE.value, shares_hee, None),
    ):
        if rng.random() < 0.08:
            out["consent"].append((profile_id, recipient, target_body, not granted, created))
            changed = min(now, created + timedelta(seconds=rng.randint(3600, 300 * 86400)))
            out["consent"].append((profile_id, recipient, target_body, granted, changed))
        else:
            out["consent"].append((profile_id, recipient, target_body, granted, created))

    # Nominations, only through a training body, for an opportunity the clinician is eligible for.
    if body_id is not None and current_level >= 2 and rng.random() < 0.25 and ctx.opportunities:
        eligible = [o for o in ctx.opportunities if o.admits(profession, stage, st_year, years)]
        for opportunity in rng.sample(eligible, min(len(eligible), rng.choice((1, 1, 1, 2)))):
            out["nomination"].append(
                _nomination(rng, ctx, profile_id, user_id, body_id, opportunity.id, created, by_body=shares_body)
            )

    # Equality monitoring: optional, answered by about three in four.
    if rng.random() < 0.75:
        age = 22 + years + rng.randint(0, 6)
        age_band = (
            AgeBand.UNDER_25
            if age < 25
            else AgeBand.AGE_25_34
            if age < 35
            else AgeBand.AGE_35_44
            if age < 45
            else AgeBand.AGE_45_54
            if age < 55
            else AgeBand.AGE_55_64
            if age < 65
            else AgeBand.AGE_65_PLUS
        )
        out["equality"].append(
            (
                profile_id,
                SEX(rng),
                age_band.value if rng.random() < 0.97 else AgeBand.PREFER_NOT_TO_SAY.value,
                ETHNIC(rng),
                DISABILITY(rng),
                ORIENTATION(rng) if rng.random() < 0.9 else "",
                RELIGION(rng) if rng.random() < 0.9 else "",
            )
        )

    out["profile"].append(
        (
            profile_id,
            user_id,
            profession,
            ctx.regulator_ids[profession],
            registration_number(n),
            today.year - years,
            stage,
            st_year,
            rng.choice(SPECIALTIES[profession]) if profession in SPECIALTIES else "",
            employer,
            f"R{rng.randint(0, 35 * 36 - 1):03d}" if rng.random() < 0.6 else "",
            region_id,
            body_id,
            created if body_id is not None else None,  # the synthetic clinicians' bodies confirmed them at once
            current_level,
            horizon,
            shares_body,
            shares_hee,
            created,
            full_name,
            account_active,
        )
    )


def _nomination(rng, ctx: Context, profile_id, user_id, body_id, opportunity_id, created, *, by_body: bool) -> tuple:
    """One nomination in a realistic state, satisfying every constraint of talent.models.Nomination. Only clinicians
    who share with their body (`by_body`) can be nominated by it; the others applied."""
    now = ctx.now
    state = NOMINATION_STATE(rng)
    if not by_body and state == NominationState.PENDING_NOMINEE:
        state = NominationState.SUBMITTED
    made = min(now - timedelta(hours=2), created + timedelta(seconds=rng.randint(86400, 500 * 86400)))
    admin = ctx.body_admin.get(body_id)
    if state == NominationState.PENDING_NOMINEE or (
        by_body and state == NominationState.WITHDRAWN and rng.random() < 0.3
    ):
        route, submitted = NominationRoute.NOMINATION.value, None  # made by the body; the nominee never accepted
    else:
        by_body = by_body and rng.random() < 0.4
        route = NominationRoute.NOMINATION.value if by_body else NominationRoute.APPLICATION.value
        submitted = min(now - timedelta(hours=1), made + timedelta(seconds=rng.randint(0, 10 * 86400)))
    after = submitted or made
    decided_at = decided_by = withdrawn_at = withdrawn_by = None
    reason = ""
    if state in (NominationState.APPROVED, NominationState.REJECTED):
        decided_at = min(now, after + timedelta(seconds=rng.randint(3600, 30 * 86400)))
        decided_by = admin
        if state == NominationState.REJECTED:
            reason = rng.choice(REJECTION_REASONS)
    elif state == NominationState.WITHDRAWN:
        withdrawn_at = min(now, after + timedelta(seconds=rng.randint(3600, 20 * 86400)))
        withdrawn_by = user_id
    return (
        _uuid(rng),
        profile_id,
        opportunity_id,
        body_id,
        route,
        admin if route == NominationRoute.NOMINATION.value else None,
        rng.choice(SUPPORTING_STATEMENTS),
        state,
        submitted,
        decided_by,
        decided_at,
        reason,
        withdrawn_by,
        withdrawn_at,
        made,
    )


# ---------------------------------------------------------------------------------------------------------------
# Writing: COPY on PostgreSQL, bulk_create elsewhere.

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    return value.translate(_COPY_ESCAPES)


def _copy_json(value) -> str:
    return json.dumps(value).translate(_COPY_ESCAPES)


_COPY_FORMAT: dict[type, Callable] = {
    str: _copy_text,
    bool: lambda value: "t" if value else "f",
    type(None): lambda value: "\\N",
    dict: _copy_json,
    list: _copy_json,
}


def _copy_line(row: tuple) -> str:
    fmt = _COPY_FORMAT.get
    return "\t".join([fmt(type(value), str)(value) for value in row])


def copy_lines(rows: Iterable[tuple], constants: tuple = ()) -> Iterator[str]:
    """Rows in PostgreSQL's COPY text format. int, date and aware datetime print as PostgreSQL reads them, and so
    do booleans ("True")."""
    suffix = "".join("\t" + _copy_line((value,)) for value in constants) + "\n"
    for row in rows:
        # The fast way first (this is half the seeding's Python time); the careful way when a value needs escaping
        # (a tab, newline or backslash in a text) or is not plain (JSON).
        line = "\t".join(["\\N" if value is None else str(value) for value in row])
        if (
            line.count("\t") != len(row) - 1
            or line.count("\\") != line.count("\\N")  # a backslash other than the NULL markers
            or "\n" in line
            or "\r" in line
            or "{" in line
        ):
            line = _copy_line(row)
        yield line + suffix


COPY_BLOCK_CHARACTERS = 1 << 20


def copy_from_lines(cursor, sql: str, lines: Iterable[str]) -> None:
    """Run `COPY ... FROM STDIN` with the given lines of COPY text, sent a block of about a megabyte at a time: the
    rows are never joined into one big text, and PostgreSQL is not sent one message per row."""
    with cursor.copy(sql) as copy:
        block: list[str] = []
        size = 0
        for line in lines:
            block.append(line)
            size += len(line)
            if size >= COPY_BLOCK_CHARACTERS:
                copy.write("".join(block))
                block, size = [], 0
        if block:
            copy.write("".join(block))


def _write_copy(table: Table, lines: list[str]) -> None:
    columns = ", ".join(connection.ops.quote_name(column) for column in table.all_columns)
    sql = f"COPY {connection.ops.quote_name(table.name)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        copy_from_lines(cursor, sql, lines)


def _write_orm(table: Table, rows: list[tuple]) -> None:
    constants = table.constants
    objects = [table.model(**dict(zip(table.columns, row, strict=True)), **constants) for row in rows]
    table.model.objects.bulk_create(objects, batch_size=500)


# Parents before children: the order rows are written in.
WRITE_ORDER = [
    "user",
    "profile",
    "consent",
    "interest",
    "target",
    "signal",
    "assessment",
    "rating",
    "experience",
    "qualification",
    "equality",
    "nomination",
]


def _missing_in(start: int, stop: int) -> list[tuple[int, str | None]]:
    """The synthetic clinicians n in [start, stop) still to be created: (n, None) when there is no account yet,
    (n, user id) for an account without a profile (e.g. left by an older version of this command)."""
    accounts = {}
    users = User.objects.filter(
        email__gte=synthetic_email(start), email__lte=synthetic_email(stop - 1), role=Role.CLINICIAN
    ).values_list("email", "pk")
    for email, user_id in users.order_by():  # an index range scan: cheap however many clinicians there are
        local, _, domain = email.partition("@")
        number = local.removeprefix("clinician")
        if domain == SYNTHETIC_EMAIL_DOMAIN and number.isdigit():
            accounts[int(number)] = user_id
    with_profile = set()
    if accounts:
        with_profile = set(
            User.objects.filter(pk__in=list(accounts.values()), clinician_profile__isnull=False).values_list(
                "pk", flat=True
            )
        )
    missing = []
    for n in range(start, stop):
        user_id = accounts.get(n)
        if user_id is None:
            missing.append((n, None))
        elif user_id not in with_profile:
            missing.append((n, str(user_id)))
    return missing


def _generate(missing: list[tuple[int, str | None]], ctx: Context, *, as_copy: bool) -> dict[str, list]:
    """Every row of these clinicians, per table; already in COPY text format when `as_copy`. Pure Python (no
    database), so it can run in a thread while the previous chunk is being written."""
    out: dict[str, list] = {key: [] for key in WRITE_ORDER}
    for n, user_id in missing:
        clinician_rows(n, user_id, ctx, out)
    if as_copy:
        for key in WRITE_ORDER:
            out[key] = list(copy_lines(out[key], tuple(TABLES[key].constants.values())))
    return out


@dataclass
class SeedResult:
    clinicians_added: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    bulk_mode: bool = False


def synthetic_population_seed(
    *,
    count: int,
    password: str,
    training_bodies: int | None = None,
    use_copy: bool | None = None,
    bulk: bool | None = None,
    chunk: int = CHUNK,
    progress: Callable[[str], None] | None = None,
) -> SeedResult:
    """Make sure synthetic clinicians 0..count-1 exist with their whole record; return what was added.

    `training_bodies`: how many training bodies the population should have (default: the three demo bodies for a
    small population, 200 from NATIONAL_POPULATION clinicians on). `use_copy`: stream with COPY (default: on
    PostgreSQL). `bulk`: for large additions on PostgreSQL (default: BULK_FROM clinicians or more to add), load
    everything in one transaction with the foreign keys and plain indexes of the loaded tables dropped and then
    rebuilt; otherwise one transaction per chunk. Call after the demo
    accounts and starter content exist (seed_demo does).
    """
    started = time.monotonic()
    if training_bodies is None:
        training_bodies = NATIONAL_TRAINING_BODIES if count >= NATIONAL_POPULATION else 0
    training_bodies_seed(count=training_bodies)
    if use_copy is None:
        use_copy = connection.vendor == "postgresql"
    if bulk is None:
        bulk = use_copy and count - _synthetic_count() >= BULK_FROM
    now = timezone.now()
    ctx = _context(password=password, now=now)
    for table in TABLES.values():
        table.prepare(now)
    result = SeedResult(rows=dict.fromkeys(WRITE_ORDER, 0), bulk_mode=bulk)
    starts = list(range(0, count, chunk))
    accounts_made_earlier: list[str] = []
    with transaction.atomic() if bulk else contextlib.nullcontext():
        if bulk:
            _foreign_keys_and_indexes_drop()
        # One thread generates the next chunk while this one writes the current: rows are made in Python while
        # PostgreSQL (which psycopg waits for without holding the GIL) stores the previous ones.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            pending = None
            for index, start in enumerate(starts):
                missing = _missing_in(start, min(count, start + chunk))
                accounts_made_earlier.extend(user_id for _, user_id in missing if user_id is not None)
                following = pool.submit(_generate, missing, ctx, as_copy=use_copy) if missing else None
                if pending is not None:
                    _write_chunk(pending.result(), use_copy=use_copy, own_transaction=not bulk, result=result)
                pending = following
                if progress and index and index % 20 == 0:
                    elapsed = time.monotonic() - started
                    progress(f"{start:,} of {count:,} synthetic clinicians done ({elapsed:.0f} s)")
            if pending is not None:
                _write_chunk(pending.result(), use_copy=use_copy, own_transaction=not bulk, result=result)
        if bulk:
            if progress:
                progress(f"Rows written ({time.monotonic() - started:.0f} s); rebuilding indexes and foreign keys")
            _foreign_keys_and_indexes_restore()
        if accounts_made_earlier:
            accounts_copy_to_profiles(user_ids=accounts_made_earlier)
    if connection.vendor == "postgresql" and result.clinicians_added:
        with connection.cursor() as cursor:
            # Fresh statistics, so the planner knows the tables have grown by up to a million rows (without them,
            # however the rows went in, it plans for empty tables and nested loops take minutes even at 600).
            for key in WRITE_ORDER:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(TABLES[key].name)}")
    result.seconds = time.monotonic() - started
    return result


def _write_chunk(out: dict[str, list], *, use_copy: bool, own_transaction: bool, result: SeedResult) -> None:
    write = _write_copy if use_copy else _write_orm
    with transaction.atomic() if own_transaction else contextlib.nullcontext():
        if use_copy:
            with connection.cursor() as cursor:
                # Losing the last chunks on a server crash is fine for demo data; waiting for each flush is not.
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        for key in WRITE_ORDER:
            if out[key]:
                write(TABLES[key], out[key])
                result.rows[key] += len(out[key])
    result.clinicians_added += len(out["profile"])


BULK_FROM = 50_000


def _synthetic_count() -> int:
    return User.objects.filter(
        email__gte=synthetic_email(0), email__lte=synthetic_email(9_999_999), role=Role.CLINICIAN
    ).count()


# What bulk mode takes off the loaded tables while loading, to put back afterwards: the foreign keys (each re-check
# is then one join instead of a row lock per row on a handful of parent rows) and the plain, non-unique indexes
# (rebuilt by one sort each). Primary keys, unique constraints and checks stay, so duplicates still fail on the
# spot. All of it happens inside the loading transaction: a failure rolls the drop back with everything else.
_dropped: list[tuple[str, str]] = []


def _foreign_keys_and_indexes_drop() -> None:
    tables = [TABLES[key].name for key in WRITE_ORDER]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem TO '256MB'")
        # Check now what earlier statements of this transaction left for commit: a table with pending checks cannot
        # be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
            [tables],
        )
        indexes = cursor.fetchall()
        _dropped.clear()
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            # The same name and definition (DEFERRABLE INITIALLY DEFERRED included).
            _dropped.append((name, f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"))
        for name, definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
            _dropped.append((name, definition))


def _foreign_keys_and_indexes_restore() -> None:
    with connection.cursor() as cursor:
        for _, statement in reversed(_dropped):  # indexes, then foreign keys
            cursor.execute(statement)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # back to how Django declares its foreign keys
    _dropped.clear()


# ---------------------------------------------------------------------------------------------------------------
# Training bodies for a national population.

BODY_NAMES = {
    TrainingBodyKind.LOCAL_OFFICE: "{region} local office {i} (synthetic)",
    TrainingBodyKind.ROYAL_COLLEGE: "Royal College of Clinical Practice {i} (synthetic)",
    TrainingBodyKind.TRUST: "{region} NHS Trust {i} (synthetic)",
    TrainingBodyKind.UNIVERSITY: "University of {region} {i} (synthetic)",
}


def _body_kind(i: int) -> str:
    """14 local offices, 20 colleges, 15 universities, the rest trusts: roughly who trains clinicians in England."""
    if i < 14:
        return TrainingBodyKind.LOCAL_OFFICE
    if i < 34:
        return TrainingBodyKind.ROYAL_COLLEGE
    if i < 49:
        return TrainingBodyKind.UNIVERSITY
    return TrainingBodyKind.TRUST


@transaction.atomic
def training_bodies_seed(*, count: int) -> int:
    """Add synthetic training bodies (spread over the regions, each with one admin account) until there are
    `count` bodies in all. Returns how many were added."""
    existing = TrainingBody.objects.count()
    if existing >= count:
        return 0
    regions = list(Region.objects.order_by("slug"))
    password_hash = make_password(None)  # admins of synthetic bodies cannot sign in
    added = 0
    i = 0
    while existing + added < count:
        slug = f"synthetic-body-{i:03d}"
        kind = _body_kind(i)
        region = regions[i % len(regions)]
        i += 1
        if TrainingBody.objects.filter(slug=slug).exists():
            continue
        body = TrainingBody.objects.create(
            slug=slug,
            name=BODY_NAMES[kind].format(region=region.name, i=i),
            kind=kind,
            region=region,
            contact_emails=f"leadership@{slug}.{BODY_ADMIN_EMAIL_DOMAIN}",
        )
        admin, _ = User.objects.get_or_create(
            email=f"admin-{slug}@{BODY_ADMIN_EMAIL_DOMAIN}",
            defaults={
                "full_name": f"Admin of {body.name}",
                "role": Role.TRAINING_BODY_ADMIN,
                "password": password_hash,
                "email_confirmed_at": timezone.now(),
            },
        )
        TrainingBodyMembership.objects.get_or_create(user=admin, training_body=body)
        added += 1
    return added
