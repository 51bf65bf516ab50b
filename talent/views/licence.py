"""The clinician's licence plan: what they plan to do about their licence to practise in a senior role, its
history, and what their regulator says about each choice and about returning to practice later.

Reads go through talent.selectors.licence; the plan is written by talent.services.licence only.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.generic import TemplateView

from accounts.permissions import Permission
from config.errors import DomainError
from talent.forms.licence import LicencePlanForm
from talent.selectors import licence as selectors
from talent.services import licence as service
from talent.views.mixins import ClinicianProfileRequiredMixin


class LicencePlanView(ClinicianProfileRequiredMixin, TemplateView):
    permission_required = Permission.KEEP_LICENCE_PLAN
    template_name = "talent/licence/plan.html"

    def get_context_data(self, **kwargs):
        plans = list(selectors.own_licence_plans(user=self.request.user))
        current = plans[0] if plans else None
        initial = {"choice": current.choice, "note": current.note} if current else None
        kwargs.setdefault("form", LicencePlanForm(initial=initial))
        return super().get_context_data(
            profile=self.profile,
            regulator=self.profile.regulator,
            current=current,
            history=plans[1:],
            sections=selectors.licence_plan_guidance(regulator=self.profile.regulator),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = LicencePlanForm(request.POST)
        if form.is_valid():
            try:
                service.licence_plan_record(
                    profile=self.profile,
                    choice=form.cleaned_data["choice"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, "Your licence plan is saved.")
                return redirect("talent:edit_licence_plan")
        return self.render_to_response(self.get_context_data(form=form))


urlpatterns = [path("licence-plan/", LicencePlanView.as_view(), name="edit_licence_plan")]
