"""Panel: the departments' names in the resident languages (admin/urzad/wydzialy/tlumaczenia/).

One form, one field per department and switched-on language, saved as one change."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ocenurzad.accounts.permissions import Perm
from ocenurzad.panel.access import panel_view
from ocenurzad.workflows import visible_changes as section5
from ocenurzad.workflows.panel_views import report_plan_context, saved, to_job

from .forms import ErrorSummaryMixin
from .selectors import departments_for_panel
from .translations import NAME_MAX_LENGTH

FIELD_LABELS = {
    "en": gettext_lazy("Nazwa po angielsku"),
    "uk": gettext_lazy("Nazwa po ukraińsku"),
    "de": gettext_lazy("Nazwa po niemiecku"),
}


class DepartmentTranslationsForm(ErrorSummaryMixin, forms.Form):
    def __init__(self, *args, departments, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for department in departments:
            row = {"department": department, "fields": []}
            for code in languages:
                name = f"d{department.pk}_{code}"
                self.fields[name] = forms.CharField(
                    label=FIELD_LABELS[code],
                    required=False,
                    max_length=NAME_MAX_LENGTH,
                    initial=(department.name_translations or {}).get(code, ""),
                    widget=forms.TextInput(attrs={"lang": code}),
                    error_messages={
                        "max_length": _("Nazwa może mieć najwyżej %(limit_value)d znaków.")
                    },
                )
                self.fields[name].language = code
                row["fields"].append(name)
            self.rows.append(row)
        for row in self.rows:
            row["bound"] = [self[name] for name in row["fields"]]

    def names(self) -> dict[int, dict[str, str]]:
        result: dict[int, dict[str, str]] = {}
        for row in self.rows:
            result[row["department"].pk] = {
                self.fields[name].language: self.cleaned_data.get(name, "")
                for name in row["fields"]
            }
        return result


@require_http_methods(["GET", "POST"])
@panel_view(Perm.OFFICE_DATA)
def department_translations(request):
    office = request.office
    languages = [code for code in office.enabled_languages if code != settings.LANGUAGE_CODE]
    departments = departments_for_panel(office=office)
    form = DepartmentTranslationsForm(
        request.POST or None, departments=departments, languages=languages
    )
    if request.method == "POST" and form.is_valid():
        # § 5: department names residents read, with the report of the results so far
        # (drawn by a background job when it is long; the job then saves the names).
        if section5.visible_change_in_background(office=office):
            names = {str(pk): value for pk, value in form.names().items()}
            job = section5.visible_change_enqueue(
                office=office,
                actor=request.user,
                operation="departments",
                params={"operations": [{"op": "translate", "names": names}]},
            )
            return to_job(job)
        try:
            outcome = section5.department_names_translate_save(
                office=office, actor=request.user, names=form.names()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except section5.ReportNotDrawn as exc:
            form.add_error(None, exc.message)
        else:
            saved(
                request,
                _("Zapisano tłumaczenia nazw wydziałów (zmienione wydziały: %(count)d).")
                % {"count": outcome.result},
                outcome,
            )
            return redirect("panel:department-translations")
    return render(
        request,
        "offices/panel/department_translations.html",
        {"form": form, "languages": languages, **report_plan_context(request)},
        status=400 if form.is_bound and form.errors else 200,
    )
