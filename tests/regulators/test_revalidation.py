"""The clinician's revalidation record: dates worked out from their regulator's cycle, bad input as field errors,
only ever their own, and reminders at 90 and 30 days and when overdue, once each."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, OutboxMessage
from config.errors import DomainError
from regulators.models import Regulator, RevalidationRecord
from regulators.services import RevalidationAnswers, revalidation_record_save, revalidation_reminders_send
from regulators.tasks import send_revalidation_reminders_task
from tests.factories import ClinicianProfileFactory

NMC_NUMBER = "12A3456E"


def nurse_profile(**extra):
    return ClinicianProfileFactory(
        profession="nurse",
        regulator=Regulator.objects.get(code="NMC"),
        registration_number=NMC_NUMBER,
        career_stage="band_8a",
        specialty_training_year=None,
        **extra,
    )


def date_fields(name: str, day: date) -> dict:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


# --- Service ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_next_due_date_is_worked_out_from_the_last_revalidation(clinician):
    """A doctor who revalidated on 29 February 2024 is next due on 28 February 2029 (GMC: five years)."""
    profile = clinician.clinician_profile
    record = revalidation_record_save(
        profile=profile,
        answers=RevalidationAnswers(last_revalidated_on=date(2024, 2, 29), designated_body="North West"),
        today=date(2026, 1, 10),
    )
    assert record.next_due_on == date(2029, 2, 28)
    assert record.regulator.code == "GMC"
    assert AuditEvent.objects.filter(action="revalidation.record", subject_id=str(record.pk)).exists()
    changed = revalidation_record_save(
        profile=profile, answers=RevalidationAnswers(next_due_on=date(2026, 3, 1)), today=date(2026, 1, 10)
    )
    assert changed.pk == record.pk and changed.next_due_on == date(2026, 3, 1)
    assert RevalidationRecord.objects.filter(profile=profile).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answers", "field", "words"),
    [
        (RevalidationAnswers(), "last_revalidated_on", "Enter one of the two dates"),
        (RevalidationAnswers(last_revalidated_on=date(2026, 1, 11)), "last_revalidated_on", "today or in the past"),
        # More than one GMC cycle (five years) ago: they would have revalidated since.
        (RevalidationAnswers(last_revalidated_on=date(2021, 1, 9)), "last_revalidated_on", "within the last 5 years"),
        (RevalidationAnswers(next_due_on=date(2031, 1, 11)), "next_due_on", "within 5 years from today"),
        (RevalidationAnswers(next_due_on=date(2021, 1, 9)), "next_due_on", "more than 5 years ago"),
        (RevalidationAnswers(next_due_on=date(2027, 1, 1), confirmer="My manager"), "confirmer", "Only nurses"),
    ],
)
def test_bad_dates_and_a_confirmer_for_a_doctor_are_refused_on_their_field(clinician, answers, field, words):
    with pytest.raises(DomainError) as raised:
        revalidation_record_save(profile=clinician.clinician_profile, answers=answers, today=date(2026, 1, 10))
    assert raised.value.field == field
    assert words in raised.value.message
    assert not RevalidationRecord.objects.exists()


@pytest.mark.django_db
def test_a_nurse_has_a_confirmer_but_no_responsible_officer():
    profile = nurse_profile()
    record = revalidation_record_save(
        profile=profile,
        answers=RevalidationAnswers(last_revalidated_on=date(2025, 4, 30), confirmer="Chief nurse"),
        today=date(2026, 1, 10),
    )
    assert record.next_due_on == date(2028, 4, 30)  # NMC: three years
    with pytest.raises(DomainError) as raised:
        revalidation_record_save(
            profile=profile,
            answers=RevalidationAnswers(last_revalidated_on=date(2025, 4, 30), responsible_officer="Dr X"),
            today=date(2026, 1, 10),
        )
    assert raised.value.field == "responsible_officer"


# --- Pages -----------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_doctor_records_a_date_and_sees_it_amber_with_words(client, clinician):
    client.force_login(clinician)
    form = client.get(reverse("regulators:edit_revalidation"))
    assert "Designated body" in form.content.decode() and "Confirmer" not in form.content.decode()
    today = timezone.localdate()
    response = client.post(
        reverse("regulators:edit_revalidation"),
        {**date_fields("next_due_on", today + timedelta(days=60)), "responsible_officer": "Dr A Officer"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("regulators:show_revalidation")
    page = client.get(reverse("regulators:show_revalidation")).content.decode()
    assert "nhsuk-tag--orange" in page and "Due within 90 days" in page and "60 days to go" in page
    assert "Dr A Officer" in page


@pytest.mark.django_db
def test_the_form_says_one_of_the_two_dates_is_needed_and_neither_is_optional(client, clinician):
    """Both dates used to say "(optional)", and saving with neither was then an error. Now each hint says one of
    the two is needed, neither is labelled optional (the other questions still are), and the error says the same."""
    client.force_login(clinician)
    url = reverse("regulators:edit_revalidation")
    html = client.get(url).content.decode()
    legends = re.findall(r'<legend class="nhsuk-fieldset__legend[^"]*">([^<]*)</legend>', html)
    assert "When did you last revalidate or renew your registration?" in legends
    assert "Or, when is your next revalidation or renewal due?" in legends
    assert not any("(optional)" in legend for legend in legends)
    assert html.count("we need one of the two") == 2
    assert "Designated body (optional)" in html

    response = client.post(url, {"responsible_officer": "Dr A Officer"})

    assert response.context["form"].errors["last_revalidated_on"] == [
        "Enter one of the two dates: when you last revalidated or renewed, or when your next one is due"
    ]
    assert not RevalidationRecord.objects.exists()


@pytest.mark.django_db
def test_the_form_shows_every_problem_on_its_field(client, clinician):
    client.force_login(clinician)
    today = timezone.localdate()
    response = client.post(
        reverse("regulators:edit_revalidation"), date_fields("last_revalidated_on", today + timedelta(days=3))
    )
    assert response.status_code == 200
    assert response.context["form"].errors["last_revalidated_on"] == [
        "The date of your last revalidation or renewal must be today or in the past"
    ]
    assert "nhsuk-error-summary" in response.content.decode()
    assert not RevalidationRecord.objects.exists()


@pytest.mark.django_db
def test_date_errors_name_the_date_not_the_question(client, clinician):
    """NHS.UK date inputs name the date in errors ("Date of ... must be a real date"), not the question asked."""
    client.force_login(clinician)
    response = client.post(
        reverse("regulators:edit_revalidation"),
        {
            "last_revalidated_on_day": "31",
            "last_revalidated_on_month": "2",
            "last_revalidated_on_year": "2024",
            "next_due_on_day": "40",
            "next_due_on_month": "1",
            "next_due_on_year": "2030",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["last_revalidated_on"] == ["Date of your last revalidation must be a real date"]
    assert errors["next_due_on"] == ["Your next due date must be a real date"]
    assert "When did you last revalidate or renew your registration? must" not in response.content.decode()


@pytest.mark.django_db
def test_a_confirmer_posted_by_a_doctor_is_never_saved(client, clinician):
    """The doctor's form has no confirmer field, so a hand-made POST cannot give them one."""
    client.force_login(clinician)
    client.post(
        reverse("regulators:edit_revalidation"),
        {**date_fields("next_due_on", timezone.localdate() + timedelta(days=300)), "confirmer": "Someone"},
    )
    assert RevalidationRecord.objects.get().confirmer == ""


