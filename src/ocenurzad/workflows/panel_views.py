"""What the panel pages of visible changes show about § 5 (view layer): the notice before
saving and the message after, with a link to the report. The pages themselves stay in
their apps (offices, surveys); they call ``visible_changes`` and these helpers."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .visible_changes import ChangeOutcome, visible_change_plan


def report_plan_context(request) -> dict:
    """``report_plan`` for the include ``workflows/_report_before_change.html``."""
    return {"report_plan": visible_change_plan(office=request.office)}


def archived_pdf_url(report) -> str:
    try:
        return reverse("panel:archived-report-file", args=[report.pk, "pdf"])
    except NoReverseMatch:  # the reports' pages are not installed
        return ""


def report_message(outcome: ChangeOutcome) -> str:
    """The sentence (with the report's link) added after a saved change; empty when
    nothing residents see changed."""
    change = outcome.change
    if change is None:
        return ""
    when = change.report_as_of
    stamp = timezone.localtime(when).strftime("%d.%m.%Y, %H:%M")
    if change.report_reused:
        text = _(
            "Od poprzedniego raportu z dotychczasowych wyników (stan na %(when)s) nie wpłynęła "
            "żadna ankieta, więc zmiana odwołuje się do tego raportu (nr %(number)d)."
        ) % {"when": stamp, "number": change.report_id}
    else:
        text = _(
            "Przed zmianą zapisano w archiwum raport z dotychczasowych wyników (nr %(number)d, "
            "stan na %(when)s)."
        ) % {"when": stamp, "number": change.report_id}
    href = archived_pdf_url(change.report)
    if href:
        return format_html('{} <a href="{}">{}</a>', text, href, _("Pobierz ten raport (PDF)"))
    return text


def saved(request, text: str, outcome: ChangeOutcome) -> None:
    """``text`` as a success message, followed by what § 5 archived for the change."""
    extra = report_message(outcome)
    messages.success(request, format_html("{} {}", text, extra) if extra else text)


def to_job(job):
    """The page of the background job that draws the report and then makes the change."""
    return redirect("panel:job", job.pk)
