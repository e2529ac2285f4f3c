"""§ 5 without residents waiting: the report of the results so far is drawn outside any
transaction, so a resident's submission commits while it is being drawn; only then are
the change and its archive entry stored, in one short transaction.

Deterministic: the report's renderer is held open by an event (a barrier), a resident
submits from another connection meanwhile, and the test checks that the submission has
committed before the drawing is let go. Runs on both engines (SQLite by default;
PostgreSQL with DATABASE_URL=postgres://…). The control test shows that the same barrier
does catch a report drawn inside the change's transaction, as it was before.
"""

import threading

import pytest
from django.db import connections, transaction

from ocenurzad.offices.models import Office
from ocenurzad.offices.services import OFFICE_DATA_FIELDS
from ocenurzad.reports import archive
from ocenurzad.responses.models import Response
from ocenurzad.workflows import visible_changes as section5
from ocenurzad.workflows.models import VisibleChange

from .conftest import answer

pytestmark = pytest.mark.django_db(transaction=True)

# Long enough never to matter on a busy machine; the test waits on events, not on time.
PATIENCE = 60


class HeldRenderer:
    """Stands in for the report's PDF renderer: says when drawing has begun, then holds
    until released."""

    def __init__(self):
        self.drawing = threading.Event()
        self.release = threading.Event()

    def __call__(self, report):
        self.drawing.set()
        if not self.release.wait(PATIENCE):
            raise TimeoutError("the test never released the drawing")
        return b"%PDF-1.4\n% held\n"


def _in_thread(target) -> tuple[threading.Thread, dict]:
    box: dict = {}

    def run():
        try:
            box["value"] = target()
        except BaseException as exc:  # reported by the test
            box["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, box


def _rename(office, actor):
    data = {name: getattr(office, name) for name in OFFICE_DATA_FIELDS}
    data["name"] = "Urząd Miasta Świnoujście"
    return section5.office_data_save(office=office, actor=actor, data=data)


def _resident_submits_while_held(office, renderer, change):
    """Start ``change`` in a thread, wait until its report is being drawn, let a resident
    submit from another connection, and return (did the submission finish while the
    drawing was held, its result box, the change's thread and box)."""
    changing, change_box = _in_thread(change)
    assert renderer.drawing.wait(PATIENCE), change_box.get("error")
    submitting, submitted = _in_thread(lambda: answer(office, rating=1))
    # The drawing is held until the submission has finished — or until it is clear that
    # it cannot finish (the control): a submission that is not blocked finishes in
    # milliseconds, so the generous join below only ever waits for a blocked one.
    submitting.join(timeout=10)
    finished_while_held = not submitting.is_alive() and changing.is_alive()
    return finished_while_held, submitted, submitting, changing, change_box


def test_a_resident_submission_commits_while_the_report_is_drawn(office, monkeypatch):
    # given an office with an answer, and a report renderer held open by the test
    answer(office)
    renderer = HeldRenderer()
    monkeypatch.setattr(archive, "report_pdf", renderer)

    # when an administrator renames the office (a change residents see) and, while its
    # report is being drawn, a resident submits the survey
    try:
        finished, submitted, submitting, changing, change_box = _resident_submits_while_held(
            office, renderer, lambda: _rename(office, None)
        )
        # then the submission committed (another connection sees it) during the drawing
        assert finished, "the resident's submission waited for the report"
        assert "error" not in submitted, submitted.get("error")
        assert Response.objects.filter(pk=submitted["value"]).exists()
        # … and nothing of the change is stored yet
        assert not VisibleChange.objects.exists()
        assert Office.objects.get(pk=office.pk).name == "Urząd Swinoujscie"
    finally:
        renderer.release.set()
    changing.join(PATIENCE)
    submitting.join(PATIENCE)

    # then the change and its report are stored together; the report is as of its
    # cut-off, so the answer that came in while it was drawn is not in it — and the next
    # change draws a new report instead of referring to this one
    assert "error" not in change_box, change_box.get("error")
    change = VisibleChange.objects.get()
    assert Office.objects.get(pk=office.pk).name == "Urząd Miasta Świnoujście"
    assert change.report.figures["method"]["responses"] == 1
    assert Response.objects.filter(office=office).count() == 2
    assert section5.visible_change_plan(office=office).reuse is None


def test_control_a_report_drawn_inside_the_change_transaction_makes_residents_wait(
    office, monkeypatch
):
    """The barrier catches the old way: drawing inside the change's transaction (the
    office row locked, as ``office_update`` locks it) keeps the submission from
    committing until the drawing ends."""
    answer(office)
    renderer = HeldRenderer()
    monkeypatch.setattr(archive, "report_pdf", renderer)

    def old_way():
        with transaction.atomic():
            locked = Office.objects.select_for_update().get(pk=office.pk)
            Office.objects.filter(pk=locked.pk).update(name="Urząd Miasta Świnoujście")
            report = archive.report_so_far_compute(office=locked, actor=None)
            return archive.archived_report_create(
                office=locked, actor=None, report=report, reason="before_office_change"
            )

    try:
        finished, submitted, submitting, changing, _box = _resident_submits_while_held(
            office, renderer, old_way
        )
        # the submission did not commit while the report was drawn: it either still
        # waits (PostgreSQL: the office row's lock) or was refused (SQLite: locked)
        assert not finished or "error" in submitted
        assert Response.objects.filter(office=office).count() == 1
    finally:
        renderer.release.set()
    changing.join(PATIENCE)
    submitting.join(PATIENCE)
