from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ocenurzad.accounts"
    verbose_name = "Konta"
