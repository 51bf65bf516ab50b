from django.db import migrations

# The seven NHS England regions.
REGIONS = [
    ("east-of-england", "East of England"),
    ("london", "London"),
    ("midlands", "Midlands"),
    ("north-east-and-yorkshire", "North East and Yorkshire"),
    ("north-west", "North West"),
    ("south-east", "South East"),
    ("south-west", "South West"),
]


def load_regions(apps, schema_editor):
    Region = apps.get_model("accounts", "Region")
    for slug, name in REGIONS:
        Region.objects.update_or_create(slug=slug, defaults={"name": name})


def unload_regions(apps, schema_editor):
    apps.get_model("accounts", "Region").objects.filter(slug__in=[slug for slug, _ in REGIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load_regions, unload_regions)]
