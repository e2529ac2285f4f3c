"""The row judgement on measured boxes (score: darkness above paper, fill: share of dark
pixels), with the cases bench/omr.py showed: traces beside a clear mark, faint pencil in
an empty row, pencil that a black-and-white scan nearly dropped, and a page where it did
drop some."""

import random

import cv2

from ocenurzad.scans.reader import synthetic
from ocenurzad.scans.reader.judge import PageLevels, page_judge, page_levels, question_judge
from ocenurzad.scans.reader.page import scan_bilevel

from .conftest import DPI


def row(key, scores, fills=None):
    fills = fills or [0.0] * len(scores)
    return [
        {"key": key, "value": str(n), "score": s, "fill": f}
        for n, (s, f) in enumerate(zip(scores, fills, strict=True), start=1)
    ]


GREY = PageLevels(baseline=0.01, noise=0.004)  # doubt 0.0125
BW = PageLevels(baseline=0.0, noise=0.0, bilevel=True)  # doubt 0.006


def test_faint_pencil_in_a_row_of_empty_boxes_is_a_mark():
    # 0.03 above the paper: fainter than the faintest pencil of the bench's grey scans
    # (0.045), four times the darkest empty box there (0.007).
    pencil = question_judge(
        "q", row("q", [0.011, 0.012, 0.04, 0.01, 0.011]), multiple=False, levels=GREY
    )

    assert (pencil.values, pencil.doubtful) == (["3"], False)


def test_a_mark_barely_darker_than_its_neighbour_is_a_question():
    barely = question_judge(
        "q", row("q", [0.01, 0.17, 0.21, 0.01, 0.01]), multiple=False, levels=GREY
    )
    clearly = question_judge(
        "q", row("q", [0.01, 0.012, 0.21, 0.01, 0.01]), multiple=False, levels=GREY
    )

    assert barely.doubtful and barely.values == ["2", "3"]
    assert (clearly.values, clearly.doubtful) == (["3"], False)


def test_a_trace_beside_a_clear_mark_is_no_question_but_a_faint_second_mark_is():
    trace = question_judge(
        "q", row("q", [0.01, 0.03, 0.45, 0.01, 0.01]), multiple=False, levels=GREY
    )
    faint = question_judge(
        "q", row("q", [0.01, 0.14, 0.45, 0.01, 0.01]), multiple=False, levels=GREY
    )
    weak = question_judge(
        "q", row("q", [0.01, 0.03, 0.12, 0.01, 0.01]), multiple=False, levels=GREY
    )

    assert (trace.values, trace.doubtful) == (["3"], False)
    assert faint.doubtful  # 0.13 above the paper beside 0.44: two marks
    assert weak.doubtful  # the mark itself is not clear: the trace is worth a look


def test_a_few_dark_pixels_on_a_black_and_white_scan_are_a_question():
    scores = [0.0, 0.0, 0.004, 0.0, 0.0]
    fills = [0.0, 0.0, 0.004, 0.0, 0.0]

    on_bw = question_judge("q", row("q", scores, fills), multiple=False, levels=BW)
    on_grey = question_judge("q", row("q", scores), multiple=False, levels=GREY)

    assert on_bw.doubtful and on_bw.reason == "faint mark"
    assert not on_grey.doubtful and on_grey.values == []


def test_grey_alone_in_a_box_of_a_clean_black_and_white_page_is_a_question():
    # The threshold kept no dark pixel of the pencil, only the grey its edge left: on a
    # page without JPEG noise (every empty box exactly paper) that is a trace.
    nearly_gone = row("q", [0.0, 0.0, 0.0, 0.0, 0.0013])
    clean = {
        "q": nearly_gone,
        "a": row("a", [0.0, 0.3, 0.0, 0.0], [0.0, 0.3, 0.0, 0.0]),
        "b": row("b", [0.0, 0.0, 0.0, 0.25], [0.0, 0.0, 0.0, 0.25]),
    }
    # The same box on a page with JPEG noise: grey in a dozen boxes says nothing.
    noisy = {
        **clean,
        "c": row("c", [0.001, 0.002, 0.0015, 0.003, 0.0012, 0.002]),
        "d": row("d", [0.002, 0.001, 0.0025, 0.0011, 0.0016, 0.001]),
    }

    on_clean = page_judge(clean, levels=page_levels(_all(clean), bilevel=True))
    on_noisy = page_judge(noisy, levels=page_levels(_all(noisy), bilevel=True))

    assert on_clean["q"].doubtful and on_clean["q"].reason == "faint mark"
    assert not on_noisy["q"].doubtful and on_noisy["q"].values == []


