"""The resident interface in each language: which of its messages a catalogue lacks.

Residents are offered a language only when every word they see is in it (DESIGN.md):
the survey's own texts, the office's departments and the interface — the messages of the
resident pages and the printed form. Those messages are the catalogue entries that come
from ``RESIDENT_SOURCES``; ``make messages`` lists them in ``locale/resident-messages.txt``
(one per line, JSON-quoted) after ``makemessages``, and a test keeps the list current.
At run time a language's compiled catalogue is asked for each of them.
"""

import gettext
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
RESIDENT_MESSAGES_FILE = LOCALE_DIR / "resident-messages.txt"

# Files (relative to src/ocenurzad, as in the catalogues' references) whose messages a
# resident reads: the survey and its errors, thank-you, "already sent", RODO and
# accessibility pages, error pages, the printed form, the banner and QR code on the
# office's website.
RESIDENT_SOURCES = frozenset(
    {
        "banner/layout.py",
        "banner/services.py",
        "core/views.py",
        "printing/content.py",
        "printing/layout.py",
        "printing/pdf.py",
        "responses/pages.py",
        "responses/views.py",
        "surveys/answers.py",
        "surveys/presentation.py",
        "templates/base.html",
        "templates/error.html",
        "templates/offices/_translation_note.html",
        "templates/offices/accessibility.html",
        "templates/offices/privacy.html",
        "templates/printing/pdf/stamps.html",
        "templates/printing/pdf/survey.html",
        "templates/responses/_question.html",
        "templates/responses/_sections.html",
        "templates/responses/survey.html",
        "templates/responses/thanks.html",
    }
)

# A translator comment on catalogue entries drafted by machine translation and not yet
# checked by a fluent speaker. A comment, not the "fuzzy" flag: fuzzy entries are left
# out of the compiled catalogue, and residents would see Polish. Remove the comment
# once the entry is checked.
MACHINE_DRAFT_COMMENT = "Do weryfikacji: wersja robocza (maszynowa)"


Message = str | tuple[str, str]  # a msgid, or (context, msgid)


@lru_cache(maxsize=1)
def resident_messages() -> tuple[Message, ...]:
    try:
        lines = RESIDENT_MESSAGES_FILE.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return ()
    decoded = (json.loads(line) for line in lines if line.strip())
    return tuple(tuple(m) if isinstance(m, list) else m for m in decoded)


class _Misses(gettext.NullTranslations):
    """The fallback of a catalogue: whatever reaches it has no translation."""

    def __init__(self):
        super().__init__()
        self.missed: list[Message] = []

    def gettext(self, message):
        self.missed.append(message)
        return message

    def pgettext(self, context, message):
        self.missed.append((context, message))
        return message


@lru_cache(maxsize=16)
def interface_missing(language: str) -> tuple[Message, ...]:
    """The resident messages that ``language``'s compiled catalogue does not translate
    (Polish: none). Read once per process: catalogues change only with a release."""
    if language == settings.LANGUAGE_CODE:
        return ()
    misses = _Misses()
    try:
        catalogue = gettext.translation("django", str(LOCALE_DIR), [language])
    except OSError:
        return resident_messages()
    catalogue.add_fallback(misses)
    for message in resident_messages():
        if isinstance(message, tuple):
            catalogue.pgettext(*message)
        else:
            catalogue.gettext(message)
    return tuple(misses.missed)


def resident_messages_from_po(po_path: Path) -> list[Message]:
    """The resident messages of a catalogue (any language: the references are the same),
    in catalogue order. Needs polib (a development dependency: ``make messages``)."""
    import polib

    entries = polib.pofile(str(po_path))
    return [
        (entry.msgctxt, entry.msgid) if entry.msgctxt else entry.msgid
        for entry in entries
        if not entry.obsolete
        and not entry.msgid_plural
        and any(path in RESIDENT_SOURCES for path, _line in entry.occurrences)
    ]


def write_resident_messages() -> int:
    messages = resident_messages_from_po(LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po")
    RESIDENT_MESSAGES_FILE.write_text(
        "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in messages), encoding="utf-8"
    )
    return len(messages)


if __name__ == "__main__":
    print(f"{write_resident_messages()} resident messages listed in {RESIDENT_MESSAGES_FILE}")
