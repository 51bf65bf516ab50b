"""Writes, one module per area (DESIGN.md section 7a)."""

from talent.services.affiliation import training_body_member_remove, training_body_members_confirm
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
from talent.services.conversations import conversation_record, conversation_request, conversation_respond
from talent.services.followups import follow_up_close, follow_ups_open
from talent.services.nominations import (
    nomination_accept,
    nomination_act,
    nomination_apply,
    nomination_approve,
    nomination_decline,
    nomination_nominate,
    nomination_reject,
    nomination_withdraw,
)
from talent.services.nudges import nudges_dispatch
from talent.services.reminders import follow_up_reminders_send, nomination_reminders_send

__all__ = [
    "CONSENT_FIELDS",
    "ProfileDetails",
    "clinician_account_delete",
    "consent_set",
    "conversation_record",
    "conversation_request",
    "conversation_respond",
    "early_interest_signal_record",
    "equality_monitoring_save",
    "experience_delete",
    "experience_save",
    "follow_up_close",
    "follow_up_reminders_send",
    "follow_ups_open",
    "interest_record",
    "nomination_accept",
    "nomination_act",
    "nomination_apply",
    "nomination_approve",
    "nomination_decline",
    "nomination_nominate",
    "nomination_reject",
    "nomination_reminders_send",
    "nomination_withdraw",
    "nudges_dispatch",
    "profile_create",
    "profile_update",
    "qualification_delete",
    "qualification_save",
    "regulator_for_profession",
    "self_assessment_complete",
    "self_assessment_save",
    "training_body_member_remove",
    "training_body_members_confirm",
]
