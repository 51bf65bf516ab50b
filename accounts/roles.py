"""The roles a person can hold. Apart from the models, so the permission table (accounts/permissions.py) can name
them and the user model can read that table, without either module importing the other."""

from django.db import models


class Role(models.TextChoices):
    CLINICIAN = "clinician", "Clinician"
    TRAINING_BODY_ADMIN = "training_body_admin", "Training-body admin"
    HEE_STAFF = "hee_staff", "HEE staff"
    CONTENT_EDITOR = "content_editor", "Content editor"
