"""The computed report as JSON: the exact figures, for archiving and other tools."""

import json

import orjson


def report_json(report: dict) -> bytes:
    """UTF-8 JSON, Polish letters as they are, keys sorted, compact.

    The same report always gives the same bytes. Encoded by orjson, five to six times
    faster than the standard library (a five-year report of a large office carries about
    100,000 open answers, 24 MB). Its bytes are those of ``report_json_stdlib`` but for
    the notation of a few numbers: a float under 1e-4 is written in its shortest form
    (``4e-6``, not ``4e-06``; a hot spot's adjusted p-value keeps six decimals) — the
    same value for every JSON reader. What orjson refuses (a key that is not a string, an
    integer beyond 64 bits) goes to the standard library.
    """
    try:
        return orjson.dumps(report, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        return report_json_stdlib(report)


def report_json_stdlib(report: dict) -> bytes:
    """The report as the standard library's encoder writes it (UTF-8, keys sorted,
    compact). Archive entries are keyed by a hash of these bytes
    (archive.report_content_key): they stay the same from version to version, so the
    same report drawn again finds the entry archived before."""
    return json.dumps(report, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )
