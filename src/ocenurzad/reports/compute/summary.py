"""The one-page summary ("Najważniejsze wyniki"): what a manager reads first.

Drawn from the report's own sections, never computed differently: the overall index with
its n and its change, the share of positive answers, the strongest and weakest items
(only items rated by at least ``min_n`` respondents: a mean of a handful says little), the
top hot spots, the changes that are reliable, the number of comments and what to do next.
When the periods cannot be compared at all, no change is given, only the plain reason.
"""

STRONGEST = 3
WEAKEST = 3
TOP_HOT_SPOTS = 3


def _ranked_items(areas: list[dict], min_n: int) -> list[dict]:
    items = []
    order = 0
    for area in areas:
        for item in area.get("items") or []:
            if item.get("mean") is not None and (item.get("n") or 0) >= min_n:
                items.append((item["mean"], order, area, item))
            order += 1
    items.sort(key=lambda entry: entry[:2])
    return [
        {
            "key": item["key"],
            "text": item["text"],
            "area": area["title"],
            "mean": item["mean"],
            "n": item["n"],
        }
        for _mean, _order, area, item in items
    ]


def _reliable_changes(comparison: dict | None) -> list[dict]:
    """Areas and items whose change is reliable (``change.reliable``; reports of the old
    format: ``significant``), the overall index first, largest change first within
    areas and items."""
    if not comparison:
        return []
    out = []
    overall = comparison.get("overall") or {}
    groups = [("overall", [overall])] if overall else []
    groups += [("area", comparison.get("areas") or []), ("item", comparison.get("items") or [])]
    for kind, rows in groups:
        chosen = [row for row in rows if _reliable(row) and row.get("diff") is not None]
        chosen.sort(key=lambda row: -abs(row["diff"]))
        for row in chosen:
            out.append(
                {
                    "kind": kind,
                    "key": row.get("key"),
                    "text": row.get("title") or row.get("text"),
                    "diff": row.get("diff"),
                    "mean_now": row.get("mean_now"),
                    "mean_before": row.get("mean_before"),
                }
            )
    return out


def _reliable(row: dict) -> bool:
    change = row.get("change")
    if isinstance(change, dict) and "reliable" in change:
        return bool(change["reliable"])
    if "reliable" in row:
        return bool(row["reliable"])
    return bool(row.get("significant"))


def _top_hot_spots(cells: list[dict]) -> list[str]:
    """The most reliable hot spot of each department or client type first (one
    department weak in everything would otherwise fill the summary alone), then the next
    ones."""
    seen, first, rest = set(), [], []
    for cell in cells:
        group = (
            cell.get("group"),
            (cell.get("department") or {}).get("id"),
            (cell.get("client_type") or {}).get("value"),
        )
        (rest if group in seen else first).append(cell["id"])
        seen.add(group)
    return (first + rest)[:TOP_HOT_SPOTS]


def summary_build(
    *,
    responses: int,
    overall: dict,
    areas: list[dict],
    comparison: dict | None,
    hot_spots: dict,
    open_answers_count: int,
    min_n: int,
) -> dict:
    """The summary of a report from its other sections (JSON-serialisable)."""
    ranked = _ranked_items(areas, min_n)
    weakest = ranked[:WEAKEST]
    strongest = [i for i in reversed(ranked) if i not in weakest][:STRONGEST]
    overall_change = (comparison or {}).get("overall")
    # Periods that cannot be compared (responses on far fewer days in one of them) have no
    # change to print, only the reason why not.
    not_compared = (comparison or {}).get("periods_reason")
    if not_compared:
        overall_change = None
    return {
        "responses": responses,
        "index": {
            "mean": overall.get("mean"),
            "n": overall.get("n", responses),
            "n_ratings": overall.get("n_ratings"),
            "change": overall_change,
        },
        "positive_share": overall.get("positive_share"),
        "satisfaction": (
            {"mean": overall["satisfaction"].get("mean"), "n": overall["satisfaction"].get("n")}
            if overall.get("satisfaction")
            else None
        ),
        "strongest": strongest,
        "weakest": weakest,
        "items_min_n": min_n,
        "hot_spots": _top_hot_spots(hot_spots.get("cells") or []),
        "hot_spots_count": len(hot_spots.get("cells") or []),
        "falling": [row["key"] for row in hot_spots.get("falling") or []],
        "compared": comparison is not None,
        "not_compared": not_compared or None,
        "changes": _reliable_changes(comparison),
        "open_answers_count": open_answers_count,
    }
