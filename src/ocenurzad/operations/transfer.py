"""Moving one office, with all its history, to another installation.

``office_export`` writes one tar file:
  manifest.json        format, app version, the office's slug, rows per model, and the
                       SHA-256 of every member; each archived report's own checksum
  data/<model>.jsonl   one JSON object a line: the office, its domains and departments,
                       its staff (no password hash, no 2FA secret, no last login), its
                       survey and every version, every response, printed layouts,
                       archived reports (parameters and figures), the audit log, actions
                       and the reminders' settings, opt-outs and claims,
                       scan uploads and their queues (scans/transfer.py: no image)
  files/<path>         the logo, the archived report PDFs, action attachments

``office_import`` reads it into an installation that already holds other offices:
everything gets new ids — and the ids stored inside JSON follow (departments in report
figures and parameters, print layouts' department boxes, answers to a department
question, hot-spot identifiers of reports and actions; survey versions in report
figures; users, departments, versions, reports and actions named by the audit log).
Staff arrive without a usable password or 2FA (the office administrator or operator sets
passwords; each person sets up 2FA again). A
slug, custom domain or username that already exists here is refused with a message,
before anything is written; the whole import is one transaction.

Not carried: report rollups and their epoch (rebuilt: ``reports_warm`` runs after the
import), sessions, counters, spent form tokens (short-lived), scan images (personal data
kept for days only, outside backups too: their paths are emptied). Whatever a later issue
adds joins here in that issue (README, "Architecture").
"""

import hashlib
import io
import json
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils.dateparse import parse_date, parse_datetime

from ocenurzad.accounts.models import User
from ocenurzad.actions.models import Action, ReminderClaim, ReminderOptOut, ReminderSettings
from ocenurzad.audit.models import AuditEntry
from ocenurzad.core.version import app_version
from ocenurzad.offices.models import Department, Office, OfficeDomain
from ocenurzad.printing.models import PrintLayout
from ocenurzad.reports.compute.hotspots import hot_spot_id_parse
from ocenurzad.reports.models import ArchivedReport
from ocenurzad.responses.models import Response
from ocenurzad.scans.models import ScanImport
from ocenurzad.scans.transfer import IMAGE_FIELDS, scans_export_querysets, scans_import
from ocenurzad.surveys.definition import iter_questions
from ocenurzad.surveys.models import Survey, SurveyVersion
from ocenurzad.workflows.models import VisibleChange

FORMAT = 1
CHUNK = 2000
# Staff fields that never leave the installation.
USER_SECRET_FIELDS = frozenset({"password", "last_login"})


class TransferError(Exception):
    """The office cannot be exported or imported; the message says why (Polish)."""


# --- export --------------------------------------------------------------------------


def _rows(model, queryset) -> Iterator[dict]:
    fields = list(model._meta.concrete_fields)
    for obj in queryset.order_by("pk").iterator(chunk_size=CHUNK):
        row = {}
        for f in fields:
            if model is User and f.name in USER_SECRET_FIELDS:
                continue
            value = getattr(obj, f.attname)
            if IMAGE_FIELDS.get(model) == f.name:
                value = ""  # a scan image never leaves the installation
            elif isinstance(f, models.FileField):
                value = value.name if hasattr(value, "name") else (value or "")
            row[f.attname] = value
        yield row


def _office_querysets(office: Office) -> list[tuple[str, type, models.QuerySet]]:
    return [
        ("office", Office, Office.objects.filter(pk=office.pk)),
        ("domains", OfficeDomain, OfficeDomain.objects.filter(office=office)),
        ("departments", Department, Department.objects.filter(office=office)),
        ("users", User, User.objects.filter(office=office)),
        ("survey", Survey, Survey.objects.filter(office=office)),
        ("versions", SurveyVersion, SurveyVersion.objects.filter(office=office)),
        ("responses", Response, Response.objects.filter(office=office)),
        ("layouts", PrintLayout, PrintLayout.objects.filter(office=office)),
        ("reports", ArchivedReport, ArchivedReport.objects.filter(office=office)),
        ("visible_changes", VisibleChange, VisibleChange.objects.filter(office=office)),
        ("audit", AuditEntry, AuditEntry.objects.filter(office=office)),
        ("actions", Action, Action.objects.filter(office=office)),
        ("reminder_settings", ReminderSettings, ReminderSettings.objects.filter(office=office)),
        ("reminder_opt_outs", ReminderOptOut, ReminderOptOut.objects.filter(user__office=office)),
        ("reminder_claims", ReminderClaim, ReminderClaim.objects.filter(office=office)),
        *scans_export_querysets(office),
    ]


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o600
    archive.addfile(info, io.BytesIO(data))


