"""The report's open answers, questionnaire annex and notes."""

from collections.abc import Iterable
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from ocenurzad.responses.models import Channel
from ocenurzad.surveys.definition import localized

from .. import stats
from ..rollups import first_open_day
from . import disclosure
from .figures import RATING_KEYS
from .layout import PL, Layout
from .totals import Collected


def open_answers(
    *,
    layout: Layout,
    collected: Collected,
    texts: Iterable[tuple[str, int | None, str, str, str]],
    departments: list,
    min_cell: int,
    start: date,
    end: date,
    today: date | None = None,
) -> tuple[list[dict], int]:
    """The comments a report may show (disclosure.comments_published) of ``texts``, the
    collected open answers split (rollups.texts_fields of ``collected.texts``): each with its
    question's wording from the newest version that asks it, its month ("YYYY-MM") and
    department name where they may be shown (else None), and its text; ordered by month,
    question and text. Also the number of comments left out (days outside whole months
    that are over)."""
    names = {d.pk: d.name for d in departments}
    wording = {}
    for version in layout.versions:
        for section in version.definition.get("sections", []):
            for raw in section.get("questions", []):
                wording[raw["key"]] = localized(raw.get("text"), PL)
    months = disclosure.comment_months(start, end, today=today or timezone.localdate())
    published, left_out = disclosure.comments_published(
        texts,
        months=months,
        month_sizes={f"{m:%Y-%m}": light["n"] for m, light in collected.by_month.items()},
        department_month_sizes={
            (department, f"{m:%Y-%m}"): n
            for (department, m), n in collected.by_department_month.items()
        },
        k=min_cell,
    )
    return [
        {
            "key": key,
            "question": wording.get(key) or key,
            "month": month,
            "department": names.get(department_id) if department_id else None,
            "text": text,
        }
        for month, department_id, key, text in published
    ], left_out


def questionnaire(*, layout: Layout, departments: list, code_prefix: str) -> list[dict]:
    """Each version of the layout as it was asked (the annex)."""
    active = [d.name for d in departments if d.is_active]
    out = []
    for version in layout.versions:
        definition = version.definition
        scale = definition.get("scale", {})
        sections = []
        for section in definition.get("sections", []):
            questions = [
                {
                    "key": raw["key"],
                    "kind": raw.get("kind", ""),
                    "text": localized(raw.get("text"), PL),
                    "required": bool(raw.get("required")),
                    "options": _options(raw, scale, active),
                }
                for raw in section.get("questions", [])
            ]
            sections.append({"title": localized(section.get("title"), PL), "questions": questions})
        out.append(
            {
                "version": f"{code_prefix}-V{version.number}",
                "number": version.number,
                "sections": sections,
            }
        )
    return out


def _options(raw: dict, scale: dict, departments: list[str]) -> list[str]:
    kind = raw.get("kind")
    if kind == "rating":
        options = []
        for value in RATING_KEYS:
            label = localized(scale.get(value), PL)
            options.append(f"{value} – {label}" if label else value)
        if raw.get("na"):
            options.append(localized(scale.get("na"), PL) or _("nie dotyczy"))
        return options
    if kind == "department":
        return list(departments)
    if kind == "yesno":
        return [_("tak"), _("nie")]
    return [localized(o.get("label"), PL) or o["value"] for o in raw.get("options", [])]


def notes(
    *,
    layout: Layout,
    responses: int,
    min_cell: int,
    code_prefix: str,
    end: date,
    department,
    channel: str | None,
    previous: tuple[date, date] | None,
    client_type: str | None = None,
    comments_left_out: int = 0,
    dated_by_period: tuple[int, int] = (0, 0),
) -> list[str]:
    """What a reader must know to read the figures right, in Polish. ``dated_by_period``:
    (paper sheets dated only by the period they were collected in, of which with a period
    reaching outside the report's), see selectors.responses_dated_by_period."""
    out = [
        _("Komórki zestawień z mniej niż %(min)d odpowiedziami są ukryte (ochrona anonimowości).")
        % {"min": min_cell},
        _(
            "Średnie liczono na skali od 1 (najgorzej) do 5 (najlepiej); odpowiedzi „nie "
            "dotyczy” nie są wliczane do średnich ani do liczebności (n). Odsetek ocen "
            "pozytywnych to udział ocen 4 i 5."
        ),
    ]
    if responses == 0:
        out.append(_("W wybranym okresie nie wpłynęła żadna ankieta."))
    if department is not None:
        out.append(
            _("Raport obejmuje tylko odpowiedzi dotyczące wydziału: %(name)s.")
            % {"name": department.name}
        )
    if channel:
        out.append(
            _("Raport obejmuje tylko ankiety z kanału: %(channel)s.")
            % {"channel": str(Channel(channel).label)}
        )
    if client_type:
        out.append(
            _(
                "Raport obejmuje tylko ankiety osób, które jako rodzaj klienta wskazały: "
                "%(client_type)s."
            )
            % {"client_type": client_type}
        )
    if responses and len(layout.versions) > 1:
        codes = ", ".join(f"{code_prefix}-V{v.number}" for v in layout.versions)
        out.append(
            _(
                "W okresie raportu wypełniano różne wersje ankiety (%(codes)s). Pytania "
                "zestawiono według ich kluczy, w brzmieniu najnowszej wersji, która je zawiera; "
                "pytania zadawane nie we wszystkich wersjach są opisane."
            )
            % {"codes": codes}
        )
    if previous is not None:
        out.append(
            _(
                "Porównanie z okresem od %(start)s do %(end)s. Zmianę nazywamy wiarygodną, "
                "gdy w obu okresach wynik opiera się na co najmniej %(min)d osobach, różnica "
                "nie jest przypadkowa także po uwzględnieniu wszystkich porównań w raporcie i "
                "jest dość duża, by miała znaczenie (metoda: „Jak czytać wyniki”)."
            )
            % {
                "start": f"{previous[0]:%d.%m.%Y}",
                "end": f"{previous[1]:%d.%m.%Y}",
                "min": stats.thresholds().min_n,
            }
        )
    out.append(
        _(
            "Odpowiedzi otwarte podano z miesiącem, bez dnia, w kolejności miesięcy i pytań; "
            "wydział — tylko gdy w tym miesiącu wpłynęło z niego co najmniej %(min)d ankiet."
        )
        % {"min": min_cell}
    )
    if comments_left_out:
        out.append(
            _(
                "Pominięto odpowiedzi otwarte (%(count)d) z dni spoza pełnych, zakończonych "
                "miesięcy okresu raportu: raport obejmujący ich pełny miesiąc pokaże je po "
                "jego zakończeniu (ochrona anonimowości)."
            )
            % {"count": comments_left_out}
        )
    dated, outside = dated_by_period
    if dated:
        note = _(
            "Ankiety papierowe, które mają okres zebrania zamiast dnia wypełnienia (np. z urny "
            "opróżnianej raz w miesiącu): %(count)d. Każdą liczymy w środkowym dniu jej "
            "okresu: według niego należy do okresu raportu, do miesiąca w trendzie i przy "
            "odpowiedziach otwartych."
        ) % {"count": dated}
        if outside:
            note += " " + _(
                "Okres zebrania %(count)d z nich wykracza poza okres raportu: część tych "
                "ankiet mogła zostać wypełniona przed jego początkiem lub po jego końcu."
            ) % {"count": outside}
        out.append(note)
    if end >= first_open_day():
        out.append(_("Okres raportu obejmuje bieżący dzień: te wyniki mogą się jeszcze zmienić."))
    return out
