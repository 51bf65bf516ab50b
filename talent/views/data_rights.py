"""data_rights pages."""

urlpatterns: list = []
