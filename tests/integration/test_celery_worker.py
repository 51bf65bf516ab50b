"""A real worker, started by the test, runs real tasks against the real broker and database."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from accounts.tasks import purge_unconfirmed_sign_ups_task
from tests.factories import ClinicianFactory
from tests.integration.conftest import wait_until

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_worker_purges_stale_sign_ups_in_postgresql(celery_worker, tasks_via_broker):
    """A task sent through Redis runs in the worker process, and its deletes are visible to the test."""
    stale = ClinicianFactory(is_active=False, email_confirmed_at=None, date_joined=timezone.now() - timedelta(days=30))
    kept = ClinicianFactory()

    purge_unconfirmed_sign_ups_task.delay()

    assert wait_until(lambda: not User.objects.filter(pk=stale.pk).exists()), celery_worker.log_path.read_text()
    assert User.objects.filter(pk=kept.pk).exists()
    assert celery_worker.process.poll() is None


def test_the_sign_up_confirmation_email_is_sent_by_the_worker(client, celery_worker, tasks_via_broker):
    """Signing up queues the confirmation for the worker, which sends exactly one email with the link."""
    response = client.post(
        "/sign-up/",
        {
            "full_name": "Worker Test",
            "email": "worker.test@example.nhs.uk",
            "password1": "Leadership-Journey-42",
            "password2": "Leadership-Journey-42",
        },
    )

    assert response.status_code == 302
    assert mail.outbox == []  # the web process sent nothing itself
    assert wait_until(lambda: any("worker.test@example.nhs.uk" in m for m in celery_worker.sent_emails())), (
        celery_worker.log_path.read_text()
    )
    [email] = [m for m in celery_worker.sent_emails() if "worker.test@example.nhs.uk" in m]
    assert "/sign-up/confirm/" in email
