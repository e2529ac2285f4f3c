"""Reminders and the yearly report on schedule — for cron, a systemd timer or the nightly
job. Idempotent: run it as often as you like, on as many machines as you like."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ocenurzad.actions.reminders import reminders_send, scheduled_archives


class Command(BaseCommand):
    help = "Wysyła należne przypomnienia i archiwizuje raport roczny po terminie."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="data jako RRRR-MM-DD (do prób); domyślnie dziś")

    def handle(self, *args, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError("--today: podaj datę jako RRRR-MM-DD, np. 2027-02-01.") from exc
        archived = scheduled_archives(today=day)
        sent = reminders_send(today=day)
        for report in archived:
            self.stdout.write(
                f"{report.office.slug}: zarchiwizowano raport roczny "
                f"{report.period_start:%Y} (nr {report.pk})"
            )
        for mail in sent:
            self.stdout.write(f"{mail.office.slug}: {mail.key} → {mail.recipient}")
        self.stdout.write(
            f"Wysłano przypomnień: {len(sent)}; raportów w archiwum: {len(archived)}."
        )
