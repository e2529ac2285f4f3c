from django.apps import AppConfig


class BannerConfig(AppConfig):
    name = "ocenurzad.banner"
