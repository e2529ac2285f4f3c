"""How long the XLSX report's raw-data sheet takes to write: rows by columns like the
panel's "Dane surowe" sheet (45 columns of a default-survey response), through the same
writer (reports/render/xlsx.py, XlsxWriter in constant-memory mode). Prints seconds, file
size and microseconds per cell — the figure behind XLSX_RAW_MAX_ROWS (README). Run it
under /usr/bin/time -v to see that the memory does not grow with --rows.

    .venv/bin/python bench/xlsx_raw.py --rows 100000

Measured on 2 shared cores: openpyxl's write-only mode (before) 32.2 s for 100,000 rows
(7.2 µs a cell, 68 MB); XlsxWriter (now): see bench/README.md.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20000, help="responses (default 20000)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocenurzad.settings")
    os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
    import django

    django.setup()
    from ocenurzad.reports.render import xlsx

    # the raw export's columns: month, department, channel, version, language, source,
    # then the answers (ratings, choices; free text is a file of its own)
    header = ["miesiac", "wydzial", "kanal", "wersja", "jezyk", "zrodlo"]
    header += [f"q{i}" for i in range(39)]

    def rows():
        yield header
        for number in range(args.rows):
            yield (
                [f"2025-{number % 12 + 1:02d}", "Wydział Komunikacji", "internet", "SW-V3"]
                + ["pl", "baner"]
                + [4] * 30
                + ["nie dotyczy"] * 4
                + ["tak", "kobieta", "", "osoba", ""]
            )

    buffer = io.BytesIO()
    cpu_started = time.process_time()
    started = time.perf_counter()
    writer = xlsx._Writer(buffer)
    xlsx._raw(writer, rows())
    writer.close()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    cells = args.rows * len(header)
    print(
        f"{args.rows:,} rows x {len(header)} columns: {elapsed:.2f} s ({cpu:.2f} s CPU), "
        f"{len(buffer.getvalue()) / 1e6:.1f} MB, {elapsed / cells * 1e6:.2f} µs a cell; "
        f"XLSX_RAW_MAX_ROWS=100,000 would take about {elapsed / args.rows * 100_000:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
