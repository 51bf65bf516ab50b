"""Clinicians pages for training-body admins and HEE staff: a searchable list and one clinician's record.

Every row comes from `talent.selectors.clinicians_visible_to(user)`; every record opened is audited.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.generic import TemplateView

from accounts.audit import audit_record
from accounts.permissions import Permission
from accounts.views import PermissionRequiredMixin
from config.paginators import ListTotalPaginator
from pipeline.selectors import clinicians_list_total
from talent import selectors
from talent.filters import ClinicianFilter
from talent.models import ClinicianProfile, Dimension

CLINICIANS_PER_PAGE = 25


class ListCliniciansView(PermissionRequiredMixin, TemplateView):
    """Consenting clinicians the user may see, searchable and filterable through the URL (works without JS)."""

    permission_required = Permission.VIEW_CLINICIAN_RECORDS
    template_name = "talent/clinicians/list.html"

    def get_context_data(self, **kwargs):
        request = self.request
        shared_with = selectors.records_shared_with(request.user)
        filterset = ClinicianFilter(
            request.GET or None, queryset=selectors.clinicians_visible_to(request.user), request=request
        )
        clinicians = filterset.qs.order_by("full_name", "user_id")

        def total():
            filters = filterset.form.cleaned_data if filterset.is_bound else {}
            return clinicians_list_total(user=request.user, filters=filters, clinicians=clinicians)

        page = ListTotalPaginator(clinicians, CLINICIANS_PER_PAGE, total=total).get_page(request.GET.get("page"))
        today = timezone.localdate()
        rows = [{"profile": profile, "early_career": profile.is_early_career_on(today)} for profile in page]
        filter_names = [name for name in filterset.filters if name != "search"]
        filters_used = filterset.is_bound and any(
            request.GET.get(name) or request.GET.get(f"{name}_year") for name in filter_names
        )
        return super().get_context_data(
            filterset=filterset,
            form=filterset.form,
            page=page,
            total=page.paginator.total,
            rows=rows,
            filters_used=filters_used,
            searched=bool(request.GET.get("search", "").strip()),
            administered_bodies=(
                request.user.administered_bodies.order_by("name") if shared_with == selectors.TRAINING_BODY else []
            ),
            shared_with=shared_with,
            **kwargs,
        )


class ShowClinicianView(PermissionRequiredMixin, TemplateView):
    """One clinician's record: profile, interest timeline, latest self-assessment, experience and qualifications.
    Never equality data. Each view is written to the audit trail."""

    permission_required = Permission.VIEW_CLINICIAN_RECORDS
    template_name = "talent/clinicians/detail.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.profile = selectors.clinician_for(request.user, kwargs["profile_id"])
        audit_record(actor=request.user, action="clinician.viewed", subject=self.profile)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        profile: ClinicianProfile = self.profile
        assessment = selectors.latest_completed_assessment(profile)
        ratings = []
        if assessment is not None:
            by_dimension = {rating.dimension: rating for rating in assessment.ratings.all()}
            ratings = [
                {"dimension": dimension.label, "rating": by_dimension.get(dimension.value)} for dimension in Dimension
            ]
        return super().get_context_data(
            profile=profile,
            early_career=profile.is_early_career,
            timeline=list(selectors.interest_timeline(profile)),
            assessment=assessment,
            ratings=ratings,
            experiences=list(profile.experiences.all()),
            qualifications=list(profile.qualifications.all()),
            shared_with=selectors.records_shared_with(self.request.user),
            nominations=list(selectors.nominations_of_clinician(self.request.user, profile)),
            **kwargs,
        )


urlpatterns: list = [
    path("clinicians/", ListCliniciansView.as_view(), name="list_clinicians"),
    path("clinicians/<uuid:profile_id>/", ShowClinicianView.as_view(), name="show_clinician"),
]
