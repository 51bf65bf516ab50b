"""Saving pathways (with the early-interest signal) and the recommendations on the clinician home."""

from datetime import timedelta

import pytest
from django.utils import timezone

from config.errors import DomainError
from pathways import recommendations, services
from pathways.models import ContentStatus, LeadershipRole, Opportunity, OpportunityKind, Pathway, SavedPathway
from talent import services as talent_services
from talent.models import EarlyInterestSignal, InterestLevel, SignalKind
from tests.factories import ClinicianProfileFactory

pytestmark = pytest.mark.django_db


def make_pathway(slug: str, *, professions=(), role: str = "clinical-lead", status=ContentStatus.PUBLISHED, **extra):
    return Pathway.objects.create(
        slug=slug,
        title=extra.pop("title", slug.replace("-", " ").capitalize()),
        summary=f"Summary of {slug}.",
        body=extra.pop("body", "Body."),
        professions=list(professions),
        target_role=LeadershipRole.objects.get(slug=role),
        status=status,
        published_at=timezone.now() if status == ContentStatus.PUBLISHED else None,
        **extra,
    )


def make_opportunity(slug: str, *, opens_in: int = -5, closes_in: int = 30, status=ContentStatus.PUBLISHED, **extra):
    today = timezone.localdate()
    return Opportunity.objects.create(
        slug=slug,
        title=extra.pop("title", slug.replace("-", " ").capitalize()),
        provider="Example provider",
        kind=extra.pop("kind", OpportunityKind.COURSE),
        summary=f"Summary of {slug}.",
        description="Description.",
        opens_on=today + timedelta(days=opens_in),
        closes_on=today + timedelta(days=closes_in),
        status=status,
        published_at=timezone.now() if status == ContentStatus.PUBLISHED else None,
        **extra,
    )


def pathway_signals(profile) -> int:
    return EarlyInterestSignal.objects.filter(profile=profile, kind=SignalKind.PATHWAY_SAVED).count()


def test_saving_a_pathway_keeps_it_and_records_an_early_interest_signal(clinician, published_pathway):
    """An early-career doctor who saves a pathway finds it saved, and their training body hears of the interest."""
    profile = clinician.clinician_profile

    services.pathway_save(profile=profile, pathway=published_pathway)

    assert SavedPathway.objects.filter(profile=profile, pathway=published_pathway).exists()
    signal = EarlyInterestSignal.objects.get(profile=profile)
    assert signal.kind == SignalKind.PATHWAY_SAVED
    assert signal.detail == {"pathway": published_pathway.slug}


def test_saving_twice_is_harmless_and_signals_once(clinician, published_pathway):
    """Pressing save again (or a double click) changes nothing and does not count twice as interest."""
    profile = clinician.clinician_profile

    first = services.pathway_save(profile=profile, pathway=published_pathway)
    second = services.pathway_save(profile=profile, pathway=published_pathway)

    assert first.pk == second.pk
    assert SavedPathway.objects.filter(profile=profile).count() == 1
    assert pathway_signals(profile) == 1


def test_saving_again_after_removing_is_not_a_new_signal(clinician, published_pathway):
    """Removing a pathway and saving it again is still one sign of interest in that pathway."""
    profile = clinician.clinician_profile

    services.pathway_save(profile=profile, pathway=published_pathway)
    assert services.pathway_unsave(profile=profile, pathway=published_pathway) is True
    services.pathway_save(profile=profile, pathway=published_pathway)

    assert SavedPathway.objects.filter(profile=profile).count() == 1
    assert pathway_signals(profile) == 1


def test_each_pathway_saved_is_its_own_signal(clinician, published_pathway):
    """Saving two different pathways shows interest twice."""
    profile = clinician.clinician_profile
    other = make_pathway("another-pathway", professions=["doctor"])

    services.pathway_save(profile=profile, pathway=published_pathway)
    services.pathway_save(profile=profile, pathway=other)

    assert pathway_signals(profile) == 2


def test_saving_records_no_signal_for_a_clinician_past_early_career(published_pathway):
    """A consultant registered 20 years ago can save pathways, but that is not an early-interest signal."""
    profile = ClinicianProfileFactory(
        career_stage="consultant_gp",
        specialty_training_year=None,
        first_registration_year=timezone.localdate().year - 20,
    )

    services.pathway_save(profile=profile, pathway=published_pathway)

    assert SavedPathway.objects.filter(profile=profile).exists()
    assert pathway_signals(profile) == 0


def test_a_draft_pathway_cannot_be_saved(clinician, draft_pathway):
    """Drafts are not public, so nobody can save one."""
    with pytest.raises(DomainError):
        services.pathway_save(profile=clinician.clinician_profile, pathway=draft_pathway)

    assert not SavedPathway.objects.exists()


def test_removing_a_pathway_that_is_not_saved_is_harmless(clinician, published_pathway):
    """Removing twice does nothing the second time."""
    assert services.pathway_unsave(profile=clinician.clinician_profile, pathway=published_pathway) is False


