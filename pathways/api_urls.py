"""The pathways app's API endpoints, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path

from pathways import api

app_name = "pathways_api"

urlpatterns = [
    path("pathways/", api.ListPathwaysView.as_view(), name="list_pathways"),
    path("pathways/<slug:slug>/", api.ShowPathwayView.as_view(), name="show_pathway"),
    path("opportunities/", api.ListOpportunitiesView.as_view(), name="list_opportunities"),
    path("opportunities/<str:opportunity_id>/", api.ShowOpportunityView.as_view(), name="show_opportunity"),
]
