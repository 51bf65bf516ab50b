"""The accounts app's API endpoints, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path

from accounts import api

app_name = "accounts_api"

urlpatterns = [
    path("auth/token/", api.ObtainTokenView.as_view(), name="obtain_token"),
    path("auth/tokens/", api.ListApiTokensView.as_view(), name="list_api_tokens"),
    path("auth/tokens/<str:token_key>/", api.RevokeApiTokenView.as_view(), name="revoke_api_token"),
    path("me/", api.ShowMyAccountView.as_view(), name="show_my_account"),
]
