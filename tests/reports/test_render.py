"""Drawing a computed report: HTML, charts, PDF, XLSX, CSV and JSON.

Every builder reads the one computed report (reports/FORMAT.md); here it is a realistic
sample built by hand in that format: a full year of a mid-sized town office.
"""

import base64
import copy
import hashlib
import html as html_module
import io
import json
import random
import re
from datetime import UTC, date, datetime, timedelta
from xml.etree import ElementTree

import openpyxl
import pytest
from defusedxml import ElementTree as SafeElementTree

from ocenurzad.reports.archive import VOLATILE_KEYS, report_content_key
from ocenurzad.reports.render import charts
from ocenurzad.reports.render.csv import csv_stream, responses_csv_rows
from ocenurzad.reports.render.html import report_html
from ocenurzad.reports.render.json import report_json, report_json_stdlib
from ocenurzad.reports.render.pdf import (
    PDF_OPEN_ANSWERS_LIMIT,
    _LocalFetcher,
    report_document_html,
    report_pdf,
)
from ocenurzad.reports.render.xlsx import report_xlsx
from ocenurzad.responses.models import Response
from ocenurzad.surveys.default_definition import default_definition
from ocenurzad.surveys.models import SurveyVersion
from tests.printing.conftest import pdf_objects, pdf_pages_text

SVG_NS = "{http://www.w3.org/2000/svg}"
DEPARTMENTS = [
    ("1", "Wydział Komunikacji"),
    ("2", "Urząd Stanu Cywilnego"),
    ("3", "Wydział Podatków i Opłat"),
    ("4", "Wydział Architektury i Budownictwa"),
    ("5", "Biuro Obsługi Interesantów"),
    ("6", "Referat Zamówień Publicznych"),  # too few answers: suppressed
]
COMMENTS = [
    "Za długa kolejka przy okienku w poniedziałki, proszę o więcej stanowisk.",
    "Pani w Wydziale Komunikacji była bardzo życzliwa i pomocna.",
    "Brakuje miejsc parkingowych przed urzędem — trudno zaparkować rano.",
    "Formularze są niezrozumiałe, przydałyby się wzory wypełnienia.",
    "Strona internetowa jest nieczytelna na telefonie.",
    "Wszystko sprawnie, dziękuję za szybką obsługę!",
    "Źle oznakowane pokoje na drugim piętrze; szukałem 15 minut.",
    "Chciałbym móc umówić wizytę przez internet.",
    "Godziny otwarcia w czwartek mogłyby być dłuższe.",
    "Urzędnik nie wiedział, jakie dokumenty są potrzebne do meldunku.",
]


def _pl(texts: dict) -> str:
    return texts.get("pl", "")


def _rating_item(rng: random.Random, key: str, text: str, *, level: float, n: int) -> dict:
    weights = [max(0.02, 1 - abs(v - level) / 2.2) ** 2 for v in range(1, 6)]
    counts = [0] * 5
    for _ in range(n):
        counts[rng.choices(range(5), weights)[0]] += 1
    total = sum(counts)
    mean = sum((i + 1) * c for i, c in enumerate(counts)) / total
    return {
        "key": key,
        "text": text,
        "n": total,
        "mean": round(mean, 2),
        "distribution": {str(i + 1): c for i, c in enumerate(counts)},
        "na": rng.randint(0, 40),
        "positive_share": round((counts[3] + counts[4]) / total, 4),
        "versions_note": None,
    }


def _cell(key, label, n, mean, areas, rng, *, suppressed=False):
    if suppressed:
        return {
            "key": key,
            "label": label,
            "n": None,
            "mean": None,
            "positive_share": None,
            "satisfaction_mean": None,
            "areas": dict.fromkeys(areas),
            "suppressed": True,
        }
    return {
        "key": key,
        "label": label,
        "n": n,
        "mean": mean,
        "positive_share": round(0.5 + (mean - 3) / 4, 4),
        "satisfaction_mean": round(mean + 0.1, 2),
        "areas": {a: round(mean + rng.uniform(-0.3, 0.3), 2) for a in areas},
        "suppressed": False,
    }


