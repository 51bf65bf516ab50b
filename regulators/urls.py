"""The regulators app's pages: licence guidance and the clinician's revalidation record."""

from regulators import views

app_name = "regulators"

urlpatterns = views.urlpatterns
