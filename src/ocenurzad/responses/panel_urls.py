"""Paper entry in the panel, under admin/ankiety-papierowe/ (namespace "panel")."""

from django.urls import path

from . import panel_views as views

urlpatterns = [
    path("", views.paper_entry, name="paper-entry"),
    path("ostatnie/", views.paper_recent_page, name="paper-recent"),
    path("cofnij/", views.paper_undo, name="paper-undo"),
    path("<int:pk>/", views.paper_edit, name="paper-edit"),
    path("<int:pk>/usun/", views.paper_delete, name="paper-delete"),
]
