"""The talent app's API endpoints, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path

from talent.api import clinicians as api

urlpatterns = [
    path("me/profile/", api.MeProfileView.as_view(), name="api_me_profile"),
    path("me/interests/", api.MeInterestsView.as_view(), name="api_me_interests"),
    path("me/self-assessments/", api.MeSelfAssessmentsView.as_view(), name="api_me_self_assessments"),
    path("clinicians/", api.ClinicianListView.as_view(), name="api_clinician_list"),
    path("clinicians/<str:profile_id>/", api.ClinicianDetailView.as_view(), name="api_clinician_detail"),
]
