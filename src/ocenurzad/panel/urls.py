"""The office's panel at /admin/ of its address. Every view is guarded by panel_view."""

from django.urls import include, path

from . import views

app_name = "panel"

urlpatterns = [
    path("", views.home, name="home"),
    path("pulpit/", views.dashboard, name="dashboard"),
    path("raporty/", views.reports, name="reports"),
    path("", include("ocenurzad.accounts.urls")),
    path("urzad/", include("ocenurzad.offices.panel_urls")),
    path("ankiety-papierowe/", include("ocenurzad.responses.panel_urls")),
    path("druk/", include("ocenurzad.printing.urls")),
]
