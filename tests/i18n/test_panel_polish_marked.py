"""In the English panel, what an office entered in Polish — its name and address, its
departments, its survey's questions and answers, its actions — carries ``lang="pl"``
(WCAG 3.1.2), on every panel page: the pages are found from the URL configuration and by
following the panel's links, as the operator (who may open them all) sees them."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ocenurzad.accounts.models import Role, User
from ocenurzad.actions.services import action_create
from ocenurzad.responses.models import Channel, Response
from ocenurzad.surveys.selectors import survey_version_current
from ocenurzad.surveys.services import survey_draft_get_or_create
from tests.i18n import pages
from tests.panel.test_access_matrix import PAGES, QUERY

pytestmark = pytest.mark.django_db

# Not HTML, or the manual itself (all of it Polish, marked so as a whole).
SKIP = ("wyloguj", "/pomoc/", ".pdf", ".csv", ".xlsx", ".json", ".png", ".svg", "/logo")
# Not text in a language: a <title> cannot mark a part of itself; a <textarea> holds code or
# what is being edited; <code> holds keys.
NOT_TEXT_RE = re.compile(r"<(title|textarea|code)\b.*?</\1>", re.S)
ATTRIBUTES = ("alt", "aria-label", "placeholder", "title")


class _Texts(pages._Texts):
    """The texts of a page with their language; an attribute is checked only when it is
    wholly an office text (one that adds it to the page's own words cannot mark it)."""

    def __init__(self, whole: set[str]):
        super().__init__()
        self.whole = whole

    def handle_starttag(self, tag, attrs):
        kept = [
            (name, value)
            for name, value in attrs
            if name not in ATTRIBUTES or " ".join((value or "").split()) in self.whole
        ]
        super().handle_starttag(tag, kept)


@pytest.fixture
def office(make_office):
    return make_office(
        slug="gdynia",
        name="Urząd Miasta Gdyni",
        departments=("Wydział Komunikacji", "Referat Podatków i Opłat Lokalnych"),
        languages=["en"],
        street_address="al. Marszałka Piłsudskiego 52/54",
        postal_code="81-382",
        city="Gdynia",
        controller="Prezydent Miasta Gdyni",
    )


def _polish_texts(office) -> set[str]:
    """What the office entered in Polish and a panel page may show."""
    texts = {office.name, office.address_line, office.controller}
    texts |= {d.name for d in office.departments.all()}
    definition = survey_version_current(office=office).definition
    for section in definition["sections"]:
        texts.add(section["title"]["pl"])
        for question in section["questions"]:
            texts.add(question["text"]["pl"])
            for option in question.get("options", []):
                texts.add(option["label"]["pl"])
    texts.add("Dodatkowe stanowisko w poniedziałki")
    # Short answers ("tak", "nie", "inne") could be English words' parts or a code; a
    # page naming them names them beside the question, which is checked.
    return {t for t in texts if t and len(t) > 6}


def _responses(office, user):
    version = survey_version_current(office=office)
    department = office.departments.first()
    now = timezone.now()
    for day in range(40):
        Response.objects.create(
            office=office,
            version=version,
            channel=Channel.PAPER if day % 2 else Channel.ONLINE,
            source="papier" if day % 2 else "",
            department=department,
            submitted_at=now - timedelta(days=day * 3),
            answers={"ocena_ogolna": 1 + day % 5, "wydzial": department.pk},
            entered_by=user if day % 2 else None,
            sheet_number=day if day % 2 else None,
            entered_at=now if day % 2 else None,
        )


def _unmarked(html: str, office_texts: set[str], polish: list[re.Pattern]) -> list[str]:
    parser = _Texts(office_texts)
    parser.feed(NOT_TEXT_RE.sub("", html))
    return [
        f"{pattern.pattern[7:-6]!r} in {text!r}"
        for lang, text in parser.texts
        if lang == "en"
        for pattern in polish
        if pattern.search(text)
    ]


def _english(url: str) -> str:
    return url + ("&" if "?" in url else "?") + "lang=en"


def test_the_english_panel_marks_what_the_office_entered_in_polish(client, office):
    operator = User.objects.create_user(username="op", password="x", role=Role.OPERATOR)
    client.force_login(operator, backend="django.contrib.auth.backends.ModelBackend")
    survey_draft_get_or_create(office=office, actor=operator)
    _responses(office, operator)
    department = office.departments.first()
    action_create(
        office=office,
        actor=operator,
        data={
            "title": "Dodatkowe stanowisko w poniedziałki",
            "kind": "corrective",
            "department": department,
            "owner_name": "Naczelnik Wydziału Komunikacji",
            "deadline": timezone.localdate() + timedelta(days=30),
        },
    )
    office_texts = _polish_texts(office)
    polish = [re.compile(r"(?<!\w)" + re.escape(text) + r"(?!\w)") for text in office_texts]
    prefix = f"/{office.slug}/admin/"
    year = timezone.localdate().year
    queue = [
        f"/{office.slug}/{route}" + QUERY.get(name, "")
        for name, route, _p in PAGES
        if not any(s in route for s in SKIP)
    ] + [f"{prefix}raporty/podglad/?okres=rok&rok={year}"]
    seen, found, pages = {re.sub(r"\d+", "N", url) for url in queue}, [], 0
    while queue and pages < 300:
        url = queue.pop(0)
        response = client.get(_english(url))
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode()
        assert '<html lang="en">' in html or response.status_code != 200, url
        pages += 1
        found += [f"{url}: {p}" for p in _unmarked(html, office_texts, polish)]
        for link in re.findall(r'href="([^"#]+)', html):
            link = re.sub(r"[?&]lang=\w+$", "", link.replace("&amp;", "&"))
            shape = re.sub(r"\d+", "N", link)  # one paper sheet, action, version … of each
            if link.startswith(prefix) and not any(s in link for s in SKIP) and shape not in seen:
                seen.add(shape)
                queue.append(link)
    assert pages > 30
    assert not found, "office-entered Polish under lang=en:\n" + "\n".join(sorted(set(found)))
