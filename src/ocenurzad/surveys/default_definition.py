"""The questionnaire every new office starts with (shared/reference/questionnaire.md).

Questions are data with stable keys; texts are per language, Polish required. The
resident-facing form, paper entry, the printable PDF and reports all read this shape:

    {"format": 1, "title": {...}, "intro": {...}, "scale": {"1": {...}, …, "na": {...}},
     "sections": [{"key", "title", "kind": "area"|"questions", "help"?,
                   "questions": [{"key", "kind", "text", "required", "na"?, "options"?,
                                  "help"?, "max_length"?}]}]}

Question kinds: rating (1–5, optional "nie dotyczy"), single, multi, department, yesno,
text.

Wording: residents are addressed as Pan/Pani (Ukrainian «Ви», German «Sie»); the last
group is the "Metryczka"; the purposes of a visit do not overlap (one is chosen: the
main one). The English, Ukrainian and German texts are drafts made by machine
translation that no fluent speaker has reviewed yet (docs/pl/edycja-ankiety.md says so
to offices); an office reviews them in the survey editor before offering a language.
"""

import copy


def _t(pl: str, en: str, uk: str, de: str) -> dict:
    return {"pl": pl, "en": en, "uk": uk, "de": de}


def _rating(key: str, pl: str, en: str, uk: str, de: str) -> dict:
    return {"key": key, "kind": "rating", "text": _t(pl, en, uk, de), "required": False, "na": True}


def _options(*rows: tuple[str, str, str, str, str]) -> list[dict]:
    return [{"value": value, "label": _t(pl, en, uk, de)} for value, pl, en, uk, de in rows]


