from django.apps import AppConfig


class ResponsesConfig(AppConfig):
    name = "ocenurzad.responses"
