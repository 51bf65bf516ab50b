"""The regulators app's pages: licence guidance and the clinician's revalidation record."""

from regulators import views

urlpatterns = views.urlpatterns
