"""A large upload read in parts (one job a part, ``SCANS_CHUNK_PAGES``): every sheet
stored once, the upload's progress sums the parts, the protocol lists every page, and a
part cut short is read again without doubling anything."""

import pytest

from ocenurzad.jobs.models import Job
from ocenurzad.jobs.services import job_execute
from ocenurzad.responses.models import Response
from ocenurzad.scans.models import ScanFile, ScanPage, ScanSheet
from ocenurzad.scans.reader.synthetic import Harm
from tests.scans.conftest import marked, pdf_of
from tests.scans.test_views import log_in, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _parts(settings, tmp_path):
    settings.SCANS_ROOT = str(tmp_path / "scans")
    settings.SCANS_INLINE = False
    settings.SCANS_WORKER_NICE = 0
    settings.SCANS_CHUNK_PAGES = 4  # two sheets a part


def stack(printed_form, scan_layout, numbers) -> bytes:
    pages = []
    for n, number in enumerate(numbers):
        sheet, _ = marked(printed_form, scan_layout, number=number, seed=40 + n, harm=Harm())
        pages += sheet
    return pdf_of(pages)


def test_a_stack_read_in_parts_stores_each_sheet_once(
    client, scan_office, scan_layout, printed_form
):
    log_in(client, scan_office, "clerk")
    # 5 sheets (10 pages): parts of 4, 4 and 2 pages; sheet 102 scanned again, its
    # copies in other parts.
    upload(client, stack(printed_form, scan_layout, [101, 102, 103, 102, 101]))
    job = Job.objects.get(office=scan_office)

    done = job_execute(job_id=job.pk, worker="w1")

    assert done.state == Job.State.SUCCEEDED, done.error
    parts = Job.objects.filter(office=scan_office).exclude(pk=job.pk)
    assert parts.count() == 3
    assert set(parts.values_list("state", flat=True)) == {Job.State.SUCCEEDED}
    assert (done.progress_done, done.progress_total) == (10, 10)
    totals = done.result["totals"]
    assert totals["pages"] == 10
    assert totals["pages_read"] + totals["pages_duplicate"] == 10
    assert totals["stored"] == 3
    assert Response.objects.filter(office=scan_office).count() == 3
    numbers = list(ScanSheet.objects.values_list("sheet_number", flat=True))
    assert numbers == [101, 102, 103]  # once each, in stack order
    assert ScanPage.objects.count() == 10
    assert ScanFile.objects.get().state == ScanFile.State.READ
    assert ScanFile.objects.get().pages == 10


def test_a_part_cut_short_is_read_again_without_doubling(
    client, scan_office, scan_layout, printed_form, monkeypatch
):
    log_in(client, scan_office, "clerk")
    upload(client, stack(printed_form, scan_layout, [101, 102, 103]))
    job = Job.objects.get(office=scan_office)
    from ocenurzad.scans import processing

    original = processing._page_read
    calls = []

    def dies_once(scan_import, scan_file, image, **kwargs):
        calls.append(image.index)
        if image.index == 5 and calls.count(5) == 1:
            raise RuntimeError("the worker died here")
        return original(scan_import, scan_file, image, **kwargs)

    monkeypatch.setattr(processing, "_page_read", dies_once)
    done = job_execute(job_id=job.pk, worker="w1")

    assert done.state == Job.State.SUCCEEDED, done.error
    part = Job.objects.get(office=scan_office, params__start=4)
    assert part.attempts == 2  # read again
    assert calls.count(4) == 1  # the page read before the failure was not read again
    assert Response.objects.filter(office=scan_office).count() == 3
    assert ScanPage.objects.count() == 6
    assert ScanSheet.objects.count() == 3


def test_the_protocol_lists_every_page_of_every_part(
    client, scan_office, scan_layout, printed_form
):
    from ocenurzad.scans.models import ScanImport
    from ocenurzad.scans.selectors import scan_import_protocol

    log_in(client, scan_office, "clerk")
    upload(client, stack(printed_form, scan_layout, [101, 102, 103, 101]))
    job = Job.objects.get(office=scan_office)
    job_execute(job_id=job.pk, worker="w1")

    protocol = scan_import_protocol(scan_import=ScanImport.objects.get())
    assert protocol["totals"]["pages"] == 8
    assert protocol["totals"]["pages_read"] == 6
    # The second copy of sheet 101 (pages 7 and 8, another part): listed, not stored.
    assert [(p.index, p.state) for p in protocol["problem_pages"]] == [
        (6, ScanPage.State.DUPLICATE),
        (7, ScanPage.State.DUPLICATE),
    ]
    assert ScanImport.objects.get().pages_done == 8


