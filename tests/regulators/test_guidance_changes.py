"""Clinicians are told when the guidance of their regulator for their role level changes: on their home, and by a
weekly email through the outbox (once per clinician per week of changes) that they can turn off."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as project_settings
from django.core import mail
from django.urls import reverse

from accounts.models import OutboxMessage
from accounts.outbox import outbox_deliver
from pathways.models import RoleLevel
from regulators.models import GuidanceChangeDigest, GuidanceEmailOptOut
from regulators.services import (
    GUIDANCE_CHANGES_KIND,
    guidance_change_emails_send,
    guidance_version_publish,
    guidance_version_start_next,
)
from regulators.tasks import send_guidance_change_emails_task
from talent.models import LeadershipExperience
from tests.clock import runs_at
from tests.factories import ClinicianProfileFactory
from tests.regulators.fixtures import make_guidance_version
from tests.regulators.test_checkpoint import target

pytestmark = pytest.mark.django_db

UK = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UK)  # a Wednesday: the week of changes starts on Monday 23 November
_at_now = runs_at(NOW)
NEXT_MONDAY = date(2026, 11, 30)
HOME = reverse("talent:show_clinician_home")


def publish_a_change(*, regulator: str = "GMC", slug: str = "keeping-your-licence", summary: str = "New words."):
    """Version 1 is published already (or is made now); version 2, with a new summary, is published now."""
    current = (
        make_guidance_version(regulator=regulator, slug=slug, title=f"{regulator} guidance: {slug}")
        if not _exists(regulator, slug)
        else _current(regulator, slug)
    )
    draft = guidance_version_start_next(version=current, actor=None)
    draft.summary = summary
    draft.save()
    return guidance_version_publish(version=draft, actor=None)


def _exists(regulator: str, slug: str) -> bool:
    from regulators.models import LicenceGuidance

    return LicenceGuidance.objects.filter(regulator__code=regulator, slug=slug).exists()


def _current(regulator: str, slug: str):
    from regulators.models import LicenceGuidanceVersion

    return LicenceGuidanceVersion.objects.get(
        guidance__regulator__code=regulator, guidance__slug=slug, status="published"
    )


@pytest.fixture
def doctor_aiming_for_the_board():
    profile = ClinicianProfileFactory(user__full_name="Sam Okafor")
    target(profile, "medical-director")
    return profile


def changes_link(version) -> str:
    url = reverse(
        "regulators:show_guidance_changes",
        kwargs={"regulator": version.guidance.regulator.code.lower(), "slug": version.guidance.slug},
    )
    return f"{url}?from={version.number - 1}&amp;to={version.number}"


# --- On the clinician's home -----------------------------------------------------------------------------------------


def test_a_clinician_sees_on_their_home_that_their_guidance_changed_with_a_link_to_what_changed(
    client, doctor_aiming_for_the_board
):
    version = publish_a_change()
    client.force_login(doctor_aiming_for_the_board.user)

    page = client.get(HOME).content.decode()

    assert "Your licence guidance has changed" in page
    assert f'href="{changes_link(version)}"' in page
    assert client.get(changes_link(version).replace("&amp;", "&")).status_code == 200


def test_holding_a_role_at_the_level_counts_as_much_as_aiming_for_one(client):
    profile = ClinicianProfileFactory()
    LeadershipExperience.objects.create(
        profile=profile,
        role="Medical director",
        organisation="Example Trust",
        level=RoleLevel.ORGANISATION,
        start_date=date(2025, 1, 1),
    )
    publish_a_change()
    client.force_login(profile.user)
    assert "Your licence guidance has changed" in client.get(HOME).content.decode()


def test_clinicians_of_another_regulator_or_level_are_not_told(client, doctor_aiming_for_the_board):
    publish_a_change()
    nurse = ClinicianProfileFactory(
        profession="nurse",
        regulator_id=_regulator_id("NMC"),
        registration_number="12A3456E",
        career_stage="band_6",
        specialty_training_year=None,
    )
    target(nurse, "chief-nurse")
    doctor_aiming_for_a_team = ClinicianProfileFactory()
    target(doctor_aiming_for_a_team, "clinical-lead")

    for profile in (nurse, doctor_aiming_for_a_team):
        client.force_login(profile.user)
        assert "Your licence guidance has changed" not in client.get(HOME).content.decode()


def _regulator_id(code: str) -> int:
    from regulators.models import Regulator

    return Regulator.objects.get(code=code).pk


def test_new_guidance_and_old_changes_are_not_announced(client, doctor_aiming_for_the_board):
    """A first version is new guidance, not a change; a change older than four weeks has left the home."""
    make_guidance_version(slug="brand-new")
    client.force_login(doctor_aiming_for_the_board.user)
    assert "Your licence guidance has changed" not in client.get(HOME).content.decode()
    publish_a_change()
    with time_machine.travel(datetime(2026, 12, 24, 10, 0, tzinfo=UK)):
        assert "Your licence guidance has changed" not in client.get(HOME).content.decode()


# --- The weekly email ------------------------------------------------------------------------------------------------


def owed() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=GUIDANCE_CHANGES_KIND).order_by("created_at"))


def test_the_weekly_email_goes_once_per_clinician_per_week_of_changes(
    doctor_aiming_for_the_board, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    version = publish_a_change()
    publish_a_change(slug="second-item")  # two changes the same week: one email listing both

    with django_capture_on_commit_callbacks(execute=True):
        assert guidance_change_emails_send(today=NEXT_MONDAY) == 1
        assert guidance_change_emails_send(today=NEXT_MONDAY) == 0  # the beat runs daily: the week is done
        assert guidance_change_emails_send(today=date(2026, 12, 2)) == 0

    [message] = owed()
    assert message.to_email == doctor_aiming_for_the_board.user.email
    assert GuidanceChangeDigest.objects.get(week_starting=date(2026, 11, 23)).emails_owed == 1
    [email] = mail.outbox
    assert email.subject == "Licence guidance for your role has changed"
    assert f"{settings.SITE_URL}{changes_link(version).replace('&amp;', '&')}" in email.body
    assert "GMC guidance: second-item" in email.body
    assert f"{settings.SITE_URL}{reverse('regulators:edit_guidance_emails')}" in email.body

    # A change the next week is a new change set: one more email.
    with time_machine.travel(datetime(2026, 12, 2, 10, 0, tzinfo=UK)):
        publish_a_change(summary="Newer words.")
    assert guidance_change_emails_send(today=date(2026, 12, 7)) == 1
    assert guidance_change_emails_send(today=date(2026, 12, 8)) == 0
    assert len(owed()) == 2


def test_a_week_missed_by_the_job_is_caught_up_the_week_after(doctor_aiming_for_the_board):
    publish_a_change()
    assert guidance_change_emails_send(today=date(2026, 12, 7)) == 1
    assert guidance_change_emails_send(today=date(2026, 12, 14)) == 0


def test_nobody_is_emailed_when_no_guidance_of_theirs_changed(doctor_aiming_for_the_board):
    publish_a_change(regulator="NMC", slug="nurses-only")
    assert guidance_change_emails_send(today=NEXT_MONDAY) == 0


def test_the_weekly_job_is_on_the_beat_schedule_and_runs_the_service(doctor_aiming_for_the_board):
    entry = project_settings.CELERY_BEAT_SCHEDULE["guidance-change-emails"]
    assert entry["task"] == "regulators.tasks.send_guidance_change_emails"
    publish_a_change()
    with time_machine.travel(datetime(2026, 11, 30, 7, 0, tzinfo=UK)):
        assert send_guidance_change_emails_task() == 1
        assert send_guidance_change_emails_task() == 0


# --- Opting out ------------------------------------------------------------------------------------------------------


def test_a_clinician_who_opts_out_gets_no_email_but_still_sees_the_change(client, doctor_aiming_for_the_board):
    client.force_login(doctor_aiming_for_the_board.user)
    profile_page = client.get(reverse("talent:show_profile")).content.decode()
    assert "Emails about licence guidance changes" in profile_page
    assert reverse("regulators:edit_guidance_emails") in profile_page

    response = client.post(reverse("regulators:edit_guidance_emails"), {"wanted": "no"}, follow=True)

    assert "We will not email you when your licence guidance changes" in response.content.decode()
    assert GuidanceEmailOptOut.objects.filter(profile=doctor_aiming_for_the_board).exists()
    publish_a_change()
    assert guidance_change_emails_send(today=NEXT_MONDAY) == 0
    home = client.get(HOME).content.decode()
    assert "Your licence guidance has changed" in home
    assert "You chose not to get emails about changes." in home

    client.post(reverse("regulators:edit_guidance_emails"), {"wanted": "yes"})
    assert not GuidanceEmailOptOut.objects.filter(profile=doctor_aiming_for_the_board).exists()


def test_the_email_choice_needs_an_answer(client, doctor_aiming_for_the_board):
    client.force_login(doctor_aiming_for_the_board.user)
    response = client.post(reverse("regulators:edit_guidance_emails"), {})
    assert "Select whether you want an email when your licence guidance changes" in response.content.decode()


def test_an_email_owed_before_opting_out_is_not_sent(doctor_aiming_for_the_board, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    publish_a_change()
    guidance_change_emails_send(today=NEXT_MONDAY)
    GuidanceEmailOptOut.objects.create(profile=doctor_aiming_for_the_board)
    [message] = owed()

    outbox_deliver(message_id=message.pk)

    assert mail.outbox == []
