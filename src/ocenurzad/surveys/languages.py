"""Which languages residents are offered: only those every word of which is there.

An office switches languages on (``Office.languages``); a language is *offered* — in the
language links at the top of resident pages, behind ``?lang=``, on the printed form — only
when, in it, (1) every text of the published survey, (2) the name of every department in
the survey and (3) the resident interface (core/i18n.py) are complete. Anything missing
and the language is not offered: residents get Polish, never a page half in Polish
under another ``lang``. The panel says what is missing (Dane urzędu, the survey editor).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404

from ocenurzad.core import localcache
from ocenurzad.core.i18n import interface_missing
from ocenurzad.offices.models import Department, Office
from ocenurzad.offices.selectors import departments_active, departments_for_resident

from .selectors import survey_version_current, survey_version_for_resident
from .validation import missing_translations


@dataclass
class LanguageGap:
    """What keeps a switched-on language from being offered (all empty: it is offered)."""

    code: str
    survey: list[str] = field(default_factory=list)  # definition paths without the text
    departments: list[Department] = field(default_factory=list)
    interface: tuple[str, ...] = ()  # resident messages the catalogue lacks

    @property
    def complete(self) -> bool:
        return not (self.survey or self.departments or self.interface)


def department_name(department: Department, language: str) -> str:
    """The department's name in the language, else its Polish name."""
    if language != settings.LANGUAGE_CODE:
        translated = (department.name_translations or {}).get(language, "").strip()
        if translated:
            return translated
    return department.name


def language_gaps(
    *, office: Office, definition: dict | None, departments: list[Department]
) -> list[LanguageGap]:
    """For each language the office switched on (Polish aside): what is missing in it.
    ``definition`` None (no published survey) leaves the survey part out."""
    codes = [code for code in office.enabled_languages if code != settings.LANGUAGE_CODE]
    survey = missing_translations(definition, languages=codes) if definition else {}
    return [
        LanguageGap(
            code=code,
            survey=survey.get(code, []),
            departments=[
                d for d in departments if not (d.name_translations or {}).get(code, "").strip()
            ],
            interface=interface_missing(code),
        )
        for code in codes
    ]


def languages_offered(*, office: Office) -> list[str]:
    """Polish, then each switched-on language that is complete, as residents see them
    (through the resident-page cache: up to RESIDENT_CACHE_SECONDS old)."""
    return localcache.get_or_load(("languages-offered", office.pk), lambda: _offered(office))


def _offered(office: Office) -> list[str]:
    if office.enabled_languages == [settings.LANGUAGE_CODE]:
        return [settings.LANGUAGE_CODE]
    try:
        definition = survey_version_for_resident(office=office).definition
    except Http404:
        definition = None
    gaps = language_gaps(
        office=office, definition=definition, departments=departments_for_resident(office=office)
    )
    return [settings.LANGUAGE_CODE, *(gap.code for gap in gaps if gap.complete)]


def languages_offered_now(*, office: Office) -> list[str]:
    """``languages_offered`` read fresh, for the panel (the printed form's languages)."""
    gaps = language_gaps_now(office=office)
    return [settings.LANGUAGE_CODE, *(gap.code for gap in gaps if gap.complete)]


def language_gaps_now(*, office: Office, definition: dict | None = None) -> list[LanguageGap]:
    """``language_gaps`` read fresh, for the panel: of ``definition`` (a draft about to be
    published) or else of the published survey."""
    if definition is None:
        try:
            definition = survey_version_current(office=office).definition
        except Http404:
            definition = None
    return language_gaps(
        office=office, definition=definition, departments=departments_active(office=office)
    )
