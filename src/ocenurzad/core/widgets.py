"""Form widgets shared by the panel's forms."""

from django import forms
from django.utils.translation import get_language


class PolishOptionsSelect(forms.Select):
    """A select whose options (but the empty one) the office entered in Polish —
    department names, a survey's answers: on a page in another language each option
    carries ``lang="pl"`` (WCAG 3.1.2). An option can hold no markup, so the attribute
    goes on the option itself."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value not in ("", None) and (get_language() or "pl") != "pl":
            option["attrs"] = {**option["attrs"], "lang": "pl"}
        return option
