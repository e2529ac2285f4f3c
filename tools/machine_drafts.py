"""List the catalogue entries still marked as machine drafts, for a reviewer.

    .venv/bin/python tools/machine_drafts.py            # counts per language
    .venv/bin/python tools/machine_drafts.py uk         # every unreviewed Ukrainian entry

A machine-drafted entry carries the translator comment
``# Do weryfikacji: wersja robocza (maszynowa)`` (not the ``fuzzy`` flag: fuzzy entries
are left out of the compiled catalogue). A fluent speaker who has checked an entry
deletes that comment line, in a PO editor or by hand.
"""

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "src/ocenurzad/locale"
MARK = "Do weryfikacji: wersja robocza (maszynowa)"


def main(argv: list[str]) -> None:
    wanted = argv[1:] or sorted(p.name for p in LOCALE.iterdir() if p.is_dir())
    for lang in wanted:
        po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
        drafts = [e for e in po if MARK in (e.tcomment or "")]
        translated = po.translated_entries()
        print(f"{lang}: {len(drafts)} machine drafts of {len(translated)} translated entries")
        if argv[1:]:
            for entry in drafts:
                print(f"  {entry.msgid!r}\n    -> {entry.msgstr or entry.msgstr_plural!r}")


if __name__ == "__main__":
    main(sys.argv)