DEFAULT_DEFINITION = {
    "format": 1,
    "title": _t(
        "Badanie satysfakcji klienta",
        "Customer satisfaction survey",
        "Опитування щодо задоволеності клієнтів",
        "Umfrage zur Kundenzufriedenheit",
    ),
    "intro": _t(
        "Ankieta jest anonimowa i zajmie około 5 minut. Pana/Pani odpowiedzi pomogą nam "
        "lepiej obsługiwać mieszkańców.",
        "The survey is anonymous and takes about 5 minutes. Your answers help us serve "
        "residents better.",
        "Опитування анонімне і триває близько 5 хвилин. Ваші відповіді допоможуть нам "
        "краще обслуговувати мешканців.",
        "Die Umfrage ist anonym und dauert etwa 5 Minuten. Ihre Antworten helfen uns, "
        "die Einwohnerinnen und Einwohner besser zu bedienen.",
    ),
    "scale": {
        "1": _t("bardzo słabo", "very poor", "дуже погано", "sehr schlecht"),
        "2": _t("słabo", "poor", "погано", "schlecht"),
        "3": _t("dostatecznie", "fair", "задовільно", "ausreichend"),
        "4": _t("dobrze", "good", "добре", "gut"),
        "5": _t("bardzo dobrze", "very good", "дуже добре", "sehr gut"),
        "na": _t("nie dotyczy", "not applicable", "не стосується", "trifft nicht zu"),
    },
    "sections": [
        {
            "key": "wizyta",
            "kind": "questions",
            "title": _t(
                "Wizyta w Urzędzie", "Your visit to the office", "Візит до установи", "Ihr Besuch"
            ),
            "questions": [
                {
                    "key": "wydzial",
                    "kind": "department",
                    "text": _t(
                        "W którym wydziale lub biurze załatwiał Pan / załatwiała Pani sprawę?",
                        "Which department or office handled your matter?",
                        "У якому відділі чи бюро Ви вирішували свою справу?",
                        "In welcher Abteilung oder welchem Büro wurde Ihr Anliegen bearbeitet?",
                    ),
                    "required": True,
                },
                {
                    "key": "cel_wizyty",
                    "kind": "single",
                    "text": _t(
                        "Główny cel wizyty",
                        "Main purpose of the visit",
                        "Основна мета візиту",
                        "Hauptzweck des Besuchs",
                    ),
                    "required": False,
                    "options": _options(
                        (
                            "zlozenie_wniosku",
                            "złożenie wniosku lub dokumentów (także ich uzupełnienie)",
                            "handing in an application or documents (also missing ones)",
                            "подання заяви чи документів (зокрема їх доповнення)",
                            "Antrag oder Unterlagen einreichen (auch nachreichen)",
                        ),
                        (
                            "odbior_dokumentu",
                            "odbiór dokumentu lub decyzji",
                            "collecting a document or decision",
                            "отримання документа чи рішення",
                            "Dokument oder Bescheid abholen",
                        ),
                        (
                            "informacja",
                            "uzyskanie informacji lub wyjaśnień",
                            "getting information or an explanation",
                            "отримання інформації чи роз’яснень",
                            "Auskunft oder Erläuterungen einholen",
                        ),
                        (
                            "skarga",
                            "złożenie skargi na pracę Urzędu",
                            "making a complaint about the office",
                            "подання скарги на роботу установи",
                            "Beschwerde über die Arbeit des Amtes",
                        ),
                        ("inna", "inna sprawa", "other matter", "інша справа", "anderes Anliegen"),
                    ),
                },
            ],
        },
        {
            "key": "wizerunek",
            "kind": "area",
            "title": _t(
                "Wizerunek Urzędu",
                "Image of the office",
                "Імідж установи",
                "Erscheinungsbild des Amtes",
            ),
            "questions": [
                _rating(
                    "wizerunek_lokalizacja",
                    "Lokalizacja Urzędu",
                    "Location of the office",
                    "Розташування установи",
                    "Lage des Amtes",
                ),
                _rating(
                    "wizerunek_oznakowanie",
                    "Oznakowanie Urzędu",
                    "Signage in the office",
                    "Вказівники та позначення в установі",
                    "Beschilderung im Amt",
                ),
                _rating(
                    "wizerunek_parking",
                    "Dostępność i liczba miejsc parkingowych",
                    "Availability and number of parking spaces",
                    "Доступність і кількість місць для паркування",
                    "Verfügbarkeit und Anzahl der Parkplätze",
                ),
                _rating(
                    "wizerunek_strona",
                    "Atrakcyjność i przejrzystość strony internetowej Urzędu",
                    "Appeal and clarity of the office's website",
                    "Привабливість і зрозумілість вебсайту установи",
                    "Ansprechende Gestaltung und Übersichtlichkeit der Website des Amtes",
                ),
                _rating(
                    "wizerunek_czystosc",
                    "Czystość pomieszczeń Urzędu",
                    "Cleanliness of the office's rooms",
                    "Чистота приміщень установи",
                    "Sauberkeit der Räume des Amtes",
                ),
                _rating(
                    "wizerunek_ubior",
                    "Schludność ubioru urzędników",
                    "Neat appearance of the staff",
                    "Охайний зовнішній вигляд працівників",
                    "Gepflegtes Erscheinungsbild der Mitarbeitenden",
                ),
            ],
        },
        {
            "key": "podejscie",
            "kind": "area",
            "title": _t(
                "Indywidualne podejście do Klienta",
                "Individual approach to the client",
                "Індивідуальний підхід до клієнта",
                "Individuelles Eingehen auf die Kundschaft",
            ),
            "questions": [
                _rating(
                    "podejscie_godziny",
                    "Godziny przyjęć interesantów",
                    "Opening hours",
                    "Години прийому відвідувачів",
                    "Öffnungszeiten",
                ),
                _rating(
                    "podejscie_formularze",
                    "Czytelność formularzy",
                    "Clarity of forms",
                    "Зрозумілість бланків",
                    "Verständlichkeit der Formulare",
                ),
                _rating(
                    "podejscie_zaangazowanie",
                    "Zaangażowanie wobec Klienta",
                    "Commitment to the client",
                    "Зацікавленість у справі клієнта",
                    "Engagement für die Kundschaft",
                ),
                _rating(
                    "podejscie_szacunek",
                    "Szacunek wobec Klienta",
                    "Respect for the client",
                    "Повага до клієнта",
                    "Respekt gegenüber der Kundschaft",
                ),
            ],
        },
        {
            "key": "kompetencje",
            "kind": "area",
            "title": _t(
                "Kompetencje urzędników",
                "Competence of the staff",
                "Компетентність працівників",
                "Kompetenz der Mitarbeitenden",
            ),
            "questions": [
                _rating(
                    "kompetencje_wiedza",
                    "Wiedza merytoryczna",
                    "Subject knowledge",
                    "Фахові знання",
                    "Fachwissen",
                ),
                _rating(
                    "kompetencje_informacja",
                    "Udzielanie pełnej informacji na temat załatwianej sprawy",
                    "Giving full information about the matter",
                    "Надання повної інформації щодо справи",
                    "Vollständige Auskunft zum Anliegen",
                ),
                _rating(
                    "kompetencje_watpliwosci",
                    "Rozwiewanie wątpliwości",
                    "Clearing up doubts",
                    "Роз’яснення сумнівів",
                    "Ausräumen von Unklarheiten",
                ),
                _rating(
                    "kompetencje_jezyk",
                    "Zrozumiały sposób wypowiedzi",
                    "Clear way of speaking",
                    "Зрозуміла манера висловлювання",
                    "Verständliche Ausdrucksweise",
                ),
                _rating(
                    "kompetencje_uprzejmosc",
                    "Uprzejmość i życzliwość wobec Klienta",
                    "Courtesy and kindness towards the client",
                    "Ввічливість і доброзичливість до клієнта",
                    "Höflichkeit und Freundlichkeit gegenüber der Kundschaft",
                ),
                _rating(
                    "kompetencje_pomoc",
                    "Pomoc w załatwieniu sprawy",
                    "Help in settling the matter",
                    "Допомога у вирішенні справи",
                    "Hilfe bei der Erledigung des Anliegens",
                ),
            ],
        },
        {
            "key": "terminowosc",
            "kind": "area",
            "title": _t(
                "Terminowość obsługi sprawy",
                "Timeliness of service",
                "Своєчасність обслуговування",
                "Termintreue der Bearbeitung",
            ),
            "questions": [
                _rating(
                    "terminowosc_oczekiwanie",
                    "Czas oczekiwania na obsługę",
                    "Waiting time before being served",
                    "Час очікування на обслуговування",
                    "Wartezeit bis zur Bedienung",
                ),
                _rating(
                    "terminowosc_szybkosc",
                    "Szybkość obsługi na stanowisku",
                    "Speed of service at the desk",
                    "Швидкість обслуговування біля віконця",
                    "Schnelligkeit der Bedienung am Schalter",
                ),
                _rating(
                    "terminowosc_informacja",
                    "Informacja o terminie załatwienia sprawy",
                    "Information on when the matter will be settled",
                    "Інформація про строк вирішення справи",
                    "Auskunft über den Erledigungstermin",
                ),
                _rating(
                    "terminowosc_dotrzymanie",
                    "Dotrzymanie terminu załatwienia sprawy",
                    "Keeping the deadline for settling the matter",
                    "Дотримання строку вирішення справи",
                    "Einhaltung der Bearbeitungsfrist",
                ),
            ],
        },
        {
            "key": "rzetelnosc",
            "kind": "area",
            "title": _t(
                "Rzetelność obsługi",
                "Reliability of service",
                "Сумлінність обслуговування",
                "Zuverlässigkeit der Bearbeitung",
            ),
            "questions": [
                _rating(
                    "rzetelnosc_obiektywizm",
                    "Obiektywizm w załatwieniu sprawy",
                    "Objectivity in settling the matter",
                    "Об’єктивність у вирішенні справи",
                    "Objektivität bei der Bearbeitung",
                ),
                _rating(
                    "rzetelnosc_przepisy",
                    "Zgodność załatwienia sprawy z przepisami",
                    "Compliance with the law",
                    "Відповідність вирішення справи законодавству",
                    "Rechtmäßigkeit der Bearbeitung",
                ),
                _rating(
                    "rzetelnosc_przejrzystosc",
                    "Przejrzystość załatwienia sprawy",
                    "Transparency of the procedure",
                    "Прозорість вирішення справи",
                    "Transparenz des Verfahrens",
                ),
                _rating(
                    "rzetelnosc_starannosc",
                    "Staranność obsługi",
                    "Care in service",
                    "Ретельність обслуговування",
                    "Sorgfalt bei der Bearbeitung",
                ),
            ],
        },
        {
            "key": "podsumowanie",
            "kind": "questions",
            "title": _t("Podsumowanie", "Summary", "Підсумок", "Zusammenfassung"),
            "questions": [
                {
                    "key": "ocena_ogolna",
                    "kind": "rating",
                    "text": _t(
                        "Jak ogólnie ocenia Pan/Pani obsługę w Urzędzie?",
                        "Overall, how do you rate the service at the office?",
                        "Як загалом Ви оцінюєте обслуговування в установі?",
                        "Wie bewerten Sie insgesamt den Service im Amt?",
                    ),
                    "required": True,
                    "na": False,
                },
                {
                    "key": "sprawa_zalatwiona",
                    "kind": "single",
                    "text": _t(
                        "Czy sprawa została załatwiona?",
                        "Was your matter settled?",
                        "Чи вирішено Вашу справу?",
                        "Wurde Ihr Anliegen erledigt?",
                    ),
                    "required": False,
                    "options": _options(
                        ("tak", "tak", "yes", "так", "ja"),
                        ("czesciowo", "częściowo", "partly", "частково", "teilweise"),
                        ("nie", "nie", "no", "ні", "nein"),
                    ),
                },
                {
                    "key": "co_poprawic",
                    "kind": "text",
                    "text": _t(
                        "Co powinniśmy poprawić?",
                        "What should we improve?",
                        "Що нам варто покращити?",
                        "Was sollten wir verbessern?",
                    ),
                    "help": _t(
                        "Prosimy nie podawać imienia, nazwiska ani innych danych osobowych.",
                        "Please do not give your name or other personal data.",
                        "Просимо не вказувати ім’я, прізвище чи інші персональні дані.",
                        "Bitte geben Sie weder Ihren Namen noch andere personenbezogene Daten an.",
                    ),
                    "required": False,
                    "max_length": 2000,
                },
            ],
        },
        {
            "key": "metryka",
            "kind": "questions",
            "title": _t(
                "Metryczka (pytania nieobowiązkowe)",
                "About you (optional questions)",
                "Відомості про Вас (необов’язкові запитання)",
                "Angaben zur Person (freiwillige Fragen)",
            ),
            "help": _t(
                "Te odpowiedzi pomagają porównać wyniki grup klientów. Wyniki grup "
                "mniejszych niż 5 osób nie są nigdy pokazywane.",
                "These answers help compare results between groups of clients. Results "
                "of groups smaller than 5 people are never shown.",
                "Ці відповіді допомагають порівнювати результати груп клієнтів. Результати "
                "груп, менших ніж 5 осіб, ніколи не показуються.",
                "Diese Angaben helfen, die Ergebnisse verschiedener Kundengruppen zu "
                "vergleichen. Ergebnisse von Gruppen mit weniger als 5 Personen werden nie "
                "angezeigt.",
            ),
            "questions": [
                {
                    "key": "metryka_czestotliwosc",
                    "kind": "single",
                    "text": _t(
                        "Jak często odwiedza Pan/Pani Urząd?",
                        "How often do you visit the office?",
                        "Як часто Ви відвідуєте установу?",
                        "Wie oft besuchen Sie das Amt?",
                    ),
                    "required": False,
                    "options": _options(
                        ("pierwszy_raz", "pierwszy raz", "first time", "уперше", "zum ersten Mal"),
                        (
                            "kilka_razy_w_roku",
                            "kilka razy w roku",
                            "a few times a year",
                            "кілька разів на рік",
                            "einige Male im Jahr",
                        ),
                        (
                            "raz_w_miesiacu",
                            "co najmniej raz w miesiącu",
                            "at least once a month",
                            "щонайменше раз на місяць",
                            "mindestens einmal im Monat",
                        ),
                    ),
                },
                {
                    "key": "metryka_rodzaj_klienta",
                    "kind": "single",
                    "text": _t("Rodzaj klienta", "Type of client", "Тип клієнта", "Sie kommen als"),
                    "required": False,
                    "options": _options(
                        (
                            "osoba_fizyczna",
                            "osoba fizyczna",
                            "private person",
                            "фізична особа",
                            "Privatperson",
                        ),
                        (
                            "przedsiebiorca",
                            "przedsiębiorca",
                            "business",
                            "підприємець",
                            "Unternehmen",
                        ),
                        (
                            "instytucja",
                            "instytucja / organizacja",
                            "institution / organisation",
                            "установа / організація",
                            "Institution / Organisation",
                        ),
                    ),
                },
                {
                    "key": "metryka_plec",
                    "kind": "single",
                    "text": _t("Płeć", "Sex", "Стать", "Geschlecht"),
                    "required": False,
                    "options": _options(
                        ("kobieta", "kobieta", "female", "жінка", "weiblich"),
                        ("mezczyzna", "mężczyzna", "male", "чоловік", "männlich"),
                        (
                            "nie_podaje",
                            "wolę nie podawać",
                            "prefer not to say",
                            "не бажаю вказувати",
                            "keine Angabe",
                        ),
                    ),
                },
                {
                    "key": "metryka_wiek",
                    "kind": "single",
                    "text": _t("Wiek", "Age", "Вік", "Alter"),
                    "required": False,
                    "options": _options(
                        ("do_25", "do 25 lat", "up to 25", "до 25 років", "bis 25 Jahre"),
                        ("26_40", "26–40 lat", "26–40", "26–40 років", "26–40 Jahre"),
                        ("41_55", "41–55 lat", "41–55", "41–55 років", "41–55 Jahre"),
                        ("56_65", "56–65 lat", "56–65", "56–65 років", "56–65 Jahre"),
                        ("pow_65", "powyżej 65 lat", "over 65", "понад 65 років", "über 65 Jahre"),
                    ),
                },
                {
                    "key": "metryka_wyksztalcenie",
                    "kind": "single",
                    "text": _t("Wykształcenie", "Education", "Освіта", "Schulbildung"),
                    "required": False,
                    "options": _options(
                        ("podstawowe", "podstawowe", "primary", "початкова", "Grundschule"),
                        (
                            "zawodowe",
                            "zasadnicze zawodowe",
                            "vocational",
                            "професійно-технічна",
                            "Berufsschule",
                        ),
                        ("srednie", "średnie", "secondary", "середня", "Abitur / Fachabitur"),
                        ("wyzsze", "wyższe", "higher", "вища", "Hochschulabschluss"),
                    ),
                },
                {
                    "key": "metryka_zamieszkanie",
                    "kind": "single",
                    "text": _t(
                        "Miejsce zamieszkania", "Place of residence", "Місце проживання", "Wohnort"
                    ),
                    "required": False,
                    "options": _options(
                        (
                            "gmina",
                            "na terenie gminy / miasta",
                            "in this municipality",
                            "на території цієї громади",
                            "in dieser Gemeinde / Stadt",
                        ),
                        (
                            "poza_gmina",
                            "poza gminą / miastem",
                            "outside this municipality",
                            "за межами цієї громади",
                            "außerhalb dieser Gemeinde / Stadt",
                        ),
                    ),
                },
            ],
        },
    ],
}


def default_definition() -> dict:
    """A fresh copy: each office gets its own and may edit it later."""
    return copy.deepcopy(DEFAULT_DEFINITION)
