from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ocenurzad.accounts.permissions import Perm, is_member, landing_perm
from ocenurzad.jobs.services import job_enqueue
from ocenurzad.responses.selectors import response_counts

from .access import panel_view
from .dashboard import dashboard_duties, dashboard_satisfaction
from .help import help_chapter, help_chapters, help_image_path
from .manual import manual_file, manual_render
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
            **dashboard_satisfaction(office=office, user=request.user),
            "this_year": timezone.localdate().year,
        },
    )


@require_GET
@panel_view(Perm.HELP)
def help_index(request):
    return render(request, "panel/help_index.html", {"chapters": help_chapters()})


@require_GET
@panel_view(Perm.HELP)
def help_manual_pdf(request):
    """The whole manual as one PDF with this office's name on the cover (Załącznik 1).

    Served at once when today's drawing is there; otherwise a background job draws it
    (tens of seconds) and its page links back here."""
    office = request.office
    today = timezone.localdate()
    path = manual_file(office=office, on=today)
    if path.exists():
        filename = f"instrukcja-obslugi-{office.slug}-{today.isoformat()}.pdf"
        return FileResponse(
            path.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
        )
    params = {"on": today.isoformat(), "url": request.path}
    key = f"manual:{office.pk}:{request.user.pk}:{path.parent.name}/{path.name}"
    job = job_enqueue(
        office=office,
        owner=request.user,
        handler=manual_render,
        title=_("Instrukcja obsługi (PDF)"),
        params=params,
        key=key,
    )
    if job.finished:  # drawn earlier today, and the file removed since: draw again
        job = job_enqueue(
            office=office,
            owner=request.user,
            handler=manual_render,
            title=_("Instrukcja obsługi (PDF)"),
            params=params,
        )
    return redirect(reverse("panel:job", args=[job.pk]))


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
