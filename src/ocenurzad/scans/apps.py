from django.apps import AppConfig


class ScansConfig(AppConfig):
    name = "ocenurzad.scans"
    verbose_name = "Wczytywanie skanów"
