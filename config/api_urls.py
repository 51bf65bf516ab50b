from django.urls import include, path

from accounts import api as accounts_api

urlpatterns = [
    path("auth/token/", accounts_api.TokenObtainView.as_view(), name="api_token"),
    path("me/", accounts_api.MeView.as_view(), name="api_me"),
    path("", include("talent.api_urls")),
    path("", include("pipeline.api_urls")),
    path("", include("pathways.api_urls")),
    path("", include("regulators.api_urls")),
]
