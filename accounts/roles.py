"""The roles a person can hold. Apart from the models, so the permission table (accounts/permissions.py) can name
them and the user model can read that table, without either module importing the other."""

from django.db import models


class Role(models.TextChoices):
    CLINICIAN = "clinician", "Clinician"
    TRAINING_BODY_ADMIN = "training_body_admin", "Training-body admin"
    HEE_STAFF = "hee_staff", "HEE staff"
    CONTENT_EDITOR = "content_editor", "Content editor"


# Staff see identifiable records of many people (or change what everyone reads): they always sign in with a second
# factor (the NHS Data Security and Protection Toolkit expects it; clinicians may choose to), and their sessions and
# API tokens end sooner than a clinician's, who sees only their own.
STAFF_ROLES = frozenset({Role.TRAINING_BODY_ADMIN, Role.HEE_STAFF, Role.CONTENT_EDITOR})


def holds_staff_role(user) -> bool:
    """A staff role, or a superuser (who can reach everything through the admin site)."""
    return bool(getattr(user, "is_superuser", False)) or getattr(user, "role", "") in STAFF_ROLES
