"""An SVG logo is stored as rebuilt from an allow-list: what slipped past the refusal
rules (SMIL animation, CSS escapes, unknown elements) is simply not in the stored file."""

from io import BytesIO

import pytest

from ocenurzad.offices.logo import LogoRejected, logo_check

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


@pytest.mark.parametrize(
    ("svg", "gone"),
    [
        (  # SMIL turns a harmless href into a script link once the page has loaded
            SVG + b'><a xlink:href="#x"><animate attributeName="href" '
            b'to="javascript:alert(1)"/><rect width="9" height="9"/></a></svg>',
            [b"animate", b"javascript", b"<a"],
        ),
        (
            SVG + b'><set attributeName="onmouseover" to="alert(1)"/><rect width="9"/></svg>',
            [b"<set", b"alert"],
        ),
        (  # a CSS escape spells url( without the letters the refusal rules look for
            SVG + b'><rect width="9" style="fill: u\\72l(https://tracker.example/x)"/></svg>',
            [b"tracker", b"\\"],
        ),
        (
            SVG + b'><rect width="9" fill="\\75rl(//tracker.example/x)"/></svg>',
            [b"tracker", b"\\"],
        ),
        (
            SVG + b"><style>rect { fill: u\\72l(https://tracker.example/x) }</style>"
            b'<rect width="9"/></svg>',
            [b"style", b"tracker"],
        ),
        (
            SVG + b'><rect width="9" filter="blur" class="x" data-x="1"/>'
            b"<metadata>tajne</metadata></svg>",
            [b"filter", b"class", b"data-x", b"tajne"],
        ),
    ],
    ids=[
        "smil-animate",
        "smil-set",
        "css-escape-style",
        "css-escape-attr",
        "style-element",
        "extras",
    ],
)
def test_what_slips_past_the_rules_is_not_in_the_stored_file(svg, gone):
    stored = logo_check(BytesIO(svg)).content

    for fragment in gone:
        assert fragment not in stored
    assert b"<rect" in stored
    # The stored file passes the check again unchanged: it is its own allow-list image.
    assert logo_check(BytesIO(stored)).content == stored


def test_a_drawing_keeps_its_shapes_colours_gradients_and_text():
    svg = (
        SVG + b' viewBox="0 0 64 64"><defs><linearGradient id="g"><stop offset="0" '
        b'stop-color="#0b3d75"/></linearGradient></defs><circle cx="32" cy="32" r="30" '
        b'fill="url(#g)" style="stroke: #fff; stroke-width: 2"/><use xlink:href="#g"/>'
        b'<text x="10" y="40" font-family="Open Sans, sans-serif">Gmina Ksi\xc4\x85\xc5\xbcki'
        b"</text></svg>"
    )

    stored = logo_check(BytesIO(svg)).content.decode()

    assert 'viewBox="0 0 64 64"' in stored
    assert 'fill="url(#g)"' in stored
    assert 'stroke="#fff"' in stored
    assert 'stroke-width="2"' in stored
    assert 'stop-color="#0b3d75"' in stored
    assert 'xlink:href="#g"' in stored
    assert "Gmina Książki" in stored


def test_an_svg_with_nothing_drawable_left_is_refused_with_a_message():
    with pytest.raises(LogoRejected, match="zapisz logo jako PNG"):
        logo_check(BytesIO(SVG + b'><animate attributeName="x" to="1"/></svg>'))
