"""assessment pages."""

urlpatterns: list = []