def office_export(*, office: Office, destination: Path) -> dict:
    """Write everything of ``office`` to ``destination`` (a new .tar); the manifest."""
    destination = Path(destination)
    if destination.exists():
        raise TransferError(f"Plik {destination} już istnieje.")
    checksums: dict[str, str] = {}
    counts: dict[str, int] = {}
    files: set[str] = set()
    with tarfile.open(destination, "w") as archive:
        with transaction.atomic():  # one consistent view of the office (repeatable on PG)
            for name, model, queryset in _office_querysets(office):
                lines = []
                for row in _rows(model, queryset):
                    lines.append(json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False))
                    for f in model._meta.concrete_fields:
                        if isinstance(f, models.FileField) and row.get(f.attname):
                            files.add(row[f.attname])
                data = ("\n".join(lines) + "\n" if lines else "").encode()
                member = f"data/{name}.jsonl"
                _add_bytes(archive, member, data)
                checksums[member] = hashlib.sha256(data).hexdigest()
                counts[name] = len(lines)
            reports = {str(r.pk): r.sha256 for r in ArchivedReport.objects.filter(office=office)}
        for stored in sorted(files):
            if not default_storage.exists(stored):
                raise TransferError(f"Brak pliku {stored} w MEDIA_ROOT — kopia byłaby niepełna.")
            with default_storage.open(stored, "rb") as handle:
                data = handle.read()
            _add_bytes(archive, f"files/{stored}", data)
            checksums[f"files/{stored}"] = hashlib.sha256(data).hexdigest()
        manifest = {
            "format": FORMAT,
            "version": app_version(),
            "office": office.slug,
            "counts": counts,
            "archived_report_sha256": reports,
            "files": checksums,
        }
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
    return manifest


# --- ids inside stored JSON -----------------------------------------------------------


@dataclass
class IdMaps:
    office: int = 0
    departments: dict[int, int] = field(default_factory=dict)
    users: dict[int, int] = field(default_factory=dict)
    versions: dict[int, int] = field(default_factory=dict)
    reports: dict[int, int] = field(default_factory=dict)
    actions: dict[int, int] = field(default_factory=dict)
    responses: dict[int, int] = field(default_factory=dict)
    scans: dict[str, dict[int, int]] = field(default_factory=dict)
    department_keys: set[str] = field(default_factory=set)

    def department(self, value):
        """``value`` (an id as int or str) mapped; other values unchanged."""
        try:
            new = self.departments.get(int(value))
        except (TypeError, ValueError):
            return value
        if new is None:
            return value
        return str(new) if isinstance(value, str) else new

    def hot_spot(self, value: str) -> str:
        """A report's hot-spot identifier (``item:<key>|dept:<id>|2025``) with its
        department mapped; any other string unchanged."""
        parsed = hot_spot_id_parse(value)
        if parsed is None or parsed["department_id"] is None:
            return value
        old = f"|dept:{parsed['department_id']}|"
        return value.replace(old, f"|dept:{self.department(parsed['department_id'])}|", 1)


