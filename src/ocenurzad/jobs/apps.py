from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "ocenurzad.jobs"
    verbose_name = "Zadania w tle"
