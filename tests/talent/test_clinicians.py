"""The clinicians list and record pages for training-body admins and HEE staff."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Region
from pathways.models import LeadershipRole
from pipeline.services import pipeline_rollups_refresh
from talent import services
from talent.models import ClinicianProfile, Dimension, EarlyInterestSignal, SignalKind
from talent.selectors import clinicians_visible_to
from tests.factories import ClinicianFactory, ClinicianProfileFactory

pytestmark = pytest.mark.django_db

LIST = reverse("talent:list_clinicians")


def detail_url(profile) -> str:
    return reverse("talent:show_clinician", kwargs={"profile_id": profile.pk})


def listed_names(client, user, params=None) -> set[str]:
    client.force_login(user)
    response = client.get(LIST, params or {})
    assert response.status_code == 200
    return {row["profile"].user.full_name for row in response.context["rows"]}


def named(name: str, **kwargs) -> ClinicianProfile:
    return ClinicianProfileFactory(user=ClinicianFactory(full_name=name), **kwargs)


@pytest.fixture
def population(training_body, other_training_body):
    """Clinicians of `training_body` (North West) with every consent combination, and one of the other body."""
    london = Region.objects.get(slug="london")
    return {
        "both": named("Both Consents", training_body=training_body),
        "body_only": named("Body Only", training_body=training_body, shares_with_hee=False),
        "hee_only": named("Hee Only", training_body=training_body, shares_with_training_body=False),
        "neither": named(
            "Neither Consent", training_body=training_body, shares_with_hee=False, shares_with_training_body=False
        ),
        "london": named("London Other", training_body=other_training_body, region=london),
    }


def test_training_body_admins_list_only_their_own_consenting_clinicians(client, tb_admin, population):
    """An admin sees the clinicians of their body who agreed to share with it, and nobody else."""
    assert listed_names(client, tb_admin) == {"Both Consents", "Body Only"}


def test_an_admin_of_another_body_sees_nobody_from_this_body(client, other_tb_admin, population):
    """Another body's admin cannot list or open this body's clinicians, even those who consent to share."""
    assert listed_names(client, other_tb_admin) == {"London Other"}
    for name in ("both", "body_only"):
        assert client.get(detail_url(population[name])).status_code == 404


def test_national_hee_staff_list_everyone_sharing_with_hee(client, hee_staff, population):
    """National HEE staff see every clinician who agreed to share with HEE, in any region or body."""
    assert listed_names(client, hee_staff) == {"Both Consents", "Hee Only", "London Other"}


def test_regional_hee_staff_are_limited_to_their_region(client, regional_hee_staff, population):
    """HEE staff for London see London's consenting clinicians only; a North West record is not found."""
    assert listed_names(client, regional_hee_staff) == {"London Other"}
    assert client.get(detail_url(population["london"])).status_code == 200
    assert client.get(detail_url(population["both"])).status_code == 404


def test_a_clinician_who_does_not_consent_is_never_listed_or_opened_but_still_exists(
    client, tb_admin, hee_staff, population
):
    """Someone who shares with nobody is invisible to staff, yet still counts in the service's totals."""
    neither = population["neither"]
    for user in (tb_admin, hee_staff):
        assert "Neither Consent" not in listed_names(client, user)
        assert neither not in clinicians_visible_to(user)
        assert client.get(detail_url(neither)).status_code == 404
    assert ClinicianProfile.objects.filter(pk=neither.pk).exists()


def test_withdrawing_consent_removes_the_clinician_from_the_list(client, tb_admin, population):
    """When a clinician stops sharing with their body, the admin no longer sees them."""
    services.consent_set(profile=population["both"], recipient="training_body", granted=False)
    assert listed_names(client, tb_admin) == {"Body Only"}


def test_clinicians_and_editors_may_not_use_the_pages(client, clinician, editor, population):
    """The list and records are for staff only: other roles are refused the whole page."""
    for user in (clinician, editor):
        client.force_login(user)
        assert client.get(LIST).status_code == 403
        assert client.get(detail_url(population["both"])).status_code == 403


