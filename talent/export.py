"""Everything the service holds about one clinician, as a JSON-serialisable dict (the right of access).

Only the clinician's own rows are read: everything hangs off their user and profile. Dates and times are ISO 8601
strings, choices are given as both the stored code and the label people see on the pages.
"""

from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from regulators.selectors import revalidation_record_export
from talent.export_develop import develop_export
from talent.models import ClinicianProfile, Dimension, EqualityMonitoring

EXPORT_FORMAT_VERSION = 1
DIMENSION_ORDER = {code: index for index, code in enumerate(Dimension.values)}


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _choice(instance, field: str) -> dict:
    return {"code": getattr(instance, field), "label": getattr(instance, f"get_{field}_display")()}


def _account(user: User) -> dict:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "role": user.get_role_display(),
        "date_joined": _iso(user.date_joined),
        "email_confirmed_at": _iso(user.email_confirmed_at),
        "last_login": _iso(user.last_login),
    }


def _profile(profile: ClinicianProfile) -> dict:
    return {
        "id": str(profile.pk),
        "profession": _choice(profile, "profession"),
        "regulator": profile.regulator.code,
        "registration_number": profile.registration_number,
        "first_registration_year": profile.first_registration_year,
        "career_stage": _choice(profile, "career_stage"),
        "specialty_training_year": profile.specialty_training_year,
        "specialty": profile.specialty,
        "employer_name": profile.employer_name,
        "employer_ods_code": profile.employer_ods_code,
        "region": profile.region.name,
        "training_body": profile.training_body.name if profile.training_body else None,
        "training_body_requested": profile.requested_training_body.name if profile.requested_training_body else None,
        "early_career": profile.is_early_career,
        "current_interest_level": _choice(profile, "current_interest_level"),
        "current_readiness_horizon": _choice(profile, "current_readiness_horizon"),
        "shares_with_training_body": profile.shares_with_training_body,
        "shares_with_hee": profile.shares_with_hee,
        "created_at": _iso(profile.created_at),
        "updated_at": _iso(profile.updated_at),
    }


def _consent_history(profile: ClinicianProfile) -> list[dict]:
    return [
        {"recipient": _choice(event, "recipient"), "granted": event.granted, "at": _iso(event.created_at)}
        for event in profile.consent_events.order_by("created_at", "pk")
    ]


def _interest_records(profile: ClinicianProfile) -> list[dict]:
    records = profile.interest_records.prefetch_related("target_roles").order_by("recorded_at")
    return [
        {
            "id": str(record.pk),
            "recorded_at": _iso(record.recorded_at),
            "level": _choice(record, "level"),
            "readiness_horizon": _choice(record, "readiness_horizon"),
            "target_roles": [{"slug": role.slug, "name": role.name} for role in record.target_roles.all()],
            "note": record.note,
            "corrects": str(record.corrects_id) if record.corrects_id else None,
        }
        for record in records
    ]


def _self_assessments(profile: ClinicianProfile) -> list[dict]:
    assessments = profile.self_assessments.prefetch_related("ratings").order_by("created_at")
    return [
        {
            "id": str(assessment.pk),
            "status": _choice(assessment, "status"),
            "created_at": _iso(assessment.created_at),
            "completed_at": _iso(assessment.completed_at),
            "ratings": [
                {"dimension": _choice(rating, "dimension"), "rating": _choice(rating, "rating")}
                for rating in sorted(
                    assessment.ratings.all(), key=lambda rating: DIMENSION_ORDER.get(rating.dimension, 99)
                )
            ],
        }
        for assessment in assessments
    ]


def _experience(profile: ClinicianProfile) -> list[dict]:
    return [
        {
            "id": str(item.pk),
            "role": item.role,
            "organisation": item.organisation,
            "level": _choice(item, "level"),
            "start_date": _iso(item.start_date),
            "end_date": _iso(item.end_date),
        }
        for item in profile.experiences.order_by("start_date")
    ]


def _qualifications(profile: ClinicianProfile) -> list[dict]:
    return [
        {
            "id": str(item.pk),
            "kind": _choice(item, "kind"),
            "title": item.title,
            "awarding_body": item.awarding_body,
            "year_awarded": item.year_awarded,
        }
        for item in profile.qualifications.all()
    ]


