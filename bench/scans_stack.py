#!/usr/bin/env python
"""A stack of scanned sheets read end to end through the background jobs, while residents
fill in the survey — the residents' submission latency before and during.

On PostgreSQL (a fresh database): the default questionnaire is rendered as --stack
numbered sheets (form v2), each marked with X (the truth kept) and harmed lightly as a
copier does (rotation up to ±1.5°, shift up to 2 mm), at 200 dpi grey, saved as
--files PDFs (JPEG quality 80) — one upload, as a clerk sends a stack. Then:

  - gunicorn (the project's gunicorn.conf.py, --web-workers processes) serves the
    office; --clients resident threads each repeat a full cycle over HTTP: GET the
    survey, read its single-use token, POST ~20 answers (303 counts), then think for
    --think seconds;
  - --workers ``manage.py jobs_worker`` processes (the worker lowers itself to nice
    SCANS_WORKER_NICE=10 when it starts on scans) run the jobs: one per upload (the
    files split into --uploads uploads); an upload of more than SCANS_CHUNK_PAGES pages
    is read in parts, one job a part, by every worker at once;
  - the upload is created with the panel's own services (scan_import_create,
    scan_file_add streaming the PDFs to SCANS_ROOT, scan_import_enqueue) — what the
    upload view does after the HTTP transfer, which is not timed here.

Printed: residents' submissions (POST latency p50/p99) for --baseline seconds before and
during the reading; the job's wall time from enqueue to the job's end, sheets stored,
the worker's CPU seconds per page (the process's own utime+stime, reading the PDF,
straightening, measuring, storing); the machine's load average before and after
(other work on a shared machine shows there).

    .venv/bin/python bench/scans_stack.py [--stack 500] [--files 4] [--workers 1] [--uploads 1]
        [--clients 4] [--think 0.25] [--web-workers 2]
        [--database-url postgres://postgres@127.0.0.1:5432/scans_stack_bench]
"""

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH_DIR))

from omr import DEPARTMENTS, database_reset, page_image  # noqa: E402
from submit import (  # noqa: E402
    BROWSER_HEADERS,
    FORM_HEADERS,
    TOKEN_RE,
    Client,
    answer_bodies,
    percentile,
    with_token,
)

PY = sys.executable
SLUG = "stosowo"
SECRET_KEY = "bench-only-not-secret-" + "s" * 40


def environment(url: str, scans_root: Path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "OCENURZAD_", "GUNICORN_"))
        and k not in ("CACHE_URL", "DATABASE_URL", "WEB_CONCURRENCY", "PORT")
    }
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="ocenurzad.settings",
        SCANS_ROOT=str(scans_root),
        SECRET_KEY=SECRET_KEY,
        DEBUG="0",
        LOG_LEVEL="WARNING",
        # The limiter runs but never says no to the bench's one address.
        RATELIMIT_ENABLE="1",
        SURVEY_RATE_LIMIT="1000000/h",
        SCANS_WORKER_NICE="10",
        PYTHONPATH=str(ROOT / "src"),
    )
    return env


def setup(stack: int):
    from ocenurzad.accounts.models import User
    from ocenurzad.offices.models import Department, Office
    from ocenurzad.printing.pdf import survey_pdf_render
    from ocenurzad.surveys.services import survey_create_default

    office = Office.objects.create(slug=SLUG, name="Urząd Miasta Stosowo", website="https://s.pl/")
    departments = [
        Department.objects.create(office=office, name=name, position=position)
        for position, name in enumerate(DEPARTMENTS)
    ]
    survey_create_default(office=office)
    clerk = User.objects.create_user(username="kancelaria", office=office, role="clerk")
    started = time.perf_counter()
    numbered = survey_pdf_render(
        office=office,
        version=office.survey.current_version,
        sheet_numbers=list(range(1, stack + 1)),
    )
    print(f"rendered {stack} numbered sheets in {time.perf_counter() - started:.0f} s", flush=True)
    return office, clerk, [d.pk for d in departments], numbered


