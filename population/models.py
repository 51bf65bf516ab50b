"""The eligible population: how many people a register holds, by profession, region and equality group, as
published by the regulators and uploaded by content editors (docs/eligible-population.md). The HEE dashboard
compares the clinicians registered with the service against it.

Every upload is kept for the record. For each profession, the figures in use are those of the latest upload that
covers it: registers publish separately and at different dates (the NMC's in March and September, the GMC's
yearly), so a new NMC file replaces the NMC professions' figures and leaves the doctors' alone.
"""

from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Region
from pipeline.selectors.figures import EQUALITY_ATTRIBUTES
from regulators.models import Profession

ATTRIBUTE_CHOICES = [(key, label) for key, (label, _) in EQUALITY_ATTRIBUTES.items()]


def _valid_groups_q() -> Q:
    """Each attribute with its own answer codes only (the same codes the service's equality questions use)."""
    return reduce(
        or_,
        (
            Q(attribute=key, group__in=[code for code, _ in choices])
            for key, (_, choices) in EQUALITY_ATTRIBUTES.items()
        ),
    )


class EligiblePopulationUpload(models.Model):
    """One file of register counts, as uploaded: who, when, and where its figures come from."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="eligible_population_uploads"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=200, help_text='In words, e.g. "NMC register data, 31 March 2026".')
    as_of = models.DateField(help_text="The date the register's counts describe.")
    file_name = models.CharField(max_length=200)
    lines = models.PositiveIntegerField(help_text="Lines of counts in the file (its header not counted).")

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(source=""), name="population_upload_names_its_source"),
            models.CheckConstraint(condition=Q(lines__gt=0), name="population_upload_has_lines"),
        ]

    def __str__(self) -> str:
        return f"{self.source} (uploaded {self.uploaded_at:%Y-%m-%d %H:%M})"


class EligiblePopulationCount(models.Model):
    """One line of an upload: how many people on the register of one profession in one region gave one answer."""

    upload = models.ForeignKey(EligiblePopulationUpload, on_delete=models.CASCADE, related_name="counts")
    profession = models.CharField(max_length=40, choices=Profession.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    attribute = models.CharField(max_length=32, choices=ATTRIBUTE_CHOICES)
    # The service's answer code; empty for "not answered" (`not_answered` in the file).
    group = models.CharField(max_length=40, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["upload", "profession", "region", "attribute", "group"], name="population_count_one_per_group"
            ),
            models.CheckConstraint(
                condition=Q(profession__in=Profession.values), name="population_count_known_profession"
            ),
            models.CheckConstraint(condition=_valid_groups_q(), name="population_count_known_group"),
            models.CheckConstraint(condition=Q(count__gte=0), name="population_count_not_negative"),
        ]
        indexes = [models.Index(fields=["profession", "upload"], name="population_profession_idx")]

    def __str__(self) -> str:
        return f"{self.profession}, {self.attribute} {self.group or 'not answered'}: {self.count}"
