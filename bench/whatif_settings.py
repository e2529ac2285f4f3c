"""What-if settings for ``bench/submit.py --django-settings whatif_settings``.

The project's own settings plus changes proposed for speed, so that their effect can be
measured before the app adopts them. Nothing in the app uses this module.
"""

from ocenurzad.settings import *  # noqa: F403
from ocenurzad.settings import DATABASES

# Keep database connections open between requests on SQLite too (the app's settings do
# so only for PostgreSQL): no open + PRAGMAs + close (with a WAL checkpoint) per request.
DATABASES["default"]["CONN_MAX_AGE"] = None