def sample_report(*, open_answers: int = 150, compare: bool = True, importance: bool = True):
    """A year of "Urząd Miasta Świnoujście" in the computed-report format."""
    rng = random.Random(20251231)
    definition = default_definition()
    area_sections = [s for s in definition["sections"] if s["kind"] == "area"]
    levels = {"wizerunek": 3.7, "podejscie": 4.1, "kompetencje": 4.4, "terminowosc": 3.4}
    areas = []
    for section in area_sections:
        items = [
            _rating_item(
                rng,
                q["key"],
                _pl(q["text"]),
                level=levels.get(section["key"], 4.2) + rng.uniform(-0.4, 0.4),
                n=rng.randint(900, 1150),
            )
            for q in section["questions"]
        ]
        n = sum(i["n"] for i in items)
        areas.append(
            {
                "key": section["key"],
                "title": _pl(section["title"]),
                "n": max(i["n"] for i in items),  # respondents
                "n_ratings": n,
                "ci95": [3.9, 4.1],
                "mean": round(sum(i["mean"] * i["n"] for i in items) / n, 2),
                "positive_share": round(sum(i["positive_share"] * i["n"] for i in items) / n, 4),
                "na": sum(i["na"] for i in items),
                "items": items,
            }
        )
    areas[0]["items"][3]["versions_note"] = "pytanie dodane w wersji 2"
    area_keys = [a["key"] for a in areas]
    all_items = [i for a in areas for i in a["items"]]
    n_ratings = sum(i["n"] for i in all_items)
    overall_mean = round(sum(i["mean"] * i["n"] for i in all_items) / n_ratings, 2)
    satisfaction = _rating_item(
        rng, "ocena_ogolna", "Jak ogólnie ocenia Pan/Pani obsługę w Urzędzie?", level=4.3, n=1180
    )
    satisfaction["na"] = 0
    metryka = next(s for s in definition["sections"] if s["key"] == "metryka")
    structure = []
    for q in metryka["questions"]:
        counts = [rng.randint(20, 400) for _ in q["options"]]
        total = sum(counts)
        structure.append(
            {
                "key": q["key"],
                "text": _pl(q["text"]),
                "n": total,
                "options": [
                    {
                        "value": o["value"],
                        "label": _pl(o["label"]),
                        "count": c,
                        "share": round(c / total, 4),
                    }
                    for o, c in zip(q["options"], counts, strict=True)
                ],
            }
        )
    departments = [
        _cell(k, label, rng.randint(80, 300), round(rng.uniform(3.5, 4.5), 2), area_keys, rng)
        for k, label in DEPARTMENTS[:-1]
    ] + [_cell("6", DEPARTMENTS[-1][1], None, None, area_keys, rng, suppressed=True)]
    trend = []
    for month in range(1, 13):
        mean = round(3.9 + month * 0.03 + rng.uniform(-0.1, 0.1), 2)
        trend.append(
            {
                "month": f"2025-{month:02d}",
                "n": rng.randint(1500, 2500),
                "mean": mean,
                "positive_share": round(0.6 + (mean - 3.5) / 3, 4),
                "satisfaction_mean": round(mean + 0.15, 2),
            }
        )
    trend[7]["mean"] = trend[7]["satisfaction_mean"] = trend[7]["positive_share"] = None
    trend[7]["n"] = 0

    def change(now, before, *, significant):
        diff = round(now - before, 2)
        return {
            "mean_now": now,
            "mean_before": before,
            "diff": diff,
            "ci95": [round(diff - 0.07, 2), round(diff + 0.07, 2)],
            "n_now": 1000,
            "n_before": 950,
            "reliable": significant,
            "significant": significant,
            "direction": ("up" if diff > 0 else "down") if significant else None,
            "code": "reliable" if significant else "not_significant",
            "reason": None if significant else "różnica może być przypadkowa: …",
        }

    comparison = None
    if compare:
        comparison = {
            "current": {
                "start": "2025-01-01",
                "end": "2025-12-31",
                "name": "rok 2025",
                "respondents": 1500,
                "days_with_responses": 301,
            },
            "previous": {
                "start": "2024-01-01",
                "end": "2024-12-31",
                "name": "rok 2024",
                "respondents": 1400,
                "days_with_responses": 290,
            },
            "note": "Okres porównawczy: rok 2024.",
            "periods_reason": None,
            "tests": 40,
            "method": "Zmianę nazywamy wiarygodną, gdy spełnia trzy warunki. …",
            "overall": {
                **change(overall_mean, overall_mean - 0.12, significant=True),
                "n_now": n_ratings,
                "n_before": n_ratings - 900,
            },
            "areas": [
                {
                    "key": a["key"],
                    "title": a["title"],
                    **change(a["mean"], a["mean"] + d, significant=s),
                }
                for a, d, s in zip(
                    areas,
                    (-0.2, 0.02, 0.01, 0.31, -0.05),
                    (True, False, False, True, False),
                    strict=True,
                )
            ],
            "items": [
                {
                    "key": i["key"],
                    "text": i["text"],
                    **change(i["mean"], i["mean"] + 0.04, significant=False),
                }
                for i in all_items[:3]
            ],
        }
    lowest = sorted(all_items, key=lambda i: i["mean"])
    area_of = {i["key"]: a["title"] for a in areas for i in a["items"]}

    def hot_spot(item, department, mean, n, rest, interval, kind="item"):
        key, text = (item["key"], item["text"]) if kind == "item" else (item, area_of_key[item])
        return {
            "id": f"{kind}:{key}|dept:{department[0]}|2025",
            "kind": kind,
            "key": key,
            "text": text,
            "area": area_of.get(key, text),
            "group": "department",
            "department": {"id": int(department[0]), "name": department[1]},
            "n": n,
            "mean": mean,
            "rest_n": 5200,
            "rest_mean": rest,
            "diff": round(mean - rest, 2),
            "interval": interval,
            "p_adjusted": 0.0001,
            "comments": [
                {"month": "2025-03", "question": "Co powinniśmy poprawić?", "text": COMMENTS[0]},
                {"month": "2025-02", "question": "Co powinniśmy poprawić?", "text": COMMENTS[8]},
            ],
        }

    area_of_key = {a["key"]: a["title"] for a in areas}
    cells = [
        hot_spot(lowest[0], DEPARTMENTS[0], 2.95, 311, 4.08, [-1.31, -0.95]),
        hot_spot("terminowosc", DEPARTMENTS[0], 3.21, 320, 4.02, [-0.99, -0.63], kind="area"),
        hot_spot(lowest[1], DEPARTMENTS[3], 3.35, 140, 3.97, [-0.95, -0.29]),
    ] + [hot_spot(item, DEPARTMENTS[0], 3.6, 300, 4.0, [-0.6, -0.2]) for item in lowest[2:9]]
    falling = (
        [
            {
                "key": lowest[0]["key"],
                "text": lowest[0]["text"],
                "area": area_of[lowest[0]["key"]],
                "mean_now": lowest[0]["mean"],
                "mean_before": round(lowest[0]["mean"] + 0.31, 2),
                "diff": -0.31,
                "n_now": 1000,
                "n_before": 950,
            }
        ]
        if compare
        else []
    )
    hot_spots = {"min_n": 30, "tested": 186, "level": 0.99, "cells": cells, "falling": falling}
    start = date(2025, 1, 1)
    answers = [
        {
            "key": "co_poprawic",
            "question": "Co powinniśmy poprawić?",
            "date": (start + timedelta(days=(n * 7) % 365)).isoformat(),
            "department": DEPARTMENTS[n % 5][1] if n % 4 else None,
            "channel": ("online", "paper", "kiosk")[n % 3],
            "text": f"{COMMENTS[n % len(COMMENTS)]} (uwaga {n + 1})",
        }
        for n in range(open_answers)
    ]
    versions = [{"id": 1, "code": "SWINOUJSCIE-V1", "number": 1, "responses": 6300}]
    questionnaire = [
        {
            "version": "SWINOUJSCIE-V1",
            "number": 1,
            "sections": [
                {
                    "title": _pl(s["title"]),
                    "questions": [
                        {
                            "key": q["key"],
                            "kind": q["kind"],
                            "text": _pl(q["text"]),
                            "required": q.get("required", False),
                            "options": [_pl(o["label"]) for o in q.get("options", [])],
                        }
                        for q in s["questions"]
                    ],
                }
                for s in definition["sections"]
            ],
        }
    ]
    return {
        "format": 1,
        "office": {"slug": "swinoujscie", "name": "Urząd Miasta Świnoujście"},
        "params": {
            "start": "2025-01-01",
            "end": "2025-12-31",
            "department": None,
            "channel": None,
            "compare": compare,
            "min_cell": 5,
        },
        "generated_at": "2026-01-12T09:30:00+01:00",
        "generated_by": "Anna Żółkiewska",
        "method": {
            "responses": 6300,
            "complete": 5012,
            "partial": 1288,
            "by_channel": {"online": 2400, "paper": 3880, "kiosk": 20},
            "versions": versions,
            "first_response": "2025-01-02",
            "last_response": "2025-12-30",
        },
        "overall": {
            "n": 1500,
            "n_ratings": n_ratings,
            "ci95": [4.01, 4.17],
            "mean": overall_mean,
            "positive_share": round(
                sum(i["positive_share"] * i["n"] for i in all_items) / n_ratings, 4
            ),
            "satisfaction": satisfaction,
            "settled": {
                "key": "sprawa_zalatwiona",
                "text": "Czy sprawa została załatwiona?",
                "n": 900,
                "options": [
                    {"value": "tak", "label": "tak", "count": 700, "share": 0.7778},
                    {"value": "czesciowo", "label": "częściowo", "count": 150, "share": 0.1667},
                    {"value": "nie", "label": "nie", "count": 50, "share": 0.0556},
                ],
            },
        },
        "areas": areas,
        "structure": structure,
        "breakdowns": {
            "department": departments,
            "client_type": [
                _cell("osoba_fizyczna", "osoba fizyczna", 4100, 4.12, area_keys, rng),
                _cell("przedsiebiorca", "przedsiębiorca", 900, 3.95, area_keys, rng),
                _cell(
                    "instytucja",
                    "instytucja / organizacja",
                    None,
                    None,
                    area_keys,
                    rng,
                    suppressed=True,
                ),
            ],
            "purpose": [
                _cell(
                    o["value"],
                    _pl(o["label"]),
                    rng.randint(100, 900),
                    round(rng.uniform(3.6, 4.4), 2),
                    area_keys,
                    rng,
                )
                for o in definition["sections"][0]["questions"][1]["options"]
            ],
            "channel": [
                _cell("online", "internet", 2400, 4.02, area_keys, rng),
                _cell("paper", "papierowa", 3880, 4.15, area_keys, rng),
                _cell("kiosk", "kiosk", None, None, area_keys, rng, suppressed=True),
            ],
        },
        "trend": trend,
        "comparison": comparison,
        "importance": [
            {
                "area": a["key"],
                "title": a["title"],
                "importance_mean": round(4.8 - i * 0.15, 2),
                "satisfaction_mean": a["mean"],
                "n": 300 + i,
            }
            for i, a in enumerate(areas)
        ]
        if importance
        else None,
        "hot_spots": hot_spots,
        "summary": {
            "responses": 6300,
            "index": {
                "mean": overall_mean,
                "n": 6300,
                "n_ratings": n_ratings,
                "change": comparison["overall"] if comparison else None,
            },
            "positive_share": 0.74,
            "satisfaction": {"mean": satisfaction["mean"], "n": satisfaction["n"]},
            "strongest": [
                {
                    "key": i["key"],
                    "text": i["text"],
                    "area": area_of[i["key"]],
                    "mean": i["mean"],
                    "n": i["n"],
                }
                for i in lowest[::-1][:3]
            ],
            "weakest": [
                {
                    "key": i["key"],
                    "text": i["text"],
                    "area": area_of[i["key"]],
                    "mean": i["mean"],
                    "n": i["n"],
                }
                for i in lowest[:3]
            ],
            "items_min_n": 30,
            "hot_spots": [cells[0]["id"], cells[2]["id"], cells[1]["id"]],
            "hot_spots_count": len(cells),
            "falling": [row["key"] for row in falling],
            "compared": compare,
            "changes": [
                {
                    "kind": "area",
                    "key": areas[3]["key"],
                    "text": areas[3]["title"],
                    "diff": -0.31,
                    "mean_now": areas[3]["mean"],
                    "mean_before": round(areas[3]["mean"] + 0.31, 2),
                }
            ]
            if compare
            else [],
            "open_answers_count": len(answers),
        },
        "open_answers": answers,
        "open_answers_count": len(answers),
        "questionnaire": questionnaire,
        "notes": [
            "Komórki z mniej niż 5 odpowiedziami są ukryte (ochrona anonimowości).",
            "Pytanie „Atrakcyjność strony internetowej” zadawano od wersji 2 ankiety.",
        ],
    }