def test_a_part_whose_worker_was_killed_is_reaped_and_finished_once(
    client, scan_office, scan_layout, printed_form, monkeypatch, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from ocenurzad.jobs.services import job_enqueue
    from ocenurzad.scans import processing
    from ocenurzad.scans.jobs import scan_chunk_process
    from ocenurzad.scans.models import ScanImport

    log_in(client, scan_office, "clerk")
    upload(client, stack(printed_form, scan_layout, [101, 102, 103]))
    job = Job.objects.get(office=scan_office)
    scan_import = ScanImport.objects.get()
    scan_file = scan_import.files.get()
    # Another worker took the part of pages 5-6, read page 5 and was killed (SIGKILL):
    # its job stays running, its lease runs out.
    part = job_enqueue(
        office=scan_office,
        owner=None,
        handler=scan_chunk_process,
        title="part",
        params={"file_id": scan_file.pk, "start": 4, "stop": 6, "import_id": scan_import.pk},
        key=f"{job.key}:{scan_file.pk}:4",
    )
    original = processing._page_read

    def killed_after_one(scan_import, scan_file, image, **kwargs):
        if image.index == 5:
            raise KeyboardInterrupt  # stands for the process's death
        return original(scan_import, scan_file, image, **kwargs)

    monkeypatch.setattr(processing, "_page_read", killed_after_one)
    with pytest.raises(KeyboardInterrupt):
        processing.chunk_read(import_id=scan_import.pk, file_id=scan_file.pk, start=4, stop=6)
    monkeypatch.setattr(processing, "_page_read", original)
    Job.objects.filter(pk=part.pk).update(
        state=Job.State.RUNNING,
        worker="dead",
        attempts=1,
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )
    assert ScanPage.objects.count() == 1

    done = job_execute(job_id=job.pk, worker="w1")

    assert done.state == Job.State.SUCCEEDED, done.error
    part.refresh_from_db()
    assert (part.state, part.attempts) == (Job.State.SUCCEEDED, 2)
    assert ScanPage.objects.count() == 6
    assert Response.objects.filter(office=scan_office).count() == 3
    assert list(ScanSheet.objects.values_list("sheet_number", flat=True)) == [101, 102, 103]


def test_unnumbered_sheets_keep_their_pages_together_across_parts(
    client, scan_office, scan_layout, printed_form
):
    log_in(client, scan_office, "clerk")
    # Three unnumbered sheets (6 pages): parts of 4 and 2 pages, cut between sheets.
    upload(client, stack(printed_form, scan_layout, [None, None, None]))
    job = Job.objects.get(office=scan_office)

    done = job_execute(job_id=job.pk, worker="w1")

    assert done.state == Job.State.SUCCEEDED, done.error
    assert Job.objects.filter(office=scan_office).count() == 3  # the upload's and 2 parts
    sheets = list(ScanSheet.objects.order_by("position"))
    assert [s.position for s in sheets] == [1, 2, 3]
    assert [sorted(s.pages.values_list("index", flat=True)) for s in sheets] == [
        [0, 1],
        [2, 3],
        [4, 5],
    ]
    assert {s.state for s in sheets} == {ScanSheet.State.CONFIRM}  # never stored unasked
    assert not Response.objects.exists()


def test_a_part_stores_its_whole_sheets_itself(client, scan_office, scan_layout, printed_form):
    from ocenurzad.scans import processing
    from ocenurzad.scans.models import ScanImport

    log_in(client, scan_office, "clerk")
    upload(client, stack(printed_form, scan_layout, [101, 102, 103]))
    scan_import = ScanImport.objects.get()
    scan_file = scan_import.files.get()

    processing.chunk_read(import_id=scan_import.pk, file_id=scan_file.pk, start=0, stop=4)

    # Sheets 101 and 102 (pages 1-4) stored by the part, before any join.
    assert Response.objects.filter(office=scan_office).count() == 2
    assert set(ScanSheet.objects.values_list("state", flat=True)) == {ScanSheet.State.STORED}
    processing.chunk_read(import_id=scan_import.pk, file_id=scan_file.pk, start=0, stop=4)
    assert Response.objects.filter(office=scan_office).count() == 2  # once
