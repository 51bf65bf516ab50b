"""A training body's admins confirming the clinicians who asked to join it."""

import uuid

from django import forms
from django.core.exceptions import ValidationError


class ProfileIdsField(forms.Field):
    """Several profile ids from checkboxes of one name. Which of them still wait for the body is the service's to
    decide, so any well-formed id is accepted here."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[uuid.UUID]:
        try:
            return [uuid.UUID(str(item)) for item in value or []]
        except ValueError as error:
            raise ValidationError("Select clinicians from the list", code="invalid") from error


class ConfirmMembersForm(forms.Form):
    """Confirm the ticked clinicians, or the one whose own Confirm button was pressed."""

    members = ProfileIdsField(required=False)
    confirm_one = forms.UUIDField(required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        one = cleaned.get("confirm_one")
        cleaned["profile_ids"] = [one] if one else cleaned.get("members") or []
        if not cleaned["profile_ids"] and not self.errors:
            self.add_error("members", "Select the clinicians you want to confirm")
        return cleaned
