from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ocenurzad.reports"
    verbose_name = "Raporty"
