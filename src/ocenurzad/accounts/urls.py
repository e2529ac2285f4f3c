"""Login, own account and the office's staff accounts — included at the panel's root, so
every name here is in the "panel" namespace (``panel:login``, ``panel:users`` …)."""

from django.urls import path

from . import views

urlpatterns = [
    path("logowanie/", views.OfficeLoginView.as_view(), name="login"),
    path("wyloguj/", views.OfficeLogoutView.as_view(), name="logout"),
    path("haslo/", views.password_change, name="password-change"),
    path("reset-hasla/", views.OfficePasswordResetView.as_view(), name="password-reset"),
    path(
        "reset-hasla/wyslano/",
        views.OfficePasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "reset-hasla/<uidb64>/<token>/",
        views.OfficePasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "reset-hasla/gotowe/",
        views.OfficePasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("weryfikacja/", views.otp_verify, name="otp-verify"),
    path("dwuetapowe/", views.otp_setup, name="otp-setup"),
    path("uzytkownicy/", views.users, name="users"),
    path("uzytkownicy/nowy/", views.user_create, name="user-create"),
    path("uzytkownicy/<int:pk>/", views.user_edit, name="user-edit"),
    path("uzytkownicy/<int:pk>/haslo/", views.user_set_password, name="user-set-password"),
    path("uzytkownicy/<int:pk>/odblokuj/", views.user_unlock, name="user-unlock"),
    path(
        "uzytkownicy/<int:pk>/wylacz-dwuetapowe/",
        views.user_otp_reset,
        name="user-otp-reset",
    ),
]
