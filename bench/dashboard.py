#!/usr/bin/env python
"""How long the panel's dashboard (/admin/pulpit/) takes, with its satisfaction figures.

Runs the app in-process on a temporary SQLite database (or ``--database-url``) filled by
``manage.py demo --responses N`` (two offices over two years), warms the report counters
(``reports_warm``: the steady state after the nightly job), logs in as the demo office's
administrator and fetches the dashboard through the Django test client:

  cold   the shared cache emptied first: both reports (last 12 months and the year so
         far, each with its comparison) are computed — what the first visit after a new
         response or a correction costs;
  warm   the figures kept in the cache (nothing changed since): the steady state.
         Target (issue 15): at most 300 ms.

Each figure is the median of ``--runs`` requests, printed with its CPU time, the queries
it ran and the load average (2 cores shared: wall times grow with the load, CPU times
much less).

    .venv/bin/python bench/dashboard.py [--responses 3000] [--runs 5]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default="")
    return parser.parse_args()


def main() -> int:
    args = _args()
    tmp = tempfile.mkdtemp(prefix="ocenurzad-dashboard-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/dashboard.sqlite3"
    os.environ["MEDIA_ROOT"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocenurzad.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ocenurzad.accounts.models import User

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("demo", responses=args.responses, verbosity=0)
    call_command("reports_warm", verbosity=0)
    client = Client()
    client.force_login(User.objects.get(username="admin.swinoujscie"))
    url = "/swinoujscie/admin/pulpit/"

    def fetch(*, clear: bool) -> tuple[float, float, int]:
        if clear:
            cache.clear()
        wall, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        assert b"dashboard-figure" in response.content
        return time.perf_counter() - wall, time.process_time() - cpu, len(queries)

    fetch(clear=True)  # the first visit also stores today's rollups: not measured
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"engine: {connection.vendor}; demo responses per office: {args.responses}")
    for label, clear in (("cold (cache emptied)", True), ("warm (figures kept)", False)):
        runs = [fetch(clear=clear) for _ in range(args.runs)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        print(
            f"dashboard {label}: median {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU, "
            f"{runs[-1][2]} queries ({args.runs} runs)"
        )
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
