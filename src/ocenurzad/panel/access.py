"""The door of every panel view: login, office membership, second factor, permission."""

from functools import wraps
from urllib.parse import urlencode

from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ocenurzad.accounts.permissions import Perm, can, is_member
from ocenurzad.core.views import error_page


def login_url(request) -> str:
    """The login page, coming back to this page afterwards, in this page's language
    (nobody is logged in to keep it in a session)."""
    query = {"next": request.get_full_path()}
    if request.lang_query:
        query["lang"] = request.LANGUAGE_CODE
    return f"{reverse('panel:login')}?{urlencode(query)}"


def second_factor_missing(request) -> bool:
    """True when this account must confirm a TOTP code (or set one up) first."""
    user = request.user
    verified = getattr(user, "is_verified", lambda: True)()
    if verified:
        return False
    from django_otp import user_has_device

    office = request.office
    return user_has_device(user) or bool(office and office.require_2fa)


def panel_view(perm: Perm):
    """Guard a panel view.

    - not logged in: to the login page, coming back afterwards;
    - an account of another office: 404, the same as a page that does not exist;
    - second factor required and not given: to the code (or set-up) page;
    - logged in here but the role lacks ``perm``: 403 page.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            office = request.office
            if office is None:
                raise Http404
            if not request.user.is_authenticated:
                return HttpResponseRedirect(login_url(request))
            if not is_member(request.user, office):
                raise Http404
            if second_factor_missing(request):
                return HttpResponseRedirect(reverse("panel:otp-verify"))
            if not can(request.user, office, perm):
                return error_page(
                    request,
                    403,
                    _("Brak uprawnień"),
                    _("Twoja rola nie pozwala korzystać z tej części panelu."),
                    link=(reverse("panel:home"), _("Wróć do panelu")),
                )
            request.panel_perm = perm
            return view(request, *args, **kwargs)

        wrapped.panel_perm = perm
        return wrapped

    return decorator
