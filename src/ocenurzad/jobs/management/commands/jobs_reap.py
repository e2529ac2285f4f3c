from django.core.management.base import BaseCommand

from ocenurzad.jobs.services import jobs_reap


class Command(BaseCommand):
    help = "Queue again background jobs whose worker died (the worker does this by itself)."

    def handle(self, *args, **options):
        found = jobs_reap()
        self.stdout.write(
            f"requeued {len(found['requeued'])}, failed {len(found['failed'])}, "
            f"woken {len(found['woken'])}"
        )
