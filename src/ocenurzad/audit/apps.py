from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ocenurzad.audit"
    verbose_name = "Dziennik zmian"
