"""How long the XLSX report's raw-data sheet takes to write: rows by columns like the
panel's "Dane surowe" sheet (45 columns of a default-survey response), through the same
writer (reports/render/xlsx.py). Prints seconds, file size and microseconds per cell —
the figure behind XLSX_RAW_MAX_ROWS (README).

    .venv/bin/python bench/xlsx_raw.py --rows 20000
"""

import argparse
import datetime
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
    from openpyxl import Workbook

    from ocenurzad.reports.render import xlsx

    header = ["id", "data", "godzina", "kanal", "jezyk", "wydzial", "wersja"]
    header += [f"q{i}" for i in range(38)]
    day = datetime.date(2025, 1, 1)

    def rows():
        yield header
        for number in range(args.rows):
            yield (
                [number, day, "12:00", "online", "pl", "Wydział Komunikacji", 3]
                + [4] * 30
                + ["na"] * 4
                + ["tak", "Więcej ławek w poczekalni.", "", ""]
            )

    workbook = Workbook(write_only=True)
    started = time.perf_counter()
    xlsx._raw(xlsx._Writer(workbook), rows())
    buffer = io.BytesIO()
    workbook.save(buffer)
    elapsed = time.perf_counter() - started
    cells = args.rows * len(header)
    print(
        f"{args.rows:,} rows x {len(header)} columns: {elapsed:.2f} s, "
        f"{len(buffer.getvalue()) / 1e6:.1f} MB, {elapsed / cells * 1e6:.2f} µs a cell; "
        f"XLSX_RAW_MAX_ROWS=100,000 would take about {elapsed / args.rows * 100_000:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
