"""The starter content: enough real-looking pathways and opportunities for every profession, loaded safely."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from pathways.models import ContentStatus, LeadershipRole, Opportunity, Pathway, PathwayStep
from pathways.selectors import open_opportunities
from pathways.starter_content import opportunity_records, pathway_records
from regulators.models import Profession
from talent.models import CareerStage, Dimension

pytestmark = pytest.mark.django_db

AHPS = {
    Profession.ARTS_THERAPIST,
    Profession.PODIATRIST,
    Profession.DIETITIAN,
    Profession.OCCUPATIONAL_THERAPIST,
    Profession.OPERATING_DEPARTMENT_PRACTITIONER,
    Profession.ORTHOPTIST,
    Profession.PARAMEDIC,
    Profession.PHYSIOTHERAPIST,
    Profession.PROSTHETIST_ORTHOTIST,
    Profession.RADIOGRAPHER,
    Profession.SPEECH_AND_LANGUAGE_THERAPIST,
    Profession.OSTEOPATH,
}


def _load(*args: str) -> str:
    out = StringIO()
    call_command("load_starter_content", *args, stdout=out)
    return out.getvalue()


def _counts():
    return (Pathway.objects.count(), PathwayStep.objects.count(), Opportunity.objects.count())


def test_command_is_idempotent_and_reports_what_it_did():
    """Running the loader again (every `make run`) creates no duplicates and says what it changed."""
    first = _load()
    counts = _counts()
    second = _load()
    assert _counts() == counts
    assert f"{len(opportunity_records())} created" in first and f"{len(pathway_records())} created" in first
    assert "0 created" in second and "0 updated" in second


def test_editors_changes_survive_a_reload_unless_a_refresh_is_asked_for():
    """Starter items are editable afterwards: `make run` does not undo an editor's work; --refresh does."""
    _load()
    Pathway.objects.filter(slug="doctor-to-clinical-director").update(title="Edited by an editor")

    _load()
    assert Pathway.objects.get(slug="doctor-to-clinical-director").title == "Edited by an editor"
    _load("--refresh")
    assert Pathway.objects.get(slug="doctor-to-clinical-director").title != "Edited by an editor"


def test_loaded_content_is_published_and_visible():
    """Everyone can browse the starter content straight away."""
    _load()
    assert not Pathway.objects.exclude(status=ContentStatus.PUBLISHED).exists()
    assert not Opportunity.objects.exclude(status=ContentStatus.PUBLISHED).exists()
    assert not Pathway.objects.filter(published_at__isnull=True).exists()


def test_pathways_cover_every_profession_group_and_enough_roles():
    """Doctors, nurses, midwives, AHPs, pharmacists and dentists each find a pathway, into at least 6 roles."""
    _load()
    pathways = list(Pathway.objects.select_related("target_role"))
    assert len(pathways) >= 10
    assert len({pathway.target_role.slug for pathway in pathways}) >= 6
    covered = {code for pathway in pathways for code in pathway.professions}
    for profession in (
        Profession.DOCTOR,
        Profession.NURSE,
        Profession.MIDWIFE,
        Profession.PHARMACIST,
        Profession.DENTIST,
    ):
        assert profession in covered, profession
    assert covered & AHPS


def test_every_pathway_has_three_to_six_ordered_steps_with_valid_dimensions():
    """Each pathway reads as a short, ordered route with leadership dimensions a clinician recognises."""
    _load()
    for pathway in Pathway.objects.prefetch_related("steps__suggested_opportunities"):
        steps = list(pathway.steps.all())
        assert 3 <= len(steps) <= 6, pathway.slug
        assert [s.order for s in steps] == list(range(1, len(steps) + 1))
        for s in steps:
            assert s.title and s.description and s.typical_duration
            assert s.dimensions and set(s.dimensions) <= set(Dimension.values)
        assert any(s.suggested_opportunities.all() for s in steps), pathway.slug
    professions = set(Profession.values)
    assert all(set(p.professions) <= professions for p in Pathway.objects.all())


def test_opportunities_have_real_rules_consistent_with_the_model():
    """Eligibility rules are well formed, so "eligible for me" gives sensible answers."""
    _load()
    today = timezone.localdate()
    opportunities = list(Opportunity.objects.all())
    assert len(opportunities) >= 12
    for opportunity in opportunities:
        opportunity.full_clean()
        assert set(opportunity.professions) <= set(Profession.values)
        assert set(opportunity.career_stages) <= set(CareerStage.values)
        assert opportunity.link.startswith("https://")
        assert opportunity.places is None or opportunity.places >= 1
        if opportunity.min_specialty_training_year:
            assert opportunity.professions == [Profession.DOCTOR]
            assert CareerStage.SPECIALTY_TRAINING in opportunity.career_stages
        if opportunity.takes_trainee_out_of_programme:
            assert opportunity.professions == [Profession.DOCTOR]
    assert open_opportunities(today).count() >= 3
    assert any(o.opens_on > today for o in opportunities), "some open later"
    assert any(o.closes_on < today for o in opportunities), "some closed"
    assert any(o.nomination_required for o in opportunities)


def test_named_schemes_carry_their_published_rules():
    """The well-known schemes show the eligibility clinicians expect from their providers."""
    _load()
    fellows = Opportunity.objects.get(slug="national-medical-directors-clinical-fellow-scheme")
    assert fellows.professions == ["doctor"] and fellows.takes_trainee_out_of_programme
    assert CareerStage.FOUNDATION not in fellows.career_stages
    assert Opportunity.objects.get(slug="chief-registrar-programme").min_specialty_training_year == 4
    ready_now = Opportunity.objects.get(slug="ready-now-programme")
    assert CareerStage.BAND_7 not in ready_now.career_stages and CareerStage.BAND_8A in ready_now.career_stages
    assert Opportunity.objects.get(slug="edward-jenner-programme").professions == []


def test_windows_are_relative_to_the_day_the_command_runs():
    """A demo loaded on any day has open opportunities; reloading later moves the windows on."""
    from datetime import timedelta

    from pathways.starter_content import starter_content_load

    later = timezone.localdate() + timedelta(days=400)
    starter_content_load(today=later, refresh=True)
    assert open_opportunities(later).count() >= 3


def test_refreshing_restores_suggestions_without_duplicating_steps():
    """Steps keep their order and suggestions after a refresh; a pathway never shows a step twice."""
    _load()
    step = PathwayStep.objects.get(pathway__slug="doctor-to-clinical-director", order=2)
    step.suggested_opportunities.clear()
    _load("--refresh")
    step.refresh_from_db()
    assert step.suggested_opportunities.filter(slug="chief-registrar-programme").exists()
    assert PathwayStep.objects.filter(pathway__slug="doctor-to-clinical-director").count() == 4


def test_target_roles_exist():
    """Every pathway points at a leadership role from the reference data."""
    slugs = set(LeadershipRole.objects.values_list("slug", flat=True))
    assert {pathway["target_role"] for pathway in pathway_records()} <= slugs
