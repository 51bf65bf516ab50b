from django.contrib import messages
from django.contrib.auth import mixins as auth_mixins
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, TemplateView, UpdateView

from accounts import selectors, services
from accounts.context_processors import home_item_for
from accounts.emails import normalise_email
from accounts.forms import (
    ChangePasswordForm,
    ChooseNewPasswordForm,
    NudgeFrequencyForm,
    ResendConfirmationForm,
    ResetPasswordForm,
    SignInForm,
    SignUpForm,
)
from accounts.models import User
from accounts.permissions import Permission
from accounts.sessions import IDLE_MINUTES_SESSION_KEY
from accounts.throttle import throttle_count, throttle_wait, throttled_response
from config.errors import DomainError


def home_url_for(user: User) -> str:
    """A person's home is the first page of their menu (accounts.context_processors.HOME_PAGES)."""
    home = home_item_for(user)
    return reverse(home.url_name) if home is not None else reverse("accounts:show_home")


class PermissionRequiredMixin(auth_mixins.PermissionRequiredMixin):
    """Anonymous people go to sign in; signed-in people whose role may not do `permission_required`
    (accounts/permissions.py) get 403 for the whole page."""

    permission_denied_message = "This page is not available to your role."


class ShowHomeView(TemplateView):
    """The landing page for visitors; signed-in people go straight to their role's home."""

    template_name = "accounts/landing.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            return redirect(home_url_for(request.user))
        return super().get(request, *args, **kwargs)


class ThrottledFormMixin:
    """A form that takes an email address from anyone: each post uses up some of the allowance for that address and
    for the client (accounts/throttle.py); past it, the "too many attempts" page with status 429."""

    throttle_group: str
    throttle_field = "email"
    # False: a post only checks that some allowance is left, and the view uses it up itself when it should count.
    throttle_every_post = True

    def throttle_address(self) -> str:
        return normalise_email(self.request.POST.get(self.throttle_field, ""))

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        wait = throttle_wait(
            request, group=self.throttle_group, address=self.throttle_address(), count=self.throttle_every_post
        )
        if wait:
            return throttled_response(request, wait_seconds=wait)
        return super().post(request, *args, **kwargs)


class SignInView(ThrottledFormMixin, auth_views.LoginView):
    """Only failed sign-ins use up the allowance, so colleagues behind one address are not kept out by sign-ins
    that succeed."""

    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True
    throttle_group = "sign_in"
    throttle_field = "username"
    throttle_every_post = False

    def form_invalid(self, form: SignInForm) -> HttpResponse:
        throttle_count(self.request, group=self.throttle_group, address=self.throttle_address())
        return super().form_invalid(form)

    def get_default_redirect_url(self) -> str:
        return home_url_for(self.request.user)


class SignOutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have signed out.")
        return response


class ShowSignedOutView(TemplateView):
    """Where an idle session ends: says why, and signs the person back in to the page they were on."""

    template_name = "accounts/signed_out.html"

    def get_context_data(self, **kwargs):
        next_url = self.request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            next_url = ""
        return super().get_context_data(
            idle_minutes=self.request.session.get(IDLE_MINUTES_SESSION_KEY), next_url=next_url, **kwargs
        )


class SignUpView(ThrottledFormMixin, FormView):
    form_class = SignUpForm
    template_name = "accounts/sign_up.html"
    throttle_group = "sign_up"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            return redirect(home_url_for(request.user))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: SignUpForm) -> HttpResponse:
        try:
            services.clinician_sign_up(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
            return self.form_invalid(form)
        self.request.session["sign_up_email"] = form.cleaned_data["email"]
        return redirect("accounts:show_sign_up_sent")


class ShowSignUpSentView(TemplateView):
    template_name = "accounts/sign_up_sent.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            email=self.request.session.get("sign_up_email"),
            confirmation_hours=services.sign_up_confirmation_hours(),
            **kwargs,
        )


