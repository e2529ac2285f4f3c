"""The two demo offices, modelled on the ordinances in ``seeds/``: Świnoujście and Książki.

Data only (office details, departments and their tendencies, comments, answer weights)
and small pure helpers; ``manage.py demo`` (workflows/management/commands/demo.py) turns
them into rows. The tendencies are there so that reports have something to tell: long
queues in Wydział Komunikacji, a courteous Urząd Stanu Cywilnego, scarce parking in the
town, a slow improvement in Świnoujście while Książki stays high and flat.
"""

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from ocenurzad.responses.models import Channel

DEMO_DAYS = 730  # responses reach back two years from today
ONLINE_SOURCES = {"baner": 55, "qr": 30, "strona": 15}


@dataclass(frozen=True)
class DemoDepartment:
    name: str
    visitors: int  # relative share of respondents
    mood: float = 0.0  # shifts every item of the department
    # Added to items whose key starts with the given key ("terminowosc_" = the whole area).
    item_bias: Mapping[str, float] = field(default_factory=dict)
    purposes: Mapping[str, int] | None = None  # cel_wizyty weights; None = the office's
    businesses: int = 10  # % of respondents who are businesses


@dataclass(frozen=True)
class DemoLogo:
    initials: str
    fill: str
    border: str
    accent: str


@dataclass(frozen=True)
class DemoOffice:
    slug: str
    seed: int
    fields: Mapping[str, object]  # Office model fields
    departments: tuple[DemoDepartment, ...]
    logo: DemoLogo
    online_share: float
    online_languages: Mapping[str, int]
    mood: float  # mean mood today
    improvement: float  # how much better today than two years ago
    item_bias: Mapping[str, float]
    not_applicable: Mapping[str, float]  # "nie dotyczy" rate per item key (default 2%)
    hours: tuple[tuple[int, int], ...]  # Monday … Friday: (opening, closing) in minutes
    locals_share: float  # metryka: lives in the gmina / town


PURPOSES = {
    "zlozenie_wniosku": 40,
    "odbior_dokumentu": 20,
    "informacja": 28,
    "skarga": 3,
    "inna": 9,
}


# The demo departments' names in the other languages (machine-drafted, unreviewed), so
# that the demo offices offer every language they switch on.
DEPARTMENT_TRANSLATIONS: Mapping[str, Mapping[str, str]] = {
    "Biuro Obsługi Interesantów": {
        "en": "Customer Service Office",
        "uk": "Бюро обслуговування відвідувачів",
        "de": "Bürgerbüro",
    },
    "Wydział Organizacyjny": {
        "en": "Organisation Department",
        "uk": "Організаційний відділ",
        "de": "Organisationsabteilung",
    },
    "Wydział Spraw Obywatelskich": {
        "en": "Civil Affairs Department (ID cards, residence registration)",
        "uk": "Відділ цивільних справ (посвідчення особи, реєстрація місця проживання)",
        "de": "Abteilung für Bürgerangelegenheiten (Ausweise, Meldewesen)",
    },
    "Urząd Stanu Cywilnego": {
        "en": "Registry Office",
        "uk": "Відділ реєстрації актів цивільного стану",
        "de": "Standesamt",
    },
    "Wydział Komunikacji": {
        "en": "Vehicle Registration and Driving Licences Department",
        "uk": "Відділ реєстрації транспортних засобів і посвідчень водія",
        "de": "Kfz-Zulassungs- und Führerscheinstelle",
    },
    "Wydział Architektury i Urbanistyki": {
        "en": "Architecture and Urban Planning Department",
        "uk": "Відділ архітектури та містобудування",
        "de": "Abteilung für Architektur und Stadtplanung",
    },
    "Wydział Podatków i Opłat": {
        "en": "Taxes and Fees Department",
        "uk": "Відділ податків і зборів",
        "de": "Abteilung für Steuern und Gebühren",
    },
    "Wydział Geodezji i Gospodarki Nieruchomościami": {
        "en": "Surveying and Real Estate Department",
        "uk": "Відділ геодезії та управління нерухомістю",
        "de": "Abteilung für Vermessung und Liegenschaften",
    },
    "Wydział Ochrony Środowiska i Leśnictwa": {
        "en": "Environmental Protection and Forestry Department",
        "uk": "Відділ охорони довкілля та лісового господарства",
        "de": "Abteilung für Umweltschutz und Forstwirtschaft",
    },
    "Wydział Infrastruktury i Zieleni Miejskiej": {
        "en": "Infrastructure and Urban Greenery Department",
        "uk": "Відділ інфраструктури та міських зелених насаджень",
        "de": "Abteilung für Infrastruktur und städtisches Grün",
    },
    "Wydział Zdrowia i Polityki Społecznej": {
        "en": "Health and Social Policy Department",
        "uk": "Відділ охорони здоров’я та соціальної політики",
        "de": "Abteilung für Gesundheit und Sozialpolitik",
    },
    "Wydział Oświaty i Sportu": {
        "en": "Education and Sport Department",
        "uk": "Відділ освіти та спорту",
        "de": "Abteilung für Bildung und Sport",
    },
    "Sekretariat": {"en": "Secretariat", "uk": "Секретаріат", "de": "Sekretariat"},
    "Referat Organizacyjny": {
        "en": "Organisation Unit",
        "uk": "Організаційний відділ",
        "de": "Organisationsreferat",
    },
    "Referat Podatków i Opłat Lokalnych": {
        "en": "Local Taxes and Fees Unit",
        "uk": "Відділ місцевих податків і зборів",
        "de": "Referat für Gemeindesteuern und -gebühren",
    },
    "Referat Gospodarki Komunalnej i Ochrony Środowiska": {
        "en": "Municipal Services and Environment Unit",
        "uk": "Відділ комунального господарства та охорони довкілля",
        "de": "Referat für Kommunalwirtschaft und Umweltschutz",
    },
    "Referat Budownictwa i Planowania Przestrzennego": {
        "en": "Building and Spatial Planning Unit",
        "uk": "Відділ будівництва та просторового планування",
        "de": "Referat für Bauwesen und Raumplanung",
    },
}