def _all(rows):
    return [b for boxes in rows.values() for b in boxes]


def test_a_lone_trace_sends_the_pages_unanswered_questions_to_a_person():
    rows = {
        "a": row("a", [0.0, 0.01, 0.0, 0.0], [0.0, 0.01, 0.0, 0.0]),  # pencil nearly gone
        "b": row("b", [0.0, 0.0, 0.0, 0.0]),  # nothing left on the scan
        "c": row("c", [0.0, 0.4, 0.0, 0.0], [0.0, 0.4, 0.0, 0.0]),  # a clear mark
    }
    levels = page_levels([b for boxes in rows.values() for b in boxes], bilevel=True)

    verdicts = page_judge(rows, levels=levels)

    assert verdicts["a"].doubtful and verdicts["a"].reason == "faint mark"
    assert verdicts["b"].doubtful and verdicts["b"].reason == "faint marks on the page"
    assert (verdicts["c"].values, verdicts["c"].doubtful) == (["2"], False)
    rows.pop("a")
    assert not page_judge(rows, levels=levels)["b"].doubtful  # no pencil: no question


def test_a_weak_mark_on_a_black_and_white_scan_sends_the_page_to_a_person():
    # The copier's threshold keeps a pencil stroke whole or drops it: where one mark came
    # out weak, another may be gone.
    rows = {
        "weak": row("weak", [0.0, 0.06, 0.0, 0.0], [0.0, 0.06, 0.0, 0.0]),
        "none": row("none", [0.0, 0.0, 0.0, 0.0]),
        "clear": row("clear", [0.0, 0.3, 0.0, 0.0], [0.0, 0.3, 0.0, 0.0]),
    }
    boxes = [b for boxes in rows.values() for b in boxes]

    on_bw = page_judge(rows, levels=page_levels(boxes, bilevel=True))
    on_grey = page_judge(rows, levels=page_levels(boxes, bilevel=False))

    assert on_bw["weak"].doubtful and on_bw["weak"].values == ["2"]
    assert on_bw["none"].doubtful and not on_bw["clear"].doubtful
    assert not any(v.doubtful for v in on_grey.values())
    assert on_grey["weak"].values == ["2"]


def test_a_black_and_white_scan_is_told_from_a_grey_one(db, printed_form):
    page = printed_form.numbered[101][0]
    rng = random.Random(3)
    turned = synthetic.Harm(angle=1.2, noise=4)

    grey = synthetic.harm_apply(page, turned, dpi=DPI, rng=rng)
    grey_jpeg = synthetic.harm_apply(
        page, synthetic.Harm(angle=1.2, noise=4, jpeg=50), dpi=DPI, rng=rng
    )
    bw = synthetic.harm_apply(
        page, synthetic.Harm(angle=1.2, noise=4, threshold=True), dpi=DPI, rng=rng
    )
    bw_jpeg = synthetic.harm_apply(
        page, synthetic.Harm(angle=1.2, threshold=True, jpeg=50), dpi=DPI, rng=rng
    )

    assert not scan_bilevel(grey) and not scan_bilevel(grey_jpeg)
    assert scan_bilevel(bw) and scan_bilevel(bw_jpeg)
    # A straightened page (every edge greyed by the resampling) is no longer bilevel:
    # the scan must be judged as it came.
    assert not scan_bilevel(cv2.resize(bw, None, fx=0.9, fy=0.9))