@pytest.fixture(scope="module")
def report():
    return sample_report()


@pytest.fixture(scope="module")
def html(report):
    return str(report_html(report))


def sections_of(html: str) -> list[tuple[str, str]]:
    return re.findall(
        r'<section class="report-section[^"]*" id="([^"]+)"[^>]*>\s*<h2[^>]*>([^<]+)</h2>', html
    )


def svgs_of(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, flags=re.S)


def contrast(colour: str, other: str = "#ffffff") -> float:
    def luminance(hex_colour):
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(colour), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# --- HTML -------------------------------------------------------------------------------


def test_html_has_every_section_as_h2_in_order(html):
    titles = [title for _id, title in sections_of(html)]

    assert titles == [
        "Najważniejsze wyniki",
        "Metoda badania",
        "Struktura respondentów",
        "Wynik ogólny",
        "Wyniki według obszarów i pytań",
        "Wyniki w przekrojach",
        "Trend miesięczny",
        "Porównanie z poprzednim okresem",
        "Ważność a satysfakcja",
        "Obszary do poprawy",
        "Odpowiedzi otwarte",
        "Załącznik: kwestionariusz ankiety",
    ]
    assert "<h1" not in html  # the panel page has its own h1
    assert '<h2 class="report-title"' in html


def test_html_cover_names_office_period_filters_and_author(html):
    cover = html[html.index('class="report-cover"') : html.index('class="report-toc"')]

    assert "Urząd Miasta Świnoujście" in cover
    assert "01.01.2025 – 31.12.2025" in cover
    assert "wszystkie wydziały" in cover
    assert "12.01.2026, 09:30" in cover
    assert "Anna Żółkiewska" in cover


def test_html_table_of_contents_links_to_every_section(html):
    toc = html[html.index('class="report-toc"') : html.index("</nav>")]
    targets = re.findall(r'href="#([^"]+)"', toc)

    for section_id, _title in sections_of(html):
        assert section_id in targets
    for target in targets:
        assert f'id="{target}"' in html


def test_html_numbers_are_polish(report, html):
    item = report["areas"][0]["items"][0]
    mean = f"{item['mean']:.2f}".replace(".", ",")

    assert f"<strong>{mean}</strong>" in html
    assert f"{round(item['positive_share'] * 100)}%" in html
    assert "24\u00a0127" in html  # n of all ratings, grouped with a no-break space
    assert not re.search(r">\d+\.\d\d<", html)  # no decimal point in any cell


def test_html_every_mean_has_its_n(report, html):
    area = report["areas"][3]

    # n is respondents, the ratings a secondary figure; the interval next to the mean
    assert f"n&nbsp;=&nbsp;{area['n']} osób, {area['n_ratings']} ocen" in html
    assert "(n&nbsp;=&nbsp;1500 osób," in html
    assert "przedział 95%: 4,01–4,17" in html
    for chart in svgs_of(html):
        if "średnia (1–5)" in chart:
            assert "(n\u00a0=\u00a0" in chart


def test_html_suppressed_cells_show_a_dash_and_a_footnote(html):
    breakdown = html[html.index('id="raport-przekroj-department"') :]
    breakdown = breakdown[: breakdown.index("</section>")]
    row = re.search(r"<tr class=\"report-suppressed\">.*?</tr>", breakdown, flags=re.S).group(0)

    assert "Referat Zamówień Publicznych" in row
    assert row.count("—</") == 4 + 5  # n, mean, %, overall, 5 areas
    assert 'href="#raport-przekroj-department-przypis"' in row
    assert (
        'id="raport-przekroj-department-przypis">* „—” — mniej niż 5 odpowiedzi — ukryte dla '
        "ochrony anonimowości.</p>"
    ) in breakdown
    assert "ukryte – mniej niż 5 odpowiedzi" in breakdown  # in the chart, instead of a bar


