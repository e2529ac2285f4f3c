"""The survey editor in the panel: who may use it, each change through its POST form, a
stale page (409), refused input (400, named at the field), the preview, publishing (§ 5)."""

import re

import pytest
from django.contrib.messages import get_messages

from ocenurzad.accounts.models import Role, User
from ocenurzad.reports.models import ArchivedReport
from ocenurzad.surveys.models import SurveyVersion
from ocenurzad.surveys.selectors import survey_draft, survey_version_current
from ocenurzad.surveys.services import survey_draft_get_or_create, survey_draft_section_add

from .conftest import answer

pytestmark = pytest.mark.django_db

CONFLICT = (
    "Ktoś inny zmienił ten szkic w międzyczasie. Twoja zmiana nie została zapisana — "
    "odśwież stronę, sprawdź zmiany i wprowadź ją ponownie."
)


def url(office, suffix: str = "") -> str:
    return f"/{office.slug}/admin/ankieta/{suffix}"


def html(response) -> str:
    return response.content.decode()


def fresh(office) -> SurveyVersion:
    return survey_draft(office=office)


def keys_of(version, section_key: str) -> list[str]:
    section = next(s for s in version.definition["sections"] if s["key"] == section_key)
    return [q["key"] for q in section["questions"]]


def question(version, key: str) -> dict:
    return next(
        q for s in version.definition["sections"] for q in s["questions"] if q["key"] == key
    )


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def staff(office, other_office):
    def user(role, name, where=office):
        return User.objects.create_user(username=name, password="x", office=where, role=role)

    return {
        "admin": user(Role.OFFICE_ADMIN, "admin-here"),
        "reporter": user(Role.REPORTER, "reporter-here"),
        "clerk": user(Role.CLERK, "clerk-here"),
        "foreign": user(Role.OFFICE_ADMIN, "admin-there", other_office),
    }


@pytest.fixture
def editor(client, admin):
    client.force_login(admin)
    return client


def post(client, office, suffix, draft_or_revision, **data):
    revision = getattr(draft_or_revision, "revision", draft_or_revision)
    return client.post(url(office, suffix), {"revision": revision, **data})


# Who may use it


GET_PAGES = [
    "",
    "szkic/utworz/",
    "szkic/obszary/dodaj/",
    "szkic/",
    "szkic/podglad/",
    "szkic/opublikuj/",
    "szkic/odrzuc/",
    "szkic/skala/",
    "szkic/naglowek/",
    "szkic/obszary/wizerunek/",
    "szkic/obszary/wizerunek/usun/",
    "szkic/pytanie/wizerunek_parking/",
    "szkic/pytanie/wizerunek_parking/usun/",
]
POST_ACTIONS = [
    ("szkic/utworz/", {}),
    ("szkic/obszary/dodaj/", {"nowy-obszar-title_pl": "Nowy", "nowy-obszar-kind": "area"}),
    ("szkic/pytanie/wizerunek_parking/przesun/", {"direction": "up"}),
    ("szkic/pytanie/wizerunek_parking/usun/", {}),
    ("szkic/opublikuj/", {}),
]


@pytest.mark.parametrize("suffix", GET_PAGES)
def test_reporters_and_clerks_may_not_open_the_editor(client, office, staff, draft, suffix):
    for role in ("reporter", "clerk"):
        client.force_login(staff[role])
        assert client.get(url(office, suffix)).status_code == 403, role

    client.force_login(staff["admin"])
    assert client.get(url(office, suffix)).status_code == 200


@pytest.mark.parametrize("suffix", GET_PAGES)
def test_another_offices_admin_gets_404(client, office, staff, draft, suffix):
    client.force_login(staff["foreign"])
    assert client.get(url(office, suffix)).status_code == 404


