"""Settings of the CIEP portal, read from the environment (see .env.example and the README)."""

import json
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(set DJANGO_DEBUG=1 for local development)."
        )
    SECRET_KEY = "insecure-development-key-only-for-DJANGO_DEBUG"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "django_countries",
    "django_prometheus",
    "auditlog",
    # django-ninja, for the JSON API; listed so that its Swagger UI files are static files.
    "ninja",
    "ciep",
    "exhibitions",
    "recruitment",
    "projects",
    "forums",
    "news",
]

MIDDLEWARE = [
    "ciep.observability.RequestIdMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "ciep.security.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ciep.languages.LanguageNegotiationMiddleware",
    "ciep.caching.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ciep.ratelimits.RateLimitMiddleware",
    "ciep.second_factor.StaffSecondFactorMiddleware",
    "ciep.audit.AuditActorMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "ciep.urls"
FORM_RENDERER = "ciep.forms_rendering.PortalFormRenderer"
FORMS_URLFIELD_ASSUME_HTTPS = True
WSGI_APPLICATION = "ciep.wsgi.application"

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
                "django.template.context_processors.i18n",
                "ciep.context_processors.portal",
            ],
        },
    },
]

# Database: DATABASE_URL, or the embedded SQLite file that needs no set-up.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers or test threads share one file: wait for the lock instead of
    # failing, and take the write lock at the start of a transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that is down or never answers must fail a request in seconds, not hold a
    # worker until gunicorn kills it: a bounded connection attempt and statement time.
    # The portal's tables fit in memory: tell the planner that a random read costs little more
    # than a sequential one (PostgreSQL's default of 4 assumes spinning disks), or it scans
    # whole tables rather than use the trigram indexes behind keyword searches.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options.setdefault("connect_timeout", int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "5")))
    _pg_options.setdefault(
        "options",
        f"-c random_page_cost={os.environ.get('DJANGO_PG_RANDOM_PAGE_COST', '1.1')}"
        f" -c statement_timeout={os.environ.get('DJANGO_DB_STATEMENT_TIMEOUT', '30s')}",
    )
    # Forms iterate their choices with QuerySet.iterator(), which on PostgreSQL declares a
    # server-side cursor: three round trips for a dozen rows. The portal streams no result
    # large enough to need one.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, otherwise files in DJANGO_CACHE_DIR (ciep/file_cache.py),
# which every process of the machine shares, as the page versions and the rate limits
# need, and whose counters are atomic. A Redis that is down or slow counts as a cache that holds
# nothing (ciep/redis_cache.py): pages are drawn from the database, sessions are read from their
# table, and rate limits are not applied until it is back. Sessions have a cache of their
# own, so that pages filling the cache never push them out.
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_TIMEOUT = float(os.environ.get("DJANGO_REDIS_TIMEOUT", "0.5"))
CACHE_DIR = Path(os.environ.get("DJANGO_CACHE_DIR", BASE_DIR / ".cache"))
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "ciep.redis_cache.PortalRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
        for alias, prefix in (("default", "ciep"), ("sessions", "ciep-sessions"))
    }
else:
    CACHES = {
        alias: {
            "BACKEND": "ciep.file_cache.PortalFileCache",
            "LOCATION": CACHE_DIR / alias,
            "OPTIONS": {"MAX_ENTRIES": entries},
        }
        for alias, entries in (("default", 20000), ("sessions", 50000))
    }
SESSION_CACHE_ALIAS = "sessions"

AUTH_USER_MODEL = "ciep.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "ciep.passwords.FairWordsPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "ciep:dashboard"

