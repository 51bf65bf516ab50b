from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils import timezone
from knox.models import AuthToken

from accounts.mfa import second_factor_reset
from accounts.models import (
    AuditEvent,
    OutboxMessage,
    Region,
    Role,
    SecurityEvent,
    TrainingBody,
    TrainingBodyMembership,
    User,
)
from accounts.outbox import outbox_retry
from accounts.services import account_copy_to_profile, user_role_access_sync


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "role", "hee_region"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


# API tokens are issued, listed and revoked by their owners, every change audited; knox's own admin would let the
# admin site issue a token for anyone without a trace.
if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Admins create staff accounts here (staff roles never come from sign-up)."""

    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "hee_region", "is_active", "email_confirmed_at"]
    list_filter = ["role", "is_active", "hee_region"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "role", "hee_region"]}),
        ("Status", {"fields": ["is_active", "email_confirmed_at", "date_joined", "last_login"]}),
        ("Admin site", {"fields": ["is_staff", "is_superuser", "groups", "user_permissions"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "role", "hee_region", "password1", "password2"]}),
    ]
    actions = ["reset_second_factor"]

    @admin.action(description="Reset two-step sign-in (they set up an authenticator app again at next sign-in)")
    def reset_second_factor(self, request, queryset):
        users = list(queryset)
        for user in users:
            second_factor_reset(user=user, actor=request.user, request=request)
        self.message_user(request, f"Two-step sign-in reset for {len(users)} account{'s' if len(users) != 1 else ''}.")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("reset_second_factor", None)
        return actions

    def save_model(self, request, obj, form, change):
        if obj.role != Role.CLINICIAN and obj.email_confirmed_at is None:
            obj.email_confirmed_at = timezone.now()  # an admin created it: the address needs no confirming
        super().save_model(request, obj, form, change)
        if change:
            account_copy_to_profile(user=obj)

    def save_related(self, request, form, formsets, change):
        # After the form has saved its groups, which would otherwise overwrite the editors' group.
        super().save_related(request, form, formsets, change)
        user_role_access_sync(user=form.instance)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = TrainingBodyMembership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(TrainingBody)
class TrainingBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "nudge_frequency"]
    list_filter = ["kind", "region", "nudge_frequency"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the service writes and nobody edits: the audit trail, the security log, the outbox."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the audit trail is append-only."""

    list_display = ["created_at", "actor", "action", "subject_type", "subject_id"]
    list_filter = ["action"]
    search_fields = ["actor__email", "subject_id"]
    list_select_related = ["actor"]


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    """Sign-ins, failures, lock-outs, password, second-factor and token events: superusers only, read-only (kept
    SECURITY_AUDIT_DAYS, then purged by a daily job)."""

    list_display = ["created_at", "action", "email", "user", "client_address", "user_agent"]
    list_filter = ["action"]
    search_fields = ["email", "client_address"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    readonly_fields = [field.name for field in SecurityEvent._meta.fields]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """The emails the service owes: read-only, filterable by state and kind; a superuser may send failed ones again."""

    list_display = ["created_at", "kind", "to_email", "state", "attempts", "sent_at", "short_error"]
    list_filter = ["state", "kind"]
    search_fields = ["to_email", "idempotency_key", "kind"]
    date_hierarchy = "created_at"
    actions = ["retry_failed"]
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]

    @admin.display(description="last error")
    def short_error(self, message: OutboxMessage) -> str:
        return message.last_error[:80]

    @admin.action(description="Send the selected failed messages again")
    def retry_failed(self, request, queryset):
        selected = list(queryset.values_list("pk", flat=True))
        count = outbox_retry(message_ids=selected, actor=request.user)
        note = "" if count == len(selected) else " Only failed messages are sent again; the others were left alone."
        self.message_user(request, f"{count} failed message{'s' if count != 1 else ''} queued to send again.{note}")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("retry_failed", None)
        return actions
