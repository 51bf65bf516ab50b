"""What each role may do, as one table (DESIGN.md section 3).

Views, the API and templates ask for a `Permission`, never for a role: `user.has_perm(Permission.VIEW_PIPELINE)`,
`PermissionRequiredMixin` with `permission_required`, DRF's `HasRequiredPermission` with `required_permissions`, and
`{% if perms.ltt.view_pipeline %}` in templates. Which objects a person may touch (their own record, their body's
nominations) is not here: the scoped selectors decide that, answering 404 outside it.
"""

from enum import StrEnum

from rest_framework.permissions import BasePermission

from accounts.roles import Role

APP_LABEL = "ltt"


class Permission(StrEnum):
    """Named as the people who use the service would say what they do. Each value is a Django permission name, so
    `user.has_perm` and the templates' `perms` read it."""

    # Clinicians
    EDIT_OWN_PROFILE = f"{APP_LABEL}.edit_own_profile"
    APPLY_FOR_OPPORTUNITY = f"{APP_LABEL}.apply_for_opportunity"
    FOLLOW_OWN_NOMINATIONS = f"{APP_LABEL}.follow_own_nominations"
    EXPORT_OWN_DATA = f"{APP_LABEL}.export_own_data"
    DELETE_OWN_ACCOUNT = f"{APP_LABEL}.delete_own_account"
    # Staff roles must always sign in with a second factor (accounts.roles.STAFF_ROLES); clinicians choose.
    TURN_OFF_OWN_SECOND_FACTOR = f"{APP_LABEL}.turn_off_own_second_factor"
    # 360 feedback: clinicians ask colleagues for it; their training body's admins read the reports shared with them.
    REQUEST_FEEDBACK = f"{APP_LABEL}.request_feedback"
    VIEW_SHARED_FEEDBACK = f"{APP_LABEL}.view_shared_feedback"
    # Development plans and mentoring
    KEEP_DEVELOPMENT_PLAN = f"{APP_LABEL}.keep_development_plan"
    USE_MENTORING = f"{APP_LABEL}.use_mentoring"
    # Career conversations: see, comment on, confirm or dispute their own; ask their body for one.
    HAVE_CAREER_CONVERSATIONS = f"{APP_LABEL}.have_career_conversations"
    # Training-body admins
    VIEW_TRAINING_BODIES = f"{APP_LABEL}.view_training_bodies"
    SET_NUDGE_FREQUENCY = f"{APP_LABEL}.set_nudge_frequency"
    VIEW_NUDGES = f"{APP_LABEL}.view_nudges"
    NOMINATE_CLINICIAN = f"{APP_LABEL}.nominate_clinician"
    DECIDE_NOMINATION = f"{APP_LABEL}.decide_nomination"
    RECORD_NOMINATION_OUTCOME = f"{APP_LABEL}.record_nomination_outcome"
    MANAGE_MEMBERS = f"{APP_LABEL}.manage_members"
    # Development plans a clinician chose to share with their training body (never HEE's)
    VIEW_SHARED_DEVELOPMENT_PLANS = f"{APP_LABEL}.view_shared_development_plans"
    # Career conversations and follow-ups of nudges (never HEE staff: the free text is not theirs to read).
    RECORD_CAREER_CONVERSATIONS = f"{APP_LABEL}.record_career_conversations"
    FOLLOW_UP_NUDGES = f"{APP_LABEL}.follow_up_nudges"
    # Training-body admins and HEE staff
    VIEW_CLINICIAN_RECORDS = f"{APP_LABEL}.view_clinician_records"
    VIEW_PIPELINE = f"{APP_LABEL}.view_pipeline"
    EXPORT_PIPELINE = f"{APP_LABEL}.export_pipeline"
    # Talent pools: owners (training-body admins, HEE staff) run them; clinicians join, answer and leave them.
    MANAGE_TALENT_POOLS = f"{APP_LABEL}.manage_talent_pools"
    JOIN_TALENT_POOLS = f"{APP_LABEL}.join_talent_pools"
    # Licence plans: a clinician records theirs (keep the licence, registration only, undecided).
    KEEP_LICENCE_PLAN = f"{APP_LABEL}.keep_licence_plan"
    # Succession: who in the pools is ready for each region and role level (HEE staff; admins for their bodies' pools)
    VIEW_SUCCESSION = f"{APP_LABEL}.view_succession"
    # Content editors
    EDIT_CONTENT = f"{APP_LABEL}.edit_content"
    # Register counts the HEE dashboard compares the pipeline with (population app).
    MANAGE_ELIGIBLE_POPULATION = f"{APP_LABEL}.manage_eligible_population"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLINICIAN: frozenset(
        {
            Permission.EDIT_OWN_PROFILE,
            Permission.APPLY_FOR_OPPORTUNITY,
            Permission.FOLLOW_OWN_NOMINATIONS,
            Permission.EXPORT_OWN_DATA,
            Permission.DELETE_OWN_ACCOUNT,
            Permission.TURN_OFF_OWN_SECOND_FACTOR,
            Permission.REQUEST_FEEDBACK,
            # Development plans and mentoring
            Permission.KEEP_DEVELOPMENT_PLAN,
            Permission.USE_MENTORING,
            # Career conversations
            Permission.HAVE_CAREER_CONVERSATIONS,
            Permission.JOIN_TALENT_POOLS,
            # Licence plans
            Permission.KEEP_LICENCE_PLAN,
        }
    ),
    Role.TRAINING_BODY_ADMIN: frozenset(
        {
            Permission.VIEW_TRAINING_BODIES,
            Permission.SET_NUDGE_FREQUENCY,
            Permission.VIEW_NUDGES,
            Permission.NOMINATE_CLINICIAN,
            Permission.DECIDE_NOMINATION,
            Permission.RECORD_NOMINATION_OUTCOME,
            Permission.MANAGE_MEMBERS,
            Permission.VIEW_SHARED_FEEDBACK,
            # Development plans
            Permission.VIEW_SHARED_DEVELOPMENT_PLANS,
            # Career conversations and follow-ups
            Permission.RECORD_CAREER_CONVERSATIONS,
            Permission.FOLLOW_UP_NUDGES,
            Permission.VIEW_CLINICIAN_RECORDS,
            Permission.VIEW_PIPELINE,
            Permission.EXPORT_PIPELINE,
            Permission.MANAGE_TALENT_POOLS,
            # Succession
            Permission.VIEW_SUCCESSION,
        }
    ),
    Role.HEE_STAFF: frozenset(
        {
            Permission.VIEW_CLINICIAN_RECORDS,
            Permission.VIEW_PIPELINE,
            Permission.EXPORT_PIPELINE,
            Permission.MANAGE_TALENT_POOLS,
            # Succession
            Permission.VIEW_SUCCESSION,
        }
    ),
    Role.CONTENT_EDITOR: frozenset({Permission.EDIT_CONTENT, Permission.MANAGE_ELIGIBLE_POPULATION}),
}


def _role_may(role: str, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def role_edits_content(role: str) -> bool:
    """Whether a role's accounts get staff access and the editors' group (content is edited in the admin site).
    Asked of the role rather than the person: a deactivated editor keeps the access their role gives, for when they
    are reactivated, and cannot sign in meanwhile."""
    return _role_may(role, Permission.EDIT_CONTENT)


def is_role_permission(name: str) -> bool:
    return name.startswith(f"{APP_LABEL}.")


def user_can(user, permission: str) -> bool:
    """Whether the person's role may do this at all. A signed-out or deactivated person may do nothing here."""
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and _role_may(getattr(user, "role", ""), permission)
    )


class HasRequiredPermission(BasePermission):
    """API views name what the caller must be allowed to do in `required_permissions` (any one of them will do) and
    may say why not in `permission_denied_message`."""

    message = "This endpoint is not available to your role."

    def has_permission(self, request, view) -> bool:
        self.message = getattr(view, "permission_denied_message", self.message)
        return any(user_can(request.user, permission) for permission in view.required_permissions)
