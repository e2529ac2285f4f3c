"""The "Oceń Urząd" banner: images in every size, the QR code, the snippet and its page."""

import io
import re
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser

import pytest
import segno
from fontTools.ttLib import TTFont
from PIL import Image

from ocenurzad.banner.fonts import BOLD, REGULAR
from ocenurzad.banner.layout import (
    ACCENT,
    ACCENT_TEXT,
    BACKGROUND,
    BRAND,
    SIZES,
    TEXT,
    TEXT_ON_BACKGROUND,
    banner_layout,
)
from ocenurzad.banner.render import banner_to_png

SVG = "{http://www.w3.org/2000/svg}"
SIZE_KEYS = ["prostokat", "pionowy", "poziomy", "kwadrat"]
# File names name the shape, not the pixels: "-728x90." in a name is what ad blockers hide.
DIMENSIONS = {
    "prostokat": ("300", "100"),
    "pionowy": ("160", "600"),
    "poziomy": ("728", "90"),
    "kwadrat": ("250", "250"),
}
LONG_NAME = (
    "Urząd Marszałkowski Województwa Zachodniopomorskiego w Szczecinie — Departament "
    "Obsługi Klientów, Spraw Obywatelskich i Źródeł Finansowania Żółtych Gęśli"
)


def parse_svg(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own output, under test


def svg_text(root: ET.Element) -> str:
    return " ".join(el.text for el in root.iter(f"{SVG}text"))


def relative_luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def png_qr_matrix(content: bytes, *, scale=10, border=4) -> list[list[bool]]:
    image = Image.open(io.BytesIO(content)).convert("L")
    modules = image.width // scale - 2 * border
    return [
        [
            image.getpixel(((border + x) * scale + scale // 2, (border + y) * scale + scale // 2))
            < 128
            for x in range(modules)
        ]
        for y in range(modules)
    ]


def svg_qr_matrix(content: bytes, *, border=4) -> list[list[bool]]:
    root = parse_svg(content)
    size = int(root.get("viewBox").split()[2]) - 2 * border
    matrix = [[False] * size for _ in range(size)]
    for x, y, length in re.findall(r"M(\d+),(\d+)h(\d+)", root.find(f"{SVG}path").get("d")):
        for column in range(int(x), int(x) + int(length)):
            matrix[int(y) - border][column - border] = True
    return matrix


def segno_matrix(url: str) -> list[list[bool]]:
    return [[bool(bit) for bit in row] for row in segno.make_qr(url, error="m").matrix]


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings, self.images, self.labels, self.textareas = [], [], {}, {}
        self.inline_styles, self.scripts = 0, 0
        self._textarea = self._label = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs or tag == "style":
            self.inline_styles += 1
        if tag == "script":
            self.scripts += 1
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "img":
            self.images.append(attrs)
        if tag == "label":
            self._label = attrs.get("for")
            self.labels[self._label] = ""
        if tag == "textarea":
            self._textarea = attrs["id"]
            self.textareas[self._textarea] = {"attrs": attrs, "text": ""}

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        if tag == "label":
            self._label = None

    def handle_data(self, data):
        if self._textarea:
            self.textareas[self._textarea]["text"] += data
        if self._label:
            self.labels[self._label] += data


def parse_page(response) -> PageParser:
    parser = PageParser()
    parser.feed(response.content.decode())
    return parser


@pytest.mark.parametrize("size", SIZE_KEYS)
def test_every_size_is_an_svg_with_title_brand_and_office_name(client, office, size):
    # When the webmaster opens the SVG of any size
    response = client.get(f"/swinoujscie/baner/ocen-urzad-{size}.svg")

    # Then it is a well-formed, labelled SVG image saying "Oceń Urząd" and the office's name
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    root = parse_svg(response.content)
    width, height = DIMENSIONS[size]
    assert root.tag == f"{SVG}svg"
    assert (root.get("width"), root.get("height")) == (width, height)
    assert root.get("role") == "img"
    assert office.name in root.get("aria-label")
    title = root.find(f"{SVG}title").text
    assert "Oceń Urząd" in title
    assert office.name in title
    shown = svg_text(root)
    assert "Oceń" in shown
    assert "Urząd" in shown
    assert all(word in shown for word in office.name.split())
    assert "Wypełnij anonimową ankietę" in " ".join(shown.split())


@pytest.mark.parametrize("size", SIZE_KEYS)
def test_every_size_is_a_png_of_the_right_pixel_size(client, office, size):
    # When the PNG of a size is fetched
    response = client.get(f"/swinoujscie/baner/ocen-urzad-{size}.png")

    # Then it is a PNG of exactly that many pixels, on the banner's background
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    assert (str(image.width), str(image.height)) == DIMENSIONS[size]
    assert image.convert("RGB").getpixel((1, 1)) == (0x0B, 0x3D, 0x75)


@pytest.mark.parametrize(
    "path",
    [
        "ocen-urzad-999x999.svg",
        "ocen-urzad-999x999.png",
        "ocen-urzad-300X100.png",
        "ocen-urzad-prostokat.gif",
        "ocen-urzad-.png",
        "ocen-urzad-prostokat.png.svg",
    ],
)
def test_unknown_size_or_format_is_not_found(client, office, path):
    response = client.get(f"/swinoujscie/baner/{path}")

    assert response.status_code == 404


def test_qr_png_encodes_the_absolute_survey_address_with_source_qr(client, office):
    # Given the office reached at its own host
    expected = "http://swinoujscie.localhost/?zrodlo=qr"

    # When the QR code is downloaded as PNG
    response = client.get("/baner/qr.png", HTTP_HOST="swinoujscie.localhost")

    # Then its modules are exactly the QR code of the survey's absolute address
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.width == image.height == (29 + 2 * 4) * 10  # version 3, quiet zone of 4
    assert png_qr_matrix(response.content) == segno_matrix(expected)
    assert png_qr_matrix(response.content) != segno_matrix(expected.replace("qr", "baner"))


def test_qr_svg_encodes_the_same_address_under_the_path_prefix(client, office):
    # Given the office reached under the platform's path prefix
    expected = "http://testserver/swinoujscie/?zrodlo=qr"

    # When the QR code is downloaded in both formats
    svg = client.get("/swinoujscie/baner/qr.svg")
    png = client.get("/swinoujscie/baner/qr.png")

    # Then both encode the prefixed survey address, and the SVG says where it leads
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert svg_qr_matrix(svg.content) == segno_matrix(expected)
    assert png_qr_matrix(png.content) == segno_matrix(expected)
    root = parse_svg(svg.content)
    assert root.get("role") == "img"
    assert expected in root.find(f"{SVG}title").text


def test_snippet_links_the_absolute_survey_address_with_source_banner(client, office):
    # When the webmaster reads the banner page
    page = parse_page(client.get("/swinoujscie/admin/baner/"))

    # Then each size has a snippet linking the survey, with the image and a real alt text
    for size in SIZE_KEYS:
        snippet = page.textareas[f"kod-{size}"]["text"]
        width, height = DIMENSIONS[size]
        assert snippet.startswith('<a href="http://testserver/swinoujscie/?zrodlo=baner">')
        assert f'src="http://testserver/swinoujscie/baner/ocen-urzad-{size}.png"' in snippet
        assert f'width="{width}" height="{height}"' in snippet
        alt = re.search(r'alt="([^"]*)"', snippet).group(1)
        assert unescape(alt) == (
            "Oceń Urząd – wypełnij anonimową ankietę satysfakcji klientów: Urząd Swinoujscie"
        )
        assert snippet.endswith("></a>")


def test_snippet_escapes_an_office_name_with_quotes(client, make_office):
    # Given an office whose name has a quote and an ampersand
    make_office(slug="gmina", name='Urząd Gminy "Dolina" & Okolice')

    # When its snippet is copied from the page
    page = parse_page(client.get("/gmina/admin/baner/"))
    snippet = page.textareas["kod-prostokat"]["text"]

    # Then it is still one well-formed link: the name is escaped inside the alt attribute
    assert (
        'alt="Oceń Urząd – wypełnij anonimową ankietę satysfakcji klientów: Urząd Gminy '
        '&quot;Dolina&quot; &amp; Okolice">' in snippet
    )


def test_banner_page_is_accessible_html(client, office):
    # When the banner page is opened
    response = client.get("/swinoujscie/admin/baner/")
    page = parse_page(response)

    # Then it has one h1 and headings that never skip a level
    assert response.status_code == 200
    assert page.headings[0] == 1
    assert page.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False))
    assert "<h1>Baner „Oceń Urząd”</h1>" in response.content.decode()
    # every textarea is read-only and has its own label
    assert len(page.textareas) == len(SIZE_KEYS) + 1
    for textarea_id, textarea in page.textareas.items():
        assert "readonly" in textarea["attrs"]
        assert page.labels.get(textarea_id, "").strip()
    # every image has alt text naming what it shows, and its size
    assert len(page.images) >= len(SIZE_KEYS) + 1
    for image in page.images:
        if image.get("class") == "banner-qr":
            assert "zrodlo=qr" in image["alt"]
        elif "baner/" in image["src"]:
            assert "Urząd Swinoujscie" in image["alt"]
        assert image["width"] and image["height"]
    # nothing inline that the Content-Security-Policy would block
    assert page.inline_styles == 0
    assert page.scripts == 0


def test_banner_page_links_previews_downloads_and_the_direct_link(client, office):
    content = client.get("/swinoujscie/admin/baner/").content.decode()

    for size in SIZE_KEYS:
        assert f'href="/swinoujscie/baner/ocen-urzad-{size}.svg"' in content
        assert f'href="/swinoujscie/baner/ocen-urzad-{size}.png"' in content
    assert 'href="/swinoujscie/baner/qr.svg"' in content
    assert 'href="/swinoujscie/baner/qr.png"' in content
    assert "http://testserver/swinoujscie/?zrodlo=strona" in content
    assert "zrodlo=baner" in content
    # what the source is good for, truthfully: the report has no table of sources; the
    # responses downloaded one by one carry it
    assert "raporty pokazują" not in content
    assert "kolumna „źródło”" in content


def test_host_and_path_routing_give_the_same_banner(client, office):
    for path in ("ocen-urzad-poziomy.svg", "ocen-urzad-poziomy.png"):
        by_host = client.get(f"/baner/{path}", HTTP_HOST="swinoujscie.localhost")
        by_path = client.get(f"/swinoujscie/baner/{path}")

        assert by_host.status_code == by_path.status_code == 200
        assert by_host.content == by_path.content


def test_host_routing_snippet_uses_the_office_host(client, office):
    page = parse_page(client.get("/admin/baner/", HTTP_HOST="swinoujscie.localhost"))

    snippet = page.textareas["kod-kwadrat"]["text"]
    assert '<a href="http://swinoujscie.localhost/?zrodlo=baner">' in snippet
    assert 'src="http://swinoujscie.localhost/baner/ocen-urzad-kwadrat.png"' in snippet


def test_an_office_banner_never_shows_another_office(client, office, other_office):
    # Given two offices whose banners are both drawn (and cached)
    mine_png = client.get("/swinoujscie/baner/ocen-urzad-prostokat.png").content
    theirs_png = client.get("/ksiazki/baner/ocen-urzad-prostokat.png").content

    # Then each office's images and page carry its own name only
    mine = client.get("/swinoujscie/baner/ocen-urzad-prostokat.svg").content.decode()
    theirs = client.get("/ksiazki/baner/ocen-urzad-prostokat.svg").content.decode()
    assert "Urząd Swinoujscie" in mine
    assert "Książki" not in mine
    assert "Urząd Gminy Książki" in theirs
    assert "Swinoujscie" not in theirs
    assert mine_png != theirs_png
    assert theirs_png == banner_to_png(
        banner_layout(size=SIZES["prostokat"], office_name=other_office.name, language="pl")
    )
    page = client.get("/ksiazki/admin/baner/").content.decode()
    assert "Swinoujscie" not in page
    assert "swinoujscie" not in page


def test_renamed_office_gets_a_new_banner(client, office):
    # Given the banner was drawn and cached under the old name
    before = client.get("/swinoujscie/baner/ocen-urzad-kwadrat.png")

    # When the office is renamed
    office.name = "Urząd Miasta Świnoujście"
    office.save()
    after = client.get("/swinoujscie/baner/ocen-urzad-kwadrat.png")

    # Then the image and its ETag change with it
    assert after.content != before.content
    assert after["ETag"] != before["ETag"]
    assert after.content == banner_to_png(
        banner_layout(size=SIZES["kwadrat"], office_name=office.name, language="pl")
    )


@pytest.mark.parametrize(
    "path",
    ["ocen-urzad-prostokat.svg", "ocen-urzad-prostokat.png", "qr.svg", "qr.png"],
)
def test_banner_images_set_no_cookie(client, office, path):
    response = client.get(f"/swinoujscie/baner/{path}")

    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    "path", ["ocen-urzad-pionowy.svg", "ocen-urzad-pionowy.png", "qr.svg", "qr.png"]
)
def test_images_are_publicly_cacheable_and_embeddable(client, office, path):
    # When an image is fetched, and fetched again with its ETag
    response = client.get(f"/swinoujscie/baner/{path}")
    again = client.get(f"/swinoujscie/baner/{path}", HTTP_IF_NONE_MATCH=response["ETag"])

    # Then proxies may keep it, other sites may show it, and a revalidation costs nothing
    assert "public" in response["Cache-Control"]
    assert re.search(r"max-age=\d{4,}", response["Cache-Control"])
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert again.status_code == 304
    assert not again.content


