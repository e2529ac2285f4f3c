import copy

from django.db.models import Count, OuterRef, Subquery
from django.db.models.base import ModelState
from django.db.models.functions import Coalesce
from django.http import Http404

from ocenurzad.core import localcache

from .models import Department, Office, OfficeDomain


def office_by_slug(*, slug: str) -> Office | None:
    return Office.objects.filter(slug=slug, is_active=True).first()


def office_by_domain(*, domain: str) -> Office | None:
    row = (
        OfficeDomain.objects.select_related("office")
        .filter(domain=domain, office__is_active=True)
        .first()
    )
    return row.office if row else None


def office_for_resident(*, slug: str | None = None, domain: str | None = None) -> Office | None:
    """``office_by_slug`` / ``office_by_domain`` through the resident-page cache
    (core/localcache.py): up to RESIDENT_CACHE_SECONDS old. Each call returns its own
    copy, so a request may change it without touching the cached one."""
    if slug is not None:
        office = localcache.get_or_load(("office-slug", slug), lambda: office_by_slug(slug=slug))
    else:
        office = localcache.get_or_load(
            ("office-domain", domain), lambda: office_by_domain(domain=domain)
        )
    if office is None:
        return None
    return _own_copy(office)


def _own_copy(office: Office) -> Office:
    """What ``copy.copy(office)`` gives — a new instance with its own attribute dict and
    model state — without the pickling protocol it goes through for models (a few times
    slower, on every resident request); the languages list, the one mutable field value,
    copied too."""
    own = Office.__new__(Office)
    attributes = office.__dict__.copy()
    state = ModelState()
    state.__dict__.update(office._state.__dict__)
    state.fields_cache = office._state.fields_cache.copy()
    attributes["_state"] = state
    attributes["languages"] = copy.deepcopy(office.languages)
    own.__dict__ = attributes
    return own


def departments_for_resident(*, office: Office) -> list[Department]:
    """``departments_active`` through the resident-page cache (read-only)."""
    return localcache.get_or_load(
        ("departments", office.pk), lambda: departments_active(office=office)
    )


def offices_active() -> list[Office]:
    return list(Office.objects.filter(is_active=True).order_by("name"))


def departments_active(*, office: Office) -> list[Department]:
    return list(Department.objects.filter(office=office, is_active=True))


def department_get(*, office: Office, department_id) -> Department:
    """The office's department, or 404 — the same answer for missing and foreign ids."""
    try:
        return Department.objects.get(office=office, pk=int(department_id))
    except (Department.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def departments_for_panel(*, office: Office) -> list[Department]:
    """All the office's departments, active or not, in survey order, each with
    ``response_count`` (responses keep their department when it is switched off)."""
    return list(
        Department.objects.filter(office=office)
        .annotate(response_count=Count("responses"))
        .order_by("position", "name", "pk")
    )


def offices_for_operator() -> list[Office]:
    """Every office of the installation, active or not, each with ``response_count`` and
    ``domain_count``."""
    domains = (
        OfficeDomain.objects.filter(office=OuterRef("pk"))
        .values("office")
        .annotate(number=Count("pk"))
        .values("number")
    )
    return list(
        Office.objects.annotate(
            response_count=Count("responses"),
            domain_count=Coalesce(Subquery(domains), 0),
        ).order_by("name")
    )


def office_get_for_operator(*, office_id) -> Office:
    """Any office by id (the platform operator's look-up), or 404."""
    try:
        return Office.objects.get(pk=int(office_id))
    except (Office.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def office_domains(*, office: Office) -> list[OfficeDomain]:
    return list(OfficeDomain.objects.filter(office=office).order_by("domain"))
