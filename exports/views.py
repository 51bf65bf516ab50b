"""Your exports: the files a person asked for, and the download of one (only theirs, while they may)."""

import os

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views import View
from django.views.generic import TemplateView

from accounts.permissions import Permission
from accounts.views import PermissionRequiredMixin
from exports import selectors, services
from exports.models import exports_storage


class ListExportsView(PermissionRequiredMixin, TemplateView):
    """The person's exports with their state, row count and filters, and a download link while one is ready."""

    permission_required = Permission.EXPORT_PIPELINE
    template_name = "exports/list.html"

    def get_context_data(self, **kwargs):
        exports = list(selectors.exports_of(self.request.user))
        requested = self.request.GET.get("requested", "")
        return super().get_context_data(
            exports=exports,
            just_requested=next((export for export in exports if str(export.pk) == requested), None),
            keep_days=settings.EXPORTS_KEEP_DAYS,
            **kwargs,
        )


class DownloadExportView(LoginRequiredMixin, View):
    """The file, streamed from storage, to the person who asked for it and nobody else (404: whether an export
    exists is not told); audited."""

    def get(self, request: HttpRequest, export_id, *args, **kwargs) -> HttpResponse:
        export = selectors.export_for_download(user=request.user, export_id=export_id)
        if export is None:
            raise Http404("No such export.")
        try:
            data = exports_storage().open(export.file.name, "rb")
        except FileNotFoundError as error:
            raise Http404("The file has gone.") from error
        services.export_downloaded(user=request.user, export=export)
        response = FileResponse(
            data, as_attachment=True, filename=os.path.basename(export.file.name), content_type="text/csv"
        )
        response["Content-Type"] = "text/csv; charset=utf-8"
        response["Cache-Control"] = "no-store"
        return response
