"""Content editors keep regulator guidance current here, as they do pathways.

A guidance item (regulator + slug) has versions. Editors change drafts only: published and superseded versions are
kept exactly as they were, so "what changed" can compare them. To change published guidance, "Start a new version
from selected" copies it into a new draft; "Publish selected" then makes the draft current and the old version
superseded (still readable, with a notice). Both lists show the least recently reviewed first.
"""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from config.errors import DomainError
from pathways.admin import OLDEST_REVIEW_FIRST, _codes_field
from pathways.models import RoleLevel
from regulators import services
from regulators.models import GuidanceStatus, GuidanceTopic, LicenceGuidance, LicenceGuidanceVersion, Regulator


@admin.register(Regulator)
class RegulatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "registration_number_format", "revalidation_cycle_months", "is_statutory"]
    search_fields = ["code", "name"]


CONTENT_FIELDS = [
    "title",
    "summary",
    "senior_leaders",
    "body",
    "topics",
    "role_levels",
    "roles",
    "source_url",
    "effective_from",
]
RECORD_FIELDS = [
    "number",
    "status",
    "published_at",
    "superseded_at",
    "last_reviewed_on",
    "reviewed_by",
    "created_at",
    "updated_at",
]


def https_url_fields(db_field, **kwargs):
    """Links typed without a scheme are https (Django 6's default), for every form the admin builds from this one."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class GuidanceVersionForm(forms.ModelForm):
    topics = _codes_field(GuidanceTopic.choices, "What the guidance is about.")
    role_levels = _codes_field(
        RoleLevel.choices, "Leadership role levels it applies to; none (and no roles) means every level."
    )
    source_url = forms.URLField(label="Source link", assume_scheme="https", help_text="The regulator's own page.")

    class Meta:
        model = LicenceGuidanceVersion
        fields = ["guidance", *CONTENT_FIELDS]
        formfield_callback = https_url_fields


def draft_change_url(version: LicenceGuidanceVersion) -> str:
    return reverse("admin:regulators_licenceguidanceversion_change", args=[version.pk])


def version_page_url(version: LicenceGuidanceVersion) -> str:
    return reverse(
        "regulators:show_guidance_version",
        kwargs={
            "regulator": version.guidance.regulator.code.lower(),
            "slug": version.guidance.slug,
            "number": version.number,
        },
    )


def newest_version_reviewed_on():
    newest = LicenceGuidanceVersion.objects.filter(guidance=OuterRef("pk")).order_by("-number")
    return Subquery(newest.values("last_reviewed_on")[:1])


@admin.register(LicenceGuidance)
class LicenceGuidanceAdmin(admin.ModelAdmin):
    """Guidance items, least recently reviewed first (by their newest version)."""

    list_display = ["slug", "regulator", "newest_title", "last_reviewed"]
    list_filter = ["regulator"]
    search_fields = ["slug", "versions__title"]
    list_select_related = ["regulator"]

    def get_queryset(self, request) -> QuerySet:
        newest = LicenceGuidanceVersion.objects.filter(guidance=OuterRef("pk")).order_by("-number")
        return (
            super()
            .get_queryset(request)
            .annotate(last_reviewed=newest_version_reviewed_on(), newest_title=Subquery(newest.values("title")[:1]))
            .order_by(F("last_reviewed").asc(nulls_first=True), "pk")
        )

    @admin.display(description="Newest version", ordering="newest_title")
    def newest_title(self, obj) -> str:
        return obj.newest_title or "No versions yet"

    @admin.display(description="Last reviewed", ordering="last_reviewed")
    def last_reviewed(self, obj):
        return obj.last_reviewed or "Never"


@admin.register(LicenceGuidanceVersion)
class LicenceGuidanceVersionAdmin(admin.ModelAdmin):
    form = GuidanceVersionForm
    list_display = ["title", "regulator", "number", "status", "last_reviewed_on", "reviewed_by", "effective_from"]
    list_filter = ["status", "guidance__regulator", "last_reviewed_on"]
    search_fields = ["title", "summary", "guidance__slug"]
    list_select_related = ["guidance__regulator", "reviewed_by"]
    ordering = OLDEST_REVIEW_FIRST
    actions = ["publish_selected", "return_selected_to_draft", "start_new_version", "mark_reviewed_today"]
    filter_horizontal = ["roles"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="Regulator", ordering="guidance__regulator__code")
    def regulator(self, obj) -> str:
        return obj.guidance.regulator.code

    @admin.display(description="Topics")
    def topics_in_words(self, obj) -> str:
        return ", ".join(obj.topic_labels) or "None"

    @admin.display(description="Role levels")
    def role_levels_in_words(self, obj) -> str:
        return ", ".join(obj.role_level_labels) or "Every level"

    @admin.display(description="Preview")
    def preview(self, obj) -> str:
        if obj is None or obj._state.adding:
            return "Save the draft first."
        words = (
            "Preview this draft as clinicians will see it"
            if obj.status == GuidanceStatus.DRAFT
            else "Read it on the site"
        )
        return format_html('<a href="{}">{}</a>', version_page_url(obj), words)

    def view_on_site(self, obj) -> str:
        """The page as clinicians will see it: a draft's preview is the same page, shown to editors only."""
        return version_page_url(obj)

    def get_fieldsets(self, request, obj=None):
        content = CONTENT_FIELDS
        if obj is not None and obj.status != GuidanceStatus.DRAFT:
            # Read-only lists of codes would show as JSON: show them in words.
            words = {"topics": "topics_in_words", "role_levels": "role_levels_in_words"}
            content = [words.get(name, name) for name in CONTENT_FIELDS]
        record = ["preview", *RECORD_FIELDS] if obj is not None else RECORD_FIELDS
        return [
            (None, {"fields": ["guidance", *content]}),
            ("Publishing and review", {"fields": record}),
        ]

    def get_readonly_fields(self, request, obj=None):
        # Published and superseded versions are kept as they were; change them through a new version.
        if obj is not None and obj.status != GuidanceStatus.DRAFT:
            return ["guidance", *CONTENT_FIELDS, "topics_in_words", "role_levels_in_words", "preview", *RECORD_FIELDS]
        if obj is not None:
            return ["guidance", "preview", *RECORD_FIELDS]
        return RECORD_FIELDS

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            newest = LicenceGuidanceVersion.objects.filter(guidance=obj.guidance).order_by("-number").first()
            obj.number = newest.number + 1 if newest else 1
        super().save_model(request, obj, form, change)

    def _each(self, request, queryset: QuerySet, change, done: str) -> list[LicenceGuidanceVersion]:
        changed = []
        for version in queryset.order_by("guidance_id", "number"):
            try:
                changed.append(change(version=version, actor=request.user))
            except DomainError as error:
                self.message_user(request, f"{version}: {error.message}", messages.WARNING)
        # Success only when something changed: "Published 0." in green beside a warning reads as a contradiction.
        if changed:
            self.message_user(request, f"{done} {len(changed)}.", messages.SUCCESS)
        return changed

    @admin.action(description="Publish selected (replaces the current version)", permissions=["change"])
    def publish_selected(self, request, queryset: QuerySet) -> None:
        self._each(request, queryset, services.guidance_version_publish, "Published")

    @admin.action(description="Return selected to draft", permissions=["change"])
    def return_selected_to_draft(self, request, queryset: QuerySet) -> None:
        self._each(request, queryset, services.guidance_version_unpublish, "Returned to draft:")

    @admin.action(description="Start a new version from selected", permissions=["change"])
    def start_new_version(self, request, queryset: QuerySet):
        drafts = self._each(request, queryset, services.guidance_version_start_next, "New drafts started:")
        if not drafts:
            return None
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((draft_change_url(draft), f"{draft.title} (version {draft.number})") for draft in drafts),
        )
        self.message_user(request, format_html("Change the new draft: {}", links), messages.INFO)
        # One new draft is the one the editor wants to change next: open it.
        if len(drafts) == 1:
            return HttpResponseRedirect(draft_change_url(drafts[0]))
        return None

    @admin.action(description="Mark as reviewed today", permissions=["change"])
    def mark_reviewed_today(self, request, queryset: QuerySet) -> None:
        count = queryset.update(last_reviewed_on=timezone.localdate(), reviewed_by=request.user)
        self.message_user(request, f"Marked {count} as reviewed today.", messages.SUCCESS)
