"""The support-and-develop part of a clinician's data download (talent.export): their development plan, their
mentoring, their 360 feedback rounds and their talent-pool memberships.

Each as the clinician sees it on their own pages: the other side of a mentoring relationship is named, and their
email address given only once it was accepted; a feedback round gives the report the clinician was shown (groups,
averages and comments under the anonymity rules) and counts of who was asked, never a rater's address or one
rater's answers; a pool membership gives the assessed readiness with its evidence, as the clinician may read it.
"""

from datetime import date, datetime

from django.db.models import Prefetch, Q

from talent.models import (
    ClinicianProfile,
    DevelopmentPlan,
    Dimension,
    FeedbackRater,
    MentoringOffer,
    MentoringRequest,
    MentoringStatus,
    PlanAction,
    Readiness,
)
from talent.selectors.feedback import feedback_progress, feedback_report


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _choice(instance, field: str) -> dict:
    return {"code": getattr(instance, field), "label": getattr(instance, f"get_{field}_display")()}


def _dimensions(codes: list[str]) -> list[dict]:
    labels = dict(Dimension.choices)
    return [{"code": code, "label": labels.get(code, code)} for code in codes]


def _readiness(code: str) -> dict | None:
    return {"code": code, "label": Readiness(code).label} if code else None


def _plan(profile: ClinicianProfile) -> dict | None:
    plan = DevelopmentPlan.objects.filter(profile=profile).first()
    if plan is None:
        return None
    actions = PlanAction.objects.select_related("pathway_step", "opportunity").order_by("created_at", "pk")
    goals = plan.goals.prefetch_related(Prefetch("actions", queryset=actions)).order_by("created_at", "pk")
    return {
        "shared_with_training_body": plan.shared_with_training_body,
        "next_review_on": _iso(plan.next_review_on),
        "created_at": _iso(plan.created_at),
        "goals": [
            {
                "title": goal.title,
                "detail": goal.detail,
                "dimensions": _dimensions(goal.dimensions),
                "target_on": _iso(goal.target_on),
                "status": _choice(goal, "status"),
                "created_at": _iso(goal.created_at),
                "actions": [
                    {
                        "text": action.text,
                        "pathway_step": action.pathway_step.title if action.pathway_step else None,
                        "opportunity": action.opportunity.title if action.opportunity else None,
                        "target_on": _iso(action.target_on),
                        "status": _choice(action, "status"),
                    }
                    for action in goal.actions.all()
                ],
            }
            for goal in goals
        ],
        "reviews": [
            {"reviewed_on": _iso(review.reviewed_on), "note": review.note, "snapshot": review.snapshot}
            for review in plan.reviews.order_by("reviewed_on", "created_at")
        ],
    }


def _mentoring_request(request: MentoringRequest, *, as_mentor: bool) -> dict:
    other = request.mentee if as_mentor else request.mentor
    accepted = request.status == MentoringStatus.ACCEPTED
    return {
        "you_are": "mentor" if as_mentor else "mentee",
        "mentee" if as_mentor else "mentor": other.full_name,
        # As on the pages: each other's address only while the mentoring is accepted.
        "email": other.user.email if accepted else None,
        "message": request.message,
        "status": _choice(request, "status"),
        "reply": request.reply,
        "asked_at": _iso(request.created_at),
        "answered_at": _iso(request.responded_at),
        "ended_at": _iso(request.ended_at),
    }


def _mentoring(profile: ClinicianProfile) -> dict:
    offer = MentoringOffer.objects.prefetch_related("regions", "target_roles").filter(mentor=profile).first()
    requests = (
        MentoringRequest.objects.filter(Q(mentor=profile) | Q(mentee=profile))
        .select_related("mentor__user", "mentee__user")
        .order_by("created_at", "pk")
    )
    return {
        "offer": {
            "capacity": offer.capacity,
            "mentees": offer.mentee_count,
            "professions": offer.professions,
            "regions": [region.name for region in offer.regions.all()],
            "dimensions": _dimensions(offer.dimensions),
            "target_roles": [role.name for role in offer.target_roles.all()],
            "about": offer.about,
            "open": offer.is_open,
            "created_at": _iso(offer.created_at),
        }
        if offer
        else None,
        "requests": [_mentoring_request(request, as_mentor=request.mentor_id == profile.pk) for request in requests],
    }


