"""Panel forms for office data, departments and (for the operator) new offices.

Forms only read and check the shape of input; the services decide and save. Error
messages are Polish and say what to type, and ``error_summary`` lists every error with
the label of its field, for the summary at the top of the page.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .logo import LogoRejected, logo_check
from .models import Department, Office, OfficeType
from .networks import office_networks_parse
from .services import postal_code_validator

LANGUAGE_CHOICES = [("en", "English"), ("uk", "Українська"), ("de", "Deutsch")]


class ErrorSummaryMixin:
    """``error_summary``: one {"id", "label", "message"} per error, for the list at the
    top of a page; each item links to its input (``id``) and names it (``label``)."""

    def error_summary(self) -> list[dict]:
        items = [{"id": "", "label": "", "message": m} for m in self.non_field_errors()]
        for field in self:
            items += [
                {"id": field.auto_id, "label": field.label, "message": m} for m in field.errors
            ]
        return items


def _office_field(name: str, **kwargs) -> forms.Field:
    return Office._meta.get_field(name).formfield(**kwargs)


def _url_field(name: str, example: str) -> forms.Field:
    return _office_field(
        name,
        assume_scheme="https",
        error_messages={
            "invalid": _("Wpisz pełny adres strony, np. %(example)s.") % {"example": example}
        },
    )


class OfficeDataForm(ErrorSummaryMixin, forms.Form):
    name = _office_field(
        "name",
        label=_("Nazwa urzędu"),
        help_text=_("Tak jak na pieczęci, np. Urząd Miasta Świnoujście."),
        error_messages={"required": _("Wpisz nazwę urzędu.")},
    )
    office_type = _office_field("office_type", label=_("Rodzaj urzędu"))
    street_address = _office_field("street_address", label=_("Ulica i numer"))
    postal_code = _office_field(
        "postal_code",
        label=_("Kod pocztowy"),
        help_text=_("W postaci NN-NNN, np. 72-600."),
        validators=[postal_code_validator],
    )
    city = _office_field("city", label=_("Miejscowość"))
    phone = _office_field("phone", label=_("Telefon"))
    email = _office_field(
        "email",
        label=_("Adres e-mail urzędu"),
        error_messages={"invalid": _("Wpisz poprawny adres e-mail, np. sekretariat@gmina.pl.")},
    )
    website = _url_field("website", "https://www.gmina.pl")
    bip_url = _url_field("bip_url", "https://bip.gmina.pl")
    logo = forms.FileField(
        label=_("Nowe logo"),
        required=False,
        help_text=_(
            "PNG, JPEG albo SVG, najwyżej 1 MB i 2000 na 2000 pikseli. Logo w formacie SVG "
            "nie może zawierać skryptów ani odnośników do innych plików."
        ),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/svg+xml"}),
    )
    remove_logo = forms.BooleanField(label=_("Usuń obecne logo"), required=False)
    opening_hours = _office_field(
        "opening_hours",
        label=_("Godziny otwarcia"),
        help_text=_("Np. poniedziałek 8:00–16:00, wtorek–piątek 7:30–15:30."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    controller = _office_field(
        "controller",
        label=_("Administrator danych osobowych"),
        help_text=_(
            "Np. Burmistrz Miasta Świnoujście, ul. Wojska Polskiego 1/5, 72-600 "
            "Świnoujście. Pokazujemy to w informacji o ochronie danych."
        ),
    )
    dpo_contact = _office_field(
        "dpo_contact",
        label=_("Kontakt do inspektora ochrony danych"),
        help_text=_("Np. iod@gmina.pl, tel. 91 000 00 00."),
    )
    accessibility_contact = _office_field(
        "accessibility_contact",
        label=_("Kontakt w sprawie dostępności"),
        help_text=_("Osoba lub adres podawane w deklaracji dostępności."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Dodatkowe języki ankiety"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    require_2fa = _office_field(
        "require_2fa",
        label=_("Wymagaj logowania dwuetapowego od wszystkich kont urzędu"),
        help_text=_("Każde konto urzędu będzie potwierdzać logowanie kodem z aplikacji."),
    )

    networks = forms.CharField(
        label=_("Sieci urzędu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Adresy sieci, z których wychodzi do internetu Wi-Fi dla interesantów w "
            "urzędzie, każdy w osobnym wierszu, np. 203.0.113.0/28 albo 2001:db8:12::/48 "
            "(poda je dział IT). Ankiety wysłane z tych sieci liczą się razem, z wyższym "
            "limitem — interesanci na sali nie zablokują się nawzajem."
        ),
    )

    def __init__(self, *args, office: Office, **kwargs):
        kwargs.setdefault(
            "initial",
            {name: getattr(office, name) for name in self.base_fields if hasattr(office, name)}
            | {
                "languages": list(office.languages or []),
                "logo": None,
                "networks": "\n".join(office.networks or []),
            },
        )
        super().__init__(*args, **kwargs)
        self.office = office
        if not office.logo:
            del self.fields["remove_logo"]

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        try:
            return logo_check(upload)
        except LogoRejected as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean_networks(self):
        try:
            return office_networks_parse(self.cleaned_data.get("networks") or "")
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("logo") and cleaned.get("remove_logo"):
            self.add_error(
                "remove_logo",
                _("Wybierz jedno: wgraj nowe logo albo usuń obecne."),
            )
        return cleaned

    def office_data(self) -> dict:
        """The values for ``office_update(data=…)`` (everything but the logo)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("logo", "remove_logo")
        }


class DepartmentNameForm(ErrorSummaryMixin, forms.Form):
    name = forms.CharField(
        label=_("Nazwa wydziału"),
        max_length=Department._meta.get_field("name").max_length,
        error_messages={"required": _("Wpisz nazwę wydziału.")},
    )


class OfficeCreateForm(ErrorSummaryMixin, forms.Form):
    slug = forms.CharField(
        label=_("Adres urzędu (identyfikator)"),
        max_length=63,
        help_text=_(
            "Małe litery bez polskich znaków, cyfry i łączniki, np. gmina-ksiazki. Urząd "
            "będzie pod adresem gmina-ksiazki.<domena platformy> oraz /gmina-ksiazki/."
        ),
        error_messages={"required": _("Wpisz adres urzędu.")},
    )
    name = forms.CharField(
        label=_("Nazwa urzędu"),
        max_length=200,
        error_messages={"required": _("Wpisz nazwę urzędu.")},
    )
    office_type = forms.ChoiceField(label=_("Rodzaj urzędu"), choices=OfficeType.choices)
    departments = forms.CharField(
        label=_("Wydziały"),
        required=False,
        help_text=_("Jeden wydział w wierszu, w kolejności, w jakiej mają być w ankiecie."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    admin_username = forms.CharField(
        label=_("Nazwa użytkownika"),
        max_length=150,
        error_messages={"required": _("Wpisz nazwę użytkownika administratora.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    admin_first_name = forms.CharField(label=_("Imię"), max_length=150, required=False)
    admin_last_name = forms.CharField(label=_("Nazwisko"), max_length=150, required=False)
    admin_email = forms.EmailField(
        label=_("Adres e-mail"),
        required=False,
        error_messages={"invalid": _("Wpisz poprawny adres e-mail, np. jan.kowalski@gmina.pl.")},
    )
    admin_password = forms.CharField(
        label=_("Hasło początkowe"),
        strip=False,
        help_text=_(
            "Co najmniej 10 znaków, nie same cyfry, niepodobne do nazwy użytkownika. "
            "Przekaż je administratorowi bezpiecznie; zmieni je po pierwszym logowaniu."
        ),
        error_messages={"required": _("Wpisz hasło początkowe.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def department_names(self) -> list[str]:
        return (self.cleaned_data.get("departments") or "").splitlines()


class OfficeDomainForm(ErrorSummaryMixin, forms.Form):
    domain = forms.CharField(
        label=_("Domena"),
        max_length=300,
        help_text=_("Sama nazwa, np. ankieta.gmina.pl — bez https:// i bez ukośnika."),
        error_messages={"required": _("Wpisz domenę, np. ankieta.gmina.pl.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
