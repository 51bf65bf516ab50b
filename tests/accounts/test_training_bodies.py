"""Training-body admins see and manage only their own bodies."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, NudgeFrequency
from accounts.selectors import training_bodies_administered_by
from tests.factories import TrainingBodyAdminFactory, TrainingBodyFactory


@pytest.mark.django_db
def test_the_list_shows_only_the_admins_own_bodies(
    client, tb_admin, training_body, other_training_body, django_assert_max_num_queries
):
    """An admin sees the bodies they administer and never another body."""
    client.force_login(tb_admin)
    # 8 with the follow-ups due and overdue and the open conversation requests (one query each)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("accounts:list_training_bodies"))

    html = response.content.decode()
    assert training_body.name in html
    assert other_training_body.name not in html


@pytest.mark.django_db
def test_the_list_needs_the_same_queries_for_one_body_or_many(client, django_assert_max_num_queries):
    """No N+1: an admin of twenty bodies costs no more queries than an admin of one."""
    admin = TrainingBodyAdminFactory()
    for _ in range(19):
        admin.training_body_memberships.create(training_body=TrainingBodyFactory())
    client.force_login(admin)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("accounts:list_training_bodies"))

    assert response.content.decode().count('<tr class="nhsuk-table__row">') == 20


@pytest.mark.django_db
def test_an_admin_changes_the_nudge_frequency_and_it_is_audited(client, tb_admin, training_body):
    """Choosing daily saves it, confirms it on the page, and records who changed it."""
    client.force_login(tb_admin)
    url = reverse("accounts:show_training_body", kwargs={"slug": training_body.slug})

    response = client.post(url, {"nudge_frequency": NudgeFrequency.DAILY}, follow=True)

    training_body.refresh_from_db()
    assert training_body.nudge_frequency == NudgeFrequency.DAILY
    assert "Nudge emails are now daily." in response.content.decode()
    event = AuditEvent.objects.get(action="training_body.nudge_frequency_set")
    assert (event.actor, event.detail) == (tb_admin, {"frequency": "daily"})


@pytest.mark.django_db
def test_an_invalid_frequency_is_refused_with_a_field_error(client, tb_admin, training_body):
    """A made-up frequency shows an error and changes nothing."""
    client.force_login(tb_admin)
    url = reverse("accounts:show_training_body", kwargs={"slug": training_body.slug})

    response = client.post(url, {"nudge_frequency": "hourly"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    training_body.refresh_from_db()
    assert training_body.nudge_frequency == NudgeFrequency.WEEKLY


@pytest.mark.django_db
def test_an_admin_cannot_change_another_bodys_frequency(client, other_tb_admin, training_body):
    """Posting to another body's page is a 404 and leaves it unchanged."""
    client.force_login(other_tb_admin)
    url = reverse("accounts:show_training_body", kwargs={"slug": training_body.slug})

    response = client.post(url, {"nudge_frequency": NudgeFrequency.OFF})

    assert response.status_code == 404
    training_body.refresh_from_db()
    assert training_body.nudge_frequency == NudgeFrequency.WEEKLY


@pytest.mark.django_db
def test_only_training_body_admins_have_bodies_in_scope(clinician, hee_staff, editor, tb_admin, training_body):
    """The selector is empty for every role but training-body admins."""
    for user in (clinician, hee_staff, editor):
        assert list(training_bodies_administered_by(user)) == []
    assert list(training_bodies_administered_by(tb_admin)) == [training_body]
