"""The manual (docs/pl) tells the truth where a test can tell: every panel name it sets
in bold is on a page of the panel or of the survey; every screenshot it shows exists;
the PDF (Załącznik 1) opens with its cover, table of contents and screenshots."""

import datetime
import io
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from ocenurzad.accounts.models import Role, User
from ocenurzad.jobs.models import Job
from ocenurzad.jobs.services import job_execute
from ocenurzad.panel.help import help_chapter, help_chapters
from ocenurzad.panel.manual import (
    TITLE,
    manual_file,
    manual_file_write,
    manual_pdf,
    software_version,
)
from ocenurzad.surveys.services import survey_draft_get_or_create
from tests.panel.test_access_matrix import PAGES, QUERY

DOCS = Path(settings.DOCS_DIR)
IMAGE_RE = re.compile(r"!\[([^\]]*)\]\(img/([^)]+)\)")
BOLD_RE = re.compile(r"\*\*([^*]+?)\*\*")
# Chapters the issue wants illustrated.
ILLUSTRATED = {"ankieta-dla-mieszkancow", "ankiety-papierowe", "druk", "raport", "edycja-ankiety"}


def _chapters() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.md"))}


# --- Screenshots --------------------------------------------------------------------


def test_every_screenshot_the_manual_shows_exists_and_has_a_description():
    shown = set()
    for slug, text in _chapters().items():
        for alt, name in IMAGE_RE.findall(text):
            assert (DOCS / "img" / name).is_file(), f"{slug}.md shows img/{name}: missing"
            assert len(alt.strip()) >= 10, f"{slug}.md: img/{name} needs a description"
            shown.add(name)
    on_disk = {p.name for p in (DOCS / "img").glob("*.png")}
    assert on_disk <= shown, f"not shown by any chapter: {sorted(on_disk - shown)}"


def test_the_table_of_contents_shows_no_screenshot():
    # index.md is the manual's table of contents: the PDF and Pomoc draw their own
    assert not IMAGE_RE.search(_chapters()["index"])


def test_the_chapters_for_residents_paper_printing_reports_and_editing_have_screenshots():
    chapters = _chapters()
    for slug in ILLUSTRATED:
        assert IMAGE_RE.search(chapters[slug]), f"{slug}.md has no screenshot"


def test_screenshots_are_small():
    for path in (DOCS / "img").glob("*.png"):
        assert path.stat().st_size < 150_000, path.name


# --- The PDF ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def manual_text():
    import pypdfium2

    pdf = manual_pdf(office_name="Urząd Gminy Książki", on=datetime.date(2026, 12, 6))
    document = pypdfium2.PdfDocument(pdf)
    pages = [page.get_textpage().get_text_range() for page in document]
    images = sum(
        1
        for page in document
        for obj in page.get_objects(max_depth=5)
        if obj.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE
    )
    return pages, images, pdf


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_cover_names_the_document_office_version_and_date(manual_text):
    pages, _images, pdf = manual_text
    assert pdf.startswith(b"%PDF-")
    cover = _flat(pages[0])
    assert "Załącznik 1" in cover
    assert _flat(TITLE) in cover
    assert "Urząd Gminy Książki" in cover
    assert f"wersja {software_version()}" in cover
    assert "6 grudnia 2026 r." in cover


def test_the_pdf_has_a_table_of_contents_with_page_numbers(manual_text):
    pages, _images, _pdf = manual_text
    toc = _flat(pages[1])
    assert toc.startswith("Spis treści")
    for number, chapter in enumerate(help_chapters(), start=1):
        entry = re.search(rf"{number}\. {re.escape(_flat(chapter['title']))}[ .]*(\d+)", toc)
        assert entry, chapter["title"]
        page = int(entry.group(1))
        # The chapter really starts on the page the table names
        assert _flat(pages[page - 1]).startswith(f"{number}. {_flat(chapter['title'])}") or (
            f"{number}. {_flat(chapter['title'])}" in _flat(pages[page - 1])
        )


