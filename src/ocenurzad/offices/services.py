"""Changes to offices and their departments. Each one is a transaction with its audit entry.

Callers are panel views that already checked the permission (``Perm.OFFICE_DATA`` for an
office's own data and departments, ``Perm.OFFICES`` for creating and switching offices).
Refusals are ``ValidationError``s keyed by the name of the input that caused them, so a
form can show them next to that input.
"""

import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import RegexValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocenurzad.audit.services import audit_record, changed_fields

from .logo import CheckedLogo, logo_storage_name
from .models import (
    RESERVED_SLUGS,
    Department,
    Office,
    OfficeDomain,
    slug_validator,
)

postal_code_validator = RegexValidator(
    r"^\d{2}-\d{3}$",
    gettext_lazy("Wpisz kod pocztowy w postaci NN-NNN, np. 72-600."),
)

# What the office administrator edits on the "Dane urzędu" page (not slug, not is_active).
OFFICE_DATA_FIELDS = (
    "name",
    "office_type",
    "street_address",
    "postal_code",
    "city",
    "phone",
    "email",
    "website",
    "bip_url",
    "opening_hours",
    "controller",
    "dpo_contact",
    "accessibility_contact",
    "languages",
    "require_2fa",
    "networks",
)
EXTRA_LANGUAGES = ("en", "uk", "de")

# Office data that residents see — on the survey and its pages (thanks, privacy and
# accessibility pages), in the languages offered, on the printed form. § 5 of the
# ordinances wants a report of the results so far archived with any change of it
# (workflows.visible_changes). Not in it: what only staff see (require_2fa, networks).
RESIDENT_VISIBLE_FIELDS = frozenset(
    {
        "name",
        "office_type",
        "logo",
        "street_address",
        "postal_code",
        "city",
        "phone",
        "email",
        "website",
        "bip_url",
        "opening_hours",
        "controller",
        "dpo_contact",
        "accessibility_contact",
        "languages",
    }
)
# The former name.
SURVEY_VISIBLE_FIELDS = RESIDENT_VISIBLE_FIELDS

BeforeChange = Callable[..., None]


def office_change_affects_survey(before: dict, after: dict) -> bool:
    """Do these changes touch data residents see (``RESIDENT_VISIBLE_FIELDS``)?"""
    changed = {key for key in set(before) | set(after) if before.get(key) != after.get(key)}
    return bool(changed & RESIDENT_VISIBLE_FIELDS)


def office_changed_fields(
    *, office: Office, data: dict, logo: CheckedLogo | None = None, remove_logo: bool = False
) -> set[str]:
    """The names of the fields ``office_update`` with these arguments would change now
    (``logo`` for a new or removed logo). Reads only."""
    before = _office_snapshot(office)
    after = dict(before)
    after.update({k: v for k, v in data.items() if k in OFFICE_DATA_FIELDS})
    after["languages"] = _languages(after["languages"])
    if logo is not None:
        after["logo"] = "(new)"
    elif remove_logo:
        after["logo"] = ""
    return {key for key in after if before.get(key) != after.get(key)}


def _office_snapshot(office: Office) -> dict:
    values = {name: getattr(office, name) for name in OFFICE_DATA_FIELDS}
    values["languages"] = _languages(office.languages)
    values["logo"] = office.logo.name or ""
    return values


def _languages(codes: Iterable[str] | None) -> list[str]:
    wanted = set(codes or ())
    return [code for code in EXTRA_LANGUAGES if code in wanted]