@pytest.mark.parametrize(("suffix", "data"), POST_ACTIONS)
def test_no_change_without_the_permission(client, office, staff, draft, suffix, data):
    before = fresh(office).revision
    for role in ("reporter", "clerk"):
        client.force_login(staff[role])
        assert post(client, office, suffix, draft, **data).status_code == 403
    client.force_login(staff["foreign"])
    assert post(client, office, suffix, draft, **data).status_code == 404
    assert fresh(office).revision == before
    assert survey_version_current(office=office).number == 1


def test_another_offices_version_is_404_for_every_use(client, office, other_office, staff):
    theirs = survey_version_current(office=other_office)
    client.force_login(staff["admin"])

    assert client.get(url(office, f"wersje/{theirs.pk}/")).status_code == 404
    assert client.post(url(office, "szkic/utworz/"), {"base_version": theirs.pk}).status_code == 404
    assert client.get(url(office, "wersje/999999/")).status_code == 404
    assert survey_draft(office=office) is None
    assert survey_draft(office=other_office) is None


def test_a_draft_cannot_be_the_base_of_a_draft(editor, office, draft):
    response = editor.post(url(office, "szkic/utworz/"), {"base_version": "nie-liczba"})
    assert response.status_code == 404


# The overview and the history


def test_the_overview_shows_the_current_version_and_offers_a_draft(editor, office):
    page = html(editor.get(url(office)))

    assert "SWINOUJSCIE-V1" in page
    assert "Utwórz szkic zmian" in page
    assert "Nowy szkic na podstawie wersji SWINOUJSCIE-V1" in page


def test_creating_a_draft_opens_the_editor(editor, office, admin):
    response = editor.post(url(office, "szkic/utworz/"))

    draft = fresh(office)
    assert draft.created_by == admin
    assert response.status_code == 302
    assert response["Location"] == url(office, f"szkic/#szkic-{draft.pk}")
    assert "Utworzono szkic nowej wersji" in flash(response)[0]


def test_the_overview_with_a_draft_offers_its_actions_and_the_history(editor, office, draft):
    answer(office, office.survey.current_version)
    page = html(editor.get(url(office)))

    for label in ("Edytuj szkic", "Podgląd", "Opublikuj", "Odrzuć szkic"):
        assert f">{label}</a>" in page
    assert "Utwórz szkic zmian" not in page
    # the history: both versions, the current one with its one response
    row = re.search(r"<th scope=\"row\">SWINOUJSCIE-V1</th>(.*?)</tr>", page, re.S).group(1)
    assert "obecna" in row and "<td>1</td>" in row
    assert '<th scope="row">SWINOUJSCIE-V2</th>' in page


def test_a_version_is_shown_read_only(editor, office):
    version = survey_version_current(office=office)
    page = html(editor.get(url(office, f"wersje/{version.pk}/")))

    assert "Wersja SWINOUJSCIE-V1" in page
    assert "Lokalizacja Urzędu" in page and "wizerunek_lokalizacja" in page
    # nothing to change here: the only forms are logging out and starting a draft from it
    actions = re.findall(r'<form method="post" action="([^"]+)"', page)
    assert actions == [f"/{office.slug}/admin/wyloguj/", url(office, "szkic/utworz/")]


def test_a_new_draft_from_an_older_version(editor, office, admin, draft):
    services_publish(office, admin, draft)
    first = SurveyVersion.objects.get(office=office, number=1)

    response = editor.post(url(office, "szkic/utworz/"), {"base_version": first.pk})

    assert response.status_code == 302
    assert fresh(office).based_on == first


def test_starting_another_draft_while_one_exists_is_refused(editor, office, admin, draft):
    services_publish(office, admin, draft)  # v2 current; now a draft from v2 …
    survey_draft_get_or_create(office=office, actor=admin)
    first = SurveyVersion.objects.get(office=office, number=1)

    # … and someone asks for a draft from v1
    response = editor.post(url(office, "szkic/utworz/"), {"base_version": first.pk})

    assert response.status_code == 409
    assert "Ankieta ma już szkic" in html(response)
    assert fresh(office).based_on.number == 2


def services_publish(office, admin, draft):
    from ocenurzad.surveys.services import survey_version_publish

    return survey_version_publish(office=office, actor=admin, draft=draft)


