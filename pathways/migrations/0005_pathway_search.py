"""Pathway search: a stored, weighted tsvector per pathway and its GIN index (PostgreSQL only), filled for the
pathways there are. SQLite, the demo's embedded database, searches by a plain match: the column stays empty and has
no index. The index is created outside the migration state on purpose: SQLite rebuilds tables from that state and
has no GIN indexes."""

import django.contrib.postgres.search
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import OuterRef, Subquery, TextField, Value
from django.db.models.functions import Concat

CONFIG = "english"
INDEX = GinIndex(fields=["search_vector"], name="pathway_search")


def create_index_and_fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Pathway = apps.get_model("pathways", "Pathway")
    PathwayStep = apps.get_model("pathways", "PathwayStep")
    LeadershipRole = apps.get_model("pathways", "LeadershipRole")
    schema_editor.add_index(Pathway, INDEX)
    steps = (
        PathwayStep.objects.filter(pathway=OuterRef("pk"))
        .order_by()
        .values("pathway")
        .annotate(text=StringAgg(Concat("title", Value(" "), "description", output_field=TextField()), delimiter=" "))
        .values("text")
    )
    role = LeadershipRole.objects.filter(pk=OuterRef("target_role_id")).values("name")
    Pathway.objects.using(schema_editor.connection.alias).update(
        search_vector=SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector(Subquery(role), weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
        + SearchVector(Subquery(steps), weight="D", config=CONFIG)
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("pathways", "Pathway"), INDEX)


class Migration(migrations.Migration):
    dependencies = [("pathways", "0004_opportunity_route_and_next_steps")]

    operations = [
        migrations.AddField(
            model_name="pathway",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_index_and_fill, drop_index),
    ]