def test_the_pdf_carries_every_screenshot(manual_text):
    _pages, images, _pdf = manual_text
    chapters = _chapters()
    shown = sum(len(IMAGE_RE.findall(chapters[c["slug"]])) for c in help_chapters())
    assert images >= shown > 0


def test_the_manual_command_writes_the_pdf(tmp_path, office):
    out = tmp_path / "instrukcja.pdf"
    stdout = io.StringIO()
    call_command(
        "manual", "-o", str(out), "--office", office.slug, "--date", "2026-12-06", stdout=stdout
    )
    assert out.read_bytes().startswith(b"%PDF-")
    assert "Zapisano instrukcję" in stdout.getvalue()
    with pytest.raises(CommandError, match="Nie ma urzędu"):
        call_command("manual", "-o", str(out), "--office", "nie-ma")
    with pytest.raises(CommandError, match="RRRR-MM-DD"):
        call_command("manual", "-o", str(out), "--date", "6.12.2026")


def test_pomoc_offers_the_pdf_with_the_office_on_its_cover(client, office, settings, tmp_path):
    """The first download of the day is drawn by a background job (it takes longer than a
    request may); the job's page links back, and from then on the file comes at once —
    for the other staff of the office too, never for another office."""
    settings.MANUAL_CACHE_DIR = str(tmp_path / "manual")
    # The heartbeat renews the lease on its own connection, which cannot see this test's
    # uncommitted job: a render longer than a third of the lease (a busy machine) would
    # count as a lost lease. A long lease keeps the heartbeat out of the test.
    settings.JOBS_LEASE_SECONDS = 600
    user = User.objects.create_user(username="r", password="x", role=Role.REPORTER, office=office)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(f"/{office.slug}/admin/pomoc/").content.decode()
    assert "Pobierz instrukcję w PDF (Załącznik 1)" in page
    url = f"/{office.slug}/admin/pomoc/instrukcja.pdf"

    first = client.get(url)
    assert first.status_code == 302
    job = Job.objects.get()
    assert first["Location"] == f"/{office.slug}/admin/zadania/{job.pk}/"
    assert client.get(url)["Location"] == first["Location"]  # asked again: the same job
    assert job_execute(job_id=job.pk, worker="w").state == Job.State.SUCCEEDED
    done = client.get(first["Location"]).content.decode()
    assert f'href="{url}"' in done and "Instrukcja obsługi jest gotowa do pobrania." in done

    pdf = client.get(url)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert f"instrukcja-obslugi-{office.slug}-" in pdf["Content-Disposition"]
    body = b"".join(pdf.streaming_content)
    assert body.startswith(b"%PDF-")
    clerk = User.objects.create_user(username="k", password="x", role=Role.CLERK, office=office)
    client.force_login(clerk, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(url).status_code == 200  # a colleague gets the drawing at once
    assert Job.objects.count() == 1

    image = next((DOCS / "img").glob("*.png"), None)
    if image is not None:
        assert client.get(f"/{office.slug}/admin/pomoc/img/{image.name}").status_code == 200
    assert client.get(f"/{office.slug}/admin/pomoc/img/..%2Fsettings.png").status_code == 404


def test_the_manual_drawing_is_per_office_and_redrawn_when_the_name_changes(
    client, office, other_office, settings, tmp_path
):
    settings.MANUAL_CACHE_DIR = str(tmp_path / "manual")
    today = timezone.localdate()
    ours = manual_file_write(office=office, on=today)
    assert ours.exists() and ours.parent.name == office.slug
    # Another office's staff never get this office's drawing: theirs is queued.
    user = User.objects.create_user(
        username="o", password="x", role=Role.REPORTER, office=other_office
    )
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(f"/{other_office.slug}/admin/pomoc/instrukcja.pdf").status_code == 302
    # The name on the cover changes: the old drawing no longer matches and is replaced.
    office.name = "Urząd Miasta Nowa Nazwa"
    office.save()
    assert not manual_file(office=office, on=today).exists()
    renamed = manual_file_write(office=office, on=today)
    assert renamed != ours and renamed.exists() and not ours.exists()


# --- Names in bold ----------------------------------------------------------------------

# Bold that is emphasis, a key, a value, a description or a step, not the name of
# something on a page (reviewed one by one).
EMPHASIS = {
    "po każdym zapisie",
    "Delete",
    "Numer wskazuje wersję ankiety.",
    "28.12",
    "zostaje dla następnych arkuszy",
    "środkowym dniu okresu",
    "okres zebrania zamiast dnia",
    "poprawić tylko administrator urzędu",
    "Każda pobrana partia jest zapisywana:",
    "co najmniej 30 osób",
    "skarga do Prezesa Urzędu Ochrony Danych Osobowych",
    "Czego system nie rozpozna:",
    "Tytuł i zasada zaznaczania",
    "Kody odpowiedzi:",
    "Znaczniki w rogach:",
    "Kod QR w nagłówku (z podpisem)",
    "Wersja numer",
    "100%",
    "15 minut",
    "2000 × 2000 pikseli",
    "24 godziny od jej wprowadzenia",
    "3 cm",
    "3 godziny",
    "9.1.2 „Zadowolenie klienta”",
    "Adres bezpośredni.",
    "Arkusz kod wersji",
    "Blokada konta.",
    "Blokada urządzenia.",
    "Cmd +",
    "Ctrl +",
    "Ctrl + C",
    "Ctrl + V",
    "Ctrl 0",
    "Ctrl −",
    "Czy nazwa hosta to <identyfikator>.<adres platformy>",
    "Czy nazwa hosta to własna domena któregoś urzędu.",
    "Czy ścieżka zaczyna się od identyfikatora urzędu",
    "Gdy w instalacji działa wysyłanie poczty, a konto ma adres e-mail:",
    "Identyfikator urzędu",
    "Jak sprawdzicie skutek",
    "Jakie działanie",
    "Jeśli raportu nie da się przygotować albo zapisać, nic się nie zmienia",
    "Klucz się nie zmienia.",
    "Kod QR w urzędzie.",
    "Kontrast:",
    "Margines:",
    "Na tle pozostałych pytań.",
    "Najpierw system przygotowuje raport ze wszystkich dotychczasowych wyników",
    "Osoba liczy się raz.",
    "Pobierz tę listę: XLSX (Excel) · CSV",
    "Pobrania odpowiedzi mieszkańców:",
    "Pobrania raportów:",
    "Raport przy zmianie widocznej dla mieszkańców (§ 5):",
    "Skany ankiet papierowych:",
    "Archiwizacja raportu:",
    "Proporcje:",
    "Raport roczny zapisany automatycznie",
    "Shift + Tab",
    "Spacja",
    "Stopka każdej strony:",
    "Strona tytułowa",
    "Te same miesiące rok wcześniej.",
    "Termin działania",
    "Tytuł i instrukcja:",
    "W pozostałych przypadkach",
    "Werdykt.",
    "Język najlepiej wybrać przed wypełnianiem.",
    "Zalogowano: imię i nazwisko (rola)",
    "Zbadaj",
    "Zbadaj element",
    "bieżącą",
    "całym systemie",
    "co najmniej dwie odpowiedzi",
    "dwustronny",
    "mniej niż 5 odpowiedzi",
    "na samym początku",
    "najwyżej jedno",
    "nic nie zostaje zapisane",
    "nie da się zapisać",
    "nie jest odnośnikiem",
    "nie rzadziej niż raz do roku",
    "nie trzeba",
    "nie używa plików cookie",
    "nie wpisywać",
    "nie wymagają logowania",
    "nie zapisuje adresu IP",
    "niepowtarzalny w całej ankiecie",
    "osoby odpowiedzialnej wskazanej w zarządzeniu",
    "pod tym adresem, pod którym otworzyłeś(-aś) stronę banera",
    "podstawę: n",
    "polski (pl) jest zawsze wymagany",
    "przed wprowadzeniem zmian należy wygenerować raport z dotychczasowych wyników pomiaru",
    "strzałkami",
    "strzałki",
    "tylko adres obrazka",
    "tylko jeden szkic naraz",
    "urzędu, w którym wypełnia ankietę",
    "większa, niż można by się spodziewać przez sam przypadek",
    "zastępuje",
}

# Names the manual bends to fit a Polish sentence: the form shown on the page.
INFLECTED = {
    "Historię wersji": "Historia wersji",
    "Historię zmian": "Historia zmian",
    "Dziennika zmian": "Dziennik zmian",
    "Dzienniku zmian": "Dziennik zmian",
    "Notatką do zmiany stanu": "Notatka do zmiany stanu",
    "Datą": "Data",
    "Rolę": "Rola",
    "pulpicie": "Pulpit",
}


def _texts(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    values = " ".join(re.findall(r'(?:value|aria-label|title|alt)="([^"]*)"', html))
    text = re.sub(r"<[^>]+>", " ", html)
    return _flat(unescape(text + " " + values))


SOURCE = Path(__file__).resolve().parents[2] / "src" / "ocenurzad"


@pytest.fixture
def panel_corpus(client, office):
    """What the software can show: the text of every panel page reachable by links from
    the menu (as the operator, who sees all), the resident pages and the login page, and
    every wording of its interface."""
    operator = User.objects.create_user(username="op", password="x", role=Role.OPERATOR)
    client.force_login(operator, backend="django.contrib.auth.backends.ModelBackend")
    survey_draft_get_or_create(office=office, actor=operator)
    prefix = f"/{office.slug}/admin/"
    # Not Pomoc: it shows the manual itself.
    queue = [
        f"/{office.slug}/{route}" + QUERY.get(name, "")
        for name, route, _p in PAGES
        if not route.startswith("admin/pomoc/")
    ]
    seen, texts = set(queue), []
    while queue and len(seen) < 250:
        url = queue.pop(0)
        response = client.get(url)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode()
        texts.append(_texts(html))
        for link in re.findall(r'href="([^"#?]+)', html):
            skip = ("wyloguj", "/pomoc/")
            if link.startswith(prefix) and not any(s in link for s in skip) and link not in seen:
                seen.add(link)
                queue.append(link)
    client.logout()
    for route in ("", "dziekujemy/", "ochrona-danych/", "deklaracja-dostepnosci/", "admin/"):
        texts.append(_texts(client.get(f"/{office.slug}/{route}", follow=True).content.decode()))
    texts += _source_wordings()
    return " \n ".join(texts)


_PY_RE = re.compile(
    r"\b(?:_|gettext|gettext_lazy|ngettext|pgettext|pgettext_lazy)\(\s*"
    r'(?:"[^"]*",\s*)?((?:"(?:[^"\\]|\\.)*"\s*)+)'
)
_LITERAL_RE = re.compile(r'"((?:[^"\\]|\\.)*)"')
_TEMPLATE_RE = re.compile(
    r"""{%\s*(?:translate|trans)\s+(?:"([^"]*)"|'([^']*)')"""
    r"|{%\s*blocktranslate[^%]*%}(.*?){%\s*endblocktranslate\s*%}",
    re.S,
)


def _source_wordings() -> list[str]:
    """Every wording of the interface as written in the templates and the code (messages
    too that appear only when something happens), tags and placeholders removed."""
    found = []
    for path in SOURCE.rglob("*.py"):
        for literals in _PY_RE.findall(path.read_text(encoding="utf-8")):
            found.append("".join(_LITERAL_RE.findall(literals)))
    for path in SOURCE.rglob("*.html"):
        for a, b, block in _TEMPLATE_RE.findall(path.read_text(encoding="utf-8")):
            found.append(a or b or block)
    return [_flat(re.sub(r"<[^>]+>|{{[^}]*}}|{%[^%]*%}", " ", text)) for text in found]


def _bold(slug: str) -> list[str]:
    html = help_chapter(slug=slug)["html"]
    return list(
        dict.fromkeys(
            _flat(unescape(re.sub(r"<[^>]+>", "", m)))
            for m in re.findall(r"<strong>(.*?)</strong>", html, re.S)
        )
    )


def _names(phrase: str) -> list[str]:
    """The UI names in a bold phrase: „A → B” is two; a trailing colon or full stop and an
    ellipsis (a name's variable part) are not part of the name."""
    quoted = re.findall(r"„([^”]+)”", phrase)
    if quoted and not phrase.startswith("„"):
        return [_names(q)[0] if _names(q) else q for q in quoted]  # Tabela „Wypełnione ankiety”
    names = []
    for part in phrase.split("→"):
        part = part.strip().rstrip(":.").strip()
        names += [piece.strip(" „”") for piece in part.split("…") if piece.strip(" „”")]
    return names


def test_every_name_the_manual_sets_in_bold_is_on_a_page(panel_corpus):
    corpus = panel_corpus.lower()
    missing = []
    for slug in sorted(_chapters()):
        for phrase in _bold(slug):
            if phrase in EMPHASIS or len(phrase.split()) > 8:
                continue  # a sentence in bold is emphasis; names are short
            phrase = INFLECTED.get(phrase, phrase)
            if any(name.lower() not in corpus for name in _names(phrase)):
                missing.append(f"{slug}.md: **{phrase}**")
    assert not missing, (
        "names the software does not show (fix the manual, or — if the bold is emphasis, "
        "not a name on a page — add it to EMPHASIS above):\n" + "\n".join(missing)
    )


# --- Links, commands, settings and addresses ----------------------------------------------

LINK_RE = re.compile(r"\]\(((?:[a-z0-9-]+\.md)?)(#[^)\s]*)?\)")


def test_every_link_between_chapters_leads_to_a_chapter_and_heading_that_exist():
    chapters = _chapters()
    broken = []
    for slug, text in chapters.items():
        for target, anchor in LINK_RE.findall(text):
            other = target.removesuffix(".md") or slug
            if other not in chapters:
                broken.append(f"{slug}.md → {target}")
            elif anchor and f'id="{anchor[1:]}"' not in help_chapter(slug=other)["html"]:
                broken.append(f"{slug}.md → {target}{anchor}")
    assert not broken, "links to no chapter or no heading:\n" + "\n".join(broken)


COMMAND_RE = re.compile(r"manage\.py ([a-z_]+)((?:[^\n`]|\\\n)*)")
OPTION_RE = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-z])\b")


