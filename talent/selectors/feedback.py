"""Reads of 360 feedback, and the anonymity rules in one place (DESIGN.md section 4).

The clinician sees who has answered only as counts per group. Their report (once the round has closed) shows a
group's ratings and comments only when at least ANONYMITY_THRESHOLD raters in it answered, the line manager
excepted (and labelled so); smaller groups fold into "Others"; a fold still too small joins the smallest group shown,
or is withheld. A dimension's figure for a group needs as many ratings (raters may say "not observed"), and the
figure for everyone is pooled from the figures shown only, so no subtraction of shown figures reveals a hidden
one. With fewer than ANONYMITY_THRESHOLD answers in all there is no report, and the clinician is told why.
Comments are shown in random order without names.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.permissions import Permission, user_can
from talent.assessment_content import DIMENSION_ORDER
from talent.feedback_links import rater_id_from_token
from talent.models import (
    ClinicianProfile,
    Dimension,
    FeedbackAnswer,
    FeedbackAnswerStatus,
    FeedbackRater,
    FeedbackRound,
    RaterGroup,
    open_rounds_q,
)
from talent.selectors.clinicians import latest_completed_assessment

ANONYMITY_THRESHOLD = 3
GAPS_LISTED = 3
LOWEST_LISTED = 3
GROUP_NAMES = {
    RaterGroup.LINE_MANAGER: "Line manager",
    RaterGroup.PEER: "Peers",
    RaterGroup.DIRECT_REPORT: "Direct reports",
    RaterGroup.OTHER: "Others",
}
OTHERS = "others"


# --- The clinician's rounds ------------------------------------------------------------------


def own_feedback_rounds(profile: ClinicianProfile) -> QuerySet[FeedbackRound]:
    """The clinician's rounds, newest first, with how many were asked and have answered."""
    return (
        profile.feedback_rounds.annotate(
            invited=Count("raters"), answered=Count("raters", filter=Q(raters__answered_at__isnull=False))
        )
        .prefetch_related(Prefetch("raters", queryset=FeedbackRater.objects.only("round_id", "group", "answered_at")))
        .order_by("-opened_at", "-pk")
    )


def own_feedback_round(profile: ClinicianProfile, round_id) -> FeedbackRound:
    """One of the clinician's own rounds; 404 for anyone else's."""
    feedback_round = own_feedback_rounds(profile).filter(pk=round_id).select_related("shared_with").first()
    if feedback_round is None:
        raise Http404("No such feedback round.")
    return feedback_round


def open_round_count(profile: ClinicianProfile) -> int:
    return profile.feedback_rounds.filter(open_rounds_q()).count()


@dataclass(frozen=True)
class GroupProgress:
    group: str
    label: str
    invited: int
    answered: int


def feedback_progress(feedback_round: FeedbackRound) -> list[GroupProgress]:
    """Counts per group of who was asked and who has answered: never who. Reads the round's raters (at most
    FEEDBACK_MAX_RATERS), prefetched when a list of rounds asks."""
    invited: dict[str, int] = defaultdict(int)
    answered: dict[str, int] = defaultdict(int)
    for rater in feedback_round.raters.all():
        invited[rater.group] += 1
        answered[rater.group] += rater.answered_at is not None
    return [
        GroupProgress(group, GROUP_NAMES[group], invited[group], answered[group])
        for group in RaterGroup.values
        if invited[group]
    ]


# --- A rater's link --------------------------------------------------------------------------

LINK_INVALID = "invalid"
LINK_CLOSED = "closed"
LINK_SUBMITTED = "submitted"


@dataclass(frozen=True)
class RaterLink:
    """What a link opens: the rater and their draft, or why it opens nothing (`problem`)."""

    rater: FeedbackRater | None
    problem: str | None
    answer: FeedbackAnswer | None = None


