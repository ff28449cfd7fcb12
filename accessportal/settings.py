"""One settings module, driven by environment variables.

Without any variable the portal runs embedded: an SQLite file under ``var/``, Celery on kombu's
filesystem transport, mails recorded in the outbox and printed on the console. ``DATABASE_URL``
switches to PostgreSQL (psycopg 3 with its connection pool), ``REDIS_URL`` to Redis for the broker
and the cache. ``DJANGO_DEBUG=0`` with ``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS`` is the
production setup that ``manage.py check --deploy`` accepts: without ``DJANGO_SECRET_KEY`` it refuses to
start, and demo mode stays off unless ``ACCESSPORTAL_DEMO_MODE=1`` asks for it.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ACCESSPORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "").strip()
if not SECRET_KEY:
    if not DEBUG:
        # A fallback key in production would sign every session and wizard reference with a secret
        # anyone can read in this file.
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=0 the portal needs a long random secret, "
            "e.g. python -c 'import secrets; print(secrets.token_urlsafe(64))'."
        )
    SECRET_KEY = "django-insecure-development-key-only-for-the-embedded-default"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# Demo mode shows the demo mailbox, the persona shortcuts and the demo reload a trainer needs. On by
# default only in development: a production server turns it on with ACCESSPORTAL_DEMO_MODE=1 alone,
# and `manage.py check --deploy` then warns (accessportal.W001, accessportal/checks.py).
DEMO_MODE = env_bool("ACCESSPORTAL_DEMO_MODE", DEBUG)
# The address trainees type on their own laptops (http://<LAN address>:<port>/), shown with its QR
# code on /opleiding/ and on every printed card; empty: the address the trainer's browser used.
CLASSROOM_URL = os.environ.get("ACCESSPORTAL_CLASSROOM_URL", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # Django's widget templates, for FORM_RENDERER below
    "django_htmx",
    "accessportal",
    "identity",
    "enterprises",
    "administrators",
    "subdivisions",
    "users",
    "roles",
    "worlds",
    "training",
    "helpdesk",
    "history",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "accessportal.middleware.RefuseNulBytesMiddleware",  # before anything reads the session or a form
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "training.middleware.SandboxMiddleware",
    "history.middleware.PastViewMiddleware",
    "accessportal.middleware.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accessportal.middleware.PageTitleMiddleware",  # after HtmxMiddleware: it leaves htmx's partials alone
]

ROOT_URLCONF = "accessportal.urls"
# Widgets render through the project's templates: templates/django/forms/widgets/ writes the includes
# of Django's select, checkbox and radio lists and inputs into one template each (the same HTML).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "accessportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accessportal.context_processors.portal",
                "training.context_processors.sandbox",
            ],
            "builtins": ["accessportal.templatetags.portal"],
        },
    },
]

# Database: SQLite embedded, PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'accessportal.sqlite3'}",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections
    # A form's choices are read with iterator(): on a server-side cursor that is DECLARE, FETCH and
    # CLOSE, three round trips for a list of ten; the lists iterated here are small or paged.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN", "2")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX", "10")),
        "timeout": 10,
    }
else:
    # The embedded database of a classroom: one writer at a time, so writes take the lock at BEGIN
    # (IMMEDIATE: no deadlock between two readers that both want to write) and wait up to 20 s for
    # it; readers never wait (WAL); a commit does not wait for the disk (synchronous=NORMAL: a power
    # cut may lose the last seconds of a training, never corrupt it); each server thread keeps its
    # connection.
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded database lives there
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "accessportal.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Files under var/: shared by every process of the embedded default (web workers, Celery), so a
    # sign-in throttle or a once-per-build flag means the same thing to all of them.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_USER_MODEL = "identity.Person"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "training.hashers.SandboxPinHasher",  # the simulated PINs of training sandboxes only
]
AUTHENTICATION_BACKENDS = ["identity.backends.PortalBackend"]  # ModelBackend, with the unread count
LOGIN_URL = "identity:sign-in"
LOGIN_REDIRECT_URL = "/"
# The one-time link a user gets when a toegangsbeheerder resets their password ("Beheer van de
# wachtwoorden"): valid for 24 hours (identity.tokens.PasswordResetLinkTokens).
PASSWORD_RESET_TIMEOUT = 24 * 3600
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Dutch is the source language (the manual's wording).
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("fr", "Français"), ("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded files (the contact center's attachments) live here. No URL serves this folder: a file leaves
# only through a view that checks who asks (helpdesk.views.attachment).
MEDIA_ROOT = Path(os.environ.get("ACCESSPORTAL_MEDIA_DIR", VAR_DIR / "media"))
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

# Security. Strict CSP: no inline scripts or styles anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Sessions in the database and read through the cache: a page reads its session without a query, a
# session outlives a cache flush, and the trainers' view of who is signed in reads the table.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
_https = not DEBUG and env_bool("DJANGO_HTTPS", True)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = _https
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Mail: every mail is an outbox row first; Celery hands it to the default mailer.
EMAIL_BACKEND_PATH = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": 10,
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "CSAM <noreply@csam.accessportal.test>")
MAIL_DOMAIN = os.environ.get("ACCESSPORTAL_MAIL_DOMAIN", "accessportal.test")

# Celery: Redis when REDIS_URL is set, else kombu's filesystem transport under var/.
CELERY_FILESYSTEM_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT = "accessportal.broker:RedisTransport"  # one client per channel
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT = "accessportal.broker:Transport"  # writes each message atomically
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FILESYSTEM_DIR / "queue"),
        "data_folder_out": str(CELERY_FILESYSTEM_DIR / "queue"),
        "processed_folder": str(CELERY_FILESYSTEM_DIR / "processed"),
        "control_folder": str(CELERY_FILESYSTEM_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
OUTBOX_SWEEP_SECONDS = int(os.environ.get("ACCESSPORTAL_OUTBOX_SWEEP_SECONDS", "30"))
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {
        "task": "accessportal.tasks.sweep_outbox",
        "schedule": timedelta(seconds=OUTBOX_SWEEP_SECONDS),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Role and right changes take effect after this delay (the manual's "binnen maximum 20 minuten").
PROPAGATION_DELAY = (
    timedelta(seconds=int(os.environ["ACCESSPORTAL_PROPAGATION_SECONDS"]))  # the fault test's short delay
    if os.environ.get("ACCESSPORTAL_PROPAGATION_SECONDS")
    else timedelta(minutes=int(os.environ.get("ACCESSPORTAL_PROPAGATION_MINUTES", "20")))
)
# An outbox row is retried by the sweep once it is this old and still unsent.
OUTBOX_RETRY_AFTER = timedelta(seconds=int(os.environ.get("ACCESSPORTAL_OUTBOX_RETRY_SECONDS", "60")))

# The eID simulation: a card blocks after this many wrong PINs, as a real one does.
EID_MAX_PIN_ATTEMPTS = 3

# --- Sign-in throttling (identity.throttle) ------------------------------------------------------
# Failed sign-ins (eID, itsme, token, username + password, /admin/login/) per identifier (INSZ,
# gsm-nummer, gebruikersnaam) and per client address, within a sliding window. Generous for a
# classroom of 40 trainees behind one address (two or three mistakes each in ten minutes); a person's
# own identifier still allows five, above the three wrong PINs or itsme codes that block a key.
SIGNIN_THROTTLE_WINDOW_SECONDS = 60 * int(os.environ.get("ACCESSPORTAL_SIGNIN_THROTTLE_MINUTES", "10"))
SIGNIN_THROTTLE_PER_IDENTIFIER = int(os.environ.get("ACCESSPORTAL_SIGNIN_THROTTLE_PER_IDENTIFIER", "5"))
SIGNIN_THROTTLE_PER_ADDRESS = int(os.environ.get("ACCESSPORTAL_SIGNIN_THROTTLE_PER_ADDRESS", "100"))
# --- end of sign-in throttling --------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
