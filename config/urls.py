from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config import health, pages

# The admin site opens only to a session verified with a second factor (staff sign in through /sign-in/).
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "Leadership Talent Tracker administration"
admin.site.site_title = "Leadership Talent Tracker"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view serves Swagger UI's start-up script as a file: the Content-Security-Policy allows no inline one.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api_schema", template_name="api/swagger_ui.html"),
        name="api_docs",
    ),
    path("accessibility/", pages.ShowAccessibilityStatementView.as_view(), name="accessibility"),
    path("privacy/", pages.ShowPrivacyNoticeView.as_view(), name="privacy"),
    path("", include("talent.urls")),
    path("", include("pipeline.urls")),
    path("", include("exports.urls")),
    path("", include("pathways.urls")),
    path("", include("regulators.urls")),
    path("", include("population.urls")),
    path("", include("accounts.urls")),
]

handler400 = "config.error_views.bad_request"
handler403 = "config.error_views.permission_denied"
handler404 = "config.error_views.page_not_found"
handler500 = "config.error_views.server_error"
