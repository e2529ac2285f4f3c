"""Forms of the login pages and of the office's staff accounts. Labels are Polish; no
colon after labels; errors are listed at the top of each page and next to the field."""

import re

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from .models import User
from .permissions import is_member
from .services import login_failure_record, roles_assignable

INVALID_LOGIN = _("Nieprawidłowa nazwa użytkownika lub hasło.")


class PolishForm:
    """No colon after labels (they are on their own line)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class OfficeLoginForm(PolishForm, AuthenticationForm):
    """Only accounts of the current office (and the platform operator) get in; anybody
    else gets the same message as for a wrong password, and the attempt counts as a
    failed one."""

    error_messages = {
        "invalid_login": INVALID_LOGIN,
        "inactive": INVALID_LOGIN,
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Nazwa użytkownika (login)")
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].label = _("Hasło")

    def get_invalid_login_error(self):
        return forms.ValidationError(INVALID_LOGIN, code="invalid_login")

    def confirm_login_allowed(self, user):
        office = getattr(self.request, "office", None)
        if not is_member(user, office):
            login_failure_record(request=self.request, username=user.get_username())
            raise self.get_invalid_login_error()


class OTPCodeForm(PolishForm, forms.Form):
    code = forms.CharField(
        label=_("Kod z aplikacji (6 cyfr)"),
        max_length=12,
        help_text=_("Otwórz aplikację uwierzytelniającą w telefonie i przepisz bieżący kod."),
        error_messages={"required": _("Wpisz 6-cyfrowy kod z aplikacji.")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "size": "8",
                "autocapitalize": "none",
            }
        ),
    )

    def clean_code(self):
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError(_("Kod to 6 cyfr, np. 123456."), code="format")
        return code


def _role_field(*, actor, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Rola"), choices=roles_assignable(actor=actor), **kwargs)


# What each role's menu holds (accounts/permissions.py), in words; Pomoc is everyone's.
ROLE_HELP = _(
    "Administrator urzędu: wszystko w panelu urzędu. Raporty: pulpit, raporty, działania "
    "i druk ankiety. Wprowadzanie ankiet papierowych: wpisywanie ankiet papierowych i "
    "wczytywanie ich skanów."
)


class StaffUserCreateForm(PolishForm, forms.Form):
    username = forms.CharField(
        label=_("Nazwa użytkownika (login)"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Litery, cyfry i znaki . @ + - _ (bez spacji), np. jan.kowalski."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    first_name = forms.CharField(label=_("Imię"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nazwisko"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Adres e-mail"),
        required=False,
        help_text=_("Potrzebny, aby wysłać link do ustawienia hasła."),
    )
    password1 = forms.CharField(
        label=_("Hasło początkowe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Co najmniej 10 znaków, nie tylko cyfry i niepodobne do loginu. Przekaż je "
            "tej osobie bezpiecznie; hasło może potem zmienić sama."
        ),
    )
    password2 = forms.CharField(
        label=_("Powtórz hasło"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"] = _role_field(actor=actor, help_text=ROLE_HELP)
        # Keep the order of the page: who, role, then the password.
        order = ["username", "first_name", "last_name", "email", "role", "password1", "password2"]
        self.order_fields(order)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("To konto (login) już istnieje."), code="taken")
        return username

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Hasła nie są takie same."))
        elif first:
            candidate = User(
                username=cleaned.get("username", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
                email=cleaned.get("email", ""),
            )
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class StaffUserEditForm(PolishForm, forms.Form):
    first_name = forms.CharField(label=_("Imię"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nazwisko"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Adres e-mail"),
        required=False,
        help_text=_("Potrzebny, aby wysłać link do ustawienia hasła."),
    )
    is_active = forms.BooleanField(
        label=_("Konto aktywne"),
        required=False,
        help_text=_("Konto nieaktywne nie może się zalogować; jego wpisy w dzienniku zostają."),
    )
    raw_export = forms.BooleanField(
        label=_("Może pobierać odpowiedzi ankieta po ankiecie (CSV, arkusz „Dane surowe”)"),
        required=False,
        help_text=_(
            "Tylko dla roli „raporty”. Administrator urzędu ma to uprawnienie zawsze, "
            "operator platformy — nigdy. Każde pobranie jest zapisywane w dzienniku zmian."
        ),
    )

    def __init__(self, *args, actor, user: User, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "role": user.role,
                "is_active": user.is_active,
                "raw_export": user.raw_export,
            },
        )
        super().__init__(*args, **kwargs)
        choices = roles_assignable(actor=actor)
        if user.role not in dict(choices):  # shown, not changeable, by this actor
            choices = [(user.role, user.get_role_display()), *choices]
        self.fields["role"] = forms.ChoiceField(
            label=_("Rola"), choices=choices, help_text=ROLE_HELP
        )
        self.order_fields(["first_name", "last_name", "email", "role", "raw_export", "is_active"])
        if user.pk == actor.pk:
            note = _("Własnej roli ani aktywności konta nie możesz zmienić.")
            for name in ("role", "is_active", "raw_export"):
                self.fields[name].disabled = True
                self.fields[name].help_text = note


class OfficePasswordResetForm(PolishForm, PasswordResetForm):
    """Reset links go only to active accounts of the current office."""

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office
        self.fields["email"].label = _("Adres e-mail konta")

    def get_users(self, email):
        if self.office is None:
            return []
        users = User.objects.filter(office=self.office, email__iexact=email, is_active=True)
        return (user for user in users if user.has_usable_password())


class PolishSetPasswordForm(PolishForm, SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Nowe hasło")
        self.fields["new_password2"].label = _("Powtórz nowe hasło")


class PolishPasswordChangeForm(PolishForm, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Obecne hasło")
        self.fields["new_password1"].label = _("Nowe hasło")
        self.fields["new_password2"].label = _("Powtórz nowe hasło")
