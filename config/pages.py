"""The service's own pages linked from every page's footer: the accessibility statement and the privacy notice.
What they say about who runs the service, how to reach them and how long things are kept comes from settings, read
on each request, so each deployment's pages describe that deployment."""

from django.conf import settings
from django.views.generic import TemplateView


class ShowAccessibilityStatementView(TemplateView):
    template_name = "pages/accessibility.html"

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            owner=settings.SERVICE_OWNER,
            site_url=settings.SITE_URL,
            contact_email=settings.ACCESSIBILITY_CONTACT_EMAIL,
            compliance=settings.ACCESSIBILITY_COMPLIANCE,
            prepared_on=settings.ACCESSIBILITY_STATEMENT_PREPARED,
            reviewed_on=settings.ACCESSIBILITY_STATEMENT_REVIEWED,
            tested_on=settings.ACCESSIBILITY_LAST_TESTED,
            tested_by=settings.ACCESSIBILITY_TESTED_BY,
            **kwargs,
        )


class ShowPrivacyNoticeView(TemplateView):
    template_name = "pages/privacy.html"

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            controller=settings.PRIVACY_CONTROLLER,
            controller_address=settings.PRIVACY_CONTROLLER_ADDRESS,
            contact_email=settings.PRIVACY_CONTACT_EMAIL,
            ico_registration=settings.PRIVACY_ICO_REGISTRATION,
            unconfirmed_sign_up_days=settings.SIGNUP_UNCONFIRMED_RETENTION.days,
            security_event_days=settings.SECURITY_AUDIT_DAYS,
            export_days=settings.EXPORTS_KEEP_DAYS,
            **kwargs,
        )