@pytest.mark.django_db
def test_nobody_sees_another_clinicians_record(client, clinician, other_clinician, clinician_revalidation):
    """The pages take no id: the other clinician sees only their own (none), never the first clinician's."""
    client.force_login(other_clinician)
    page = client.get(reverse("regulators:show_revalidation")).content.decode()
    assert "Dr A Officer" not in page and "You have not recorded" in page
    form = client.get(reverse("regulators:edit_revalidation")).content.decode()
    assert "Dr A Officer" not in form and "Example Teaching Hospitals" not in form


# --- Reminders -------------------------------------------------------------------------------------------------------


def reminder_keys() -> list[str]:
    return sorted(
        key.rsplit(":", 1)[1]
        for key in OutboxMessage.objects.filter(kind="revalidation_reminder").values_list("idempotency_key", flat=True)
    )


@pytest.mark.django_db
def test_reminders_at_90_and_30_days_and_when_overdue_once_each_however_often_the_job_runs(clinician):
    profile = clinician.clinician_profile
    start = date(2026, 3, 1)
    due = start + timedelta(days=100)
    RevalidationRecord.objects.create(profile=profile, regulator=profile.regulator, next_due_on=due)
    seen = []
    for offset in range(0, 110):
        with time_machine.travel(
            timezone.make_aware(timezone.datetime.combine(start + timedelta(days=offset), timezone.datetime.min.time()))
            + timedelta(hours=7),
            tick=False,
        ):
            for _ in range(3):  # the daily job runs three times a day: nothing is written twice
                revalidation_reminders_send()
            send_revalidation_reminders_task.delay()
        seen.append(reminder_keys())
    # Day 10 is 90 days before; day 70 is 30 days before; day 101 is the first day overdue.
    assert seen[9] == []
    assert seen[10] == ["90"]
    assert seen[69] == ["90"]
    assert seen[70] == ["30", "90"]
    assert seen[100] == ["30", "90"]
    assert seen[101] == ["30", "90", "overdue"]
    assert seen[-1] == ["30", "90", "overdue"]
    assert set(OutboxMessage.objects.filter(kind="revalidation_reminder").values_list("to_email", flat=True)) == {
        clinician.email
    }


