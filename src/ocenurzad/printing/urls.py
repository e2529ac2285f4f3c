"""Printing in the office panel (included at admin/druk/, in the "panel" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.print_page, name="print"),
    path("ankieta.pdf", views.print_pdf, name="print-pdf"),
    path("arkusze.pdf", views.print_batch, name="print-batch"),
]
