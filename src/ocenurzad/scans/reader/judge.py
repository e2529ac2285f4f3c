"""Each question's answer from its row of boxes — or a question for a person.

The printed rule (form v2): mark with X; to correct, fill the wrong box completely and
mark another. A box is judged against its own row:

- ``score`` is how dark the inside of a box is; the row's empty boxes give its baseline
  (paper, print, scanner noise), and a box counts by how much darker it is than that.
- a mark: at least ``MARK`` above the baseline — a faint pencil X in a row of empty boxes
  is a mark;
- a filled box (``fill`` at least ``FILLED``) is a corrected, withdrawn mark when the
  question has another mark; alone, it is the resident's answer (filled instead of
  crossed, as many do);
- a question for a person: two marks where one answer is allowed, two filled boxes and
  no mark, a box between ``DOUBT`` and ``MARK`` above the baseline, or a mark not much
  darker than the next box in its row (``SEPARATION``);
- but a trace far fainter than a clear mark in the same row (at most ``TRACE_SHARE`` of a
  mark at least ``CLEAR`` above the baseline) is not a question: the stroke of a cross
  reaching the next box, a correction's smudge (bench/omr.py: these were most doubts);
- on a black-and-white scan (empty boxes have no dark pixel at all) any dark pixels in a
  box, however few, are a question: thresholding leaves only a few pixels of a pencil
  mark; on one without JPEG noise (``PageLevels.clean``) any grey in a box is one too;
- a page that holds a trace alone in its row (pencil), or a black-and-white page with a
  weak mark (below ``WEAK``), may have lost other marks as faint to the scanner: every
  question of that page without an answer goes to a person too, and so does an answer
  whose mark is weak: on such a page a smudge and a mark are hard to tell apart
  (``page_judge``). A mark of which the scan kept nothing cannot be seen on any page:
  its question reads as unanswered (bench/omr.py counts these apart).
"""

from dataclasses import dataclass

# Empty boxes, measured on their insides, stay within 0.007 of their row even on JPEG 50
# scans, and faint pencil on a grey scan is at least 0.045 (bench/omr.py, seed 5): a
# mark at a third of the faintest pencil is still four times the emptiest box's noise.
MARK = 0.025  # darkness above the row's baseline that makes a mark
DOUBT = 0.0125  # below MARK but above this: maybe a mark — a person decides
DOUBT_MIN = 0.006  # ... or above this on a page whose empty boxes hardly vary
SEPARATION = 0.5  # the next darkest box at half the mark's excess or more: unclear
FILLED = 0.8  # share of the inside that is ink: a filled (withdrawn) box; a heavy X is less
CLEAR = 0.15  # a mark this far above the baseline is clear ...
TRACE_SHARE = 0.2  # ... and a trace below this share of it, in the same row, is no question
BILEVEL_TRACE = 0.001  # on a black-and-white scan: this share of dark pixels is a trace
CLEAN_GREY_BOXES = 2  # a b&w page with at most this many boxes of grey only is clean
WEAK = 0.09  # on a page that may have lost marks, a mark below this is asked too


@dataclass
class Verdict:
    key: str
    values: list[str]  # the answer(s) read; empty: no answer
    doubtful: bool
    reason: str = ""  # why a person must look (English, for logs; the UI says it in Polish)


@dataclass(frozen=True)
class PageLevels:
    """What an empty box scores on this page and how much empty boxes vary (scanner
    noise, JPEG): the median of all its boxes and their robust spread."""

    baseline: float
    noise: float
    bilevel: bool = False  # empty boxes have no dark pixel: a thresholded (B&W) scan
    # A black-and-white page without JPEG noise: its empty boxes read exactly as paper, so
    # any grey in a box is something that was on the paper (a stroke the threshold nearly
    # dropped). With JPEG, dozens of a page's boxes have such grey (bench: at least 6).
    clean: bool = False

    @property
    def doubt(self) -> float:
        # On a clean black-and-white scan empty boxes score exactly 0: a few dark pixels
        # (a pencil mark the scanner nearly dropped) are then worth a look.
        return min(DOUBT, max(DOUBT_MIN, 5 * self.noise))


