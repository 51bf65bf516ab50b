"""Licence guidance pages (public, published only; editors may preview drafts) and the clinician's own revalidation
record."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.generic import FormView, TemplateView

from config.errors import DomainError
from regulators import selectors, services
from regulators.changes import compared_sections
from regulators.forms import GuidanceEmailsForm, GuidanceFilterForm, RevalidationForm
from regulators.models import GuidanceStatus, LicenceGuidanceVersion
from talent.views.mixins import ClinicianProfileRequiredMixin

GUIDANCE_PER_PAGE = 20


class ListGuidanceView(TemplateView):
    """Published guidance by regulator, role level, role and topic, with search. A clinician's own regulator comes
    first."""

    template_name = "regulators/guidance_list.html"

    def get_context_data(self, **kwargs):
        request = self.request
        filters = GuidanceFilterForm(request.GET)
        if not filters.is_valid():
            # A filter we do not know is an error to fix (as the API's 400), not a reason to quietly show everything.
            return super().get_context_data(
                filters=filters, form=filters, versions=[], filter_errors=True, filtered=True, **kwargs
            )
        values = filters.cleaned_data
        own_regulator = selectors.own_regulator(request.user)
        versions = selectors.guidance_filtered(
            selectors.published_guidance(),
            regulator=values.get("regulator"),
            level=values.get("level") or "",
            role=values.get("role"),
            topic=values.get("topic") or "",
            search=values.get("search") or "",
        )
        versions = selectors.own_regulator_first(versions, own_regulator)
        page = Paginator(versions, GUIDANCE_PER_PAGE).get_page(request.GET.get("page"))
        filtered = any(values.get(name) for name in ("search", "regulator", "level", "role", "topic"))
        return super().get_context_data(
            filters=filters,
            page=page,
            versions=list(page),
            filtered=filtered,
            own_regulator=own_regulator,
            **kwargs,
        )


class GuidanceVersionMixin:
    """Loads the version named in the URL (the current one when there is no number) for the asking person."""

    def version(self, **kwargs) -> LicenceGuidanceVersion:
        return selectors.guidance_version_for(
            self.request.user, regulator_code=kwargs["regulator"], slug=kwargs["slug"], number=kwargs.get("number")
        )


class ShowGuidanceView(GuidanceVersionMixin, TemplateView):
    """The current version of a guidance item, with its history. A superseded or draft version (editors only) is
    shown with a notice saying so."""

    template_name = "regulators/guidance_detail.html"

    def get_context_data(self, **kwargs):
        version = self.version(**kwargs)
        history = selectors.guidance_history(self.request.user, version)
        current = next((item for item in history if item.status == GuidanceStatus.PUBLISHED), None)
        previous = next((item for item in history if item.number < version.number), None)
        # A draft is previewed as it will read once published: publishing today reviews it today
        # (services.guidance_version_publish).
        reviewed_on = version.last_reviewed_on
        if reviewed_on is None and version.status == GuidanceStatus.DRAFT:
            reviewed_on = timezone.localdate()
        return super().get_context_data(
            version=version,
            regulator=version.guidance.regulator,
            history=history,
            current=current,
            previous=previous,
            roles=list(version.roles.order_by("name")),
            reviewed_on=reviewed_on,
        )


class ShowGuidanceChangesView(GuidanceVersionMixin, TemplateView):
    """What changed between two versions (`?from=1&to=2`; by default the current version against the one before)."""

    template_name = "regulators/guidance_changes.html"

    def get(self, request, *args, **kwargs) -> HttpResponse:
        # The compare form offers every version in both lists, so the same one twice is a slip, not a missing page.
        if request.GET.get("from") is not None and request.GET.get("from") == request.GET.get("to"):
            messages.error(request, "Choose two different versions to compare.")
            return redirect("regulators:show_guidance_changes", regulator=kwargs["regulator"], slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        current = self.version(**kwargs)
        history = selectors.guidance_history(user, current)
        by_number = {item.number: item for item in history}

        def chosen(name: str, default: int | None) -> LicenceGuidanceVersion:
            raw = self.request.GET.get(name)
            if raw is None:
                number = default
            else:
                try:
                    number = int(raw)
                except ValueError:
                    raise Http404("No such version.") from None
            if number not in by_number:
                raise Http404("No such version.")
            return by_number[number]

        earlier = [item.number for item in history if item.number < current.number]
        new = chosen("to", current.number)
        old = chosen("from", earlier[0] if earlier else None)
        if old.number == new.number:
            raise Http404("Choose two different versions.")
        if old.number > new.number:
            old, new = new, old
        sections = compared_sections(old, new)
        return super().get_context_data(
            old=old,
            new=new,
            regulator=new.guidance.regulator,
            sections=sections,
            changed=[section for section in sections if section["changed"]],
            history=history,
        )


# --- The clinician's own revalidation record -------------------------------------------------------------------------


class ShowRevalidationView(ClinicianProfileRequiredMixin, TemplateView):
    """The clinician's own revalidation status and record, with their regulator's requirements."""

    template_name = "regulators/revalidation_detail.html"

    def get_context_data(self, **kwargs):
        record = selectors.revalidation_record_of(self.profile)
        return super().get_context_data(
            profile=self.profile,
            regulator=self.profile.regulator,
            record=record,
            status=selectors.record_status(record),
            checkpoint=selectors.licence_checkpoint(self.profile),
            **kwargs,
        )


class EditRevalidationView(ClinicianProfileRequiredMixin, FormView):
    template_name = "regulators/revalidation_form.html"
    form_class = RevalidationForm

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "regulator": self.profile.regulator}

    def get_initial(self) -> dict:
        record = selectors.revalidation_record_of(self.profile)
        if record is None:
            return {}
        return {
            "last_revalidated_on": record.last_revalidated_on,
            # When the date was worked out from the last one, leave it to be worked out again.
            "next_due_on": None if record.last_revalidated_on else record.next_due_on,
            "designated_body": record.designated_body,
            "responsible_officer": record.responsible_officer,
            "confirmer": record.confirmer,
            "clinical_practice": record.clinical_practice,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(regulator=self.profile.regulator, **kwargs)

    def form_valid(self, form: RevalidationForm) -> HttpResponse:
        try:
            record = services.revalidation_record_save(
                profile=self.profile, answers=form.answers(), today=timezone.localdate()
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, f"Your next due date is {date_format(record.next_due_on, 'j F Y')}.")
        return redirect(reverse("regulators:show_revalidation"))


class EditGuidanceEmailsView(ClinicianProfileRequiredMixin, FormView):
    """The clinician's choice of the weekly email about changes to their licence guidance."""

    template_name = "regulators/guidance_emails_form.html"
    form_class = GuidanceEmailsForm

    def get_initial(self) -> dict:
        return {"wanted": "yes" if selectors.wants_guidance_emails(self.profile) else "no"}

    def form_valid(self, form: GuidanceEmailsForm) -> HttpResponse:
        wanted = form.cleaned_data["wanted"]
        services.guidance_emails_choose(profile=self.profile, wanted=wanted)
        messages.success(
            self.request,
            "We will email you when your licence guidance changes."
            if wanted
            else "We will not email you when your licence guidance changes. Changes still show on your home page.",
        )
        return redirect("talent:show_clinician_home")


urlpatterns: list = [
    path("licence/", ListGuidanceView.as_view(), name="list_guidance"),
    # Before the guidance patterns: "revalidation/change/" would otherwise read as a regulator and a slug.
    path("licence/revalidation/", ShowRevalidationView.as_view(), name="show_revalidation"),
    path("licence/revalidation/change/", EditRevalidationView.as_view(), name="edit_revalidation"),
    path("licence/emails/", EditGuidanceEmailsView.as_view(), name="edit_guidance_emails"),
    path("licence/<slug:regulator>/<slug:slug>/", ShowGuidanceView.as_view(), name="show_guidance"),
    path(
        "licence/<slug:regulator>/<slug:slug>/versions/<int:number>/",
        ShowGuidanceView.as_view(),
        name="show_guidance_version",
    ),
    path(
        "licence/<slug:regulator>/<slug:slug>/changes/",
        ShowGuidanceChangesView.as_view(),
        name="show_guidance_changes",
    ),
]
