"""What-if settings for ``bench/submit.py --django-settings whatif_settings``.

The project's own settings plus changes proposed for speed, so that their effect can be
measured before the app adopts them. Nothing in the app uses this module.
"""

from ocenurzad.settings import *  # noqa: F403
from ocenurzad.settings import DATABASES

# PostgreSQL: server-side parameter binding, so that psycopg prepares the submission's
# statement after a few executions (as the floor's plain psycopg connection does) instead
# of Django's default client-side binding, which sends every statement as new text.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