SWINOUJSCIE = DemoOffice(
    slug="swinoujscie",
    seed=594_2019,
    fields={
        "name": "Urząd Miasta Świnoujście",
        "office_type": "miasto",
        "street_address": "ul. Wojska Polskiego 1/5",
        "postal_code": "72-600",
        "city": "Świnoujście",
        "phone": "91 327 86 00",
        "email": "um@um.swinoujscie.pl",
        "website": "https://www.swinoujscie.pl/",
        "bip_url": "https://bip.um.swinoujscie.pl/",
        "opening_hours": "w poniedziałki od 7:30 do 17:00, od wtorku do czwartku od 7:30 do 15:30, "
        "w piątki od 7:30 do 14:00",
        "languages": ["en", "uk", "de"],
        "controller": "Prezydent Miasta Świnoujście, ul. Wojska Polskiego 1/5, 72-600 Świnoujście",
        "dpo_contact": "iod@um.swinoujscie.pl, tel. 91 327 86 15",
        "accessibility_contact": "Koordynator do spraw dostępności, "
        "dostepnosc@um.swinoujscie.pl, tel. 91 327 86 00",
    },
    departments=(
        DemoDepartment("Biuro Obsługi Interesantów", 14, mood=0.1),
        DemoDepartment("Wydział Organizacyjny", 3),
        DemoDepartment(
            "Wydział Spraw Obywatelskich",
            13,
            item_bias={"terminowosc_oczekiwanie": -0.4},
            purposes={"zlozenie_wniosku": 45, "odbior_dokumentu": 40, "informacja": 10, "inna": 5},
            businesses=1,
        ),
        DemoDepartment(
            "Urząd Stanu Cywilnego",
            10,
            mood=0.2,
            item_bias={
                "kompetencje_uprzejmosc": 0.7,
                "podejscie_szacunek": 0.6,
                "podejscie_zaangazowanie": 0.4,
            },
            purposes={"zlozenie_wniosku": 35, "odbior_dokumentu": 40, "informacja": 20, "inna": 5},
            businesses=1,
        ),
        DemoDepartment(
            "Wydział Komunikacji",
            20,
            mood=-0.2,
            item_bias={
                "terminowosc_": -0.7,
                "terminowosc_oczekiwanie": -0.6,
                "podejscie_godziny": -0.4,
            },
            purposes={"zlozenie_wniosku": 45, "odbior_dokumentu": 35, "informacja": 12, "inna": 8},
            businesses=15,
        ),
        DemoDepartment(
            "Wydział Architektury i Urbanistyki",
            6,
            mood=-0.1,
            item_bias={"terminowosc_dotrzymanie": -0.6, "podejscie_formularze": -0.4},
            businesses=30,
        ),
        DemoDepartment(
            "Wydział Podatków i Opłat",
            12,
            item_bias={"podejscie_formularze": -0.5, "kompetencje_wiedza": 0.2},
            purposes={"zlozenie_wniosku": 40, "informacja": 45, "inna": 15},
            businesses=25,
        ),
        DemoDepartment(
            "Wydział Geodezji i Gospodarki Nieruchomościami",
            7,
            item_bias={"terminowosc_dotrzymanie": -0.3},
            businesses=20,
        ),
        DemoDepartment("Wydział Ochrony Środowiska i Leśnictwa", 4, businesses=20),
        DemoDepartment("Wydział Infrastruktury i Zieleni Miejskiej", 3, businesses=25),
        DemoDepartment("Wydział Zdrowia i Polityki Społecznej", 4, mood=0.1, businesses=3),
        DemoDepartment("Wydział Oświaty i Sportu", 4, businesses=8),
    ),
    logo=DemoLogo("ŚW", fill="#1d4f91", border="#f2c230", accent="#ffffff"),
    online_share=0.35,
    online_languages={"pl": 90, "de": 6, "en": 4},
    mood=4.5,
    improvement=0.4,
    item_bias={"wizerunek_parking": -0.9, "wizerunek_strona": -0.2, "terminowosc_": -0.1},
    not_applicable={
        "wizerunek_parking": 0.28,
        "wizerunek_strona": 0.18,
        "podejscie_formularze": 0.1,
        "terminowosc_informacja": 0.08,
        "terminowosc_dotrzymanie": 0.12,
    },
    hours=((450, 1020), (450, 930), (450, 930), (450, 930), (450, 840)),
    locals_share=0.84,
)