def test_an_unknown_record_id_is_not_found(client, hee_staff):
    """A made-up id gives the same 404 as somebody else's record."""
    client.force_login(hee_staff)
    unknown = reverse("talent:show_clinician", kwargs={"profile_id": "00000000-0000-0000-0000-000000000000"})
    assert client.get(unknown).status_code == 404


def test_the_list_shows_each_clinicians_key_facts(client, tb_admin, training_body):
    """Each row names the clinician (linked to their record), profession, stage, region, body, interest and
    early career."""
    profile = named("Ada Lovelace", training_body=training_body, current_interest_level=3)
    client.force_login(tb_admin)
    html = client.get(LIST).content.decode()
    for text in (
        "Ada Lovelace",
        detail_url(profile),
        "Doctor",
        "Specialty training (ST3)",
        "North West",
        training_body.name,
        "Actively developing",
        '<th scope="col" class="nhsuk-table__header">Early career</th>',
        "<caption",
    ):
        assert text in html
    assert "1 clinician" in html


def test_searching_by_registration_number_finds_the_clinician(client, hee_staff):
    """Staff can paste a registration number into the search box and get just that clinician."""
    named("Ada Lovelace", registration_number="7123456")
    named("Grace Hopper", registration_number="7654321")
    assert listed_names(client, hee_staff, {"search": "7654321"}) == {"Grace Hopper"}
    assert listed_names(client, hee_staff, {"search": "lovelace"}) == {"Ada Lovelace"}


def test_filters_work_from_the_url_and_stay_in_the_form(client, hee_staff, other_training_body):
    """Filters are plain GET parameters, so a filtered list can be bookmarked; the form shows what is chosen."""
    london = Region.objects.get(slug="london")
    named("Early Exploring", region=london, current_interest_level=2, training_body=other_training_body)
    named("Senior Ready", region=london, current_interest_level=4, career_stage="consultant_gp",
          specialty_training_year=None, first_registration_year=1990)  # fmt: skip
    named("Northern Curious", current_interest_level=1)
    assert listed_names(client, hee_staff, {"region": "london"}) == {"Early Exploring", "Senior Ready"}
    assert listed_names(client, hee_staff, {"min_interest_level": "2"}) == {"Early Exploring", "Senior Ready"}
    assert listed_names(client, hee_staff, {"early_career": "false"}) == {"Senior Ready"}
    assert listed_names(client, hee_staff, {"early_career": "true", "region": "london"}) == {"Early Exploring"}
    assert listed_names(client, hee_staff, {"career_stage": "consultant_gp"}) == {"Senior Ready"}
    assert listed_names(client, hee_staff, {"profession": "nurse"}) == set()
    assert listed_names(client, hee_staff, {"training_body": other_training_body.slug}) == {"Early Exploring"}
    html = client.get(LIST, {"region": "london", "min_interest_level": "2"}).content.decode()
    assert '<option value="london" selected>' in html
    assert '<option value="2" selected>' in html
    assert '<details class="nhsuk-details" open>' in html


def test_the_early_interest_filter_uses_the_nhs_date_boxes(client, hee_staff):
    """Staff type a day, month and year and see only clinicians with early-interest signals since then."""
    recent, old = named("Recent Signal"), named("Old Signal")
    for _ in range(3):
        EarlyInterestSignal.objects.create(profile=recent, kind=SignalKind.INTEREST_RAISED)
    EarlyInterestSignal.objects.create(
        profile=old, kind=SignalKind.INTEREST_RAISED, created_at=timezone.now() - timedelta(days=90)
    )
    since = timezone.localdate() - timedelta(days=30)
    params = {
        "early_interest_since_day": since.day,
        "early_interest_since_month": since.month,
        "early_interest_since_year": since.year,
    }
    client.force_login(hee_staff)
    response = client.get(LIST, params)
    assert [row["profile"].user.full_name for row in response.context["rows"]] == ["Recent Signal"]
    assert 'name="early_interest_since_day"' in response.content.decode()


