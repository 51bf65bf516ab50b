"""The 360 report's anonymity rules (talent.selectors.feedback): a group is shown only with at least 3 answers
(the line manager excepted, and labelled), smaller groups fold into "Others", fewer than 3 answers in all make no
report, and comments come without names in random order. The property test drives the rules with any answers."""

import random
from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from talent.models import Dimension, FeedbackAnswer, RaterGroup
from talent.selectors.feedback import (
    ANONYMITY_THRESHOLD,
    OTHERS,
    AnswerFacts,
    feedback_report,
    report_from_answers,
)
from tests.clock import runs_at
from tests.talent.feedback_fixtures import make_round, submit_answer

UK = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UK)
_at_now = runs_at(NOW)
DIMENSIONS = list(Dimension.values)


def answers(group: str, count: int, rating: int | None = 3, **comments) -> list[AnswerFacts]:
    return [AnswerFacts(group, dict.fromkeys(DIMENSIONS, rating), **comments) for _ in range(count)]


def shown(report) -> dict[str, int]:
    return {group.label: group.answered for group in report.groups}


def test_fewer_than_3_answers_in_all_make_no_report_and_say_why():
    report = report_from_answers(answers(RaterGroup.LINE_MANAGER, 1) + answers(RaterGroup.PEER, 1), {})
    assert not report.available
    assert report.groups == [] and report.rows == []
    assert "2 of the people you asked answered" in report.reason
    assert "at least 3" in report.reason


def test_a_group_of_3_is_shown_under_its_name():
    report = report_from_answers(answers(RaterGroup.PEER, 3) + answers(RaterGroup.DIRECT_REPORT, 3), {})
    assert shown(report) == {"Peers": 3, "Direct reports": 3}


def test_the_line_manager_alone_is_shown_and_labelled_as_the_exception():
    report = report_from_answers(answers(RaterGroup.LINE_MANAGER, 1, 4) + answers(RaterGroup.PEER, 3, 2), {})
    manager = report.groups[0]
    assert (manager.label, manager.exempt, manager.answered) == ("Line manager", True, 1)
    assert manager.cells[Dimension.LEADING_WITH_CARE] == (4, 1)
    assert not report.groups[1].exempt


def test_smaller_groups_fold_into_others():
    report = report_from_answers(
        answers(RaterGroup.PEER, 3) + answers(RaterGroup.DIRECT_REPORT, 2) + answers(RaterGroup.OTHER, 1), {}
    )
    assert shown(report) == {"Peers": 3, "Others": 3}
    assert report.groups[-1].key == OTHERS


def test_a_fold_still_under_3_joins_the_smallest_group_shown():
    report = report_from_answers(
        answers(RaterGroup.PEER, 4) + answers(RaterGroup.DIRECT_REPORT, 3) + answers(RaterGroup.OTHER, 2), {}
    )
    assert shown(report) == {"Peers": 4, "Direct reports and others": 5}
    assert report.withheld == 0


def test_answers_that_cannot_join_any_group_are_withheld_and_counted():
    """A line manager and two peers: the peers would be picked out by subtracting the manager's figures from any
    total, so their answers are left out and the report says how many."""
    report = report_from_answers(
        answers(RaterGroup.LINE_MANAGER, 1, 4) + answers(RaterGroup.PEER, 2, 1, does_well="Calm in a crisis"), {}
    )
    assert report.available
    assert shown(report) == {"Line manager": 1}
    assert report.withheld == 2
    assert all(row.others == 4 for row in report.rows)
    assert "Calm in a crisis" not in str([group.does_well for group in report.groups])


def test_a_dimension_rated_by_fewer_than_3_in_a_group_shows_no_figure():
    """Three peers, two of whom did not observe a dimension: the one rating of it is not shown, nor counted."""
    observed = dict.fromkeys(DIMENSIONS, 2)
    not_observed = {**observed, Dimension.HOLDING_TO_ACCOUNT: None}
    report = report_from_answers(
        [AnswerFacts(RaterGroup.PEER, observed)] + [AnswerFacts(RaterGroup.PEER, not_observed)] * 2, {}
    )
    row = next(row for row in report.rows if row.dimension == Dimension.HOLDING_TO_ACCOUNT)
    assert row.others is None
    assert row.by_group == [("Peers", None)]