def test_html_has_no_inline_style_and_no_script(html):
    assert not re.search(r"\sstyle\s*=", html, flags=re.I)
    assert "<style" not in html.lower()
    assert "<script" not in html.lower()
    assert not re.search(r"\son[a-z]+\s*=", html, flags=re.I)


def test_html_tables_have_captions_and_header_scopes(html):
    tables = re.findall(r"<table\b.*?</table>", html, flags=re.S)

    assert len(tables) > 15
    for table in tables:
        assert re.search(r"<caption( id=\"[^\"]+\")?>", table)
        assert 'scope="col"' in table
        assert 'scope="row"' in table
    # a wide table that scrolls sideways can be scrolled from the keyboard, and is named
    regions = re.findall(r'<div class="table-scroll" role="region" ([^>]*)>', html)
    assert len(regions) >= 1 + 5 + 4 + 2
    for attributes in regions:
        assert 'tabindex="0"' in attributes
        labelled_by = re.search(r'aria-labelledby="([^"]+)"', attributes)
        if labelled_by:
            assert f'<caption id="{labelled_by.group(1)}">' in html
        else:
            assert re.search(r'aria-label="[^"]+"', attributes)


def test_html_significant_changes_read_in_words_and_arrows(html):
    comparison = html[html.index('id="raport-porownanie"') : html.index('id="raport-waznosc"')]

    assert "↑ </span>wiarygodna zmiana: wzrost" in comparison
    assert "↓ </span>wiarygodna zmiana: spadek" in comparison
    assert ">może być przypadkowa</td>" in comparison  # why a change is not reliable
    # both periods named, with dates and numbers of respondents
    assert "porównawczy: rok 2024" in comparison and "01.01.2024 – 31.12.2024" in comparison
    assert "1400" in comparison and "1500" in comparison
    assert "od +0,05 do +0,19" in comparison  # the confidence interval
    method = html[html.index('id="raport-metoda"') : html.index('id="raport-porownanie"')]
    assert "Zmianę nazywamy wiarygodną" in method  # the method is named


def test_html_hot_spots_are_grouped_by_department_with_ids_and_comments(report, html):
    section = html[
        html.index('id="raport-do-poprawy"') : html.index('id="raport-odpowiedzi-otwarte"')
    ]
    first = report["hot_spots"]["cells"][0]

    assert section.count("<h3") == 2 + 1  # two departments, then the falling items
    komunikacja = section[: section.index("Wydział Architektury i Budownictwa</h3>")]
    assert first["text"] in komunikacja and "<strong>2,95</strong>" in komunikacja
    assert "4,08" in komunikacja and "\u22121,13" in komunikacja  # rest of the office, diff
    assert "od \u22121,31 do \u22120,95" in komunikacja
    assert first["id"] in komunikacja  # the identifier actions link to
    assert 'id="obszar-item-' in komunikacja
    assert "(obszar (wszystkie pytania))" in komunikacja
    assert "Za długa kolejka przy okienku" in komunikacja and "(Marzec 2025)" in komunikacja
    assert "Pytania, których ocena wiarygodnie spadła" in section
    assert "\u22120,31" in section
    assert "osobę odpowiedzialną i termin" in section


def test_html_summary_comes_first_and_links_to_its_hot_spots(report, html):
    summary = html[: html.index('class="report-cover"')]
    first = report["hot_spots"]["cells"][0]

    assert "Najważniejsze wyniki" in summary
    assert f'href="#obszar-item-{first["key"]}-dept-1-2025"' in summary
    assert f'id="obszar-item-{first["key"]}-dept-1-2025"' in html
    assert "Wydział Komunikacji: " + first["text"] in summary
    assert "wobec 4,08 w pozostałej części urzędu" in summary
    assert "(n&nbsp;=&nbsp;6300 osób" in summary
    assert "Najwyżej oceniane" in summary and "Najniżej oceniane" in summary
    assert "wiarygodna zmiana: wzrost" in summary  # the index's change, in words
    assert "Odpowiedzi otwarte: 150" in summary
    assert "Co dalej" in summary and "Wydział Komunikacji" in summary
    assert "I jeszcze 7" in summary


def test_html_without_comparison_or_importance_leaves_them_out_and_says_why():
    html = str(report_html(sample_report(compare=False, importance=False, open_answers=0)))
    titles = [title for _id, title in sections_of(html)]

    assert "Porównanie z poprzednim okresem" not in titles
    assert "Ważność a satysfakcja" not in titles
    assert "Odpowiedzi otwarte" not in titles
    assert "raport-wykres-waznosc" not in html
    method = html[html.index('id="raport-metoda"') :]
    assert "Czego nie ma w raporcie" in method
    assert "porównanie z poprzednim okresem — nie wybrano go" in method
    assert "ważność obszarów — ankieta nie pytała" in method
    assert "odpowiedzi otwarte — w tym okresie nikt ich nie wpisał" in method
    assert "Raport nie zawiera porównania z poprzednim okresem" in html  # summary


def test_html_channel_breakdown_names_the_mode_difference_not_a_hot_spot():
    report = sample_report()
    report["mode_difference"] = {
        "online": {"mean": 4.02, "n": 2400},
        "paper": {"mean": 4.15, "n": 3880},
        "diff": -0.13,
        "ci95": [-0.2, -0.06],
    }

    html = str(report_html(report))

    channel = html[html.index('id="raport-przekroj-channel"') :]
    channel = channel[: channel.index("</section>")]
    assert "Różnica sposobu wypełniania" in channel
    assert "\u22120,13" in channel and "od \u22120,20 do \u22120,06" in channel
    assert "to nie jest obszar do poprawy" in channel


def test_html_a_breakdown_of_one_group_is_left_out():
    report = sample_report()
    report["breakdowns"]["channel"] = report["breakdowns"]["channel"][:1]
    report["breakdowns"]["purpose"] = []

    html = str(report_html(report))

    assert 'id="raport-przekroj-channel"' not in html
    assert 'id="raport-przekroj-purpose"' not in html
    assert 'id="raport-przekroj-department"' in html


def test_html_unused_channels_are_not_listed():
    report = sample_report()
    report["method"]["by_channel"]["kiosk"] = 0

    html = str(report_html(report))

    method = html[html.index('id="raport-metoda"') : html.index('id="raport-struktura"')]
    assert "kanał: kiosk" not in method and "kanał: internet" in method


def test_html_questionnaire_is_annexed(html):
    annex = html[html.index('id="raport-kwestionariusz"') :]

    assert "Wersja SWINOUJSCIE-V1" in annex
    assert "Czystość pomieszczeń Urzędu" in annex
    assert "ocena w skali 1–5" in annex
    assert "osoba fizyczna" in annex


