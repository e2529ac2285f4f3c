from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_save

# What the resident pages cache (core/localcache.py): a change to any of these empties it.
RESIDENT_CACHE_MODELS = (
    "offices.Office",
    "offices.OfficeDomain",
    "offices.Department",
    "surveys.Survey",
    "surveys.SurveyVersion",
)


class CoreConfig(AppConfig):
    name = "ocenurzad.core"

    def ready(self):
        from .localcache import clear_on_change

        for label in RESIDENT_CACHE_MODELS:
            model = apps.get_model(label)
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(
                    clear_on_change, sender=model, dispatch_uid=f"localcache-{label}-{name}"
                )
