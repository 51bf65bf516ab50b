"""Demo follow-ups and conversations: what tbadmin@demo.test and clinician@demo.test find filled in."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from demo.nudges import demo_nudges_seed
from demo.support import demo_support_seed
from talent.models import CareerConversation, FollowUp, FollowUpOutcome, Signpost
from tests.clock import runs_at
from tests.factories import ClinicianProfileFactory

_at_now = runs_at(datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Europe/London")))


def test_demo_follow_ups_are_open_overdue_and_closed_and_the_clinician_has_a_conversation(
    training_body, clinician, tb_admin, open_opportunity
):
    for _ in range(5):
        ClinicianProfileFactory(training_body=training_body)
    demo_nudges_seed(training_body=training_body)

    added = demo_support_seed(training_body=training_body, tb_admin=tb_admin, clinician=clinician)

    assert added == FollowUp.objects.count() >= 3
    assert demo_support_seed(training_body=training_body, tb_admin=tb_admin, clinician=clinician) == 0
    today = timezone.localdate()
    assert FollowUp.objects.filter(closed_at__isnull=True, due_on__lt=today).exists()
    assert FollowUp.objects.filter(outcome=FollowUpOutcome.NO_ACTION).exists()
    assert CareerConversation.objects.get(profile=clinician.clinician_profile).response == ""
    assert Signpost.objects.get(profile=clinician.clinician_profile).opportunity == open_opportunity
