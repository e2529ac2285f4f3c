from django.apps import AppConfig


class PanelConfig(AppConfig):
    name = "ocenurzad.panel"
    verbose_name = "Panel administratora"
