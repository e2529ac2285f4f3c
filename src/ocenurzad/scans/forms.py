"""What the "Wczytaj skany" pages ask. Every error names its field, in Polish."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocenurzad.responses.paper import period_max_days
from ocenurzad.surveys.models import SurveyVersion

from .services import collection_dates_error

MAX_FILES = 50


class _MultipleFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class _FilesField(forms.FileField):
    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Pliki ze skanami: naraz można wysłać najwyżej %(max)d plików.")
                % {"max": MAX_FILES}
            )
        return [super(_FilesField, self).clean(f, initial) for f in files]


class UploadForm(forms.Form):
    pliki = _FilesField(
        label=_("Pliki ze skanami"),
        widget=_MultipleFiles(attrs={"accept": ".pdf,.tif,.tiff,.png,.jpg,.jpeg"}),
        help_text=_("PDF (także wielostronicowy), TIFF, PNG lub JPEG; można wybrać kilka plików."),
        error_messages={
            "required": _("Pliki ze skanami: wybierz co najmniej jeden plik."),
            "empty": _("Pliki ze skanami: wybrany plik jest pusty (0 bajtów)."),
            "invalid": _("Pliki ze skanami: przeglądarka nie wysłała pliku — wybierz go ponownie."),
        },
    )
    data = forms.DateField(
        label=_("Data wypełnienia ankiet"),
        help_text=_(
            "Ta data zostanie zapisana przy wszystkich arkuszach z tych plików, np. dzień "
            "zebrania ankiet ze skrzynki. Domyślnie dzisiaj. Z początkiem okresu poniżej: "
            "ostatni dzień okresu zbierania."
        ),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Data wypełnienia ankiet: podaj datę."),
            "invalid": _("Data wypełnienia ankiet: wpisz prawdziwą datę."),
        },
    )
    od = forms.DateField(
        label=_("Początek okresu zbierania (nieobowiązkowo)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Początek okresu zbierania: wpisz prawdziwą datę.")},
    )
    bez_numeru = forms.BooleanField(
        label=_("Arkusze bez numeru w tych plikach to różne ankiety, każda zeskanowana jeden raz"),
        required=False,
        help_text=_(
            "Arkusze bez numeru (kopie jednego wydruku) mają ten sam kod, więc system nie "
            "rozpozna arkusza zeskanowanego drugi raz. Bez tego potwierdzenia poczekają na "
            "nie w protokole wczytania."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["data"].initial = timezone.localdate()
        self.fields["od"].help_text = _(
            "Gdy dnia wypełnienia nie znasz, bo ankiety zbierano przez dłuższy czas (np. urna "
            "opróżniana raz w miesiącu): pierwszy dzień tego okresu. Arkusze zostaną zapisane "
            "z okresem zbierania, a w raportach policzone w jego środkowym dniu. Okres może "
            "mieć najwyżej %(max)d dni."
        ) % {"max": period_max_days()}

    def clean(self):
        cleaned = super().clean()
        if "data" in cleaned and "od" in cleaned:
            error = collection_dates_error(filled_on=cleaned["data"], period_start=cleaned["od"])
            if error:
                # The end is fine by itself: what is wrong is the start, or the period.
                alone = collection_dates_error(filled_on=cleaned["data"], period_start=None)
                self.add_error("od" if cleaned["od"] and not alone else "data", error)
        return cleaned


class AssignForm(forms.Form):
    wersja = forms.ModelChoiceField(
        label=_("Wersja ankiety (kod w stopce strony)"),
        queryset=SurveyVersion.objects.none(),
        error_messages={
            "required": _("Wersja ankiety: wybierz wersję z listy."),
            "invalid_choice": _("Wersja ankiety: wybierz wersję z listy."),
        },
    )
    strona = forms.IntegerField(
        label=_("Strona arkusza"),
        min_value=1,
        max_value=9,
        error_messages={
            "required": _("Strona arkusza: podaj numer strony (np. 1)."),
            "invalid": _("Strona arkusza: podaj numer strony (np. 1)."),
            "min_value": _("Strona arkusza: najmniejszy numer to 1."),
            "max_value": _("Strona arkusza: arkusz nie ma tylu stron."),
        },
    )
    numer = forms.IntegerField(
        label=_("Numer arkusza (jeżeli jest w stopce)"),
        required=False,
        min_value=1,
        max_value=999_999_999,
        error_messages={
            "invalid": _("Numer arkusza musi być liczbą całkowitą, np. 101."),
            "min_value": _("Numer arkusza musi być liczbą dodatnią."),
            "max_value": _("Numer arkusza może mieć najwyżej 9 cyfr."),
        },
    )

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wersja"].queryset = SurveyVersion.objects.filter(
            office=office, status=SurveyVersion.Status.PUBLISHED
        ).order_by("-number")
        self.fields["wersja"].label_from_instance = lambda version: version.code