def office_update(
    *,
    office: Office,
    actor,
    data: dict,
    logo: CheckedLogo | None = None,
    remove_logo: bool = False,
    before_change: BeforeChange | None = None,
) -> Office:
    """Save the office's own data (``OFFICE_DATA_FIELDS``) and, optionally, a new logo.

    Guarantees: all of it or nothing, with ONE audit entry holding only the changed
    fields before and after (the logo as its stored file name). Nothing changed, nothing
    recorded. ``before_change(office=…, before=…, after=…)`` runs inside the transaction
    before anything is saved, with the changed fields only — the place for work the
    ordinance wants done first (see ``office_change_affects_survey``); if it raises,
    nothing is saved. Refuses values the model or the postal-code rule refuses
    (ValidationError by field name). Unknown keys in ``data`` are ignored.
    """
    storage = Office._meta.get_field("logo").storage
    stored_logo_name = None
    try:
        with transaction.atomic():
            current = Office.objects.select_for_update().get(pk=office.pk)
            before = _office_snapshot(current)
            after = dict(before)
            after.update({k: v for k, v in data.items() if k in OFFICE_DATA_FIELDS})
            after["languages"] = _languages(after["languages"])
            if logo is not None:
                after["logo"] = logo_storage_name(
                    office_slug=current.slug, extension=logo.extension
                )
            elif remove_logo:
                after["logo"] = ""
            changed_before, changed_after = changed_fields(before, after)
            if not changed_after:
                return current
            _office_validate(current, changed_after)
            if before_change is not None:
                before_change(office=current, before=changed_before, after=changed_after)
            for name, value in changed_after.items():
                if name != "logo":
                    setattr(current, name, value)
            if "logo" in changed_after:
                # The new file must exist before the row points at it, so it is written
                # here and removed again below if the transaction fails; the old file
                # goes only once the change is committed.
                if logo is not None:
                    stored_logo_name = storage.save(
                        changed_after["logo"], ContentFile(logo.content)
                    )
                    changed_after["logo"] = stored_logo_name
                current.logo.name = changed_after["logo"]
            current.save(update_fields=list(changed_after))
            audit_record(
                office=current,
                actor=actor,
                action="office.update",
                target=current,
                before=changed_before,
                after=changed_after,
            )
            old_logo = changed_before.get("logo")
            if old_logo:
                transaction.on_commit(lambda: storage.delete(old_logo))
    except Exception:
        if stored_logo_name:
            storage.delete(stored_logo_name)
        raise
    return current


def _office_validate(office: Office, changes: dict) -> None:
    errors: dict[str, list] = {}
    candidate = Office(**{name: getattr(office, name) for name in OFFICE_DATA_FIELDS})
    candidate.slug = office.slug
    for name, value in changes.items():
        if name != "logo":
            setattr(candidate, name, value)
    exclude = [f.name for f in Office._meta.fields if f.name not in changes or f.name == "logo"]
    try:
        candidate.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if changes.get("postal_code"):
        try:
            postal_code_validator(changes["postal_code"])
        except ValidationError as exc:
            errors.setdefault("postal_code", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)


# Departments


def _department_name_taken(*, office: Office, name: str, exclude_pk=None) -> bool:
    # casefold in Python: SQLite's case-insensitive match ignores Polish letters.
    wanted = name.casefold()
    names = Department.objects.filter(office=office).exclude(pk=exclude_pk)
    return any(n.casefold() == wanted for n in names.values_list("name", flat=True))


def department_name_clean(*, office: Office, name: str, exclude_pk=None) -> str:
    """The name as it would be stored (spaces tidied), or ValidationError (by input
    name): empty, longer than 200, or used by another department of the office (letter
    case ignored). Reads only: callers may check before doing slow work."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Wpisz nazwę wydziału.")})
    if len(name) > Department._meta.get_field("name").max_length:
        raise ValidationError({"name": _("Nazwa wydziału może mieć najwyżej 200 znaków.")})
    if _department_name_taken(office=office, name=name, exclude_pk=exclude_pk):
        raise ValidationError(
            {"name": _("Wydział o nazwie „%(name)s” już jest na liście.") % {"name": name}}
        )
    return name


@transaction.atomic
def department_create(*, office: Office, actor, name: str) -> Department:
    """Add a department at the end of the office's list, in the survey from today on
    (``valid_from``: reports of earlier periods do not list it). Refuses an empty name and
    a name the office already uses (letter case ignored). Audited."""
    Office.objects.select_for_update().filter(pk=office.pk).first()
    name = department_name_clean(office=office, name=name)
    last = Department.objects.filter(office=office).aggregate(last=Max("position"))["last"]
    department = Department.objects.create(
        office=office,
        name=name,
        position=0 if last is None else last + 1,
        valid_from=timezone.localdate(),
    )
    audit_record(
        office=office,
        actor=actor,
        action="department.create",
        target=department,
        after={"name": department.name, "valid_from": department.valid_from},
    )
    return department


@transaction.atomic
def department_rename(*, office: Office, actor, department: Department, name: str) -> Department:
    """Give the department a new name; its responses stay with it. Audited if changed."""
    department = _department_locked(office=office, department=department)
    name = department_name_clean(office=office, name=name, exclude_pk=department.pk)
    if name == department.name:
        return department
    before = {"name": department.name}
    department.name = name
    department.save(update_fields=["name"])
    audit_record(
        office=office,
        actor=actor,
        action="department.rename",
        target=department,
        before=before,
        after={"name": name},
    )
    return department


@transaction.atomic
def department_move(*, office: Office, actor, department: Department, direction: str) -> bool:
    """Swap the department with its neighbour above ("up") or below ("down").

    Renumbers the office's departments 0, 1, 2 … on the way. Returns False (and records
    nothing) when the department is already first or last. Audited.
    """
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Nieznany kierunek przesunięcia.")})
    ordered = list(
        Department.objects.select_for_update()
        .filter(office=office)
        .order_by("position", "name", "pk")
    )
    index = next((i for i, d in enumerate(ordered) if d.pk == department.pk), None)
    if index is None:
        raise Department.DoesNotExist
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return False
    before = {"place": index + 1}
    ordered[index], ordered[other] = ordered[other], ordered[index]
    _positions_save(ordered)
    audit_record(
        office=office,
        actor=actor,
        action="department.move",
        target=ordered[other],
        before=before,
        after={"place": other + 1},
    )
    return True


def _positions_save(departments: list[Department]) -> None:
    """Store each department's place in this list as its position (only those that moved)."""
    for position, department in enumerate(departments):
        if department.position != position:
            department.position = position
            department.save(update_fields=["position"])