def test_svg_opened_on_its_own_may_run_nothing(client, office):
    response = client.get("/swinoujscie/baner/ocen-urzad-prostokat.svg")

    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert b"<script" not in response.content


def test_cached_png_is_served_with_few_queries(client, office, django_assert_max_num_queries):
    # Given the PNG was drawn once
    client.get("/swinoujscie/baner/ocen-urzad-poziomy.png")

    # Then the next office website visitor costs the office look-up and a cache read
    with django_assert_max_num_queries(2):
        response = client.get("/swinoujscie/baner/ocen-urzad-poziomy.png")
    assert response.status_code == 200


def test_banner_texts_meet_wcag_aa_contrast():
    # The colours the banner uses, pair by pair (text on what is behind it)
    for text, background in TEXT_ON_BACKGROUND:
        assert contrast_ratio(text, background) >= 4.5, (text, background)
    assert contrast_ratio(TEXT, BACKGROUND) >= 7
    assert contrast_ratio(ACCENT_TEXT, ACCENT) >= 4.5


@pytest.mark.parametrize("size", SIZE_KEYS)
def test_rendered_svg_uses_only_the_checked_colour_pairs(client, office, size):
    root = parse_svg(client.get(f"/swinoujscie/baner/ocen-urzad-{size}.svg").content)

    background = root.find(f"{SVG}rect").get("fill")
    pills = [
        r for r in root.findall(f"{SVG}rect")[1:] if r.get("rx") and float(r.get("height")) > 10
    ]
    fills = {text.get("fill") for text in root.iter(f"{SVG}text")}
    assert background == BACKGROUND
    assert fills == {TEXT, ACCENT_TEXT}
    assert {pill.get("fill") for pill in pills} == {ACCENT}
    assert contrast_ratio(TEXT, background) >= 4.5
    assert contrast_ratio(ACCENT_TEXT, pills[0].get("fill")) >= 4.5