KSIAZKI = DemoOffice(
    slug="ksiazki",
    seed=87_2017,
    fields={
        "name": "Urząd Gminy Książki",
        "office_type": "gmina",
        "street_address": "ul. Glinki 1",
        "postal_code": "87-222",
        "city": "Książki",
        "phone": "56 688 00 10",
        "email": "sekretariat@ksiazki.pl",
        "website": "https://www.ksiazki.pl/",
        "bip_url": "https://bip.ksiazki.pl/",
        "opening_hours": "od poniedziałku do piątku od 7:30 do 15:30",
        "languages": ["en", "uk"],
        "controller": "Wójt Gminy Książki, ul. Glinki 1, 87-222 Książki",
        "dpo_contact": "iod@ksiazki.pl",
        "accessibility_contact": "Sekretarz Gminy, sekretariat@ksiazki.pl, tel. 56 688 00 10",
    },
    departments=(
        DemoDepartment("Sekretariat", 8, mood=0.1),
        DemoDepartment("Referat Organizacyjny", 4),
        DemoDepartment(
            "Referat Podatków i Opłat Lokalnych",
            12,
            item_bias={"podejscie_formularze": -0.4},
            purposes={"zlozenie_wniosku": 45, "informacja": 40, "inna": 15},
            businesses=15,
        ),
        DemoDepartment(
            "Urząd Stanu Cywilnego",
            9,
            mood=0.15,
            item_bias={"kompetencje_uprzejmosc": 0.5, "podejscie_szacunek": 0.4},
            purposes={"zlozenie_wniosku": 40, "odbior_dokumentu": 40, "informacja": 15, "inna": 5},
            businesses=1,
        ),
        DemoDepartment(
            "Referat Gospodarki Komunalnej i Ochrony Środowiska",
            7,
            item_bias={"terminowosc_informacja": -0.3},
            businesses=12,
        ),
        DemoDepartment(
            "Referat Budownictwa i Planowania Przestrzennego",
            6,
            mood=-0.15,
            item_bias={"terminowosc_": -0.4, "podejscie_formularze": -0.3},
            businesses=25,
        ),
    ),
    logo=DemoLogo("KS", fill="#2e6b34", border="#e9c46a", accent="#ffffff"),
    online_share=0.10,
    online_languages={"pl": 97, "en": 3},
    mood=4.6,
    improvement=0.0,
    item_bias={"wizerunek_parking": 0.2, "wizerunek_strona": -0.4, "wizerunek_lokalizacja": -0.2},
    not_applicable={
        "wizerunek_parking": 0.15,
        "wizerunek_strona": 0.3,
        "podejscie_formularze": 0.1,
        "terminowosc_dotrzymanie": 0.1,
    },
    hours=((450, 930), (450, 930), (450, 930), (450, 930), (450, 930)),
    locals_share=0.92,
)