@transaction.atomic
def departments_reorder(*, office: Office, actor, order: Iterable[int]) -> bool:
    """Put the office's departments in the given order (ids, first to last) at once —
    one change with one audit entry, whatever the number of places that moved.

    ``order`` must name every department of the office exactly once (ValidationError
    otherwise; ids of other offices included). Returns False (nothing recorded) when the
    order is the present one.
    """
    ordered = list(
        Department.objects.select_for_update()
        .filter(office=office)
        .order_by("position", "name", "pk")
    )
    try:
        wanted = [int(pk) for pk in order]
    except (TypeError, ValueError) as exc:
        raise ValidationError({"order": _("Nieznany wydział na liście.")}) from exc
    by_pk = {d.pk: d for d in ordered}
    if sorted(wanted) != sorted(by_pk):
        raise ValidationError(
            {"order": _("Podaj miejsce każdego wydziału dokładnie raz i spróbuj ponownie.")}
        )
    before = [d.name for d in ordered]
    if wanted == [d.pk for d in ordered]:
        return False
    _positions_save([by_pk[pk] for pk in wanted])
    audit_record(
        office=office,
        actor=actor,
        action="department.reorder",
        target=office,
        before={"order": before},
        after={"order": [by_pk[pk].name for pk in wanted]},
    )
    return True


@transaction.atomic
def department_set_active(
    *, office: Office, actor, department: Department, is_active: bool
) -> Department:
    """Switch a department off (it leaves the resident survey; its responses keep it and
    reports still show it; ``valid_to`` becomes today, so reports of later periods do not
    list it) or back on (``valid_to`` cleared). Audited if changed."""
    department = _department_locked(office=office, department=department)
    if department.is_active == is_active:
        return department
    before = {"is_active": department.is_active, "valid_to": department.valid_to}
    department.is_active = is_active
    department.valid_to = None if is_active else timezone.localdate()
    department.save(update_fields=["is_active", "valid_to"])
    audit_record(
        office=office,
        actor=actor,
        action="department.activate" if is_active else "department.deactivate",
        target=department,
        before=before,
        after={"is_active": is_active, "valid_to": department.valid_to},
    )
    return department


def _department_locked(*, office: Office, department: Department) -> Department:
    return Department.objects.select_for_update().get(office=office, pk=department.pk)


# The platform: offices themselves (operator only)


def office_slug_clean(slug: str) -> str:
    slug = (slug or "").strip()
    slug_validator(slug)
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            _("Adresu „%(slug)s” nie można użyć — jest zarezerwowany dla platformy.")
            % {"slug": slug}
        )
    if Office.objects.filter(slug=slug).exists():
        raise ValidationError(
            _("Adres „%(slug)s” ma już inny urząd. Wybierz inny.") % {"slug": slug}
        )
    return slug


