"""Nudge pages for training-body admins: a body's past nudges, and one nudge's contents with a way straight to
nominating each clinician. Every read goes through talent.selectors.nudges (scoped to the admin's bodies)."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.urls import path
from django.views.generic import TemplateView

from accounts.permissions import Permission
from accounts.views import PermissionRequiredMixin
from talent import selectors

NUDGES_PER_PAGE = 10


class ListNudgesView(PermissionRequiredMixin, TemplateView):
    """A body's past nudges, newest first, each with the clinicians it listed who still share their record."""

    permission_required = Permission.VIEW_NUDGES
    template_name = "talent/nudges/list.html"

    def get_context_data(self, **kwargs):
        body, nudges = selectors.nudges_of_body(self.request.user, self.kwargs["slug"])
        page = Paginator(nudges, NUDGES_PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(training_body=body, page=page, **kwargs)


class ShowNudgeView(PermissionRequiredMixin, TemplateView):
    """One nudge: each clinician, what they did, the opportunities they were eligible for, and links to their record
    and to nominating them."""

    permission_required = Permission.VIEW_NUDGES
    template_name = "talent/nudges/detail.html"

    def get_context_data(self, **kwargs):
        contents = selectors.nudge_for(self.request.user, self.kwargs["nudge_id"])
        # The period as one line of text for the title and heading (an include brings its file's final newline).
        period = render_to_string("talent/nudges/_period.html", {"nudge": contents.nudge}).strip()
        return super().get_context_data(
            nudge=contents.nudge, period=period, entries=contents.entries, left_out=contents.left_out, **kwargs
        )


urlpatterns = [
    path("training-bodies/<slug:slug>/nudges/", ListNudgesView.as_view(), name="list_nudges"),
    path("nudges/<uuid:nudge_id>/", ShowNudgeView.as_view(), name="show_nudge"),
]
