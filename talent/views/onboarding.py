"""onboarding pages."""

urlpatterns: list = []
