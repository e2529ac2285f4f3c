"""The banner's fonts, shipped in ``fonts/`` so that no image depends on the server's fonts.

Text is measured with the same files the PNG is drawn with, and the SVG pins each line to
the measured width, so both formats break and shrink the office name identically.
"""

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"

# What an SVG viewer should use; the shipped DejaVu first, then fonts of similar width.
SVG_FONT_FAMILY = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, Geneva, sans-serif"


@lru_cache(maxsize=128)
def font_get(*, bold: bool, size: int) -> ImageFont.FreeTypeFont:
    """The shipped DejaVu Sans at ``size`` pixels.

    The basic layout engine gives the same widths whether or not libraqm is installed.
    """
    return ImageFont.truetype(
        str(BOLD if bold else REGULAR), size, layout_engine=ImageFont.Layout.BASIC
    )
