from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from ocenurzad.accounts.permissions import Perm, is_member, landing_perm
from ocenurzad.responses.selectors import response_counts

from .access import panel_view
from .dashboard import dashboard_duties
from .help import help_chapter, help_chapters, help_image_path, manual_digest
from .manual import manual_pdf_cached
from .selectors import report_last, yearly_report_due


@require_GET
def home(request):
    """/admin/: the dashboard, or paper entry for a clerk, or the login page."""
    if not request.user.is_authenticated or not is_member(request.user, request.office):
        return redirect(reverse("panel:login"))
    target = landing_perm(request.user)
    return redirect(reverse("panel:dashboard" if target == Perm.DASHBOARD else "panel:paper-entry"))


@require_GET
@panel_view(Perm.DASHBOARD)
def dashboard(request):
    office = request.office
    return render(
        request,
        "panel/dashboard.html",
        {
            "counts": response_counts(office=office),
            "last_report": report_last(office=office),
            "report_due": yearly_report_due(office=office),
            **dashboard_duties(office=office, user=request.user),
        },
    )


@require_GET
@panel_view(Perm.HELP)
def help_index(request):
    return render(request, "panel/help_index.html", {"chapters": help_chapters()})


@require_GET
@panel_view(Perm.HELP)
def help_manual_pdf(request):
    """The whole manual as one PDF with this office's name on the cover (Załącznik 1)."""
    office = request.office
    today = timezone.localdate()
    pdf = manual_pdf_cached(digest=manual_digest(), office_name=office.name, on=today)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"instrukcja-obslugi-{office.slug}-{today.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@panel_view(Perm.HELP)
def help_image(request, name):
    """A screenshot the manual shows (docs/pl/img)."""
    path = help_image_path(name=name)
    return FileResponse(path.open("rb"), content_type="image/png")


@require_GET
@panel_view(Perm.HELP)
def help_page(request, slug):
    chapter = help_chapter(slug=slug)
    return render(
        request,
        "panel/help_page.html",
        {"chapter": chapter, "chapters": help_chapters(), "slug": slug},
    )
