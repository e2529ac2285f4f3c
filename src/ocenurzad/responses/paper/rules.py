"""The rules of paper entry: the form's fields, what counts as a date or a sheet number,
and who may change a typed-in sheet until when."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ocenurzad.accounts.permissions import ROLE_PERMISSIONS, Perm

from ..models import Channel, Response
from .dates import EARLIEST_DATE  # noqa: F401 — re-exported

LANGUAGE = "pl"  # sheets are typed in as they were printed
SOURCE = "papier"
SHEET_FIELD = "nr_arkusza"
DATE_FIELD = "data_wypelnienia"
VERSION_FIELD = "wersja"
URN_FIELD = "urna"  # the department whose urn the stack came from (optional)
AUTO_FIELD = "auto"  # "0": a valid digit does not move on by itself
SHEET_NUMBER_MAX = 999_999_999
NA_INPUTS = frozenset({"0", "n", "na"})
RECENT_LIMIT = 20


class SheetNumberTaken(Exception):
    """The office already has a sheet with this number; nothing was stored."""

    def __init__(self, *, number: int, entered_at: datetime):
        super().__init__(number)
        self.number = number
        self.entered_at = entered_at

    @property
    def message(self) -> str:
        return _("Arkusz nr %(number)d został już wprowadzony (dnia %(date)s).") % {
            "number": self.number,
            "date": date_format(timezone.localtime(self.entered_at), "j E Y"),
        }


class PaperChangeRefused(Exception):
    """This person may not correct or delete this sheet now; ``str()`` says why."""


def paper_correction_window() -> timedelta:
    return timedelta(hours=getattr(settings, "PAPER_CORRECTION_HOURS", 24))


def paper_may_change_others(user) -> bool:
    """An office administrator (or the operator) may correct any clerk's sheets."""
    return Perm.PAPER_CORRECT_ANY in ROLE_PERMISSIONS.get(user.role, frozenset())


def paper_change_refusal(
    *, user, response: Response, now: datetime | None = None, correcting: bool = False
) -> str | None:
    """Why ``user`` may not correct (``correcting``) or delete ``response`` now, or None
    when they may.

    The one place of the rule: paper sheets only, by the clerk who typed them in (an
    office administrator: anyone's), within PAPER_CORRECTION_HOURS of entry — except that
    an office administrator may correct a sheet later too (audited like any correction).
    """
    if response.channel != Channel.PAPER:
        return _("Poprawiać i usuwać można tylko ankiety wprowadzone z papieru.")
    if response.entered_by_id != user.pk and not paper_may_change_others(user):
        return _(
            "Tę ankietę wprowadziła inna osoba. Poprawić lub usunąć ją może tylko ta osoba "
            "albo administrator urzędu."
        )
    window = paper_correction_window()
    if correcting and paper_may_change_others(user):
        return None
    if response.entered_at is None or (now or timezone.now()) >= response.entered_at + window:
        return _(
            "Czas na poprawki minął: ankietę można poprawić lub usunąć tylko przez "
            "%(hours)d godz. od jej wprowadzenia. Jeżeli wymaga zmiany, zgłoś to "
            "administratorowi urzędu."
        ) % {"hours": int(window.total_seconds() // 3600)}
    return None
