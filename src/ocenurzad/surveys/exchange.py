"""The survey exchange file: one version's definition as JSON, to move a survey between
offices or installations (documented for administrators in docs/pl/format-ankiety.md).

    {"format": "ocenurzad-ankieta", "version": 1,
     "exported_from": {"office": slug, "office_name": …, "version": n, "code": …,
                       "published_at": iso | null, "exported_at": iso},
     "definition": {…the definition, see default_definition.py…}}

Public API:
    survey_export(*, office, version=None) -> dict            the current version by default
    survey_export_json(*, office, version=None) -> str        UTF-8 text, indented, not \\u-escaped
    survey_document_parse(text) -> dict                       the definition, or ImportInvalid
    survey_import(*, office, actor, definition, publish=False, replace_draft=False)
        -> ImportResult
    ImportInvalid(errors)   a SurveyEditError carrying DefinitionErrors (path + Polish message)

Department questions carry no department ids: a department question asks about the
departments of the office that answers it, so an imported survey lists the importing
office's own departments.
"""

import json
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocenurzad.audit.services import audit_record
from ocenurzad.offices.models import Department, Office

from .definition import department_question
from .models import SurveyVersion
from .selectors import survey_draft, survey_version_current
from .services import (
    DefinitionInvalid,
    survey_draft_discard,
    survey_draft_get_or_create,
    survey_draft_save,
    survey_version_publish,
)
from .validation import DefinitionError, missing_translations

EXCHANGE_FORMAT = "ocenurzad-ankieta"
EXCHANGE_VERSION = 1
DOCUMENT_FIELDS = ("format", "version", "exported_from", "definition")


class ImportInvalid(DefinitionInvalid):
    """The file cannot be imported; ``errors`` say where and why. Nothing changed."""

    def __init__(self, errors: list[DefinitionError]):
        super().__init__(errors)
        self.message = _("Pliku nie można zaimportować — błędy: %(count)d.") % {
            "count": len(errors)
        }


@dataclass
class ImportResult:
    version: SurveyVersion  # the new draft, or the published version
    published: bool
    warnings: list[str] = field(default_factory=list)  # Polish, nothing refused


def survey_export(*, office: Office, version: SurveyVersion | None = None) -> dict:
    """The exchange document of ``version`` (default: the current version; 404 when the
    office has none). A version of another office is refused (ValueError)."""
    if version is None:
        version = survey_version_current(office=office)
    if version.office_id != office.pk:
        raise ValueError("the version belongs to another office")
    return {
        "format": EXCHANGE_FORMAT,
        "version": EXCHANGE_VERSION,
        "exported_from": {
            "office": office.slug,
            "office_name": office.name,
            "version": version.number,
            "code": version.code,
            "status": version.status,
            "published_at": version.published_at.isoformat() if version.published_at else None,
            "exported_at": timezone.now().isoformat(timespec="seconds"),
        },
        "definition": version.definition,
    }


def survey_export_json(*, office: Office, version: SurveyVersion | None = None) -> str:
    return json.dumps(survey_export(office=office, version=version), ensure_ascii=False, indent=2)


