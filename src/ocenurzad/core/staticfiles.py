"""Static files in production: hashed names from collectstatic's manifest — and, where
``collectstatic`` was not run (yet), the plain names served from the application's own
folders instead of an error on every page (error pages included)."""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

log = logging.getLogger(__name__)


class ManifestOrPlainStaticFilesStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False
    _warned = False

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            if not ManifestOrPlainStaticFilesStorage._warned:
                ManifestOrPlainStaticFilesStorage._warned = True
                log.warning(
                    "Static file %s is not in collectstatic's manifest: run "
                    "`manage.py collectstatic --noinput`; served under its plain name.",
                    name,
                )
            return name
