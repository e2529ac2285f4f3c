#!/usr/bin/env python
"""Reading scanned paper forms back (the scans app): accuracy on a test set built from the
project's own printed forms, time per page on one core, and a stack read end to end while
residents use the survey.

Part A — the test set. The default questionnaire is rendered (form v2, numbered sheets),
each sheet marked in one of several hands (X, tick, filled, scribble, faint pencil,
corrections by the printed rule: fill the wrong box, X in another) with the truth kept,
then harmed as copiers and phones do (rotation up to ±3°, shift, scale 0.97–1.03, 150/200/
300 dpi, grey or thresholded black and white, noise, blur, JPEG 50–90, upside down), plus
blank pages and pages of another office. Every page goes through the reader exactly as an
upload does (code, way up, marks, boxes, the row judgement). Per answer (question):

  read right · stored WRONG without being flagged · flagged for a person;
  sheets that needed a person for their marks (comments not counted);
  per style and per scan (grey or black and white, dpi) the same counts;
  seconds per page on one core (cv2 limited to one thread; rendering and harming the
  images are not timed).

Part B — a stack end to end: --stack numbered sheets at 200 dpi as two PDFs, read by two
`manage.py scans import` processes at lower priority (nice 10), while clients fetch the
survey page from gunicorn; the residents' p50/p99 before and during, and the wall time.
(bench/scans_stack.py does the same through the background jobs, as the panel does,
with residents submitting the survey.)

The truth is what the resident marked, always. Each page is also harmed a second time
exactly alike (same turn, scale, noise, threshold, JPEG) without its marks, so the bench
knows how many pixels of each mark the scan kept; a WRONG answer whose mark kept none
(a thresholded scan dropped the pencil whole) is still WRONG, and is shown apart as
"erased from the image": no reader can see it, only a grey scan can keep it.

--dump FILE writes each sheet's measured boxes and truth, so that the judgement
(reader/judge.py) can be studied and changed without drawing the set again.

    .venv/bin/python bench/omr.py [--sheets 1000] [--stack 500] [--seed 1]
        [--database-url postgres://postgres@127.0.0.1:5432/scans_bench] [--port 8171]
"""

import argparse
import http.client
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
sys.path.insert(0, str(ROOT / "src"))
PY = sys.executable
SLUG, OTHER = "omrowo", "obcowo"
DEPARTMENTS = [
    "Wydział Komunikacji",
    "Wydział Spraw Obywatelskich",
    "Urząd Stanu Cywilnego",
    "Wydział Podatków i Opłat",
    "Wydział Architektury i Budownictwa",
    "Biuro Obsługi Interesantów",
]


