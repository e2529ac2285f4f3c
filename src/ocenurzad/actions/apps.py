from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "ocenurzad.actions"
    verbose_name = "Działania naprawcze i doskonalące"
