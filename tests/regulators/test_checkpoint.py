"""The licence checkpoint on the clinician's home and on pathway pages, and the "licence at risk" counts for the HEE
dashboard."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from pathways.models import LeadershipRole
from regulators.models import RevalidationRecord
from regulators.selectors import licence_at_risk_counts, licence_checkpoint
from talent.models import ClinicianProfile, LeadershipExperience
from talent.services import interest_record
from tests.factories import ClinicianProfileFactory
from tests.regulators.fixtures import make_guidance_version

pytestmark = pytest.mark.django_db


def target(profile, *slugs):
    interest_record(
        profile=profile,
        level=3,
        readiness_horizon="1_3_years",
        target_roles=LeadershipRole.objects.filter(slug__in=slugs),
    )
    profile.refresh_from_db()  # as a page would load it: with the current interest the service just set


def test_no_checkpoint_below_organisation_level(client, clinician):
    profile = clinician.clinician_profile
    target(profile, "clinical-director")
    assert licence_checkpoint(profile) is None
    client.force_login(clinician)
    assert "Licence checkpoint" not in client.get(reverse("talent:show_clinician_home")).content.decode()


def test_targeting_medical_director_shows_the_gmc_checkpoint_on_home(client, clinician, guidance_published):
    make_guidance_version(regulator="NMC", slug="nursing", title="Nursing only guidance")
    profile = clinician.clinician_profile
    target(profile, "medical-director", "clinical-director")
    client.force_login(clinician)
    page = client.get(reverse("talent:show_clinician_home")).content.decode()
    assert "Licence checkpoint: GMC" in page
    assert "organisation (board) level (Medical director)" in page
    assert guidance_published.title in page
    assert "Nursing only guidance" not in page
    assert "Record your revalidation date" in page
    assert "revalidate every five years" in page  # the regulator's requirements


def test_guidance_naming_several_roles_is_listed_once(clinician):
    version = make_guidance_version(roles=["medical-director", "chief-executive", "associate-medical-director"])
    target(clinician.clinician_profile, "medical-director", "chief-executive")
    assert licence_checkpoint(clinician.clinician_profile).guidance == [version]


def test_a_current_senior_role_shows_the_checkpoint_and_a_past_one_does_not(clinician, guidance_published):
    profile = clinician.clinician_profile
    today = timezone.localdate()
    past = LeadershipExperience.objects.create(
        profile=profile,
        role="Chief executive",
        organisation="Trust",
        level="organisation",
        start_date=today - timedelta(days=900),
        end_date=today - timedelta(days=1),
    )
    assert licence_checkpoint(profile) is None
    past.end_date = None
    past.save()
    checkpoint = licence_checkpoint(profile)
    assert checkpoint.roles == ["Chief executive (your current role)"]
    assert [v.title for v in checkpoint.guidance] == [guidance_published.title]


def test_the_checkpoint_shows_the_status_in_words(client, clinician, clinician_revalidation, guidance_published):
    clinician_revalidation.next_due_on = timezone.localdate() - timedelta(days=3)
    clinician_revalidation.save()
    target(clinician.clinician_profile, "medical-director")
    client.force_login(clinician)
    page = client.get(reverse("talent:show_clinician_home")).content.decode()
    assert "nhsuk-tag--red" in page and "Overdue" in page and "passed 3 days ago" in page


def test_a_pathway_into_a_board_role_shows_the_checkpoint(client, clinician, published_pathway, guidance_published):
    client.force_login(clinician)
    url = reverse("pathways:show_pathway", kwargs={"slug": published_pathway.slug})
    assert "Licence checkpoint" not in client.get(url).content.decode()  # into clinical director (service)
    published_pathway.target_role = LeadershipRole.objects.get(slug="medical-director")
    published_pathway.save()
    page = client.get(url).content.decode()
    assert "Licence checkpoint: GMC" in page and guidance_published.title in page
    client.logout()
    assert "Licence checkpoint" not in client.get(url).content.decode()


def test_the_home_page_queries_do_not_grow_with_guidance(client, clinician, django_assert_max_num_queries):
    target(clinician.clinician_profile, "medical-director", "chief-executive")
    client.force_login(clinician)
    make_guidance_version(slug="one")
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("talent:show_clinician_home"))
    for index in range(15):
        make_guidance_version(slug=f"more-{index}", roles=["medical-director"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("talent:show_clinician_home"))


# --- Licence at risk (HEE dashboard) ---------------------------------------------------------------------------------


def leader(*, due_in: int | None, level: str = "service", ended: bool = False) -> ClinicianProfile:
    profile = ClinicianProfileFactory()
    today = timezone.localdate()
    LeadershipExperience.objects.create(
        profile=profile,
        role="Lead",
        organisation="Trust",
        level=level,
        start_date=today - timedelta(days=400),
        end_date=today - timedelta(days=2) if ended else None,
    )
    if due_in is not None:
        RevalidationRecord.objects.create(
            profile=profile, regulator=profile.regulator, next_due_on=today + timedelta(days=due_in)
        )
    return profile


def test_licence_at_risk_counts_leaders_overdue_and_due_within_90_days(django_assert_num_queries):
    leader(due_in=-1)
    leader(due_in=0)
    leader(due_in=90)
    leader(due_in=91)
    leader(due_in=None)
    leader(due_in=-5, level="team")  # team level is not "in a leadership role"
    leader(due_in=-5, ended=True)  # no longer in the role
    excluded = leader(due_in=-5)
    with django_assert_num_queries(1):
        counts = licence_at_risk_counts(ClinicianProfile.objects.exclude(pk=excluded.pk))
    assert counts == {"in_leadership_roles": 5, "overdue": 1, "due_soon": 2, "at_risk": 3, "without_date": 1}


def test_licence_at_risk_template_shows_the_counts_in_a_table():
    html = render_to_string(
        "regulators/includes/licence_at_risk.html",
        {"licence_at_risk": {"in_leadership_roles": 9, "overdue": 2, "due_soon": 3, "at_risk": 5, "without_date": 4}},
    )
    assert "Licence at risk" in html and "<table" in html
    assert 'Overdue</strong></th><td class="nhsuk-table__cell nhsuk-table__cell--numeric">2<' in html
    assert 'Due within 90 days</strong></th><td class="nhsuk-table__cell nhsuk-table__cell--numeric">3<' in html
