"""Until a person who must use a second factor has verified it, the service shows them only the pages to set it up
or enter a code, and sign-out. The API answers for itself (accounts.mfa.VerifiedSessionAuthentication)."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts import mfa

# Reachable before the second factor: these pages themselves, signing out, and the API (its own check).
ALLOWED_URL_NAMES = (
    "accounts:set_up_authenticator",
    "accounts:verify_second_factor",
    "accounts:show_new_recovery_codes",
    "accounts:sign_out",
)


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated or not mfa.second_factor_required(user, request.session):
            return self.get_response(request)
        if mfa.session_verified(user):
            return self.get_response(request)
        device = mfa.remembered_device(request, user)
        if device is not None:
            mfa.session_verify(request, device)
            return self.get_response(request)
        if request.path_info.startswith("/api/v1/") or request.path_info in {reverse(n) for n in ALLOWED_URL_NAMES}:
            return self.get_response(request)
        has_authenticator = mfa.authenticator_for(user) is not None
        target = reverse("accounts:verify_second_factor" if has_authenticator else "accounts:set_up_authenticator")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
