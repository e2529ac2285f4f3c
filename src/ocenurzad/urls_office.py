"""One office's address: <slug>.<BASE_DOMAIN>, a custom domain, or /<slug>/ on the platform."""

from django.urls import include, path

from ocenurzad.offices import views as office_views
from ocenurzad.responses import views as response_views

urlpatterns = [
    path("", response_views.survey, name="survey"),
    path("wyslij/", response_views.survey_send, name="survey-send"),
    path("dziekujemy/", response_views.thanks, name="thanks"),
    path("ochrona-danych/", office_views.privacy, name="privacy"),
    path("deklaracja-dostepnosci/", office_views.accessibility, name="accessibility"),
    path("logo", office_views.logo, name="office-logo"),
    path("baner/", include("ocenurzad.banner.urls")),
    path("admin/", include("ocenurzad.panel.urls")),
]

handler400 = "ocenurzad.core.views.bad_request"
handler403 = "ocenurzad.core.views.permission_denied"
handler404 = "ocenurzad.core.views.page_not_found"
handler500 = "ocenurzad.core.views.server_error"