def database_reset(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def environment(url: str, scans_root: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="ocenurzad.settings",
        SCANS_ROOT=str(scans_root),
        SECRET_KEY="bench-only-not-secret-" + "z" * 40,
        PYTHONPATH=str(ROOT / "src"),
    )
    return env


def setup(stack: int):
    """Offices, their surveys, the numbered stack and another office's form, rendered."""
    from ocenurzad.offices.models import Department, Office
    from ocenurzad.printing.pdf import survey_pdf_render
    from ocenurzad.surveys.services import survey_create_default

    offices = {}
    for slug, name in ((SLUG, "Urząd Miasta Omrowo"), (OTHER, "Urząd Gminy Obcowo")):
        office = Office.objects.create(slug=slug, name=name, website=f"https://{slug}.pl/")
        for position, department in enumerate(DEPARTMENTS):
            Department.objects.create(office=office, name=department, position=position)
        survey_create_default(office=office)
        offices[slug] = office
    office = offices[SLUG]
    started = time.perf_counter()
    numbered = survey_pdf_render(
        office=office,
        version=office.survey.current_version,
        sheet_numbers=list(range(1, stack + 1)),
    )
    other = survey_pdf_render(office=offices[OTHER], version=offices[OTHER].survey.current_version)
    print(f"rendered {stack} numbered sheets in {time.perf_counter() - started:.1f} s")
    return office, numbered, other


def page_image(document, index: int, dpi: int):
    import numpy

    page = document[index]
    try:
        array = numpy.array(page.render(scale=dpi / 72, grayscale=True).to_numpy(), copy=True)
    finally:
        page.close()
    return array[:, :, 0] if array.ndim == 3 else array


def read_page(pixels, dpi, layouts, office_slug, *, with_read=False):
    """What an upload does with one page, up to the measured boxes (reader/page.py)."""
    from ocenurzad.scans.reader.page import (
        PageUnreadable,
        boxes_measure,
        code_find,
        is_blank,
        page_straighten,
        text_ink,
    )

    if is_blank(pixels):
        return ("blank", None, None) if with_read else ("blank", None)
    code = code_find(pixels, dpi)
    state = None
    if code.code is None:
        state = "unreadable"
    elif code.code.office_slug != office_slug:
        state = "other office"
    elif layouts.get(code.code.fingerprint) is None:
        state = "no layout"
    if state is not None:
        return (state, None, None) if with_read else (state, None)
    layout = layouts[code.code.fingerprint]
    try:
        read = page_straighten(code.upright, layout, code=code)
    except PageUnreadable:
        return ("no marks", None, None) if with_read else ("no marks", None)
    boxes = boxes_measure(read, [b for b in layout["boxes"] if b["page"] == code.code.page])
    for area in layout["texts"]:
        if area["page"] == code.code.page:
            text_ink(read, area)
    for box in boxes:
        box["bilevel"] = read.bilevel
    return ("read", boxes, read) if with_read else ("read", boxes)


def mark_left(marked, clean, box) -> int:
    """How many pixels of a drawn mark the harmed, straightened page still shows: the
    pixels of the box (border included) that differ by 24 grey levels or more from the same
    page harmed alike (same turn, scale, noise, threshold, JPEG) without the marks."""
    from ocenurzad.scans.reader.page import PX_PER_MM

    x0, y0 = round(box["x_mm"] * PX_PER_MM), round(box["y_mm"] * PX_PER_MM)
    x1 = round((box["x_mm"] + box["w_mm"]) * PX_PER_MM)
    y1 = round((box["y_mm"] + box["h_mm"]) * PX_PER_MM)
    a = marked.image[y0:y1, x0:x1].astype(int)
    b = clean.image[y0:y1, x0:x1].astype(int)
    return int(((b - a) >= 24).sum())


def degradation(harm, dpi) -> str:
    return f"{'b&w' if harm.threshold else 'grey'} {dpi}"


def part_a(args, office, numbered, other) -> None:
    import cv2
    import pypdfium2

    from ocenurzad.scans.reader import synthetic
    from ocenurzad.scans.reader.judge import page_judge, page_levels

    cv2.setNumThreads(1)
    rng = random.Random(args.seed)
    layout = numbered.layout
    layouts = {layout["fingerprint"]: layout}
    document = pypdfium2.PdfDocument(numbered.pdf)
    other_document = pypdfium2.PdfDocument(other.pdf)
    per_sheet = numbered.pages_per_sheet
    answers = right = wrong = flagged = wrong_lost = answers_lost = 0
    sheets_person = sheets_unreadable = 0
    pages_timed, seconds = 0, 0.0
    specials = {"blank": [0, 0], "other office": [0, 0]}
    # answers, right, wrong, of them lost from the image, flagged, sheets, sheets for a person
    by_style: dict[str, list[int]] = {}
    by_harm: dict[str, list[int]] = {}
    wrong_examples = []
    states: dict[str, int] = {}
    dump: list[dict] | None = [] if args.dump else None
    reasons: dict[str, int] = {}
    wrong_kept: dict[str, int] = {}  # wrong answers by what the scan kept of the mark
    for sheet in range(args.sheets):
        style = synthetic.STYLES[sheet % len(synthetic.STYLES)]
        dpi = rng.choice((150, 200, 300))
        base = sheet % args.stack
        pages = [page_image(document, base * per_sheet + p, dpi) for p in range(per_sheet)]
        clean_pages = [p.copy() for p in pages]
        truth = synthetic.answers_draw(
            pages, layout, dpi=dpi, rng=rng, style=style, comment=rng.random() < 0.3
        )
        harm = synthetic.Harm.random(rng)
        # Each page's noise from its own seed, so that the page without its marks can be
        # harmed exactly alike (what is left of each mark is then known: mark_left).
        seeds = [rng.randint(0, 2**31) for _p in pages]
        harmed = [
            synthetic.harm_apply(p, harm, dpi=dpi, rng=random.Random(seed))
            for p, seed in zip(pages, seeds, strict=True)
        ]
        clean = [
            synthetic.harm_apply(p, harm, dpi=dpi, rng=random.Random(seed))
            for p, seed in zip(clean_pages, seeds, strict=True)
        ]
        measured, unreadable = [], False
        for pixels, clean_pixels in zip(harmed, clean, strict=True):
            started = time.process_time()
            state, boxes, read = read_page(pixels, dpi, layouts, SLUG, with_read=True)
            seconds += time.process_time() - started
            pages_timed += 1
            if state != "read":
                unreadable = True
                states[state] = states.get(state, 0) + 1
                continue
            _state, _boxes, clean_read = read_page(clean_pixels, dpi, layouts, SLUG, with_read=True)
            for box in boxes:
                box["left"] = mark_left(read, clean_read, box) if clean_read is not None else None
            measured.append(boxes)
        if unreadable:
            sheets_unreadable += 1
        person = unreadable
        kind = degradation(harm, dpi)
        stats = [
            by_style.setdefault(style, [0] * 7),
            by_harm.setdefault(kind, [0] * 7),
        ]
        for boxes in measured:
            rows: dict[str, list[dict]] = {}
            for box in boxes:
                rows.setdefault(box["key"], []).append(box)
            levels = page_levels(boxes, bilevel=boxes[0]["bilevel"] if boxes else None)
            for key, verdict in page_judge(rows, levels=levels).items():
                expected = truth.answers.get(key, [])
                lost = any(b["left"] == 0 for b in rows[key] if b["value"] in expected)
                answers += 1
                answers_lost += lost
                column = 0
                for row in stats:
                    row[0] += 1
                if verdict.doubtful:
                    flagged += 1
                    column = 4
                    person = True
                    reasons[verdict.reason] = reasons.get(verdict.reason, 0) + 1
                elif sorted(verdict.values) == expected:
                    right += 1
                    column = 1
                else:
                    wrong += 1
                    wrong_lost += lost
                    kept = [b["left"] for b in rows[key] if b["value"] in expected]
                    bucket = (
                        "no mark expected"
                        if not kept
                        else "0 px"
                        if min(kept) == 0
                        else "1-10 px"
                        if min(kept) <= 10
                        else "over 10 px"
                    )
                    wrong_kept[bucket] = wrong_kept.get(bucket, 0) + 1
                    column = 2
                    if lost:
                        for row in stats:
                            row[3] += 1
                    if len(wrong_examples) < args.examples:
                        wrong_examples.append(
                            (
                                sheet,
                                style,
                                dpi,
                                harm,
                                key,
                                verdict,
                                expected,
                                lost,
                                [
                                    (
                                        b["value"],
                                        round(b["score"], 4),
                                        round(b["fill"], 4),
                                        b["left"],
                                    )
                                    for b in rows[key]
                                ],
                            )
                        )
                for row in stats:
                    row[column] += 1
        sheets_person += person
        for row in stats:
            row[5] += 1
            row[6] += person
        if dump is not None:
            dump.append(
                {
                    "sheet": sheet,
                    "style": style,
                    "dpi": dpi,
                    "harm": repr(harm),
                    "bilevel": harm.threshold,
                    "bilevel_read": [bool(boxes and boxes[0]["bilevel"]) for boxes in measured],
                    "unreadable": unreadable,
                    "truth": truth.answers,
                    "pages": [
                        [[b["key"], b["value"], b["score"], b["fill"], b["left"]] for b in boxes]
                        for boxes in measured
                    ],
                }
            )
        if sheet % 50 == 25:
            # A blank page and a page of another office, as stacks bring them.
            blank = synthetic.harm_apply(
                page_image(document, 0, dpi) * 0 + 250, synthetic.Harm(noise=4), dpi=dpi, rng=rng
            )
            specials["blank"][0] += 1
            specials["blank"][1] += read_page(blank, dpi, layouts, SLUG)[0] == "blank"
            foreign = synthetic.harm_apply(
                page_image(other_document, 0, dpi), harm, dpi=dpi, rng=rng
            )
            specials["other office"][0] += 1
            specials["other office"][1] += read_page(foreign, dpi, layouts, SLUG)[0] in (
                "other office",
                "unreadable",
            )
        if (sheet + 1) % 100 == 0:
            print(f"  {sheet + 1} sheets read…", flush=True)
    document.close()
    other_document.close()
    print()
    print(f"=== Part A: {args.sheets} sheets, {pages_timed} pages, {answers} answers ===")
    print(f"pages not read, by reason:          {states or 'none'}")
    answers = max(answers, 1)
    print(f"answers read right:                 {right} ({right / answers:.2%})")
    print(f"answers stored WRONG, not flagged:  {wrong}")
    print(
        f"  of them with a mark the harm erased from the image (no pixel of it left; "
        f"stored as no answer): {wrong_lost}"
    )
    print(f"  by pixels the scan kept of the resident's mark: {wrong_kept or 'none'}")
    print(f"  (answers whose mark the harm erased, all outcomes: {answers_lost})")
    print(f"answers flagged for a person:       {flagged} ({flagged / answers:.2%})")
    print(f"  by reason:                        {reasons or 'none'}")
    if wrong == 0:
        bound = 1 - 0.05 ** (1 / answers)
        print(
            f"  0 unflagged errors in {answers} answers: the rate is below {bound:.6f} "
            f"(1 in {1 / bound:,.0f}) at 95% (rule of three: 3/N)"
        )
    else:
        print(f"  unflagged error rate {wrong / answers:.5f} (1 in {answers / wrong:,.0f})")
    print(
        f"sheets whose marks needed a person: {sheets_person} ({sheets_person / args.sheets:.2%}; "
        f"of them with an unreadable page: {sheets_unreadable})"
    )
    print(f"seconds per page on one core:       {seconds / pages_timed:.3f}")
    for label, (count, ok) in specials.items():
        print(f"{label} pages recognised:       {ok}/{count}")
    header = "answers  right  wrong (lost)  flagged   sheets  for a person"
    for title, table in (("per style", by_style), ("per scan (mode, dpi)", by_harm)):
        print(f"{title}: {header}")
        for name, (n, ok, bad, lost, asked, count, person_count) in sorted(table.items()):
            print(
                f"  {name:12s} {n:7d} {ok:6d} {bad:6d} ({lost:4d}) {asked:8d} {count:8d} "
                f"{person_count:6d} ({person_count / max(count, 1):.1%})"
            )
    for example in wrong_examples:
        print("  WRONG:", example)
    if dump is not None:
        import json

        Path(args.dump).write_text(json.dumps(dump))
        print(f"measured boxes and truth of every sheet written to {args.dump}")


def part_b(args, env, numbered, tmp: Path) -> None:
    import pypdfium2
    from PIL import Image

    from ocenurzad.scans.reader import synthetic

    rng = random.Random(args.seed + 1)
    layout = numbered.layout
    document = pypdfium2.PdfDocument(numbered.pdf)
    per_sheet = numbered.pages_per_sheet
    files = []
    half = (args.stack + 1) // 2
    started = time.perf_counter()
    for part, sheets in enumerate((range(half), range(half, args.stack))):
        images = []
        for sheet in sheets:
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
        files.append(path)
    document.close()
    size = sum(p.stat().st_size for p in files) / 1e6
    took = time.perf_counter() - started
    print(f"stack built: {args.stack} sheets, 2 PDFs, {size:.0f} MB ({took:.0f} s)")

    server = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            "2",
            "ocenurzad.wsgi",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_ready(args.port)
        baseline = _load(args.port, seconds=15)
        print(f"residents before: {_summary(baseline)}")
        stop = threading.Event()
        during: list[float] = []
        loader = threading.Thread(target=_load, args=(args.port, None, stop, during))
        loader.start()
        started = time.perf_counter()
        command = ["nice", "-n", "10", PY, "manage.py", "scans", "import", SLUG]
        workers = [
            subprocess.Popen(
                [*command, str(path), "--json"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            for path in files
        ]
        outputs = [w.communicate()[0] for w in workers]
        wall = time.perf_counter() - started
        stop.set()
        loader.join()
        print(f"residents during: {_summary(during)}")
        import json

        totals = [json.loads(o)["totals"] for o in outputs]
        stored = sum(t["stored"] for t in totals)
        waiting = sum(t["waiting"] for t in totals)
        print(
            f"=== Part B: {args.stack} sheets ({args.stack * per_sheet} pages) read in "
            f"{wall:.0f} s by 2 processes (nice 10) — stored {stored}, waiting for a person "
            f"{waiting} ==="
        )
        print("  (two command-line imports; bench/scans_stack.py reads through the jobs)")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _wait_ready(port: int) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", f"/{SLUG}/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not start")


def _load(port, seconds=None, stop=None, into=None, clients=4) -> list[float]:
    """Clients fetching the survey page; returns (or fills ``into`` with) latencies (s)."""
    latencies = into if into is not None else []
    end = time.time() + seconds if seconds else None

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while (end is None or time.time() < end) and not (stop and stop.is_set()):
            started = time.perf_counter()
            try:
                connection.request("GET", f"/{SLUG}/")
                connection.getresponse().read()
            except OSError:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            latencies.append(time.perf_counter() - started)
            time.sleep(0.05)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def _summary(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    if not ordered:
        return "no requests"
    p50 = ordered[len(ordered) // 2] * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    return f"{len(ordered)} requests, p50 {p50:.0f} ms, p99 {p99:.0f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sheets", type=int, default=1000)
    parser.add_argument("--stack", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/scans_bench")
    parser.add_argument("--port", type=int, default=8171)
    parser.add_argument("--skip-stack", action="store_true", help="part A only")
    parser.add_argument("--examples", type=int, default=10, help="wrong answers shown")
    parser.add_argument(
        "--dump", help="write each sheet's measured boxes and truth (JSON) to this file"
    )
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="omr-bench-"))
    env = environment(args.database_url, tmp / "scans")
    os.environ.update(env)
    try:
        database_reset(args.database_url)
        subprocess.run(
            [PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        subprocess.run([PY, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
        import django

        django.setup()
        office, numbered, other = setup(max(args.stack, 1))
        part_a(args, office, numbered, other)
        if not args.skip_stack:
            from django.db import connections

            connections.close_all()
            part_b(args, env, numbered, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
