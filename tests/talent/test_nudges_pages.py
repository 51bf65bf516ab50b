"""Nudge pages and API for training-body admins: past nudges with their contents, straight to nominating."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from talent import services
from talent.models import ConsentRecipient
from tests.factories import ClinicianProfileFactory
from tests.talent.nudge_fixtures import NudgeEntryFactory, NudgeFactory


@pytest.fixture
def signed_in_admin(client, tb_admin):
    client.force_login(tb_admin)
    return client


def signed_in_as(client, user):
    client.force_login(user)
    return client


def add_clinicians(nudge, count: int, **profile_fields):
    profiles = []
    for _ in range(count):
        profile = ClinicianProfileFactory(training_body=nudge.training_body, **profile_fields)
        NudgeEntryFactory(
            nudge=nudge,
            profile=profile,
            opportunities=[{"id": "x", "title": "Open leadership programme", "slug": "open-leadership-programme"}],
        )
        profiles.append(profile)
    return profiles


def test_the_list_shows_past_nudges_with_the_clinicians_in_them(signed_in_admin, nudge, clinician, training_body):
    response = signed_in_admin.get(reverse("talent:list_nudges", kwargs={"slug": training_body.slug}))
    assert response.status_code == 200
    assert escape(clinician.full_name) in response.text  # names like O'Connor
    assert reverse("talent:show_nudge", kwargs={"nudge_id": nudge.pk}) in response.text


def test_the_training_body_page_links_to_its_nudges(signed_in_admin, training_body):
    response = signed_in_admin.get(reverse("accounts:show_training_body", kwargs={"slug": training_body.slug}))
    assert reverse("talent:list_nudges", kwargs={"slug": training_body.slug}) in response.text


def test_a_body_without_nudges_says_so(signed_in_admin, training_body):
    response = signed_in_admin.get(reverse("talent:list_nudges", kwargs={"slug": training_body.slug}))
    assert "No nudges yet" in response.text


def test_the_detail_links_each_clinician_to_their_record_and_to_nominating_them(signed_in_admin, nudge, clinician):
    profile = clinician.clinician_profile
    response = signed_in_admin.get(reverse("talent:show_nudge", kwargs={"nudge_id": nudge.pk}))
    assert response.status_code == 200
    assert reverse("talent:show_clinician", kwargs={"profile_id": profile.pk}) in response.text
    assert f"{reverse('talent:nominate_clinician')}?clinician={profile.pk}" in response.text
    assert "Raised their leadership interest to Exploring or above" in response.text


def test_a_clinician_who_withdrew_consent_is_counted_not_named(signed_in_admin, nudge, clinician):
    [leaves] = add_clinicians(nudge, 1, user__full_name="Withdrawn Person")
    services.consent_set(profile=leaves, recipient=ConsentRecipient.TRAINING_BODY, granted=False)

    response = signed_in_admin.get(reverse("talent:show_nudge", kwargs={"nudge_id": nudge.pk}))
    assert "Withdrawn Person" not in response.text
    assert escape(clinician.full_name) in response.text  # names like O'Connor
    assert "1 clinician in this nudge no longer shares their record" in response.text

    listed = signed_in_admin.get(reverse("talent:list_nudges", kwargs={"slug": nudge.training_body.slug}))
    assert "Withdrawn Person" not in listed.text


def test_pages_take_a_fixed_number_of_queries(signed_in_admin, nudge, training_body, django_assert_max_num_queries):
    older = NudgeFactory(training_body=training_body, period_end=nudge.period_start)
    add_clinicians(older, 4)
    add_clinicians(nudge, 8)
    with django_assert_max_num_queries(12):
        signed_in_admin.get(reverse("talent:list_nudges", kwargs={"slug": training_body.slug}))
    with django_assert_max_num_queries(12):
        signed_in_admin.get(reverse("talent:show_nudge", kwargs={"nudge_id": nudge.pk}))
    with django_assert_max_num_queries(10):
        signed_in_admin.get(reverse("talent_api:show_nudge", kwargs={"nudge_id": nudge.pk}))


def test_the_api_lists_your_bodies_nudges_and_one_nudge_with_its_contents(signed_in_admin, nudge, clinician):
    listed = signed_in_admin.get(reverse("talent_api:list_nudges")).json()
    assert listed["count"] == 1
    assert listed["results"][0]["id"] == str(nudge.pk)
    assert listed["results"][0]["clinician_count"] == 1

    [leaves] = add_clinicians(nudge, 1)
    services.consent_set(profile=leaves, recipient=ConsentRecipient.TRAINING_BODY, granted=False)
    detail = signed_in_admin.get(reverse("talent_api:show_nudge", kwargs={"nudge_id": nudge.pk})).json()
    assert [c["name"] for c in detail["clinicians"]] == [clinician.full_name]
    assert detail["clinicians"][0]["signals"][0]["kind"] == "interest_raised"
    assert detail["left_out"] == 1


def test_another_bodys_admin_sees_none_of_its_nudges(client, tb_admin, other_tb_admin, nudge, training_body):
    """The body's own admin finds its nudge in the API and on the page; another body's admin finds it nowhere."""
    own_list = signed_in_as(client, tb_admin).get(reverse("talent_api:list_nudges")).json()
    own_page = client.get(reverse("talent:list_nudges", kwargs={"slug": training_body.slug}))
    other_list = signed_in_as(client, other_tb_admin).get(reverse("talent_api:list_nudges")).json()
    other_detail = client.get(reverse("talent_api:show_nudge", kwargs={"nudge_id": nudge.pk}))
    other_page = client.get(reverse("talent:show_nudge", kwargs={"nudge_id": nudge.pk}))

    assert [row["id"] for row in own_list["results"]] == [str(nudge.pk)]
    assert reverse("talent:show_nudge", kwargs={"nudge_id": nudge.pk}) in own_page.text
    assert (other_list["count"], other_list["results"]) == (0, [])
    assert (other_detail.status_code, other_page.status_code) == (404, 404)


def test_the_detail_title_and_heading_are_each_one_line(signed_in_admin, nudge):
    response = signed_in_admin.get(reverse("talent:show_nudge", kwargs={"nudge_id": nudge.pk}))
    title = re.search(r"<title>(.*?)</title>", response.text, re.S).group(1)
    heading = re.search(r"<h1>(.*?)</h1>", response.text, re.S).group(1)
    assert "\n" not in title and title.startswith("Nudge for ") and f": {nudge.training_body.name} " in title
    assert "\n" not in heading and heading.startswith("Nudge for ")