def _report(feedback_round) -> dict:
    report = feedback_report(feedback_round)
    if not report.available:
        return {"available": False, "reason": report.reason}
    return {
        "available": True,
        "answered": report.answered,
        "answers_withheld": report.withheld,
        "groups": [
            {
                "group": group.label,
                "answered": group.answered,
                "exempt_from_the_minimum": group.exempt,
                "what_they_do_well": group.does_well,
                "what_they_could_do_more_of": group.could_do_more_of,
            }
            for group in report.groups
        ],
        "dimensions": [
            {
                "dimension": {"code": row.dimension, "label": row.label},
                "your_rating": row.self_rating,
                "others_average": row.others,
                "others_ratings": row.others_ratings,
                "by_group": [{"group": label, "average": average} for label, average in row.by_group],
            }
            for row in report.rows
        ],
    }


def _feedback(profile: ClinicianProfile) -> list[dict]:
    raters = FeedbackRater.objects.only("round_id", "group", "answered_at")
    rounds = (
        profile.feedback_rounds.select_related("shared_with", "profile")
        .prefetch_related(Prefetch("raters", queryset=raters))
        .order_by("opened_at", "pk")
    )
    return [
        {
            "opened_at": _iso(feedback_round.opened_at),
            "closes_on": _iso(feedback_round.closes_on),
            "closed_early_at": _iso(feedback_round.closed_early_at),
            "shared_with": feedback_round.shared_with.name if feedback_round.shared_with else None,
            "shared_at": _iso(feedback_round.shared_at),
            # Who was asked and who answered, per group: counts, never who.
            "asked": [
                {"group": group.label, "asked": group.invited, "answered": group.answered}
                for group in feedback_progress(feedback_round)
            ],
            "report": _report(feedback_round),
        }
        for feedback_round in rounds
    ]


def _pools(profile: ClinicianProfile) -> list[dict]:
    memberships = (
        profile.pool_memberships.select_related(
            "pool__training_body", "pool__region", "target_role", "invited_by", "readiness_by"
        )
        .prefetch_related("readiness_changes")
        .order_by("created_at", "pk")
    )
    return [
        {
            "pool": membership.pool.name,
            "owner": membership.pool.owner_name,
            "role_level": membership.pool.get_role_level_display(),
            "state": _choice(membership, "state"),
            "invitation_note": membership.invitation_note,
            "created_at": _iso(membership.created_at),
            "answered_at": _iso(membership.responded_at),
            "left_at": _iso(membership.left_at),
            "assessed_readiness": _readiness(membership.readiness),
            "target_role": membership.target_role.name if membership.target_role else None,
            "readiness_evidence": membership.readiness_evidence,
            "assessed_by": membership.readiness_by.full_name if membership.readiness_by else None,
            "assessed_at": _iso(membership.readiness_at),
            "readiness_history": [
                {
                    "from": _readiness(change.from_readiness),
                    "to": _readiness(change.to_readiness),
                    "at": _iso(change.changed_at),
                }
                for change in sorted(membership.readiness_changes.all(), key=lambda change: change.changed_at)
            ],
        }
        for membership in memberships
    ]


def _licence_plans(profile: ClinicianProfile) -> list[dict]:
    return [
        {"choice": _choice(plan, "choice"), "note": plan.note, "recorded_at": _iso(plan.recorded_at)}
        for plan in profile.licence_plans.order_by("recorded_at", "pk")
    ]


def develop_export(profile: ClinicianProfile | None) -> dict:
    """The plan, mentoring, 360 feedback, talent pools and licence plan sections of the download (empty without a
    profile)."""
    if profile is None:
        return {
            "development_plan": None,
            "mentoring": {"offer": None, "requests": []},
            "feedback_rounds": [],
            "talent_pools": [],
            "licence_plans": [],
        }
    return {
        "development_plan": _plan(profile),
        "mentoring": _mentoring(profile),
        "feedback_rounds": _feedback(profile),
        "talent_pools": _pools(profile),
        "licence_plans": _licence_plans(profile),
    }
