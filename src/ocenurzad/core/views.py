from django.shortcuts import render
from django.utils.translation import gettext as _


def error_page(request, status: int, title: str, message: str, *, link=None):
    """A plain Polish page for anything that went wrong, with a way back."""
    return render(
        request,
        "error.html",
        {"title": title, "message": message, "link": link},
        status=status,
    )


def page_not_found(request, exception=None):
    return error_page(
        request,
        404,
        _("Nie znaleziono strony"),
        _("Pod tym adresem nie ma strony. Proszę sprawdzić adres albo przejść do listy urzędów."),
    )


def bad_request(request, exception=None):
    return error_page(
        request,
        400,
        _("Nieprawidłowe żądanie"),
        _("Serwer nie mógł zrozumieć tego żądania. Nic nie zostało zapisane."),
    )


def permission_denied(request, exception=None):
    return error_page(request, 403, _("Brak dostępu"), _("Brak uprawnień do tej strony."))


def server_error(request):
    return error_page(
        request,
        500,
        _("Błąd serwera"),
        _("Wystąpił nieoczekiwany błąd. Prosimy spróbować ponownie za chwilę."),
    )
