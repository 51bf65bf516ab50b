"""The talent pipeline's API endpoints, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path

from pipeline import api

app_name = "pipeline_api"

urlpatterns = [
    path("pipeline/summary/", api.ShowSummaryView.as_view(), name="show_summary"),
]
