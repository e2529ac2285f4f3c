"""The office's panel at /admin/ of its address. Every view is guarded by panel_view."""

from django.urls import include, path

from ocenurzad.banner.views import banner_page

from . import views

app_name = "panel"

urlpatterns = [
    path("", views.home, name="home"),
    path("pulpit/", views.dashboard, name="dashboard"),
    path("raporty/", include("ocenurzad.reports.urls")),
    path("ankieta/", include("ocenurzad.surveys.panel_urls")),
    path("baner/", banner_page, name="banner"),
    path("pomoc/", views.help_index, name="help"),
    path("pomoc/instrukcja.pdf", views.help_manual_pdf, name="help-manual-pdf"),
    path("pomoc/img/<str:name>", views.help_image, name="help-image"),
    path("pomoc/<slug:slug>/", views.help_page, name="help-page"),
    path("", include("ocenurzad.accounts.urls")),
    path("urzad/", include("ocenurzad.offices.panel_urls")),
    path("ankiety-papierowe/", include("ocenurzad.responses.panel_urls")),
    path("druk/", include("ocenurzad.printing.urls")),
    path("skany/", include("ocenurzad.scans.urls")),
    path("dzialania/", include("ocenurzad.actions.urls")),
    path("", include("ocenurzad.audit.urls")),
    path("zadania/", include("ocenurzad.jobs.urls")),
]
