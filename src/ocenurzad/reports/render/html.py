"""The report as an HTML fragment: the body the panel page and the PDF both include."""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .context import SCREEN, report_context

TEMPLATE = "reports/report_body.html"


def report_html(
    report: dict, *, query: str | None = None, search_params: dict | None = None
) -> SafeString:
    """The report body (no ``<html>`` wrapper), sections as ``<h2>`` under the page's h1.

    ``query`` filters the open answers (case-insensitive substring, matches marked), as
    sent by the report's own search form (GET field ``szukaj``); the form submits to the
    current address, keeping ``search_params`` (e.g. the report's filters) as hidden
    fields. No script and no inline style: it fits the CSP ``style-src 'self'``.
    """
    context = report_context(report, medium=SCREEN, query=query, search_params=search_params)
    return render_to_string(TEMPLATE, context)
