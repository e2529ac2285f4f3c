"""``manage.py demo``: two demo offices with departments, a survey and two years of answers.

Safe to run again: an office that exists (found by slug) is left as it is, and responses
are only added to an office that has none. Each office draws its answers from its own
``random.Random(seed)``, so every fresh database gets the same answers; only the dates
move with today. The answers are only ever keys and values of the office's current
survey version.

It lives in workflows: making a working office joins offices, accounts, surveys,
responses and reports. The steps per office are separate functions so that more can join
them (demo staff accounts are the ``demo_accounts_create(office=…)`` step).
"""

import os
import random
import secrets
import statistics
from collections.abc import Mapping
from datetime import datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from ocenurzad.accounts.demo import demo_accounts_create, demo_operator_create
from ocenurzad.offices.models import Department, Office
from ocenurzad.reports.services import rollups_invalidate_office
from ocenurzad.responses.models import Channel, Response
from ocenurzad.surveys.definition import NOT_APPLICABLE, YESNO_VALUES, iter_questions
from ocenurzad.surveys.models import SurveyVersion
from ocenurzad.surveys.selectors import survey_version_current
from ocenurzad.surveys.services import survey_create_default
from ocenurzad.workflows.demo_data import (
    AGE,
    COMMENTS,
    DEMO_DAYS,
    DEMO_OFFICES,
    DEPARTMENT_TRANSLATIONS,
    METRYKA,
    ONLINE_SOURCES,
    PURPOSES,
    SETTLED_BY_OVERALL,
    TONES_BY_OVERALL,
    DemoDepartment,
    DemoOffice,
    logo_svg,
    polish_public_holidays,
)


class Command(BaseCommand):
    help = (
        "Tworzy dwa urzędy demonstracyjne (Urząd Miasta Świnoujście, Urząd Gminy Książki) "
        "z wydziałami, ankietą i wypełnionymi ankietami z dwóch lat. Ponowne uruchomienie "
        "niczego nie zmienia."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--responses",
            type=int,
            default=3000,
            help="Ile wypełnionych ankiet utworzyć w każdym urzędzie (domyślnie 3000).",
        )

    def handle(self, *args, responses: int, **options):
        if responses < 0:
            raise CommandError("Liczba ankiet nie może być ujemna.")
        password = demo_password()
        offices = []
        for spec in DEMO_OFFICES:
            with transaction.atomic():
                office, created = demo_office_get_or_create(spec=spec)
                survey_create_default(office=office)
                added = demo_responses_create(office=office, spec=spec, count=responses)
                demo_accounts_create(office=office, password=password)
            self._say_done(office, created=created, added=added)
            offices.append(office)
        demo_operator_create(password=password)
        self._say_addresses(offices)
        self._say_accounts(offices, password)

    def _say_done(self, office: Office, *, created: bool, added: int) -> None:
        responses = _count(added, "wypełnioną ankietę", "wypełnione ankiety", "wypełnionych ankiet")
        if created:
            departments = _count(office.departments.count(), "wydział", "wydziały", "wydziałów")
            self.stdout.write(f"Utworzono: {office.name} — {departments}, {responses}.")
        elif added:
            self.stdout.write(f"{office.name} już istniał; dodano {responses}.")
        else:
            self.stdout.write(f"{office.name} już istnieje — bez zmian.")

    def _say_addresses(self, offices: list[Office]) -> None:
        port = os.environ.get("PORT", "").strip() or "8000"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Adresy do otwarcia w przeglądarce:"))
        for office in offices:
            self.stdout.write(f"  {office.name}")
            self.stdout.write(f"    ankieta:  http://127.0.0.1:{port}/{office.slug}/")
            self.stdout.write(f"              http://{office.slug}.localhost:{port}/")
            self.stdout.write(f"    panel:    http://127.0.0.1:{port}/{office.slug}/admin/")
        self.stdout.write(f"  Lista urzędów: http://127.0.0.1:{port}/")

    def _say_accounts(self, offices: list[Office], password: str) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Konta demonstracyjne (panel /admin/ urzędu):"))
        for office in offices:
            self.stdout.write(
                f"  admin.{office.slug} (administrator urzędu), raporty.{office.slug} "
                f"(raporty), rejestrator.{office.slug} (ankiety papierowe)"
            )
        self.stdout.write("  operator (operator platformy, każdy urząd)")
        self.stdout.write(f"  hasło wszystkich kont: {password}")


