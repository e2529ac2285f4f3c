"""Find the office a request is for: by host name, custom domain or path prefix.

- ``<slug>.<BASE_DOMAIN>`` and ``<slug>.localhost``: the office's own host.
- a domain listed on the office (OfficeDomain).
- ``/<slug>/…`` on the platform's own address (the embedded default, no DNS).

For the path form the prefix is moved into the script prefix, so the office's URL
configuration and every ``reverse()`` behave exactly as under the office's own host.
"""

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import set_script_prefix, set_urlconf

from ocenurzad.core import localcache

from .selectors import office_by_domain, office_by_slug, office_for_resident

# Office-relative paths of staff pages: they read the office fresh from the database on
# every request; all other (resident) pages go through the short-lived cache.
STAFF_PATH_PREFIXES = ("/admin",)


def _find(*, slug=None, domain=None, staff: bool):
    if staff:
        return office_by_slug(slug=slug) if slug is not None else office_by_domain(domain=domain)
    return office_for_resident(slug=slug, domain=domain)


def _host_without_port(request) -> str:
    host = request.get_host().lower()
    if host.startswith("["):
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0] if ":" in host else host


def _slug_from_host(host: str) -> str | None:
    for base in {settings.BASE_DOMAIN, "localhost"}:
        suffix = "." + base
        if host.endswith(suffix):
            label = host[: -len(suffix)]
            if label and "." not in label and label != "www":
                return label
    return None


class OfficeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Start from the deployment's own prefix on every request (the test client and
        # some servers do not reset it between requests on one thread).
        base_prefix = (request.META.get("SCRIPT_NAME") or "").rstrip("/") + "/"
        set_script_prefix(base_prefix)
        localcache.begin_request()
        request.office = None
        request.office_via_path = False
        request.resident_page = False
        host = _host_without_port(request)
        slug = _slug_from_host(host)
        staff = request.path_info.startswith(STAFF_PATH_PREFIXES)
        if slug is not None:
            request.office = _find(slug=slug, staff=staff)
            if request.office is None:
                return self._not_found(request)
        elif host not in _platform_hosts():
            request.office = _find(domain=host, staff=staff)
        if request.office is None:
            parts = request.path_info.split("/", 2)
            if len(parts) == 2 and parts[1] and _find(slug=parts[1], staff=False):
                # /<slug> without the trailing slash: relative links need the slash.
                query = request.META.get("QUERY_STRING", "")
                return HttpResponsePermanentRedirect(
                    request.path + "/" + ("?" + query if query else "")
                )
            self._resolve_path_prefix(request)
        # Resident pages (an office's address outside its panel) need no session, login
        # or messages: core/middleware.py skips those for them.
        request.resident_page = request.office is not None and not request.path_info.startswith(
            STAFF_PATH_PREFIXES
        )
        if request.office is not None:
            request.urlconf = settings.OFFICE_URLCONF
            # Django switches to request.urlconf only when it reaches the view; an error
            # page raised by a later middleware must already link within the office.
            set_urlconf(settings.OFFICE_URLCONF)
        try:
            return self.get_response(request)
        finally:
            localcache.begin_request()  # leave nothing behind for code run outside requests

    @staticmethod
    def _resolve_path_prefix(request):
        parts = request.path_info.split("/", 2)
        if len(parts) < 3 or not parts[1]:
            return
        staff = ("/" + parts[2]).startswith(STAFF_PATH_PREFIXES)
        office = _find(slug=parts[1], staff=staff)
        if office is None:
            return
        request.office = office
        request.office_via_path = True
        prefix = (request.META.get("SCRIPT_NAME") or "").rstrip("/") + "/" + office.slug + "/"
        request.path_info = "/" + parts[2]
        request.META["SCRIPT_NAME"] = prefix.rstrip("/")
        set_script_prefix(prefix)

    @staticmethod
    def _not_found(request):
        from ocenurzad.core.views import page_not_found

        return page_not_found(request, Http404())


def _platform_hosts() -> set[str]:
    return {
        "localhost",
        "127.0.0.1",
        "[::1]",
        "testserver",
        settings.BASE_DOMAIN,
        "www." + settings.BASE_DOMAIN,
    }
