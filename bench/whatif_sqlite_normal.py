"""What-if settings: SQLite with ``synchronous=NORMAL`` instead of the shipped ``FULL``.

For ``bench/submit.py --engines sqlite --django-settings whatif_sqlite_normal``: the cost
of syncing the WAL at every commit (what keeps an acknowledged answer through a power
loss) is the difference between this run and one with the project's own settings.
Nothing in the app uses this module.
"""

from ocenurzad.settings import *  # noqa: F403
from ocenurzad.settings import DATABASES

if DATABASES["default"]["ENGINE"] in (
    "django.db.backends.sqlite3",
    "ocenurzad.core.sqlite_backend",
):
    options = DATABASES["default"]["OPTIONS"]
    options["init_command"] = options["init_command"].replace(
        "synchronous=FULL", "synchronous=NORMAL"
    )
