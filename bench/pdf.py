#!/usr/bin/env python
"""How long the printable survey PDF takes to generate (target: under 1 s).

Prepares a throw-away SQLite database (one office, 12 departments, the default survey),
then times ``survey_pdf_render``: the first, cold run in this process, then the median of
5 runs after one warm-up. Optionally a numbered batch too.

    .venv/bin/python bench/pdf.py [--runs 5] [--batch 50]
"""

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

TARGET_SECONDS = 1.0
DEPARTMENTS = [
    "Wydział Komunikacji",
    "Wydział Spraw Obywatelskich",
    "Urząd Stanu Cywilnego",
    "Wydział Podatków i Opłat",
    "Wydział Architektury i Budownictwa",
    "Wydział Gospodarki Nieruchomościami",
    "Wydział Ochrony Środowiska",
    "Biuro Obsługi Interesantów",
    "Wydział Edukacji",
    "Wydział Spraw Społecznych",
    "Referat Zamówień Publicznych",
    "Biuro Rady Miasta",
]


def setup(database: Path):
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocenurzad.settings")
    import django

    django.setup()
    # WeasyPrint reports each step at INFO; only the figures belong on the screen.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)

    from ocenurzad.offices.models import Department, Office
    from ocenurzad.surveys.services import survey_create_default

    office = Office.objects.create(
        slug="benchmarkowo",
        name="Urząd Miasta Benchmarkowo",
        office_type="miasto",
        street_address="ul. Długa 1",
        postal_code="00-001",
        city="Benchmarkowo",
    )
    for position, name in enumerate(DEPARTMENTS):
        Department.objects.create(office=office, name=name, position=position)
    survey = survey_create_default(office=office)
    return office, survey.current_version


def timed(render) -> tuple[float, object]:
    start = time.perf_counter()
    result = render()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--batch", type=int, default=0, help="also time a numbered batch of this many sheets"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ou-bench-pdf-") as tmp:
        office, version = setup(Path(tmp) / "bench.sqlite3")
        from ocenurzad.printing.pdf import survey_pdf_render

        def render():
            return survey_pdf_render(office=office, version=version, language="pl")

        cold, result = timed(render)
        timed(render)  # warm-up
        runs = [timed(render)[0] for _ in range(args.runs)]
        median = statistics.median(runs)
        pages = result.pages_per_sheet
        verdict = "OK" if median < TARGET_SECONDS else "TOO SLOW"
        print(
            f"departments: {len(DEPARTMENTS)}, answer boxes: {len(result.layout['boxes'])}, "
            f"PDF size: {len(result.pdf) / 1024:.0f} KiB"
        )
        print(f"first (cold) run: {cold:.2f} s; runs: " + ", ".join(f"{r:.2f}" for r in runs))
        print(
            f"PDF of the survey ({pages} pages): median {median:.2f} s "
            f"(target < {TARGET_SECONDS:.0f} s) {verdict}"
        )

        if args.batch:
            numbers = list(range(101, 101 + args.batch))
            seconds, batch = timed(
                lambda: survey_pdf_render(
                    office=office, version=version, language="pl", sheet_numbers=numbers
                )
            )
            print(
                f"numbered batch of {args.batch} sheets ({args.batch * pages} pages): "
                f"{seconds:.2f} s, {seconds / args.batch:.3f} s per sheet, "
                f"{len(batch.pdf) / 1024:.0f} KiB"
            )


if __name__ == "__main__":
    main()
