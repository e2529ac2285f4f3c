"""What the print page asks: the language of the form and, for numbered sheets, the
first number and how many. GET forms: their field names are the URL parameters."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ocenurzad.surveys.languages import languages_offered_now

from .pdf import MAX_SHEETS
from .selectors import print_batch_next_number, print_batches_overlapping

MAX_SHEET_NUMBER = 999_999  # six digits fit under the QR code


def _number_input():
    # Text with a numeric keyboard, not type="number": what was typed (even "x") is
    # shown again next to its error, which a number input cannot hold.
    return forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 8})


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


class LanguageForm(_DescribedErrors, forms.Form):
    jezyk = forms.ChoiceField(
        label=_("Język ankiety"),
        required=False,
        error_messages={"invalid_choice": _("Język ankiety: wybierz jeden z języków z listy.")},
    )

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office
        names = dict(settings.LANGUAGES)
        self.fields["jezyk"].choices = [
            # Only languages residents are offered: everything on the sheet is in them.
            (code, names.get(code, code))
            for code in languages_offered_now(office=office)
        ]
        self.fields["jezyk"].initial = settings.LANGUAGE_CODE

    def clean_jezyk(self) -> str:
        return self.cleaned_data.get("jezyk") or settings.LANGUAGE_CODE


class BatchForm(LanguageForm):
    od = forms.IntegerField(
        label=_("Pierwszy numer arkusza"),
        widget=_number_input(),
        min_value=1,
        max_value=MAX_SHEET_NUMBER,
        error_messages={
            "required": _("Podaj pierwszy numer arkusza."),
            "invalid": _("Pierwszy numer arkusza musi być liczbą całkowitą, np. 101."),
            "min_value": _("Pierwszy numer arkusza musi być liczbą dodatnią (co najmniej 1)."),
            "max_value": _("Pierwszy numer arkusza może wynosić najwyżej %(limit_value)s."),
        },
    )
    liczba = forms.IntegerField(
        label=_("Liczba arkuszy"),
        widget=_number_input(),
        min_value=1,
        max_value=MAX_SHEETS,
        error_messages={
            "required": _("Podaj liczbę arkuszy."),
            "invalid": _("Liczba arkuszy musi być liczbą całkowitą, np. 50."),
            "min_value": _("Liczba arkuszy musi wynosić co najmniej 1."),
            "max_value": _("Liczba arkuszy może wynosić najwyżej %(limit_value)s."),
        },
    )

    def __init__(self, *args, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["od"].initial = print_batch_next_number(office=self.office)
        self.fields["liczba"].help_text = _("Od 1 do %(max)s arkuszy naraz.") % {"max": MAX_SHEETS}

    def clean(self):
        cleaned = super().clean()
        first, count = cleaned.get("od"), cleaned.get("liczba")
        if first is not None and count is not None and first + count - 1 > MAX_SHEET_NUMBER:
            self.add_error(
                "liczba",
                _(
                    "Ostatni numer arkusza byłby większy niż %(max)s: zmniejsz pierwszy numer "
                    "albo liczbę arkuszy."
                )
                % {"max": MAX_SHEET_NUMBER},
            )
        elif first is not None and count is not None and self.version is not None:
            self._refuse_numbers_of_another_version(first, first + count - 1)
        return cleaned

    def _refuse_numbers_of_another_version(self, first: int, last: int) -> None:
        """A number printed before as another version would be ambiguous on paper entry."""
        for batch in print_batches_overlapping(office=self.office, first=first, last=last):
            if batch.version_id != self.version.pk:
                self.add_error(
                    "od",
                    _(
                        "Arkusze nr %(first)d–%(last)d wydrukowano już jako wersję %(code)s. "
                        "Numery arkuszy nowej wersji muszą być inne — zacznij od numeru "
                        "%(next)d."
                    )
                    % {
                        "first": batch.first_number,
                        "last": batch.last_number,
                        "code": batch.version.code,
                        "next": print_batch_next_number(office=self.office),
                    },
                )
                return

    @property
    def sheet_numbers(self) -> list[int]:
        first = self.cleaned_data["od"]
        return list(range(first, first + self.cleaned_data["liczba"]))