# --- Open answers: searching without JavaScript -------------------------------------------


def open_answers_of(html: str) -> list[str]:
    listed = re.findall(r'<ol class="report-open-answers">(.*?)</ol>', html, flags=re.S)
    return re.findall(r'<span class="report-open-answer">(.*?)</span>', "".join(listed), re.S)


def test_open_answers_are_all_listed_with_a_search_form(html):
    form = re.search(r'<form class="report-search".*?</form>', html, flags=re.S).group(0)

    assert len(open_answers_of(html)) == 150
    assert 'method="get"' in form
    assert 'action="#raport-odpowiedzi-otwarte"' in form
    assert 'name="szukaj"' in form
    assert '<label for="raport-szukaj">' in form
    assert "Liczba odpowiedzi otwartych: 150." in html


def test_open_answer_search_filters_case_insensitively_and_counts(report):
    html = str(report_html(report, query="  KOLEJKA "))
    found = open_answers_of(html)

    assert len(found) == 15  # every tenth comment speaks of the queue
    assert all("<mark>kolejka</mark>" in answer for answer in found)
    assert "Znaleziono 15 z 150 odpowiedzi zawierających „KOLEJKA”." in html
    assert 'value="KOLEJKA"' in html


def test_open_answer_search_keeps_the_report_parameters(report):
    html = str(report_html(report, query="parking", search_params={"rok": "2025", "szukaj": "x"}))

    assert '<input type="hidden" name="rok" value="2025">' in html
    assert 'name="szukaj" value="x"' not in html
    assert 'href="?rok=2025#raport-odpowiedzi-otwarte"' in html  # "show all"


def test_open_answer_search_with_no_match_says_so(report):
    html = str(report_html(report, query="żyrafa"))

    assert open_answers_of(html) == []
    assert "Znaleziono 0 z 150" in html
    assert "Żadna odpowiedź nie zawiera szukanego tekstu." in html


def test_open_answers_and_query_are_escaped():
    report = sample_report(open_answers=1)
    report["open_answers"][0]["text"] = '<img src=x onerror="alert(1)"> i <b>'

    html = str(report_html(report, query='<img src=x onerror="alert(1)">'))

    assert "<img" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "<mark>&lt;img" in html


# --- Charts -------------------------------------------------------------------------------


def test_charts_are_accessible_svg(html):
    svgs = svgs_of(html)

    assert len(svgs) == 1 + 5 + 4 + 1 + 1  # areas, 5 distributions, 4 breakdowns, trend, IPA
    for svg in svgs:
        root = SafeElementTree.fromstring(svg)
        assert root.tag == f"{SVG_NS}svg"
        assert root.get("role") == "img"
        title = root.find(f"{SVG_NS}title")
        desc = root.find(f"{SVG_NS}desc")
        assert title is not None and title.text
        assert desc is not None and desc.text
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        for element in root.iter():
            assert "style" not in element.attrib
        assert ElementTree.tostring(root).count(b"<ns0:script") == 0


def test_every_chart_is_followed_by_its_table(html):
    for match in re.finditer(r"</figure>", html):
        rest = html[match.end() :]
        assert rest.index("<table") < min(
            (rest.find(tag) for tag in ("<figure", "<h2", "<h3") if rest.find(tag) != -1),
            default=len(rest),
        )
    notes = re.findall(r'<span class="report-chart-note">([^<]+)</span>', html)
    assert notes == ["Te same liczby zawiera tabela pod wykresem."] * len(svgs_of(html))


def test_chart_colours_have_contrast_against_white():
    for colour in [*charts.VALUE_COLOURS.values(), charts.MAIN, charts.SECOND]:
        assert contrast(colour) >= 4.5, colour  # marks >= 3:1, white labels on them >= 4.5:1
    assert contrast(charts.GRID) >= 3


def test_distribution_chart_tells_values_apart_without_colour(report):
    svg = charts.distribution_chart(report["areas"][0]["items"], chart_id="c", title="Rozkład")
    root = SafeElementTree.fromstring(str(svg))
    patterns = root.findall(f".//{SVG_NS}pattern")
    texts = "".join(root.itertext())

    assert [p.get("id") for p in patterns] == ["c-v1", "c-v2", "c-v3", "c-v4", "c-v5"]
    assert len({ElementTree.tostring(p).replace(p.get("id").encode(), b"") for p in patterns}) == 5
    assert "Ocena:" in texts  # the legend names each pattern
    assert "nie dotyczy: " in texts
    assert "(n\u00a0=\u00a0" in texts


def test_trend_chart_leaves_a_gap_for_a_month_without_ratings(report):
    svg = str(charts.trend_chart(report["trend"], chart_id="t", title="Trend"))
    root = SafeElementTree.fromstring(svg)
    lines = root.findall(f"{SVG_NS}polyline")

    # August has no ratings: each series is drawn as two runs around it
    assert len(lines) == 4
    assert {"sty", "gru"} <= set(root.itertext())


# --- PDF ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf(report):
    # A full year with 150 open answers. Its speed is measured by bench/report.py, not
    # here: a timed assertion fails on a busy machine and proves nothing on a quiet one.
    return report_pdf(report)


@pytest.fixture(scope="module")
def pdf_text(pdf):
    return pdf_pages_text(pdf)


def test_pdf_has_many_pages_with_polish_text(pdf_text):
    text = "\n".join(pdf_text)

    assert len(pdf_text) > 10
    assert "Urząd Miasta Świnoujście" in pdf_text[0]
    assert "Raport z badania satysfakcji klientów" in pdf_text[0]
    for phrase in (
        "Wyniki według obszarów i pytań",
        "Źle oznakowane pokoje",
        "Ważność a satysfakcja",
        "Zaangażowanie wobec Klienta",
        "Załącznik: kwestionariusz ankiety",
    ):
        assert phrase in text


def test_pdf_table_of_contents_gives_the_right_page_numbers(pdf_text):
    toc = pdf_text[0][pdf_text[0].index("Spis treści") :]  # on the cover

    for title in (
        "Metoda badania",
        "Wyniki w przekrojach",
        "Odpowiedzi otwarte",
        "Załącznik: kwestionariusz ankiety",
    ):
        number = int(re.search(re.escape(title) + r"[ .]*?(\d+)\s*$", toc, flags=re.M).group(1))
        assert pdf_text[number - 1].startswith(title), (title, number)


def test_pdf_pages_carry_office_and_page_numbers(pdf_text):
    pages = len(pdf_text)

    assert "strona" not in pdf_text[0]  # the cover has neither header nor footer
    for number, text in enumerate(pdf_text[1:], start=2):
        assert f"strona {number} z {pages}" in text
        assert "Urząd Miasta Świnoujście" in text