def _command_options(name: str) -> tuple[set[str], dict[str, set[str]]]:
    """The options a management command's parser accepts, and each subcommand's."""
    import argparse

    from django.core.management import get_commands, load_command_class

    parser = load_command_class(get_commands()[name], name).create_parser("manage.py", name)

    def options(p) -> set[str]:
        return {s for action in p._actions for s in action.option_strings}

    subcommands = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            subcommands = {sub: options(p) for sub, p in action.choices.items()}
    return options(parser), subcommands


def test_every_command_the_manual_names_exists_with_the_options_it_names():
    from django.core.management import get_commands

    known = get_commands()
    wrong = []
    for slug, text in _chapters().items():
        named = {}
        for name, rest in COMMAND_RE.findall(text):
            if name not in known:
                wrong.append(f"{slug}.md: manage.py {name} — no such command")
                continue
            own, subcommands = _command_options(name)
            words = rest.replace("\\\n", " ").split()
            if subcommands:
                if words and words[0] not in subcommands:
                    wrong.append(f"{slug}.md: manage.py {name} {words[0]} — no such subcommand")
                    continue
                own = own | subcommands.get(words[0], set()) if words else own
                named.setdefault(name, set()).update(*subcommands.values())
            named.setdefault(name, set()).update(own)
            for option in OPTION_RE.findall(" ".join(words)):
                if option not in own:
                    wrong.append(f"{slug}.md: manage.py {name} … {option} — not an option")
        # an option in the prose (`--keep 14`) belongs to a command of the same chapter
        accepted = set().union(*named.values()) if named else set()
        for code in re.findall(r"`(--[a-z][a-z0-9-]*)", text):
            if code not in accepted:
                wrong.append(f"{slug}.md: `{code}` — no command of the chapter has it")
    assert not wrong, "\n".join(wrong)


