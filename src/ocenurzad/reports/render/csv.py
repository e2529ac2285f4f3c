"""Raw answers as rows, and rows as a CSV download: both streamed.

``responses_csv_rows`` gives one row per response of a period, made so that nobody can be
singled out by it (compute/disclosure.py): the month, never the day or the time; no id
and no order of arrival (rows come month by month, sorted by their content); no free
text (the comments are a file of their own, ``comment_rows``, that no column links to a
row); and k-anonymous over the profile of a row — month, department, channel, version,
language, where the resident came from and every choice answer — by suppressing rare
values. It reads the period twice (once to count the profiles, once to write the rows)
and holds one month's rows at a time.

``csv_stream`` encodes any rows as CSV chunks of about a thousand rows.
"""

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from ocenurzad.offices.models import Office
from ocenurzad.reports.compute.disclosure import SUPPRESSED, k_anonymize
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
ROW_FIELDS = ("submitted_at", "channel", "source", "language", "department_id", "version_id")
# The fixed columns, most useful first: all of them are profile (quasi-identifying).
FIXED = 6  # month, department, channel, version, language, source


def not_applicable_label() -> str:
    return _("nie dotyczy")


def suppressed_label() -> str:
    return _("ukryte")


def responses_csv_header_fixed() -> list[str]:
    return [_("miesiąc"), _("wydział"), _("kanał"), _("wersja"), _("język"), _("źródło")]


def responses_csv_rows(
    *,
    office: Office,
    start: date,
    end: date,
    department_id: int | None = None,
    channel: str | None = None,
    client_type: str | None = None,
    k: int,
) -> Iterator[list]:
    """The header, then one row per response of the office in ``start``..``end``
    (local days, both included), optionally of one department and one channel.

    Columns: month (YYYY-MM), department name, channel, version code, language, source,
    then one per rating or choice question of every version answered in the period, in
    the survey's order (no text questions: see the comments annex). Ratings are numbers
    1–5 or "nie dotyczy"; choices are their stable option values, several joined with
    "|"; unanswered is empty; a profile value suppressed for k-anonymity reads "ukryte".
    """
    responses = responses_in_period(
        office=office,
        start=start,
        end=end,
        department_id=department_id,
        channel=channel,
        client_type=client_type,
    )
    used = set(responses.order_by().values_list("version_id", flat=True).distinct())
    versions = survey_versions_all(office=office)
    for version in versions:
        version.office = office  # the code names the office: no query per version for it
    codes = {v.pk: v.code for v in versions}
    columns = _question_columns([v.definition for v in versions if v.pk in used])
    departments = {d.pk: d.name for d in departments_all(office=office)}
    channels = {value: str(label) for value, label in Channel.choices}
    profile = list(range(FIXED)) + [
        FIXED + i for i, (_key, kind) in enumerate(columns) if kind != "rating"
    ]

    def rows():
        return _rows(
            responses.values_list(*ROW_FIELDS, "answers").iterator(chunk_size=2000),
            columns=columns,
            codes=codes,
            departments=departments,
            channels=channels,
        )

    counts = Counter(tuple(row[i] for i in profile) for row in rows())
    published = k_anonymize(counts, k)
    hidden = suppressed_label()
    yield responses_csv_header_fixed() + [key for key, _kind in columns]
    month, pending = None, []
    for row in rows():
        if row[0] != month:
            yield from sorted(pending, key=_content_order)
            month, pending = row[0], []
        shown = published[tuple(row[i] for i in profile)]
        for index, value in zip(profile, shown, strict=True):
            row[index] = hidden if value is SUPPRESSED else value
        pending.append(row)
    yield from sorted(pending, key=_content_order)


def _content_order(row: list) -> tuple:
    # within a month, by what the row says: its place tells nothing about when it came
    return tuple("" if v is None else str(v) for v in row)


def _rows(records, *, columns, codes, departments, channels) -> Iterator[list]:
    # The hot loop of a big export: per row, C-level look-ups of all answers, and
    # Python work only where a value must change ("na" of a rating, several choices).
    tz = timezone.get_default_timezone()
    na = not_applicable_label()
    keys = [key for key, _kind in columns]
    ratings = [index for index, (_key, kind) in enumerate(columns) if kind == "rating"]
    departments = {**departments, None: ""}
    for submitted_at, channel, source, language, dept_id, version_id, answers in records:
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
            f"{submitted_at.astimezone(tz):%Y-%m}",
            departments.get(dept_id, ""),
            channels.get(channel, channel),
            codes.get(version_id, ""),
            language or "",
            source or "",
            *("" if v is None else v for v in values),
        ]


def _question_columns(definitions: list[dict]) -> list[tuple[str, str]]:
    """(key, kind) of every answer column (ratings and choices: no department, no free
    text), newest version's order first; a key only older versions had goes right after
    the key it followed there."""
    order: list[str] = []
    kinds: dict[str, str] = {}
    for definition in reversed(definitions):  # newest first
        previous = None
        for _section, question in iter_questions(definition):
            key, kind = question["key"], question["kind"]
            if kind in ("department", "text"):
                continue
            kinds.setdefault(key, kind)
            if key not in order:
                position = order.index(previous) + 1 if previous in order else 0
                order.insert(position, key)
            previous = key
    return [(key, kinds[key]) for key in order]


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
