"""The office's data and departments, and the operator's offices — under admin/urzad/."""

from django.urls import path

from . import panel_translations
from . import panel_views as views

urlpatterns = [
    path("", views.office_data, name="office"),
    path("wydzialy/", views.departments, name="departments"),
    path(
        "wydzialy/tlumaczenia/",
        panel_translations.department_translations,
        name="department-translations",
    ),
    path("wydzialy/kolejnosc/", views.departments_reorder_view, name="departments-reorder"),
    path(
        "wydzialy/<int:department_id>/nazwa/",
        views.department_rename_view,
        name="department-rename",
    ),
    path(
        "wydzialy/<int:department_id>/kolejnosc/",
        views.department_move_view,
        name="department-move",
    ),
    path(
        "wydzialy/<int:department_id>/w-ankiecie/",
        views.department_active_view,
        name="department-active",
    ),
    path("urzedy/", views.offices, name="offices"),
    path("urzedy/nowy/", views.office_create_view, name="office-create"),
    path("urzedy/<int:office_id>/aktywny/", views.office_active_view, name="office-active"),
    path("urzedy/<int:office_id>/domeny/", views.office_domains_view, name="office-domains"),
    path(
        "urzedy/<int:office_id>/domeny/<int:domain_id>/usun/",
        views.office_domain_remove_view,
        name="office-domain-remove",
    ),
]