def remap_json(value, maps: IdMaps, key: str | None = None):
    """A copy of ``value`` with department and survey-version ids mapped (see module doc).

    The places ids live: ``department`` / ``department_id`` (an id, or {"id", "name"}),
    hot-spot identifiers (``item:<key>|dept:<id>|2025``, in report figures and actions),
    the options of a question of kind "department", ``breakdowns.department[].key``,
    ``versions[].id`` (survey versions), and boxes of a print layout (or
    answers) whose question key is a department question."""
    if isinstance(value, list):
        if key == "versions":
            return [
                {**v, "id": maps.versions.get(v.get("id"), v.get("id"))}
                if isinstance(v, dict)
                else v
                for v in value
            ]
        if key == "department" and all(isinstance(v, dict) and "key" in v for v in value):
            return [{**remap_json(v, maps), "key": maps.department(v["key"])} for v in value]
        return [remap_json(v, maps) for v in value]
    if not isinstance(value, dict):
        if isinstance(value, str) and value.startswith(("item:", "area:")):
            return maps.hot_spot(value)
        if key in ("department", "department_id") and isinstance(value, int | str):
            return maps.department(value)
        return value
    out = {}
    department_question = value.get("kind") == "department" or (
        value.get("key") in maps.department_keys and "options" in value
    )
    department_box = value.get("key") in maps.department_keys and "value" in value
    for k, v in value.items():
        if department_question and k == "options" and isinstance(v, list):
            out[k] = [
                {**o, "value": maps.department(o.get("value"))} if isinstance(o, dict) else o
                for o in v
            ]
        elif department_box and k == "value":
            out[k] = maps.department(v)
        elif k == "department" and isinstance(v, dict) and "id" in v:
            out[k] = {**v, "id": maps.department(v["id"])}
        elif k in maps.department_keys and key == "answers":
            out[k] = maps.department(v)
        else:
            out[k] = remap_json(v, maps, k)
    return out


# --- import ----------------------------------------------------------------------------


@contextmanager
def _keeping_stored_times(*model_classes):
    """auto_now / auto_now_add would stamp the import's time on every row: keep the
    exported times instead, for the duration of the import."""
    switched = []
    for model in model_classes:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                switched.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in switched:
            f.auto_now, f.auto_now_add = now, now_add


def _read_archive(source: Path) -> tuple[dict, dict[str, bytes]]:
    members = {}
    try:
        with tarfile.open(source, "r") as archive:
            for member in archive.getmembers():
                if not member.isfile() or member.name.startswith("/") or ".." in member.name:
                    raise TransferError(f"Niedozwolony wpis w pliku eksportu: {member.name}.")
                members[member.name] = archive.extractfile(member).read()
    except (tarfile.TarError, OSError) as exc:
        raise TransferError(f"To nie jest plik eksportu urzędu: {exc}.") from exc
    try:
        manifest = json.loads(members.pop("manifest.json"))
    except (KeyError, json.JSONDecodeError) as exc:
        raise TransferError("To nie jest plik eksportu urzędu (brak manifest.json).") from exc
    if manifest.get("format") != FORMAT:
        raise TransferError(f"Nieznany format eksportu: {manifest.get('format')!r}.")
    if set(members) != set(manifest["files"]):
        raise TransferError("Plik eksportu jest niepełny: lista plików nie zgadza się.")
    for name, data in members.items():
        if hashlib.sha256(data).hexdigest() != manifest["files"][name]:
            raise TransferError(f"Suma kontrolna {name} się nie zgadza: plik uszkodzony.")
    return manifest, members


def _table(members: dict[str, bytes], name: str) -> list[dict]:
    text = members.get(f"data/{name}.jsonl", b"").decode()
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _coerce(model, row: dict) -> dict:
    """JSON values back to what the model's fields take (dates, times)."""
    out = {}
    for f in model._meta.concrete_fields:
        if f.attname not in row:
            continue
        value = row[f.attname]
        if value is not None and isinstance(value, str):
            if isinstance(f, models.DateTimeField):
                value = parse_datetime(value)
            elif isinstance(f, models.DateField):
                value = parse_date(value)
        out[f.attname] = value
    return out


def _refuse_clashes(*, slug: str, domains: list[dict], users: list[dict]) -> None:
    problems = []
    if Office.objects.filter(slug=slug).exists():
        problems.append(
            f"Urząd o adresie „{slug}” już jest w tej instalacji — wybierz inny adres opcją --slug."
        )
    taken = sorted(
        OfficeDomain.objects.filter(domain__in=[d["domain"] for d in domains]).values_list(
            "domain", flat=True
        )
    )
    if taken:
        problems.append(
            "Te domeny należą już do innego urzędu tej instalacji: " + ", ".join(taken) + "."
        )
    names = sorted(
        User.objects.filter(username__in=[u["username"] for u in users]).values_list(
            "username", flat=True
        )
    )
    if names:
        problems.append(
            "Te loginy są już zajęte w tej instalacji: " + ", ".join(names) + " — zmień je "
            "przed eksportem albo usuń tu."
        )
    if problems:
        raise TransferError(" ".join(problems))


