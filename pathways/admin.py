"""Content editors manage leadership roles, pathways (with their steps) and opportunities here.

Publishing is deliberate: the status is read-only in the forms and changes only through the "Publish selected" and
"Return selected to draft" actions, so new items always start as drafts. "Mark as reviewed today" records who
reviewed the content and when; the lists show the least recently reviewed first.
"""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from accounts.audit import audit_record
from pathways.models import ContentStatus, LeadershipRole, Opportunity, Pathway, PathwayStep
from regulators.models import Profession
from talent.models import CareerStage, Dimension

OLDEST_REVIEW_FIRST = [F("last_reviewed_on").asc(nulls_first=True), "pk"]


def _codes_field(choices, help_text: str) -> forms.MultipleChoiceField:
    """A list of codes stored in a JSONField, edited as checkboxes so only known codes can be saved."""
    return forms.MultipleChoiceField(
        choices=choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text
    )


class LeadershipRoleForm(forms.ModelForm):
    professions = _codes_field(Profession.choices, "Professions the role is typically open to; none means any.")

    class Meta:
        model = LeadershipRole
        fields = ["name", "slug", "level", "description", "professions", "needs_licence", "licence_note"]


class PathwayForm(forms.ModelForm):
    professions = _codes_field(Profession.choices, "Professions this pathway is for; none means any.")

    class Meta:
        model = Pathway
        fields = ["title", "slug", "summary", "body", "professions", "target_role"]


class PathwayStepForm(forms.ModelForm):
    dimensions = _codes_field(Dimension.choices, "Healthcare Leadership Model dimensions this step builds.")

    class Meta:
        model = PathwayStep
        fields = ["order", "title", "description", "typical_duration", "dimensions", "suggested_opportunities"]


OPPORTUNITY_DESCRIPTION = ["title", "slug", "provider", "kind", "summary", "description", "link"]
OPPORTUNITY_ELIGIBILITY = [
    "professions",
    "career_stages",
    "min_specialty_training_year",
    "min_years_since_registration",
    "max_years_since_registration",
    "takes_trainee_out_of_programme",
]
OPPORTUNITY_APPLICATIONS = ["opens_on", "closes_on", "places", "nomination_required", "applications_through_service"]
OPPORTUNITY_AFTER_APPROVAL = ["next_steps", "starts_on", "ends_on", "contact_name", "contact_email"]


class OpportunityForm(forms.ModelForm):
    """Eligibility and window rules shown as form errors on the fields concerned (the database enforces the same
    rules as constraints)."""

    professions = _codes_field(Profession.choices, "Professions that may apply; none means any.")
    career_stages = _codes_field(CareerStage.choices, "Career stages that may apply; none means any.")
    link = forms.URLField(required=False, assume_scheme="https", help_text="The provider's public page.")

    class Meta:
        model = Opportunity
        fields = [
            *OPPORTUNITY_DESCRIPTION,
            *OPPORTUNITY_ELIGIBILITY,
            *OPPORTUNITY_APPLICATIONS,
            *OPPORTUNITY_AFTER_APPROVAL,
        ]

    def clean_places(self):
        places = self.cleaned_data.get("places")
        if places is not None and places < 1:
            raise forms.ValidationError("Enter 1 or more places, or leave empty if places are not limited.")
        return places

    def clean_min_specialty_training_year(self):
        year = self.cleaned_data.get("min_specialty_training_year")
        if year is not None and not 1 <= year <= 8:
            raise forms.ValidationError("Enter a specialty training year from 1 to 8.")
        return year

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", "The closing date must be the same as or after the opening date.")
        low, high = cleaned.get("min_years_since_registration"), cleaned.get("max_years_since_registration")
        if low is not None and high is not None and high < low:
            self.add_error(
                "max_years_since_registration",
                "The maximum years since registration must be the same as or more than the minimum.",
            )
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The end date must be the same as or after the start date.")
        if cleaned.get("applications_through_service") is False and not cleaned.get("link"):
            self.add_error(
                "link", "Give the provider's page where clinicians apply, or take applications through this service."
            )
        professions = cleaned.get("professions")
        if cleaned.get("min_specialty_training_year") and professions and Profession.DOCTOR not in professions:
            self.add_error(
                "min_specialty_training_year", "A specialty training year applies only to doctors: add doctors."
            )
        stages = cleaned.get("career_stages")
        if cleaned.get("min_specialty_training_year") and stages and CareerStage.SPECIALTY_TRAINING not in stages:
            self.add_error(
                "min_specialty_training_year",
                "A specialty training year applies only to specialty training: add it to the career stages.",
            )
        return cleaned


