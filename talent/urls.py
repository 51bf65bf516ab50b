"""The talent app's pages; each area keeps its own URL patterns beside its views."""

from talent.views import (
    assessment,
    clinicians,
    conversations,
    data_rights,
    feedback,
    followups,
    home,
    licence,
    members,
    mentoring,
    nominations,
    nudges,
    onboarding,
    plans,
    pools,
    records,
    succession,
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
    *followups.urlpatterns,
    *conversations.urlpatterns,
    *members.urlpatterns,
    *feedback.urlpatterns,
    *plans.urlpatterns,
    *mentoring.urlpatterns,
    *pools.urlpatterns,
    *licence.urlpatterns,
    *succession.urlpatterns,
]