def _store_file(members: dict[str, bytes], name: str, slug: str, old_slug: str) -> str:
    if not name:
        return ""
    target = name.replace(f"/{old_slug}/", f"/{slug}/", 1)
    return default_storage.save(target, ContentFile(members[f"files/{name}"]))


def _files(model, row: dict, store) -> dict:
    """Every file of the row stored here under a new name: {field: new name}."""
    return {
        f.attname: store(row.get(f.attname) or "")
        for f in model._meta.concrete_fields
        if isinstance(f, models.FileField)
    }


def _new(model, row: dict, drop=("id",), **values):
    data = {k: v for k, v in _coerce(model, row).items() if k not in drop}
    data.update(values)
    obj = model(**data)
    return obj


def office_import(*, source: Path, slug: str | None = None) -> Office:
    """Read an office export into this installation (see module doc). One transaction;
    files written for a failed import are removed again."""
    _manifest, members = _read_archive(Path(source))
    (office_row,) = _table(members, "office") or [None]
    if office_row is None:
        raise TransferError("W pliku eksportu nie ma urzędu.")
    old_slug = office_row["slug"]
    slug = slug or old_slug
    domains, users = _table(members, "domains"), _table(members, "users")
    _refuse_clashes(slug=slug, domains=domains, users=users)
    written: list[str] = []
    maps = IdMaps()

    def store(name: str) -> str:
        stored = _store_file(members, name, slug, old_slug)
        if stored:
            written.append(stored)
        return stored

    try:
        with (
            transaction.atomic(),
            _keeping_stored_times(
                Office,
                Survey,
                SurveyVersion,
                PrintLayout,
                AuditEntry,
                Action,
                User,
                ScanImport,
                ReminderOptOut,
                ReminderClaim,
            ),
        ):
            office = _new(Office, office_row, slug=slug, logo=store(office_row.get("logo") or ""))
            office.save()
            maps.office = office.pk
            for row in domains:
                _new(OfficeDomain, row, office_id=office.pk).save()
            for row in _table(members, "departments"):
                department = _new(Department, row, office_id=office.pk)
                department.save()
                maps.departments[row["id"]] = department.pk
            for row in users:
                user = _new(User, row, office_id=office.pk)
                user.set_unusable_password()
                user.save()
                maps.users[row["id"]] = user.pk
            _import_survey(members, office, maps)
            _import_responses(members, office, maps)
            for row in _table(members, "layouts"):
                _new(
                    PrintLayout,
                    row,
                    office_id=office.pk,
                    version_id=maps.versions[row["version_id"]],
                    layout=remap_json(row["layout"], maps),
                ).save()
            for row in _table(members, "reports"):
                report = _new(
                    ArchivedReport,
                    row,
                    office_id=office.pk,
                    created_by_id=maps.users.get(row.get("created_by_id")),
                    params=remap_json(row["params"], maps),
                    figures=remap_json(row["figures"], maps),
                    **_files(ArchivedReport, row, store),
                )
                report.save(force_insert=True)
                maps.reports[row["id"]] = report.pk
            for row in _table(members, "visible_changes"):
                _new(
                    VisibleChange,
                    row,
                    office_id=office.pk,
                    report_id=maps.reports[row["report_id"]],
                    actor_id=maps.users.get(row.get("actor_id")),
                    job_id=None,
                ).save()
            for row in _table(members, "actions"):
                action = _new(
                    Action,
                    row,
                    office_id=office.pk,
                    department_id=maps.departments.get(row.get("department_id")),
                    owner_id=maps.users.get(row.get("owner_id")),
                    created_by_id=maps.users.get(row.get("created_by_id")),
                    targets=remap_json(row.get("targets") or [], maps),
                    hotspot_id=maps.hot_spot(row.get("hotspot_id") or ""),
                    **_files(Action, row, store),
                )
                action.save()
                maps.actions[row["id"]] = action.pk
            _import_reminders(members, office, maps)
            maps.scans = scans_import(
                tables={name: _table(members, name) for name, *_ in scans_export_querysets(office)},
                office=office,
                new=_new,
                users=maps.users,
                versions=maps.versions,
                responses=maps.responses,
                department=maps.department,
                department_keys=maps.department_keys,
            )
            _import_audit(members, office, maps)
    except Exception:
        for name in written:
            default_storage.delete(name)
        raise
    return office


