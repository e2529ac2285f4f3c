from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running an installation: the nightly purge, backup and restore, moving an office to
    another installation, the health endpoint. Sits above every other app (it may import
    them all; none imports it)."""

    name = "ocenurzad.operations"
    verbose_name = "Eksploatacja"
