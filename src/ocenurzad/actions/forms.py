"""Forms of the actions register. Polish messages name the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ocenurzad.core.templatetags.languages import pl_format, pl_name
from ocenurzad.core.widgets import PolishOptionsSelect
from ocenurzad.offices.forms import ErrorSummaryMixin
from ocenurzad.reports.compute.hotspots import hot_spot_id_parse

from .attachments import AttachmentRejected, attachment_check
from .models import ActionKind, ActionStatus

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]


class DateInput(forms.DateInput):
    """A date typed as dd.mm.rrrr (the way Polish offices write dates), in a text field:
    the browser's own date picker orders day and month by the browser's locale."""

    def __init__(self, **kwargs):
        attrs = {"inputmode": "numeric", "autocomplete": "off", "size": "10"}
        super().__init__(format="%d.%m.%Y", attrs=attrs, **kwargs)


class ActionForm(ErrorSummaryMixin, forms.Form):
    title = forms.CharField(
        label=_("Tytuł działania"),
        max_length=200,
        error_messages={"required": _("Wpisz tytuł działania.")},
    )
    kind = forms.ChoiceField(
        label=_("Rodzaj"),
        choices=ActionKind.choices,
        widget=forms.RadioSelect,
        help_text=_("Naprawcze usuwa problem; doskonalące ulepsza to, co działa."),
    )
    targets = forms.MultipleChoiceField(
        label=_("Czego dotyczy (obszary i pytania ankiety)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    department = forms.ChoiceField(label=_("Wydział"), required=False, widget=PolishOptionsSelect)
    finding = forms.CharField(
        label=_("Co stwierdzono"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Np. wynik z raportu: „Czas oczekiwania, Wydział Komunikacji: 2,95 (n = 311)”."
        ),
    )
    hotspot_id = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    owner = forms.ChoiceField(label=_("Osoba odpowiedzialna — konto w panelu"), required=False)
    owner_name = forms.CharField(
        label=_("albo osoba odpowiedzialna spoza panelu (imię, nazwisko, stanowisko)"),
        max_length=200,
        required=False,
    )
    deadline = forms.DateField(
        label=_("Termin"),
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        help_text=_("Dzień, miesiąc i rok, np. 31.03.2027."),
        error_messages={
            "required": _("Podaj termin realizacji działania."),
            "invalid": _("Termin podaj jako datę, np. 31.03.2027."),
        },
    )
    notes = forms.CharField(
        label=_("Uwagi"), required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )
    may_publish = forms.BooleanField(
        label=_("Można opublikować (np. w wynikach badania na stronie urzędu)"), required=False
    )
    attachment = forms.FileField(
        label=_("Załącznik (PDF, PNG lub JPEG, do 5 MB)"),
        required=False,
        help_text=_("Np. protokół, notatka, zdjęcie nowego oznakowania."),
    )
    remove_attachment = forms.BooleanField(label=_("Usuń obecny załącznik"), required=False)

    def __init__(self, *args, targets=(), departments=(), owners=(), has_attachment=False, **kw):
        super().__init__(*args, **kw)
        self.target_map = {t.value: t for t in targets}
        # The survey's texts are Polish whatever the panel's language (lang="pl").
        self.fields["targets"].choices = [
            (
                t.value,
                (
                    pl_name(f"{t.area_label}: {t.label}")
                    if t.type == "item"
                    else pl_format(_("Obszar: %s"), t.label)
                ),
            )
            for t in targets
        ]
        self.department_map = {str(d.pk): d for d in departments}
        self.fields["department"].choices = [("", _("— cały urząd —"))] + [
            (str(d.pk), d.name) for d in departments
        ]
        self.owner_map = {str(u.pk): u for u in owners}
        self.fields["owner"].choices = [("", _("— nikt z panelu —"))] + [
            (str(u.pk), u.get_full_name() or u.get_username()) for u in owners
        ]
        if not has_attachment:
            del self.fields["remove_attachment"]
        self.checked_attachment = None

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            try:
                self.checked_attachment = attachment_check(upload)
            except AttachmentRejected as exc:
                raise forms.ValidationError(exc.message) from None
        return upload

    def clean_hotspot_id(self):
        # Only a report's hot-spot identifier is kept (the field is hidden: nobody types it).
        value = (self.cleaned_data.get("hotspot_id") or "").strip()
        return value if hot_spot_id_parse(value) else ""

    def clean(self):
        data = super().clean()
        if not data.get("owner") and not (data.get("owner_name") or "").strip():
            self.add_error(
                "owner_name",
                _("Wskaż osobę odpowiedzialną: wybierz konto albo wpisz imię i nazwisko."),
            )
        return data

    def action_data(self, *, kept_targets=()) -> dict:
        """The values for the services; targets carry their labels (kept with the action).
        ``kept_targets``: targets the action already had that the current survey no longer
        asks — they stay unless the form names them."""
        data = self.cleaned_data
        targets = [
            {"type": t.type, "key": t.key, "label": t.label}
            for value in data["targets"]
            if (t := self.target_map.get(value))
        ]
        targets.extend(kept_targets)
        return {
            "title": data["title"].strip(),
            "kind": data["kind"],
            "targets": targets,
            "department": self.department_map.get(data.get("department") or ""),
            "hotspot_id": data.get("hotspot_id", ""),
            "finding": data.get("finding", ""),
            "owner": self.owner_map.get(data.get("owner") or ""),
            "owner_name": (data.get("owner_name") or "").strip(),
            "deadline": data["deadline"],
            "notes": data.get("notes", ""),
            "may_publish": data.get("may_publish", False),
        }


class StatusForm(ErrorSummaryMixin, forms.Form):
    status = forms.ChoiceField(label=_("Nowy stan"), choices=ActionStatus.choices)
    on = forms.DateField(
        label=_("Data"),
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        required=False,
        help_text=_("Np. 15.02.2027. Puste pole oznacza dzisiaj."),
        error_messages={"invalid": _("Datę podaj np. jako 31.03.2027.")},
    )
    note = forms.CharField(
        label=_("Notatka do zmiany stanu"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FilterForm(forms.Form):
    stan = forms.ChoiceField(
        label=_("Stan"), required=False, choices=[("", _("wszystkie")), *ActionStatus.choices]
    )
    rodzaj = forms.ChoiceField(
        label=_("Rodzaj"), required=False, choices=[("", _("wszystkie")), *ActionKind.choices]
    )
    rok = forms.TypedChoiceField(label=_("Rok"), required=False, coerce=int, empty_value=None)
    wydzial = forms.TypedChoiceField(
        label=_("Wydział"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=PolishOptionsSelect,
    )
    po_terminie = forms.BooleanField(label=_("Tylko po terminie"), required=False)

    def __init__(self, *args, years=(), departments=(), **kw):
        super().__init__(*args, **kw)
        self.fields["rok"].choices = [("", _("wszystkie"))] + [(str(y), str(y)) for y in years]
        self.fields["wydzial"].choices = [("", _("wszystkie"))] + [
            (str(d.pk), d.name) for d in departments
        ]


MONTHS = [
    (1, _("styczeń")),
    (2, _("luty")),
    (3, _("marzec")),
    (4, _("kwiecień")),
    (5, _("maj")),
    (6, _("czerwiec")),
    (7, _("lipiec")),
    (8, _("sierpień")),
    (9, _("wrzesień")),
    (10, _("październik")),
    (11, _("listopad")),
    (12, _("grudzień")),
]


def _range_messages(message) -> dict:
    """One message for every way a number in a range can be wrong."""
    return dict.fromkeys(("min_value", "max_value", "invalid", "required"), message)


class ReminderSettingsForm(ErrorSummaryMixin, forms.Form):
    responsible_name = forms.CharField(
        label=_("Osoba odpowiedzialna wskazana w zarządzeniu (imię, nazwisko, stanowisko)"),
        max_length=200,
        required=False,
    )
    responsible_email = forms.EmailField(
        label=_("E-mail osoby odpowiedzialnej"),
        required=False,
        help_text=_("Ta osoba zawsze dostaje przypomnienie o raporcie rocznym."),
        error_messages={"invalid": _("Wpisz poprawny adres e-mail, np. sekretarz@gmina.pl.")},
    )
    yearly_report_month = forms.TypedChoiceField(
        label=_("Od którego miesiąca przypominać o raporcie za poprzedni rok"),
        choices=MONTHS,
        coerce=int,
    )
    scheduled_archive = forms.BooleanField(
        label=_("Zarchiwizuj raport roczny automatycznie, gdy nikt tego nie zrobi po terminie"),
        required=False,
    )
    grace_day = forms.IntegerField(
        label=_("Termin: dzień stycznia"),
        min_value=1,
        max_value=31,
        help_text=_("Domyślnie 31 — czas na wpisanie grudniowych ankiet papierowych."),
        error_messages=_range_messages(_("Podaj dzień od 1 do 31.")),
    )
    deadline_days = forms.IntegerField(
        label=_("Przypomnij o terminie działania tyle dni wcześniej"),
        min_value=0,
        max_value=90,
        error_messages=_range_messages(_("Podaj liczbę dni od 0 do 90.")),
    )
    monthly_digest = forms.BooleanField(
        label=_("Wysyłaj comiesięczne podsumowanie (administratorom i osobom z rolą raporty)"),
        required=False,
    )
