"""Settings read from the environment.

The embedded default (no environment at all) is SQLite in the project folder, DEBUG off,
a generated development secret and hosts on this machine only. ``OCENURZAD_PROFILE=production``
turns on everything ``manage.py check --deploy`` asks for and refuses to start without a
real SECRET_KEY.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent

env = environ.Env()

PROFILE = env.str("OCENURZAD_PROFILE", default="development")
PRODUCTION = PROFILE == "production"

DEBUG = env.bool("DEBUG", default=False)

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
    # What check --deploy calls weak (security.W009), refused outright: the key signs
    # sessions, form tokens and reset links, and salts the rate-limit hashes.
    if (
        len(SECRET_KEY) < 50
        or len(set(SECRET_KEY)) < 5
        or SECRET_KEY.startswith(("django-insecure", "dev-only-not-secret"))
    ):
        raise ImproperlyConfigured(
            "SECRET_KEY is too weak for the production profile: use 50 or more random "
            "characters (e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    if DEBUG:
        raise ImproperlyConfigured(
            "DEBUG=true is refused with OCENURZAD_PROFILE=production: debug pages show "
            "settings, code and data to anyone."
        )
    # Keys a running installation still accepts for signatures made before a rotation
    # (sessions, reset links, open survey forms): the old SECRET_KEY, comma-separated.
    SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
else:
    # Only for the embedded run on one machine; production must set its own.
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-not-secret-" + "x" * 40)

# Offices live at <slug>.<BASE_DOMAIN>; <slug>.localhost and /<slug>/ always work too.
BASE_DOMAIN = env.str("BASE_DOMAIN", default="localhost").lower().strip(".")

_default_hosts = ["127.0.0.1", "localhost", ".localhost", "[::1]", "testserver"]
if BASE_DOMAIN not in ("localhost",):
    _default_hosts += [BASE_DOMAIN, "." + BASE_DOMAIN]
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=_default_hosts)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "ocenurzad.core",
    "ocenurzad.accounts",
    "ocenurzad.offices",
    "ocenurzad.surveys",
    "ocenurzad.responses",
    "ocenurzad.banner",
    "ocenurzad.panel",
    "ocenurzad.audit",
    "ocenurzad.printing",
    "ocenurzad.reports",
    "ocenurzad.actions",
    "ocenurzad.operations",
    "ocenurzad.jobs",
    "django_tasks",
    "django_tasks_db",
    "ocenurzad.scans",
    "ocenurzad.workflows",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
]

MIDDLEWARE = [
    # /zdrowie/ for the load balancer: before host checks and the HTTPS redirect.
    "ocenurzad.operations.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "ocenurzad.offices.middleware.OfficeMiddleware",
    # Django's and django-otp's, skipped on resident pages (see core/middleware.py); the
    # session before the language, which keeps a staff member's choice of the panel's.
    "ocenurzad.core.middleware.SessionMiddleware",
    "ocenurzad.surveys.middleware.ResidentLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "ocenurzad.core.middleware.AuthenticationMiddleware",
    "ocenurzad.core.middleware.OTPMiddleware",
    "ocenurzad.core.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ocenurzad.core.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ocenurzad.urls"
OFFICE_URLCONF = "ocenurzad.urls_office"
WSGI_APPLICATION = "ocenurzad.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ocenurzad.core.context_processors.site",
                "ocenurzad.panel.context_processors.panel",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{PROJECT_DIR / 'var' / 'db.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a response is written; IMMEDIATE avoids the
    # "database is locked" upgrade deadlock between two writing processes. synchronous=FULL:
    # in WAL mode NORMAL may lose the last commits on power loss — answers a resident was
    # already thanked for; FULL syncs the WAL at every commit (cost: README, bench/).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=20000;"
            ),
        }
    )
    # Django's backend, but writers wait for their turn in the kernel's queue rather than
    # in SQLite's busy handler, which starves the longest waiter (core/sqlite_backend).
    DATABASES["default"]["ENGINE"] = "ocenurzad.core.sqlite_backend"
    # Tests on SQLite use an in-memory database, as with Django's own backend (test tools
    # that recognise SQLite by its engine's name would otherwise name a file).
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")
# Keep connections between requests (opening one costs more than a whole submission).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
# A health check costs a round trip per request; turn it on where the database restarts
# under a running app (e.g. failover) and a failed first query matters.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=False)

AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate-limit counters and single-use token marks must be shared by every app process:
# the database by default, Redis where CACHE_URL=redis://… is given.
_cache_url = env.str("CACHE_URL", default="")
if _cache_url.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
elif _cache_url:
    CACHES = {"default": env.cache_url_config(_cache_url)}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "ocenurzad_cache",
        }
    }

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "panel:login"

# Login throttling. django-axes: 5 failed attempts lock the account for 15 minutes.
# Separately a client (known only by a salted hash, never by its address; an IPv6 client
# by its /64) that fails 20 times in 15 minutes, whatever the accounts, is locked too —
# higher, because a whole office often sits behind one address and one person's typos
# must not lock everyone. Every counter lives in the database, never in the cache: a
# cache flooded with junk logins evicts entries, and a lock must not be one of them.
# django-axes keeps per attempt only the username, a count and the time (no address, no
# browser, no form data: accounts/throttling.py); attempts end with the cool-off.
AXES_HANDLER = "ocenurzad.accounts.throttling.StaffMinimalDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("LOGIN_COOLOFF_MINUTES", default=15.0) / 60
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_DISABLE_ACCESS_LOG = True  # successful logins: the audit log says who did what
AXES_ENABLE_ACCESS_FAILURE_LOG = False
LOGIN_CLIENT_FAILURE_LIMIT = env.int("LOGIN_CLIENT_FAILURE_LIMIT", default=20)
# Password-reset mail: requests per client an hour, and mails per e-mail address an hour.
PASSWORD_RESET_CLIENT_LIMIT = env.int("PASSWORD_RESET_CLIENT_LIMIT", default=5)
PASSWORD_RESET_ADDRESS_LIMIT = env.int("PASSWORD_RESET_ADDRESS_LIMIT", default=3)
# The per-client limit is ours (accounts/throttling.py), with a higher threshold than the
# per-account lock; axes' warning that it does not lock by address is answered by that.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Background jobs (jobs/): the task library wakes the worker (`manage.py jobs_worker`)
# through a database table; the job's own row holds its lease, renewed every third of
# JOBS_LEASE_SECONDS while it runs. A worker silent for longer is presumed dead and its
# job queued again, up to JOBS_MAX_ATTEMPTS attempts.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
JOBS_LEASE_SECONDS = env.float("JOBS_LEASE_SECONDS", default=60.0)
JOBS_MAX_ATTEMPTS = env.int("JOBS_MAX_ATTEMPTS", default=3)
# A clerk may correct or delete a paper sheet this many hours after typing it in.
PAPER_CORRECTION_HOURS = env.int("PAPER_CORRECTION_HOURS", default=24)
# Scanned paper forms (scans app): images are personal data (handwriting). They live here,
# outside MEDIA_ROOT and outside backups, and are deleted this many hours after their
# sheet is stored, skipped or refused.
SCANS_ROOT = env.path("SCANS_ROOT", default=str(PROJECT_DIR / "var" / "scans"))
SCANS_KEEP_HOURS = env.int("SCANS_KEEP_HOURS", default=72)
# ... and every image this many days after its upload, whatever its state.
SCANS_MAX_DAYS = env.int("SCANS_MAX_DAYS", default=30)
# One upload in the panel: files streamed to disk, at most this many bytes in all.
SCANS_UPLOAD_MAX_BYTES = env.int("SCANS_UPLOAD_MAX_BYTES", default=500 * 1024 * 1024)
# An upload is read by a background job (`manage.py jobs_worker`). True: the request that
# sent it runs that job itself before it answers (an installation without a worker; slow
# for big stacks, the proxy's timeout applies).
SCANS_INLINE = env.bool("SCANS_INLINE", default=False)
# The worker lowers its CPU priority to this nice value when it starts reading scans, so
# that the web server (residents) wins on a shared machine (0: leave it as it is).
SCANS_WORKER_NICE = env.int("SCANS_WORKER_NICE", default=10)
# An upload of more pages is read in parts (one job a part: every worker process at once).
SCANS_CHUNK_PAGES = env.int("SCANS_CHUNK_PAGES", default=100)
# An XLSX report downloaded in the panel lists every response on its "Dane surowe" sheet
# up to this many; past it the sheet points to the CSV (XlsxWriter writes ~3.5 µs a
# cell: 100,000 answers of ~45 columns take about 16 s of CPU; bench/xlsx_raw.py).
XLSX_RAW_MAX_ROWS = env.int("XLSX_RAW_MAX_ROWS", default=100_000)
# The anonymity threshold k of reports and exports (reports/compute/disclosure.py).
REPORT_MIN_CELL = env.int("REPORT_MIN_CELL", default=5)
# § 5: a change residents see that needs a new report of the results so far runs as a
# background job when the office has more responses than this (workflows.visible_changes).
REPORT_BEFORE_CHANGE_INLINE_MAX = env.int("REPORT_BEFORE_CHANGE_INLINE_MAX", default=2000)
AXES_CLIENT_IP_CALLABLE = "ocenurzad.accounts.throttling.axes_client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Oceń Urząd"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "pl"
LANGUAGES = [
    ("pl", "Polski"),
    ("en", "English"),
    ("uk", "Українська"),
    ("de", "Deutsch"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(PROJECT_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "ocenurzad.core.staticfiles.ManifestOrPlainStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Production serves what collectstatic wrote; until it has run, the files straight from
# the application (core/staticfiles.py) so that no page fails for want of it.
WHITENOISE_USE_FINDERS = not PRODUCTION or not (Path(STATIC_ROOT) / "staticfiles.json").exists()
WHITENOISE_AUTOREFRESH = False
DOCS_DIR = env.path("DOCS_DIR", default=str(PROJECT_DIR / "docs" / "pl"))
# Pomoc's manual PDF, drawn by a background job once a day per office (not backed up:
# it is drawn again from docs/ whenever needed).
MANUAL_CACHE_DIR = env.path(
    "MANUAL_CACHE_DIR", default=str(PROJECT_DIR / "var" / "cache" / "manual")
)
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(PROJECT_DIR / "var" / "media"))
MEDIA_URL = "/media/"

# Resident pages read the office, its published survey and departments from a per-process
# cache this many seconds old at most (0: off); see core/localcache.py.
RESIDENT_CACHE_SECONDS = env.float("RESIDENT_CACHE_SECONDS", default=5.0)
# Resident pages: a signed form token is valid this long (seconds) and once only.
SURVEY_TOKEN_MAX_AGE = env.int("SURVEY_TOKEN_MAX_AGE", default=3 * 60 * 60)
# Accepted submissions per client (salted, expiring hash) and office; counted in the
# database in the transaction that stores the response (responses/ratelimit.py).
SURVEY_RATE_LIMIT = env.str("SURVEY_RATE_LIMIT", default="20/h")
# Submissions from an office's own networks (its hall's guest Wi-Fi: one public address
# for every resident there), all together, in SURVEY_RATE_LIMIT's window.
OFFICE_NETWORK_RATE_LIMIT = env.int("OFFICE_NETWORK_RATE_LIMIT", default=300)
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
# Reports: when a change between two periods is called reliable (reports/stats.py): at least
# this many respondents in each period, at least this difference on the 1–5 scale (shares:
# in 0..1, 0.05 = 5 percentage points), at false discovery rate REPORT_FDR_RATE over all the
# tests of the report (Benjamini–Hochberg), and responses on at least this share as many
# days in one period as in the other.
REPORT_COMPARE_MIN_N = env.int("REPORT_COMPARE_MIN_N", default=30)
REPORT_MIN_DIFFERENCE = env.float("REPORT_MIN_DIFFERENCE", default=0.15)
REPORT_MIN_SHARE_DIFFERENCE = env.float("REPORT_MIN_SHARE_DIFFERENCE", default=0.05)
REPORT_FDR_RATE = env.float("REPORT_FDR_RATE", default=0.05)
REPORT_COMPARE_MIN_DAYS_RATIO = env.float("REPORT_COMPARE_MIN_DAYS_RATIO", default=0.5)
# A change residents see (survey, office data, departments) archives the report of the
# results so far first; for an office with more responses than this, in a background job
# (workflows/visible_changes.py).
REPORT_BEFORE_CHANGE_INLINE_MAX = env.int("REPORT_BEFORE_CHANGE_INLINE_MAX", default=2000)
# How many reverse proxies in front of the app add themselves to X-Forwarded-For.
# 0 means REMOTE_ADDR is the client.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

# Resident and staff pages load nothing from elsewhere and run no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Powerful browser features no page uses (core/middleware.py sets the header).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Panel sessions (residents never get one): offices share computers at the service desk,
# so a session ends when the browser is closed and after SESSION_IDLE_MINUTES without a
# request (each panel request starts the count again).
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=8 * 60) * 60
SESSION_SAVE_EVERY_REQUEST = True

if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[f"https://*.{BASE_DOMAIN}"])

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ocenurzad@localhost")

# Log lines a hosting company can ship (core/logs.py): one line per event (LOG_FORMAT=json
# for JSON lines), no client address (Django's runserver and our gunicorn.conf.py omit it),
# no password-reset token, no residents' answers; 4xx at WARNING without a traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact": {"()": "ocenurzad.core.logs.RedactSecrets"},
        "client_errors": {"()": "ocenurzad.core.logs.ClientErrorsAsWarnings"},
    },
    "formatters": {
        "one_line": {
            "()": "ocenurzad.core.logs.OneLineFormatter",
            "json_lines": env.str("LOG_FORMAT", default="plain") == "json",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "one_line",
            "filters": ["client_errors", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes says "failure … updated record" on INFO for every attempt.
        "axes": {"level": "WARNING"},
        "django.security.DisallowedHost": {
            "handlers": ["console"],
            "level": "WARNING",
            "propagate": False,
        },
    },
}