def stack_build(numbered, stack: int, files: int, tmp: Path, seed: int) -> list[Path]:
    import pypdfium2
    from PIL import Image

    from ocenurzad.scans.reader import synthetic

    rng = random.Random(seed)
    layout = numbered.layout
    document = pypdfium2.PdfDocument(numbered.pdf)
    per_sheet = numbered.pages_per_sheet
    paths = []
    size = -(-stack // files)
    for part in range(files):
        images = []
        for sheet in range(part * size, min(stack, (part + 1) * size)):
            pages = [page_image(document, sheet * per_sheet + p, 200) for p in range(per_sheet)]
            synthetic.answers_draw(pages, layout, dpi=200, rng=rng, style="x")
            harm = synthetic.Harm(
                angle=rng.uniform(-1.5, 1.5), shift_mm=(rng.uniform(-2, 2), rng.uniform(-2, 2))
            )
            images += [
                Image.fromarray(synthetic.harm_apply(p, harm, dpi=200, rng=rng)) for p in pages
            ]
        path = tmp / f"stos-{part + 1}.pdf"
        images[0].save(
            path, format="PDF", save_all=True, append_images=images[1:], resolution=200, quality=80
        )
        paths.append(path)
    document.close()
    return paths


class Residents:
    """Resident threads: GET the survey, POST answers with its token, think, again."""

    def __init__(self, port: int, bodies: list[str], clients: int, think: float):
        self.port, self.bodies, self.clients, self.think = port, bodies, clients, think
        self.latencies: list[float] = []
        self.errors = 0
        self.recording = False
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(i,)) for i in range(clients)]

    def start(self):
        for thread in self.threads:
            thread.start()

    def take(self) -> tuple[list[float], int]:
        latencies, errors = self.latencies, self.errors
        self.latencies, self.errors = [], 0
        return latencies, errors

    def _run(self, index: int):
        client = Client(self.port)
        rnd = random.Random(index)
        path = f"/{SLUG}/"
        while not self.stop.is_set():
            try:
                status, data = client.request("GET", path, headers=BROWSER_HEADERS)
                match = TOKEN_RE.search(data) if status == 200 else None
                if match is None:
                    self.errors += 1
                    time.sleep(0.1)
                    continue
                body = with_token(match.group(1).decode(), rnd.choice(self.bodies))
                started = time.perf_counter()
                status, _data = client.request("POST", path, body, FORM_HEADERS)
                took = time.perf_counter() - started
            except OSError:
                self.errors += 1
                time.sleep(0.1)
                continue
            if status == 303:
                self.latencies.append(took)
            else:
                self.errors += 1
            self.stop.wait(self.think * rnd.uniform(0.5, 1.5))
        client.close()

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join()


def summary(latencies: list[float], errors: int, seconds: float) -> str:
    if not latencies:
        return f"no submissions ({errors} errors)"
    return (
        f"{len(latencies)} submissions ({len(latencies) / seconds:.1f}/s), "
        f"p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
        f"p99 {percentile(latencies, 0.99) * 1000:.0f} ms, errors {errors}"
    )


