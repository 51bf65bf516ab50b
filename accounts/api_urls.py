"""The accounts app's API endpoints, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path

from accounts import api

app_name = "accounts_api"

urlpatterns = [
    path("auth/token/", api.ObtainTokenView.as_view(), name="obtain_token"),
    path("me/", api.ShowMyAccountView.as_view(), name="show_my_account"),
]
