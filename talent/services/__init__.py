"""Writes, one module per area (DESIGN.md section 7a)."""

from talent.services.clinicians import (
    CONSENT_FIELDS,
    ProfileDetails,
    clinician_account_delete,
    consent_set,
    early_interest_signal_record,
    equality_monitoring_save,
    experience_delete,
    experience_save,
    interest_record,
    profile_create,
    profile_update,
    qualification_delete,
    qualification_save,
    regulator_for_profession,
    self_assessment_complete,
    self_assessment_save,
)

__all__ = [
    "CONSENT_FIELDS",
    "ProfileDetails",
    "clinician_account_delete",
    "consent_set",
    "early_interest_signal_record",
    "equality_monitoring_save",
    "experience_delete",
    "experience_save",
    "interest_record",
    "profile_create",
    "profile_update",
    "qualification_delete",
    "qualification_save",
    "regulator_for_profession",
    "self_assessment_complete",
    "self_assessment_save",
]
