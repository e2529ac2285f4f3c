from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "ocenurzad.workflows"
    verbose_name = "Procesy łączące moduły"

    def ready(self):
        # Wiring only (STYLE.md): the sections other apps add to the report.
        from . import report_sections

        report_sections.register()
