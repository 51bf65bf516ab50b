"""The clinician's home: current leadership interest, last self-assessment, what to do next, saved and recommended
pathways and opportunities, and who can see them."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.generic import TemplateView

from pathways import recommendations
from regulators.selectors import licence_checkpoint
from talent import selectors
from talent.views.mixins import ClinicianMixin
from talent.views.onboarding import onboarding_resume_url


def links(*candidates: tuple[str, str]) -> list[dict]:
    return [{"url": reverse(name), "text": text} for name, text in candidates]


class ShowClinicianHomeView(ClinicianMixin, TemplateView):
    """A clinician without a profile is sent to onboarding first (to the page they left, if they started)."""

    template_name = "talent/home.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if self.profile is None:
            # Back to the page they left, if they have started; their answers so far are kept.
            return redirect(onboarding_resume_url(request.user) or reverse("talent:start_onboarding"))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        profile = self.profile
        # Recording interest always sets a horizon, so a blank one means nothing has been recorded yet.
        interest_recorded = bool(profile.current_readiness_horizon)
        latest_assessment = selectors.latest_completed_assessment(profile)
        next_steps = links(
            (
                "talent:record_interest",
                "Update your leadership interest" if interest_recorded else "Record your leadership interest",
            ),
            ("talent:show_interest_history", "See how your leadership interest has changed"),
            (
                "talent:start_self_assessment",
                "Take a new leadership self-assessment" if latest_assessment else "Assess your leadership skills",
            ),
            ("talent:list_experience", "Add or change your leadership experience"),
            ("talent:list_qualifications", "Add or change your leadership qualifications"),
            ("talent:edit_equality_monitoring", "Answer the equality monitoring questions (optional)"),
        )
        account_links = links(
            ("talent:show_profile", "Check or change your profile"),
            ("talent:download_my_data", "Download all your data"),
            ("accounts:change_password", "Change your password"),
            ("talent:delete_account", "Delete your account"),
        )
        return super().get_context_data(
            profile=profile,
            interest_recorded=interest_recorded,
            latest_assessment=latest_assessment,
            next_steps=next_steps,
            account_links=account_links,
            sharing_url=reverse("talent:answer_onboarding_consents"),
            training_body_url=reverse("talent:answer_onboarding_training_body"),
            saved_pathways=list(recommendations.saved_pathways(profile)),
            recommended_pathways=recommendations.recommended_pathways(user=self.request.user, profile=profile),
            recommended_opportunities=recommendations.recommended_opportunities(profile=profile),
            licence_checkpoint=licence_checkpoint(profile),
            **kwargs,
        )


urlpatterns: list = [
    path("my/", ShowClinicianHomeView.as_view(), name="show_clinician_home"),
]