class ConfirmSignUpView(TemplateView):
    """The emailed link opens a page with a button: following the link alone changes nothing, so mail scanners that
    fetch links cannot confirm an account. A bad or old link says why and offers a new one."""

    template_name = "accounts/sign_up_confirm.html"

    def get(self, request: HttpRequest, token: str, *args, **kwargs) -> HttpResponse:
        try:
            user = services.sign_up_token_check(token=token)
        except DomainError as error:
            return self.failed(error)
        if user.email_confirmed_at is not None:
            messages.success(request, "Your email address is already confirmed. You can sign in.")
            return redirect("accounts:sign_in")
        return self.render_to_response(self.get_context_data(email=user.email))

    def post(self, request: HttpRequest, token: str, *args, **kwargs) -> HttpResponse:
        try:
            services.sign_up_confirm(token=token)
        except DomainError as error:
            return self.failed(error)
        messages.success(request, "Your email address is confirmed. You can now sign in.")
        return redirect("accounts:sign_in")

    def failed(self, error: DomainError) -> HttpResponse:
        context = self.get_context_data(error=error.message, form=ResendConfirmationForm())
        return TemplateResponse(self.request, "accounts/sign_up_confirm_failed.html", context, status=400)


class ResendConfirmationView(ThrottledFormMixin, FormView):
    form_class = ResendConfirmationForm
    template_name = "accounts/sign_up_resend.html"
    throttle_group = "resend_confirmation"

    def form_valid(self, form: ResendConfirmationForm) -> HttpResponse:
        services.sign_up_resend(email=form.cleaned_data["email"])
        self.request.session["sign_up_email"] = form.cleaned_data["email"]
        return redirect("accounts:show_sign_up_sent")


class ChangePasswordView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:show_home")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user, request=self.request)
        messages.success(self.request, "Your password has been changed.")
        return response


class ListApiTokensView(LoginRequiredMixin, TemplateView):
    """The person's own API tokens, each with a button to revoke it."""

    template_name = "accounts/api_tokens.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            tokens=selectors.api_tokens_of(self.request.user),
            token_hours=int(services.api_token_lifetime(user=self.request.user).total_seconds() // 3600),
            **kwargs,
        )


class RevokeApiTokenView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, token_key: str) -> HttpResponse:
        token = selectors.api_token_of(request.user, token_key)
        services.api_tokens_revoke(tokens=[token], actor=request.user, reason="revoked_by_owner", request=request)
        messages.success(request, f"The token starting {token.token_key} is revoked: nothing can use it any more.")
        return redirect("accounts:list_api_tokens")


class ResetPasswordView(ThrottledFormMixin, FormView):
    """Which accounts the address has is looked up after the response, by a task (accounts.services
    .password_reset_request_later), so the page answers alike, in the same time, for every address."""

    form_class = ResetPasswordForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:show_password_reset_sent")
    throttle_group = "reset_password"

    def form_valid(self, form: ResetPasswordForm) -> HttpResponse:
        services.password_reset_request_later(request=self.request, email=form.cleaned_data["email"])
        return redirect(self.success_url)


class ShowPasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class ChooseNewPasswordView(auth_views.PasswordResetConfirmView):
    form_class = ChooseNewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:show_password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user, request=self.request, reset=True)
        return response


class ShowPasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class ListTrainingBodiesView(PermissionRequiredMixin, TemplateView):
    permission_required = Permission.VIEW_TRAINING_BODIES
    template_name = "accounts/home_training_body.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            training_bodies=selectors.training_bodies_with_waiting_members(self.request.user).order_by("name"),
            **kwargs,
        )


class ShowTrainingBodyView(PermissionRequiredMixin, UpdateView):
    """One training body: its details, its admins, and how often it wants to be nudged."""

    permission_required = Permission.SET_NUDGE_FREQUENCY
    template_name = "accounts/training_body_detail.html"
    form_class = NudgeFrequencyForm
    context_object_name = "training_body"

    def get_object(self, queryset=None):
        return selectors.training_body_for_admin(self.request.user, self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            admins=selectors.training_body_admins(self.object),
            waiting_count=self.object.membership_requests.filter(account_active=True).count(),
            **kwargs,
        )

    def form_valid(self, form: NudgeFrequencyForm) -> HttpResponse:
        services.training_body_nudge_frequency_set(
            training_body=self.object, frequency=form.cleaned_data["nudge_frequency"], actor=self.request.user
        )
        messages.success(self.request, f"Nudge emails are now {self.object.get_nudge_frequency_display().lower()}.")
        return redirect("accounts:show_training_body", slug=self.object.slug)


class ShowEditorHomeView(PermissionRequiredMixin, TemplateView):
    permission_required = Permission.EDIT_CONTENT
    template_name = "accounts/home_editor.html"
