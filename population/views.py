"""Content editors' pages for the eligible population: the uploads so far, and a new upload."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from accounts.permissions import Permission
from accounts.views import PermissionRequiredMixin
from config.errors import DomainError
from pipeline.selectors.figures import EQUALITY_ATTRIBUTES
from population import selectors, services
from population.forms import EligiblePopulationForm
from population.parsing import HEADER, MAX_BYTES, NOT_ANSWERED
from population.services import UploadRejected
from regulators.models import Profession


def format_context() -> dict:
    """What the page says about the file's format: the codes come from the same lists the upload is checked with."""
    return {
        "header": ",".join(HEADER),
        "max_kilobytes": MAX_BYTES // 1024,
        "professions": Profession.choices,
        "regions": selectors.region_codes(),
        "attributes": [
            (key, label, [(code or NOT_ANSWERED, name) for code, name in choices])
            for key, (label, choices) in EQUALITY_ATTRIBUTES.items()
        ],
    }


class ListEligiblePopulationUploadsView(PermissionRequiredMixin, TemplateView):
    """Every upload, latest first, and which professions' figures each still gives."""

    permission_required = Permission.MANAGE_ELIGIBLE_POPULATION
    template_name = "population/upload_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(uploads=selectors.eligible_population_uploads(), **kwargs)


class UploadEligiblePopulationView(PermissionRequiredMixin, FormView):
    """A file is loaded whole or not at all: a bad one comes back with every problem named by its line."""

    permission_required = Permission.MANAGE_ELIGIBLE_POPULATION
    template_name = "population/upload_form.html"
    form_class = EligiblePopulationForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(**format_context(), **kwargs)

    def form_valid(self, form: EligiblePopulationForm) -> HttpResponse:
        file = form.cleaned_data["file"]
        try:
            upload = services.eligible_population_upload(
                uploaded_by=self.request.user,
                file_name=file.name or "",
                # One byte more than allowed is enough to know it is too large.
                data=file.read(MAX_BYTES + 1),
                source=form.cleaned_data["source"],
                as_of=form.cleaned_data["as_of"],
            )
        except UploadRejected as rejected:
            form.add_error("file", rejected.message)
            return self.render_to_response(self.get_context_data(form=form, problems=rejected.problems))
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, f"{upload.lines} lines of counts loaded from {upload.source}.")
        return redirect("population:list_eligible_population_uploads")