def _import_reminders(members, office: Office, maps: IdMaps) -> None:
    """The office's reminder settings, who switched reminders off, and the mails already
    claimed (so that none is sent again from here; an action's id in a claim's key
    follows the action)."""
    for row in _table(members, "reminder_settings"):
        _new(ReminderSettings, row, office_id=office.pk).save()
    for row in _table(members, "reminder_opt_outs"):
        if row.get("user_id") in maps.users:
            _new(ReminderOptOut, row, user_id=maps.users[row["user_id"]]).save()
    claims = []
    for row in _table(members, "reminder_claims"):
        kind, _sep, rest = (row.get("key") or "").partition(":")
        action_id, _sep, deadline = rest.partition(":")
        key = row.get("key") or ""
        if kind in ("overdue", "deadline-soon") and action_id.isdigit():
            key = f"{kind}:{maps.actions.get(int(action_id), action_id)}:{deadline}"
        claims.append(_new(ReminderClaim, row, office_id=office.pk, key=key))
    ReminderClaim.objects.bulk_create(claims, batch_size=CHUNK)


def _import_survey(members, office: Office, maps: IdMaps) -> None:
    (survey_row,) = _table(members, "survey") or [None]
    if survey_row is None:
        return
    survey = _new(Survey, survey_row, office_id=office.pk, current_version_id=None)
    survey.save()
    for row in _table(members, "versions"):
        for _section, question in iter_questions(row["definition"]):
            if question.get("kind") == "department":
                maps.department_keys.add(question["key"])
        version = _new(
            SurveyVersion,
            row,
            office_id=office.pk,
            survey_id=survey.pk,
            published_by_id=maps.users.get(row.get("published_by_id")),
            created_by_id=maps.users.get(row.get("created_by_id")),
            based_on_id=maps.versions.get(row.get("based_on_id")),
            definition=remap_json(row["definition"], maps),
        )
        version.save()
        maps.versions[row["id"]] = version.pk
    if survey_row.get("current_version_id"):
        Survey.objects.filter(pk=survey.pk).update(
            current_version_id=maps.versions[survey_row["current_version_id"]]
        )


def _import_responses(members, office: Office, maps: IdMaps) -> None:
    batch, old_ids = [], []
    for row in _table(members, "responses"):
        old_ids.append(row["id"])
        batch.append(
            _new(
                Response,
                row,
                office_id=office.pk,
                version_id=maps.versions[row["version_id"]],
                department_id=maps.departments.get(row.get("department_id")),
                entered_by_id=maps.users.get(row.get("entered_by_id")),
                answers=remap_json(row["answers"], maps, "answers"),
            )
        )
        if len(batch) >= CHUNK:
            _responses_create(batch, old_ids, maps)
            batch, old_ids = [], []
    if batch:
        _responses_create(batch, old_ids, maps)


def _responses_create(batch: list, old_ids: list[int], maps: IdMaps) -> None:
    # Both engines return the new ids (PostgreSQL; SQLite from 3.35): scan sheets need them.
    for old, response in zip(old_ids, Response.objects.bulk_create(batch), strict=True):
        maps.responses[old] = response.pk


_AUDIT_TARGETS = {
    "user": "users",
    "department": "departments",
    "surveyversion": "versions",
    "archivedreport": "reports",
    "action": "actions",
    "scanimport": "scan_imports",
    "scansheet": "scan_sheets",
    "scanpage": "scan_pages",
}


def _import_audit(members, office: Office, maps: IdMaps) -> None:
    entries = []
    for row in _table(members, "audit"):
        target_id = row.get("target_id") or ""
        table = _AUDIT_TARGETS.get(row.get("target_type"), "")
        mapping = maps.scans.get(table) or getattr(maps, table, None)
        if row.get("target_type") == "office":
            target_id = str(office.pk)
        elif mapping is not None and target_id.isdigit():
            target_id = str(mapping.get(int(target_id), target_id))
        entries.append(
            _new(
                AuditEntry,
                row,
                office_id=office.pk,
                actor_id=maps.users.get(row.get("actor_id")),
                target_id=target_id,
                before=remap_json(row.get("before") or {}, maps),
                after=remap_json(row.get("after") or {}, maps),
            )
        )
    AuditEntry.objects.bulk_create(entries, batch_size=CHUNK)