def page_levels(boxes: list[dict], *, bilevel: bool | None = None) -> PageLevels:
    """``bilevel``: whether the scan is black and white, as measured on the scan
    (reader.page.scan_bilevel); pages read before it was measured are told by their
    boxes (no dark pixel in three of four)."""
    scores = sorted(b["score"] for b in boxes)
    if not scores:
        return PageLevels(0.0, 0.0)
    median = scores[len(scores) // 2]
    deviations = sorted(abs(s - median) for s in scores)
    fills = sorted(b["fill"] for b in boxes)
    bilevel = fills[len(fills) * 3 // 4] == 0.0 if bilevel is None else bilevel
    grey_only = sum(1 for b in boxes if 0.0 < b["score"] < DOUBT and b["fill"] == 0.0)
    return PageLevels(
        median,
        1.4826 * deviations[len(deviations) // 2],
        bilevel=bilevel,
        clean=bilevel and grey_only <= CLEAN_GREY_BOXES,
    )


def question_judge(
    key: str, boxes: list[dict], *, multiple: bool, levels: PageLevels | None = None
) -> Verdict:
    """``boxes``: one question's boxes (``value``, ``score``, ``fill``) in printed order;
    ``levels``: ``page_levels`` of the page, so that a short row whose every box is marked
    or filled still has an empty box to be judged against."""
    if not boxes:
        return Verdict(key, [], False)
    scores = sorted(b["score"] for b in boxes)
    # The baseline: the row's emptier boxes (its second lowest in long rows).
    baseline = scores[1] if len(scores) >= 4 else scores[0]
    doubt = DOUBT
    if levels is not None:
        baseline = min(baseline, levels.baseline)
        doubt = levels.doubt
    excess = [(b["score"] - baseline, b) for b in boxes]
    filled = [b for e, b in excess if b["fill"] >= FILLED]
    marked = [b for e, b in excess if e >= MARK and b["fill"] < FILLED]
    unsure = [(e, b) for e, b in excess if doubt <= e < MARK and b["fill"] < FILLED]
    if levels is not None and levels.bilevel:
        unsure += [
            (e, b)
            for e, b in excess
            if BILEVEL_TRACE <= e < doubt
            and b["fill"] < FILLED
            and (b["fill"] >= BILEVEL_TRACE or levels.clean)
        ]
    if unsure and len(marked) == 1:
        clear = marked[0]["score"] - baseline
        if clear >= CLEAR and max(e for e, _b in unsure) < TRACE_SHARE * clear:
            unsure = []  # traces beside a clear mark
    if unsure:
        return Verdict(key, [b["value"] for b in marked], True, "faint mark")
    if multiple:
        chosen = marked or filled
        return Verdict(key, [b["value"] for b in chosen], False)
    if len(marked) > 1:
        return Verdict(key, [b["value"] for b in marked], True, "two marks")
    if len(marked) == 1:
        best = marked[0]
        best_excess = best["score"] - baseline
        others = [e for e, b in excess if b is not best and b["fill"] < FILLED]
        if others and max(others) >= SEPARATION * best_excess and max(others) >= doubt:
            return Verdict(key, [best["value"]], True, "not much darker than the next box")
        return Verdict(key, [best["value"]], False)
    if len(filled) == 1:
        return Verdict(key, [filled[0]["value"]], False)
    if len(filled) > 1:
        return Verdict(key, [], True, "several filled boxes and no mark")
    return Verdict(key, [], False)


def page_judge(
    rows: dict[str, list[dict]], *, levels: PageLevels, multiple: frozenset[str] = frozenset()
) -> dict[str, Verdict]:
    """Every question of one page (``rows``: key -> its boxes). A faint mark alone in its
    row says this resident wrote faintly (pencil) and the scan may have dropped other
    marks as faint: then every question of the page read as unanswered is asked too."""
    verdicts = {
        key: question_judge(key, boxes, multiple=key in multiple, levels=levels)
        for key, boxes in rows.items()
    }
    if _marks_may_be_lost(rows, verdicts, levels):
        for key, verdict in verdicts.items():
            if verdict.doubtful:
                continue
            if not verdict.values:
                verdicts[key] = Verdict(key, [], True, "faint marks on the page")
            elif _strength(rows[key], verdict.values, levels) < WEAK:
                verdicts[key] = Verdict(key, verdict.values, True, "faint marks on the page")
    return verdicts


def _marks_may_be_lost(
    rows: dict[str, list[dict]], verdicts: dict[str, Verdict], levels: PageLevels
) -> bool:
    """A trace too faint to tell (alone in its row), or — on a black-and-white scan, where
    the copier's threshold keeps a stroke whole or drops it — a weak mark: this page's
    writing came out near the scanner's limit, and some of it may be gone."""
    if any(v.doubtful and v.reason == "faint mark" and not v.values for v in verdicts.values()):
        return True
    return levels.bilevel and any(
        v.values and not v.doubtful and _strength(rows[key], v.values, levels) < WEAK
        for key, v in verdicts.items()
    )


def _strength(boxes: list[dict], values: list[str], levels: PageLevels) -> float:
    """How far the weakest chosen box is above the row's baseline (as question_judge)."""
    scores = sorted(b["score"] for b in boxes)
    baseline = min(scores[1] if len(scores) >= 4 else scores[0], levels.baseline)
    return min(b["score"] - baseline for b in boxes if b["value"] in values)
