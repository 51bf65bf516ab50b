"""Demo nudges: what tbadmin@demo.test sees before the first real nudge."""

from datetime import datetime
from zoneinfo import ZoneInfo

from demo.nudges import demo_nudges_seed
from talent.models import NudgeEntry
from tests.clock import runs_at

# The day the nudge tests run on, so the demo weeks and the opportunity's window are built from one moment.
_at_now = runs_at(datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Europe/London")))


def test_demo_nudges_show_the_demo_admin_what_a_nudge_looks_like(training_body, clinician, open_opportunity):
    assert demo_nudges_seed(training_body=training_body) == 2
    assert demo_nudges_seed(training_body=training_body) == 0
    entries = NudgeEntry.objects.filter(nudge__training_body=training_body)
    assert [entry.profile for entry in entries] == [clinician.clinician_profile]
    assert entries[0].opportunities[0]["title"] == "Open leadership programme"