# The editor's operations


def test_the_editor_lists_sections_and_questions_with_named_buttons(editor, office, draft):
    page = html(editor.get(url(office, "szkic/")))

    assert 'id="obszar-wizerunek"' in page
    assert 'id="pytanie-wizerunek_parking"' in page
    assert 'Przesuń w górę<span class="visually-hidden">: Lokalizacja Urzędu</span>' in page
    assert "Dodaj pytanie do obszaru: Wizerunek Urzędu" in page
    # every form carries the draft's revision
    forms = re.findall(r"<form method=\"post\"(.*?)</form>", page, re.S)
    editing = [f for f in forms if "/ankieta/szkic/" in f]
    assert editing and all(
        f'name="revision" value="{draft.revision}"' in f
        or f'-revision" value="{draft.revision}"' in f
        for f in editing
    )
    assert " style=" not in page and "<script" not in page


def test_adding_a_question_to_an_area(editor, office, draft):
    response = post(
        editor,
        office,
        "szkic/obszary/wizerunek/dodaj-pytanie/",
        draft,
        **{
            "dodaj-wizerunek-revision": draft.revision,
            "dodaj-wizerunek-kind": "rating",
            "dodaj-wizerunek-text_pl": "Dostępność toalet",
            "dodaj-wizerunek-key": "wizerunek_toalety",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == url(office, "szkic/pytanie/wizerunek_toalety/#pytanie")
    saved = fresh(office)
    assert keys_of(saved, "wizerunek")[-1] == "wizerunek_toalety"
    assert question(saved, "wizerunek_toalety")["text"] == {"pl": "Dostępność toalet"}
    assert saved.revision == draft.revision + 1


def test_an_empty_key_is_made_from_the_question(editor, office, draft):
    response = editor.post(
        url(office, "szkic/obszary/wizerunek/dodaj-pytanie/"),
        {
            "dodaj-wizerunek-revision": draft.revision,
            "dodaj-wizerunek-kind": "yesno",
            "dodaj-wizerunek-text_pl": "Czy łatwo było znaleźć pokój?",
            "dodaj-wizerunek-key": "",
        },
    )

    assert response.status_code == 302
    assert "czy_latwo_bylo_znalezc_pokoj" in keys_of(fresh(office), "wizerunek")


def test_editing_a_question_in_every_language(editor, office, draft):
    page = html(editor.get(url(office, "szkic/pytanie/wizerunek_parking/")))
    assert 'lang="en"' in page
    assert 'name="text_en"' in page and 'name="max_length"' not in page

    response = post(
        editor,
        office,
        "szkic/pytanie/wizerunek_parking/",
        draft,
        text_pl="Parking przy urzędzie",
        text_en="",
        help_pl="Liczba miejsc i ich oznakowanie.",
        required="on",
    )

    assert response.status_code == 302
    assert response["Location"] == url(office, "szkic/#pytanie-wizerunek_parking")
    saved = question(fresh(office), "wizerunek_parking")
    assert saved["text"] == {"pl": "Parking przy urzędzie"}  # the emptied English is gone
    assert saved["help"] == {"pl": "Liczba miejsc i ich oznakowanie."}
    assert saved["required"] is True
    assert saved["na"] is False
    assert flash(response) == ["Zapisano pytanie „Parking przy urzędzie”."]


def test_an_untranslated_text_says_the_language_is_not_offered_without_it(editor, office, draft):
    post(editor, office, "szkic/pytanie/wizerunek_parking/", draft, text_pl="Parking")

    page = html(editor.get(url(office, "szkic/pytanie/wizerunek_parking/")))
    assert "Brak tłumaczenia — dopóki go nie ma, ten język nie jest oferowany mieszkańcom." in page
    editor_page = html(editor.get(url(office, "szkic/")))
    assert "Brakujące tłumaczenia" in editor_page
    link = url(office, "szkic/pytanie/wizerunek_parking/#id_text_en")
    assert f'<a href="{link}">Pytanie „Parking” — treść</a>' in editor_page


def test_moving_a_question_up_and_down(editor, office, draft):
    response = post(
        editor, office, "szkic/pytanie/wizerunek_parking/przesun/", draft, direction="up"
    )

    assert response.status_code == 302
    assert response["Location"] == url(office, "szkic/#pytanie-wizerunek_parking-w-gore")
    assert flash(response) == ["Przesunięto w górę: Dostępność i liczba miejsc parkingowych."]
    order = keys_of(fresh(office), "wizerunek")
    assert order[1:3] == ["wizerunek_parking", "wizerunek_oznakowanie"]

    post(
        editor, office, "szkic/pytanie/wizerunek_parking/przesun/", fresh(office), direction="down"
    )
    assert keys_of(fresh(office), "wizerunek")[2] == "wizerunek_parking"


def test_moving_the_first_question_up_takes_it_to_the_area_above(editor, office, draft):
    response = post(
        editor, office, "szkic/pytanie/podejscie_godziny/przesun/", draft, direction="up"
    )

    assert keys_of(fresh(office), "wizerunek")[-1] == "podejscie_godziny"
    assert "Pytanie jest teraz w obszarze „Wizerunek Urzędu”." in flash(response)[0]


def test_removing_a_question_asks_first(editor, office, draft):
    confirm = editor.get(url(office, "szkic/pytanie/metryka_plec/usun/"))
    assert "Usunąć pytanie „Płeć”?" in html(confirm)
    assert "metryka_plec" in keys_of(fresh(office), "metryka")

    response = post(editor, office, "szkic/pytanie/metryka_plec/usun/", draft)

    assert response.status_code == 302
    assert response["Location"] == url(office, "szkic/#obszar-metryka")
    assert "metryka_plec" not in keys_of(fresh(office), "metryka")


def test_sections_are_added_renamed_moved_and_removed(editor, office, draft):
    response = editor.post(
        url(office, "szkic/obszary/dodaj/"),
        {
            "nowy-obszar-revision": draft.revision,
            "nowy-obszar-title_pl": "Obsługa telefoniczna",
            "nowy-obszar-kind": "area",
            "nowy-obszar-key": "",
        },
    )
    assert response["Location"] == url(office, "szkic/#obszar-obsluga_telefoniczna")
    keys = [s["key"] for s in fresh(office).definition["sections"]]
    assert keys[-1] == "obsluga_telefoniczna"

    response = post(
        editor,
        office,
        "szkic/obszary/obsluga_telefoniczna/",
        fresh(office),
        title_pl="Obsługa przez telefon",
        title_en="Service by phone",
        help_pl="",
        help_en="",
    )
    assert response.status_code == 302
    section = fresh(office).definition["sections"][-1]
    assert section["title"] == {"pl": "Obsługa przez telefon", "en": "Service by phone"}

    post(
        editor, office, "szkic/obszary/obsluga_telefoniczna/przesun/", fresh(office), direction="up"
    )
    assert [s["key"] for s in fresh(office).definition["sections"]][-2] == "obsluga_telefoniczna"

    response = post(editor, office, "szkic/obszary/obsluga_telefoniczna/usun/", fresh(office))
    assert response.status_code == 302
    assert "obsluga_telefoniczna" not in [s["key"] for s in fresh(office).definition["sections"]]


def test_answers_of_a_choice_question(editor, office, draft):
    prefix = "szkic/pytanie/sprawa_zalatwiona/odpowiedzi/"
    response = editor.post(
        url(office, prefix + "dodaj/"),
        {
            "nowa-odpowiedz-revision": draft.revision,
            "nowa-odpowiedz-label_pl": "nie wiem",
            "nowa-odpowiedz-value": "",
        },
    )
    assert response["Location"] == url(
        office, "szkic/pytanie/sprawa_zalatwiona/#odpowiedz-nie_wiem"
    )
    response = editor.post(
        url(office, prefix + "nie_wiem/"),
        {
            "odp-nie_wiem-revision": fresh(office).revision,
            "odp-nie_wiem-label_pl": "nie wiem",
            "odp-nie_wiem-label_en": "don't know",
        },
    )
    assert response.status_code == 302
    post(editor, office, prefix + "nie_wiem/przesun/", fresh(office), direction="up")
    options = question(fresh(office), "sprawa_zalatwiona")["options"]
    assert [o["value"] for o in options] == ["tak", "czesciowo", "nie_wiem", "nie"]
    assert options[2]["label"] == {"pl": "nie wiem", "en": "don't know"}

    post(editor, office, prefix + "czesciowo/usun/", fresh(office))
    options = question(fresh(office), "sprawa_zalatwiona")["options"]
    assert [o["value"] for o in options] == ["tak", "nie_wiem", "nie"]


def test_scale_labels_and_the_title(editor, office, draft):
    labels = {
        f"scale_{p}_{lang}": "" for p in ("1", "2", "3", "4", "5", "na") for lang in ("pl", "en")
    }
    labels.update({f"scale_{p}_pl": f"ocena {p}" for p in "12345"})
    labels["scale_na_pl"] = "nie dotyczy"
    labels["scale_3_en"] = "average"
    response = post(editor, office, "szkic/skala/", draft, **labels)
    assert response.status_code == 302
    scale = fresh(office).definition["scale"]
    assert scale["3"] == {"pl": "ocena 3", "en": "average"}
    assert scale["1"] == {"pl": "ocena 1"}

    response = post(
        editor,
        office,
        "szkic/naglowek/",
        fresh(office),
        title_pl="Jak Cię obsłużyliśmy?",
        title_en="How did we serve you?",
        intro_pl="",
        intro_en="",
    )
    assert response.status_code == 302
    definition = fresh(office).definition
    assert definition["title"] == {"pl": "Jak Cię obsłużyliśmy?", "en": "How did we serve you?"}
    assert "intro" not in definition


def test_discarding_the_draft(editor, office, draft):
    assert "Odrzucić szkic ankiety?" in html(editor.get(url(office, "szkic/odrzuc/")))

    response = post(editor, office, "szkic/odrzuc/", draft)

    assert response.status_code == 302
    assert survey_draft(office=office) is None
    assert survey_version_current(office=office).number == 1


# Someone else changed the draft meanwhile


def test_a_stale_question_form_is_refused_with_the_input_kept(editor, office, admin, draft):
    # Given someone else saved the draft after this page was loaded
    survey_draft_section_add(
        office=office,
        actor=admin,
        draft=draft,
        revision=draft.revision,
        key="inne",
        kind="questions",
        title_pl="Inne",
    )
    stored = fresh(office)

    response = post(
        editor, office, "szkic/pytanie/wizerunek_parking/", draft, text_pl="Mój nowy tekst"
    )

    assert response.status_code == 409
    page = html(response)
    assert CONFLICT in page
    assert 'value="Mój nowy tekst"' in page  # what was typed is kept
    assert f'name="revision" value="{stored.revision}"' in page  # a new try may be sent
    after = fresh(office)
    assert after.revision == stored.revision
    assert question(after, "wizerunek_parking")["text"]["pl"] == (
        "Dostępność i liczba miejsc parkingowych"
    )


@pytest.mark.parametrize(
    ("suffix", "data"),
    [
        ("szkic/pytanie/wizerunek_parking/przesun/", {"direction": "up"}),
        ("szkic/obszary/wizerunek/przesun/", {"direction": "down"}),
        ("szkic/pytanie/wizerunek_parking/usun/", {}),
        ("szkic/obszary/metryka/usun/", {}),
        ("szkic/pytanie/sprawa_zalatwiona/odpowiedzi/nie/przesun/", {"direction": "up"}),
        ("szkic/pytanie/sprawa_zalatwiona/odpowiedzi/nie/usun/", {}),
        ("szkic/opublikuj/", {}),
    ],
)
def test_every_stale_action_is_refused_and_changes_nothing(
    editor, office, admin, draft, suffix, data
):
    survey_draft_section_add(
        office=office,
        actor=admin,
        draft=draft,
        revision=draft.revision,
        key="inne",
        kind="questions",
        title_pl="Inne",
    )
    stored = fresh(office)

    response = post(editor, office, suffix, draft, **data)

    assert response.status_code == 409
    assert "Ktoś inny zmienił ten szkic w międzyczasie" in html(response)
    assert fresh(office).definition == stored.definition
    assert fresh(office).revision == stored.revision
    assert survey_version_current(office=office).number == 1


def test_a_stale_add_keeps_the_typed_question(editor, office, admin, draft):
    survey_draft_section_add(
        office=office,
        actor=admin,
        draft=draft,
        revision=draft.revision,
        key="inne",
        kind="questions",
        title_pl="Inne",
    )
    response = editor.post(
        url(office, "szkic/obszary/wizerunek/dodaj-pytanie/"),
        {
            "dodaj-wizerunek-revision": draft.revision,
            "dodaj-wizerunek-kind": "rating",
            "dodaj-wizerunek-text_pl": "Dostępność toalet",
            "dodaj-wizerunek-key": "wizerunek_toalety",
        },
    )

    assert response.status_code == 409
    page = html(response)
    assert CONFLICT in page
    assert 'value="Dostępność toalet"' in page
    assert "wizerunek_toalety" not in keys_of(fresh(office), "wizerunek")


def test_a_question_removed_by_someone_else_is_a_conflict_not_a_404(editor, office, admin, draft):
    from ocenurzad.surveys.services import survey_draft_question_remove

    survey_draft_question_remove(
        office=office, actor=admin, draft=draft, revision=draft.revision, key="wizerunek_parking"
    )

    response = post(editor, office, "szkic/pytanie/wizerunek_parking/", draft, text_pl="X")

    assert response.status_code == 409
    assert CONFLICT in html(response)


# Refused input: named at the top (linked) and at the field


def test_an_empty_polish_text_is_named_at_the_field(editor, office, draft):
    response = post(
        editor, office, "szkic/pytanie/wizerunek_parking/", draft, text_pl="  ", text_en="Parking"
    )

    assert response.status_code == 400
    page = html(response)
    assert (
        '<a href="#id_text_pl">Treść pytania (polski): Wpisz treść pytania po polsku.</a>' in page
    )
    assert 'id="id_text_pl_error"' in page
    assert 'aria-invalid="true"' in page
    assert 'value="Parking"' in page
    assert fresh(office).revision == draft.revision


def test_a_duplicate_key_is_named_at_the_key_field(editor, office, draft):
    response = editor.post(
        url(office, "szkic/obszary/podejscie/dodaj-pytanie/"),
        {
            "dodaj-podejscie-revision": draft.revision,
            "dodaj-podejscie-kind": "rating",
            "dodaj-podejscie-text_pl": "Jeszcze raz lokalizacja",
            "dodaj-podejscie-key": "wizerunek_lokalizacja",
        },
    )

    assert response.status_code == 400
    page = html(response)
    assert 'href="#id_dodaj-podejscie-key"' in page
    assert 'id="id_dodaj-podejscie-key_error"' in page
    assert "Klucz „wizerunek_lokalizacja” ma już pytanie „Lokalizacja Urzędu”" in page
    assert '<details class="editor-add" open>' in page
    assert fresh(office).revision == draft.revision


def test_a_malformed_key_is_refused_by_the_form(editor, office, draft):
    response = editor.post(
        url(office, "szkic/obszary/podejscie/dodaj-pytanie/"),
        {
            "dodaj-podejscie-revision": draft.revision,
            "dodaj-podejscie-kind": "rating",
            "dodaj-podejscie-text_pl": "Test",
            "dodaj-podejscie-key": "Źle Klucz",
        },
    )

    assert response.status_code == 400
    assert "Klucz pytania: Klucz może zawierać tylko małe litery" in html(response)


def test_a_choice_question_keeps_at_least_two_answers(editor, office, draft):
    prefix = "szkic/pytanie/metryka_zamieszkanie/odpowiedzi/"
    response = post(editor, office, prefix + "gmina/usun/", draft)

    assert response.status_code == 400
    assert "musi mieć co najmniej 2 odpowiedzi do wyboru" in html(response)
    assert len(question(fresh(office), "metryka_zamieszkanie")["options"]) == 2


def test_publishing_an_empty_area_is_refused_with_a_link_to_it(editor, office, admin, draft):
    survey_draft_section_add(
        office=office,
        actor=admin,
        draft=draft,
        revision=draft.revision,
        key="inne",
        kind="questions",
        title_pl="Inne",
    )

    response = post(editor, office, "szkic/opublikuj/", fresh(office))

    assert response.status_code == 400
    page = html(response)
    assert "Sekcja „Inne” nie ma żadnego pytania" in page
    assert f'href="{url(office, "szkic/#obszar-inne")}"' in page
    assert fresh(office).status == SurveyVersion.Status.DRAFT
    assert not ArchivedReport.objects.filter(office=office).exists()


@pytest.mark.parametrize(
    ("suffix", "data"),
    [
        ("szkic/pytanie/wizerunek_parking/przesun/", {"direction": "w bok"}),
        ("szkic/pytanie/wizerunek_parking/przesun/", {"revision": "x", "direction": "up"}),
        ("szkic/pytanie/wizerunek_parking/", {"revision": ""}),
        ("szkic/obszary/dodaj/", {"revision": ""}),
        ("szkic/opublikuj/", {"revision": "-1"}),
    ],
)
def test_a_form_that_is_not_ours_is_a_400_and_changes_nothing(editor, office, draft, suffix, data):
    response = editor.post(url(office, suffix), {"revision": draft.revision, **data})

    assert response.status_code == 400
    assert fresh(office).revision == draft.revision


def test_an_unknown_key_is_a_404(editor, office, draft):
    assert editor.get(url(office, "szkic/pytanie/nie_ma_takiego/")).status_code == 404
    assert editor.get(url(office, "szkic/obszary/nie_ma/")).status_code == 404
    response = post(editor, office, "szkic/pytanie/nie_ma/przesun/", draft, direction="up")
    assert response.status_code == 404


def test_a_change_after_the_draft_was_published_saves_nothing(editor, office, admin, draft):
    services_publish(office, admin, draft)

    response = post(
        editor, office, "szkic/pytanie/wizerunek_parking/przesun/", draft, direction="up"
    )

    assert response.status_code == 302
    assert response["Location"] == url(office, "#szkic")
    assert "Twoja zmiana nie została zapisana" in flash(response)[0]
    # and the draft pages say there is none
    assert "Brak szkicu ankiety" in html(editor.get(url(office, "szkic/")))


# Preview


def test_the_preview_shows_the_new_question_and_cannot_be_submitted(editor, office, admin, draft):
    from ocenurzad.surveys.services import survey_draft_question_add, survey_draft_question_update

    draft = survey_draft_question_add(
        office=office,
        actor=admin,
        draft=draft,
        revision=draft.revision,
        section_key="wizerunek",
        kind="rating",
        key="wizerunek_toalety",
        text_pl="Toalety",
    )
    survey_draft_question_update(
        office=office,
        actor=admin,
        draft=draft,
        revision=draft.revision,
        key="wizerunek_toalety",
        fields={"text": {"pl": "Toalety", "en": "Toilets"}},
    )

    page = html(editor.get(url(office, "szkic/podglad/")))
    assert "Podgląd szkicu — ankieta nie jest jeszcze opublikowana" in page
    assert '<legend class="q-text">Toalety</legend>' in page
    assert 'name="token"' not in page
    assert 'method="post"' not in page.split("</nav>", 1)[-1].split('class="panel-links"')[0]
    assert '<button type="submit"' not in page
    assert " disabled" in page

    english = html(editor.get(url(office, "szkic/podglad/?lang=en")))
    assert '<legend class="q-text">Toilets</legend>' in english
    assert '<html lang="en">' in english
    # the resident page still has the published version
    assert "Toalety" not in html(editor.get(f"/{office.slug}/"))


def test_the_preview_draws_questions_exactly_like_the_resident_page(editor, office, draft):
    def sections(page):
        return page[page.index('<section class="survey-section"') : page.rindex("</section>") + 10]

    resident = html(editor.get(f"/{office.slug}/?lang=en"))
    preview = html(editor.get(url(office, "szkic/podglad/?lang=en")))

    assert sections(preview) == sections(resident)


@pytest.mark.parametrize("lang", ["pl", "en", "uk"])
def test_the_preview_says_what_the_resident_page_says_before_the_questions(
    editor, office, draft, lang
):
    # The manual: the preview shows the draft exactly as residents will see it. The
    # paragraphs between the title and the first area are the page's own words.
    def before_questions(page):
        start = page.index("</h1>")
        return page[start : page.index('<section class="survey-section"', start)]

    def paragraphs(page):
        return re.findall(r"<p>(.*?)</p>", before_questions(page), re.S)

    resident = html(editor.get(f"/{office.slug}/?lang={lang}"))
    preview = html(editor.get(url(office, f"szkic/podglad/?lang={lang}")))

    assert paragraphs(preview) == paragraphs(resident)


def test_the_printable_preview_is_a_pdf_of_the_draft(editor, office, draft):
    response = editor.get(url(office, "szkic/podglad.pdf?lang=en"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "szkic-ankiety-swinoujscie-en.pdf" in response["Content-Disposition"]


# Publishing (§ 5 of the ordinance)


def test_the_publish_page_explains_what_happens(editor, office, draft):
    page = html(editor.get(url(office, "szkic/opublikuj/")))

    assert "Opublikować szkic jako wersję SWINOUJSCIE-V2?" in page
    assert "raport ze wszystkich dotychczasowych wyników" in page
    assert "§ 5" in page
    assert "Kartki starszych wersji" in page


def test_publishing_makes_the_draft_current_after_archiving_a_report(editor, office, admin, draft):
    answer(office, office.survey.current_version)

    response = post(editor, office, "szkic/opublikuj/", draft)

    assert response.status_code == 302
    assert response["Location"] == url(office, "#obecna")
    current = survey_version_current(office=office)
    assert current.pk == draft.pk and current.number == 2
    assert current.published_by == admin
    report = ArchivedReport.objects.get(office=office)
    assert report.reason == ArchivedReport.Reason.BEFORE_SURVEY_CHANGE
    message = flash(response)[0]
    assert "Opublikowano wersję SWINOUJSCIE-V2" in message
    assert f'href="/{office.slug}/admin/raporty/archiwum/{report.pk}/pdf/"' in message
    overview = html(editor.get(url(office)))
    assert "Raporty zapisane przed zmianami ankiety" in overview


def test_when_the_report_fails_nothing_is_published(editor, office, draft, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("ocenurzad.workflows.visible_changes.report_so_far_compute", broken)

    response = post(editor, office, "szkic/opublikuj/", draft)

    assert response.status_code == 409
    page = html(response)
    assert "Ankieta nie została opublikowana" in page
    assert "Nic się nie zmieniło" in page
    assert "Nie udało się przygotować raportu" in page
    assert survey_version_current(office=office).number == 1
    assert fresh(office).pk == draft.pk
    assert not ArchivedReport.objects.filter(office=office).exists()


def test_without_a_draft_the_draft_pages_offer_to_start_one(editor, office):
    for suffix in ("szkic/", "szkic/podglad/", "szkic/opublikuj/", "szkic/podglad.pdf"):
        response = editor.get(url(office, suffix))
        assert response.status_code == 200
        assert "Utwórz szkic zmian" in html(response)
