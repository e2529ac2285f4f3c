"""Reports in the office panel (included at admin/raporty/, in the "panel" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.report_form, name="reports"),
    path("podglad/", views.report_preview, name="report-preview"),
    path("pobierz/<str:fmt>/", views.report_download, name="report-download"),
    path("archiwizuj/", views.report_archive_create, name="report-archive-create"),
    path("archiwum/", views.report_archive, name="report-archive"),
    path("archiwum/<int:pk>/<str:fmt>/", views.archived_report_file, name="archived-report-file"),
]
