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
from dataclasses import dataclass
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


@dataclass
class Run:
    wall: float  # seconds on the clock: what the user waits
    cpu: float  # seconds of this process's CPU: the same figure on a busy machine
    result: object


def timed(render) -> Run:
    wall, cpu = time.perf_counter(), time.process_time()
    result = render()
    return Run(time.perf_counter() - wall, time.process_time() - cpu, result)


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

        cold = timed(render)
        timed(render)  # warm-up
        runs = [timed(render) for _ in range(args.runs)]
        median = statistics.median(r.wall for r in runs)
        median_cpu = statistics.median(r.cpu for r in runs)
        result = cold.result
        pages = result.pages_per_sheet
        verdict = "OK" if median < TARGET_SECONDS else "TOO SLOW"
        load = os.getloadavg()[0]
        print(
            f"departments: {len(DEPARTMENTS)}, answer boxes: {len(result.layout['boxes'])}, "
            f"PDF size: {len(result.pdf) / 1024:.0f} KiB; "
            f"load average {load:.1f} on {os.cpu_count()} CPUs"
        )
        print(
            f"first (cold) run: {cold.wall:.2f} s (CPU {cold.cpu:.2f} s); runs: "
            + ", ".join(f"{r.wall:.2f}" for r in runs)
        )
        print(
            f"PDF of the survey ({pages} pages): median {median:.2f} s "
            f"(target < {TARGET_SECONDS:.0f} s) {verdict}; CPU median {median_cpu:.2f} s"
        )

        if args.batch:
            numbers = list(range(101, 101 + args.batch))
            batch = timed(
                lambda: survey_pdf_render(
                    office=office, version=version, language="pl", sheet_numbers=numbers
                )
            )
            print(
                f"numbered batch of {args.batch} sheets ({args.batch * pages} pages): "
                f"{batch.wall:.2f} s (CPU {batch.cpu:.2f} s), "
                f"{batch.wall / args.batch:.3f} s per sheet, {len(batch.result.pdf) / 1024:.0f} KiB"
            )


if __name__ == "__main__":
    main()
