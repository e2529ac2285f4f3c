"""An upload read as a background job: queued by the panel, run by the worker
(``job_execute``, as ``manage.py jobs_worker`` does), its progress and protocol shown to
the office that sent it and to no other; run twice, it stores nothing twice."""

import pytest

from ocenurzad.jobs.models import Job
from ocenurzad.jobs.services import job_execute
from ocenurzad.responses.models import Response
from ocenurzad.scans.models import ScanImport, ScanPage, ScanSheet
from ocenurzad.scans.reader.synthetic import Harm
from tests.scans.conftest import marked, pdf_of
from tests.scans.test_views import BASE, log_in, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _worker_mode(settings, tmp_path):
    settings.SCANS_ROOT = str(tmp_path / "scans")
    settings.SCANS_INLINE = False
    settings.SCANS_WORKER_NICE = 0  # the test process keeps its priority


def two_sheets(printed_form, scan_layout) -> bytes:
    first, _ = marked(printed_form, scan_layout, number=101, seed=31, harm=Harm(angle=1))
    second, _ = marked(printed_form, scan_layout, number=102, seed=32, harm=Harm(angle=-1))
    return pdf_of(first + second)


def test_upload_queues_a_job_that_reads_the_stack_with_progress(
    client, scan_office, scan_layout, printed_form, monkeypatch
):
    clerk = log_in(client, scan_office, "clerk")

    response = upload(client, two_sheets(printed_form, scan_layout))

    # Nothing is read in the request: the upload waits for the worker.
    assert response.status_code == 302
    job = Job.objects.get(office=scan_office)
    assert job.state == Job.State.QUEUED
    assert job.owner == clerk
    scan_import = ScanImport.objects.get(office=scan_office)
    assert job.params == {"import_id": scan_import.pk}
    assert not ScanPage.objects.exists()
    waiting = client.get(response["Location"]).content.decode()
    assert 'id="job"' in waiting
    assert "odczytywane w tle" in waiting
    status = client.get(f"{BASE}wczytanie/{scan_import.pk}/stan.json").json()
    assert status["state"] == "queued"
    assert status["finished"] is False

    seen = []
    from ocenurzad.jobs.services import JobContext

    original = JobContext.progress

    def spy(self, done, total=None, note=None):
        seen.append((done, total, note))
        return original(self, done, total, note)

    monkeypatch.setattr(JobContext, "progress", spy)
    done = job_execute(job_id=job.pk, worker="w1")

    assert done.state == Job.State.SUCCEEDED, done.error
    assert seen[0][:2] == (0, 4)
    assert [d for d, _t, _n in seen] == [0, 1, 2, 3, 4]
    assert seen[-1][2] == "Odczytano stron: 4 z 4"
    assert (done.progress_done, done.progress_total) == (4, 4)
    assert done.result["totals"]["stored"] == 2
    assert "Arkuszy zapisanych: 2" in done.result["message"]
    assert Response.objects.filter(office=scan_office).count() == 2
    protocol = client.get(response["Location"]).content.decode()
    assert 'id="job"' not in protocol  # no more progress: the protocol
    assert "Arkuszy zapisanych" in protocol
    status = client.get(f"{BASE}wczytanie/{scan_import.pk}/stan.json").json()
    assert status["finished"] is True
    assert client.get(f"/skanowo/admin/zadania/{job.pk}/").status_code == 200


def test_the_same_job_run_again_stores_nothing_twice(
    client, scan_office, scan_layout, printed_form
):
    log_in(client, scan_office, "clerk")
    upload(client, two_sheets(printed_form, scan_layout))
    job = Job.objects.get(office=scan_office)
    job_execute(job_id=job.pk, worker="w1")
    # As after a worker presumed dead: the reaper queues the job again and the upload
    # looks unfinished.
    Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED)
    ScanImport.objects.filter(office=scan_office).update(state=ScanImport.State.RUNNING)

    again = job_execute(job_id=job.pk, worker="w2")

    assert again.state == Job.State.SUCCEEDED
    assert again.attempts == 2
    assert Response.objects.filter(office=scan_office).count() == 2
    assert ScanSheet.objects.filter(office=scan_office).count() == 2
    assert ScanPage.objects.filter(office=scan_office).count() == 4
    assert again.result["totals"]["stored"] == 2


