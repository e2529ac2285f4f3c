"""The audit log page; included at the panel's root (admin/dziennik/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("dziennik/", views.audit_log, name="audit"),
]
