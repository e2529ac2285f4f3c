"""The panel page of a job: who may see it, what it shows while running and after."""

import re
import uuid

import pytest

from ocenurzad.accounts.models import Role, User
from ocenurzad.jobs.models import Job
from ocenurzad.jobs.services import job_claim, job_enqueue, job_execute
from tests.jobs import handlers

pytestmark = pytest.mark.django_db


def staff(office, role, name):
    return User.objects.create_user(username=name, password="x", role=role, office=office)


def log_in(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def page(office, job, suffix=""):
    return f"/{office.slug}/admin/zadania/{job.pk}/{suffix}"


@pytest.fixture
def owner(office):
    return staff(office, Role.REPORTER, "raporty")


@pytest.fixture
def job(office, owner):
    return job_enqueue(
        office=office, owner=owner, handler=handlers.steps, title="Raport z wynikami"
    )


def test_the_owner_follows_the_job_from_queue_to_result(client, office, owner, job):
    log_in(client, owner)
    queued = client.get(page(office, job))
    assert queued.status_code == 200
    html = queued.content.decode()
    assert "Raport z wynikami" in html and "czeka w kolejce" in html
    assert "Odśwież stan zadania" in html  # works without JavaScript
    assert "js/job-status.js" in html
    assert queued["Cache-Control"].startswith("max-age=0")

    job_claim(job_id=job.pk, worker="w")
    Job.objects.filter(pk=job.pk).update(progress_done=1, progress_total=3, progress_note="krok 1")
    running = client.get(page(office, job)).content.decode()
    assert "w toku" in running and "krok 1" in running
    assert '<progress id="job-progress" max="3" value="1">' in running
    state = client.get(page(office, job, "stan.json")).json()
    assert state == {
        "state": "running",
        "state_label": "w toku",
        "finished": False,
        "done": 1,
        "total": 3,
        "percent": 33,
        "note": "krok 1",
    }

    Job.objects.filter(pk=job.pk).update(state="queued", worker="")
    job_execute(job_id=job.pk, worker="w")
    # The last step's note is not shown once the job has ended ("zakończone — krok 3"
    # would read as work still going on).
    Job.objects.filter(pk=job.pk).update(progress_note="krok 3")
    done = client.get(page(office, job)).content.decode()
    assert "zakończone" in done and "js/job-status.js" not in done
    assert "krok 3" not in done
    assert client.get(page(office, job, "stan.json")).json()["note"] == ""
    # Valid HTML: <time datetime> without microseconds (the Nu checker refuses six digits).
    stamps = re.findall(r'<time datetime="([^"]+)"', done)
    assert len(stamps) == 3
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", s) for s in stamps)
    assert client.get(page(office, job, "stan.json")).json()["finished"] is True


def test_a_result_message_and_links_are_shown(client, office, owner):
    job = job_enqueue(
        office=office, owner=owner, handler=handlers.echo, title="Echo", params={"n": 4}
    )
    job_execute(job_id=job.pk, worker="w")
    Job.objects.filter(pk=job.pk).update(
        result={"message": "Raport zapisany.", "links": [{"url": "/x/", "label": "Pobierz"}]}
    )
    html = log_in(client, owner).get(page(office, job)).content.decode()
    assert "Raport zapisany." in html and '<a href="/x/">Pobierz</a>' in html


def test_a_failed_job_shows_its_message(client, office, owner):
    job = job_enqueue(office=office, owner=owner, handler=handlers.refuses, title="Skan")
    job_execute(job_id=job.pk, worker="w")
    html = log_in(client, owner).get(page(office, job)).content.decode()
    assert "nieudane" in html and "Plik nie jest skanem ankiety." in html


def test_office_admins_see_every_job_of_their_office(client, office, job):
    admin = staff(office, Role.OFFICE_ADMIN, "admin")
    assert log_in(client, admin).get(page(office, job)).status_code == 200


@pytest.mark.parametrize("role", [Role.REPORTER, Role.CLERK])
def test_others_get_404_for_a_job_not_theirs(client, office, job, role):
    someone = staff(office, role, "someone")
    log_in(client, someone)
    assert client.get(page(office, job)).status_code == 404
    assert client.get(page(office, job, "stan.json")).status_code == 404


def test_another_office_never_sees_it(client, office, other_office, job):
    foreign = staff(other_office, Role.OFFICE_ADMIN, "admin-ksiazki")
    log_in(client, foreign)
    # Through the other office's address: no such job there.
    assert client.get(page(other_office, job)).status_code == 404
    # Through this office's address: not a member.
    assert client.get(page(office, job)).status_code == 404


def test_bad_ids_answer_404_and_anonymous_goes_to_login(client, office, owner, job):
    assert client.get(page(office, job)).status_code == 302
    log_in(client, owner)
    for bad in ("nie-ma", str(uuid.uuid4()), "1' or '1'='1"):
        assert client.get(f"/{office.slug}/admin/zadania/{bad}/").status_code == 404
