"""The Nu HTML Checker (vnu) finds no error on any resident page or any panel page.

The pages are rendered by Django's test client — resident pages, the panel pages of the
role matrix (found from the URL configuration, as the axe-core tests do) as an office
administrator, the operator's pages and forms in their error states — and all of them go
to one run of the checker: the JVM starts once.

Needs Java and the npm package vnu-jar (``make browser-deps``); a missing one fails.
"""

import json
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from ocenurzad.accounts.models import User
from ocenurzad.audit.services import audit_record
from ocenurzad.responses.models import Channel, Response
from ocenurzad.surveys.services import survey_draft_get_or_create
from tests.browser.conftest import PROJECT_DIR
from tests.panel.test_access_matrix import PAGES, QUERY

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

VNU_JAR = PROJECT_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
NOT_PAGES = {"print-pdf", "print-batch", "survey-draft-preview-pdf", "help-manual-pdf"}

RESIDENT = [
    f"{path}{query}"
    for path in ("", "dziekujemy/", "ochrona-danych/", "deklaracja-dostepnosci/", "nie-ma-takiej/")
    for query in ("", "?lang=en", "?lang=uk", "?lang=de")
] + ["?zrodlo=qr"]


def _every_language(office):
    """Ukrainian and German on too, each department named in them: every language offered."""
    office.languages = ["en", "uk", "de"]
    office.save()
    for department in office.departments.all():
        department.name_translations = dict.fromkeys(office.languages, department.name)
        department.save()


def _paper_sheet(office, user, number):
    return Response.objects.create(
        office=office,
        version=office.survey.current_version,
        channel=Channel.PAPER,
        source="papier",
        department=office.departments.first(),
        submitted_at=timezone.now(),
        answers={"ocena_ogolna": 5},
        entered_by=user,
        sheet_number=number,
        entered_at=timezone.now(),
    )


def _pages(client, office) -> dict[str, str]:
    """{name: HTML} of every page to check."""
    pages = {}
    # a third department: the departments page then has its whole-order form too
    office.departments.create(name="Wydział Podatków", position=2)
    _every_language(office)

    def take(name, response):
        assert response.status_code < 500, f"{name}: {response.status_code}"
        assert "text/html" in response["Content-Type"], f"{name}: {response['Content-Type']}"
        pages[name] = response.content.decode()

    for path in RESIDENT:
        take(f"resident /{path}", client.get(f"/{office.slug}/{path}"))
    take("resident: form with errors", client.post(f"/{office.slug}/wyslij/", {"token": "x"}))
    token_page = client.get(f"/{office.slug}/").content.decode()
    token = token_page.split('name="token" value="', 1)[1].split('"', 1)[0]
    take(
        "resident: missing answers",
        client.post(f"/{office.slug}/wyslij/", {"token": token, "q_co_poprawic": "x"}),
    )
    for lang in ("en", "uk", "de"):
        take(
            f"resident: missing answers ({lang})",
            client.post(f"/{office.slug}/wyslij/", {"token": token, "lang": lang}),
        )
    take("platform index", client.get("/"))
    take("login", client.get(f"/{office.slug}/admin/logowanie/"))

    admin = User.objects.create_user(
        username="admin.vnu", password="x" * 12, office=office, role="office_admin"
    )
    sheet = _paper_sheet(office, admin, 41)
    audit_record(office=office, actor=admin, action="response.paper_enter", target=sheet, after={})
    client.force_login(admin)
    for name, route, _perm in PAGES:
        if name in NOT_PAGES:
            continue
        take(f"panel {name}", client.get(f"/{office.slug}/{route}{QUERY.get(name, '')}"))
    take("panel banner (Ukrainian)", client.get(f"/{office.slug}/admin/baner/?jezyk=uk"))
    for name, route, _perm in PAGES:  # the English panel, office texts marked lang="pl"
        if name not in NOT_PAGES and name != "help-page":
            query = QUERY.get(name, "")
            take(f"panel {name} (en)", client.get(f"/{office.slug}/{route}{query or '?'}&lang=en"))
    paper = f"/{office.slug}/admin/ankiety-papierowe/"
    take(
        "panel paper entry: errors", client.post(paper, {"nr_arkusza": "x", "q_ocena_ogolna": "7"})
    )
    take("panel paper correction", client.get(f"{paper}{sheet.pk}/"))
    take(
        "panel paper entry: a period across months",
        client.get(f"{paper}?data_wypelnienia=15.10.2025–14.11.2025"),
    )
    # the publish page with a draft, its § 5 notice included
    survey_draft_get_or_create(office=office, actor=admin)
    take("panel publish", client.get(f"/{office.slug}/admin/ankieta/szkic/opublikuj/"))
    take("panel paper delete", client.get(f"{paper}{sheet.pk}/usun/"))
    take(
        "panel print: batch errors",
        client.get(f"/{office.slug}/admin/druk/arkusze.pdf?od=0&liczba=x"),
    )
    end = timezone.localdate()
    report = (
        f"/{office.slug}/admin/raporty/podglad/?okres=zakres"
        f"&od={end - timedelta(days=30):%Y-%m-%d}&do={end:%Y-%m-%d}"
    )
    take("panel report preview", client.get(report))
    # its charts mark the office's texts in their SVG (<tspan lang="pl">)
    take("panel report preview (en)", client.get(report + "&lang=en"))

    operator = User.objects.create_user(username="operator.vnu", password="x" * 12, role="operator")
    client.logout()
    client.force_login(operator)
    for path in (
        "admin/urzad/urzedy/",
        "admin/urzad/urzedy/nowy/",
        f"admin/urzad/urzedy/{office.pk}/domeny/",
    ):
        response = client.get(f"/{office.slug}/{path}")
        assert response.status_code == 200, f"operator {path}: {response.status_code}"
        take(f"operator {path}", response)
    return pages


def _vnu(files) -> list[dict]:
    java = shutil.which("java")
    if java is None:
        pytest.fail("java not found; run `make browser-deps`", pytrace=False)
    if not VNU_JAR.is_file():
        pytest.fail(f"vnu.jar not found at {VNU_JAR}; run `make browser-deps`", pytrace=False)
    run = subprocess.run(  # noqa: S603 — fixed arguments, our own files
        [java, "-Xss1m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        return json.loads(run.stderr or run.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu did not answer in JSON: {run.stdout[-2000:]} {run.stderr[-2000:]}")


def test_no_page_has_an_html_error(client, office, tmp_path):
    pages = _pages(client, office)
    files = {}
    for index, (name, html) in enumerate(pages.items()):
        path = tmp_path / f"page-{index:03d}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = name
    messages = _vnu([str(tmp_path / file) for file in files])

    errors = [m for m in messages if m.get("type") == "error"]
    lines = []
    for m in errors:
        name = files.get(m.get("url", "").rsplit("/", 1)[-1], m.get("url"))
        lines.append(f"{name}:{m.get('lastLine')}: {m.get('message')} — {m.get('extract', '')!r}")
    assert not errors, f"{len(errors)} HTML error(s) in {len(pages)} pages:\n" + "\n".join(lines)
    assert len(pages) >= 30
