"""Which reports and exports are refused so that nobody can be singled out.

The rules are compute/disclosure.py's; this module applies them to an office's data
(counting the filtered group in the database) for the panel and the ``report`` command
alike. Each function answers a Polish message to show, or None when the request may go on.
"""

from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from ocenurzad.offices.models import Department, Office
from ocenurzad.responses.models import Channel
from ocenurzad.surveys.definition import iter_questions, localized

from .compute import MIN_CELL
from .compute.disclosure import filter_refusal, is_whole_months, whole_months_refusal
from .selectors import CLIENT_TYPE_KEY, responses_in_period


def min_cell() -> int:
    """The report minimum k: figures of fewer responses are never shown."""
    return int(getattr(settings, "REPORT_MIN_CELL", MIN_CELL))


def group_name(
    *,
    office: Office,
    department_id: int | None,
    channel: str | None,
    client_type: str | None = None,
) -> str:
    parts = []
    if department_id is not None:
        name = Department.objects.filter(office=office, pk=department_id).values_list(
            "name", flat=True
        )
        parts.append(_("wydział %(name)s") % {"name": name.first() or department_id})
    if channel:
        parts.append(_("kanał %(channel)s") % {"channel": Channel(channel).label})
    if client_type:
        parts.append(
            _("klienci: %(client_type)s")
            % {"client_type": client_type_label(office=office, value=client_type)}
        )
    return ", ".join(parts)


def client_type_label(*, office: Office, value: str) -> str:
    """The Polish label of a client type in the office's current survey (else the value)."""
    survey = getattr(office, "survey", None)
    version = survey.current_version if survey is not None else None
    for _section, question in iter_questions(version.definition if version else {}):
        if question.get("key") == CLIENT_TYPE_KEY:
            for option in question.get("options") or []:
                if option.get("value") == value:
                    return localized(option.get("label"), "pl") or value
    return value


def group_size(
    *,
    office: Office,
    start: date,
    end: date,
    department_id: int | None,
    channel: str | None,
    client_type: str | None = None,
) -> int:
    return responses_in_period(
        office=office,
        start=start,
        end=end,
        department_id=department_id,
        channel=channel,
        client_type=client_type,
    ).count()


def report_refusal(
    *,
    office: Office,
    start: date,
    end: date,
    department_id: int | None,
    channel: str | None,
    today: date,
    client_type: str | None = None,
) -> str | None:
    """A report filtered to a department, a channel or a client type: whole months that
    are over, and a group of at least k responses. Unfiltered reports are never refused
    here."""
    if department_id is None and not channel and not client_type:
        return None
    refusal = whole_months_refusal(
        start, end, today=today, what=_("Raport jednego wydziału, kanału lub rodzaju klienta")
    )
    if refusal:
        return refusal
    group = {"department_id": department_id, "channel": channel, "client_type": client_type}
    size = group_size(office=office, start=start, end=end, **group)
    return filter_refusal(responses=size, k=min_cell(), what=group_name(office=office, **group))


def comparison_refusal(*, office: Office, report: dict) -> str | None:
    """A filtered report's comparison period: whole months, and at least k responses."""
    params = report.get("params") or {}
    department = params.get("department") or {}
    group = {
        "department_id": department.get("id"),
        "channel": params.get("channel"),
        "client_type": params.get("client_type"),
    }
    previous = (report.get("comparison") or {}).get("previous") or {}
    if not any(group.values()) or not previous.get("start"):
        return None
    start, end = date.fromisoformat(previous["start"]), date.fromisoformat(previous["end"])
    what = group_name(office=office, **group)
    if not is_whole_months(start, end):
        return _(
            "Nie można porównać raportu dla: %(what)s z okresem od %(start)s do %(end)s — "
            "okres porównawczy raportu jednego wydziału, kanału lub rodzaju klienta musi "
            "obejmować pełne "
            "miesiące kalendarzowe. Wybierz rok, kwartał albo miesiąc, albo raport bez "
            "porównania."
        ) % {"what": what, "start": f"{start:%d.%m.%Y}", "end": f"{end:%d.%m.%Y}"}
    size = group_size(office=office, start=start, end=end, **group)
    return filter_refusal(responses=1 * min_cell(), k=min_cell(), what=what, previous=size)


def raw_export_refusal(
    *,
    office: Office,
    start: date,
    end: date,
    department_id: int | None,
    channel: str | None,
    today: date,
    client_type: str | None = None,
) -> str | None:
    """Answers response by response: whole months that are over, and at least k of them
    (k-anonymity needs k rows to hide among)."""
    refusal = whole_months_refusal(
        start, end, today=today, what=_("Plik z odpowiedziami ankieta po ankiecie")
    )
    if refusal:
        return refusal
    group = {"department_id": department_id, "channel": channel, "client_type": client_type}
    size = group_size(office=office, start=start, end=end, **group)
    if size < min_cell():
        what = group_name(office=office, **group)
        return _(
            "Nie można pobrać odpowiedzi ankieta po ankiecie%(what)s: w wybranym okresie jest "
            "ich mniej niż %(k)d, a tak mała grupa pozwoliłaby rozpoznać osoby, które je "
            "wypełniły. Wybierz dłuższy okres."
        ) % {"what": f" ({what})" if what else "", "k": min_cell()}
    return None