EQUALITY_FIELDS = ("sex", "age_band", "ethnic_group", "disability", "sexual_orientation", "religion")


def _equality(profile: ClinicianProfile) -> dict | None:
    monitoring = EqualityMonitoring.objects.filter(profile=profile).first()
    if monitoring is None:
        return None
    answers = {field: _choice(monitoring, field) for field in EQUALITY_FIELDS}
    return {**answers, "updated_at": _iso(monitoring.updated_at)}


def _signals(profile: ClinicianProfile) -> list[dict]:
    return [
        {"kind": _choice(signal, "kind"), "at": _iso(signal.created_at), "detail": signal.detail}
        for signal in profile.early_interest_signals.order_by("created_at", "pk")
    ]


def _nominations(profile: ClinicianProfile) -> list[dict]:
    return [
        {
            "opportunity": nomination.opportunity.title,
            "training_body": nomination.training_body.name,
            "route": _choice(nomination, "route"),
            "state": _choice(nomination, "state"),
            "supporting_statement": nomination.supporting_statement,
            "created_at": _iso(nomination.created_at),
            "submitted_at": _iso(nomination.submitted_at),
            "decided_at": _iso(nomination.decided_at),
            "decision_reason": nomination.decision_reason,
            "withdrawn_at": _iso(nomination.withdrawn_at),
        }
        for nomination in profile.nominations.select_related("opportunity", "training_body").order_by("created_at")
    ]


def _support(profile: ClinicianProfile | None) -> dict:
    """Career conversations (the body's account and the clinician's), requests for them, and what bodies
    signposted. Follow-up items are the body's working list, not the clinician's data, beyond what is here."""
    if profile is None:
        return {"career_conversations": [], "conversation_requests": [], "signposts": []}
    conversations = profile.career_conversations.select_related("training_body").prefetch_related("actions")
    return {
        "career_conversations": [
            {
                "training_body": conversation.training_body.name,
                "held_on": _iso(conversation.held_on),
                "participants": conversation.participants,
                "aspirations": conversation.aspirations,
                "actions": [
                    {"description": action.description, "owner": action.owner, "due_on": _iso(action.due_on)}
                    for action in conversation.actions.all()
                ],
                "next_conversation_on": _iso(conversation.next_conversation_on),
                "response": conversation.response,
                "your_comment": conversation.clinician_comment,
                "your_account": conversation.clinician_version,
                "responded_at": _iso(conversation.responded_at),
            }
            for conversation in conversations.order_by("held_on", "created_at")
        ],
        "conversation_requests": [
            {
                "training_body": request.training_body.name,
                "message": request.message,
                "asked_at": _iso(request.created_at),
            }
            for request in profile.conversation_requests.select_related("training_body").order_by("created_at")
        ],
        "signposts": [
            {
                "training_body": signpost.training_body.name,
                "opportunity": signpost.opportunity.title if signpost.opportunity else None,
                "pathway": signpost.pathway.title if signpost.pathway else None,
                "at": _iso(signpost.created_at),
            }
            for signpost in profile.signposts.select_related("training_body", "opportunity", "pathway").order_by(
                "created_at"
            )
        ],
    }


def clinician_data_export(*, user: User) -> dict:
    """All the data held about `user` (a clinician), with or without a profile."""
    profile = (
        ClinicianProfile.objects.select_related("regulator", "region", "training_body", "requested_training_body")
        .filter(user=user)
        .first()
    )
    data: dict = {
        "service": settings.SERVICE_NAME,
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": _iso(timezone.now()),
        "account": _account(user),
        "profile": None,
        "consent_history": [],
        "interest_records": [],
        "self_assessments": [],
        "leadership_experience": [],
        "qualifications": [],
        "equality_monitoring": None,
        "early_interest_signals": [],
        "nominations": [],
        "revalidation": None,
    }
    data.update(_support(profile))
    data.update(develop_export(profile))
    if profile is None:
        return data
    data.update(
        profile=_profile(profile),
        consent_history=_consent_history(profile),
        interest_records=_interest_records(profile),
        self_assessments=_self_assessments(profile),
        leadership_experience=_experience(profile),
        qualifications=_qualifications(profile),
        equality_monitoring=_equality(profile),
        early_interest_signals=_signals(profile),
        nominations=_nominations(profile),
        revalidation=revalidation_record_export(profile),
    )
    return data
