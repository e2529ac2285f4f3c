import mimetypes

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from .selectors import offices_active


@require_safe
def platform_index(request):
    """The platform's own address: the list of active offices (root urls.py)."""
    return render(request, "core/platform_index.html", {"offices": offices_active()})


@require_safe
def privacy(request):
    # The smallest group a report shows (reports' REPORT_MIN_CELL, 5 by default).
    min_cell = int(getattr(settings, "REPORT_MIN_CELL", 5))
    return render(
        request,
        "offices/privacy.html",
        {
            "min_cell": min_cell,
            "scans_keep_hours": settings.SCANS_KEEP_HOURS,
            "scans_max_days": settings.SCANS_MAX_DAYS,
        },
    )


@require_safe
def accessibility(request):
    return render(request, "offices/accessibility.html")


@require_safe
@cache_control(max_age=3600, public=True)
def logo(request):
    office = request.office
    if not office.logo:
        raise Http404
    try:
        handle = office.logo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(office.logo.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    if content_type == "image/svg+xml":
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
