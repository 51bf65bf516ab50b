"""The pathways app's API endpoints, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path

from pathways import api

urlpatterns = [
    path("pathways/", api.PathwayListView.as_view(), name="api_pathway_list"),
    path("pathways/<slug:slug>/", api.PathwayDetailView.as_view(), name="api_pathway_detail"),
    path("opportunities/", api.OpportunityListView.as_view(), name="api_opportunity_list"),
    path("opportunities/<str:opportunity_id>/", api.OpportunityDetailView.as_view(), name="api_opportunity_detail"),
]
