"""The one access rule for the clinician's own pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from accounts.permissions import Permission
from accounts.views import PermissionRequiredMixin
from talent import selectors
from talent.models import ClinicianProfile


class ClinicianMixin(PermissionRequiredMixin):
    """Clinicians' own pages: anonymous people sign in, roles that may not do `permission_required` get 403.
    ``self.profile`` is theirs (or None before onboarding). With ``profile_required``, a clinician without a profile
    goes to their home to start onboarding. ``prepare`` then loads the clinician's own object named in the URL
    (raising Http404 when it is not theirs)."""

    permission_required: str = Permission.EDIT_OWN_PROFILE
    profile_required = False
    profile: ClinicianProfile | None

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.has_permission():
            raise PermissionDenied(self.get_permission_denied_message())
        self.profile = selectors.profile_of(request.user)
        if self.profile is None and self.profile_required:
            messages.info(request, "Tell us about yourself first.")
            return redirect("talent:show_clinician_home")
        self.prepare(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def prepare(self, **kwargs) -> None:
        """Load what the URL names, once the person is known to be allowed here."""


class ClinicianProfileRequiredMixin(ClinicianMixin):
    profile_required = True
    profile: ClinicianProfile
