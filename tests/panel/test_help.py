import pytest

from ocenurzad.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_client(client, office):
    client.force_login(
        User.objects.create_user(username="c", password="x", office=office, role="clerk")
    )
    return client


def test_help_lists_the_manual_chapters(clerk_client, office):
    html = clerk_client.get(f"/{office.slug}/admin/pomoc/").content.decode()
    assert "Instrukcja obsługi" in html or "instrukcja obsługi" in html
    assert f'href="/{office.slug}/admin/pomoc/ankieta-dla-mieszkancow/"' in html


def test_a_chapter_is_shown_as_html_with_working_links(clerk_client, office):
    response = clerk_client.get(f"/{office.slug}/admin/pomoc/ankieta-dla-mieszkancow/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>" in html and html.count("<h1>") == 1  # chapter headings moved down a level
    assert ".md" not in html.split('class="manual"')[1]


@pytest.mark.parametrize("slug", ["nie-ma-takiego", "..", "index.md"])
def test_unknown_chapter_is_404(clerk_client, office, slug):
    assert clerk_client.get(f"/{office.slug}/admin/pomoc/{slug}/").status_code == 404


def test_every_link_between_chapters_reaches_its_chapter_and_heading(clerk_client, office):
    """Links like ``[…](raport.md#raport-roczny)`` in docs/pl: the chapter exists and has
    a heading with that anchor (Polish letters made plain: ł -> l, ó -> o …)."""
    import re
    from pathlib import Path

    from django.conf import settings

    docs = Path(settings.DOCS_DIR)
    links = {
        (chapter.stem, target, anchor)
        for chapter in docs.glob("*.md")
        for target, anchor in re.findall(
            r"\]\(([a-z0-9-]+)\.md(?:#([^)]+))?\)", chapter.read_text(encoding="utf-8")
        )
    }
    assert any(anchor for _source, _target, anchor in links), "the manual links to sections"
    pages = {}
    for source, target, anchor in sorted(links):
        assert (docs / f"{target}.md").is_file(), f"{source}.md links to a missing {target}.md"
        if target == "index" or not anchor:
            continue
        if target not in pages:
            page = clerk_client.get(f"/{office.slug}/admin/pomoc/{target}/")
            assert page.status_code == 200
            pages[target] = page.content.decode()
        assert f'id="{anchor}"' in pages[target], f"{source}.md: no #{anchor} in {target}.md"


def test_on_english_pages_the_polish_manual_is_marked_as_polish(clerk_client, office):
    # Given the panel in English (the manual exists in Polish only)
    from ocenurzad.panel.help import help_chapter
    from tests.i18n.pages import texts_by_language

    slug = "ankieta-dla-mieszkancow"
    chapter = help_chapter(slug=slug)
    index = clerk_client.get(f"/{office.slug}/admin/pomoc/?lang=en").content.decode()
    page = clerk_client.get(f"/{office.slug}/admin/pomoc/{slug}/?lang=en").content.decode()

    # Then the page is English, and the chapter's title and every text of it say lang="pl"
    html_lang, texts = texts_by_language(page)
    assert html_lang == "en"
    manual = {text for _lang, text in texts_by_language(chapter["html"])[1]} | {chapter["title"]}
    assert manual <= {text for lang, text in texts if lang == "pl"}
    assert ("pl", chapter["title"]) in texts_by_language(index)[1]
