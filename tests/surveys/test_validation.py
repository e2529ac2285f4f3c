"""definition_errors: every problem named with its place and the question's Polish text."""

import copy

import pytest

from ocenurzad.surveys.default_definition import default_definition
from ocenurzad.surveys.validation import definition_errors, missing_translations

LANGS = ["pl", "en"]


def errors(definition, **kwargs) -> dict[str, str]:
    return {e.path: e.message for e in definition_errors(definition, languages=LANGS, **kwargs)}


def small() -> dict:
    """A valid survey: one area with one rating, one section with a choice question."""
    return {
        "format": 1,
        "title": {"pl": "Ankieta"},
        "scale": {p: {"pl": f"ocena {p}"} for p in ("1", "2", "3", "4", "5")},
        "sections": [
            {
                "key": "obsluga",
                "kind": "area",
                "title": {"pl": "Obsługa"},
                "questions": [
                    {"key": "uprzejmosc", "kind": "rating", "text": {"pl": "Uprzejmość"}}
                ],
            },
            {
                "key": "inne",
                "kind": "questions",
                "title": {"pl": "Inne"},
                "questions": [
                    {
                        "key": "cel",
                        "kind": "single",
                        "text": {"pl": "Cel wizyty"},
                        "options": [
                            {"value": "wniosek", "label": {"pl": "wniosek"}},
                            {"value": "informacja", "label": {"pl": "informacja"}},
                        ],
                    }
                ],
            },
        ],
    }


def test_the_default_survey_and_the_small_one_are_valid():
    assert errors(default_definition(), for_publish=True) == {}
    assert errors(small(), for_publish=True) == {}


@pytest.mark.parametrize("value", [2, "1", True, None, 1.0])
def test_unknown_format_is_refused(value):
    d = small()
    d["format"] = value

    found = errors(d)

    assert list(found) == ["format"]
    assert "Nieznany format" in found["format"]


def test_section_keys_must_be_there_and_unique():
    d = small()
    del d["sections"][0]["key"]
    d["sections"].append({**copy.deepcopy(d["sections"][1]), "title": {"pl": "Inne 2"}})
    d["sections"][2]["questions"][0]["key"] = "cel_2"

    found = errors(d)

    assert found["sections[0].key"] == "Sekcja „Obsługa”: brak klucza."
    assert "klucz „inne” ma już sekcja „Inne”" in found["sections[2].key"]


def test_question_keys_are_unique_across_the_whole_survey():
    d = small()
    d["sections"][1]["questions"][0]["key"] = "uprzejmosc"

    found = errors(d)

    assert found["sections[1].questions[0].key"].startswith("Pytanie „Cel wizyty”: klucz")
    assert "ma już pytanie „Uprzejmość”" in found["sections[1].questions[0].key"]


@pytest.mark.parametrize("key", ["", "Ocena", "1ocena", "ocena-ogolna", "ocena ogólna", "a" * 64])
def test_question_keys_follow_the_pattern(key):
    d = small()
    d["sections"][0]["questions"][0]["key"] = key

    found = errors(d)

    assert list(found) == ["sections[0].questions[0].key"]
    assert "Pytanie „Uprzejmość”" in found["sections[0].questions[0].key"]


def test_a_key_of_63_characters_is_fine():
    d = small()
    d["sections"][0]["questions"][0]["key"] = "a" * 63
    assert errors(d) == {}


def test_unknown_kinds_are_refused():
    d = small()
    d["sections"][0]["questions"][0]["kind"] = "slider"
    d["sections"][1]["kind"] = "page"

    found = errors(d)

    assert "nieznany rodzaj pytania „slider”" in found["sections[0].questions[0].kind"]
    assert "nieznany rodzaj sekcji „page”" in found["sections[1].kind"]


@pytest.mark.parametrize("options", [None, [], [{"value": "tak", "label": {"pl": "tak"}}]])
@pytest.mark.parametrize("kind", ["single", "multi"])
def test_a_choice_needs_two_options(kind, options):
    d = small()
    question = d["sections"][1]["questions"][0]
    question["kind"] = kind
    if options is None:
        del question["options"]
    else:
        question["options"] = options

    found = errors(d)

    assert found["sections[1].questions[0].options"] == (
        "Pytanie „Cel wizyty”: pytanie wyboru musi mieć co najmniej 2 odpowiedzi do wyboru."
    )


