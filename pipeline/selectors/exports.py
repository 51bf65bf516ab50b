"""The drill-down list as rows for its CSV export: plain values, read in chunks so memory stays flat however many
clinicians are listed."""

from django.db.models import QuerySet
from django.utils import timezone

from pipeline.selectors.drilldown import joined_on
from regulators.models import Profession
from talent.models import ClinicianProfile, InterestLevel, career_stage_label, is_early_career

# The drill-down export's columns, in the order `pipeline_drilldown_rows` writes each row's cells.
DRILLDOWN_EXPORT_HEADER = (
    "Record id",
    "Name",
    "Profession",
    "Career stage",
    "Specialty",
    "Region",
    "Training body",
    "Leadership interest",
    "Early career",
    "Joined",
)


def pipeline_drilldown_rows(clinicians: QuerySet[ClinicianProfile]):
    """The drill-down list as plain rows for the CSV export (under DRILLDOWN_EXPORT_HEADER), read in chunks so
    memory does not grow with the count (a server-side cursor on PostgreSQL)."""
    today = timezone.localdate()
    professions = dict(Profession.choices)
    levels = dict(InterestLevel.choices)
    rows = clinicians.values_list(
        "pk",
        "full_name",
        "profession",
        "career_stage",
        "specialty_training_year",
        "specialty",
        "region__name",
        "training_body__name",
        "current_interest_level",
        "first_registration_year",
        joined_on(),
    )
    for row in rows.iterator(chunk_size=2000):
        (pk, name, profession, stage, st_year, specialty, region, body, level, first_year, joined) = row
        early = is_early_career(profession, stage, first_year, today)
        stage_label = career_stage_label(stage, st_year)
        yield [
            str(pk),
            name,
            professions.get(profession, profession),
            stage_label,
            specialty,
            region,
            body or "",
            levels.get(level, level),
            "Yes" if early else "No",
            joined.isoformat(),
        ]
