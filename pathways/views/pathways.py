"""Pathway pages: browse and search published pathways, read one with its steps, and (clinicians) save it."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views import View
from django.views.generic import TemplateView

from accounts.models import User
from pathways import services
from pathways.forms import PathwayFilterForm, filters_from
from pathways.models import Pathway, PathwayStep, SavedPathway
from pathways.recommendations import for_profession
from pathways.selectors import (
    opportunities_visible_to,
    pathway_readable_by,
    pathways_searched,
    pathways_visible_to,
)
from regulators.models import Profession
from regulators.selectors import licence_checkpoint_for_role
from talent.models import Dimension
from talent.selectors import profile_of
from talent.views.mixins import ClinicianProfileRequiredMixin

PATHWAYS_PER_PAGE = 20


def profession_labels(codes: list[str]) -> list[str]:
    """Profession codes as words; an empty list means any profession."""
    labels = dict(Profession.choices)
    return [labels.get(code, code) for code in codes] or ["Any profession"]


def cleared_message(request: HttpRequest, cleared: list[str]) -> None:
    """Say which filters were cleared because their values were not ones we know."""
    if cleared:
        names = [label.lower() for label in cleared]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        which = "that filter" if len(names) == 1 else "those filters"
        messages.info(request, f"We did not recognise the {joined} you chose, so we cleared {which}.")


class ListPathwaysView(TemplateView):
    """Published pathways, searchable and filterable by profession and target role through the URL."""

    template_name = "pathways/pathway_list.html"

    def get_context_data(self, **kwargs):
        request = self.request
        query = request.GET.copy()
        if "profession" not in query:
            # A clinician starts at the pathways for their own profession; "Any profession" stays a choice.
            profile = profile_of(request.user)
            if profile is not None:
                query["profession"] = profile.profession
        filters, cleared = filters_from(PathwayFilterForm, query)
        cleared_message(request, cleared)
        values = filters.cleaned_data
        pathways = pathways_visible_to(request.user)
        if values.get("profession"):
            pathways = pathways.filter(for_profession(values["profession"]))
        if values.get("role"):
            pathways = pathways.filter(target_role=values["role"])
        pathways = pathways_searched(pathways, values.get("search") or "")
        page = Paginator(pathways, PATHWAYS_PER_PAGE).get_page(request.GET.get("page"))
        rows = [{"pathway": pathway, "professions": profession_labels(pathway.professions)} for pathway in page]
        filtered = any(values.get(name) for name in ("search", "profession", "role"))
        return super().get_context_data(
            filters=filters,
            page=page,
            rows=rows,
            filtered=filtered,
            searched=bool(values.get("search")),
            **kwargs,
        )


def pathway_for(user: User, slug: str) -> Pathway:
    """A published pathway; drafts and unknown slugs are 404 for everyone."""
    pathway = pathways_visible_to(user).filter(slug=slug).first()
    if pathway is None:
        raise Http404("No such pathway.")
    return pathway


def pathway_page_for(user: User, slug: str) -> Pathway:
    """The pathway a page shows: published, or a draft previewed by a content editor; 404 otherwise."""
    pathway = pathway_readable_by(user, slug)
    if pathway is None:
        raise Http404("No such pathway.")
    return pathway


class ShowPathwayView(TemplateView):
    """A pathway's summary, body and numbered steps, with a save button for clinicians with a profile."""

    template_name = "pathways/pathway_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        pathway = pathway_page_for(user, kwargs["slug"])
        steps = (
            PathwayStep.objects.filter(pathway=pathway)
            .order_by("order")
            .prefetch_related(
                Prefetch(
                    "suggested_opportunities", queryset=opportunities_visible_to(user).order_by("closes_on", "title")
                )
            )
        )
        dimension_labels = dict(Dimension.choices)
        rows = [
            {"step": step, "dimensions": [dimension_labels.get(code, code) for code in step.dimensions]}
            for step in steps
        ]
        profile = profile_of(user)
        return super().get_context_data(
            licence_checkpoint=licence_checkpoint_for_role(profile, pathway.target_role),
            pathway=pathway,
            professions=profession_labels(pathway.professions),
            steps=rows,
            profile=profile,
            saved=profile is not None and SavedPathway.objects.filter(profile=profile, pathway=pathway).exists(),
            **kwargs,
        )


class SavedPathwayChangeMixin(ClinicianProfileRequiredMixin):
    """POST only. Anonymous people sign in and come back to the pathway (not to this POST-only address)."""

    http_method_names = ["post"]

    def handle_no_permission(self) -> HttpResponse:
        return redirect_to_login(reverse("pathways:show_pathway", kwargs={"slug": self.kwargs["slug"]}))


class SavePathwayView(SavedPathwayChangeMixin, View):
    """Save a pathway to the clinician's home. Other roles 403; drafts 404."""

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        pathway = pathway_for(request.user, slug)
        services.pathway_save(profile=self.profile, pathway=pathway)
        messages.success(request, f"“{pathway.title}” is saved. You will find it on your home page.")
        return redirect("pathways:show_pathway", slug=pathway.slug)


class UnsavePathwayView(SavedPathwayChangeMixin, View):
    """Remove a pathway from the clinician's saved pathways."""

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        pathway = pathway_for(request.user, slug)
        services.pathway_unsave(profile=self.profile, pathway=pathway)
        messages.success(request, f"“{pathway.title}” is no longer in your saved pathways.")
        return redirect("pathways:show_pathway", slug=pathway.slug)


urlpatterns: list = [
    path("pathways/", ListPathwaysView.as_view(), name="list_pathways"),
    path("pathways/<slug:slug>/", ShowPathwayView.as_view(), name="show_pathway"),
    path("pathways/<slug:slug>/save/", SavePathwayView.as_view(), name="save_pathway"),
    path("pathways/<slug:slug>/unsave/", UnsavePathwayView.as_view(), name="unsave_pathway"),
]
