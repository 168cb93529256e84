"""Infolijn settings: everything that differs between machines comes from the environment.

Every value has a safe development default; production sets DEBUG=false, SECRET_KEY (or
SECRET_KEY_FILE), ALLOWED_HOSTS and DATABASE_URL. Any variable can also be read from a file by
setting NAME_FILE=/path (Docker and systemd credentials), which keeps secrets out of the process
environment listing.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """A string from NAME, or from the file named by NAME_FILE."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name}={value!r} is not a boolean (use true or false)")


def env_int(name: str, default: int) -> int:
    value = env(name, "").strip()
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    value = env(name, "")
    return Path(value) if value else default


DEBUG = env_bool("DEBUG", False)
# pytest (8.2 and later) announces itself in PYTEST_VERSION; the suite needs no other switch.
TESTING = env_bool("TESTING", bool(os.environ.get("PYTEST_VERSION")))
SITE_NAME = env("SITE_NAME", "Infolijn")
# The public origin (scheme and host) used in links that leave the app: mail, SMS, QR codes.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

SECRET_KEY = env("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise RuntimeError("SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if (DEBUG or TESTING) else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

VAR_DIR = env_path("VAR_DIR", BASE_DIR / "var")

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before django.contrib.admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_tasks_db",
    "helpdesk",
    "helpdesk.channels.email",
    "helpdesk.channels.twilio",
    "helpdesk.channels.webform",
    "helpdesk.stats",
    "helpdesk.privacy",
    "helpdesk.api",
    "knowledgebase",
    "knowledgebase.search.apps.SearchConfig",  # the PostgreSQL search backend's table
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "helpdesk.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "helpdesk:inbox"
LOGOUT_REDIRECT_URL = "login"

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
                "config.context_processors.site",
            ],
        },
    },
]

# Databases: SQLite is the embedded default, PostgreSQL the production one.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'infolijn.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers and one writer work side by side; IMMEDIATE takes the write lock when a
    # transaction starts, so web processes and the task worker queue up instead of failing with
    # "database is locked" halfway through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # PostgreSQL binds the parameters itself, and a statement a connection has run twice is
    # prepared: the server plans it once per connection instead of once per query, about a tenth
    # of a ticket page's wall time (docs/benchmarks.md). Behind PgBouncer in transaction mode
    # (before 1.21, or without max_prepared_statements) set DATABASE_PREPARE_THRESHOLD=0: no
    # statement is prepared then, parameters are still bound by the server.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True,
        prepare_threshold=env_int("DATABASE_PREPARE_THRESHOLD", 2) or None,
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}
        if env("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# With a shared cache, sessions are read from it and written to it and to the database (the
# record: a restarted or emptied Redis logs nobody out). Every request reads its session, and
# a Redis read costs a quarter of the query's CPU (docs/benchmarks.md). Without one they stay in
# the database only: a per-process cache would keep serving a session that logging out on
# another process ended.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if env("REDIS_URL")
    else "django.contrib.sessions.backends.db"
)

# Background work: django.tasks. Production runs `manage.py db_worker`; tests run tasks inline.
TASKS = {
    "default": {
        "BACKEND": env(
            "TASKS_BACKEND",
            "django.tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend",
        ),
        "QUEUES": ["default", "mail", "search", "webhooks"],
    }
}

# A task RUNNING longer than this is taken to have lost its worker (run_periodic requeues it).
TASKS_STUCK_AFTER_SECONDS = env_int("TASKS_STUCK_AFTER_SECONDS", 30 * 60)

# Knowledge-base search (knowledgebase/search/). The whoosh index lives outside the code tree, one
# per machine; the PostgreSQL backend ("knowledgebase.search.pg_backend.PostgresBackend") is the
# shared alternative.
KB_SEARCH_BACKEND = env("KB_SEARCH_BACKEND", "knowledgebase.search.whoosh_backend.WhooshBackend")
KB_INDEX_DIR = env_path("KB_INDEX_DIR", VAR_DIR / "kb-index")
# Seconds a writer waits for the index lock.
KB_INDEX_WRITE_TIMEOUT = env_int("KB_INDEX_WRITE_TIMEOUT", 120)
# A full rebuild's writer: processes (more than one writes segments in parallel: 5,000 articles ×
# 12 languages took 132 s with 2 on an idle 2-core machine) and memory per process in MB.
KB_INDEX_PROCS = env_int("KB_INDEX_PROCS", 1)
KB_INDEX_LIMITMB = env_int("KB_INDEX_LIMITMB", 256)

PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]  # tests only: speed, never in production
    if TESTING
    else [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ]
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages, in tiers (see docs/translating.md):
# - official: staff work in these; every string of every page, mail and prompt is translated;
# - public: every public page, mail to requesters, the web form and the phone prompts' text;
# - content: knowledge-base content and phone recordings; page chrome falls back to a public one.
LANGUAGE_TIERS = {
    "official": ["nl", "fr", "en"],
    "public": ["ar", "fa", "uk", "ru", "tr", "es"],
    "content": ["ps", "ti", "so"],
}
RTL_LANGUAGES = {"ar", "fa", "ps"}
LANGUAGES_BIDI = sorted(RTL_LANGUAGES)
LANGUAGE_CODE = "nl"
LANGUAGES = [
    ("nl", _("Dutch")),
    ("fr", _("French")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fa", _("Persian (Farsi and Dari)")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
    ("tr", _("Turkish")),
    ("es", _("Spanish")),
    ("ps", _("Pashto")),
    ("ti", _("Tigrinya")),
    ("so", _("Somali")),
]
STAFF_LANGUAGES = LANGUAGE_TIERS["official"]
# Where a text lacks the reader's language, try these in order (then LANGUAGE_CODE).
LANGUAGE_FALLBACKS = {
    "ps": ["fa", "en"],
    "uk": ["ru", "en"],
    "ti": ["en"],
    "so": ["en"],
}
MODELTRANSLATION_DEFAULT_LANGUAGE = "nl"
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_FALLBACK_LANGUAGES = {
    "default": ("nl", "en"),
    **{code: (*chain, "nl") for code, chain in LANGUAGE_FALLBACKS.items()},
}
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date and number formats for languages Django has none for (ps, ti, so): see config/formatting.
FORMAT_MODULE_PATH = ["config.formatting"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", "Europe/Brussels")

# Django lacks locale data for some languages our callers speak; config/languages.py adds it.
from config.languages import teach_django_languages  # noqa: E402

teach_django_languages()

STATIC_URL = "/static/"
STATIC_ROOT = env_path("STATIC_ROOT", VAR_DIR / "static")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # collectstatic fills it; whitenoise wants it there
# Without collectstatic (development, tests) whitenoise serves straight from the app folders.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"  # never served directly: attachments go through a permission-checked view
MEDIA_ROOT = env_path("MEDIA_ROOT", VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Media on S3-compatible object storage instead of a shared folder (docs/deploy.md): needs the
# django-storages package with its s3 extra. Files stay private (no public ACL); downloads still
# go through the app, which checks who may see them.
MEDIA_STORAGE = env("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET", ""),
            "endpoint_url": env("S3_ENDPOINT_URL", "") or None,
            "region_name": env("S3_REGION", "") or None,
            "access_key": env("S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env("S3_SECRET_ACCESS_KEY", "") or None,
            "location": env("S3_PREFIX", "media"),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
elif MEDIA_STORAGE != "filesystem":
    raise RuntimeError("MEDIA_STORAGE must be 'filesystem' or 's3'.")

# Attachments, on every channel.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# By extension: the type we store and serve follows from it, never from what the sender claims.
ATTACHMENT_ALLOWED_EXTENSIONS = env_list(
    "ATTACHMENT_ALLOWED_EXTENSIONS",
    "pdf,jpg,jpeg,png,gif,webp,heic,txt,doc,docx,odt,mp3,m4a,wav,ogg,amr,mp4",
)

# Mail
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Infolijn <infolijn@example.org>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Django 6.1's named mailers. "default" sends everything for now; the email channel may add others.
_EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": (
            {
                "host": env("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": env("EMAIL_HOST_USER", ""),
                "password": env("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "use_ssl": env_bool("EMAIL_USE_SSL", False),
                "timeout": env_int("EMAIL_TIMEOUT", 30),
            }
            if _EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
            else {}
        ),
    }
}

# Security. Production values are the defaults; DEBUG relaxes only what plain HTTP needs.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG or TESTING else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG and not TESTING)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# Self only: no CDN, no web fonts, no analytics. Inline scripts need the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Queues close on this country's public holidays (python-holidays country code).
PUBLIC_HOLIDAYS_COUNTRY = env("PUBLIC_HOLIDAYS_COUNTRY", "BE")

# Phone numbers without a country code are read as numbers of this country.
PHONE_REGION = env("PHONE_REGION", "BE")

# The inbox
INBOX_PAGE_SIZE = env_int("INBOX_PAGE_SIZE", 50)

# --- The REST API (helpdesk.api; see docs/api.md) ---
# Every API view in every app follows these: session (the browser) or a personal token
# (Authorization: Bearer ilt_...), the error body {"error": {"code", "message", "fields"}},
# rate limits per token (or user, or address) counted in the cache, and the OpenAPI schema.
INSTALLED_APPS += ["drf_spectacular"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware") + 1,
    "helpdesk.api.middleware.ApiGuardMiddleware",
)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The token first: its WWW-Authenticate header makes a missing login a 401, not a 403.
        "helpdesk.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "helpdesk.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "helpdesk.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "helpdesk.api.throttling.ClientRateThrottle",
        "helpdesk.api.throttling.AnonymousRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "client": env("API_RATE_PER_CLIENT", "3600/hour"),
        "anonymous": env("API_RATE_ANONYMOUS", "3000/hour"),
    },
    # Behind the reverse proxy, the anonymous rate limit keys on the address it saw.
    "NUM_PROXIES": env_int("TRUSTED_PROXY_COUNT", 1 if env_bool("BEHIND_PROXY", False) else 0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Infolijn API",
    "DESCRIPTION": "Tickets, messages, contacts, queues, the coded lists, the knowledge base and "
    "the statistics of the Infolijn helpdesk. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "ENUM_NAME_OVERRIDES": {
        "TicketStatusEnum": "helpdesk.models.ticket.Status",
        "ChannelEnum": "helpdesk.models.ticket.Channel",
        "PriorityEnum": "helpdesk.models.ticket.Priority",
        "DirectionEnum": "helpdesk.models.message.Direction",
        "DeliveryStatusEnum": "helpdesk.models.message.DeliveryStatus",
    },
}
# Page size of cursor-paginated lists (tickets, messages, contacts); ?page_size= up to the max.
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50)
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 200)
# A token's "last used" is written at most this often (not on every request).
API_TOKEN_TOUCH_SECONDS = env_int("API_TOKEN_TOUCH_SECONDS", 60)

