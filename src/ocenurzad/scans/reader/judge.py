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
  darker than the next box in its row (``SEPARATION``).
"""

from dataclasses import dataclass

MARK = 0.045  # darkness above the row's baseline that makes a mark
DOUBT = 0.022  # below MARK but above this: maybe a mark — a person decides
DOUBT_MIN = 0.006  # ... or above this on a page whose empty boxes hardly vary
SEPARATION = 0.5  # the next darkest box at half the mark's excess or more: unclear
FILLED = 0.8  # share of the inside that is ink: a filled (withdrawn) box; a heavy X is less


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

    @property
    def doubt(self) -> float:
        # On a clean black-and-white scan empty boxes score exactly 0: a few dark pixels
        # (a pencil mark the scanner nearly dropped) are then worth a look.
        return min(DOUBT, max(DOUBT_MIN, 5 * self.noise))


def page_levels(boxes: list[dict]) -> PageLevels:
    scores = sorted(b["score"] for b in boxes)
    if not scores:
        return PageLevels(0.0, 0.0)
    median = scores[len(scores) // 2]
    deviations = sorted(abs(s - median) for s in scores)
    return PageLevels(median, 1.4826 * deviations[len(deviations) // 2])


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
    unsure = [b for e, b in excess if doubt <= e < MARK and b["fill"] < FILLED]
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
