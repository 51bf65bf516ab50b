"""Follow-up pages for training-body admins: their bodies' items (open, overdue, closed) and one item with the ways
to close it. Reads go through talent.selectors (scoped: another body's item is a 404); closing through
talent.services.followups."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.views.generic import TemplateView

from accounts.permissions import Permission
from accounts.views import PermissionRequiredMixin
from config.errors import DomainError
from pathways.selectors import open_opportunities, pathways_visible_to
from talent import selectors
from talent.forms.followups import CloseFollowUpForm
from talent.selectors.followups import CLOSED, OPEN, OVERDUE
from talent.services import followups as service

FOLLOW_UPS_PER_PAGE = 25
STATE_LABELS = {
    OPEN: "Open",
    OVERDUE: "Overdue",
    CLOSED: "Closed",
}


class ListFollowUpsView(PermissionRequiredMixin, TemplateView):
    """The admin's bodies' follow-ups: open ones first by due date (overdue marked), or overdue or closed ones."""

    permission_required = Permission.FOLLOW_UP_NUDGES
    template_name = "talent/followups/list.html"

    def get_context_data(self, **kwargs):
        state = self.request.GET.get("state") or OPEN
        if state not in STATE_LABELS:
            state = OPEN
        today = timezone.localdate()
        follow_ups = selectors.follow_ups_in_state(selectors.follow_ups_visible_to(self.request.user), state, today)
        if state != CLOSED:
            follow_ups = follow_ups.order_by("due_on", "opened_at", "pk")
        page = Paginator(follow_ups, FOLLOW_UPS_PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page=page,
            state=state,
            states=[
                {"value": value, "label": label, "current": value == state} for value, label in STATE_LABELS.items()
            ],
            today=today,
            **kwargs,
        )


class ShowFollowUpView(PermissionRequiredMixin, TemplateView):
    """One follow-up: who, why (the nudge), when due, and the form to close it (or how it was closed)."""

    permission_required = Permission.FOLLOW_UP_NUDGES
    template_name = "talent/followups/detail.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated and self.has_permission():
            self.follow_up = selectors.follow_up_for(request.user, kwargs["follow_up_id"])
        return super().dispatch(request, *args, **kwargs)

    def _form(self, data=None) -> CloseFollowUpForm:
        return CloseFollowUpForm(
            data,
            opportunities=open_opportunities().order_by("title"),
            pathways=pathways_visible_to(self.request.user).order_by("title"),
        )

    def get_context_data(self, **kwargs):
        follow_up = self.follow_up
        kwargs.setdefault("form", None if follow_up.is_closed else self._form())
        return super().get_context_data(
            follow_up=follow_up,
            profile=follow_up.profile,
            overdue=follow_up.is_overdue_on(timezone.localdate()),
            signposts=list(follow_up.signposts.select_related("opportunity", "pathway")) if follow_up.is_closed else [],
            **kwargs,
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if self.follow_up.is_closed:
            return self._already_closed(service.already_closed_error(self.follow_up).message)
        form = self._form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                service.follow_up_close(
                    user=request.user,
                    follow_up=self.follow_up,
                    outcome=data["outcome"],
                    opportunity_ids=data["opportunities"],
                    pathway_ids=data["pathways"],
                    reason=data["reason"],
                    note=data["note"],
                )
            except DomainError as error:
                if error.conflict:
                    return self._already_closed(error.message)
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, f"Follow-up of {self.follow_up.profile.user.full_name} closed.")
                return redirect("talent:show_follow_up", follow_up_id=self.follow_up.pk)
        return self.render_to_response(self.get_context_data(form=form))

    def _already_closed(self, message: str) -> HttpResponse:
        """Someone closed it first: say so, and show it as it now is (409, so scripts can tell)."""
        self.follow_up = selectors.follow_up_for(self.request.user, self.follow_up.pk)
        return self.render_to_response(self.get_context_data(form=None, conflict=message), status=409)


urlpatterns: list = [
    path("follow-ups/", ListFollowUpsView.as_view(), name="list_follow_ups"),
    path("follow-ups/<uuid:follow_up_id>/", ShowFollowUpView.as_view(), name="show_follow_up"),
]