def survey_document_parse(text: str | bytes) -> dict:
    """The definition in an exchange file's text. Raises ImportInvalid when the text is
    not JSON, not an exchange document, or of a version this system does not read. The
    definition itself is checked on import."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportInvalid(
                [DefinitionError("", _("Plik nie jest zapisany w kodowaniu UTF-8."))]
            ) from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportInvalid(
            [
                DefinitionError(
                    "",
                    _("Plik nie jest poprawnym plikiem JSON (wiersz %(line)d, kolumna %(col)d).")
                    % {"line": exc.lineno, "col": exc.colno},
                )
            ]
        ) from exc
    if not isinstance(document, dict) or document.get("format") != EXCHANGE_FORMAT:
        raise ImportInvalid(
            [
                DefinitionError(
                    "format",
                    _(
                        "To nie jest plik ankiety Oceń Urząd: pole „format” musi mieć "
                        "wartość „%(format)s”."
                    )
                    % {"format": EXCHANGE_FORMAT},
                )
            ]
        )
    errors = []
    if document.get("version") != EXCHANGE_VERSION or type(document.get("version")) is not int:
        errors.append(
            DefinitionError(
                "version",
                _(
                    "Nieznana wersja pliku ankiety: %(version)s (ten system czyta wersję "
                    "%(supported)d)."
                )
                % {"version": json.dumps(document.get("version")), "supported": EXCHANGE_VERSION},
            )
        )
    for name in document:
        if name not in DOCUMENT_FIELDS:
            errors.append(
                DefinitionError(
                    name,
                    _("Nieznane pole „%(field)s” (dozwolone: %(allowed)s).")
                    % {"field": name, "allowed": ", ".join(DOCUMENT_FIELDS)},
                )
            )
    if not isinstance(document.get("definition"), dict):
        errors.append(
            DefinitionError("definition", _("Plik nie zawiera definicji ankiety („definition”)."))
        )
    if errors:
        raise ImportInvalid(errors)
    return document["definition"]


def _prefixed(errors: list[DefinitionError]) -> list[DefinitionError]:
    """Paths inside the file: the definition sits under "definition"."""
    return [
        DefinitionError(f"definition.{e.path}" if e.path else "definition", e.message)
        for e in errors
    ]


def survey_import(
    *,
    office: Office,
    actor,
    definition: dict,
    publish: bool = False,
    replace_draft: bool = False,
) -> ImportResult:
    """Make ``definition`` (of ``survey_document_parse``) the office's draft; with
    ``publish``, publish it at once by the rule of ``survey_version_publish`` (the report
    of the results so far is archived first).

    All or nothing, in one transaction: refuses (ImportInvalid, paths prefixed with
    "definition.") a definition with errors; refuses (ImportInvalid)
    when the office has a draft, unless ``replace_draft`` (then it is discarded, audited);
    a publish that fails (PublishFailed) leaves no draft behind either. Audited
    (``survey.import``). Warnings: a department question while the office has no
    active department; texts missing in the office's languages (a published survey
    without them is not offered in that language).
    """
    with transaction.atomic():
        existing = survey_draft(office=office)
        if existing is not None:
            if not replace_draft:
                raise ImportInvalid(
                    [
                        DefinitionError(
                            "",
                            _(
                                "Urząd ma już szkic ankiety (wersja %(number)d). Dokończ go "
                                "albo odrzuć w panelu, albo zastąp go importem (opcja "
                                "--replace-draft)."
                            )
                            % {"number": existing.number},
                        )
                    ]
                )
            survey_draft_discard(office=office, actor=actor, draft=existing)
        draft = survey_draft_get_or_create(office=office, actor=actor)
        try:
            draft = survey_draft_save(
                office=office,
                actor=actor,
                draft=draft,
                definition=definition,
                revision=draft.revision,
            )
            if publish:
                draft = survey_version_publish(office=office, actor=actor, draft=draft)
        except DefinitionInvalid as exc:
            raise ImportInvalid(_prefixed(exc.errors)) from exc
        audit_record(
            office=office,
            actor=actor,
            action="survey.import",
            target=draft,
            after={"published": publish, "number": draft.number},
        )
    return ImportResult(version=draft, published=publish, warnings=_warnings(office, draft))


def _warnings(office: Office, version: SurveyVersion) -> list[str]:
    warnings = []
    if (
        department_question(version.definition) is not None
        and not Department.objects.filter(office=office, is_active=True).exists()
    ):
        warnings.append(
            _(
                "Ankieta pyta o wydział, a urząd nie ma żadnego aktywnego wydziału — dodaj "
                "wydziały w danych urzędu, zanim mieszkańcy zaczną odpowiadać."
            )
        )
    for lang, paths in missing_translations(
        version.definition, languages=office.enabled_languages
    ).items():
        if paths:
            warnings.append(
                _(
                    "Brak tłumaczenia na język „%(lang)s” w %(count)d miejscach, np. "
                    "%(first)s. Ankieta opublikowana bez tych tekstów nie jest oferowana "
                    "mieszkańcom w tym języku (zobaczą ją po polsku)."
                )
                % {"lang": lang, "count": len(paths), "first": paths[0]}
            )
    return warnings