@pytest.mark.django_db
def test_reminders_due_for_many_clinicians_are_each_written_once_when_looked_up_in_batches(monkeypatch):
    """Which reminders were already written is looked up a batch of keys at a time (a statement may carry at most
    65,535 values); across batches each clinician still gets exactly one."""
    monkeypatch.setattr("config.db.IN_BATCH_SIZE", 2)
    due = timezone.localdate() + timedelta(days=90)
    profiles = ClinicianProfileFactory.create_batch(5)
    for profile in profiles:
        RevalidationRecord.objects.create(profile=profile, regulator=profile.regulator, next_due_on=due)

    assert revalidation_reminders_send() == 5
    assert revalidation_reminders_send() == 0

    emails = OutboxMessage.objects.filter(kind="revalidation_reminder").values_list("to_email", flat=True)
    assert sorted(emails) == sorted(profile.user.email for profile in profiles)


@pytest.mark.django_db
def test_a_new_due_date_starts_the_reminders_afresh(clinician_revalidation):
    today = timezone.localdate()
    clinician_revalidation.next_due_on = today + timedelta(days=80)
    clinician_revalidation.save()
    assert revalidation_reminders_send(today=today) == 1
    clinician_revalidation.next_due_on = today + timedelta(days=20)
    clinician_revalidation.save()
    assert revalidation_reminders_send(today=today) == 1
    assert revalidation_reminders_send(today=today) == 0
    assert reminder_keys() == ["30", "90"]


@pytest.mark.django_db
def test_the_reminder_email_names_the_date_and_links_to_the_record(
    clinician_revalidation, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    today = timezone.localdate()
    clinician_revalidation.next_due_on = today + timedelta(days=25)
    clinician_revalidation.save()
    with django_capture_on_commit_callbacks(execute=True):
        revalidation_reminders_send(today=today)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [clinician_revalidation.profile.user.email]
    assert "GMC revalidation is due on" in email.subject
    assert f"{settings.SITE_URL}{reverse('regulators:show_revalidation')}" in email.body
    assert "25 days to go" in email.body


@pytest.mark.django_db
def test_a_reminder_for_a_date_since_changed_is_not_sent(clinician_revalidation, django_capture_on_commit_callbacks):
    from accounts.outbox import outbox_render

    today = timezone.localdate()
    clinician_revalidation.next_due_on = today + timedelta(days=25)
    clinician_revalidation.save()
    revalidation_reminders_send(today=today)
    message = OutboxMessage.objects.get(kind="revalidation_reminder")
    clinician_revalidation.next_due_on = today + timedelta(days=400)
    clinician_revalidation.save()
    assert outbox_render(message) is None


@pytest.mark.django_db
def test_data_rights_helpers_export_and_erase_the_own_record(clinician_revalidation):
    from regulators.selectors import revalidation_record_export
    from regulators.services import revalidation_record_erase

    profile = clinician_revalidation.profile
    exported = revalidation_record_export(profile)
    assert exported["regulator"] == "GMC" and exported["responsible_officer"] == "Dr A Officer"
    assert revalidation_record_erase(profile=profile) == 1
    assert revalidation_record_export(profile) is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_submitted_first_record_saves_once_without_an_error():
    """Two saves of a clinician's first record at the same moment (a double-clicked button without JavaScript):
    both succeed and one record stands, instead of the second failing on the one-record-per-clinician rule."""
    import threading

    from django.db import connections

    profile = ClinicianProfileFactory()
    answers = RevalidationAnswers(last_revalidated_on=timezone.localdate() - timedelta(days=400))
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def save(index):
        try:
            barrier.wait(timeout=10)
            results[index] = revalidation_record_save(profile=profile, answers=answers)
        except Exception as error:  # noqa: BLE001 - the test reports whatever each request met
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert all(isinstance(result, RevalidationRecord) for result in results), results
    assert RevalidationRecord.objects.filter(profile=profile).count() == 1