def test_option_values_are_unique_and_follow_the_pattern():
    d = small()
    options = d["sections"][1]["questions"][0]["options"]
    options.append({"value": "wniosek", "label": {"pl": "drugi wniosek"}})
    options.append({"value": "Inna sprawa", "label": {"pl": "inna"}})

    found = errors(d)

    assert "„wniosek” powtarza się" in found["sections[1].questions[0].options[2].value"]
    assert "odpowiedź „drugi wniosek”" in found["sections[1].questions[0].options[2].value"]
    assert "„Inna sprawa” jest niepoprawna" in found["sections[1].questions[0].options[3].value"]


def test_polish_is_required_for_every_title_text_and_label():
    d = small()
    d["title"] = {"en": "Survey"}
    d["sections"][0]["title"] = {"en": "Service"}
    d["sections"][0]["questions"][0]["text"] = {"pl": "   ", "en": "Courtesy"}
    d["sections"][1]["questions"][0]["options"][0]["label"] = {"en": "application"}

    found = errors(d)

    assert found["title"] == "Ankieta: brak tytułu po polsku — tekst polski jest wymagany."
    assert found["sections[0].title"].startswith("Sekcja o kluczu „obsluga”: brak tytułu")
    assert found["sections[0].questions[0].text"].startswith(
        "Pytanie o kluczu „uprzejmosc”: brak treści pytania po polsku"
    )
    assert found["sections[1].questions[0].options[0].label"].startswith(
        "Pytanie „Cel wizyty”, odpowiedź nr 1: brak etykiety po polsku"
    )


def test_a_missing_translation_is_not_an_error_but_is_listed():
    d = small()
    d["sections"][0]["questions"][0]["text"]["en"] = "Courtesy"

    assert errors(d) == {}
    missing = missing_translations(d, languages=["pl", "en", "uk"])
    assert set(missing) == {"en", "uk"}
    assert "sections[0].questions[0].text" not in missing["en"]
    assert "sections[0].questions[0].text" in missing["uk"]
    assert missing["en"][:2] == ["title", "scale.1"]
    assert "sections[1].questions[0].options[1].label" in missing["en"]


def test_the_default_survey_lacks_no_english():
    assert missing_translations(default_definition(), languages=["pl", "en"]) == {"en": []}


@pytest.mark.parametrize(
    ("path", "place", "limit"),
    [
        ("title", lambda d: d, 500),
        ("sections[0].title", lambda d: d["sections"][0], 500),
        ("sections[0].questions[0].text", lambda d: d["sections"][0]["questions"][0], 500),
        ("sections[0].help", lambda d: d["sections"][0], 1000),
        ("sections[0].questions[0].help", lambda d: d["sections"][0]["questions"][0], 1000),
        ("intro", lambda d: d, 1000),
    ],
)
def test_texts_have_length_limits(path, place, limit):
    d = small()
    name = path.rsplit(".", 1)[-1]
    place(d)[name] = {"pl": "x" * limit}
    assert errors(d) == {}

    place(d)[name] = {"pl": "x" * limit, "en": "x" * (limit + 1)}
    found = errors(d)

    assert list(found) == [path]
    assert f"(en) ma {limit + 1} znaków, a może mieć najwyżej {limit}" in found[path]


def test_option_and_scale_labels_have_a_limit_of_200():
    d = small()
    d["sections"][1]["questions"][0]["options"][1]["label"]["pl"] = "x" * 201
    d["scale"]["5"]["pl"] = "x" * 201

    found = errors(d)

    assert "najwyżej 200" in found["sections[1].questions[0].options[1].label"]
    assert "najwyżej 200" in found["scale.5"]


def test_the_scale_labels_every_point_from_1_to_5_in_polish():
    d = small()
    del d["scale"]["3"]
    d["scale"]["5"] = {"en": "very good"}
    d["scale"]["6"] = {"pl": "celująco"}

    found = errors(d)

    assert "skala ma zawsze 5 punktów" in found["scale.3"]
    assert found["scale.5"].startswith("Skala ocen, punkt 5: brak opisu punktu po polsku")
    assert "punktu „6” nie może mieć" in found["scale.6"]


def test_a_scale_of_fewer_than_two_points_is_refused():
    d = small()
    d["scale"] = {"1": {"pl": "źle"}}

    found = errors(d)

    assert set(found) == {"scale.2", "scale.3", "scale.4", "scale.5"}


def test_there_is_at_most_one_department_question():
    d = small()
    for n in (1, 2):
        d["sections"][1]["questions"].append(
            {"key": f"wydzial_{n}", "kind": "department", "text": {"pl": f"Wydział {n}"}}
        )

    found = errors(d)

    assert list(found) == ["sections[1].questions[2].kind"]
    assert (
        "tylko jedno pytanie o wydział, a jest już pytanie „Wydział 1”"
        in (found["sections[1].questions[2].kind"])
    )


