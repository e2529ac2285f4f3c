import mimetypes

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@require_GET
def privacy(request):
    return render(request, "offices/privacy.html")


@require_GET
def accessibility(request):
    return render(request, "offices/accessibility.html")


@require_GET
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