# Outgoing webhooks (registered in Settings → Webhook endpoints). Deliveries are retried with
# exponential backoff (WEBHOOK_RETRY_BASE_SECONDS, doubling) up to WEBHOOK_MAX_ATTEMPTS; an
# endpoint failing WEBHOOK_PAUSE_AFTER_FAILURES attempts in a row is paused (its events are held).
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 6)
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 60)
WEBHOOK_PAUSE_AFTER_FAILURES = env_int("WEBHOOK_PAUSE_AFTER_FAILURES", 15)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_DELIVERY_RETENTION_DAYS = env_int("WEBHOOK_DELIVERY_RETENTION_DAYS", 30)
# Only public addresses are called (no loopback, private, link-local...: SSRF). Tests and a
# development machine may allow them; never in production.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)

# /health/ fails when the oldest runnable background task has waited longer than this.
HEALTH_MAX_TASK_LAG_SECONDS = env_int("HEALTH_MAX_TASK_LAG_SECONDS", 300)
# A machine's own search index may trail the database by this much before /health/ fails
# (its catch-up runs every minute).
KB_INDEX_HEALTH_MAX_LAG_SECONDS = env_int("KB_INDEX_HEALTH_MAX_LAG_SECONDS", 300)

LOG_FORMAT = env("LOG_FORMAT", "plain")  # "json": one JSON object per line, for collectors
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Web form (helpdesk.channels.webform) ---
# The public question form (/<lang>/ask/), its embeddable variant (/<lang>/ask/embed/) and the
# requester's private page (/t/<token>/).
# The queue questions go to when the URL names none; WEBFORM_QUEUES limits which queues the form
# offers (slugs; empty: every active queue).
WEBFORM_DEFAULT_QUEUE = env("WEBFORM_DEFAULT_QUEUE", "infolijn")
WEBFORM_QUEUES = env_list("WEBFORM_QUEUES", "")
# Partner sites allowed to show the form in an iframe (origins, e.g. https://partner.example.org).
# Only the embeddable variant may be framed; every other page keeps frame-ancestors 'none'.
WEBFORM_FRAME_ANCESTORS = env_list("WEBFORM_FRAME_ANCESTORS", "")
WEBFORM_QUESTION_MAX_LENGTH = env_int("WEBFORM_QUESTION_MAX_LENGTH", 10_000)
WEBFORM_MAX_FILES = env_int("WEBFORM_MAX_FILES", 5)
# Spam without surveillance: a person needs a few seconds to fill in the form, and a form page
# stays usable for a day. Rate limits count in the cache (REDIS_URL shares them between
# processes) under a keyed hash of the address, never the address itself; 0 switches one off.
WEBFORM_MIN_FILL_SECONDS = env_int("WEBFORM_MIN_FILL_SECONDS", 3)
WEBFORM_FORM_MAX_AGE_HOURS = env_int("WEBFORM_FORM_MAX_AGE_HOURS", 24)
WEBFORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR = env_int("WEBFORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR", 10)
WEBFORM_SUBMISSIONS_PER_CONTACT_PER_HOUR = env_int("WEBFORM_SUBMISSIONS_PER_CONTACT_PER_HOUR", 5)
WEBFORM_PRIVATE_REQUESTS_PER_ADDRESS_PER_10_MINUTES = env_int(
    "WEBFORM_PRIVATE_REQUESTS_PER_ADDRESS_PER_10_MINUTES", 200
)
WEBFORM_PRIVATE_FAILURES_PER_ADDRESS_PER_HOUR = env_int(
    "WEBFORM_PRIVATE_FAILURES_PER_ADDRESS_PER_HOUR", 20
)
# How many proxies in front of the app append to X-Forwarded-For (the client is the entry they
# saw). 0 reads REMOTE_ADDR only: a header anyone can send must not choose the rate-limit key.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if env_bool("BEHIND_PROXY", False) else 0)
# The knowledge-base search the form asks for suggestions while a question is typed.
WEBFORM_KB_SEARCH_URL = env("WEBFORM_KB_SEARCH_URL", "/api/v1/kb/search/")
# What the privacy notice on the form says (keep in line with the retention rules, docs/privacy.md).
WEBFORM_PRIVACY_CONTACT_EMAIL = env(
    "WEBFORM_PRIVACY_CONTACT_EMAIL", DEFAULT_FROM_EMAIL.rpartition("<")[2].rstrip(">").strip()
)

