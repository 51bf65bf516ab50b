"""The talent app's pages; each area keeps its own URL patterns beside its views."""

from talent.views import (
    assessment,
    clinicians,
    data_rights,
    home,
    members,
    nominations,
    nudges,
    onboarding,
    pools,
    records,
)

app_name = "talent"

urlpatterns = [
    *home.urlpatterns,
    *onboarding.urlpatterns,
    *records.urlpatterns,
    *assessment.urlpatterns,
    *clinicians.urlpatterns,
    *data_rights.urlpatterns,
    *nominations.urlpatterns,
    *nudges.urlpatterns,
    *members.urlpatterns,
    *pools.urlpatterns,
]