def test_pdf_summary_is_page_two_and_main_sections_start_a_page(pdf_text):
    starts = [page.split("\n", 1)[0].strip() for page in pdf_text]

    assert starts[1] == "Najważniejsze wyniki"
    assert "Obszary do poprawy" in pdf_text[1] and "Co dalej" in pdf_text[1]
    for title in ("Metoda badania", "Wyniki według obszarów i pytań", "Obszary do poprawy"):
        assert title in starts


def test_pdf_short_sections_follow_the_one_before_instead_of_taking_a_page(report):
    html = report_document_html(report)

    for section in ("raport-struktura", "raport-wynik-ogolny", "raport-trend", "raport-waznosc"):
        assert f'<section class="report-section" id="{section}"' in html
    for section in ("raport-najwazniejsze", "raport-metoda", "raport-do-poprawy"):
        assert re.search(f'<section class="report-section report-page[^"]*" id="{section}"', html)


def test_pdf_has_no_page_with_only_a_heading_or_a_sentence(pdf_text):
    for number, page in enumerate(pdf_text, start=1):
        body = page.replace("Urząd Miasta Świnoujście", "")
        body = re.sub(r"strona \d+ z \d+", "", body).strip()
        lines = [line for line in body.splitlines() if line.strip()]
        assert len(lines) >= 3 and len(body) > 150, (number, body)


def test_pdf_embeds_only_the_shipped_fonts(pdf):
    objects = pdf_objects(pdf)
    names = set(re.findall(rb"/BaseFont\s*/([^\s/<>]+)", objects))

    assert objects.count(b"/FontFile2") >= 2  # regular and bold, embedded
    assert names
    assert all(name.split(b"+")[-1].startswith(b"OU-DejaVu-Sans") for name in names), names


def test_pdf_lists_at_most_the_limit_of_open_answers_and_says_where_the_rest_are():
    report = sample_report(open_answers=PDF_OPEN_ANSWERS_LIMIT + 3)

    html = report_document_html(report)

    assert len(open_answers_of(html)) == PDF_OPEN_ANSWERS_LIMIT
    assert f"Ten dokument zawiera pierwsze {PDF_OPEN_ANSWERS_LIMIT} odpowiedzi otwartych." in html
    assert "Pozostałe (3) są w załączniku „Odpowiedzi otwarte” (CSV, XLSX)." in html
    assert 'name="szukaj"' not in html  # no search form on paper


def test_pdf_document_is_the_report_body_with_page_furniture(report):
    html = report_document_html(report)

    assert html.startswith("<!doctype html>") or html.lstrip().startswith("<!doctype html>")
    assert '<html lang="pl">' in html
    assert '<h1 class="report-title"' in html
    assert '@top-center { content: "Urząd Miasta Świnoujście"' in html
    assert 'counter(page) " z " counter(pages)' in html


def test_pdf_page_header_cannot_break_out_of_its_css_string(report):
    report = {**report, "office": {"slug": "x", "name": 'Urząd "X" </style><p>'}}

    html = report_document_html(report)

    assert '@top-center { content: "Urząd \\22 X\\22  \\3c /style\\3e \\3c p\\3e "' in html
    assert "</style><p>" not in html


def test_pdf_charts_are_the_same_svg_as_images_tagged_with_title_and_description(report, html, pdf):
    """On paper each chart is an <img> of the very SVG the screen shows inline (cheaper
    for WeasyPrint to lay out), its alternative text the chart's title and description,
    and the tagged PDF carries that text as the figure's /Alt."""
    document = report_document_html(report)
    images = re.findall(
        r'<img class="chart-svg" id="([^"]+)" src="data:image/svg\+xml;base64,'
        r'([^"]+)" alt="([^"]+)"',
        document,
    )
    screen = {SafeElementTree.fromstring(svg).get("id"): svg for svg in svgs_of(html)}

    assert "<svg" not in document
    assert [chart_id for chart_id, _data, _alt in images] == list(screen)
    for chart_id, data, alt in images:
        root = SafeElementTree.fromstring(base64.b64decode(data))
        title = root.find(f"{SVG_NS}title").text
        desc = root.find(f"{SVG_NS}desc").text
        assert root.get("font-family") == "'OU DejaVu Sans'"  # the embedded font
        assert html_module.unescape(alt) == f"{title}. {desc}", chart_id
        on_screen = SafeElementTree.fromstring(screen[chart_id])
        assert len(list(root.iter())) == len(list(on_screen.iter()))  # the same drawing
    objects = pdf_objects(pdf)
    assert objects.count(b"/S /Figure") >= len(images)
    for _chart_id, _data, alt in images:
        assert b"/Alt " + _pdf_string(html_module.unescape(alt)) in objects, alt


def _pdf_string(text: str) -> bytes:
    """How pydyf writes a text string: ASCII in parentheses, else UTF-16 as hex."""
    if text.isascii():
        return b"(" + re.sub(rb"([\\()])", rb"\\\1", text.encode()) + b")"
    return b"<" + ("\ufeff" + text).encode("utf-16-be").hex().encode() + b">"


def test_pdf_fetches_nothing_but_the_shipped_fonts():
    fetcher = _LocalFetcher()

    assert fetcher.fetch("file:///_report-fonts/DejaVuSans.ttf")
    for url in (
        "file:///etc/passwd",
        "https://example.com/x.png",
        "file:///_report-fonts/../../etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


# --- XLSX -----------------------------------------------------------------------------------


def test_xlsx_has_a_sheet_per_part_and_the_figures(report):
    rows = [
        ["miesiąc", "wydział", "co_poprawic"],
        ["2025-01", "A", '=HYPERLINK("http://example.com","x")'],
        ["2025-01", "B", "kolejka\x0b"],
        ["2025-01", "B", "http://example.com/"],
        ["2025-01", "B", "+48 123"],
    ]

    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(report, responses=iter(rows))))

    assert book.sheetnames == [
        "Podsumowanie",
        "Obszary i pytania",
        "Struktura respondentów",
        "Przekroje",
        "Trend",
        "Porównanie",
        "Ważność i satysfakcja",
        "Obszary do poprawy",
        "Odpowiedzi otwarte",
        "Dane surowe",
    ]
    areas = list(book["Obszary i pytania"].iter_rows(values_only=True))
    item = report["areas"][0]["items"][0]
    assert areas[0][:5] == ("Obszar", "Klucz", "Pytanie", "n", "Średnia")
    assert areas[2][:5] == ("Wizerunek Urzędu", item["key"], item["text"], item["n"], item["mean"])
    assert book["Obszary i pytania"]["E3"].number_format == "0.00"
    assert book["Obszary i pytania"]["L3"].number_format == "0%"
    breakdowns = list(book["Przekroje"].iter_rows(values_only=True))
    hidden = next(r for r in breakdowns if r[1] == "Referat Zamówień Publicznych")
    assert hidden[2:] == ("—",) * 9
    assert "mniej niż 5 odpowiedzi" in breakdowns[0][0]
    comparison = list(book["Porównanie"].iter_rows(values_only=True))
    assert any(row[-1] == "↓ wiarygodna zmiana: spadek" for row in comparison)
    assert book["Odpowiedzi otwarte"].max_row == 151
    hot = list(book["Obszary do poprawy"].iter_rows(values_only=True))
    first = report["hot_spots"]["cells"][0]
    assert hot[2][:4] == ("Wydział Komunikacji", first["text"], first["area"], 2.95)
    assert hot[2][-1] == first["id"]
    assert len([r for r in hot if r and r[-1] and "|dept:" in str(r[-1])]) == 10
    assert any(r and r[0] == "Pytanie (spadek)" for r in hot)
    raw = book["Dane surowe"]
    assert [c.value for c in raw[1]] == ["miesiąc", "wydział", "co_poprawic"]
    assert raw.freeze_panes == "A2"  # the header stays in view
    # text, never a formula, a link or a number
    assert raw["C2"].value == '=HYPERLINK("http://example.com","x")'
    assert raw["C2"].data_type == "s"
    assert raw["C3"].value == "kolejka"  # a control character Excel refuses is dropped
    assert raw["C4"].value == "http://example.com/" and raw["C4"].hyperlink is None
    assert raw["C5"].value == "+48 123" and raw["C5"].data_type == "s"
    assert not raw._hyperlinks