# --- Email channel ---
# Mailboxes (IMAP server, user, the NAME of the variable holding the password) are set up per
# queue in the admin; the settings here are the channel's behaviour.
INSTALLED_APPS += ["anymail"]
# Named mailer (MAILERS) that answers and acknowledgements go out through.
EMAIL_MAILER = env("EMAIL_MAILER", "default")
EMAIL_POLL_INTERVAL_SECONDS = env_int("EMAIL_POLL_INTERVAL_SECONDS", 60)
# A poller holds its mailbox this long, renewed after each batch; a dead poller's lease expires.
EMAIL_POLL_LEASE_SECONDS = env_int("EMAIL_POLL_LEASE_SECONDS", 3 * 60)
EMAIL_IMAP_TIMEOUT_SECONDS = env_int("EMAIL_IMAP_TIMEOUT_SECONDS", 60)
# Mail to an address no mailbox or queue has (webhooks, imports without --queue) goes here.
EMAIL_DEFAULT_QUEUE = env("EMAIL_DEFAULT_QUEUE", "infolijn")
EMAIL_SEND_MAX_ATTEMPTS = env_int("EMAIL_SEND_MAX_ATTEMPTS", 6)
# A send claimed longer ago than this was interrupted (its worker died).
EMAIL_SEND_TIMEOUT_SECONDS = env_int("EMAIL_SEND_TIMEOUT_SECONDS", 15 * 60)
# Acknowledgements of new tickets, at most EMAIL_ACK_LIMIT per address per window.
EMAIL_ACK_ENABLED = env_bool("EMAIL_ACK_ENABLED", True)
EMAIL_ACK_LIMIT = env_int("EMAIL_ACK_LIMIT", 3)
EMAIL_ACK_WINDOW_SECONDS = env_int("EMAIL_ACK_WINDOW_SECONDS", 24 * 60 * 60)
# The raw bytes of processed mail are removed after this many days (0 keeps them).
EMAIL_RAW_RETENTION_DAYS = env_int("EMAIL_RAW_RETENTION_DAYS", 90)
# Providers whose inbound webhook (/channels/email/inbound/<provider>/) is switched on, e.g.
# "mailgun,postmark"; each needs ANYMAIL_WEBHOOK_SECRET ("user:password" for basic auth).
EMAIL_INBOUND_PROVIDERS = env_list("EMAIL_INBOUND_PROVIDERS", "")
ANYMAIL = {
    key: value
    for key, value in {
        "WEBHOOK_SECRET": env("ANYMAIL_WEBHOOK_SECRET", ""),
        "MAILGUN_WEBHOOK_SIGNING_KEY": env("ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY", ""),
        "MANDRILL_WEBHOOK_KEY": env("ANYMAIL_MANDRILL_WEBHOOK_KEY", ""),
        "POSTAL_WEBHOOK_KEY": env("ANYMAIL_POSTAL_WEBHOOK_KEY", ""),
        "MAILERSEND_INBOUND_SECRET": env("ANYMAIL_MAILERSEND_INBOUND_SECRET", ""),
        "RESEND_INBOUND_SECRET": env("ANYMAIL_RESEND_INBOUND_SECRET", ""),
    }.items()
    if value
}

