"""The pathways app's pages; each area keeps its URL patterns beside its views."""

from pathways.views import opportunities, pathways

app_name = "pathways"

urlpatterns = [*pathways.urlpatterns, *opportunities.urlpatterns]