def test_xlsx_without_responses_or_comparison():
    book = openpyxl.load_workbook(
        io.BytesIO(report_xlsx(sample_report(compare=False, importance=False)))
    )

    assert "Dane surowe" not in book.sheetnames
    assert "Ważność i satysfakcja" not in book.sheetnames
    assert "nie zawiera porównania" in book["Porównanie"]["A1"].value


# --- JSON -----------------------------------------------------------------------------------


def test_json_round_trips_in_readable_utf8(report):
    data = report_json(report)

    assert json.loads(data) == report
    assert "Urząd Miasta Świnoujście".encode() in data
    assert data == report_json(copy.deepcopy(report))
    assert data.startswith(b'{"areas":')  # sorted keys, compact


def test_json_is_the_standard_librarys_but_for_the_notation_of_tiny_floats():
    report = sample_report(open_answers=300)
    report["open_answers"][0]["text"] = 'Cytat: "tak" \\ nie\tkoniec\u2028 😀 \x7f'
    report["params"]["shares"] = [0.0001, 0.0, 1.0, 4.25, 0.1234, -0.5, 12345678.0]

    assert report_json(report) == report_json_stdlib(report)

    report["params"]["p_adjusted"] = 4e-06  # a hot spot's p-value keeps six decimals
    data = report_json(report)
    assert b'"p_adjusted":4e-6' in data
    assert json.loads(data) == json.loads(report_json_stdlib(report)) == report


def test_archive_key_is_the_hash_of_the_standard_librarys_json():
    """Entries archived before the faster encoder keep being found for the same report."""
    report = sample_report(open_answers=20)
    report["params"]["p_adjusted"] = 4e-06
    content = {k: v for k, v in report.items() if k not in VOLATILE_KEYS}

    assert report_content_key(report) == hashlib.sha256(report_json_stdlib(content)).hexdigest()


def test_json_of_what_the_faster_encoder_refuses_comes_from_the_standard_library():
    report = {"b": {2: "dwa", 10: "dziesięć"}, "a": 2**70}

    assert report_json(report) == report_json_stdlib(report)
    expected = '{"a":1180591620717411303424,"b":{"2":"dwa","10":"dziesięć"}}'
    assert report_json(report) == expected.encode()


# --- CSV --------------------------------------------------------------------------------------


def test_csv_stream_for_polish_excel(report):
    rows = [
        ["id", "średnia", "wybory", "tekst"],
        [1, 4.25, ["a", "b"], "=SUMA(A1)"],
        [2, None, [], "ok"],
    ]

    data = b"".join(csv_stream(rows, dialect="excel-pl"))

    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    assert data.decode("utf-8-sig").splitlines() == [
        "id;średnia;wybory;tekst",
        "1;4,25;a|b;'=SUMA(A1)",
        "2;;;ok",
    ]


def test_csv_stream_standard_dialect():
    data = b"".join(csv_stream([["id", "x"], [1, 4.25], [2, "a, b"]], dialect="excel"))

    assert data.decode("utf-8-sig").splitlines() == ["id,x", "1,4.25", '2,"a, b"']


def test_csv_stream_refuses_unknown_dialect():
    with pytest.raises(ValueError):
        list(csv_stream([["a"]], dialect="tsv"))


def test_csv_stream_yields_before_reading_all_rows():
    read = []

    def rows():
        yield ["id", "tekst"]
        for number in range(1, 1_000_000):
            if number > 2500:
                raise RuntimeError("the stream read ahead")
            read.append(number)
            yield [number, f"odpowiedź {number}"]

    stream = csv_stream(rows())
    chunks = [next(stream)]  # the header at once
    assert len(read) == 0
    chunks += [next(stream), next(stream)]
    with pytest.raises(RuntimeError):
        next(stream)

    text = b"".join(chunks).decode("utf-8-sig")
    assert text.startswith("id;tekst\r\n1;odpowiedź 1\r\n")
    assert "2000;odpowiedź 2000\r\n" in text
    assert len(read) <= 2500


def multi_version(office) -> SurveyVersion:
    """Version 2 of the office's survey: one more question, a multiple choice."""
    definition = copy.deepcopy(office.survey.current_version.definition)
    section = next(s for s in definition["sections"] if s["key"] == "podsumowanie")
    section["questions"].insert(
        0,
        {
            "key": "kontakt",
            "kind": "multi",
            "text": {"pl": "Jak się Pan/Pani z nami kontaktował(a)?"},
            "required": False,
            "options": [
                {"value": "osobiscie", "label": {"pl": "osobiście"}},
                {"value": "telefon", "label": {"pl": "telefonicznie"}},
                {"value": "email", "label": {"pl": "e-mailem"}},
            ],
        },
    )
    return SurveyVersion.objects.create(
        office=office, survey=office.survey, number=2, status="published", definition=definition
    )


def respond(office, version, *, when, answers, channel="online", department=None):
    return Response.objects.create(
        office=office,
        version=version,
        channel=channel,
        source="qr",
        department=department,
        submitted_at=when,
        answers=answers,
    )