# django-allauth: email is the login and must be verified.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "ciep.forms.SignupForm"
ACCOUNT_FORMS = {"login": "ciep.account_forms.LoginForm"}
ACCOUNT_ADAPTER = "ciep.adapters.AccountAdapter"
# Reversed in the language of the page signed out from, so a Chinese reader stays in Chinese.
ACCOUNT_LOGOUT_REDIRECT_URL = "ciep:home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CIEP] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# The portal's own limits on posts that mail someone or create what others see
# (ciep/ratelimits.py): DJANGO_RATE_LIMITS, a JSON object, changes or removes any of them.
RATE_LIMITS = json.loads(os.environ.get("DJANGO_RATE_LIMITS") or "{}")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "CIEP"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
FORMAT_MODULE_PATH = ["ciep.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# django-filter: an unset filter reads "Any", not a row of dashes.
FILTERS_EMPTY_CHOICE_LABEL = _("Any")

# Hong Kong, Macao and Taiwan are regions of China, named as such. The other names are
# django-countries' own English ones, listed so that this catalogue gives them the Chinese names
# of the Ministry of Foreign Affairs' list where django-countries' has a typo or a wrong name
# (尼珀尔 for Nepal, 美属萨摩亚群岛 for Samoa, a truncated 波斯尼亚和黑塞哥维).
COUNTRIES_OVERRIDE = {
    "HK": _("Hong Kong, China"),
    "MO": _("Macao, China"),
    "TW": _("Taiwan, China"),
    "BA": _("Bosnia and Herzegovina"),
    "DM": _("Dominica"),
    "GF": _("French Guiana"),
    "KG": _("Kyrgyzstan"),
    "KM": _("Comoros"),
    "LR": _("Liberia"),
    "MK": _("North Macedonia"),
    "ML": _("Mali"),
    "NP": _("Nepal"),
    "RE": _("Réunion"),
    "SJ": _("Svalbard and Jan Mayen"),
    "SR": _("Suriname"),
    "TJ": _("Tajikistan"),
    "TT": _("Trinidad and Tobago"),
    "WS": _("Samoa"),
}
COUNTRIES_FIRST = ["CN", "HK", "MO", "TW"]
COUNTRIES_FIRST_REPEAT = False

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Public media on the local disk may be served from another, cookie-less origin (README,
# "Serving user files from a separate origin"), e.g. https://media.ciep.example.org/.
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "media/")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Private files (CVs, signed agreements, talents' photos) live apart from public media and are
# only ever served by the views that check who asks (ciep/storage.py).
PRIVATE_ROOT = Path(os.environ.get("DJANGO_PRIVATE_ROOT", BASE_DIR / "private"))
# Seconds a private file's storage URL (issued only to organisers in the admin) stays valid.
PRIVATE_URL_MAX_AGE = int(os.environ.get("DJANGO_PRIVATE_URL_MAX_AGE", "300"))
STATICFILES_STORAGE_BACKEND = (
    "django.contrib.staticfiles.storage.StaticFilesStorage"
    if DEBUG
    else "whitenoise.storage.CompressedManifestStaticFilesStorage"
)
# Object storage: any S3-compatible service (MinIO, Alibaba Cloud OSS, Tencent COS, AWS) when
# a public bucket is named; otherwise the local file system, which only one machine can use.
S3_PUBLIC_BUCKET = os.environ.get("DJANGO_S3_PUBLIC_BUCKET", "")
if S3_PUBLIC_BUCKET:
    from botocore.config import Config as _BotoConfig

    _s3 = {
        "endpoint_url": os.environ.get("DJANGO_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("DJANGO_S3_REGION") or None,
        "access_key": os.environ.get("DJANGO_S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("DJANGO_S3_SECRET_ACCESS_KEY") or None,
        "addressing_style": os.environ.get("DJANGO_S3_ADDRESSING_STYLE") or None,
        "signature_version": "s3v4",
        "file_overwrite": False,
        "client_config": _BotoConfig(
            connect_timeout=float(os.environ.get("DJANGO_S3_TIMEOUT", "3")),
            read_timeout=float(os.environ.get("DJANGO_S3_TIMEOUT", "3")) * 4,
            retries={"max_attempts": 2, "mode": "standard"},
        ),
    }
    STORAGES = {
        "default": {
            "BACKEND": "ciep.s3.PortalS3Storage",
            "OPTIONS": {
                **_s3,
                "bucket_name": S3_PUBLIC_BUCKET,
                "custom_domain": os.environ.get("DJANGO_S3_CUSTOM_DOMAIN") or None,
                "url_protocol": os.environ.get("DJANGO_S3_URL_PROTOCOL", "https:"),
                "querystring_auth": False,
                # Names are random and never reused, so a public file may be cached for good.
                "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            },
        },
        "private": {
            "BACKEND": "ciep.s3.PortalS3Storage",
            "OPTIONS": {
                **_s3,
                "bucket_name": os.environ.get("DJANGO_S3_PRIVATE_BUCKET", ""),
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": PRIVATE_URL_MAX_AGE,
                "object_parameters": {
                    "CacheControl": "private, no-store",
                    "ContentDisposition": "attachment",
                },
            },
        },
        "staticfiles": {"BACKEND": STATICFILES_STORAGE_BACKEND},
    }
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "ciep.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": PRIVATE_ROOT},
        },
        "staticfiles": {"BACKEND": STATICFILES_STORAGE_BACKEND},
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# Email: printed on the console unless an SMTP server is configured.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS")
# Mail is sent by the task queue, never inside a request; a mail server that never answers
# holds a worker for this many seconds, then the mail is retried.
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "CIEP <noreply@ciep.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Task queue: Celery, with Redis as broker by default (RabbitMQ with an amqp:// URL). With
# neither a broker nor Redis, tasks run in the web process right after the transaction commits.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# A broker that is down must not hold a request: publishing fails fast, and what was not
# queued is found again by the periodic sweep (the outbox keeps every mail in the database).
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 2,
    "socket_connect_timeout": 1,
    "visibility_timeout": 3600,
}
# Seconds before the first retry of a failed task; each retry waits twice as long as the last.
TASK_RETRY_DELAY = float(os.environ.get("DJANGO_TASK_RETRY_DELAY", "30"))
# Days a sent mail is kept in the outbox (it holds personal data) before it is deleted.
MAIL_KEEP_DAYS = int(os.environ.get("DJANGO_MAIL_KEEP_DAYS", "7"))
# Webhooks may be subscribed and delivered to http:// and to private or loopback addresses
# only when this is on: the tests turn it on for a receiver of their own on 127.0.0.1. It is
# deliberately not read from the environment (an organisation must never reach the portal's
# own network through a webhook).
WEBHOOKS_ALLOW_LOCAL = False
# Where people write about their personal information (the privacy notice names it).
PRIVACY_CONTACT_EMAIL = os.environ.get("DJANGO_PRIVACY_CONTACT_EMAIL", "privacy@ciep.example")
# One scheduler (celery beat) for all periodic work; every task is safe to run twice at once.
CELERY_BEAT_SCHEDULE = {
    "mail-sweep": {"task": "ciep.tasks.mail_sweep", "schedule": 60.0},
    "webhook-sweep": {"task": "ciep.tasks.webhook_sweep", "schedule": 60.0},
    "mail-purge": {"task": "ciep.tasks.mail_purge", "schedule": crontab(hour=3, minute=30)},
    "form-submissions-purge": {
        "task": "ciep.tasks.form_submissions_purge",
        "schedule": crontab(hour=3, minute=40),
    },
    "idempotency-keys-purge": {
        "task": "ciep.tasks.idempotency_keys_purge",
        "schedule": crontab(hour=3, minute=45),
    },
    "job-alerts": {"task": "recruitment.tasks.job_alerts", "schedule": crontab(hour=7, minute=0)},
    "job-postings-daily": {
        "task": "recruitment.tasks.job_postings_daily",
        "schedule": crontab(hour=6, minute=0),
    },
    # A posting closes (and its webhooks hear posting.closed) within the hour its deadline
    # passes, China time, not at the next morning's run.
    "job-postings-expire": {
        "task": "recruitment.tasks.job_postings_expire",
        "schedule": crontab(minute=1),
    },
    "news-publish-due": {"task": "news.tasks.publish_due", "schedule": 60.0},
    # A lapsed request's interpreter hears of it within five minutes.
    "meetings-lapse": {"task": "exhibitions.tasks.meetings_lapse", "schedule": 300.0},
    "agreement-followups": {
        "task": "projects.tasks.followups",
        "schedule": crontab(hour=8, minute=0),
    },
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Security: everything on unless debugging.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache and written through to the database, which keeps them.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Content-Security-Policy and Permissions-Policy (ciep/security.py). Public media on object
# storage come from its own origin, which images and media may load from; the policy is only
# reported, not enforced, with DJANGO_CSP_REPORT_ONLY (to roll a change out).
from ciep.security import media_url_origins, public_media_origins  # noqa: E402

CSP_MEDIA_ORIGINS = public_media_origins(
    bucket=S3_PUBLIC_BUCKET,
    custom_domain=os.environ.get("DJANGO_S3_CUSTOM_DOMAIN", ""),
    url_protocol=os.environ.get("DJANGO_S3_URL_PROTOCOL", "https:"),
    endpoint_url=os.environ.get("DJANGO_S3_ENDPOINT_URL", ""),
    region=os.environ.get("DJANGO_S3_REGION", ""),
    addressing_style=os.environ.get("DJANGO_S3_ADDRESSING_STYLE", ""),
) or media_url_origins(MEDIA_URL)
CSP_REPORT_ONLY = env_bool("DJANGO_CSP_REPORT_ONLY")
# Browsers fetch every resource over HTTPS where the portal itself is served only over HTTPS.
CSP_UPGRADE_INSECURE_REQUESTS = not DEBUG and env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# The site's own name in both languages, used by emails and the page title.
PORTAL_NAME = _("Conference on International Exchange of Professionals")
# The port `make run` serves on (PORT=8100 make run); links default to it when no public
# address is given.
DEV_PORT = os.environ.get("PORT", "").strip() or "8000"
# The public address of the portal, used in links inside emails and calendar files.
PORTAL_URL = os.environ.get("DJANGO_PORTAL_URL", "").strip() or f"http://127.0.0.1:{DEV_PORT}"
# Size of the 17th edition that ``seed_demo`` generates (1: its real figures; 0: none).
DEMO_EDITION_SCALE = float(os.environ.get("DEMO_EDITION_SCALE", "0.1"))

# Operations: proxies, request ids, logs, metrics, error reports.


def env_addresses(name: str) -> list[tuple[str, str]]:
    """`Name <addr>,Other <addr2>` as Django's ADMINS: a list of (name, address) pairs."""
    from email.utils import getaddresses

    value = os.environ.get(name, "")
    pairs = getaddresses([value]) if value.strip() else []
    for display_name, address in pairs:
        if "@" not in address:
            raise ImproperlyConfigured(f"{name}: {display_name or address!r} has no address.")
    return [(display_name or address, address) for display_name, address in pairs]


# Behind N proxies of ours (nginx appends the peer to X-Forwarded-For), the client is the Nth
# address from the right; what lies left of it is whatever the client claimed. With 0 the
# header is ignored. allauth's rate limits and the logs' client_ip follow this rule.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXIES", "0"))

LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "WARNING").upper()
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "") or ("text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("DJANGO_LOG_FORMAT must be json or text.")

ADMINS = env_addresses("DJANGO_ADMINS")
# Only a scraper holding this token sees /metrics; unset, the route answers 404 to everyone.
METRICS_TOKEN = os.environ.get("DJANGO_METRICS_TOKEN", "")
# Prometheus scrapes each app server over the private network, past the TLS proxy.
SECURE_REDIRECT_EXEMPT = [r"^metrics$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "ciep.observability.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "json": {"()": "ciep.observability.JSONFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        },
        "mail_admins": {
            "class": "ciep.observability.QueuedAdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Replaces Django's default set-up, whose mail handler would send in the request.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.request": {
            "handlers": ["mail_admins"] if ADMINS else [],
            "level": LOG_LEVEL,
            "propagate": True,
        },
    },
}
# Celery workers log through the same handlers rather than replacing the root logger's.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        environment=os.environ.get("SENTRY_ENVIRONMENT") or None,
        release=os.environ.get("SENTRY_RELEASE") or None,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
