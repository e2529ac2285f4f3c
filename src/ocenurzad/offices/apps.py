from django.apps import AppConfig


class OfficesConfig(AppConfig):
    name = "ocenurzad.offices"
    verbose_name = "Urzędy"