class ContentAdmin(admin.ModelAdmin):
    """Shared publishing and review actions for pathways and opportunities, and the link to each one's page (for a
    draft, a preview only editors can see)."""

    actions = ["publish_selected", "return_selected_to_draft", "mark_reviewed_today"]
    readonly_fields = ["status", "published_at", "last_reviewed_on", "created_at", "updated_at", "preview"]
    ordering = OLDEST_REVIEW_FIRST
    records_reviewer = False
    page_url_name = ""

    def view_on_site(self, obj) -> str:
        return reverse(self.page_url_name, kwargs={"slug": obj.slug})

    @admin.display(description="Preview")
    def preview(self, obj) -> str:
        if obj is None or obj._state.adding:
            return "Save it first."
        words = (
            "Preview this draft as clinicians will see it"
            if obj.status == ContentStatus.DRAFT
            else "Read it on the site"
        )
        return format_html('<a href="{}">{}</a>', self.view_on_site(obj), words)

    def _audit(self, request, objects, action: str) -> None:
        for obj in objects:
            audit_record(actor=request.user, action=action, subject=obj)

    @admin.action(description="Publish selected", permissions=["change"])
    def publish_selected(self, request, queryset: QuerySet) -> None:
        now = timezone.now()
        with transaction.atomic():
            drafts = list(queryset.filter(status=ContentStatus.DRAFT))
            queryset.model.objects.filter(pk__in=[obj.pk for obj in drafts]).update(
                status=ContentStatus.PUBLISHED, published_at=now, updated_at=now
            )
            self._audit(request, drafts, f"{queryset.model._meta.model_name}.publish")
        self.message_user(request, f"Published {len(drafts)}.", messages.SUCCESS)

    @admin.action(description="Return selected to draft", permissions=["change"])
    def return_selected_to_draft(self, request, queryset: QuerySet) -> None:
        with transaction.atomic():
            published = list(queryset.filter(status=ContentStatus.PUBLISHED))
            queryset.model.objects.filter(pk__in=[obj.pk for obj in published]).update(
                status=ContentStatus.DRAFT, updated_at=timezone.now()
            )
            self._audit(request, published, f"{queryset.model._meta.model_name}.unpublish")
        self.message_user(request, f"Returned {len(published)} to draft.", messages.SUCCESS)

    @admin.action(description="Mark as reviewed today", permissions=["change"])
    def mark_reviewed_today(self, request, queryset: QuerySet) -> None:
        changes = {"last_reviewed_on": timezone.localdate()}
        if self.records_reviewer:
            changes["reviewed_by"] = request.user
        count = queryset.update(**changes)
        self.message_user(request, f"Marked {count} as reviewed today.", messages.SUCCESS)


@admin.register(LeadershipRole)
class LeadershipRoleAdmin(admin.ModelAdmin):
    form = LeadershipRoleForm
    list_display = ["name", "slug", "level", "needs_licence"]
    list_filter = ["level", "needs_licence"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # Whether a role needs a licence decides which pool members are flagged, so each change is on the record.
        if not change or {"needs_licence", "licence_note"} & set(form.changed_data):
            audit_record(
                actor=request.user,
                action="leadershiprole.licence_need_set",
                subject=obj,
                detail={"needs_licence": obj.needs_licence, "licence_note": obj.licence_note},
            )


class PathwayStepInline(admin.StackedInline):
    model = PathwayStep
    form = PathwayStepForm
    ordering = ["order"]
    extra = 1
    fields = ["order", "title", "description", "typical_duration", "dimensions", "suggested_opportunities"]


@admin.register(Pathway)
class PathwayAdmin(ContentAdmin):
    form = PathwayForm
    inlines = [PathwayStepInline]
    list_display = ["title", "target_role", "status", "last_reviewed_on", "reviewed_by", "updated_at"]
    list_filter = ["status", "target_role", "last_reviewed_on"]
    search_fields = ["title", "summary", "slug"]
    list_select_related = ["target_role", "reviewed_by"]
    readonly_fields = [*ContentAdmin.readonly_fields, "reviewed_by"]
    prepopulated_fields = {"slug": ["title"]}
    records_reviewer = True
    page_url_name = "pathways:show_pathway"
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "professions", "target_role"]}),
        (
            "Publishing and review",
            {
                "fields": [
                    "preview",
                    "status",
                    "published_at",
                    "last_reviewed_on",
                    "reviewed_by",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]


class WindowFilter(admin.SimpleListFilter):
    title = "application window"
    parameter_name = "window"

    def lookups(self, request, model_admin):
        return [("open", "Open now"), ("later", "Opens later"), ("closed", "Closed")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "open":
            return queryset.filter(opens_on__lte=today, closes_on__gte=today)
        if self.value() == "later":
            return queryset.filter(opens_on__gt=today)
        if self.value() == "closed":
            return queryset.filter(closes_on__lt=today)
        return queryset


@admin.register(Opportunity)
class OpportunityAdmin(ContentAdmin):
    form = OpportunityForm
    list_display = ["title", "provider", "kind", "status", "opens_on", "closes_on", "last_reviewed_on"]
    list_filter = ["status", "kind", WindowFilter, "nomination_required", "applications_through_service", "provider"]
    search_fields = ["title", "provider", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    page_url_name = "pathways:show_opportunity"
    fieldsets = [
        (None, {"fields": OPPORTUNITY_DESCRIPTION}),
        ("Eligibility", {"fields": OPPORTUNITY_ELIGIBILITY}),
        ("Applications", {"fields": OPPORTUNITY_APPLICATIONS}),
        ("After approval: what the clinician does next", {"fields": OPPORTUNITY_AFTER_APPROVAL}),
        ("Publishing and review", {"fields": ContentAdmin.readonly_fields}),
    ]
