"""Wczytaj skany in the office panel (included at admin/skany/, in the "panel" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.upload_page, name="scans"),
    path("wczytanie/<int:pk>/", views.import_page, name="scans-import"),
    path("wczytanie/<int:pk>/stan.json", views.import_status, name="scans-import-status"),
    path("do-sprawdzenia/", views.check_page, name="scans-check"),
    path("do-przepisania/", views.comments_page, name="scans-comments"),
    path("obraz/<str:kind>/<int:pk>/", views.image, name="scans-image"),
]
