"""What "Generuj raport" asks: the period, optional filters, the comparison, a note.

A GET form: its field names are the URL parameters of the preview and of every download,
so a report can be bookmarked and downloaded again with the same figures. Each error
message names its field, because it is also read out of context (in the error summary,
or by a screen reader jumping to the field).
"""

import re
from datetime import date
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocenurzad.core.widgets import PolishOptionsSelect
from ocenurzad.offices.models import Office
from ocenurzad.responses.models import Channel
from ocenurzad.surveys.definition import iter_questions, localized

from .periods import Compare, Kind, Period, PeriodError, period_for
from .selectors import CLIENT_TYPE_KEY

MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
YEAR_RE = re.compile(r"^\d{4}$")
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
# The parameters that define a report (the search and the note do not change its figures).
REPORT_FIELDS = (
    "okres", "rok", "kwartal", "miesiac", "od", "do", "wydzial", "kanal", "klient", "porownaj"
)  # fmt: skip

PERIOD_CHOICES = [
    (Kind.YEAR, _("Rok kalendarzowy")),
    (Kind.QUARTER, _("Kwartał")),
    (Kind.MONTH, _("Miesiąc")),
    (Kind.LAST_12_MONTHS, _("Ostatnie 12 pełnych miesięcy (bez bieżącego miesiąca)")),
    (Kind.CUSTOM, _("Wybrane dni (od – do)")),
]
QUARTER_CHOICES = [
    ("", _("— wybierz kwartał —")),
    ("1", _("I kwartał (styczeń–marzec)")),
    ("2", _("II kwartał (kwiecień–czerwiec)")),
    ("3", _("III kwartał (lipiec–wrzesień)")),
    ("4", _("IV kwartał (październik–grudzień)")),
]
COMPARE_CHOICES = [
    (Compare.NONE, _("bez porównania")),
    (
        Compare.PREVIOUS,
        _(
            "z poprzednim okresem: poprzednim rokiem, kwartałem, miesiącem albo 12 miesiącami "
            "(dla wybranych dni — z tyloma samymi dniami tuż przed nimi)"
        ),
    ),
    (
        Compare.YEAR_AGO,
        _("z tym samym okresem rok wcześniej (np. II kwartał z II kwartałem roku poprzedniego)"),
    ),
]
# Reports are asked for by the two channels the ordinances name; kiosk answers are counted
# with everything when no channel is chosen.
CHANNEL_CHOICES = [
    ("", _("wszystkie kanały")),
    (Channel.ONLINE, _("internet (ankieta elektroniczna)")),
    (Channel.PAPER, _("papierowa (ankiety wprowadzone w urzędzie)")),
]


class _MonthInput(forms.TextInput):
    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("maxlength", None)
        return context


