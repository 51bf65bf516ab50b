"""Store every account's address in the one normalised form sign-in now matches exactly (accounts/emails.py)."""

import logging
import unicodedata

from django.db import migrations

logger = logging.getLogger(__name__)


def normalise_email(value: str) -> str:
    # A copy of accounts.emails.normalise_email as it was when this migration was written.
    folded = unicodedata.normalize("NFKC", str(value or "")).casefold()
    return unicodedata.normalize("NFKC", folded).strip()


def normalise_stored_emails(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    taken = set(User.objects.values_list("email", flat=True))
    for pk, email in User.objects.values_list("pk", "email").iterator():
        normalised = normalise_email(email)
        if normalised == email:
            continue
        if normalised in taken:
            # A look-alike of another account's address (the long s, U+017F, for an s): left as it is, so neither
            # account changes hands; sign-in with either spelling now reaches the plain one only.
            logger.warning("Account %s keeps its address: its normalised form belongs to another account", pk)
            continue
        User.objects.filter(pk=pk).update(email=normalised)
        taken.discard(email)
        taken.add(normalised)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_drop_user_full_name_index")]

    operations = [migrations.RunPython(normalise_stored_emails, migrations.RunPython.noop)]
