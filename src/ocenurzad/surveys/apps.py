from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "ocenurzad.surveys"
