from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ocenurzad.accounts.permissions import Perm, is_member, landing_perm
from ocenurzad.responses.selectors import response_counts

from .access import panel_view
from .selectors import report_last, yearly_report_due


@require_GET
def home(request):
    """/admin/: the dashboard, or paper entry for a clerk, or the login page."""
    if not request.user.is_authenticated or not is_member(request.user, request.office):
        return redirect(reverse("panel:login"))
    target = landing_perm(request.user)
    return redirect(reverse("panel:dashboard" if target == Perm.DASHBOARD
                            else "panel:paper-entry"))


@require_GET
@panel_view(Perm.DASHBOARD)
def dashboard(request):
    office = request.office
    return render(request, "panel/dashboard.html", {
        "counts": response_counts(office=office),
        "last_report": report_last(office=office),
        "report_due": yearly_report_due(office=office),
    })


@require_GET
@panel_view(Perm.REPORTS)
def reports(request):
    return render(request, "panel/reports_pending.html")
