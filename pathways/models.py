"""Leadership roles (reference data). Pathways and opportunities come with their own issue."""

from django.db import models


class RoleLevel(models.TextChoices):
    TEAM = "team", "Team"
    SERVICE = "service", "Service"
    ORGANISATION = "organisation", "Organisation (board)"
    SYSTEM = "system", "System"
    NATIONAL = "national", "National"


# Levels in order of seniority, for "at or above" comparisons.
ROLE_LEVEL_RANK = {level: rank for rank, level in enumerate(RoleLevel.values)}


class LeadershipRole(models.Model):
    """A senior leadership role clinicians can aim for, such as clinical director or chief nurse."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120, unique=True)
    level = models.CharField(max_length=16, choices=RoleLevel.choices)
    description = models.TextField(blank=True)
    professions = models.JSONField(
        default=list, blank=True, help_text="Profession codes the role is typically open to; empty means any."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__in=RoleLevel.values), name="leadershiprole_level_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def level_rank(self) -> int:
        return ROLE_LEVEL_RANK[self.level]
