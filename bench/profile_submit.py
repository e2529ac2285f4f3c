#!/usr/bin/env python
"""Where the time of one survey request goes: the Django app called in this process
(no HTTP server, no concurrency), with its SQL and a cProfile listing.

    .venv/bin/python bench/profile_submit.py [--engine sqlite|postgres] [--requests 300]
        [--what GET,POST] [--top 35] [--sort tottime] [--django-settings whatif_settings]

It prepares a fresh database like bench/submit.py, fetches forms, then prints for one
POST and one GET the SQL statements run, the mean wall and CPU time per request without
the profiler, and the profile of ``--requests`` more, sorted by cumulative time.
"""

import argparse
import contextlib
import cProfile
import gc
import io
import json
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import submit  # noqa: E402 — also puts src/ on the path


def call(application, method: str, body: bytes = b"") -> tuple[str, bytes]:
    """One request through the WSGI callable, as gunicorn would pass it."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": f"/{submit.SLUG}/",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_ACCEPT_ENCODING": "gzip, deflate",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/x-www-form-urlencoded" if body else "",
    }
    status = []
    chunks = application(environ, lambda s, _headers, _exc=None: status.append(s))
    data = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    if data[:2] == b"\x1f\x8b":
        import gzip

        data = gzip.decompress(data)
    return status[0], data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=300, help="profiled requests of each kind")
    parser.add_argument("--what", default="POST,GET", help="which requests to profile")
    parser.add_argument("--top", type=int, default=35, help="lines of each profile")
    parser.add_argument("--sort", default="cumulative", help="pstats order: cumulative, tottime, …")
    parser.add_argument(
        "--callers",
        metavar="REGEX",
        help="also list who calls the functions matching REGEX (pstats print_callers)",
    )
    parser.add_argument("--django-settings", default="ocenurzad.settings", metavar="MODULE")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(
            "BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/ocenurzad_profile_bench"
        ),
    )
    args = parser.parse_args()
    args.cache_url, args.django_env = "", []
    workdir = Path(tempfile.mkdtemp(prefix="ocenurzad-profile-"))
    engine = submit.ENGINES[args.engine](workdir, args)
    database_url = engine.prepare()
    env = submit.django_env(database_url, args)
    for key in (
        "DJANGO_SETTINGS_MODULE",
        "DATABASE_URL",
        "SECRET_KEY",
        "DEBUG",
        "RATELIMIT_ENABLE",
        "SURVEY_RATE_LIMIT",
        "LOG_LEVEL",
    ):
        os.environ[key] = env[key]
    try:
        return profile(args, engine)
    finally:
        from django.db import connections

        connections.close_all()
        engine.drop()
        for path in workdir.iterdir():
            path.unlink()
        workdir.rmdir()


def profile(args, engine) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ocenurzad.wsgi import application

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(submit.SETUP_CODE, {})  # noqa: S102 — our own constant
    setup = json.loads(out.getvalue().split("BENCH_SETUP ", 1)[1].splitlines()[0])
    pool = submit.answer_bodies(setup["departments"], 100)
    wanted = 3 * args.requests + 40

    tokens = []
    for _ in range(wanted):
        status, data = call(application, "GET")
        tokens.append(submit.TOKEN_RE.search(data).group(1).decode())
    bodies = [submit.with_token(t, random.choice(pool)) for t in tokens]
    for body in bodies[:20]:  # warm up
        assert call(application, "POST", body)[0].startswith("303")
    bodies = bodies[20:]

    print(
        f"{engine.label}, settings {os.environ['DJANGO_SETTINGS_MODULE']}, "
        f"rate limit {'on' if os.environ['RATELIMIT_ENABLE'] == '1' else 'off'}"
    )
    kinds = [k.strip().upper() for k in args.what.split(",")]
    for kind in kinds:
        body = bodies.pop() if kind == "POST" else b""
        with CaptureQueriesContext(connection) as queries:
            status, _ = call(application, kind, body)
        print(f"\n{kind} -> {status}: {len(queries)} SQL statements")
        for query in queries.captured_queries:
            print(f"    {query['sql'][:130]}")

    gc_time = [0.0, 0.0]

    def gc_clock(phase, _info):
        if phase == "start":
            gc_time[1] = time.perf_counter()
        else:
            gc_time[0] += time.perf_counter() - gc_time[1]

    gc.callbacks.append(gc_clock)
    for kind in kinds:
        n = args.requests
        batch = [bodies.pop() if kind == "POST" else b"" for _ in range(n)]
        gc_time[0] = 0.0
        wall, cpu = time.perf_counter(), time.process_time()
        for body in batch:
            call(application, kind, body)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"\n{kind}: {wall / n * 1000:.2f} ms wall, {cpu / n * 1000:.2f} ms CPU per "
            f"request (mean of {n}, no profiler), of which {gc_time[0] / n * 1000:.2f} ms "
            "in garbage collection"
        )
    gc.callbacks.remove(gc_clock)
    for kind in kinds:
        batch = [bodies.pop() if kind == "POST" else b"" for _ in range(args.requests)]
        profiler = cProfile.Profile()
        profiler.enable()
        for body in batch:
            call(application, kind, body)
        profiler.disable()
        print(f"\n=== cProfile, {args.requests} x {kind}, by {args.sort}")
        listing = io.StringIO()
        stats = pstats.Stats(profiler, stream=listing).sort_stats(args.sort)
        stats.print_stats(args.top)
        if args.callers:
            stats.print_callers(args.callers)
        text = listing.getvalue()
        for prefix in sorted(
            {str(Path(django.__file__).parent.parent), str(submit.ROOT / "src")},
            key=len,
            reverse=True,
        ):
            text = text.replace(prefix + os.sep, "")
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