# --- Privacy, security and audit (helpdesk.privacy; see docs/privacy.md) ---
INSTALLED_APPS += [
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # single-use backup codes for a lost phone
]
# django-otp marks the session's second factor on request.user; ours then asks for it where the
# role needs it and ends idle sessions. PrivacyMiddleware is innermost: it sees the view's
# response first (download and cache headers) and gives the audit log the request's address.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE += [
    "helpdesk.privacy.middleware.TwoFactorMiddleware",
    "helpdesk.privacy.middleware.PrivacyMiddleware",
]
# The model backend, refusing to check a password while its account or address is throttled.
AUTHENTICATION_BACKENDS = ["helpdesk.privacy.auth.ThrottledModelBackend"]

# Retention (days). Per queue and channel they are changed in the admin (retention rules).
PRIVACY_TICKET_RETENTION_DAYS = env_int("PRIVACY_TICKET_RETENTION_DAYS", 365)  # after closing
PRIVACY_RECORDING_RETENTION_DAYS = env_int("PRIVACY_RECORDING_RETENTION_DAYS", 30)
PRIVACY_AUDIT_RETENTION_DAYS = env_int("PRIVACY_AUDIT_RETENTION_DAYS", 2 * 365)

# Two-factor authentication (TOTP, with backup codes). Always required for anyone who can open
# the admin (is_staff or superuser) and for these roles; TWO_FACTOR_REQUIRED_FOR_ALL extends it
# to everyone. Anyone else may turn it on for themselves, and is then always asked for it.
TWO_FACTOR_REQUIRED_FOR_ALL = env_bool("TWO_FACTOR_REQUIRED_FOR_ALL", False)
TWO_FACTOR_REQUIRED_GROUPS = env_list("TWO_FACTOR_REQUIRED_GROUPS", "Administrator,Coordinator")
OTP_TOTP_ISSUER = SITE_NAME
OTP_TOTP_THROTTLE_FACTOR = 1  # after each wrong code the next try waits 1, 2, 4, 8... seconds
OTP_STATIC_THROTTLE_FACTOR = 1

