"""Logging in and out, own password and second factor, and the office's staff accounts.

Thin: parse, call one service or selector, render. Who may do what is said by
``panel_view`` and ``accounts.permissions``; the rules of a change live in services.
"""

from functools import wraps
from urllib.parse import urlencode

import django_otp
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import user_has_device

from ocenurzad.core.middleware import language_remember
from ocenurzad.panel.access import login_url, panel_view

from . import selectors, services
from .forms import (
    OfficeLoginForm,
    OfficePasswordResetForm,
    OTPCodeForm,
    PolishPasswordChangeForm,
    PolishSetPasswordForm,
    StaffUserCreateForm,
    StaffUserEditForm,
)
from .permissions import Perm, is_member
from .throttling import (
    client_login_blocked,
    password_reset_address_allowed,
    password_reset_client_allowed,
)

# Marks a page of one's own account: the panel menu is shown, no menu item is current.
ACCOUNT_PAGE = "account"


def _safe_next(request, default: str | None = None) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or reverse("panel:home")


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _second_factor_due(request, user) -> bool:
    """Right after a password login: must this account give (or set up) a code?"""
    return user_has_device(user) or bool(request.office and request.office.require_2fa)


def _account_page(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.panel_perm = ACCOUNT_PAGE
        return view(request, *args, **kwargs)

    return wrapped


def _signed_in_member(view):
    """For the second-factor pages, which ``panel_view`` itself sends people to: logged
    in here with a password, second factor given or not."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.office is None:
            raise Http404
        if not request.user.is_authenticated:
            return HttpResponseRedirect(login_url(request))
        if not is_member(request.user, request.office):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


# --- logging in and out ---------------------------------------------------------------------


class OfficeLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = OfficeLoginForm

    def dispatch(self, request, *args, **kwargs):
        if request.office is None:
            raise Http404
        if is_member(request.user, request.office) and request.method == "GET":
            return HttpResponseRedirect(_safe_next(request))
        if request.method == "POST" and client_login_blocked(request):
            return get_lockout_response(request, None, {})
        return super().dispatch(request, *args, **kwargs)

    def get_default_redirect_url(self):
        return reverse("panel:home")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reset_by_mail"] = services.mail_delivers()
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        # The language of the login page (?lang=, for nobody was logged in to keep it)
        # becomes the panel's for the session.
        language_remember(self.request, self.request.LANGUAGE_CODE)
        if _second_factor_due(self.request, form.get_user()):
            return HttpResponseRedirect(_with_next("panel:otp-verify", self.get_success_url()))
        return response

    def form_invalid(self, form):
        if getattr(self.request, "axes_locked_out", False):
            services.login_lock_remember(
                request=self.request, username=form.data.get("username", "")
            )
        return super().form_invalid(form)


class OfficeLogoutView(auth_views.LogoutView):
    """POST only (Django refuses GET): a link cannot log anybody out. The login page
    that follows is in the panel's language (the session that kept it is gone)."""

    def get_default_redirect_url(self):
        return reverse("panel:login") + self.request.lang_query

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Wylogowano. Do zobaczenia!"))
        return response


# --- second factor ------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@_signed_in_member
def otp_verify(request):
    """The 6-digit code after the password. Wrong codes count like wrong passwords: the
    fifth locks the account (and this client) as django-axes does for passwords."""
    user = request.user
    next_url = _safe_next(request)
    if user.is_verified():
        return HttpResponseRedirect(next_url)
    device = selectors.totp_device_confirmed(user=user)
    if device is None:
        if request.office.require_2fa:
            return HttpResponseRedirect(_with_next("panel:otp-setup", next_url))
        return HttpResponseRedirect(next_url)
    credentials = {"username": user.get_username()}
    if client_login_blocked(request) or selectors.login_locked(
        request=request, username=user.get_username()
    ):
        auth_logout(request)
        return get_lockout_response(request, None, credentials)
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            allowed, _info = device.verify_is_allowed()
            code = form.cleaned_data["code"]
            if allowed and services.totp_code_check(user=user, device=device, token=code):
                django_otp.login(request, device)
                return HttpResponseRedirect(next_url)
            form.add_error(
                "code",
                _("Ten kod jest nieprawidłowy albo już nieaktualny — wpisz bieżący kod.")
                if allowed
                else _("Zbyt wiele prób w krótkim czasie. Odczekaj chwilę i wpisz nowy kod."),
            )
        if services.login_failure_record(request=request, username=user.get_username()):
            auth_logout(request)  # the lock-out page follows (django-axes middleware)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


@never_cache
@require_http_methods(["GET", "POST"])
@_signed_in_member
def otp_setup(request):
    """Set up the code app (QR code or typed secret), or turn it off.

    Reached before any other panel page when the office requires a second factor and the
    account has none. With a device already on, the code must have been given first."""
    user, office = request.user, request.office
    device = selectors.totp_device_confirmed(user=user)
    if device is not None and not user.is_verified():
        return HttpResponseRedirect(_with_next("panel:otp-verify", request.get_full_path()))
    if device is not None or not office.require_2fa:
        request.panel_perm = ACCOUNT_PAGE
    if device is not None:
        return _otp_enabled(request, device)
    return _otp_start(request)


def _otp_enabled(request, device):
    if request.method == "POST" and request.POST.get("action") == "disable":
        try:
            services.totp_disable(office=request.office, actor=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Logowanie dwuetapowe zostało wyłączone."))
        return redirect("panel:otp-setup")
    return render(request, "accounts/otp_setup.html", {"device": device, "enabled": True})


def _otp_start(request):
    user = request.user
    next_url = _safe_next(request)
    pending = services.totp_device_start(user=user)
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = pending.verify_is_allowed()
        if allowed and services.totp_device_confirm(
            office=request.office, actor=user, device=pending, token=form.cleaned_data["code"]
        ):
            django_otp.login(request, pending)
            messages.success(
                request,
                _("Logowanie dwuetapowe jest włączone. Przy logowaniu podasz teraz także kod."),
            )
            return HttpResponseRedirect(next_url)
        form.add_error(
            "code",
            _(
                "Kod się nie zgadza. Sprawdź, czy kod QR został zeskanowany, i wpisz "
                "bieżący kod z aplikacji."
            )
            if allowed
            else _("Zbyt wiele prób w krótkim czasie. Odczekaj chwilę i wpisz nowy kod."),
        )
    context = {
        "form": form,
        "enabled": False,
        "forced": request.office.require_2fa,
        "next": next_url,
        **selectors.totp_setup_info(device=pending),
    }
    return render(request, "accounts/otp_setup.html", context)


# --- own password -------------------------------------------------------------------------


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
@panel_view(Perm.HELP)
@_account_page
def password_change(request):
    form = PolishPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.account_password_change(
            office=request.office, actor=request.user, password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Hasło zostało zmienione."))
        return redirect("panel:home")
    return render(request, "accounts/password_change.html", {"form": form})


# --- forgotten password (by e-mail) -----------------------------------------------------------


class OfficePasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = OfficePasswordResetForm
    subject_template_name = services.RESET_SUBJECT_TEMPLATE
    email_template_name = services.RESET_EMAIL_TEMPLATE
    success_url = reverse_lazy("panel:password-reset-done")
    title = gettext_lazy("Nie pamiętasz hasła?")

    def get_success_url(self):
        return super().get_success_url() + self.request.lang_query

    def dispatch(self, request, *args, **kwargs):
        if request.office is None:
            raise Http404
        if not services.mail_delivers():
            return render(request, "accounts/password_reset_unavailable.html", status=200)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "office": self.request.office}

    def form_valid(self, form):
        # Throttled per client (an IPv6 client by its /64) and per address, in the
        # database: without it one request a millisecond mails anyone's inbox full.
        if not password_reset_client_allowed(self.request):
            form.add_error(
                None,
                _(
                    "Z tego urządzenia poproszono już o zbyt wiele linków do zmiany hasła. "
                    "Spróbuj ponownie za godzinę albo poproś administratora urzędu o "
                    "ustawienie nowego hasła."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if not password_reset_address_allowed(form.cleaned_data["email"]):
            # The same answer as for a sent link: nobody learns whether the address exists.
            return HttpResponseRedirect(self.get_success_url())
        self.extra_email_context = services.password_reset_mail_context(
            office=self.request.office,
            domain=self.request.get_host(),
            protocol="https" if self.request.is_secure() else "http",
        )
        return super().form_valid(form)


class OfficePasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    title = gettext_lazy("Sprawdź skrzynkę e-mail")


@method_decorator(sensitive_post_parameters(), name="dispatch")
class OfficePasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = PolishSetPasswordForm
    success_url = reverse_lazy("panel:password-reset-complete")
    title = gettext_lazy("Ustaw nowe hasło")

    def get_success_url(self):
        return super().get_success_url() + self.request.lang_query

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        office = self.request.office
        if user is None or office is None or user.office_id != office.pk:
            return None
        return user


class OfficePasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    title = gettext_lazy("Hasło ustawione")


# --- the office's staff accounts --------------------------------------------------------------


@require_http_methods(["GET"])
@panel_view(Perm.USERS)
def users(request):
    staff = list(selectors.staff_users(office=request.office))
    locked = selectors.usernames_locked_out(usernames=[u.username for u in staff])
    for person in staff:
        person.locked_out = person.username in locked
    return render(request, "accounts/users.html", {"staff": staff})


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
@panel_view(Perm.USERS)
def user_create(request):
    form = StaffUserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.staff_user_create(
                office=request.office,
                actor=request.user,
                username=data["username"],
                password=data["password1"],
                role=data["role"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Utworzono konto %(login)s.") % {"login": person.username})
            return redirect("panel:users")
    return render(request, "accounts/user_create.html", {"form": form})


@require_http_methods(["GET", "POST"])
@panel_view(Perm.USERS)
def user_edit(request, pk: int):
    person = selectors.staff_user_get(office=request.office, user_id=pk)
    form = StaffUserEditForm(request.POST or None, actor=request.user, user=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_user_update(
                office=request.office, actor=request.user, user=person, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Zapisano zmiany konta %(login)s.") % {"login": person})
            return redirect("panel:users")
    context = {
        "form": form,
        "person": person,
        "locked_out": bool(selectors.usernames_locked_out(usernames=[person.username])),
        "is_self": person.pk == request.user.pk,
    }
    return render(request, "accounts/user_edit.html", context)


@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
@panel_view(Perm.USERS)
def user_set_password(request, pk: int):
    """A new password typed by the administrator — or, where mail is delivered and the
    account has an address, a link mailed to the person to choose one themselves."""
    person = selectors.staff_user_get(office=request.office, user_id=pk)
    by_mail = services.mail_delivers() and bool(person.email)
    form = None if by_mail else PolishSetPasswordForm(person, request.POST or None)
    if request.method == "POST":
        if by_mail:
            services.staff_user_password_reset_send(
                office=request.office,
                actor=request.user,
                user=person,
                domain=request.get_host(),
                use_https=request.is_secure(),
            )
            messages.success(
                request,
                _("Wysłano link do ustawienia hasła na adres %(email)s.") % {"email": person.email},
            )
            return redirect("panel:user-edit", pk=person.pk)
        if form.is_valid():
            services.staff_user_password_set(
                office=request.office,
                actor=request.user,
                user=person,
                password=form.cleaned_data["new_password1"],
            )
            messages.success(
                request,
                _("Ustawiono nowe hasło dla konta %(login)s. Przekaż je tej osobie bezpiecznie.")
                % {"login": person.username},
            )
            return redirect("panel:user-edit", pk=person.pk)
    return render(
        request,
        "accounts/user_set_password.html",
        {"form": form, "person": person, "by_mail": by_mail},
    )


@require_POST
@panel_view(Perm.USERS)
def user_unlock(request, pk: int):
    person = selectors.staff_user_get(office=request.office, user_id=pk)
    was_locked = services.staff_user_unlock(office=request.office, actor=request.user, user=person)
    if was_locked:
        messages.success(request, _("Odblokowano konto %(login)s.") % {"login": person.username})
    else:
        messages.info(
            request, _("Konto %(login)s nie było zablokowane.") % {"login": person.username}
        )
    return redirect("panel:users")


@require_POST
@panel_view(Perm.USERS)
def user_otp_reset(request, pk: int):
    person = selectors.staff_user_get(office=request.office, user_id=pk)
    if services.staff_user_totp_reset(office=request.office, actor=request.user, user=person):
        messages.success(
            request,
            _("Wyłączono logowanie dwuetapowe konta %(login)s.") % {"login": person.username},
        )
    else:
        messages.info(request, _("To konto nie miało logowania dwuetapowego."))
    return redirect("panel:user-edit", pk=person.pk)