def test_bad_filter_input_shows_an_error_not_a_crash(client, hee_staff):
    """An impossible date shows the NHS error summary and the list still works."""
    named("Someone Listed")
    client.force_login(hee_staff)
    response = client.get(
        LIST,
        {"early_interest_since_day": "31", "early_interest_since_month": "2", "early_interest_since_year": "2025",
         "region": "atlantis", "page": "banana"},
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "nhsuk-error-summary" in html
    assert "must be a real date" in html
    assert "Someone Listed" in html


def test_the_list_is_paginated_25_a_page_and_keeps_the_filters(client, hee_staff):
    """With 30 clinicians, page 1 shows 25 and page 2 the other 5; page links keep the search."""
    for number in range(30):
        named(f"Clinician {number:02d}")
    named("Outside Filter", current_interest_level=0)
    ClinicianProfile.objects.filter(user__full_name__startswith="Clinician").update(current_interest_level=2)
    pipeline_rollups_refresh()  # the total is the figures' (the beat refreshes them every 2 minutes)
    client.force_login(hee_staff)
    first = client.get(LIST, {"min_interest_level": "2"})
    assert len(first.context["rows"]) == 25
    html = first.content.decode()
    assert "30 clinicians found" in html
    assert 'class="nhsuk-pagination nhsuk-pagination--numbered"' in html
    assert "?min_interest_level=2&amp;page=2" in html
    second = client.get(LIST, {"min_interest_level": "2", "page": "2"})
    names = [row["profile"].user.full_name for row in second.context["rows"]]
    assert names == [f"Clinician {number:02d}" for number in range(25, 30)]
    # A page past the end shows the last page rather than an error.
    assert client.get(LIST, {"min_interest_level": "2", "page": "99"}).context["page"].number == 2


def test_the_list_needs_the_same_queries_for_10_or_100_clinicians(
    client, tb_admin, training_body, django_assert_max_num_queries
):
    """The page stays fast however many clinicians a body has: no query per row."""
    client.force_login(tb_admin)
    for count in (10, 100):
        ClinicianProfileFactory.create_batch(count - ClinicianProfile.objects.count(), training_body=training_body)
        pipeline_rollups_refresh()  # the total is summed from the figures' roll-ups
        cache.clear()
        # 11 with the device that verified the staff member's second factor, read with the session, the latest
        # run of figures, whose roll-up gives the total, and the menu's counts of what waits for the admin
        with django_assert_max_num_queries(11):
            response = client.get(LIST, {"early_career": "true", "region": "north-west"})
        assert response.context["page"].paginator.count == count


@pytest.fixture
def full_record(training_body):
    """A consenting clinician with interest history, two completed assessments and a draft, experience,
    qualifications and equality answers."""
    profile = named("Rosalind Franklin", training_body=training_body)
    role = LeadershipRole.objects.order_by("name").first()
    services.interest_record(profile=profile, level=1, readiness_horizon="4_plus_years", note="Just curious.")
    services.interest_record(
        profile=profile, level=3, readiness_horizon="1_3_years", target_roles=[role], note="Aiming for a lead role."
    )
    all_proficient = dict.fromkeys(Dimension.values, 2)
    services.self_assessment_complete(assessment=services.self_assessment_save(profile=profile, ratings=all_proficient))
    latest = services.self_assessment_save(profile=profile, ratings={**all_proficient, "engaging_the_team": 4})
    services.self_assessment_complete(assessment=latest)
    services.self_assessment_save(profile=profile, ratings={"engaging_the_team": 1})  # a draft, never shown
    services.experience_save(
        profile=profile, role="Rota lead", organisation="Northern Care Alliance", level="team",
        start_date=date(2022, 1, 1),
    )  # fmt: skip
    services.qualification_save(profile=profile, kind="leadership_management", title="Edward Jenner programme")
    services.equality_monitoring_save(
        profile=profile,
        answers={"sex": "female", "age_band": "55_64", "ethnic_group": "black", "disability": "yes",
                 "sexual_orientation": "bisexual", "religion": "sikh"},
    )  # fmt: skip
    return profile, role


def test_the_record_shows_profile_timeline_latest_assessment_experience_and_qualifications(
    client, tb_admin, full_record
):
    """An admin opening a record sees who the clinician is, how their interest changed, their latest completed
    self-assessment (not a draft), their experience and qualifications."""
    profile, role = full_record
    client.force_login(tb_admin)
    response = client.get(detail_url(profile))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Rosalind Franklin",
        profile.registration_number,
        "Curious",
        "Actively developing",
        role.name,
        "Aiming for a lead role.",
        "Rota lead, Northern Care Alliance",
        "Edward Jenner programme",
        "Engaging the team",
        "Exemplary",
    ):
        assert text in html, text
    ratings = {row["dimension"]: row["rating"].get_rating_display() for row in response.context["ratings"]}
    assert ratings["Engaging the team"] == "Exemplary"  # the latest completed one, not the draft
    assert len(ratings) == 9


