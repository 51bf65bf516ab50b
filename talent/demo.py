"""Demo profiles: a full one for clinician@demo.test and realistic synthetic ones, created in batches."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import BATCH_SIZE, SYNTHETIC_EMAIL_DOMAIN
from accounts.models import Region, TrainingBody, TrainingBodyKind, User
from pathways.models import LeadershipRole
from regulators.models import HCPC_PREFIXES, Profession, Regulator
from talent import services
from talent.models import (
    AssessmentStatus,
    CareerStage,
    ClinicianProfile,
    ConsentEvent,
    ConsentRecipient,
    Dimension,
    EarlyInterestSignal,
    InterestRecord,
    LeadershipExperience,
    ReadinessHorizon,
    SelfAssessment,
    SelfAssessmentRating,
    SignalKind,
)

# Roughly the shape of the NHS clinical workforce; professions with small registration-number spaces
# (osteopaths, chiropractors, optical professions) are left out of synthetic data.
PROFESSION_MIX = [
    (Profession.DOCTOR, 28),
    (Profession.NURSE, 36),
    (Profession.MIDWIFE, 5),
    (Profession.PHYSIOTHERAPIST, 4),
    (Profession.PARAMEDIC, 4),
    (Profession.OCCUPATIONAL_THERAPIST, 3),
    (Profession.RADIOGRAPHER, 3),
    (Profession.SPEECH_AND_LANGUAGE_THERAPIST, 2),
    (Profession.DIETITIAN, 2),
    (Profession.PHARMACIST, 6),
    (Profession.DENTIST, 3),
    (Profession.HEALTHCARE_SCIENTIST, 4),
]
DOCTOR_STAGE_MIX = [
    (CareerStage.FOUNDATION, 15),
    (CareerStage.CORE_TRAINING, 15),
    (CareerStage.SPECIALTY_TRAINING, 30),
    (CareerStage.SAS, 10),
    (CareerStage.CONSULTANT_GP, 30),
]
BAND_MIX = [
    (CareerStage.BAND_5, 30),
    (CareerStage.BAND_6, 30),
    (CareerStage.BAND_7, 22),
    (CareerStage.BAND_8A, 9),
    (CareerStage.BAND_8B, 4),
    (CareerStage.BAND_8C, 2),
    (CareerStage.BAND_8D, 1),
    (CareerStage.BAND_9, 2),
]
# Typical years since first registration at each stage.
YEARS_REGISTERED = {
    CareerStage.FOUNDATION: (0, 1),
    CareerStage.CORE_TRAINING: (2, 4),
    CareerStage.SPECIALTY_TRAINING: (3, 10),
    CareerStage.SAS: (5, 25),
    CareerStage.CONSULTANT_GP: (9, 35),
    CareerStage.BAND_5: (0, 4),
    CareerStage.BAND_6: (2, 12),
    CareerStage.BAND_7: (5, 25),
    CareerStage.BAND_8A: (8, 30),
    CareerStage.BAND_8B: (10, 30),
    CareerStage.BAND_8C: (12, 32),
    CareerStage.BAND_8D: (14, 34),
    CareerStage.BAND_9: (15, 35),
}
SPECIALTIES = {
    Profession.DOCTOR: [
        "General practice",
        "Emergency medicine",
        "Anaesthetics",
        "Psychiatry",
        "Paediatrics",
        "General surgery",
        "Cardiology",
        "Obstetrics and gynaecology",
    ],
}
EMPLOYER_KINDS = [
    "Teaching Hospitals NHS Foundation Trust",
    "Community Health NHS Trust",
    "Mental Health NHS Foundation Trust",
    "Ambulance Service NHS Trust",
    "Primary Care Network",
]
SENIOR_STAGES = {
    CareerStage.CONSULTANT_GP,
    CareerStage.SAS,
    CareerStage.BAND_8A,
    CareerStage.BAND_8B,
    CareerStage.BAND_8C,
    CareerStage.BAND_8D,
    CareerStage.BAND_9,
}
HORIZON_FOR_LEVEL = {
    0: ReadinessHorizon.FOUR_PLUS_YEARS,
    1: ReadinessHorizon.FOUR_PLUS_YEARS,
    2: ReadinessHorizon.ONE_TO_THREE_YEARS,
    3: ReadinessHorizon.ONE_TO_THREE_YEARS,
    4: ReadinessHorizon.NOW,
}


def _weighted(rng: random.Random, mix):
    return rng.choices([item for item, _ in mix], weights=[weight for _, weight in mix])[0]


def registration_number(profession: str, n: int) -> str:
    """A number in the regulator's format, unique for each n below one million."""
    if profession == Profession.DOCTOR:
        return f"{5_000_000 + n:07d}"
    if profession in (Profession.NURSE, Profession.MIDWIFE):
        letters = "ABCDEFGHJKLMNPRSTUVWXY"
        return f"{n // 10000 % 100:02d}{letters[n % 22]}{n % 10000:04d}{letters[n // 1_000_000 % 22]}"
    if profession in HCPC_PREFIXES:
        return f"{HCPC_PREFIXES[profession]}{n:06d}"
    if profession == Profession.PHARMACIST:
        return f"{2_000_000 + n:07d}"
    return f"{n:06d}"  # dentists (GDC) and healthcare scientists (AHCS): 6 digits


