"""home pages."""

urlpatterns: list = []