def test_saved_pathways_are_newest_first_and_drafts_drop_out(clinician):
    """The home lists what you saved most recently first; a pathway taken back to draft disappears from it."""
    profile = clinician.clinician_profile
    older, newer, withdrawn = (make_pathway(slug, professions=["doctor"]) for slug in ("older", "newer", "withdrawn"))
    now = timezone.now()
    SavedPathway.objects.create(profile=profile, pathway=older, saved_at=now - timedelta(days=2))
    SavedPathway.objects.create(profile=profile, pathway=newer, saved_at=now - timedelta(days=1))
    SavedPathway.objects.create(profile=profile, pathway=withdrawn, saved_at=now)
    Pathway.objects.filter(pk=withdrawn.pk).update(status=ContentStatus.DRAFT)

    assert [saved.pathway.slug for saved in recommendations.saved_pathways(profile)] == ["newer", "older"]


def test_recommended_pathways_match_the_profession_and_put_target_roles_first(clinician):
    """A doctor sees doctors' and any-profession pathways, those into their chosen target role first; not nurses'
    pathways, drafts, or pathways they already saved."""
    profile = clinician.clinician_profile
    make_pathway("a-doctors-team-lead", professions=["doctor"], role="clinical-lead")
    make_pathway("b-anyone-team-lead", role="clinical-lead")
    make_pathway("z-doctors-medical-director", professions=["doctor"], role="medical-director")
    make_pathway("c-nurses-only", professions=["nurse"], role="chief-nurse")
    make_pathway("d-draft", professions=["doctor"], status=ContentStatus.DRAFT)
    saved = make_pathway("e-saved", professions=["doctor"])
    services.pathway_save(profile=profile, pathway=saved)
    talent_services.interest_record(
        profile=profile,
        level=InterestLevel.EXPLORING,
        readiness_horizon="1_3_years",
        target_roles=[LeadershipRole.objects.get(slug="medical-director")],
    )

    recommended = recommendations.recommended_pathways(user=clinician, profile=profile, limit=5)

    assert [pathway.slug for pathway in recommended] == [
        "z-doctors-medical-director",
        "a-doctors-team-lead",
        "b-anyone-team-lead",
    ]


def test_recommended_pathways_follow_the_latest_interest_record_and_are_limited(clinician):
    """Only the current target roles count, and the home shows a few, not everything."""
    profile = clinician.clinician_profile
    for slug, role in (("a-lead", "clinical-lead"), ("b-director", "clinical-director"), ("c-md", "medical-director")):
        make_pathway(slug, professions=["doctor"], role=role)
    for role in ("medical-director", "clinical-director"):
        talent_services.interest_record(
            profile=profile,
            level=InterestLevel.EXPLORING,
            readiness_horizon="1_3_years",
            target_roles=[LeadershipRole.objects.get(slug=role)],
        )

    recommended = recommendations.recommended_pathways(user=clinician, profile=profile, limit=2)

    assert [pathway.slug for pathway in recommended] == ["b-director", "a-lead"]


def test_recommended_opportunities_are_open_eligible_and_closing_soonest_first(clinician):
    """Only opportunities the clinician could apply for today, the most urgent first, a few at most."""
    profile = clinician.clinician_profile  # doctor, ST3, registered 4 years ago
    make_opportunity("closes-later", closes_in=40)
    make_opportunity("closes-soon", closes_in=3)
    make_opportunity("closes-middle", closes_in=10, professions=["doctor"])
    make_opportunity("closes-last", closes_in=90)
    make_opportunity("nurses-only", closes_in=1, professions=["nurse"])
    make_opportunity("st4-and-above", closes_in=1, min_specialty_training_year=4)
    make_opportunity("not-open-yet", opens_in=5, closes_in=6)
    make_opportunity("closed", opens_in=-30, closes_in=-1)
    make_opportunity("draft", closes_in=1, status=ContentStatus.DRAFT)

    recommended = recommendations.recommended_opportunities(profile=profile, limit=3)

    assert [opportunity.slug for opportunity in recommended] == ["closes-soon", "closes-middle", "closes-later"]


def test_recommendations_cost_a_fixed_number_of_queries(clinician, django_assert_max_num_queries):
    """However much content there is, the home's recommendations take the same few queries."""
    profile = clinician.clinician_profile
    for number in range(60):
        make_pathway(f"pathway-{number:03}", professions=["doctor"])
        make_opportunity(
            f"opportunity-{number:03}", closes_in=10 + number, min_specialty_training_year=(4 if number % 2 else None)
        )

    with django_assert_max_num_queries(3):
        recommendations.recommended_pathways(user=clinician, profile=profile)
        recommendations.recommended_opportunities(profile=profile)
        list(recommendations.saved_pathways(profile))


@pytest.mark.django_db
def test_pathways_written_for_the_profession_are_recommended_before_general_ones(clinician):
    """A doctor with no target role yet sees doctors' pathways before pathways open to anyone."""
    from django.utils import timezone

    from pathways.models import ContentStatus, LeadershipRole, Pathway
    from pathways.recommendations import recommended_pathways

    role = LeadershipRole.objects.get(slug="chief-executive")
    for slug, professions in (("a-general-route", []), ("z-doctors-route", ["doctor"])):
        Pathway.objects.create(
            slug=slug,
            title=slug,
            summary="s",
            body="b",
            professions=professions,
            target_role=role,
            status=ContentStatus.PUBLISHED,
            published_at=timezone.now(),
        )

    titles = [p.slug for p in recommended_pathways(user=clinician, profile=clinician.clinician_profile)]

    assert titles.index("z-doctors-route") < titles.index("a-general-route")