def synthetic_profile(
    user: User, n: int, *, rng: random.Random, regulators: dict, regions: list, bodies_by_region: dict, today: date
) -> ClinicianProfile:
    profession = _weighted(rng, PROFESSION_MIX)
    stage = _weighted(rng, DOCTOR_STAGE_MIX if profession == Profession.DOCTOR else BAND_MIX)
    low, high = YEARS_REGISTERED[stage]
    region = rng.choice(regions)
    bodies = bodies_by_region.get(region.pk, []) + bodies_by_region.get("anywhere", [])
    return ClinicianProfile(
        user=user,
        profession=profession,
        regulator=regulators[profession],
        registration_number=registration_number(profession, n),
        first_registration_year=today.year - rng.randint(low, high),
        career_stage=stage,
        specialty_training_year=rng.randint(1, 8) if stage == CareerStage.SPECIALTY_TRAINING else None,
        specialty=rng.choice(SPECIALTIES.get(profession, [""])),
        employer_name=f"{region.name} {rng.choice(EMPLOYER_KINDS)}",
        region=region,
        training_body=(body := rng.choice(bodies) if bodies and rng.random() < 0.85 else None),
        shares_with_training_body=body is not None and rng.random() < 0.7,
        shares_with_hee=rng.random() < 0.6,
        created_at=timezone.now() - timedelta(days=rng.randint(0, 900)),
    )


def synthetic_history(profile: ClinicianProfile, rng: random.Random) -> list[InterestRecord]:
    """0 to 3 interest records, mostly rising over time, the last one being the profile's current level."""
    records, level, when = [], rng.choice([0, 0, 1, 1, 2]), profile.created_at
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        level = min(4, level + rng.choice([0, 1, 1, 2]))
        when = when + timedelta(days=rng.randint(1, 200))
        records.append(
            InterestRecord(
                profile=profile,
                level=level,
                readiness_horizon=HORIZON_FOR_LEVEL[level],
                recorded_at=min(when, timezone.now()),
            )
        )
    return records


