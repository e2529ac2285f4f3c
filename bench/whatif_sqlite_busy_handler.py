"""What-if settings: SQLite writers waiting in SQLite's own busy handler, as before the
writers' turn (core/sqlite_backend): Django's stock backend, the same options.

For ``bench/faults.py --engines sqlite --django-settings whatif_sqlite_busy_handler``
(and ``bench/submit.py``): the difference from a run with the project's own settings is
what the turn changes. Nothing in the app uses this module.
"""

from ocenurzad.settings import *  # noqa: F403
from ocenurzad.settings import DATABASES

if DATABASES["default"]["ENGINE"] == "ocenurzad.core.sqlite_backend":
    DATABASES["default"]["ENGINE"] = "django.db.backends.sqlite3"