@pytest.mark.parametrize("size", SIZE_KEYS)
def test_a_very_long_name_stays_inside_the_banner(size):
    # Given an office with a name far longer than any banner line
    spec = SIZES[size]

    # When its banner is laid out
    banner = banner_layout(size=spec, office_name=LONG_NAME, language="pl")

    # Then every line lies within the image and no two lines overlap
    assert LONG_NAME in banner.label
    for line in banner.lines:
        assert line.width > 0
        assert line.x - line.width / 2 >= 0
        assert line.x + line.width / 2 <= spec.width
        assert line.baseline - line.size >= 0
        assert line.baseline + line.size * 0.25 <= spec.height
    baselines = sorted(line.baseline for line in banner.lines if line.x == banner.lines[0].x)
    assert len(baselines) == len(set(baselines))
    assert banner.lines[0].text.startswith("Oceń")


def test_name_wraps_at_words_and_keeps_one_letter_words_with_the_next():
    banner = banner_layout(
        size=SIZES["poziomy"],
        office_name="Starostwo Powiatowe w Kędzierzynie-Koźlu",
        language="pl",
    )

    names = [line.text for line in banner.lines if not line.bold]
    assert names == ["Starostwo Powiatowe", "w Kędzierzynie-Koźlu"]


@pytest.mark.parametrize("path", [REGULAR, BOLD])
def test_shipped_fonts_have_every_polish_letter(path):
    cmap = TTFont(path)["cmap"].getBestCmap()

    for letter in "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ„”–…":
        assert ord(letter) in cmap, letter
    assert (path.parent / "LICENSE").read_text().count("Bitstream Vera") >= 1


