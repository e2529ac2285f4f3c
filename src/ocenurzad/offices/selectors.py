from django.http import Http404

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
