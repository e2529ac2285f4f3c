"""The actions register under admin/dzialania/."""

from django.urls import path

from . import panel_views as views

urlpatterns = [
    path("", views.action_list, name="actions"),
    path("nowe/", views.action_create_view, name="action-create"),
    path("przypomnienia/", views.reminders_view, name="reminders"),
    path("przypomnienia/ustawienia/", views.reminders_settings_view, name="reminders-settings"),
    path("przypomnienia/moje/", views.reminders_mine_view, name="reminders-mine"),
    path("eksport.<str:fmt>", views.action_export, name="actions-export"),
    path("<int:action_id>/", views.action_detail, name="action"),
    path("<int:action_id>/edycja/", views.action_edit, name="action-edit"),
    path("<int:action_id>/stan/", views.action_status_view, name="action-status"),
    path("<int:action_id>/zalacznik/", views.action_attachment, name="action-attachment"),
]