def rater_for_link(token: str) -> RaterLink:
    rater_id = rater_id_from_token(token)
    rater = (
        FeedbackRater.objects.select_related("round__profile__user").filter(pk=rater_id).first() if rater_id else None
    )
    if rater is None:
        return RaterLink(None, LINK_INVALID)
    if rater.answered_at is not None:
        return RaterLink(rater, LINK_SUBMITTED)
    if not rater.round.is_open():
        return RaterLink(rater, LINK_CLOSED)
    answer = FeedbackAnswer.objects.filter(rater=rater).prefetch_related("ratings").first()
    return RaterLink(rater, None, answer)


# --- The report: the anonymity rules ---------------------------------------------------------


@dataclass(frozen=True)
class AnswerFacts:
    """One submitted answer as the rules see it: its group, ratings (None: not observed) and comments."""

    group: str
    ratings: dict[str, int | None]
    does_well: str = ""
    could_do_more_of: str = ""


@dataclass
class ReportGroup:
    key: str
    label: str
    exempt: bool
    answers: list[AnswerFacts] = field(default_factory=list, repr=False)
    # dimension -> (average, ratings) when shown; None when too few raters rated it.
    cells: dict[str, tuple[float, int] | None] = field(default_factory=dict)
    does_well: list[str] = field(default_factory=list)
    could_do_more_of: list[str] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return len(self.answers)


@dataclass(frozen=True)
class DimensionRow:
    dimension: str
    label: str
    self_rating: int | None
    others: float | None
    others_ratings: int
    by_group: list[tuple[str, float | None]]

    @property
    def gap(self) -> float | None:
        if self.self_rating is None or self.others is None:
            return None
        return round(self.self_rating - self.others, 1)


@dataclass(frozen=True)
class FeedbackReport:
    available: bool
    reason: str
    answered: int
    groups: list[ReportGroup]
    withheld: int
    rows: list[DimensionRow]

    @property
    def largest_gaps(self) -> list[DimensionRow]:
        gaps = [row for row in self.rows if row.gap]
        return sorted(gaps, key=lambda row: (-abs(row.gap), DIMENSION_ORDER.index(row.dimension)))[:GAPS_LISTED]

    @property
    def lowest_dimensions(self) -> list[DimensionRow]:
        rated = [row for row in self.rows if row.others is not None]
        return sorted(rated, key=lambda row: (row.others, DIMENSION_ORDER.index(row.dimension)))[:LOWEST_LISTED]


def report_groups(answers: list[AnswerFacts]) -> tuple[list[ReportGroup], int]:
    """Which groups the report shows, after folding the small ones; and how many answers it cannot show at all."""
    by_group: dict[str, list[AnswerFacts]] = defaultdict(list)
    for answer in answers:
        by_group[answer.group].append(answer)
    groups: list[ReportGroup] = []
    if by_group[RaterGroup.LINE_MANAGER]:
        groups.append(
            ReportGroup(RaterGroup.LINE_MANAGER, "Line manager", exempt=True, answers=by_group[RaterGroup.LINE_MANAGER])
        )
    named: list[ReportGroup] = []
    pool: list[AnswerFacts] = list(by_group[RaterGroup.OTHER])
    for group in (RaterGroup.PEER, RaterGroup.DIRECT_REPORT):
        if len(by_group[group]) >= ANONYMITY_THRESHOLD:
            named.append(ReportGroup(group, GROUP_NAMES[group], exempt=False, answers=by_group[group]))
        else:
            pool += by_group[group]
    withheld = 0
    if len(pool) >= ANONYMITY_THRESHOLD:
        named.append(ReportGroup(OTHERS, "Others", exempt=False, answers=pool))
    elif pool and named:
        smallest = min(named, key=lambda group: group.answered)
        smallest.answers = smallest.answers + pool
        smallest.label = f"{smallest.label} and others"
    else:
        withheld = len(pool)
    return groups + named, withheld


def _fill(group: ReportGroup, rng: random.Random) -> None:
    for dimension in DIMENSION_ORDER:
        ratings = [a.ratings[dimension] for a in group.answers if a.ratings.get(dimension) is not None]
        enough = ratings and (group.exempt or len(ratings) >= ANONYMITY_THRESHOLD)
        group.cells[dimension] = (sum(ratings) / len(ratings), len(ratings)) if enough else None
    group.does_well = [a.does_well for a in group.answers if a.does_well]
    group.could_do_more_of = [a.could_do_more_of for a in group.answers if a.could_do_more_of]
    rng.shuffle(group.does_well)
    rng.shuffle(group.could_do_more_of)


