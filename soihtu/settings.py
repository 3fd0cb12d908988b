"""Soihtu's one settings module, driven by the environment.

Development runs with the defaults (SQLite, DEBUG on); the demo turns DEBUG off, so that it
shows the site's own error pages, and serves its static files itself. Production is selected with
SOIHTU_ENV=production, which turns DEBUG off, requires SECRET_KEY and ALLOWED_HOSTS and switches
on the secure-cookie and HSTS settings. DATABASE_URL chooses the database (PostgreSQL in
production, SQLite by default).
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("SOIHTU_ENV", "development") == "production"
DEMO_MODE = env_bool("SOIHTU_DEMO", default=False)
# The demo is shown to people: a missing page shows the site's 404 page, not Django's debug page.
DEBUG = env_bool("DEBUG", default=not PRODUCTION and not DEMO_MODE)
# Without DEBUG, runserver no longer serves static files: WhiteNoise serves them from the apps'
# folders instead (in production from STATIC_ROOT, after collectstatic).
WHITENOISE_USE_FINDERS = DEBUG or DEMO_MODE

if PRODUCTION:
    SECRET_KEY = os.environ["SECRET_KEY"]
    # Rotating the key: the old one stays here until the sessions and links it signed have
    # expired (docs/security.md, "Keys and secrets").
    SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "soihtu.core.admin_site.SoihtuAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "soihtu.core",
    "soihtu.accounts",
    "soihtu.organization",
    "soihtu.cycles",
    "soihtu.okrs",
    "soihtu.checkins",
    "soihtu.audit",
    "soihtu.planning",
    "soihtu.followup",
    "soihtu.retrospectives",
    "soihtu.learning",
    "soihtu.successes",
    "soihtu.ideas",
    "soihtu.comments",
    "soihtu.desk",
    "soihtu.surveys",
    "soihtu.dashboard",
    "soihtu.hrimport",
    "soihtu.api",
    "soihtu.exchange",
    "soihtu.vivagoals",
    "soihtu.notifications",
    "soihtu.transparency",
    "soihtu.privacy",
    "soihtu.demo",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "soihtu.accounts.middleware.SessionLifetimeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "soihtu.core.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # A 403 from the access layer is recorded as a security event (docs/privacy.md).
    "soihtu.audit.middleware.RefusedRequestMiddleware",
]

ROOT_URLCONF = "soihtu.urls"
URLIZE_ASSUME_HTTPS = True  # addresses typed without a scheme (the accessibility statement's)
WSGI_APPLICATION = "soihtu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "soihtu.core.context_processors.soihtu",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Page queries are short; PostgreSQL's JIT compiler would spend half a second compiling
    # the recursive line-of-sight queries whose row estimates are pessimistic.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# No state in the application process: sessions in the database, cache in the database or Redis.
# Soihtu's own session table knows whose each session is, so people can see and end them.
SESSION_ENGINE = "soihtu.accounts.sessions"
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

AUTH_USER_MODEL = "accounts.User"
# The password backend stays first: the demo's persona sign-in logs in with the first backend.
AUTHENTICATION_BACKENDS = [
    "soihtu.accounts.backends.OrgAdminBackend",
    "soihtu.accounts.oidc.SoihtuOIDCBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "okrs:my_okrs"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {
        # Django's 20,000 most common passwords from breaches, or a longer list of breached
        # passwords (one per line, gzipped or not) that the organization keeps.
        "NAME": "django.contrib.auth.password_validation.CommonPasswordValidator",
        "OPTIONS": (
            {"password_list_path": os.environ["SOIHTU_BREACHED_PASSWORDS_FILE"]}
            if os.environ.get("SOIHTU_BREACHED_PASSWORDS_FILE")
            else {}
        ),
    },
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "soihtu.accounts.passwords.ContextWordsValidator"},
]
# Words no password may contain besides the product's and the organization's name, e.g. the
# names of the organization's services (docs/security.md).
SOIHTU_PASSWORD_CONTEXT_WORDS = env_list("SOIHTU_PASSWORD_CONTEXT_WORDS")

# Single sign-on (OpenID Connect): on when OIDC_RP_CLIENT_ID is set (docs/single-sign-on.md).
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", default=True)
OIDC_TOKEN_USE_BASIC_AUTH = env_bool("OIDC_TOKEN_USE_BASIC_AUTH", default=False)
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)  # seconds; the library waits forever
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_authentication_callback"
SOIHTU_OIDC_ISSUER = os.environ.get("SOIHTU_OIDC_ISSUER", "")
SOIHTU_OIDC_PROVIDER_NAME = os.environ.get("SOIHTU_OIDC_PROVIDER_NAME", "")
SOIHTU_OIDC_EMPLOYEE_ID_CLAIM = os.environ.get("SOIHTU_OIDC_EMPLOYEE_ID_CLAIM", "employee_id")
SOIHTU_OIDC_CREATE_USERS = env_bool("SOIHTU_OIDC_CREATE_USERS", default=False)
SOIHTU_OIDC_GROUPS_CLAIM = os.environ.get("SOIHTU_OIDC_GROUPS_CLAIM", "groups")
SOIHTU_OIDC_ADMIN_GROUP = os.environ.get("SOIHTU_OIDC_ADMIN_GROUP", "")
SOIHTU_PASSWORD_LOGIN = env_bool("SOIHTU_PASSWORD_LOGIN", default=True)
# Password guessing (docs/configuration.md, "Password sign-in"): per account a few free
# failures, then waits of 1, 2, 4… seconds, then a lock; per client address only a lock, at a
# higher count (an office shares one address). Counts older than the window are forgotten.
SOIHTU_SIGN_IN_FREE_FAILURES = env_int("SOIHTU_SIGN_IN_FREE_FAILURES", 3)
SOIHTU_SIGN_IN_MAX_DELAY_SECONDS = env_int("SOIHTU_SIGN_IN_MAX_DELAY_SECONDS", 300)
SOIHTU_SIGN_IN_LOCKOUT_FAILURES = env_int("SOIHTU_SIGN_IN_LOCKOUT_FAILURES", 10)
SOIHTU_SIGN_IN_LOCKOUT_MINUTES = env_int("SOIHTU_SIGN_IN_LOCKOUT_MINUTES", 30)
SOIHTU_SIGN_IN_ADDRESS_FAILURES = env_int("SOIHTU_SIGN_IN_ADDRESS_FAILURES", 50)
SOIHTU_SIGN_IN_WINDOW_MINUTES = env_int("SOIHTU_SIGN_IN_WINDOW_MINUTES", 60)
# Password reset emails per email address and per client address within that window.
SOIHTU_PASSWORD_RESET_PER_EMAIL = env_int("SOIHTU_PASSWORD_RESET_PER_EMAIL", 3)
SOIHTU_PASSWORD_RESET_PER_ADDRESS = env_int("SOIHTU_PASSWORD_RESET_PER_ADDRESS", 20)
# Accessibility feedback (docs/accessibility.md): messages per client address, and from everyone
# together, within an hour, so that nobody can flood the OKR office's inbox.
SOIHTU_ACCESSIBILITY_FEEDBACK_PER_ADDRESS = env_int("SOIHTU_ACCESSIBILITY_FEEDBACK_PER_ADDRESS", 5)
SOIHTU_ACCESSIBILITY_FEEDBACK_PER_HOUR = env_int("SOIHTU_ACCESSIBILITY_FEEDBACK_PER_HOUR", 100)

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Helsinki")
USE_I18N = True
FORMAT_MODULE_PATH = ["soihtu.formats"]  # Finland-Swedish dates and times
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # forms carry the token; no script reads the cookie
CSRF_FAILURE_VIEW = "soihtu.core.views.csrf_failure"  # a page of the site, in the person's language
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_SECURE = PRODUCTION
if PRODUCTION:
    # `__Host-` cookies are accepted by browsers only from HTTPS, for Path=/ and without a
    # Domain, so no other site on a subdomain can set or overwrite them (docs/configuration.md).
    SESSION_COOKIE_NAME = "__Host-soihtu_session"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-soihtu_language"

# Sessions (docs/configuration.md): a session ends after SOIHTU_SESSION_IDLE_MINUTES without a
# request and SOIHTU_SESSION_MAX_HOURS after signing in (single sign-on: then the provider is
# asked again). The cookie and the session row live an hour longer than the idle timeout, so
# that a person who comes back within it is told why they were signed out; each request moves
# them forward (at most once a minute: soihtu/accounts/middleware.py).
SOIHTU_SESSION_IDLE_MINUTES = env_int("SOIHTU_SESSION_IDLE_MINUTES", 30)
SOIHTU_SESSION_MAX_HOURS = env_int("SOIHTU_SESSION_MAX_HOURS", 10)
SESSION_COOKIE_AGE = (SOIHTU_SESSION_IDLE_MINUTES + 60) * 60
# The API is never redirected to HTTPS: a plain-HTTP call gets an error instead, so that a
# misconfigured client notices before it sends its token in clear again (soihtu/api/urls.py).
SECURE_REDIRECT_EXEMPT = [r"^api/v1/"]
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Email: SMTP configured by the environment in production, the console elsewhere.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND",
            "django.core.mail.backends.smtp.EmailBackend"
            if PRODUCTION
            else "django.core.mail.backends.console.EmailBackend",
        ),
        "OPTIONS": {
            key: value
            for key, value in {
                "host": os.environ.get("EMAIL_HOST"),
                "port": int(os.environ["EMAIL_PORT"]) if os.environ.get("EMAIL_PORT") else None,
                "username": os.environ.get("EMAIL_HOST_USER"),
                "password": os.environ.get("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS") or None,
            }.items()
            if value is not None
        }
        if PRODUCTION
        else {},
    }
}
# Absolute links in emails and webhook messages, e.g. https://okr.example.fi. Required in
# production (a deploy-check error when missing: soihtu/core/checks.py).
SOIHTU_BASE_URL = os.environ.get("SOIHTU_BASE_URL", "" if PRODUCTION else "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "soihtu@localhost")

# Background tasks (reminders) run from a database-backed queue: `manage.py db_worker`, or
# the scheduler command drains the queue itself (see docs/follow-up.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Security events (sign-ins, refusals, tokens) as JSON lines, for the log collection; they
    # are also kept in the database (docs/security.md).
    "loggers": {
        "soihtu.security": {
            "handlers": ["console"],
            "level": os.environ.get("SECURITY_LOG_LEVEL", "INFO"),
            "propagate": False,
        }
    },
}

# REST API (docs/api.md): requests per token per minute, and the largest request body accepted.
API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", 600)
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 64 * 1024)

# Security (docs/security.md): how many reverse proxies in front of the application append to
# X-Forwarded-For (the client address is read that many entries from the right), and how long
# the security events and the access log are kept.
SOIHTU_PROXY_HOPS = env_int("SOIHTU_PROXY_HOPS", 1 if PRODUCTION else 0)
SOIHTU_SECURITY_LOG_DAYS = env_int("SOIHTU_SECURITY_LOG_DAYS", 2 * 365)
SOIHTU_ACCESS_LOG_DAYS = env_int("SOIHTU_ACCESS_LOG_DAYS", 2 * 365)

# Uploads (docs/configuration.md): the largest file each import page takes, in bytes. A request
# whose declared length is over it (plus 64 kB for the rest of the form) is answered 413 before
# its body is read, and an upload that passes it while streaming is stopped. The import formats
# keep their own maximum too, so these can lower the limits but not raise them past that.
SOIHTU_EXCHANGE_IMPORT_MAX_BYTES = env_int("SOIHTU_EXCHANGE_IMPORT_MAX_BYTES", 100 * 1024 * 1024)
SOIHTU_VIVA_GOALS_IMPORT_MAX_BYTES = env_int("SOIHTU_VIVA_GOALS_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
SOIHTU_HR_IMPORT_MAX_BYTES = env_int("SOIHTU_HR_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
SOIHTU_SURVEY_IMPORT_MAX_BYTES = env_int("SOIHTU_SURVEY_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
# Form fields other than files, and files kept in memory before they go to a temporary file:
# Django's defaults (2.5 MB each), named here so that they are not raised by accident.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Notifications inside Soihtu (docs/notifications.md): the daily email digests go out with the
# first scheduler run from this hour on, local time (TIME_ZONE).
SOIHTU_DIGEST_HOUR = env_int("SOIHTU_DIGEST_HOUR", 7)
# Team webhooks (docs/notifications.md): posting to loopback and private network addresses is
# refused unless an on-premises endpoint needs it.
SOIHTU_WEBHOOK_ALLOW_PRIVATE = env_bool("SOIHTU_WEBHOOK_ALLOW_PRIVATE", default=False)
# Posts connect straight to the checked address; HTTP(S)_PROXY variables are ignored. Where
# outbound traffic must go through a proxy, name it here (e.g. http://proxy.example.fi:3128).
SOIHTU_WEBHOOK_PROXY = os.environ.get("SOIHTU_WEBHOOK_PROXY", "")
