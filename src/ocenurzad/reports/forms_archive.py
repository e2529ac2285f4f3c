"""What "Archiwizuj raport" asks besides the report's own parameters: why, and a note."""

from django import forms
from django.utils.translation import gettext_lazy as _

PURPOSE_MAX = 300
NOTE_MAX = 2000


class ArchiveForm(forms.Form):
    """Both are stored and shown exactly as typed (escaped on every page)."""

    cel = forms.CharField(
        label=_("Powód archiwizacji"),
        max_length=PURPOSE_MAX,
        help_text=_("Np. „raport roczny 2025 dla kierownictwa”."),
        error_messages={
            "required": _("Powód archiwizacji: wpisz, dlaczego raport trafia do archiwum."),
            "max_length": _("Powód archiwizacji: najwyżej %(limit_value)d znaków."),
        },
    )
    notatka = forms.CharField(
        label=_("Notatka (nieobowiązkowa)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Notatka: najwyżej %(limit_value)d znaków.")},
    )

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                auto_id = self[name].auto_id
                ids = [f"{auto_id}_helptext"] if self.fields[name].help_text else []
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(
                    [*ids, f"{auto_id}_error"]
                )