# Names the manual gives in code font that are settings or environment variables.
SETTING_RE = re.compile(r"`([A-Z][A-Z0-9_]{2,})(?:=[^`]*)?`")
ENV_READ_RE = re.compile(
    r"""(?:\benv(?:\.\w+)?|os\.environ\.get|os\.getenv|environ\[)\(?\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def test_every_setting_the_manual_names_is_a_setting_or_read_from_the_environment():
    read = {name for path in SOURCE.rglob("*.py") for name in ENV_READ_RE.findall(path.read_text())}
    assert {"SURVEY_RATE_LIMIT", "DATABASE_URL", "OPERATOR_PASSWORD"} <= read
    unknown = [
        f"{slug}.md: {name}"
        for slug, text in _chapters().items()
        for name in SETTING_RE.findall(text)
        if name not in read and not hasattr(settings, name)
    ]
    assert not unknown, "settings no code reads:\n" + "\n".join(sorted(set(unknown)))


# An address in the manual: a URL of an office or the platform, or a path of an office.
_HOSTS = ("ocenurzad.example.pl", "127.0.0.1", "localhost", "ksiazki.pl", "<adres-urzędu>")
_SLUGS = {"ksiazki", "gmina-ksiazki", "swinoujscie", "<identyfikator>", "<identyfikator-urzędu>"}
_OFFICE_PAGES = ("admin", "baner", "dziekujemy", "ochrona-danych", "deklaracja-dostepnosci")


def _office_path(address: str) -> str | None:
    """The office-relative path an address of the manual names, or None if it is none."""
    address = address.split("?")[0].lstrip("…")
    if match := re.match(r"https?://([^/]+)(/.*)?$", address):
        host, path = match.groups()
        if not any(h in host for h in _HOSTS):
            return None
        path = path or "/"
        first = path.split("/")[1] if path.count("/") > 1 else ""
        platform = host.split(":")[0] in ("ocenurzad.example.pl", "127.0.0.1", "localhost")
        if platform and first in _SLUGS:
            path = path[len(first) + 1 :]
        elif platform and path != "/" and not path.startswith("/zdrowie/"):
            return None
        return path
    if address.startswith("/") and address.split("/")[1] in _SLUGS:
        return address[len(address.split("/")[1]) + 1 :] or "/"
    if address.lstrip("/").split("/")[0] in _OFFICE_PAGES and "/" in address:
        return "/" + address.lstrip("/")
    return None


def test_every_address_the_manual_names_is_a_page_of_the_system():
    from django.urls import Resolver404, resolve

    checked, missing = 0, []
    for slug, text in _chapters().items():
        for code in re.findall(r"`([^`\n]+)`", text):
            if " " in re.sub(r"<[^>]*>", "", code):
                continue  # a command or a sentence, not an address
            path = _office_path(code)
            if path is None or path == "/zdrowie/":  # the health check answers before URLs
                continue
            path = re.sub(r"<[^>]+>", "1", path)
            checked += 1
            try:
                resolve(path, urlconf=settings.OFFICE_URLCONF)
            except Resolver404:
                missing.append(f"{slug}.md: {code}")
    assert checked >= 20
    assert not missing, "addresses that are no page:\n" + "\n".join(missing)


# --- Who may do what -------------------------------------------------------------------------


def _table(text: str, first_header: str) -> tuple[list[str], list[list[str]]]:
    """The Markdown table whose first header cell is ``first_header``: headers, rows."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    cells = [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines[start:]]
    end = next((i for i, line in enumerate(lines[start:]) if not line.startswith("|")), None)
    rows = cells[: end if end is not None else len(cells)]
    return rows[0], rows[2:]


def _role_of(label: str) -> str:
    return next(value for value, name in Role.choices if str(name).lower() == label.lower())


def _may(perm, role: str) -> str:
    from ocenurzad.accounts.permissions import ROLE_PERMISSIONS

    return "tak" if perm in ROLE_PERMISSIONS[role] else "—"


def test_the_roles_table_says_what_each_role_may_do():
    """panel.md's table of roles against accounts/permissions.py, row by row: each row
    that names a menu item (or another guarded power) says tak/— as the code decides."""
    from ocenurzad.accounts.permissions import Perm
    from ocenurzad.panel.navigation import PRIMARY, SECONDARY

    by_label = {str(label): perm for _name, perm, label in PRIMARY + SECONDARY}
    by_label["Drukować ponumerowane arkusze"] = Perm.SURVEY  # printing/permissions.py
    by_label["Poprawić lub usunąć arkusz wprowadzony przez kogoś innego"] = Perm.PAPER_CORRECT_ANY
    headers, rows = _table(_chapters()["panel"], "Co można robić")
    roles = [_role_of(h) for h in headers[1:]]
    checked, wrong = 0, []
    for row in rows:
        label = max((lb for lb in by_label if row[0].startswith(lb)), key=len, default=None)
        if label is None:
            continue  # a power no single permission decides (e.g. raw export, granted)
        checked += 1
        for role, said in zip(roles, row[1:], strict=True):
            if said != _may(by_label[label], role):
                wrong.append(f"{row[0]} / {role}: the manual says {said}")
    assert checked >= 12
    assert not wrong, "\n".join(wrong)


def test_the_printing_table_says_who_may_print_what():
    from ocenurzad.accounts.permissions import Perm

    _headers, rows = _table(_chapters()["druk"], "Rola")
    assert len(rows) == len(Role.choices)
    for label, form, numbered in rows:
        role = _role_of(label)
        assert form == _may(Perm.PRINT_FORM, role), label
        assert numbered == _may(Perm.SURVEY, role), label  # printing/permissions.py


# --- Messages the manual quotes ----------------------------------------------------------------


def _raw_wordings() -> list[str]:
    """Every wording of the code and templates with its variable parts as NUL, and the
    few Django gives itself (the login rule), in Polish."""
    from django.contrib.auth.validators import UnicodeUsernameValidator
    from django.utils import translation

    found = []
    for path in SOURCE.rglob("*.py"):
        for literals in _PY_RE.findall(path.read_text(encoding="utf-8")):
            found.append("".join(_LITERAL_RE.findall(literals)).replace('\\"', '"'))
    for path in SOURCE.rglob("*.html"):
        for a, b, block in _TEMPLATE_RE.findall(path.read_text(encoding="utf-8")):
            found.append(a or b or block)
    with translation.override("pl"):
        found.append(str(UnicodeUsernameValidator.message))
    return [
        _flat(re.sub(r"%\(\w+\)[sd]|%[sd]|{{[^}]*}}|<[^>]+>|{%[^%]*%}", "\0", text))
        for text in found
    ]


def _fragments(message: str) -> list[str]:
    """The fixed words of a message as the manual quotes it: without its quoted names and
    values („…”), numbers and ellipses (the parts that vary or were left out)."""
    message = message.strip()
    if message.startswith("„") and message.endswith("”") and message.count("„") == 1:
        message = message[1:-1]
    parts = re.split(r"„[^”]*”|…|\d+", message)
    return [p.strip() for p in parts if len(p.strip()) >= 3]


def test_every_message_the_manual_lists_is_one_the_software_gives():
    wordings = _raw_wordings()
    unknown = []
    for slug, text in _chapters().items():
        for start in [m.start() for m in re.finditer(r"^\| Komunikat \|", text, re.M)]:
            _headers, rows = _table(text[start:], "Komunikat")
            for row in rows:
                fragments = _fragments(row[0])
                if not any(all(f in w for f in fragments) for w in wordings):
                    unknown.append(f"{slug}.md: {row[0]}")
    assert not unknown, "messages no code gives:\n" + "\n".join(unknown)


def test_the_scans_table_says_who_may_read_scans():
    from ocenurzad.accounts.permissions import Perm

    _headers, rows = _table(_chapters()["skany"], "Rola")
    assert len(rows) == len(Role.choices)
    for label, may in rows:
        assert may == _may(Perm.SCANS, _role_of(label)), label