def test_brand_is_drawn_with_polish_letters(client, office):
    svg = client.get("/swinoujscie/baner/ocen-urzad-kwadrat.svg")

    assert BRAND == "Oceń Urząd"
    assert "Oceń Urząd" in svg.content.decode("utf-8")
    assert svg.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


def test_english_page_gives_an_english_snippet(client, office):
    # Given the office offers English and the webmaster reads the page in English
    page = parse_page(client.get("/swinoujscie/admin/baner/?lang=en"))

    # Then the snippet leads to the English survey and shows the English image
    snippet = page.textareas["kod-prostokat"]["text"]
    assert 'href="http://testserver/swinoujscie/?zrodlo=baner&amp;lang=en"' in snippet
    assert 'src="http://testserver/swinoujscie/baner/ocen-urzad-prostokat.png?lang=en"' in snippet


def test_banner_page_lives_in_the_panel(anonymous_client, office):
    # The old public address leads into the panel, which asks for a login first
    old = anonymous_client.get("/swinoujscie/baner/")
    assert old.status_code == 302
    assert old["Location"] == "/swinoujscie/admin/baner/"
    # … in the language asked for (English is offered there)
    english = anonymous_client.get("/swinoujscie/baner/?lang=en")
    assert english["Location"] == "/swinoujscie/admin/baner/?lang=en"
    panel = anonymous_client.get("/swinoujscie/admin/baner/")
    assert panel.status_code == 302
    assert panel["Location"].startswith("/swinoujscie/admin/logowanie/")