def demo_password() -> str:
    """DEMO_PASSWORD, or one generated once and kept in var/ so every run prints the same."""
    given = os.environ.get("DEMO_PASSWORD", "").strip()
    if given:
        return given
    path = Path(settings.PROJECT_DIR) / "var" / "demo-password.txt"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    password = "Demo-" + secrets.token_urlsafe(12)
    path.write_text(password + "\n", encoding="utf-8")
    return password


def _count(number: int, one: str, few: str, many: str) -> str:
    """The number with its Polish plural form: 1 wydział, 3 wydziały, 12 wydziałów."""
    if number == 1:
        return f"{number} {one}"
    if number % 10 in (2, 3, 4) and number % 100 not in (12, 13, 14):
        return f"{number} {few}"
    return f"{number} {many}"


@transaction.atomic
def demo_office_get_or_create(*, spec: DemoOffice) -> tuple[Office, bool]:
    """The demo office with its departments; an office that exists is left as it is.

    The logo file is written once the transaction commits, so a failed run leaves no
    stray file.
    """
    office = Office.objects.filter(slug=spec.slug).first()
    if office is not None:
        return office, False
    office = Office.objects.create(slug=spec.slug, **spec.fields)
    Department.objects.bulk_create(
        Department(
            office=office,
            name=dept.name,
            name_translations=dict(DEPARTMENT_TRANSLATIONS.get(dept.name, {})),
            position=position,
        )
        for position, dept in enumerate(spec.departments)
    )
    svg = logo_svg(name=office.name, logo=spec.logo)
    transaction.on_commit(
        lambda: office.logo.save(f"{spec.slug}.svg", ContentFile(svg.encode()), save=True)
    )
    return office, True


@transaction.atomic
def demo_responses_create(*, office: Office, spec: DemoOffice, count: int) -> int:
    """Add ``count`` made-up responses to the office's current survey version.

    Does nothing (returns 0) when the office has any response already or no published
    current version. Returns how many responses were created.
    """
    if count <= 0 or Response.objects.filter(office=office).exists():
        return 0
    try:
        version = survey_version_current(office=office)
    except Http404:
        return 0
    departments = list(
        Department.objects.filter(office=office, is_active=True).order_by("position", "pk")
    )
    factory = _ResponseFactory(
        spec=spec, office=office, version=version, departments=departments, now=timezone.now()
    )
    # In time order, as they would have come in.
    responses = sorted(factory.build(count), key=lambda r: r.submitted_at)
    Response.objects.bulk_create(responses, batch_size=1000)
    rollups_invalidate_office(office=office)  # stored report counters may predate them
    return len(responses)