def test_a_job_cut_short_goes_on_from_the_last_page_read(
    client, scan_office, scan_layout, printed_form, monkeypatch
):
    log_in(client, scan_office, "clerk")
    upload(client, two_sheets(printed_form, scan_layout))
    job = Job.objects.get(office=scan_office)
    from ocenurzad.scans import processing

    original = processing._page_read
    calls = []

    def dies_on_the_third_page(scan_import, scan_file, image):
        calls.append(image.index)
        if len(calls) == 3:
            raise RuntimeError("the worker died here")
        return original(scan_import, scan_file, image)

    monkeypatch.setattr(processing, "_page_read", dies_on_the_third_page)
    first = job_execute(job_id=job.pk, worker="w1")
    assert first.state == Job.State.QUEUED  # tried again later (attempt 1 of 3)
    assert ScanPage.objects.filter(office=scan_office).count() == 2

    second = job_execute(job_id=job.pk, worker="w2")

    assert second.state == Job.State.SUCCEEDED
    assert calls == [0, 1, 2, 2, 3]  # pages 0 and 1 not read again
    assert Response.objects.filter(office=scan_office).count() == 2
    scan_import = ScanImport.objects.get(office=scan_office)
    assert scan_import.state == ScanImport.State.DONE
    assert scan_import.message == ""  # the first attempt's failure is not shown any more


def test_another_offices_staff_see_neither_the_job_nor_its_progress(
    client, make_office, scan_office, scan_layout, printed_form
):
    log_in(client, scan_office, "clerk")
    upload(client, two_sheets(printed_form, scan_layout))
    job = Job.objects.get(office=scan_office)
    scan_import = ScanImport.objects.get(office=scan_office)
    other = make_office(slug="ksiazki")
    client.logout()
    log_in(client, other, "office_admin")

    assert client.get(f"/ksiazki/admin/zadania/{job.pk}/").status_code == 404
    assert client.get(f"/ksiazki/admin/zadania/{job.pk}/stan.json").status_code == 404
    assert client.get(f"/ksiazki/admin/skany/wczytanie/{scan_import.pk}/").status_code == 404
    assert (
        client.get(f"/ksiazki/admin/skany/wczytanie/{scan_import.pk}/stan.json").status_code == 404
    )
    # Nor does the job read another office's upload when its parameters name one.
    forged = Job.objects.create(
        office=other,
        handler=job.handler,
        title="x",
        params={"import_id": scan_import.pk},
    )
    failed = job_execute(job_id=forged.pk, worker="w")
    assert failed.state == Job.State.FAILED
    assert "Tego wczytania skanów już nie ma" in failed.error
    assert not ScanPage.objects.exists()


def test_a_clerk_follows_a_colleagues_upload(client, scan_office, scan_layout, printed_form):
    log_in(client, scan_office, "clerk")
    upload(client, two_sheets(printed_form, scan_layout))
    scan_import = ScanImport.objects.get(office=scan_office)
    client.logout()
    from ocenurzad.accounts.models import User

    colleague = User.objects.create_user(
        username="inna", password="x", office=scan_office, role="clerk"
    )
    client.force_login(colleague)

    status = client.get(f"{BASE}wczytanie/{scan_import.pk}/stan.json")

    assert status.status_code == 200
    assert status.json()["state"] == "queued"


def test_the_worker_lowers_the_priority_of_all_its_threads(tmp_path):
    # In a process of its own: a nice value cannot be raised back.
    script = """
import os, threading, django
django.setup()
from ocenurzad.scans.jobs import priority_lower
started = threading.Event(); stop = threading.Event()
def wait():
    started.set(); stop.wait()
thread = threading.Thread(target=wait); thread.start(); started.wait()
before = os.getpriority(os.PRIO_PROCESS, 0)
priority_lower(before + 5)
priority_lower(before + 2)  # never raised back
tasks = [int(t) for t in os.listdir("/proc/self/task")]
print(before, sorted({os.getpriority(os.PRIO_PROCESS, t) for t in tasks}), len(tasks))
stop.set(); thread.join()
"""
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ocenurzad.settings"}
    out = subprocess.run(  # noqa: S603 — our own interpreter and script
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout.split(maxsplit=1)
    before, rest = int(out[0]), out[1]
    assert rest.split("]")[0] + "]" == f"[{before + 5}]"
    assert int(rest.split("]")[1]) >= 2  # the other thread was lowered too
