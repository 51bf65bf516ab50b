"""Leadership roles, career pathways into them, and development opportunities."""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone


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
    # Whether the person in the role must keep a licence to practise (or, outside the GMC, their registration):
    # pool members aiming for such a role are flagged when their revalidation would lapse.
    needs_licence = models.BooleanField(
        "needs a licence to practise",
        default=False,
        help_text="Tick when the person in this role must hold a licence to practise or be registered with their "
        "regulator (a medical director, a chief nurse); leave it for roles open to non-clinicians.",
    )
    licence_note = models.CharField(
        "why (licence to practise)",
        max_length=300,
        blank=True,
        help_text="A short reason, shown beside the flag, for example “The responsible officer must be a licensed "
        "doctor.”",
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


class ContentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Pathway(models.Model):
    """A route from a profession's early career to a target leadership role, in ordered steps."""

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=400)
    body = models.TextField(help_text="Markdown. Rendered safely: scripts and event handlers never reach the page.")
    professions = models.JSONField(default=list, blank=True, help_text="Profession codes; empty means any.")
    target_role = models.ForeignKey(LeadershipRole, on_delete=models.PROTECT, related_name="pathways")
    status = models.CharField(max_length=16, choices=ContentStatus.choices, default=ContentStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    last_reviewed_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Its searchable text, weighted (pathways.search); kept by pathways.signals, on PostgreSQL only.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=ContentStatus.values), name="pathway_status_valid"),
            models.CheckConstraint(
                condition=models.Q(status=ContentStatus.DRAFT) | models.Q(published_at__isnull=False),
                name="pathway_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class OpportunityKind(models.TextChoices):
    PROGRAMME = "programme", "Programme"
    FELLOWSHIP = "fellowship", "Fellowship"
    COURSE = "course", "Course"
    SECONDMENT = "secondment", "Secondment"
    MENTORING = "mentoring", "Mentoring"


class Opportunity(models.Model):
    """A development opportunity (programme, fellowship, course, secondment, mentoring) with its eligibility rules
    and application window."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    provider = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=OpportunityKind.choices)
    summary = models.CharField(max_length=400)
    description = models.TextField(help_text="Markdown. Rendered safely.")
    link = models.URLField(blank=True)
    # Eligibility. Empty lists mean "any".
    professions = models.JSONField(default=list, blank=True, help_text="Profession codes; empty means any.")
    career_stages = models.JSONField(default=list, blank=True, help_text="Career stage codes; empty means any.")
    min_specialty_training_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For doctors in specialty training: the lowest ST year accepted (e.g. 4)."
    )
    min_years_since_registration = models.PositiveSmallIntegerField(null=True, blank=True)
    max_years_since_registration = models.PositiveSmallIntegerField(null=True, blank=True)
    takes_trainee_out_of_programme = models.BooleanField(default=False)
    opens_on = models.DateField()
    closes_on = models.DateField()
    places = models.PositiveIntegerField(null=True, blank=True, help_text="Leave empty if not limited.")
    nomination_required = models.BooleanField(
        default=False, help_text="The provider takes only candidates their training body nominates."
    )
    # The one route a clinician is offered: this service (their training body decides), or the provider's link.
    applications_through_service = models.BooleanField(
        "takes applications and nominations through this service",
        default=True,
        help_text="Untick when clinicians apply straight to the provider: the page then offers only the provider's "
        "link, and training bodies cannot nominate for it here.",
    )
    # What an approved clinician does next: shown on their nomination and in the approval email.
    next_steps = models.TextField(
        "what to do once approved",
        blank=True,
        help_text="The provider's instructions for a clinician whose training body approved them. Plain text.",
    )
    starts_on = models.DateField(null=True, blank=True, help_text="When it starts, if known.")
    ends_on = models.DateField(null=True, blank=True, help_text="When it ends, if known.")
    contact_name = models.CharField(
        "who to contact", max_length=200, blank=True, help_text="A person or team at the provider."
    )
    contact_email = models.EmailField(blank=True, help_text="Their email address.")
    status = models.CharField(max_length=16, choices=ContentStatus.choices, default=ContentStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    last_reviewed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["closes_on", "title"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="opportunity_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=models.Q(places__isnull=True) | models.Q(places__gte=1), name="opportunity_places_positive"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(min_years_since_registration__isnull=True)
                    | models.Q(max_years_since_registration__isnull=True)
                    | models.Q(max_years_since_registration__gte=models.F("min_years_since_registration"))
                ),
                name="opportunity_years_max_not_below_min",
            ),
            models.CheckConstraint(
                condition=models.Q(min_specialty_training_year__isnull=True)
                | models.Q(min_specialty_training_year__gte=1, min_specialty_training_year__lte=8),
                name="opportunity_st_year_range",
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True)
                | models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="opportunity_ends_after_starting",
            ),
            models.CheckConstraint(
                condition=models.Q(applications_through_service=True) | ~models.Q(link=""),
                name="opportunity_provider_route_has_link",
            ),
            models.CheckConstraint(condition=models.Q(kind__in=OpportunityKind.values), name="opportunity_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(status__in=ContentStatus.values), name="opportunity_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status=ContentStatus.DRAFT) | models.Q(published_at__isnull=False),
                name="opportunity_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class PathwayStep(models.Model):
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(help_text="What the step involves. Markdown, rendered safely.")
    typical_duration = models.CharField(max_length=100, blank=True, help_text="For example, “1 to 2 years”.")
    dimensions = models.JSONField(
        default=list, blank=True, help_text="Healthcare Leadership Model dimensions this step builds."
    )
    suggested_opportunities = models.ManyToManyField(Opportunity, blank=True, related_name="+")

    class Meta:
        ordering = ["pathway", "order"]
        constraints = [models.UniqueConstraint(fields=["pathway", "order"], name="pathwaystep_unique_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class SavedPathway(models.Model):
    profile = models.ForeignKey("talent.ClinicianProfile", on_delete=models.CASCADE, related_name="saved_pathways")
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-saved_at"]
        constraints = [models.UniqueConstraint(fields=["profile", "pathway"], name="savedpathway_unique")]

    def __str__(self) -> str:
        return f"{self.pathway} saved {self.saved_at:%Y-%m-%d}"
