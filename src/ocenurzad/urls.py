"""The platform's own address: the list of offices. Office addresses use urls_office."""

from django.urls import path

from ocenurzad.offices import views as office_views

urlpatterns = [
    path("", office_views.platform_index, name="platform-index"),
]

handler400 = "ocenurzad.core.views.bad_request"
handler403 = "ocenurzad.core.views.permission_denied"
handler404 = "ocenurzad.core.views.page_not_found"
handler500 = "ocenurzad.core.views.server_error"