def test_banner_page_is_for_office_admins_only(anonymous_client, office, other_office):
    from ocenurzad.accounts.models import User

    for role, expected in (("office_admin", 200), ("reporter", 403), ("clerk", 403)):
        user = User.objects.create_user(
            username=f"{role}.x", password="x", office=office, role=role
        )
        anonymous_client.force_login(user)
        assert anonymous_client.get("/swinoujscie/admin/baner/").status_code == expected
        assert anonymous_client.get("/ksiazki/admin/baner/").status_code == 404


# --- In the residents' languages ------------------------------------------------------------

OTHER_LANGUAGES = ["en", "uk", "de"]


@pytest.fixture
def multilingual(make_office):
    """An office that offers residents English, Ukrainian and German."""
    return make_office(slug="gdynia", name="Urząd Miasta Gdyni", languages=OTHER_LANGUAGES)


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
@pytest.mark.parametrize("size", SIZE_KEYS)
def test_the_banner_is_drawn_in_every_language_residents_are_offered(
    client, multilingual, lang, size
):
    # Given the banner in Polish and in a language the office offers
    polish = parse_svg(client.get(f"/gdynia/baner/ocen-urzad-{size}.svg").content)
    root = parse_svg(client.get(f"/gdynia/baner/ocen-urzad-{size}.svg?lang={lang}").content)
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"

    # Then it says so, and no Polish is left in it but the brand and the office's name,
    # each marked as Polish (WCAG 3.1.2)
    assert root.get(xml_lang) == lang
    assert root.get("aria-label") != polish.get("aria-label")
    assert "wypełnij" not in root.find(f"{SVG}title").text
    polish_lines = {el.text for el in polish.iter(f"{SVG}text")}
    for line in root.iter(f"{SVG}text"):
        if line.text in polish_lines:
            assert line.get(xml_lang) == "pl", (lang, line.text)
    marked = " ".join(el.text for el in root.iter(f"{SVG}text") if el.get(xml_lang) == "pl")
    assert "Oceń" in marked and "Gdyni" in marked
    # The Polish banner needs no marks of its own
    assert all(el.get(xml_lang) is None for el in polish.iter(f"{SVG}text"))