def department_names_clean(names: Iterable[str]) -> list[str]:
    """A new office's list of department names: blanks dropped, spaces tidied; refuses
    (ValidationError) a name given twice (letter case ignored) or longer than 200."""
    result: list[str] = []
    seen: set[str] = set()
    for raw in names:
        name = " ".join(raw.split())
        if not name:
            continue
        if name.casefold() in seen:
            raise ValidationError(
                _("Wydział „%(name)s” występuje na liście więcej niż raz.") % {"name": name}
            )
        if len(name) > Department._meta.get_field("name").max_length:
            raise ValidationError(
                _("Nazwa wydziału „%(name)s…” jest dłuższa niż 200 znaków.") % {"name": name[:40]}
            )
        seen.add(name.casefold())
        result.append(name)
    return result


@transaction.atomic
def office_set_active(*, actor, office: Office, is_active: bool) -> Office:
    """Switch an office off (its addresses answer 404, its data stays) or on. Audited."""
    office = Office.objects.select_for_update().get(pk=office.pk)
    if office.is_active == is_active:
        return office
    office.is_active = is_active
    office.save(update_fields=["is_active"])
    audit_record(
        office=office,
        actor=actor,
        action="office.activate" if is_active else "office.deactivate",
        target=office,
        before={"is_active": not is_active},
        after={"is_active": is_active},
    )
    return office


# Custom domains of an office (operator only)

_DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def office_domain_clean(domain: str) -> str:
    """A host name as the browser sends it: lower case, IDN as punycode (``ankieta.łódź.pl``
    → ``ankieta.xn--d-wga0e.pl``), no scheme, port, path or final dot. Refused with a
    message saying what to type: not a host name, an IP address, a name under the
    platform's own domain or ``localhost`` (those already mean an office's slug), or a
    domain some office has already."""
    value = (domain or "").strip().lower().rstrip(".")
    if not value:
        raise ValidationError(_("Wpisz domenę, np. ankieta.gmina.pl."))
    if "/" in value or ":" in value or " " in value:
        raise ValidationError(
            _("Wpisz samą domenę, bez https://, numeru portu i ukośnika, np. ankieta.gmina.pl.")
        )
    try:
        value = value.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValidationError(
            _("„%(domain)s” nie jest poprawną domeną, np. ankieta.gmina.pl.") % {"domain": domain}
        ) from exc
    labels = value.split(".")
    if (
        len(value) > 253
        or len(labels) < 2
        or not all(_DOMAIN_LABEL.match(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise ValidationError(
            _("„%(domain)s” nie jest poprawną domeną, np. ankieta.gmina.pl.") % {"domain": domain}
        )
    for base in (settings.BASE_DOMAIN, "localhost"):
        if value == base or value.endswith("." + base):
            raise ValidationError(
                _(
                    "Adresy w domenie platformy (%(base)s) urzędy mają już same: "
                    "identyfikator.%(base)s. Wpisz domenę urzędu, np. ankieta.gmina.pl."
                )
                % {"base": base}
            )
    owner = OfficeDomain.objects.filter(domain=value).select_related("office").first()
    if owner is not None:
        raise ValidationError(
            _("Domenę %(domain)s ma już urząd „%(office)s”.")
            % {"domain": value, "office": owner.office.name}
        )
    return value


@transaction.atomic
def office_domain_add(*, actor, office: Office, domain: str) -> OfficeDomain:
    """Reach ``office`` also at ``domain`` (checked by office_domain_clean). Audited."""
    value = office_domain_clean(domain)
    try:
        with transaction.atomic():
            added = OfficeDomain.objects.create(office=office, domain=value)
    except IntegrityError as exc:  # the same domain added at the same moment
        message = _("Domenę %(domain)s ma już inny urząd.") % {"domain": value}
        raise ValidationError(message) from exc
    audit_record(
        office=office,
        actor=actor,
        action="office.domain_add",
        target=office,
        after={"domain": value},
    )
    return added


@transaction.atomic
def office_domain_remove(*, actor, office: Office, domain_id) -> str:
    """Stop reaching ``office`` at one of its domains (404 for another office's). Audited;
    returns the domain removed."""
    try:
        found = OfficeDomain.objects.select_for_update().get(office=office, pk=int(domain_id))
    except (OfficeDomain.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc
    found.delete()
    audit_record(
        office=office,
        actor=actor,
        action="office.domain_remove",
        target=office,
        before={"domain": found.domain},
    )
    return found.domain
