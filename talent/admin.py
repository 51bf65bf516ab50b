"""Talent pools in the admin site, read-only: pools, members and reviews change only through their pages and API
(talent.services.pools), which audit every change, tell the clinician and keep the readiness history; here
superusers look them up when someone asks why a figure is what it is."""

from django.contrib import admin

from talent.models import PoolMembership, ReadinessChange, ReviewRating, TalentPool, TalentReview


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(TalentPool)
class TalentPoolAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "owner_name", "role_level", "created_at"]
    list_filter = ["role_level", "region"]
    search_fields = ["name", "training_body__name"]
    list_select_related = ["training_body", "region"]
    readonly_fields = [field.name for field in TalentPool._meta.fields]


class ReadinessChangeInline(ReadOnlyInline):
    """The member's readiness history, newest first."""

    model = ReadinessChange
    fields = ["changed_at", "from_readiness", "to_readiness", "changed_by", "review"]
    readonly_fields = fields


@admin.register(PoolMembership)
class PoolMembershipAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["profile", "pool", "state", "readiness", "readiness_at"]
    list_filter = ["state", "readiness", "pool__role_level"]
    search_fields = ["profile__full_name", "pool__name"]
    list_select_related = ["profile", "pool__training_body", "pool__region"]
    readonly_fields = [field.name for field in PoolMembership._meta.fields]
    inlines = [ReadinessChangeInline]


class ReviewRatingInline(ReadOnlyInline):
    """Each member's rating coming into the review, the agreed one, and who agreed it."""

    model = ReviewRating
    fields = ["membership", "original_readiness", "agreed_readiness", "agreed_by", "agreed_at", "note"]
    readonly_fields = fields


@admin.register(TalentReview)
class TalentReviewAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["pool", "opened_at", "opened_by", "closed_at", "closed_by"]
    list_filter = ["closed_at"]
    search_fields = ["pool__name"]
    list_select_related = ["pool", "opened_by", "closed_by"]
    readonly_fields = [field.name for field in TalentReview._meta.fields]
    inlines = [ReviewRatingInline]
