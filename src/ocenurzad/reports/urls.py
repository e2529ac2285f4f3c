"""Panel URLs of reports (being built)."""

from django.urls import path

from ocenurzad.panel import views as panel_views

urlpatterns = [
    path("", panel_views.reports, name="reports"),
]
