"""Raw answers as rows, and rows as a CSV download: both streamed, in constant memory.

``responses_csv_rows`` reads the responses of a period in chunks (one query for them,
a few small ones for versions and department names, whatever the volume);
``csv_stream`` encodes any rows as CSV chunks of about a thousand rows. Nothing keeps a
list of all rows, so a million responses download in constant memory.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from ocenurzad.offices.models import Office
from ocenurzad.reports.selectors import departments_all, responses_in_period, survey_versions_all
from ocenurzad.responses.models import Channel
from ocenurzad.surveys.definition import NOT_APPLICABLE, iter_questions

FLUSH_ROWS = 1000
DIALECTS = {"excel-pl": ";", "excel": ","}
MULTI_SEPARATOR = "|"
BOM = "\ufeff"
# A cell starting with one of these is a formula to a spreadsheet program; residents type
# free text, so such cells get a leading apostrophe (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULA_SET = frozenset(FORMULA_START)
ROW_FIELDS = (
    "pk",
    "submitted_at",
    "channel",
    "source",
    "language",
    "department_id",
    "version_id",
    "answers",
)


def not_applicable_label() -> str:
    return _("nie dotyczy")


def responses_csv_header_fixed() -> list[str]:
    return [_("id"), _("data"), _("kanał"), _("źródło"), _("język"), _("wydział"), _("wersja")]


def responses_csv_rows(
    *,
    office: Office,
    start: date,
    end: date,
    department_id: int | None = None,
    channel: str | None = None,
) -> Iterator[list]:
    """The header, then one row per response of the office in ``start``..``end``
    (local days, both included), optionally of one department and one channel, oldest
    first.

    Columns: id, local date, channel, source, language, department name, version code,
    then one per question key of every version answered in the period, in the survey's
    order (the department question is the "wydział" column). Ratings are numbers 1–5 or
    "nie dotyczy"; choices are their stable option values, several joined with "|";
    unanswered is empty.
    """
    responses = responses_in_period(
        office=office, start=start, end=end, department_id=department_id, channel=channel
    )
    used = set(responses.order_by().values_list("version_id", flat=True).distinct())
    versions = survey_versions_all(office=office)
    for version in versions:
        version.office = office  # the code names the office: no query per version for it
    codes = {v.pk: v.code for v in versions}
    columns = _question_columns([v.definition for v in versions if v.pk in used])
    departments = {d.pk: d.name for d in departments_all(office=office)}
    channels = {value: str(label) for value, label in Channel.choices}
    yield responses_csv_header_fixed() + [key for key, _rating in columns]
    yield from _rows(
        responses.values_list(*ROW_FIELDS).iterator(chunk_size=2000),
        columns=columns,
        codes=codes,
        departments=departments,
        channels=channels,
    )


def _rows(records, *, columns, codes, departments, channels) -> Iterator[list]:
    # The hot loop of a million-row export: per row, C-level look-ups of all answers, and
    # Python work only where a value must change ("na" of a rating, several choices).
    tz = timezone.get_default_timezone()
    na = not_applicable_label()
    keys = [key for key, _rating in columns]
    ratings = [index for index, (_key, rating) in enumerate(columns) if rating]
    departments = {**departments, None: ""}
    for pk, submitted_at, channel, source, language, dept_id, version_id, answers in records:
        values = list(map((answers or {}).get, keys))
        if NOT_APPLICABLE in values:
            for index in ratings:
                if values[index] == NOT_APPLICABLE:
                    values[index] = na
        if list in map(type, values):
            values = [
                MULTI_SEPARATOR.join(map(str, v)) if v.__class__ is list else v for v in values
            ]
        yield [
            pk,
            submitted_at.astimezone(tz).date().isoformat(),
            channels.get(channel, channel),
            source,
            language,
            departments.get(dept_id, ""),
            codes.get(version_id, ""),
            *values,
        ]


def _question_columns(definitions: list[dict]) -> list[tuple[str, bool]]:
    """(key, is rating) of every answer column, newest version's order first; a key only
    older versions had goes right after the key it followed there."""
    order: list[str] = []
    kinds: dict[str, str] = {}
    for definition in reversed(definitions):  # newest first
        previous = None
        for _section, question in iter_questions(definition):
            key, kind = question["key"], question["kind"]
            if kind == "department":
                continue
            kinds.setdefault(key, kind)
            if key not in order:
                position = order.index(previous) + 1 if previous in order else 0
                order.insert(position, key)
            previous = key
    return [(key, kinds[key] == "rating") for key in order]


def csv_stream(rows: Iterable, *, dialect: str = "excel-pl") -> Iterator[bytes]:
    """``rows`` as UTF-8 CSV with a BOM (so Excel reads the Polish letters), yielded in
    chunks of ``FLUSH_ROWS`` rows; the header row is yielded at once.

    ``excel-pl``: ";" between fields and a decimal comma, as a Polish Excel expects;
    ``excel``: "," and a decimal point. Lists are joined with "|"; a text that a
    spreadsheet would run as a formula gets a leading apostrophe.
    """
    if dialect not in DIALECTS:
        raise ValueError(f"Unknown CSV dialect: {dialect!r}")
    decimal_comma = dialect == "excel-pl"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DIALECTS[dialect], lineterminator="\r\n")
    buffer.write(BOM)
    pending = 0
    first = True
    for row in rows:
        # Most cells (numbers, empty, ordinary text) go out as they are, without a call.
        writer.writerow(
            [
                value
                if value is None
                or value.__class__ is int
                or (value.__class__ is str and value[:1] not in FORMULA_SET)
                else _cell(value, decimal_comma)
                for value in row
            ]
        )
        pending += 1
        if first or pending >= FLUSH_ROWS:
            first = False
            pending = 0
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if first or pending:
        yield buffer.getvalue().encode("utf-8")


def _cell(value, decimal_comma: bool):
    cls = value.__class__
    if cls is str:
        return "'" + value if value and value[0] in FORMULA_START else value
    if cls is int or value is None:
        return value
    if cls is float:
        return repr(value).replace(".", ",") if decimal_comma else repr(value)
    if cls is list or cls is tuple:
        return _cell(MULTI_SEPARATOR.join(str(v) for v in value), decimal_comma)
    if cls is bool:
        return _("tak") if value else _("nie")
    return _cell(str(value), decimal_comma)
