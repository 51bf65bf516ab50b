"""Content editors' pages for the eligible population (register counts)."""

from django.urls import path

from population import views

app_name = "population"

urlpatterns = [
    path(
        "eligible-population/",
        views.ListEligiblePopulationUploadsView.as_view(),
        name="list_eligible_population_uploads",
    ),
    path(
        "eligible-population/upload/",
        views.UploadEligiblePopulationView.as_view(),
        name="upload_eligible_population",
    ),
]
