"""``manage.py survey export|import``: the office's survey as a JSON exchange file.

    survey export <office> [-o FILE.json] [--version N]
        the current version (or published version N) to FILE, or to standard output;
    survey import <office> FILE.json [--publish] [--replace-draft]
        the file becomes the office's draft; with --publish it is published at once, after
        the report of the results so far is archived (the ordinance, § 5).

It lives in workflows: publishing joins surveys and reports. The format is described in
docs/pl/format-ankiety.md. An import that is refused changes nothing and lists every
problem with its place in the file; the exit status is then 1.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from ocenurzad.offices.models import Office
from ocenurzad.surveys.exchange import (
    ImportInvalid,
    survey_document_parse,
    survey_export_json,
    survey_import,
)
from ocenurzad.surveys.models import SurveyVersion
from ocenurzad.surveys.services import SurveyEditError
from ocenurzad.workflows.visible_changes import survey_import_publish


class Command(BaseCommand):
    help = "Eksport i import ankiety urzędu w pliku JSON (format: docs/pl/format-ankiety.md)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="export|import")
        export = commands.add_parser("export", help="Zapisz ankietę urzędu do pliku JSON.")
        export.add_argument("office", help="Identyfikator urzędu (np. swinoujscie).")
        export.add_argument(
            "-o", "--output", help="Plik wynikowy; bez tej opcji — standardowe wyjście."
        )
        export.add_argument(
            "--version",
            type=int,
            dest="number",
            help="Numer opublikowanej wersji (domyślnie bieżąca).",
        )
        imp = commands.add_parser("import", help="Wczytaj ankietę z pliku JSON jako szkic.")
        imp.add_argument("office", help="Identyfikator urzędu (np. ksiazki).")
        imp.add_argument("file", help="Plik JSON z ankietą.")
        imp.add_argument(
            "--publish",
            action="store_true",
            help="Od razu opublikuj (najpierw zapisuje raport z dotychczasowych wyników).",
        )
        imp.add_argument(
            "--replace-draft",
            action="store_true",
            help="Zastąp istniejący szkic ankiety urzędu (domyślnie import odmawia).",
        )

    def handle(self, *args, action: str, **options):
        office = self._office(options["office"])
        if action == "export":
            self._export(office, output=options["output"], number=options["number"])
        else:
            self._import(
                office,
                Path(options["file"]),
                publish=options["publish"],
                replace_draft=options["replace_draft"],
            )

    def _office(self, slug: str) -> Office:
        try:
            return Office.objects.get(slug=slug)
        except Office.DoesNotExist:
            raise CommandError(f"Nie ma urzędu o identyfikatorze „{slug}”.") from None

    def _export(self, office: Office, *, output: str | None, number: int | None) -> None:
        version = None
        if number is not None:
            version = SurveyVersion.objects.filter(
                office=office, number=number, status=SurveyVersion.Status.PUBLISHED
            ).first()
            if version is None:
                raise CommandError(
                    f"Urząd {office.slug} nie ma opublikowanej wersji ankiety nr {number}."
                )
        try:
            text = survey_export_json(office=office, version=version)
        except Http404:
            raise CommandError(f"Urząd {office.slug} nie ma opublikowanej ankiety.") from None
        if not output or output == "-":
            self.stdout.write(text)
            return
        Path(output).write_text(text + "\n", encoding="utf-8")
        self.stderr.write(f"Zapisano ankietę urzędu {office.slug} do pliku {output}.")

    def _import(self, office: Office, path: Path, *, publish: bool, replace_draft: bool):
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Nie można odczytać pliku {path}: {exc.strerror}.") from None
        try:
            definition = survey_document_parse(raw)
            if publish:
                # § 5: the report of the results so far is archived with the publish.
                result = survey_import_publish(
                    office=office, actor=None, definition=definition, replace_draft=replace_draft
                ).result
            else:
                result = survey_import(
                    office=office, actor=None, definition=definition, replace_draft=replace_draft
                )
        except ImportInvalid as exc:
            lines = [f"Plik {path} nie został zaimportowany. {exc.message}"]
            lines += [f"  - {error.path or '(plik)'}: {error.message}" for error in exc.errors]
            lines.append("Urząd nie został zmieniony.")
            raise CommandError("\n".join(lines)) from None
        except SurveyEditError as exc:
            raise CommandError(f"Plik {path} nie został zaimportowany. {exc.message}") from None
        version = result.version
        if result.published:
            self.stdout.write(
                f"Opublikowano wersję {version.number} ({version.code}) ankiety urzędu "
                f"{office.slug}; raport z dotychczasowych wyników jest w archiwum."
            )
        else:
            self.stdout.write(
                f"Zapisano szkic wersji {version.number} ankiety urzędu {office.slug}. "
                "Sprawdź go i opublikuj w panelu (Ankieta)."
            )
        for warning in result.warnings:
            self.stdout.write(f"Uwaga: {warning}")