@pytest.mark.parametrize("lang", ["uk", "de"])
def test_the_qr_code_is_labelled_in_its_language(client, multilingual, lang):
    root = parse_svg(client.get(f"/gdynia/baner/qr.svg?lang={lang}").content)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    assert f"lang={lang}" in root.get("aria-label")
    assert "prowadzący" not in root.get("aria-label")


@pytest.mark.parametrize("lang", ["uk", "de"])
def test_the_panel_page_hands_out_the_banner_in_a_residents_language(client, multilingual, lang):
    # Given the panel (Polish, or English) and a banner language residents are offered
    response = client.get(f"/gdynia/admin/baner/?jezyk={lang}")
    html = response.content.decode()
    page = parse_page(response)

    # Then the page stays in the panel's language …
    assert '<html lang="pl">' in html and "<h1>Baner „Oceń Urząd”</h1>" in html
    # … and the snippet, the previews and the QR code are the banner in that language
    snippet = page.textareas["kod-kwadrat"]["text"]
    assert f'href="http://testserver/gdynia/?zrodlo=baner&amp;lang={lang}"' in snippet
    assert f'src="http://testserver/gdynia/baner/ocen-urzad-kwadrat.png?lang={lang}"' in snippet
    assert "wypełnij" not in snippet
    previews = [image for image in page.images if "baner/" in image["src"]]
    assert previews and all(image["lang"] == lang for image in previews)
    assert f"?zrodlo=qr&amp;lang={lang}" in html
    # The choice lists the offered languages, each named in itself
    nav = html[html.index('<nav class="banner-languages"') :]
    nav = nav[: nav.index("</nav>")]
    for code, name in (("pl", "Polski"), ("en", "English"), ("uk", "Українська")):
        assert f'lang="{code}" hreflang="{code}"' in nav and f">{name}</a>" in nav
    assert f'jezyk={lang}" lang="{lang}" hreflang="{lang}" aria-current="true"' in nav
    # In the English panel the same choice keeps the panel English
    english = client.get(f"/gdynia/admin/baner/?lang=en&jezyk={lang}")
    assert '<html lang="en">' in english.content.decode()
    snippet = parse_page(english).textareas["kod-kwadrat"]["text"]
    assert f"?zrodlo=baner&amp;lang={lang}" in snippet


def test_a_banner_language_residents_are_not_offered_is_not_handed_out(client, office):
    # The office offers English only: a Ukrainian banner would lead to a Polish survey
    html = client.get("/swinoujscie/admin/baner/?jezyk=uk").content.decode()
    assert "lang=uk" not in html
    assert 'hreflang="uk"' not in html


def test_the_old_address_in_a_residents_language_leads_to_that_banner(
    anonymous_client, multilingual
):
    moved = anonymous_client.get("/gdynia/baner/?lang=de")
    assert moved["Location"] == "/gdynia/admin/baner/?jezyk=de"