# Login throttling, counted in the audit log (shared by every process, survives restarts): after
# this many failures within the window an account (whether it exists or not) or an address is
# refused until the oldest failure leaves the window.
LOGIN_THROTTLE_WINDOW_SECONDS = env_int("LOGIN_THROTTLE_WINDOW_SECONDS", 15 * 60)
LOGIN_THROTTLE_PER_ACCOUNT = env_int("LOGIN_THROTTLE_PER_ACCOUNT", 5)
LOGIN_THROTTLE_PER_ADDRESS = env_int("LOGIN_THROTTLE_PER_ADDRESS", 30)  # an office shares one
PASSWORD_RESET_PER_HOUR = env_int("PASSWORD_RESET_PER_HOUR", 3)  # per address typed and per IP
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 2 * 60 * 60)  # a reset link's life

# A session ends after SESSION_COOKIE_AGE at the latest, and after this long without a request.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 2 * 60 * 60)
if SESSION_COOKIE_SECURE:
    # __Host- cookies are only accepted over HTTPS, for this exact host, path /: no subdomain
    # or plain-HTTP page can set or overwrite them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
# Browser features no page of ours uses.
PERMISSIONS_POLICY = env(
    "PERMISSIONS_POLICY",
    "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
)
# Behind the reverse proxy, the client's address is the last one it adds to X-Forwarded-For.
PRIVACY_TRUST_FORWARDED_FOR = env_bool("BEHIND_PROXY", False)

# --- Phone, SMS and WhatsApp (Twilio) ---
# The channel is on when the account SID and auth token are set. The token is a secret: set it
# with TWILIO_AUTH_TOKEN_FILE=/path in production, never in a file in the repository.
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", "")
# The origin Twilio calls (https://infolijn.example.org). Webhook signatures are computed over the
# URL Twilio requested, which behind a reverse proxy is not the one Django sees; the URLs in our
# TwiML are built on it too.
TWILIO_PUBLIC_BASE_URL = env("TWILIO_PUBLIC_BASE_URL", SITE_URL).rstrip("/")
# Recording of answered calls: off unless the organisation decides otherwise (voicemail is always
# recorded, but only after the caller agreed to it).
TWILIO_RECORD_CALLS = env_bool("TWILIO_RECORD_CALLS", False)
# Recordings (voicemail and calls) are deleted this many days after they were made.
TWILIO_RECORDING_RETENTION_DAYS = env_int("TWILIO_RECORDING_RETENTION_DAYS", 30)
# Once we hold a copy, delete recordings and message media at Twilio, so they exist in one place.
TWILIO_DELETE_AT_TWILIO = env_bool("TWILIO_DELETE_AT_TWILIO", True)
TWILIO_VOICEMAIL_MAX_SECONDS = env_int("TWILIO_VOICEMAIL_MAX_SECONDS", 180)
# Twilio transcribes voicemail only in English, and only recordings of 2-120 seconds.
TWILIO_TRANSCRIBE_LANGUAGES = env_list("TWILIO_TRANSCRIBE_LANGUAGES", "en")
# How long a staff member's phone rings before we try again (they are rung while callers wait).
TWILIO_AGENT_RING_SECONDS = env_int("TWILIO_AGENT_RING_SECONDS", 20)
# A text or voicemail joins the requester's open ticket in the same queue if it was active within
# this many days; otherwise it opens a new ticket.
TWILIO_MESSAGE_THREAD_DAYS = env_int("TWILIO_MESSAGE_THREAD_DAYS", 14)
# SMS replies end with the requester's private link (the whole conversation and attachments).
TWILIO_SMS_INCLUDE_LINK = env_bool("TWILIO_SMS_INCLUDE_LINK", True)
# What callers hear while they wait, unless a hold recording is uploaded in the admin.
TWILIO_HOLD_MUSIC_URL = env(
    "TWILIO_HOLD_MUSIC_URL", "https://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3"
)
TWILIO_HTTP_TIMEOUT = env_int("TWILIO_HTTP_TIMEOUT", 15)
# Development and demos without a Twilio account: REST calls are answered by a local stand-in
# (logged, never sent). Refused unless DEBUG is on.
TWILIO_FAKE_API = env_bool("TWILIO_FAKE_API", False)

# --- Knowledge base (pages, API, statistics; the search engine's settings are KB_SEARCH_*) ---
# Searches (the words typed, the language, the number of results; nothing about the person) are
# kept this many days: long enough for last year's annual report.
KB_SEARCH_LOG_RETENTION_DAYS = env_int("KB_SEARCH_LOG_RETENTION_DAYS", 2 * 365)