@pytest.mark.parametrize(
    ("value", "ok"),
    [(1, True), (5000, True), (0, False), (5001, False), ("200", False), (True, False)],
)
def test_max_length_of_a_text_question_is_1_to_5000(value, ok):
    d = small()
    d["sections"][1]["questions"].append(
        {"key": "uwagi", "kind": "text", "text": {"pl": "Uwagi"}, "max_length": value}
    )

    found = errors(d)

    assert (found == {}) is ok
    if not ok:
        assert "od 1 do 5000" in found["sections[1].questions[1].max_length"]


def test_na_is_a_boolean_and_only_on_ratings():
    d = small()
    d["sections"][0]["questions"][0]["na"] = "tak"
    d["sections"][1]["questions"][0]["na"] = True
    d["sections"][1]["questions"][0]["max_length"] = 100

    found = errors(d)

    assert "musi mieć wartość true albo false" in found["sections[0].questions[0].na"]
    assert "pole „na” nie dotyczy pytań rodzaju „single”" in found["sections[1].questions[0].na"]
    assert "„max_length” nie dotyczy" in found["sections[1].questions[0].max_length"]


def _importance(area: str, key: str = "waznosc") -> dict:
    return {
        "key": key,
        "kind": "rating",
        "text": {"pl": "Jak ważna jest obsługa?"},
        "importance_of": area,
    }


def test_importance_of_names_an_area_section():
    d = small()
    d["sections"][1]["questions"].append(_importance("obsluga"))
    assert errors(d) == {}

    d["sections"][1]["questions"].append(_importance("inne", key="waznosc_inne"))
    d["sections"][1]["questions"].append(_importance("obsluga", key="waznosc_2"))
    d["sections"][1]["questions"][0]["importance_of"] = "obsluga"
    found = errors(d)

    assert (
        "musi wskazywać klucz sekcji-obszaru ocenianego, a „inne” nim nie jest"
        in (found["sections[1].questions[2].importance_of"])
    )
    assert (
        "pyta już pytanie „Jak ważna jest obsługa?”"
        in (found["sections[1].questions[3].importance_of"])
    )
    assert "nie dotyczy pytań rodzaju „single”" in found["sections[1].questions[0].importance_of"]


def test_an_importance_question_stays_out_of_the_area_it_would_be_counted_in():
    d = small()
    d["sections"][0]["questions"].append(_importance("obsluga"))

    found = errors(d)

    assert "nie może stać w sekcji-obszarze" in found["sections[0].questions[1].importance_of"]


def test_the_survey_has_at_least_one_question():
    d = small()
    for section in d["sections"]:
        section["questions"] = []

    found = errors(d)

    assert found == {"sections": "Ankieta musi mieć co najmniej jedno pytanie."}


def test_an_empty_section_may_be_saved_but_not_published():
    d = small()
    d["sections"].append({"key": "nowa", "kind": "area", "title": {"pl": "Nowa"}, "questions": []})

    assert errors(d) == {}
    assert (
        "Sekcja „Nowa” nie ma żadnego pytania"
        in errors(d, for_publish=True)["sections[2].questions"]
    )


def test_unknown_fields_and_languages_are_named():
    d = small()
    d["sections"][0]["questions"][0]["requried"] = True
    d["sections"][1]["questions"][0]["options"][0]["id"] = 7
    d["sections"][1]["title"]["fr"] = "Autres"

    found = errors(d)

    assert "nieznane pole „requried”" in found["sections[0].questions[0].requried"]
    assert "nieznane pole „id”" in found["sections[1].questions[0].options[0].id"]
    assert "w nieznanym języku „fr”" in found["sections[1].title"]


@pytest.mark.parametrize(
    "garbage",
    [
        None,
        [],
        "ankieta",
        {"format": 1},
        {"format": 1, "sections": "x"},
        {"format": 1, "title": "Ankieta", "sections": [None, 3, {"questions": [None, "q"]}]},
        {"format": 1, "title": {"pl": 5}, "scale": [], "sections": [{"questions": {}}]},
        {
            "format": 1,
            "sections": [
                {
                    "key": ["a"],
                    "kind": {},
                    "title": {"pl": "x"},
                    "questions": [
                        {
                            "key": 5,
                            "kind": ["rating"],
                            "options": 3,
                            "text": {"pl": "t"},
                            "importance_of": [],
                        }
                    ],
                }
            ],
        },
    ],
)
def test_anything_at_all_gives_errors_and_never_an_exception(garbage):
    found = definition_errors(garbage, languages=LANGS)

    assert found
    assert all(isinstance(e.path, str) and e.message for e in found)
