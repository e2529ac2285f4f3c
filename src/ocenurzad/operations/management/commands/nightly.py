"""The nightly run: purge what is kept only for a while, queue the night's background jobs
(reminders and the yearly report on schedule), then warm the report counters.

Schedule it once a night (deploy/ocenurzad-nightly.timer, or cron). Safe to run at any
time and more than once.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from ocenurzad.operations.retention import nightly_jobs_enqueue, retention_purge


class Command(BaseCommand):
    help = (
        "Nocne porządki: usuwa wygasłe sesje, zużyte żetony, stare liczniki i próby logowania, "
        "zleca w tle przypomnienia i raport roczny według harmonogramu, potem przygotowuje "
        "sumy do raportów (reports_warm). Uruchamiaj co noc."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-warm", action="store_true", help="tylko porządki, bez przygotowania raportów"
        )

    def handle(self, *args, no_warm=False, **options):
        for label, count in retention_purge().items():
            self.stdout.write(f"usunięto — {label}: {count}")
        for label, count in nightly_jobs_enqueue().items():
            self.stdout.write(f"zadania w tle — {label}: {count}")
        if not no_warm:
            call_command("reports_warm", stdout=self.stdout, stderr=self.stderr)
