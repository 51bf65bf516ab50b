"""Demo 360 feedback: clinician@demo.test finds a finished round whose report shows every anonymity rule."""

from datetime import datetime
from zoneinfo import ZoneInfo

from demo.feedback import demo_feedback_seed
from talent.selectors import feedback_report
from tests.clock import runs_at

_at_now = runs_at(datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Europe/London")))


def test_the_demo_clinician_has_a_finished_round_with_a_report(clinician):
    feedback_round = demo_feedback_seed(clinician=clinician)
    assert demo_feedback_seed(clinician=clinician) is None
    assert not feedback_round.is_open()
    report = feedback_report(feedback_round)
    assert report.available and report.answered == 9
    assert [(group.label, group.answered) for group in report.groups] == [
        ("Line manager", 1),
        ("Peers", 4),
        ("Direct reports and others", 4),
    ]
    assert report.groups[0].exempt
