"""Who belongs to a training body, for its admins: the clinicians waiting for the body to confirm them (confirmed one
at a time or ticked in bulk) and taking a clinician off the body. Reads go through talent.selectors.affiliation
(scoped to the admin's bodies), writes through talent.services.affiliation."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.generic import TemplateView

from accounts.permissions import Permission
from accounts.views import PermissionRequiredMixin
from config.errors import DomainError
from talent import selectors, services
from talent.forms.members import ConfirmMembersForm

REQUESTS_PER_PAGE = 50


class ListMembershipRequestsView(PermissionRequiredMixin, TemplateView):
    """Clinicians who chose this body and wait for its admins to confirm them; until then the body never lists,
    nudges or counts them."""

    permission_required = Permission.MANAGE_MEMBERS
    template_name = "talent/members/requests.html"

    def get_context_data(self, form: ConfirmMembersForm | None = None, **kwargs):
        body, requests = selectors.membership_requests_of_body(self.request.user, self.kwargs["slug"])
        page = Paginator(requests, REQUESTS_PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(training_body=body, page=page, form=form or ConfirmMembersForm(), **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        body, _ = selectors.membership_requests_of_body(request.user, kwargs["slug"])
        form = ConfirmMembersForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        confirmed = services.training_body_members_confirm(
            actor=request.user, training_body=body, profile_ids=form.cleaned_data["profile_ids"]
        )
        if confirmed:
            messages.success(request, f"You confirmed {confirmed} clinician{'s' if confirmed != 1 else ''}.")
        else:
            messages.info(request, "Nobody was confirmed: those clinicians no longer wait for your training body.")
        return redirect(request.get_full_path())


class RemoveMemberView(PermissionRequiredMixin, TemplateView):
    """Take a clinician off the body (a confirmed member, or one still waiting), after a question page."""

    permission_required = Permission.MANAGE_MEMBERS
    template_name = "talent/members/remove.html"

    def get_context_data(self, **kwargs):
        body, profile = selectors.member_to_remove(self.request.user, self.kwargs["slug"], self.kwargs["profile_id"])
        return super().get_context_data(
            training_body=body, profile=profile, waiting=profile.requested_training_body_id == body.pk, **kwargs
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        body, profile = selectors.member_to_remove(request.user, kwargs["slug"], kwargs["profile_id"])
        try:
            services.training_body_member_remove(actor=request.user, training_body=body, profile=profile)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{profile.full_name} no longer belongs to {body.name}. We have emailed them.")
        return redirect("talent:list_membership_requests", slug=body.slug)


urlpatterns = [
    path(
        "training-bodies/<slug:slug>/members/waiting/",
        ListMembershipRequestsView.as_view(),
        name="list_membership_requests",
    ),
    path(
        "training-bodies/<slug:slug>/members/<uuid:profile_id>/remove/",
        RemoveMemberView.as_view(),
        name="remove_member",
    ),
]
