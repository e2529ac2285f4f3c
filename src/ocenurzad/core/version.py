"""The version an installation runs: the package's version, and the release label the
deployment gives (``OCENURZAD_RELEASE``, e.g. a git commit) when there is one."""

import os
from functools import cache
from importlib.metadata import PackageNotFoundError, version


@cache
def app_version() -> str:
    try:
        number = version("ocenurzad")
    except PackageNotFoundError:  # pragma: no cover - running from an uninstalled copy
        number = "0+unknown"
    release = os.environ.get("OCENURZAD_RELEASE", "").strip()
    return f"{number} ({release})" if release else number
