"""The computed report as JSON: the exact figures, for archiving and other tools."""

import json


def report_json(report: dict) -> bytes:
    """UTF-8 JSON, Polish letters as they are, keys sorted, one space of indent.

    The same report always gives the same bytes (the archive checksums them).
    """
    return json.dumps(report, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