class _DescribedErrors:
    """Point each invalid input at its error message (aria-describedby), with its help."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            auto_id = self[name].auto_id
            ids = [f"{auto_id}_helptext"] if self.fields[name].help_text else []
            self.fields[name].widget.attrs["aria-describedby"] = " ".join(
                [*ids, f"{auto_id}_error"]
            )


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class _CompareField(forms.ChoiceField):
    """The comparison; "on" (the checkbox of older bookmarked links) is the previous
    period."""

    def to_python(self, value):
        value = super().to_python(value)
        return Compare.PREVIOUS if value in ("on", "true", "1") else value


class ReportForm(_DescribedErrors, forms.Form):
    okres = forms.ChoiceField(
        label=_("Rodzaj okresu"),
        choices=PERIOD_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Okres: wybierz, jakiego okresu ma dotyczyć raport."),
            "invalid_choice": _("Okres: wybierz jeden z rodzajów okresu z listy."),
        },
    )
    rok = forms.CharField(
        label=_("Rok"),
        required=False,
        max_length=4,
        help_text=_("Dla roku i kwartału: cztery cyfry, np. 2025."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6, "autocomplete": "off"}),
        error_messages={"max_length": _("Rok: wpisz cztery cyfry, np. 2025.")},
    )
    kwartal = forms.ChoiceField(
        label=_("Kwartał"),
        required=False,
        choices=QUARTER_CHOICES,
        error_messages={"invalid_choice": _("Kwartał: wybierz kwartał od I do IV.")},
    )
    miesiac = forms.CharField(
        label=_("Miesiąc"),
        required=False,
        max_length=7,
        help_text=_("Rok i miesiąc w postaci RRRR-MM, np. 2025-03."),
        # A month input takes no maxlength (the Nu HTML Checker reports it); the field's
        # max_length still checks what is sent.
        widget=_MonthInput(attrs={"type": "month", "autocomplete": "off"}),
        error_messages={
            "max_length": _("Miesiąc: wpisz rok i miesiąc w postaci RRRR-MM, np. 2025-03.")
        },
    )
    od = forms.DateField(
        label=_("Od dnia"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=_DateInput(),
        help_text=_("Pierwszy dzień okresu, np. 2025-01-01 (lub 01.01.2025)."),
        error_messages={
            "invalid": _("Data „od”: wpisz datę w postaci RRRR-MM-DD, np. 2025-01-01.")
        },
    )
    do = forms.DateField(
        label=_("Do dnia (włącznie)"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=_DateInput(),
        help_text=_("Ostatni dzień okresu, wliczony do raportu; nie później niż dzisiaj."),
        error_messages={
            "invalid": _("Data „do”: wpisz datę w postaci RRRR-MM-DD, np. 2025-12-31.")
        },
    )
    wydzial = forms.TypedChoiceField(
        label=_("Wydział"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=PolishOptionsSelect,
        help_text=_("Tylko odpowiedzi osób, które wskazały ten wydział."),
        error_messages={
            "invalid_choice": _("Wydział: wybierz jeden z wydziałów tego urzędu z listy.")
        },
    )
    kanal = forms.ChoiceField(
        label=_("Kanał"),
        required=False,
        choices=CHANNEL_CHOICES,
        error_messages={
            "invalid_choice": _("Kanał: wybierz „internet”, „papierowa” albo wszystkie kanały.")
        },
    )
    klient = forms.ChoiceField(
        label=_("Rodzaj klienta"),
        required=False,
        widget=PolishOptionsSelect,
        help_text=_(
            "Tylko odpowiedzi osób, które w metryczce wskazały ten rodzaj klienta. Taki raport "
            "liczy się z pojedynczych ankiet okresu, więc powstaje wolniej."
        ),
        error_messages={
            "invalid_choice": _("Rodzaj klienta: wybierz jeden z rodzajów klienta z listy.")
        },
    )
    porownaj = _CompareField(
        label=_("Porównaj wyniki"),
        required=False,
        choices=COMPARE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Porównanie: wybierz jedną z możliwości z listy."),
        },
    )
    powod = forms.CharField(
        label=_("Powód (notatka)"),
        required=False,
        max_length=500,
        help_text=_(
            "Nieobowiązkowe. Zapisywane w archiwum razem z raportem PDF, np. „raport roczny "
            "dla kierownictwa”."
        ),
        error_messages={"max_length": _("Powód: najwyżej %(limit_value)d znaków.")},
    )
    # the open-answers search of the report on screen (the renderer shortens it)
    szukaj = forms.CharField(label=_("Szukaj w odpowiedziach otwartych"), required=False)

    def __init__(self, *args, office: Office, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office
        self.today = today or timezone.localdate()
        self.period: Period | None = None
        departments = list(office.departments.order_by("-is_active", "position", "name"))
        active = [(str(d.pk), d.name) for d in departments if d.is_active]
        # Departments taken out of the survey in a group of their own: an option holds the
        # name alone, which is Polish whatever the panel's language (lang="pl").
        inactive = [(str(d.pk), d.name) for d in departments if not d.is_active]
        self.fields["wydzial"].choices = [
            ("", _("wszystkie wydziały")),
            *active,
            *([(_("Wyłączone z ankiety"), inactive)] if inactive else []),
        ]
        self.fields["klient"].choices = [("", _("wszyscy klienci")), *client_type_choices(office)]
        # The usual yearly report covers the last full calendar year.
        self.fields["okres"].initial = Kind.YEAR
        self.fields["rok"].initial = str(self.today.year - 1)
        self.fields["miesiac"].initial = self.today.strftime("%Y-%m")
        # The yearly report compares with the previous year unless the reader says not to.
        self.fields["porownaj"].initial = Compare.PREVIOUS

    def _kind(self) -> str | None:
        return self.cleaned_data.get("okres")

    def clean_rok(self) -> int | None:
        value = (self.cleaned_data.get("rok") or "").strip()
        if self._kind() not in (Kind.YEAR, Kind.QUARTER) or not value:
            return None
        if not YEAR_RE.match(value):
            raise forms.ValidationError(
                _("Rok: wpisz cztery cyfry, np. %(year)s — „%(value)s” nie jest rokiem."),
                params={"year": self.today.year, "value": value},
            )
        return int(value)

    def clean_kwartal(self) -> int | None:
        value = self.cleaned_data.get("kwartal")
        return int(value) if value and self._kind() == Kind.QUARTER else None

    def clean_miesiac(self) -> tuple[int, int] | None:
        value = (self.cleaned_data.get("miesiac") or "").strip()
        if self._kind() != Kind.MONTH or not value:
            return None
        match = MONTH_RE.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(
                _("Miesiąc: wpisz rok i miesiąc w postaci RRRR-MM, np. 2025-03.")
            )
        return int(match.group(1)), int(match.group(2))

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("okres")
        needed = {
            Kind.YEAR: ("rok",),
            Kind.QUARTER: ("rok", "kwartal"),
            Kind.MONTH: ("miesiac",),
            Kind.CUSTOM: ("od", "do"),
        }.get(kind, ())
        if kind is None or any(name in self.errors for name in needed):
            return cleaned
        try:
            self.period = period_for(
                kind,
                today=self.today,
                year=cleaned.get("rok"),
                quarter=cleaned.get("kwartal"),
                month=cleaned.get("miesiac"),
                start=cleaned.get("od") if kind == Kind.CUSTOM else None,
                end=cleaned.get("do") if kind == Kind.CUSTOM else None,
            )
        except PeriodError as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)
        return cleaned

    def report_params(self) -> dict:
        """The keyword arguments of report_compute (without office and author)."""
        if self.period is None:
            raise RuntimeError("report_params() needs a valid form")
        return {
            "start": self.period.start,
            "end": self.period.end,
            "department_id": self.cleaned_data.get("wydzial"),
            "channel": self.cleaned_data.get("kanal") or None,
            "client_type": self.cleaned_data.get("klient") or None,
            "compare": self.cleaned_data.get("porownaj") or False,
            "kind": self.cleaned_data.get("okres"),
        }

    def report_fields(self) -> list[tuple[str, str]]:
        """(name, value) pairs that make this report again: for the download links and the
        hidden fields of the open-answers search."""
        pairs = []
        for name in (*REPORT_FIELDS, "powod"):
            for value in self.data.getlist(name) if hasattr(self.data, "getlist") else []:
                if value != "":
                    pairs.append((name, value))
        return pairs

    def query(self) -> str:
        return urlencode(self.report_fields())


def client_type_choices(office: Office) -> list[tuple[str, str]]:
    """The client types of the office's current survey (value, Polish label)."""
    survey = getattr(office, "survey", None)
    version = survey.current_version if survey is not None else None
    for _section, question in iter_questions(version.definition if version else {}):
        if question.get("key") == CLIENT_TYPE_KEY:
            return [
                (o["value"], localized(o.get("label"), "pl") or o["value"])
                for o in question.get("options") or []
            ]
    return []
