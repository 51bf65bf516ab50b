from django.urls import include, path

urlpatterns = [
    path("", include("accounts.api_urls")),
    path("", include("talent.api_urls")),
    path("", include("pipeline.api_urls")),
    path("", include("pathways.api_urls")),
    path("", include("regulators.api_urls")),
]
