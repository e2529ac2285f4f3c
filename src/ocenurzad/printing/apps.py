from django.apps import AppConfig


class PrintingConfig(AppConfig):
    name = "ocenurzad.printing"
    verbose_name = "Ankieta do druku"
