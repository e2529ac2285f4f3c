"""The catalogues that ship are whole and compiled.

The panel offers English for every page (issue 12: "the panel stays Polish, with English as
now"), so the English catalogue must translate every message, not only the resident ones
(tests/i18n/test_resident_languages.py checks those in every language). A message missing
from the catalogue, untranslated or fuzzy shows in Polish on an English page; a stale .mo
ships whatever the .po said before.
"""

import shutil
from pathlib import Path

import polib
from django.core.management import call_command

from ocenurzad.core import i18n

SOURCE = i18n.LOCALE_DIR.parent  # src/ocenurzad: what `make messages` reads
LANGUAGES = ("en", "uk", "de")
FIX = (
    "Run `make messages`, translate these entries in "
    "src/ocenurzad/locale/en/LC_MESSAGES/django.po (a PO editor; mark an entry drafted by "
    f"machine with the translator comment '# {i18n.MACHINE_DRAFT_COMMENT}', see "
    "tools/machine_drafts.py), run `make messages` again to compile, and commit the .po "
    "and .mo files."
)


def _po(path: Path) -> polib.POFile:
    return polib.pofile(str(path))


def _gaps(catalogue: polib.POFile) -> list[str]:
    """Entries a reader would see in Polish: untranslated (a plural form missing) or fuzzy
    (msgfmt leaves fuzzy entries out of the .mo)."""
    return [
        (f"[{entry.msgctxt}] " if entry.msgctxt else "") + entry.msgid
        for entry in catalogue
        if not entry.obsolete and not entry.translated()
    ]


def _report(gaps: list[str]) -> str:
    listed = "\n".join(f"  {gap!r}" for gap in gaps[:20])
    more = f"\n  … and {len(gaps) - 20} more" if len(gaps) > 20 else ""
    return f"{len(gaps)} English entries would show in Polish:\n{listed}{more}\n{FIX}"


def test_the_english_catalogue_translates_every_message():
    gaps = _gaps(_po(i18n.LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"))
    assert gaps == [], _report(gaps)


def test_the_english_catalogue_holds_every_message_of_the_source(tmp_path, settings, monkeypatch):
    # Given the source as `make messages` reads it (Python files and templates) and the
    # committed English catalogue, in a copy so that nothing in the repository changes …
    copy = tmp_path / "ocenurzad"
    shutil.copytree(
        SOURCE,
        copy,
        ignore=lambda folder, names: [
            name
            for name in names
            if not (Path(folder, name).is_dir() or name.endswith((".py", ".html", ".txt")))
        ],
    )
    catalogue = copy / "locale" / "en" / "LC_MESSAGES" / "django.po"
    shutil.copyfile(i18n.LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po", catalogue)
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)

    # … when makemessages merges the source's messages into it (as `make messages` does)
    call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)

    # Then no message is new, untranslated or fuzzy: a string added to the code without
    # `make messages` would be Polish on every English panel page
    gaps = _gaps(_po(catalogue))
    assert gaps == [], _report(gaps)


def _messages(entries) -> dict:
    return {
        (entry.msgctxt, entry.msgid): (
            tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
            if entry.msgid_plural
            else entry.msgstr
        )
        for entry in entries
        if entry.msgid  # the header
    }


def test_every_compiled_catalogue_says_what_its_po_file_says():
    for code in LANGUAGES:
        folder = i18n.LOCALE_DIR / code / "LC_MESSAGES"
        po = _po(folder / "django.po")
        mo = polib.mofile(str(folder / "django.mo"))
        written = _messages(e for e in po if not e.obsolete and e.translated())
        compiled = _messages(mo)
        stale = sorted(
            str(key[1])[:80]
            for key in written.keys() | compiled.keys()
            if written.get(key) != compiled.get(key)
        )
        assert stale == [], (
            f"{code}/django.mo differs from django.po in {len(stale)} entries, e.g. "
            f"{stale[:5]}. Run `make messages` (it compiles the catalogues) and commit the .mo."
        )
