from django.urls import path

from exports import views

app_name = "exports"

urlpatterns = [
    path("exports/", views.ListExportsView.as_view(), name="list_exports"),
    path("exports/<uuid:export_id>/download/", views.DownloadExportView.as_view(), name="download_export"),
]