@pytest.mark.django_db
def test_csv_rows_of_a_period(office, other_office):
    v1 = office.survey.current_version
    v2 = multi_version(office)
    department = office.departments.get(name="Wydział Komunikacji")
    # 23:30 UTC on 31 December is already 1 January in Poland
    first = respond(
        office,
        v1,
        when=datetime(2024, 12, 31, 23, 30, tzinfo=UTC),
        answers={
            "wizerunek_lokalizacja": 4,
            "wizerunek_parking": "na",
            "co_poprawic": 'Więcej miejsc; "parking"',
        },
        channel="paper",
        department=department,
    )
    second = respond(
        office,
        v2,
        when=datetime(2025, 6, 1, 10, tzinfo=UTC),
        answers={"kontakt": ["osobiscie", "email"], "ocena_ogolna": 5},
    )
    respond(office, v2, when=datetime(2024, 12, 31, 22, 30, tzinfo=UTC), answers={})  # 2024
    respond(
        other_office,
        other_office.survey.current_version,
        when=datetime(2025, 3, 1, tzinfo=UTC),
        answers={"ocena_ogolna": 1},
    )

    rows = list(
        responses_csv_rows(office=office, start=date(2025, 1, 1), end=date(2025, 12, 31), k=1)
    )

    header = rows[0]
    assert header[:6] == ["miesiąc", "wydział", "kanał", "wersja", "język", "źródło"]
    assert "id" not in header and "data" not in header  # no id, no day: nobody is dated
    assert "wydzial" not in header  # the department question is the "wydział" column
    assert "co_poprawic" not in header  # free text is the comments annex, a file of its own
    assert header.index("kontakt") == header.index("ocena_ogolna") - 1  # in the survey's order
    assert header.index("wizerunek_lokalizacja") < header.index("kontakt")
    assert len(rows) == 3
    one = dict(zip(header, rows[1], strict=True))
    assert one["miesiąc"] == "2025-01"  # 23:30 UTC on 31 December is January in Poland
    assert one["kanał"] == "papierowa"
    assert one["wydział"] == "Wydział Komunikacji"
    assert one["wersja"] == "SWINOUJSCIE-V1"
    assert one["źródło"] == "qr"
    assert one["wizerunek_lokalizacja"] == 4
    assert one["wizerunek_parking"] == "nie dotyczy"
    assert one["kontakt"] == ""
    two = dict(zip(header, rows[2], strict=True))
    assert two["miesiąc"] == "2025-06"
    assert two["kontakt"] == "osobiscie|email"
    assert two["wersja"] == "SWINOUJSCIE-V2"
    assert two["wydział"] == ""

    text = b"".join(csv_stream(rows)).decode("utf-8-sig")
    assert "parking" not in text.split("\r\n", 1)[1]  # the comment is not in the rows
    assert ";nie dotyczy;" in text
    assert ";osobiscie|email;" in text
    assert first.pk and second.pk


@pytest.mark.django_db
def test_csv_rows_are_k_anonymous_and_not_in_time_order(office):
    version = office.survey.current_version
    komunikacja, usc = office.departments.order_by("position")
    for number in range(12):
        profile = {"metryka_plec": "mezczyzna", "metryka_wiek": ("26_40", "41_55")[number % 2]}
        respond(
            office,
            version,
            when=datetime(2025, 3, 2 + number, 10, tzinfo=UTC),
            answers={"ocena_ogolna": 5 - number % 5, **profile},
            department=komunikacja,
        )
    rare = {"metryka_plec": "kobieta", "metryka_wiek": "pow_65"}
    respond(
        office,
        version,
        when=datetime(2025, 3, 30, 10, tzinfo=UTC),
        answers={"ocena_ogolna": 1, **rare},
        department=usc,
    )

    header, *rows = list(
        responses_csv_rows(office=office, start=date(2025, 3, 1), end=date(2025, 3, 31), k=5)
    )

    column = {name: i for i, name in enumerate(header)}
    values = {name: {row[i] for row in rows} for name, i in column.items()}
    assert "pow_65" not in values["metryka_wiek"] and "kobieta" not in values["metryka_plec"]
    assert "Urząd Stanu Cywilnego" not in values["wydział"]
    assert "ukryte" in values["metryka_wiek"]
    # the odd one out is not alone among the suppressed rows: at least k rows say nothing
    hidden = [row for row in rows if row[column["miesiąc"]] == "ukryte"]
    assert len(hidden) >= 5
    assert "2025-03" in values["miesiąc"]  # the rest keep their month
    # within the month by content, not by arrival: the last one to come is not last
    shown = [row for row in rows if row[column["miesiąc"]] == "2025-03"]
    assert shown == sorted(shown, key=lambda row: [str(v) for v in row])


@pytest.mark.django_db
def test_csv_rows_filter_by_department_and_channel(office):
    version = office.survey.current_version
    department = office.departments.first()
    when = datetime(2025, 5, 5, 12, tzinfo=UTC)
    wanted = respond(office, version, when=when, answers={}, channel="paper", department=department)
    respond(office, version, when=when, answers={}, channel="online", department=department)
    respond(office, version, when=when, answers={}, channel="paper")

    rows = list(
        responses_csv_rows(
            office=office,
            start=date(2025, 5, 5),
            end=date(2025, 5, 5),
            department_id=department.pk,
            channel="paper",
            k=1,
        )
    )

    assert len(rows) == 2 and rows[1][2] == "papierowa" and rows[1][1] == department.name
    assert wanted.pk


@pytest.mark.django_db
def test_csv_rows_read_in_a_fixed_number_of_queries(office, django_assert_num_queries):
    version = office.survey.current_version
    departments = list(office.departments.all())
    for number in range(60):
        respond(
            office,
            version,
            when=datetime(2025, 2, 1, 8, tzinfo=UTC) + timedelta(hours=number),
            answers={"ocena_ogolna": 1 + number % 5},
            department=departments[number % 2],
        )

    # versions used, versions, departments, the responses twice (count, then write)
    with django_assert_num_queries(5):
        rows = list(
            responses_csv_rows(office=office, start=date(2025, 2, 1), end=date(2025, 2, 28), k=5)
        )

    assert len(rows) == 61
    assert {row[1] for row in rows[1:]} == {d.name for d in departments}


@pytest.mark.parametrize(
    ("by_channel", "sentence"),
    [
        (
            {"online": 2400, "paper": 3880},
            "Ankieta była anonimowa; wypełniano ją przez internet i na papierze (ankiety "
            "wprowadzane potem do systemu przez pracowników urzędu).",
        ),
        ({"online": 12, "paper": 0}, "Ankieta była anonimowa; wypełniano ją przez internet."),
        (
            {"online": 1, "paper": 1, "kiosk": 1},
            "wypełniano ją przez internet, na papierze (ankiety wprowadzane potem do systemu "
            "przez pracowników urzędu) i w kiosku w urzędzie.",
        ),
        ({}, "Ankieta była anonimowa."),
    ],
)
def test_the_method_names_only_the_ways_the_survey_was_really_filled_in(by_channel, sentence):
    report = sample_report()
    report["method"]["by_channel"] = by_channel

    html = str(report_html(report))

    assert sentence in html
    if not by_channel.get("kiosk"):
        assert "kiosku" not in html.split("raport-metoda", 1)[1].split("</p>", 1)[0]


def test_a_report_computed_before_the_summary_existed_is_drawn_without_one():
    report = sample_report()
    del report["summary"], report["hot_spots"]

    html = str(report_html(report))

    assert 'id="raport-najwazniejsze"' not in html
    assert 'id="raport-metoda"' in html
