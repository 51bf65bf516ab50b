# Staff lists of clinicians sort by the profile's copy of the name (talent 0008, docs/adr/0007): nothing lists
# accounts by name at a scale that needs this index any more.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_user_full_name_id_index"),
        ("talent", "0008_profile_account_copy"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="user",
            name="user_full_name_id_idx",
        ),
    ]