class _ResponseFactory:
    """Draws responses for one office from its own seeded generator."""

    def __init__(
        self,
        *,
        spec: DemoOffice,
        office: Office,
        version: SurveyVersion,
        departments: list[Department],
        now: datetime,
    ):
        self.rng = random.Random(spec.seed)
        self.spec = spec
        self.office = office
        self.version = version
        self.now = now
        self.today = timezone.localdate(now)
        self.start = self.today - timedelta(days=DEMO_DAYS - 1)
        self.tz = timezone.get_current_timezone()
        self.holidays = set().union(
            *(polish_public_holidays(y) for y in range(self.start.year, self.today.year + 1))
        )
        by_name = {d.name: d for d in spec.departments}
        self.departments = [
            (d, by_name.get(d.name, DemoDepartment(d.name, 5))) for d in departments
        ]
        self.department_weights = [s.visitors for _d, s in self.departments]
        languages = [lang for lang in spec.online_languages if lang in office.enabled_languages]
        self.languages = languages or ["pl"]
        self.language_weights = [spec.online_languages[lang] for lang in self.languages]
        questions = list(iter_questions(version.definition))
        self.order = [q["key"] for _s, q in questions]
        self.questions = {q["key"]: q for _s, q in questions}
        self.areas: list[list[dict]] = [
            [q for q in s["questions"] if q["kind"] == "rating"]
            for s in version.definition.get("sections", [])
            if s.get("kind") == "area"
        ]
        area_keys = {q["key"] for area in self.areas for q in area}
        self.others = [
            q for _s, q in questions if q["key"] not in area_keys and q["kind"] != "department"
        ]
        self.bias = {
            spec_d.name: {
                key: _prefix_sum(spec.item_bias, key) + _prefix_sum(spec_d.item_bias, key)
                for key in area_keys
            }
            for _d, spec_d in self.departments
        }

    def build(self, count: int) -> list[Response]:
        return [self._response() for _ in range(count)]

    def _response(self) -> Response:
        rng = self.rng
        online = rng.random() < self.spec.online_share
        channel = Channel.ONLINE if online else Channel.PAPER
        submitted_at = self._when(online=online)
        department, dept_spec = None, DemoDepartment("", 1)
        if self.departments:
            department, dept_spec = rng.choices(self.departments, self.department_weights)[0]
        language, source = "pl", ""
        if online:
            language = rng.choices(self.languages, self.language_weights)[0]
            source = _pick(rng, ONLINE_SOURCES)
        progress = (submitted_at.date() - self.start).days / DEMO_DAYS
        answers = self._answers(
            dept_spec=dept_spec, channel=channel, language=language, progress=progress
        )
        return Response(
            office=self.office,
            version=self.version,
            channel=channel,
            source=source,
            language=language,
            department=department,
            submitted_at=submitted_at,
            answers=answers,
        )

    def _when(self, *, online: bool) -> datetime:
        """A moment in the last two years, not in the future; paper only in office hours."""
        rng = self.rng
        anytime = online and rng.random() < 0.25
        while True:
            day = self.start + timedelta(days=rng.randrange(DEMO_DAYS))
            if day.month in (7, 8) and rng.random() < 0.3:  # fewer visits in the holidays
                continue
            if anytime:
                minute = rng.randrange(6 * 60, 23 * 60)
            elif day.weekday() >= 5 or day in self.holidays:
                continue
            else:
                opening, closing = self.spec.hours[day.weekday()]
                # Most people come in the morning.
                minute = int(rng.triangular(opening, closing, opening + (closing - opening) / 4))
            moment = datetime.combine(day, time(minute // 60, minute % 60, rng.randrange(60)))
            moment = timezone.make_aware(moment, self.tz)
            if moment <= self.now:
                return moment

    def _answers(
        self, *, dept_spec: DemoDepartment, channel: str, language: str, progress: float
    ) -> dict:
        rng, spec = self.rng, self.spec
        mood_mean = spec.mood - spec.improvement * (1 - progress) + dept_spec.mood
        if channel == Channel.ONLINE:
            mood_mean -= 0.15  # online respondents are a little more critical
        # Most visitors are content; a few leave angry whatever the office does.
        if rng.random() < 0.05 + max(0.0, -dept_spec.mood) / 4:
            mood = rng.gauss(2.2, 0.7)
        else:
            mood = rng.gauss(mood_mean, 0.5)
        values: dict = {}

        purpose_q = self.questions.get("cel_wizyty")
        if purpose_q is not None and rng.random() < 0.9:
            values["cel_wizyty"] = _option(rng, purpose_q, dept_spec.purposes or PURPOSES)

        all_top = mood > 4.4 and rng.random() < 0.35  # ticks "5" all the way down
        careful = rng.random() < 0.7
        skip = 0.02 if careful else rng.uniform(0.1, 0.5)
        stop_after = None  # some leave the back of the paper sheet blank
        if len(self.areas) > 1 and rng.random() < 0.07:
            stop_after = rng.randrange(1, len(self.areas))
        bias = self.bias.get(dept_spec.name, {})
        for index, area in enumerate(self.areas):
            if stop_after is not None and index >= stop_after:
                break
            for question in area:
                key = question["key"]
                if rng.random() < skip:
                    continue
                if question.get("na") and rng.random() < self._na_rate(key, values, channel):
                    values[key] = NOT_APPLICABLE
                elif all_top:
                    values[key] = 5
                else:
                    values[key] = _scale(mood + bias.get(key, 0.0) + rng.gauss(0, 0.55))

        rated = [v for v in values.values() if isinstance(v, int)]
        overall = _scale((statistics.fmean(rated) if rated else mood) + rng.gauss(0, 0.35))
        with_metryka = rng.random() < 0.6
        for question in self.others:
            key = question["key"]
            if key in values:
                continue
            value = self._other(
                question,
                overall=overall,
                mood=mood,
                channel=channel,
                language=language,
                dept_spec=dept_spec,
                with_metryka=with_metryka,
            )
            if value is not None:
                values[key] = value
        return {key: values[key] for key in self.order if key in values}

    def _na_rate(self, key: str, values: dict, channel: str) -> float:
        rate = self.spec.not_applicable.get(key, 0.02)
        if key == "wizerunek_strona" and channel == Channel.ONLINE:
            rate /= 4
        if key.startswith("terminowosc_") and values.get("cel_wizyty") == "informacja":
            rate = max(rate, 0.4)  # nothing to wait for when you only asked
        return rate

    def _other(
        self,
        question: dict,
        *,
        overall: int,
        mood: float,
        channel: str,
        language: str,
        dept_spec: DemoDepartment,
        with_metryka: bool,
    ):
        """The answer to a question outside the rated areas, or None for no answer."""
        rng, key = self.rng, question["key"]
        if key == "ocena_ogolna":
            return overall
        if key == "sprawa_zalatwiona":
            if rng.random() >= 0.88:
                return None
            return _option(rng, question, SETTLED_BY_OVERALL[overall])
        if key == "co_poprawic":
            return self._comment(overall=overall, dept_spec=dept_spec, language=language)
        if key.startswith("metryka_"):
            if not with_metryka:
                return None
            return self._metryka(question, channel=channel, language=language, dept_spec=dept_spec)
        if question.get("required") or rng.random() < 0.6:
            return _generic(rng, question, mood)
        return None

    def _comment(self, *, overall: int, dept_spec: DemoDepartment, language: str) -> str | None:
        rng = self.rng
        chance = {1: 0.45, 2: 0.35, 3: 0.22}.get(overall, 0.13)
        if language != "pl" or rng.random() >= chance:
            return None
        tone = rng.choices("+0-", TONES_BY_OVERALL[overall])[0]
        fitting = [
            text
            for text, t, where in COMMENTS
            if t == tone and (not where or any(w in dept_spec.name for w in where))
        ]
        return rng.choice(fitting)

    def _metryka(
        self, question: dict, *, channel: str, language: str, dept_spec: DemoDepartment
    ) -> str | None:
        rng, key = self.rng, question["key"]
        if rng.random() < 0.08:
            return None
        if key == "metryka_wiek":
            weights = AGE[Channel.ONLINE if channel == Channel.ONLINE else Channel.PAPER]
        elif key == "metryka_rodzaj_klienta":
            weights = {
                "osoba_fizyczna": 96 - dept_spec.businesses,
                "przedsiebiorca": dept_spec.businesses,
                "instytucja": 4,
            }
        elif key == "metryka_zamieszkanie":
            local = self.spec.locals_share if language == "pl" else 0.1
            weights = {"gmina": round(100 * local), "poza_gmina": round(100 * (1 - local))}
        else:
            weights = METRYKA.get(key, {})
        return _option(rng, question, weights) if question["kind"] == "single" else None


def _prefix_sum(biases: Mapping[str, float], key: str) -> float:
    return sum(value for prefix, value in biases.items() if key.startswith(prefix))


def _scale(value: float) -> int:
    return min(5, max(1, round(value)))


def _pick(rng: random.Random, weights: Mapping[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _option(rng: random.Random, question: dict, weights: Mapping[str, int]):
    """One of the question's options, by the given weights (unknown options: uniform)."""
    options = [o["value"] for o in question.get("options", [])]
    if not options:
        return None
    known = [o for o in options if weights.get(o, 0) > 0]
    if not known:
        return rng.choice(options)
    return rng.choices(known, [weights[o] for o in known])[0]


def _generic(rng: random.Random, question: dict, mood: float):
    """A plausible answer to a question this module knows nothing about."""
    kind = question["kind"]
    if kind == "rating":
        return _scale(mood + rng.gauss(0, 0.6))
    if kind == "single":
        return _option(rng, question, {})
    if kind == "multi":
        options = [o["value"] for o in question.get("options", [])]
        chosen = [o for o in options if rng.random() < 0.3]
        return chosen or None
    if kind == "yesno":
        return YESNO_VALUES[0] if rng.random() < 0.75 else YESNO_VALUES[1]
    return None
