from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ocenurzad.reports"
    verbose_name = "Raporty"

    def ready(self):
        # Wiring only: responses tells when stored responses of past days change.
        from ocenurzad.responses.signals import responses_days_changed

        from .services import rollups_on_responses_changed

        responses_days_changed.connect(
            rollups_on_responses_changed, dispatch_uid="reports.rollups_on_responses_changed"
        )
