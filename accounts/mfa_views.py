"""Pages of the second factor: set up an authenticator app, enter a code at sign-in, see new recovery codes once,
and the person's own "Sign-in security" page (renew recovery codes; clinicians turn it on or off)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts import mfa
from accounts.forms import AuthenticatorCodeForm, SecondFactorForm
from accounts.permissions import Permission
from accounts.views import PermissionRequiredMixin, home_url_for
from config.errors import DomainError

NEW_RECOVERY_CODES_KEY = "new_recovery_codes"


def _next_url(request: HttpRequest) -> str:
    """Where to go once verified: the page asked for, if it is on this site, else the person's home."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return home_url_for(request.user)


class SetUpAuthenticatorView(LoginRequiredMixin, FormView):
    """Scan a QR code (or type the secret) into an authenticator app, then enter a code it shows. Someone who
    already has one must verify it first: a password alone must not let anyone swap in their own app."""

    form_class = AuthenticatorCodeForm
    template_name = "accounts/mfa_set_up.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if (
            request.user.is_authenticated
            and not mfa.session_verified(request.user)
            and mfa.authenticator_for(request.user) is not None
        ):
            return redirect(f"{reverse('accounts:verify_second_factor')}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        device = mfa.authenticator_start(user=self.request.user)
        return super().get_context_data(
            qr_svg=mfa.authenticator_qr_svg(device),
            secret=mfa.authenticator_secret(device),
            next=_next_url(self.request),
            required=mfa.second_factor_required_by_role(self.request.user),
            **kwargs,
        )

    def form_valid(self, form: AuthenticatorCodeForm) -> HttpResponse:
        try:
            codes = mfa.authenticator_confirm(
                user=self.request.user, code=form.cleaned_data["code"], request=self.request
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
            return self.form_invalid(form)
        mfa.session_verify(self.request, mfa.authenticator_for(self.request.user))
        self.request.session[NEW_RECOVERY_CODES_KEY] = codes
        return redirect(f"{reverse('accounts:show_new_recovery_codes')}?{urlencode({'next': _next_url(self.request)})}")


class VerifySecondFactorView(LoginRequiredMixin, FormView):
    """After the password: the code from the authenticator app, or a recovery code."""

    form_class = SecondFactorForm
    template_name = "accounts/mfa_verify.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            if mfa.session_verified(request.user) or not mfa.second_factor_required(request.user, request.session):
                return redirect(_next_url(request))
            if mfa.authenticator_for(request.user) is None:
                return redirect(f"{reverse('accounts:set_up_authenticator')}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "remember_days": settings.MFA_REMEMBER_DEVICE_DAYS}

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=_next_url(self.request), **kwargs)

    def form_valid(self, form: SecondFactorForm) -> HttpResponse:
        try:
            device = mfa.second_factor_verify(
                user=self.request.user, code=form.cleaned_data["code"], request=self.request
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
            return self.form_invalid(form)
        mfa.session_verify(self.request, device)
        response = redirect(_next_url(self.request))
        if form.cleaned_data.get("remember"):
            mfa.device_remember(response=response, user=self.request.user, device=device)
        left = mfa.recovery_codes_left(user=self.request.user)
        if left < mfa.RECOVERY_CODE_COUNT // 2:
            messages.warning(
                self.request,
                f"You have {left} recovery code{'s' if left != 1 else ''} left. Get new ones from Sign-in security.",
            )
        return response


class ShowNewRecoveryCodesView(LoginRequiredMixin, TemplateView):
    """The recovery codes, shown once: they are kept only as hashes."""

    template_name = "accounts/mfa_recovery_codes.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        codes = request.session.pop(NEW_RECOVERY_CODES_KEY, None)
        if not codes:
            return redirect("accounts:show_sign_in_security")
        return self.render_to_response(self.get_context_data(codes=codes, next=_next_url(request)))


class ShowSignInSecurityView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/mfa_security.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            authenticator=mfa.authenticator_for(user),
            recovery_codes_left=mfa.recovery_codes_left(user=user),
            required=mfa.second_factor_required_by_role(user),
            **kwargs,
        )


class RenewRecoveryCodesView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            codes = mfa.recovery_codes_renew(user=request.user, request=request)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("accounts:show_sign_in_security")
        request.session[NEW_RECOVERY_CODES_KEY] = codes
        return redirect("accounts:show_new_recovery_codes")


class TurnOffSecondFactorView(PermissionRequiredMixin, FormView):
    """A clinician turns the second factor off with a current code (or a recovery code)."""

    permission_required = Permission.TURN_OFF_OWN_SECOND_FACTOR
    form_class = AuthenticatorCodeForm
    template_name = "accounts/mfa_turn_off.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if self.has_permission() and mfa.authenticator_for(request.user) is None:
            return redirect("accounts:show_sign_in_security")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: AuthenticatorCodeForm) -> HttpResponse:
        try:
            mfa.second_factor_turn_off(user=self.request.user, code=form.cleaned_data["code"], request=self.request)
        except DomainError as error:
            form.add_error("code", error.message)
            return self.form_invalid(form)
        self.request.session[mfa.SESSION_REQUIRED_KEY] = False
        messages.success(self.request, "Two-step sign-in is off. You sign in with your password alone.")
        return redirect("accounts:show_sign_in_security")
