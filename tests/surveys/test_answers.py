"""surveys.answers.parse_answers: what a submitted form is checked against."""

import copy

import pytest
from django.http import QueryDict

from ocenurzad.surveys.answers import TamperedInput, parse_answers
from ocenurzad.surveys.default_definition import default_definition


def parse(definition, **fields):
    data = QueryDict(mutable=True)
    for key, value in fields.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return parse_answers(definition=definition, data=data, department_ids={7}, language="pl")


def added_question(definition, key):
    changed = copy.deepcopy(definition)
    changed["sections"][0]["questions"].append(
        {"key": key, "kind": "yesno", "text": {"pl": "Nowe pytanie?"}, "required": False}
    )
    return changed


def test_a_changed_definition_is_checked_as_it_is_now_not_as_it_was():
    before = default_definition()
    assert parse(before, q_ocena_ogolna="4").answers == {"ocena_ogolna": 4}
    with pytest.raises(TamperedInput):
        parse(before, q_ocena_ogolna="4", q_nowe="tak")

    after = added_question(before, "nowe")

    assert parse(after, q_ocena_ogolna="4", q_nowe="tak").answers == {
        "ocena_ogolna": 4,
        "nowe": "tak",
    }
    with pytest.raises(TamperedInput):  # the first definition still lacks it
        parse(before, q_ocena_ogolna="4", q_nowe="tak")


def test_a_remembered_plan_is_used_only_for_the_very_definition_it_was_made_for(monkeypatch):
    """Ids of freed objects recur: a plan found under a definition's id but made for
    another object must not be used."""
    from ocenurzad.surveys import answers

    old = default_definition()
    parse(old, q_ocena_ogolna="4")
    new = added_question(old, "nowe")
    # As if ``new`` had been given the id ``old`` had when its plan was made.
    monkeypatch.setitem(answers._FIELDS, id(new), answers._FIELDS[id(old)])

    assert parse(new, q_nowe="tak").answers == {"nowe": "tak"}


def test_many_definitions_one_after_another_are_each_checked_against_their_own():
    base = default_definition()
    for number in range(200):  # more than are kept at once; ids of freed ones recur
        definition = added_question(base, f"pytanie_{number}")
        assert parse(definition, **{f"q_pytanie_{number}": "nie"}).answers == {
            f"pytanie_{number}": "nie"
        }
        with pytest.raises(TamperedInput):
            parse(definition, **{f"q_pytanie_{number + 1}": "nie"})


@pytest.mark.parametrize(
    "fields",
    [
        {"q_ocena_ogolna": ["4", "5"]},  # one answer sent twice
        {"q_ocena_ogolna": "7"},
        {"q_wydzial": "8"} | {"q_nieznane": "1"},
    ],
)
def test_impossible_input_is_refused(fields):
    with pytest.raises(TamperedInput):
        parse(default_definition(), **fields)
