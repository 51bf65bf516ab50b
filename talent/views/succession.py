"""Succession pages: the region by role-level table of who in the talent pools is ready now and ready in 1 to 2
years (HEE staff; training-body admins for their bodies' pools), and one region and level by profession.

Reads go through talent.selectors.succession (counts only; a region outside the asker's scope is a 404).
"""

from django.urls import path
from django.views.generic import TemplateView

from accounts.permissions import Permission
from accounts.views import PermissionRequiredMixin
from talent.selectors import succession as selectors


class ShowSuccessionView(PermissionRequiredMixin, TemplateView):
    permission_required = Permission.VIEW_SUCCESSION
    template_name = "talent/succession/show.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(succession=selectors.succession_for(user=self.request.user), **kwargs)


class ShowSuccessionBackgroundsView(PermissionRequiredMixin, TemplateView):
    permission_required = Permission.VIEW_SUCCESSION
    template_name = "talent/succession/backgrounds.html"

    def get_context_data(self, **kwargs):
        description, backgrounds = selectors.succession_backgrounds_for(user=self.request.user)
        return super().get_context_data(description=description, backgrounds=backgrounds, **kwargs)


class ShowSuccessionCellView(PermissionRequiredMixin, TemplateView):
    permission_required = Permission.VIEW_SUCCESSION
    template_name = "talent/succession/cell.html"

    def get_context_data(self, **kwargs):
        detail = selectors.succession_cell_for(
            user=self.request.user, region_slug=kwargs["region_slug"], role_level=kwargs["role_level"]
        )
        return super().get_context_data(detail=detail, cell=detail.cell, **kwargs)


urlpatterns = [
    path("succession/", ShowSuccessionView.as_view(), name="show_succession"),
    path("succession/backgrounds/", ShowSuccessionBackgroundsView.as_view(), name="show_succession_backgrounds"),
    path(
        "succession/<slug:region_slug>/<slug:role_level>/",
        ShowSuccessionCellView.as_view(),
        name="show_succession_cell",
    ),
]
