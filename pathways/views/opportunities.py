"""Opportunity pages: browse (open now, kind, eligible for me) and read one, with "eligible for you" for clinicians.

Eligibility needs only the profile and the opportunity, so it is worked out in Python on the rows already loaded:
never a query per row.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.views.generic import TemplateView

from pathways.forms import OpportunityFilterForm, filters_from
from pathways.models import Opportunity
from pathways.presenters import dates_text, eligibility_sentence
from pathways.selectors import eligibility_for, opportunities_visible_to, opportunity_readable_by
from pathways.views.pathways import cleared_message
from talent.selectors import profile_of

OPPORTUNITIES_PER_PAGE = 20


def window_status(opportunity: Opportunity, today) -> str:
    if today < opportunity.opens_on:
        return "opens_later"
    if today > opportunity.closes_on:
        return "closed"
    return "open"


class ListOpportunitiesView(TemplateView):
    """Published opportunities, closing soonest first, filterable through the URL."""

    template_name = "pathways/opportunity_list.html"

    def get_context_data(self, **kwargs):
        request = self.request
        today = timezone.localdate()
        profile = profile_of(request.user)
        filters, cleared = filters_from(OpportunityFilterForm, request.GET)
        cleared_message(request, cleared)
        values = filters.cleaned_data
        if values.get("eligible") and profile is None:
            messages.info(
                request,
                "Only clinicians who have told us about themselves can see which opportunities they are eligible "
                "for, so we are showing all opportunities.",
            )
            values["eligible"] = False
        opportunities = opportunities_visible_to(request.user)
        if values.get("open"):
            opportunities = opportunities.filter(opens_on__lte=today, closes_on__gte=today)
        if values.get("kind"):
            opportunities = opportunities.filter(kind=values["kind"])
        rows = [
            {
                "opportunity": opportunity,
                "window": window_status(opportunity, today),
                "eligibility": eligibility_for(opportunity=opportunity, profile=profile, today=today)
                if profile
                else None,
            }
            for opportunity in opportunities.order_by("closes_on", "title", "pk")
        ]
        if values.get("eligible"):
            rows = [row for row in rows if row["eligibility"].eligible]
        page = Paginator(rows, OPPORTUNITIES_PER_PAGE).get_page(request.GET.get("page"))
        return super().get_context_data(
            filters=filters,
            page=page,
            rows=page.object_list,
            filtered=any(values.get(name) for name in ("open", "kind", "eligible")),
            profile=profile,
            **kwargs,
        )


class ShowOpportunityView(TemplateView):
    """One opportunity: what it is, who may apply, and for a clinician whether they are eligible or why not."""

    template_name = "pathways/opportunity_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        opportunity = opportunity_readable_by(user, kwargs["slug"])
        if opportunity is None:
            raise Http404("No such opportunity.")
        today = timezone.localdate()
        profile = profile_of(user)
        return super().get_context_data(
            opportunity=opportunity,
            window=window_status(opportunity, today),
            eligibility_sentence=eligibility_sentence(opportunity),
            dates=dates_text(opportunity),
            profile=profile,
            eligibility=eligibility_for(opportunity=opportunity, profile=profile, today=today) if profile else None,
            **kwargs,
        )


urlpatterns: list = [
    path("opportunities/", ListOpportunitiesView.as_view(), name="list_opportunities"),
    path("opportunities/<slug:slug>/", ShowOpportunityView.as_view(), name="show_opportunity"),
]
