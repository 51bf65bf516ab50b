"""Forms for the clinician-data pages: confirming the deletion of one's own account.

(The clinicians list's search and filters are a FilterSet in talent/filters.py, shared with the API.)
"""

from django import forms


class AccountDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that my account and personal details will be deleted and cannot be restored",
        error_messages={"required": "Confirm that you want to delete your account"},
    )