def synthetic_profiles_seed(*, seed: int = 20261126) -> int:
    """Give every synthetic clinician without a profile a realistic one, in batches (bounded memory)."""
    today = timezone.localdate()
    regulators = {}
    for regulator in Regulator.objects.all():
        for profession in regulator.professions:
            regulators[profession] = regulator
    regions = list(Region.objects.order_by("slug"))
    bodies_by_region: dict[int, list[TrainingBody]] = {}
    for body in TrainingBody.objects.order_by("slug"):
        key = "anywhere" if body.kind == TrainingBodyKind.ROYAL_COLLEGE else body.region_id
        bodies_by_region.setdefault(key, []).append(body)
    roles = list(LeadershipRole.objects.order_by("slug"))
    pending = (
        User.objects.filter(email__endswith=f"@{SYNTHETIC_EMAIL_DOMAIN}", clinician_profile__isnull=True)
        .order_by("email")
        .values_list("pk", "email")
    )
    added = 0
    while True:
        batch = list(pending[:BATCH_SIZE])
        if not batch:
            return added
        profiles, records, consents, signals, assessments, ratings, targets, experiences = ([] for _ in range(8))
        for user_id, email in batch:
            n = int(email.split("@")[0].removeprefix("clinician"))
            rng = random.Random(seed + n)  # noqa: S311 - repeatable demo data, not security
            profile = synthetic_profile(
                User(pk=user_id),
                n,
                rng=rng,
                regulators=regulators,
                regions=regions,
                bodies_by_region=bodies_by_region,
                today=today,
            )
            history = synthetic_history(profile, rng)
            if history:
                profile.current_interest_level = history[-1].level
                profile.current_readiness_horizon = history[-1].readiness_horizon
            profiles.append(profile)
            records.extend(history)
            early = profile.is_early_career_on(today)
            previous = None
            for record in history:
                crossed = record.level >= 2 and (previous is None or previous < 2)
                if early and crossed:
                    signals.append(
                        EarlyInterestSignal(
                            profile=profile,
                            kind=SignalKind.INTEREST_RAISED,
                            created_at=record.recorded_at,
                            detail={"level": record.level},
                        )
                    )
                if record.level >= 2:
                    targets.append((record, rng.choice(roles)))
                previous = record.level
            if profile.current_interest_level >= 1 and rng.random() < 0.3:
                done = min(timezone.now(), profile.created_at + timedelta(days=rng.randint(10, 400)))
                assessment = SelfAssessment(
                    profile=profile, status=AssessmentStatus.COMPLETED, created_at=done, completed_at=done
                )
                assessments.append(assessment)
                ratings += [
                    SelfAssessmentRating(assessment=assessment, dimension=dimension, rating=rng.randint(1, 4))
                    for dimension in Dimension.values
                ]
                if early:
                    signals.append(
                        EarlyInterestSignal(profile=profile, kind=SignalKind.SELF_ASSESSMENT_COMPLETED, created_at=done)
                    )
            if profile.career_stage in SENIOR_STAGES and rng.random() < 0.35:
                experiences.append(
                    LeadershipExperience(
                        profile=profile,
                        role=rng.choice(
                            [
                                "Clinical lead",
                                "Clinical director",
                                "Deputy chief nurse",
                                "Associate medical director",
                                "Head of therapies",
                            ]
                        ),
                        organisation=profile.employer_name or "An NHS trust",
                        level=rng.choice(["service", "service", "organisation", "team"]),
                        start_date=today - timedelta(days=rng.randint(100, 3000)),
                    )
                )
            consents += [
                ConsentEvent(
                    profile=profile,
                    recipient=ConsentRecipient.TRAINING_BODY,
                    training_body=profile.training_body,
                    granted=profile.shares_with_training_body,
                    created_at=profile.created_at,
                ),
                ConsentEvent(
                    profile=profile,
                    recipient=ConsentRecipient.HEE,
                    granted=profile.shares_with_hee,
                    created_at=profile.created_at,
                ),
            ]
        with transaction.atomic():
            ClinicianProfile.objects.bulk_create(profiles)
            InterestRecord.objects.bulk_create(records)
            InterestRecord.target_roles.through.objects.bulk_create(
                [
                    InterestRecord.target_roles.through(interestrecord_id=record.pk, leadershiprole_id=role.pk)
                    for record, role in targets
                ]
            )
            ConsentEvent.objects.bulk_create(consents)
            EarlyInterestSignal.objects.bulk_create(signals)
            SelfAssessment.objects.bulk_create(assessments)
            SelfAssessmentRating.objects.bulk_create(ratings)
            LeadershipExperience.objects.bulk_create(experiences)
        added += len(profiles)


@transaction.atomic
def demo_clinician_profile_seed(*, user: User, training_body: TrainingBody) -> ClinicianProfile:
    """clinician@demo.test: an early-career doctor (ST2) in the demo admin's training body, with a full record."""
    existing = ClinicianProfile.objects.filter(user=user).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    profile = services.profile_create(
        user=user,
        details=services.ProfileDetails(
            profession=Profession.DOCTOR,
            registration_number="7654321",
            first_registration_year=today.year - 4,
            career_stage=CareerStage.SPECIALTY_TRAINING,
            specialty_training_year=2,
            specialty="Emergency medicine",
            employer_name="Manchester University NHS Foundation Trust",
            employer_ods_code="R0A",
            region=training_body.region,
            training_body=training_body,
            shares_with_training_body=True,
            shares_with_hee=True,
        ),
    )
    director = LeadershipRole.objects.filter(slug="clinical-director")
    services.interest_record(
        profile=profile,
        level=1,
        readiness_horizon=ReadinessHorizon.FOUR_PLUS_YEARS,
        note="Enjoyed leading the rota redesign; curious about what comes next.",
    )
    services.interest_record(
        profile=profile,
        level=3,
        readiness_horizon=ReadinessHorizon.ONE_TO_THREE_YEARS,
        target_roles=director,
        note="Aiming for a clinical director role after CCT.",
    )
    services.experience_save(
        profile=profile,
        role="Rota and wellbeing lead",
        organisation="Emergency department",
        level="team",
        start_date=today - timedelta(days=400),
    )
    services.qualification_save(
        profile=profile,
        kind="leadership_management",
        title="Edward Jenner programme",
        awarding_body="NHS Leadership Academy",
        year_awarded=today.year - 1,
    )
    assessment = services.self_assessment_save(
        profile=profile, ratings={dimension: 2 + index % 2 for index, dimension in enumerate(Dimension.values)}
    )
    services.self_assessment_complete(assessment=assessment)
    services.equality_monitoring_save(profile=profile, answers={"sex": "female", "age_band": "25_34"})
    return profile
