"""The questionnaire every new office starts with (shared/reference/questionnaire.md).

Questions are data with stable keys; texts are per language, Polish required. The
resident-facing form, paper entry, the printable PDF and reports all read this shape:

    {"format": 1, "title": {...}, "intro": {...}, "scale": {"1": {...}, …, "na": {...}},
     "sections": [{"key", "title", "kind": "area"|"questions", "help"?,
                   "questions": [{"key", "kind", "text", "required", "na"?, "options"?,
                                  "help"?, "max_length"?}]}]}

Question kinds: rating (1–5, optional "nie dotyczy"), single, multi, department, yesno,
text.
"""

import copy


def _t(pl: str, en: str) -> dict:
    return {"pl": pl, "en": en}


def _rating(key: str, pl: str, en: str) -> dict:
    return {"key": key, "kind": "rating", "text": _t(pl, en), "required": False, "na": True}


def _options(*pairs: tuple[str, str, str]) -> list[dict]:
    return [{"value": value, "label": _t(pl, en)} for value, pl, en in pairs]


DEFAULT_DEFINITION = {
    "format": 1,
    "title": _t("Badanie satysfakcji klienta", "Customer satisfaction survey"),
    "intro": _t(
        "Ankieta jest anonimowa i zajmie około 5 minut. Twoje odpowiedzi pomogą nam "
        "lepiej obsługiwać mieszkańców.",
        "The survey is anonymous and takes about 5 minutes. Your answers help us serve "
        "residents better.",
    ),
    "scale": {
        "1": _t("bardzo słabo", "very poor"),
        "2": _t("słabo", "poor"),
        "3": _t("dostatecznie", "fair"),
        "4": _t("dobrze", "good"),
        "5": _t("bardzo dobrze", "very good"),
        "na": _t("nie dotyczy", "not applicable"),
    },
    "sections": [
        {
            "key": "wizyta",
            "kind": "questions",
            "title": _t("Twoja wizyta", "Your visit"),
            "questions": [
                {
                    "key": "wydzial",
                    "kind": "department",
                    "text": _t(
                        "W którym wydziale lub biurze załatwiał(a) Pan/Pani sprawę?",
                        "Which department or office handled your matter?",
                    ),
                    "required": True,
                },
                {
                    "key": "cel_wizyty",
                    "kind": "single",
                    "text": _t("Cel wizyty", "Purpose of the visit"),
                    "required": False,
                    "options": _options(
                        ("zlozenie_wniosku", "złożenie wniosku", "submitting an application"),
                        ("odbior_dokumentu", "odbiór dokumentu", "collecting a document"),
                        ("informacja", "uzyskanie informacji", "getting information"),
                        ("uzupelnienie", "uzupełnienie dokumentów", "completing documents"),
                        ("skarga_wniosek", "skarga lub wniosek", "complaint or request"),
                        ("inna", "inna sprawa", "other matter"),
                    ),
                },
            ],
        },
        {
            "key": "wizerunek",
            "kind": "area",
            "title": _t("Wizerunek Urzędu", "Image of the office"),
            "questions": [
                _rating("wizerunek_lokalizacja", "Lokalizacja Urzędu", "Location of the office"),
                _rating("wizerunek_oznakowanie", "Oznakowanie Urzędu", "Signage in the office"),
                _rating(
                    "wizerunek_parking",
                    "Dostępność i liczba miejsc parkingowych",
                    "Availability and number of parking spaces",
                ),
                _rating(
                    "wizerunek_strona",
                    "Atrakcyjność i przejrzystość strony internetowej Urzędu",
                    "Appeal and clarity of the office's website",
                ),
                _rating(
                    "wizerunek_czystosc",
                    "Czystość pomieszczeń Urzędu",
                    "Cleanliness of the office's rooms",
                ),
                _rating(
                    "wizerunek_ubior",
                    "Schludność ubioru urzędników",
                    "Neat appearance of the staff",
                ),
            ],
        },
        {
            "key": "podejscie",
            "kind": "area",
            "title": _t("Indywidualne podejście do Klienta", "Individual approach to the client"),
            "questions": [
                _rating("podejscie_godziny", "Godziny przyjęć interesantów", "Opening hours"),
                _rating("podejscie_formularze", "Czytelność formularzy", "Clarity of forms"),
                _rating(
                    "podejscie_zaangazowanie",
                    "Zaangażowanie wobec Klienta",
                    "Commitment to the client",
                ),
                _rating("podejscie_szacunek", "Szacunek wobec Klienta", "Respect for the client"),
            ],
        },
        {
            "key": "kompetencje",
            "kind": "area",
            "title": _t("Kompetencje urzędników", "Competence of the staff"),
            "questions": [
                _rating("kompetencje_wiedza", "Wiedza merytoryczna", "Subject knowledge"),
                _rating(
                    "kompetencje_informacja",
                    "Udzielanie pełnej informacji na temat załatwianej sprawy",
                    "Giving full information about the matter",
                ),
                _rating("kompetencje_watpliwosci", "Rozwiewanie wątpliwości", "Clearing up doubts"),
                _rating(
                    "kompetencje_jezyk", "Zrozumiały sposób wypowiedzi", "Clear way of speaking"
                ),
                _rating(
                    "kompetencje_uprzejmosc",
                    "Uprzejmość i życzliwość wobec Klienta",
                    "Courtesy and kindness towards the client",
                ),
                _rating(
                    "kompetencje_pomoc", "Pomoc w załatwieniu sprawy", "Help in settling the matter"
                ),
            ],
        },
        {
            "key": "terminowosc",
            "kind": "area",
            "title": _t("Terminowość obsługi sprawy", "Timeliness of service"),
            "questions": [
                _rating(
                    "terminowosc_oczekiwanie",
                    "Czas oczekiwania na obsługę",
                    "Waiting time before being served",
                ),
                _rating(
                    "terminowosc_szybkosc",
                    "Szybkość obsługi na stanowisku",
                    "Speed of service at the desk",
                ),
                _rating(
                    "terminowosc_informacja",
                    "Informacja o terminie załatwienia sprawy",
                    "Information on when the matter will be settled",
                ),
                _rating(
                    "terminowosc_dotrzymanie",
                    "Dotrzymanie terminu załatwienia sprawy",
                    "Keeping the deadline for settling the matter",
                ),
            ],
        },
        {
            "key": "rzetelnosc",
            "kind": "area",
            "title": _t("Rzetelność obsługi", "Reliability of service"),
            "questions": [
                _rating(
                    "rzetelnosc_obiektywizm",
                    "Obiektywizm w załatwieniu sprawy",
                    "Objectivity in settling the matter",
                ),
                _rating(
                    "rzetelnosc_przepisy",
                    "Zgodność załatwienia sprawy z przepisami",
                    "Compliance with the law",
                ),
                _rating(
                    "rzetelnosc_przejrzystosc",
                    "Przejrzystość załatwienia sprawy",
                    "Transparency of the procedure",
                ),
                _rating("rzetelnosc_starannosc", "Staranność obsługi", "Care in service"),
            ],
        },
        {
            "key": "podsumowanie",
            "kind": "questions",
            "title": _t("Podsumowanie", "Summary"),
            "questions": [
                {
                    "key": "ocena_ogolna",
                    "kind": "rating",
                    "text": _t(
                        "Jak ogólnie ocenia Pan/Pani obsługę w Urzędzie?",
                        "Overall, how do you rate the service at the office?",
                    ),
                    "required": True,
                    "na": False,
                },
                {
                    "key": "sprawa_zalatwiona",
                    "kind": "single",
                    "text": _t("Czy sprawa została załatwiona?", "Was your matter settled?"),
                    "required": False,
                    "options": _options(
                        ("tak", "tak", "yes"),
                        ("czesciowo", "częściowo", "partly"),
                        ("nie", "nie", "no"),
                    ),
                },
                {
                    "key": "co_poprawic",
                    "kind": "text",
                    "text": _t("Co powinniśmy poprawić?", "What should we improve?"),
                    "help": _t(
                        "Prosimy nie podawać imienia, nazwiska ani innych danych osobowych.",
                        "Please do not give your name or other personal data.",
                    ),
                    "required": False,
                    "max_length": 2000,
                },
            ],
        },
        {
            "key": "metryka",
            "kind": "questions",
            "title": _t("Metryka (pytania nieobowiązkowe)", "About you (optional questions)"),
            "help": _t(
                "Te odpowiedzi pomagają porównać wyniki grup klientów. Wyniki grup "
                "mniejszych niż 5 osób nie są nigdy pokazywane.",
                "These answers help compare results between groups of clients. Results "
                "of groups smaller than 5 people are never shown.",
            ),
            "questions": [
                {
                    "key": "metryka_czestotliwosc",
                    "kind": "single",
                    "text": _t(
                        "Jak często odwiedza Pan/Pani Urząd?", "How often do you visit the office?"
                    ),
                    "required": False,
                    "options": _options(
                        ("pierwszy_raz", "pierwszy raz", "first time"),
                        ("kilka_razy_w_roku", "kilka razy w roku", "a few times a year"),
                        ("raz_w_miesiacu", "co najmniej raz w miesiącu", "at least once a month"),
                    ),
                },
                {
                    "key": "metryka_rodzaj_klienta",
                    "kind": "single",
                    "text": _t("Rodzaj klienta", "Type of client"),
                    "required": False,
                    "options": _options(
                        ("osoba_fizyczna", "osoba fizyczna", "private person"),
                        ("przedsiebiorca", "przedsiębiorca", "business"),
                        ("instytucja", "instytucja / organizacja", "institution / organisation"),
                    ),
                },
                {
                    "key": "metryka_plec",
                    "kind": "single",
                    "text": _t("Płeć", "Sex"),
                    "required": False,
                    "options": _options(
                        ("kobieta", "kobieta", "female"),
                        ("mezczyzna", "mężczyzna", "male"),
                        ("nie_podaje", "wolę nie podawać", "prefer not to say"),
                    ),
                },
                {
                    "key": "metryka_wiek",
                    "kind": "single",
                    "text": _t("Wiek", "Age"),
                    "required": False,
                    "options": _options(
                        ("do_25", "do 25 lat", "up to 25"),
                        ("26_40", "26–40 lat", "26–40"),
                        ("41_55", "41–55 lat", "41–55"),
                        ("56_65", "56–65 lat", "56–65"),
                        ("pow_65", "powyżej 65 lat", "over 65"),
                    ),
                },
                {
                    "key": "metryka_wyksztalcenie",
                    "kind": "single",
                    "text": _t("Wykształcenie", "Education"),
                    "required": False,
                    "options": _options(
                        ("podstawowe", "podstawowe", "primary"),
                        ("zawodowe", "zasadnicze zawodowe", "vocational"),
                        ("srednie", "średnie", "secondary"),
                        ("wyzsze", "wyższe", "higher"),
                    ),
                },
                {
                    "key": "metryka_zamieszkanie",
                    "kind": "single",
                    "text": _t("Miejsce zamieszkania", "Place of residence"),
                    "required": False,
                    "options": _options(
                        ("gmina", "na terenie gminy / miasta", "in this municipality"),
                        ("poza_gmina", "poza gminą / miastem", "outside this municipality"),
                    ),
                },
            ],
        },
    ],
}


def default_definition() -> dict:
    """A fresh copy: each office gets its own and may edit it later."""
    return copy.deepcopy(DEFAULT_DEFINITION)
