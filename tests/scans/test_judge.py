"""The row judgement on measured boxes (score: darkness above paper, fill: share of dark
pixels), with the cases bench/omr.py showed: traces beside a clear mark, pencil that a
black-and-white scan nearly dropped, and a page where it did drop some."""

from ocenurzad.scans.reader.judge import PageLevels, page_judge, page_levels, question_judge


def row(key, scores, fills=None):
    fills = fills or [0.0] * len(scores)
    return [
        {"key": key, "value": str(n), "score": s, "fill": f}
        for n, (s, f) in enumerate(zip(scores, fills, strict=True), start=1)
    ]


GREY = PageLevels(baseline=0.01, noise=0.004)  # doubt 0.02
BW = PageLevels(baseline=0.0, noise=0.0, bilevel=True)  # doubt 0.006


def test_a_trace_beside_a_clear_mark_is_no_question_but_a_faint_second_mark_is():
    trace = question_judge(
        "q", row("q", [0.01, 0.04, 0.45, 0.01, 0.01]), multiple=False, levels=GREY
    )
    faint = question_judge(
        "q", row("q", [0.01, 0.14, 0.45, 0.01, 0.01]), multiple=False, levels=GREY
    )
    weak = question_judge(
        "q", row("q", [0.01, 0.04, 0.12, 0.01, 0.01]), multiple=False, levels=GREY
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


def test_a_lone_faint_mark_sends_the_pages_unanswered_questions_to_a_person():
    rows = {
        "a": row("a", [0.0, 0.03, 0.0, 0.0], [0.0, 0.03, 0.0, 0.0]),  # faint pencil
        "b": row("b", [0.0, 0.0, 0.0, 0.0]),  # nothing left on the scan
        "c": row("c", [0.0, 0.4, 0.0, 0.0], [0.0, 0.4, 0.0, 0.0]),  # a clear mark
    }
    levels = page_levels([b for boxes in rows.values() for b in boxes])

    verdicts = page_judge(rows, levels=levels)

    assert verdicts["a"].doubtful and verdicts["a"].reason == "faint mark"
    assert verdicts["b"].doubtful and verdicts["b"].reason == "faint marks on the page"
    assert (verdicts["c"].values, verdicts["c"].doubtful) == (["2"], False)
    rows.pop("a")
    assert not page_judge(rows, levels=levels)["b"].doubtful  # no pencil: no question


def test_on_a_page_with_pencil_a_weak_mark_is_asked_too():
    rows = {
        "a": row("a", [0.0, 0.03, 0.0, 0.0], [0.0, 0.03, 0.0, 0.0]),  # faint pencil
        "weak": row("weak", [0.0, 0.06, 0.0, 0.0], [0.0, 0.06, 0.0, 0.0]),
        "clear": row("clear", [0.0, 0.3, 0.0, 0.0], [0.0, 0.3, 0.0, 0.0]),
    }
    levels = page_levels([b for boxes in rows.values() for b in boxes])

    verdicts = page_judge(rows, levels=levels)

    assert verdicts["weak"].doubtful and verdicts["weak"].values == ["2"]
    assert not verdicts["clear"].doubtful
    rows.pop("a")
    assert not page_judge(rows, levels=levels)["weak"].doubtful