def test_comments_are_shown_without_names_in_random_order():
    peers = [AnswerFacts(RaterGroup.PEER, dict.fromkeys(DIMENSIONS, 3), does_well=f"comment {n}") for n in range(6)]
    orders = {tuple(report_from_answers(peers, {}).groups[0].does_well) for _ in range(20)}
    assert len(orders) > 1
    assert all(set(order) == {f"comment {n}" for n in range(6)} for order in orders)


def test_gaps_compare_the_self_assessment_with_others_and_list_the_largest():
    """Others rated every dimension 2; the clinician rated two dimensions otherwise: only those are gaps."""
    self_ratings = dict.fromkeys(DIMENSIONS, 2) | {Dimension.ENGAGING_THE_TEAM: 4, Dimension.SHARING_THE_VISION: 1}
    report = report_from_answers(answers(RaterGroup.PEER, 3, 2), self_ratings)
    assert [(row.label, row.gap) for row in report.largest_gaps] == [
        ("Engaging the team", 2),
        ("Sharing the vision", -1),
    ]


group_names = st.sampled_from(RaterGroup.values)
ratings = st.one_of(st.none(), st.integers(min_value=1, max_value=4))
answer_facts = st.builds(
    AnswerFacts,
    group=group_names,
    ratings=st.fixed_dictionaries(dict.fromkeys(DIMENSIONS, ratings)),
    does_well=st.sampled_from(["", "a", "b", "c"]),
    could_do_more_of=st.sampled_from(["", "x", "y"]),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(answer_facts, max_size=14), st.integers())
@example([AnswerFacts(RaterGroup.LINE_MANAGER, {}), *answers(RaterGroup.PEER, 2)], 0)
@example([*answers(RaterGroup.PEER, 3), *answers(RaterGroup.OTHER, 1)], 0)
def test_no_report_ever_shows_a_group_under_3(facts, seed):
    """Whatever the answers: no group but the line manager's is shown with fewer than 3 answers, no figure of such
    a group rests on fewer than 3 ratings, the figure for everyone is made only of figures shown, every comment
    shown belongs to a group shown, and fewer than 3 answers make no report."""
    report = report_from_answers(facts, {}, rng=random.Random(seed))
    if len(facts) < ANONYMITY_THRESHOLD:
        assert not report.available and report.groups == []
        return
    assert sum(group.answered for group in report.groups) + report.withheld == len(facts)
    for group in report.groups:
        if group.exempt:
            assert all(a.group == RaterGroup.LINE_MANAGER for a in group.answers)
            continue
        assert group.answered >= ANONYMITY_THRESHOLD
        assert all(a.group != RaterGroup.LINE_MANAGER for a in group.answers)
        for cell in group.cells.values():
            assert cell is None or cell[1] >= ANONYMITY_THRESHOLD
        assert sorted(group.does_well) == sorted(a.does_well for a in group.answers if a.does_well)
    for row in report.rows:
        cells = [group.cells[row.dimension] for group in report.groups if group.cells[row.dimension]]
        assert row.others_ratings == sum(n for _, n in cells)
        if cells:
            assert abs(row.others - sum(m * n for m, n in cells) / row.others_ratings) < 0.051
    shown_comments = {c for group in report.groups for c in group.does_well}
    hidden = {a.does_well for a in facts if a.does_well} - {
        a.does_well for group in report.groups for a in group.answers
    }
    assert not (shown_comments & hidden)


def test_the_report_waits_for_the_round_to_close(clinician):
    """Answers arriving one by one could be told apart, so an open round has no report yet."""
    feedback_round = make_round(
        clinician.clinician_profile, raters=[(f"p{n}@example.org", RaterGroup.PEER) for n in range(3)]
    )
    for rater in feedback_round.raters.all():
        submit_answer(rater, 3)
    report = feedback_report(feedback_round)
    assert not report.available
    assert "when the round closes" in report.reason


def test_a_closed_round_reports_its_submitted_answers_only(closed_feedback_round):
    draft_rater = closed_feedback_round.raters.create(email="late@example.org", group=RaterGroup.PEER)
    FeedbackAnswer.objects.create(rater=draft_rater, does_well="Not yet sent")
    report = feedback_report(closed_feedback_round)
    assert report.available and report.answered == 4
    assert {group.label for group in report.groups} == {"Line manager", "Peers"}