DEMO_OFFICES = (SWINOUJSCIE, KSIAZKI)

# (comment, tone, departments it fits: substrings of the name; empty = any).
# Tone: "+" praise, "0" suggestion, "-" complaint.
COMMENTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Bardzo miła obsługa w USC, dziękuję!", "+", ("Stanu Cywilnego",)),
    ("Ślub cywilny zorganizowany pięknie, dziękujemy całemu USC.", "+", ("Stanu Cywilnego",)),
    ("Sprawę załatwiłem szybko i bez problemów. Dziękuję.", "+", ()),
    ("Pani w okienku wszystko cierpliwie wytłumaczyła, brawo.", "+", ()),
    ("Jestem pod wrażeniem, jak sprawnie to poszło. Tak trzymać!", "+", ()),
    ("Bardzo profesjonalna i życzliwa obsługa.", "+", ()),
    ("Dziękuję za pomoc w wypełnieniu wniosku, sam bym sobie nie poradził.", "+", ()),
    ("Czysto, przyjemnie, personel uprzejmy. Nie mam uwag.", "+", ()),
    ("Wszystko w porządku, oby tak dalej.", "+", ()),
    ("Urzędniczka od podatków bardzo kompetentna, rozwiała moje wątpliwości.", "+", ("Podatków",)),
    ("Dowód osobisty gotowy przed terminem, miła niespodzianka.", "+", ("Obywatelskich",)),
    ("Więcej miejsc parkingowych przy urzędzie.", "0", ()),
    ("Dłuższe godziny pracy w czwartki.", "0", ()),
    ("Przydałby się automat z numerkami do kolejki.", "0", ()),
    ("Proszę o możliwość umawiania wizyt przez internet.", "0", ()),
    ("Przydałaby się winda albo obsługa osób z niepełnosprawnością na parterze.", "0", ()),
    ("Formularze mogłyby być napisane prostszym językiem.", "0", ()),
    ("Brakuje wzorów wypełnionych wniosków przy stanowiskach.", "0", ()),
    ("Na stronie internetowej trudno znaleźć potrzebne druki.", "0", ()),
    ("Lepsze oznakowanie pokoi na piętrze, długo szukałam właściwych drzwi.", "0", ()),
    ("Więcej krzeseł w poczekalni, starsze osoby stoją.", "0", ()),
    ("Możliwość płacenia kartą przy każdym stanowisku.", "0", ()),
    ("Woda do picia w poczekalni byłaby miłym gestem, zwłaszcza latem.", "0", ()),
    ("Więcej spraw do załatwienia przez ePUAP bez przychodzenia do urzędu.", "0", ()),
    ("Urząd mógłby być czynny w jedną sobotę w miesiącu.", "0", ()),
    ("Przy wejściu powinna wisieć tablica, w którym pokoju co się załatwia.", "0", ()),
    ("Stojaki na rowery przed urzędem.", "0", ()),
    ("SMS z informacją, że dokument jest gotowy do odbioru, bardzo by pomógł.", "0", ()),
    ("Za długi czas oczekiwania w kolejce w Wydziale Komunikacji.", "-", ("Komunikacji",)),
    ("Rejestracja samochodu trwała ponad godzinę, to stanowczo za długo.", "-", ("Komunikacji",)),
    ("Czekałem na decyzję dłużej, niż mi obiecano.", "-", ()),
    ("Odsyłano mnie od pokoju do pokoju, nikt nie wiedział, kto się tym zajmuje.", "-", ()),
    ("Nieprzyjemna obsługa, pani była wyraźnie zniecierpliwiona.", "-", ()),
    ("Za mało otwartych stanowisk w godzinach szczytu.", "-", ()),
    ("W poczekalni jest duszno, przydałaby się klimatyzacja.", "-", ()),
    ("Na pozwolenie na budowę czekam już trzeci miesiąc.", "-", ("Architektury", "Budownictwa")),
    ("Nie dostałem jasnej informacji, jakie dokumenty muszę donieść.", "-", ()),
    ("Toalety dla interesantów mogłyby być czystsze.", "-", ()),
    ("Telefon do referatu ciągle zajęty, nie da się dodzwonić.", "-", ()),
    ("Brak miejsc parkingowych, musiałam zostawić auto daleko od urzędu.", "-", ()),
    ("Zbyt wiele papierów do wypełnienia przy prostej sprawie.", "-", ()),
    ("Nikt nie umiał wyjaśnić, skąd taka kwota opłaty za śmieci.", "-", ("Podatków", "Komunal")),
    ("Wypis z planu przygotowano szybko, ale mapa była nieczytelna.", "-", ("Architektury",)),
)