def report_from_answers(
    answers: list[AnswerFacts], self_ratings: dict[str, int], *, rng: random.Random | None = None
) -> FeedbackReport:
    """The report the rules allow from these submitted answers (pure: the property test drives it directly)."""
    rng = rng or random.SystemRandom()
    if len(answers) < ANONYMITY_THRESHOLD:
        reason = (
            f"{len(answers)} of the people you asked answered. A report needs at least {ANONYMITY_THRESHOLD} "
            "answers, so that nobody's answer can be picked out."
        )
        return FeedbackReport(False, reason, len(answers), [], len(answers), [])
    groups, withheld = report_groups(answers)
    for group in groups:
        _fill(group, rng)
    rows = []
    for dimension in DIMENSION_ORDER:
        shown = [group.cells[dimension] for group in groups if group.cells[dimension] is not None]
        count = sum(n for _, n in shown)
        others = round(sum(mean * n for mean, n in shown) / count, 1) if count else None
        rows.append(
            DimensionRow(
                dimension=dimension,
                label=Dimension(dimension).label,
                self_rating=self_ratings.get(dimension),
                others=others,
                others_ratings=count,
                by_group=[
                    (group.label, round(group.cells[dimension][0], 1) if group.cells[dimension] else None)
                    for group in groups
                ],
            )
        )
    return FeedbackReport(True, "", len(answers), groups, withheld, rows)


def _answers_of(feedback_round: FeedbackRound) -> list[AnswerFacts]:
    answers = (
        FeedbackAnswer.objects.filter(rater__round=feedback_round, status=FeedbackAnswerStatus.SUBMITTED)
        .select_related("rater")
        .prefetch_related("ratings")
    )
    return [
        AnswerFacts(
            group=answer.rater.group,
            ratings={rating.dimension: rating.rating for rating in answer.ratings.all()},
            does_well=answer.does_well,
            could_do_more_of=answer.could_do_more_of,
        )
        for answer in answers
    ]


def feedback_report(feedback_round: FeedbackRound) -> FeedbackReport:
    """The round's report, once it has closed (while open, answers arriving one by one could be told apart)."""
    if feedback_round.is_open():
        return FeedbackReport(
            False,
            f"The report is made when the round closes on {feedback_round.closes_on:%-d %B %Y} (or when you close "
            "it early), so that answers arriving one by one cannot be told apart.",
            0,
            [],
            0,
            [],
        )
    assessment = latest_completed_assessment(feedback_round.profile)
    self_ratings = {r.dimension: r.rating for r in assessment.ratings.all()} if assessment else {}
    return report_from_answers(_answers_of(feedback_round), self_ratings)


# --- Shared reports (training-body admins) ---------------------------------------------------


def _shared_rounds_visible_to(user: User) -> QuerySet[FeedbackRound]:
    """Reports shared with a training body this admin administers, by clinicians still confirmed members of it.
    Nobody else sees a clinician's report: HEE staff never do."""
    if not user_can(user, Permission.VIEW_SHARED_FEEDBACK):
        return FeedbackRound.objects.none()
    return FeedbackRound.objects.filter(
        shared_with__memberships__user=user,
        shared_with_id=F("profile__training_body_id"),
        profile__account_active=True,
    ).select_related("profile__user", "shared_with")


def shared_feedback_round_for(user: User, round_id) -> FeedbackRound:
    feedback_round = _shared_rounds_visible_to(user).filter(pk=round_id).first()
    if feedback_round is None:
        raise Http404("No such feedback report.")
    return feedback_round


def shared_feedback_rounds_of(user: User, profile: ClinicianProfile) -> list[FeedbackRound]:
    """The reports this clinician shared with the admin's body, for their record page."""
    return list(_shared_rounds_visible_to(user).filter(profile=profile).order_by("-opened_at"))
