"""clinicians pages."""

urlpatterns: list = []