TONES_BY_OVERALL = {  # overall rating -> weights of praise, suggestion, complaint
    5: (65, 32, 3),
    4: (30, 55, 15),
    3: (5, 50, 45),
    2: (0, 25, 75),
    1: (0, 15, 85),
}

SETTLED_BY_OVERALL = {  # sprawa_zalatwiona weights by overall rating
    5: {"tak": 90, "czesciowo": 8, "nie": 2},
    4: {"tak": 72, "czesciowo": 22, "nie": 6},
    3: {"tak": 45, "czesciowo": 35, "nie": 20},
    2: {"tak": 25, "czesciowo": 35, "nie": 40},
    1: {"tak": 12, "czesciowo": 28, "nie": 60},
}

METRYKA: Mapping[str, Mapping[str, int]] = {
    "metryka_czestotliwosc": {"pierwszy_raz": 20, "kilka_razy_w_roku": 60, "raz_w_miesiacu": 20},
    "metryka_plec": {"kobieta": 54, "mezczyzna": 43, "nie_podaje": 3},
    "metryka_wyksztalcenie": {"podstawowe": 6, "zawodowe": 22, "srednie": 40, "wyzsze": 32},
}
AGE = {
    Channel.PAPER: {"do_25": 7, "26_40": 28, "41_55": 30, "56_65": 19, "pow_65": 16},
    Channel.ONLINE: {"do_25": 14, "26_40": 44, "41_55": 28, "56_65": 10, "pow_65": 4},
}


def logo_svg(*, name: str, logo: DemoLogo) -> str:
    """A made-up crest: a shield with the initials. Static shapes and text only."""
    label = html.escape(f"Herb (demonstracyjny): {name}")
    initials = html.escape(logo.initials)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" '
        f'height="100" role="img" aria-label="{label}">\n'
        f"<title>{label}</title>\n"
        '<path d="M14 6H86V48C86 72 70 86 50 95C30 86 14 72 14 48Z" '
        f'fill="{logo.fill}" stroke="{logo.border}" stroke-width="5"/>\n'
        '<path d="M22 70Q36 62 50 70T78 70" fill="none" '
        f'stroke="{logo.accent}" stroke-width="3" stroke-linecap="round"/>\n'
        '<path d="M40 16L50 10L60 16Z" '
        f'fill="{logo.border}"/>\n'
        '<text x="50" y="56" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" '
        f'font-size="30" font-weight="bold" fill="{logo.accent}">{initials}</text>\n'
        "</svg>\n"
    )


def polish_public_holidays(year: int) -> set[date]:
    """Public holidays on which the office is closed (Easter by the Gregorian computus)."""
    a, (b, c) = year % 19, divmod(year, 100)
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    wd = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * wd) // 451
    month, day = divmod(h + wd - 7 * m + 114, 31)
    easter = date(year, month, day + 1)
    fixed = [(1, 1), (1, 6), (5, 1), (5, 3), (8, 15), (11, 1), (11, 11), (12, 25), (12, 26)]
    if year >= 2025:
        fixed.append((12, 24))
    days = {date(year, mo, dy) for mo, dy in fixed}
    return days | {easter + timedelta(days=1), easter + timedelta(days=60)}
