"""Reads, always scoped to the user asking (DESIGN.md section 3), one module per area."""

from talent.selectors.clinicians import (
    clinician_for,
    clinicians_visible_to,
    completed_assessments,
    draft_assessment,
    equality_monitoring_of,
    experience_of,
    experiences_of,
    interest_timeline,
    latest_completed_assessment,
    own_assessments,
    profile_of,
    qualification_of,
    qualifications_of,
    with_clinician_record,
)

__all__ = [
    "clinician_for",
    "clinicians_visible_to",
    "completed_assessments",
    "draft_assessment",
    "equality_monitoring_of",
    "experience_of",
    "experiences_of",
    "interest_timeline",
    "latest_completed_assessment",
    "own_assessments",
    "profile_of",
    "qualification_of",
    "qualifications_of",
    "with_clinician_record",
]
