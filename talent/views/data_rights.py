"""The clinician's data rights: download everything we hold about them, and delete their account."""

import json

from django.contrib.auth import logout
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.permissions import Permission
from config.errors import DomainError
from talent import selectors, services
from talent.export import clinician_data_export
from talent.forms.data_rights import AccountDeleteForm
from talent.views.mixins import ClinicianMixin


class DownloadMyDataView(ClinicianMixin, View):
    """A JSON file of all the clinician's data, offered as a download."""

    permission_required = Permission.EXPORT_OWN_DATA

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        data = clinician_data_export(user=request.user)
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        filename = f"leadership-talent-tracker-my-data-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response


class DeleteAccountView(ClinicianMixin, FormView):
    """Explains what deletion removes and what stays anonymously; deletes only once the person confirms."""

    permission_required = Permission.DELETE_OWN_ACCOUNT
    form_class = AccountDeleteForm
    template_name = "talent/data_rights/delete.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(profile=selectors.profile_of(self.request.user), **kwargs)

    def form_valid(self, form: AccountDeleteForm) -> HttpResponse:
        try:
            services.clinician_account_delete(user=self.request.user)
        except DomainError as error:
            form.add_error(error.field, error.message)
            return self.form_invalid(form)
        logout(self.request)
        return redirect("talent:show_account_deleted")


class ShowAccountDeletedView(TemplateView):
    """Shown after deletion, to a signed-out visitor."""

    template_name = "talent/data_rights/deleted.html"


urlpatterns: list = [
    path("my/data/download/", DownloadMyDataView.as_view(), name="download_my_data"),
    path("my/delete-account/", DeleteAccountView.as_view(), name="delete_account"),
    path("account-deleted/", ShowAccountDeletedView.as_view(), name="show_account_deleted"),
]