def test_the_record_never_shows_equality_answers(client, tb_admin, hee_staff, full_record):
    """Equality monitoring answers never appear on a clinician's record, whoever opens it."""
    profile, _ = full_record
    for user in (tb_admin, hee_staff):
        client.force_login(user)
        html = client.get(detail_url(profile)).content.decode()
        for answer in ("Bisexual", "Sikh", "Black, Black British", "55 to 64", "Female", "quality"):
            assert answer not in html, answer
        assert "equality_monitoring" not in client.get(detail_url(profile)).context


def test_each_record_view_is_audited(client, tb_admin, hee_staff, population):
    """Every time staff open a record, the audit trail says who looked at whom and when; refused looks add nothing."""
    both = population["both"]
    client.force_login(tb_admin)
    client.get(detail_url(both))
    client.get(detail_url(both))
    client.get(detail_url(population["hee_only"]))  # not shared with the body: 404, not audited
    client.force_login(hee_staff)
    client.get(detail_url(both))
    events = AuditEvent.objects.filter(action="clinician.viewed").order_by("created_at")
    assert [(event.actor, event.subject_id) for event in events] == [
        (tb_admin, str(both.pk)),
        (tb_admin, str(both.pk)),
        (hee_staff, str(both.pk)),
    ]
    assert all(event.subject_type == "talent.ClinicianProfile" and event.created_at for event in events)


def test_the_record_needs_the_same_queries_for_a_short_or_long_history(
    client, hee_staff, django_assert_max_num_queries
):
    """A clinician with a long history opens as quickly as a new one: no query per interest record or role."""
    profile = named("Long History")
    roles = list(LeadershipRole.objects.all()[:3])
    client.force_login(hee_staff)
    for count in (10, 100):
        for number in range(count - profile.interest_records.count()):
            level = number % 5
            services.interest_record(  # "Not now" fits only a far horizon and no roles
                profile=profile,
                level=level,
                readiness_horizon="now" if level else "4_plus_years",
                target_roles=roles if level else [],
            )
            services.experience_save(  # one role at each organisation: roles at one may not overlap
                profile=profile,
                role=f"Lead {number}",
                organisation=f"Trust {count}-{number}",
                level="team",
                start_date=date(2020, 1, 1),
            )
            services.qualification_save(profile=profile, kind="other", title=f"Course {number}")
        with django_assert_max_num_queries(12):
            response = client.get(detail_url(profile))
        assert len(response.context["timeline"]) == count


def test_the_record_reads_each_part_once_and_the_clinician_with_their_regulator_region_and_body(
    client, hee_staff, full_record, django_assert_max_num_queries
):
    """A full record opens in eleven queries: no extra one for the regulator, region or training body it names."""
    profile, _ = full_record
    client.force_login(hee_staff)

    # session, user, the device of their second factor, the clinician joined to user, regulator, region and body, the
    # audit entry, then one each for the latest assessment, its ratings, interest history, target roles, experience
    # and qualifications
    with django_assert_max_num_queries(11):
        response = client.get(detail_url(profile))

    assert f"{profile.regulator.code} {profile.registration_number}" in response.content.decode()


def test_the_record_offers_the_training_body_admin_a_nomination_and_hee_staff_none(
    client, clinician, tb_admin, hee_staff
):
    profile = clinician.clinician_profile
    url = reverse("talent:show_clinician", kwargs={"profile_id": profile.pk})
    nominate = f"{reverse('talent:nominate_clinician')}?clinician={profile.pk}"
    client.force_login(tb_admin)
    assert nominate in client.get(url).content.decode()
    client.force_login(hee_staff)
    assert nominate not in client.get(url).content.decode()