def process_cpu(pid: int) -> float:
    """utime + stime of a process and its reaped children, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(f) for f in fields[11:15]) / ticks


def wait_ready(port: int) -> None:
    client = Client(port)
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if client.request("GET", f"/{SLUG}/")[0] == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stack", type=int, default=500)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--uploads", type=int, default=1, help="the files split into uploads")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--think", type=float, default=0.25)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--baseline", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--port", type=int, default=8173)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/scans_stack_bench"
    )
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="scans-stack-"))
    env = environment(args.database_url, tmp / "scans")
    os.environ.update(env)
    processes: list[subprocess.Popen] = []
    try:
        database_reset(args.database_url)
        manage = [PY, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "createcachetable"], cwd=ROOT, env=env, check=True)
        import django

        django.setup()
        office, clerk, department_ids, numbered = setup(args.stack)
        started = time.perf_counter()
        paths = stack_build(numbered, args.stack, args.files, tmp, args.seed)
        megabytes = sum(p.stat().st_size for p in paths) / 1e6
        print(
            f"stack built: {args.stack} sheets ({args.stack * numbered.pages_per_sheet} pages), "
            f"{len(paths)} PDFs, {megabytes:.0f} MB ({time.perf_counter() - started:.0f} s)",
            flush=True,
        )
        from django.db import connections

        connections.close_all()
        processes.append(
            subprocess.Popen(
                [
                    str(Path(PY).parent / "gunicorn"),
                    "-c",
                    str(ROOT / "gunicorn.conf.py"),
                    "--bind",
                    f"127.0.0.1:{args.port}",
                    "--workers",
                    str(args.web_workers),
                    "ocenurzad.wsgi",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
        workers = [
            subprocess.Popen(
                [*manage, "jobs_worker", "--no-startup-delay", "--interval", "0.5"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            for _ in range(args.workers)
        ]
        processes += workers
        wait_ready(args.port)
        residents = Residents(
            args.port, answer_bodies(department_ids, 500), args.clients, args.think
        )
        residents.start()
        time.sleep(3)  # warm-up, not counted
        residents.take()
        time.sleep(args.baseline)
        before = residents.take()
        print(f"residents before: {summary(*before, args.baseline)}", flush=True)
        print(f"load average before reading: {os.getloadavg()}", flush=True)

        from django.db import transaction
        from django.utils import timezone

        from ocenurzad.jobs.models import Job
        from ocenurzad.scans.services import (
            scan_file_add,
            scan_import_create,
            scan_import_enqueue,
        )

        cpu_before = {w.pid: process_cpu(w.pid) for w in workers}
        started = time.perf_counter()
        jobs = []
        for part in range(args.uploads):
            with transaction.atomic():
                scan_import = scan_import_create(
                    office=office, actor=clerk, filled_on=timezone.localdate()
                )
                for path in paths[part :: args.uploads]:
                    with path.open("rb") as handle:
                        scan_file_add(
                            scan_import=scan_import,
                            name=path.name,
                            chunks=iter(lambda h=handle: h.read(1 << 20), b""),
                        )
                jobs.append(
                    scan_import_enqueue(office=office, actor=clerk, scan_import=scan_import)
                )
        stored_in = time.perf_counter() - started
        last = -1
        while True:
            time.sleep(2)
            for job in jobs:
                job.refresh_from_db()
            done = sum(j.progress_done for j in jobs)
            if done // 100 != last // 100:
                last = done
                print(
                    f"  {time.perf_counter() - started:5.0f} s: "
                    f"{[j.state for j in jobs]}, {done} pages read",
                    flush=True,
                )
            if all(j.state in (Job.State.SUCCEEDED, Job.State.FAILED) for j in jobs):
                break
        wall = time.perf_counter() - started
        during = residents.take()
        residents.finish()
        cpu = sum(process_cpu(w.pid) - cpu_before[w.pid] for w in workers)
        print(f"residents during: {summary(*during, wall)}")
        print(f"load average after reading: {os.getloadavg()}")
        totals: dict[str, int] = {}
        for job in jobs:
            for key, value in (job.result or {}).get("totals", {}).items():
                totals[key] = totals.get(key, 0) + value
        pages = totals.get("pages", 0)
        states = sorted({j.state for j in jobs})
        print(
            f"=== {args.stack} sheets ({pages} pages) in {args.uploads} upload(s) through "
            f"the jobs: {states} in {wall:.0f} s wall (files stored and jobs queued in "
            f"{stored_in:.1f} s), {args.workers} worker(s) at nice 10 ==="
        )
        print(
            f"stored {totals.get('stored')}, to check {totals.get('waiting')}, refused "
            f"{totals.get('refused')}, blank {totals.get('blank')}; pages read "
            f"{totals.get('pages_read')}; worker CPU {cpu:.0f} s = "
            f"{cpu / max(pages, 1):.3f} s per page"
        )
        for job in jobs:
            if job.state == Job.State.FAILED:
                print(f"job error: {job.error}")
    finally:
        for process in processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
