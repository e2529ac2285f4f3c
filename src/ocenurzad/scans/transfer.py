"""The scans app's part of an office export (``operations/transfer.py``).

Carried: the upload records and their protocol (files' names, sizes and SHA-256, pages'
states, hashes and measured boxes, sheets' numbers, states and answers) and the state of
the two queues (who decided what, what is still open) — so that the new installation
still recognises a stack scanned again and keeps the audit trail.

Never carried: an image. Uploaded files, straightened pages and crops are personal data
kept only days (``scans_purge``) and are not in backups either; their paths are emptied
in the export. An open question or comment therefore arrives without its picture: finish
the queues before moving an office, or scan those sheets again there.
"""

from collections.abc import Callable

from .models import ScanComment, ScanFile, ScanImport, ScanPage, ScanQuestion, ScanSheet

# Each model's image field: emptied in every export.
IMAGE_FIELDS = {ScanFile: "path", ScanPage: "image", ScanQuestion: "crop", ScanComment: "crop"}

TABLES = (
    ("scan_imports", ScanImport),
    ("scan_files", ScanFile),
    ("scan_sheets", ScanSheet),
    ("scan_pages", ScanPage),
    ("scan_questions", ScanQuestion),
    ("scan_comments", ScanComment),
)


def scans_export_querysets(office) -> list[tuple[str, type, object]]:
    return [(name, model, model.objects.filter(office=office)) for name, model in TABLES]


def _values(values, department: Callable):
    return [department(v) for v in values] if isinstance(values, list) else values


def scans_import(
    *,
    tables: dict[str, list[dict]],
    office,
    new: Callable,
    users: dict,
    versions: dict,
    responses: dict,
    department: Callable,
    department_keys: set[str],
) -> dict[str, dict[int, int]]:
    """Create the office's scan rows from the export's ``tables`` (inside the import's
    transaction). ``new(model, row, **values)`` builds an unsaved object from a row;
    ``department`` maps an old department id (str or int) to the new one. Returns
    {table: {old id: new id}} for the audit log's targets."""
    maps: dict[str, dict[int, int]] = {name: {} for name, _model in TABLES}

    def add(name, model, row, **values):
        obj = new(model, row, office_id=office.pk, **values)
        if model in IMAGE_FIELDS:
            setattr(obj, IMAGE_FIELDS[model], "")
        obj.save()
        maps[name][row["id"]] = obj.pk

    for row in tables.get("scan_imports", []):
        add("scan_imports", ScanImport, row, created_by_id=users.get(row.get("created_by_id")))
    for row in tables.get("scan_files", []):
        add("scan_files", ScanFile, row, scan_import_id=maps["scan_imports"][row["scan_import_id"]])
    for row in tables.get("scan_sheets", []):
        answers = {
            key: _values(values, department) if key in department_keys else values
            for key, values in (row.get("answers") or {}).items()
        }
        add(
            "scan_sheets",
            ScanSheet,
            row,
            scan_import_id=maps["scan_imports"][row["scan_import_id"]],
            version_id=versions[row["version_id"]],
            response_id=responses.get(row.get("response_id")),
            answers=answers,
        )
    for row in tables.get("scan_pages", []):
        measured = row.get("measured") or {}
        if measured.get("boxes"):
            measured = {
                **measured,
                "boxes": [
                    [k, department(v) if k in department_keys else v, *rest]
                    for k, v, *rest in measured["boxes"]
                ],
            }
        add(
            "scan_pages",
            ScanPage,
            row,
            scan_file_id=maps["scan_files"][row["scan_file_id"]],
            sheet_id=maps["scan_sheets"].get(row.get("sheet_id")),
            measured=measured,
        )
    for row in tables.get("scan_questions", []):
        is_department = row.get("key") in department_keys
        add(
            "scan_questions",
            ScanQuestion,
            row,
            sheet_id=maps["scan_sheets"].get(row.get("sheet_id")),
            page_id=maps["scan_pages"][row["page_id"]],
            answered_by_id=users.get(row.get("answered_by_id")),
            options=[{**o, "value": department(o.get("value"))} for o in row.get("options") or []]
            if is_department
            else row.get("options") or [],
            read_values=_values(row.get("read_values") or [], department)
            if is_department
            else row.get("read_values") or [],
            answer=_values(row.get("answer"), department) if is_department else row.get("answer"),
        )
    for row in tables.get("scan_comments", []):
        add(
            "scan_comments",
            ScanComment,
            row,
            sheet_id=maps["scan_sheets"][row["sheet_id"]],
            done_by_id=users.get(row.get("done_by_id")),
        )
    return maps
