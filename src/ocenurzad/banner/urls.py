"""Under ``baner/`` of the office's address; file names are stable for hot-linking."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.banner_page_moved, name="banner-page-moved"),
    path("ocen-urzad-<str:size>.svg", views.banner_svg, name="banner-svg"),
    path("ocen-urzad-<str:size>.png", views.banner_png, name="banner-png"),
    path("qr.svg", views.qr_svg, name="banner-qr-svg"),
    path("qr.png", views.qr_png, name="banner-qr-png"),
]
