"""Settings for Summit, read from the environment.

Every value comes from one environment variable read through a small typed helper that
refuses a malformed value loudly instead of guessing. With no environment at all the app runs
for development: DEBUG on, SQLite in the project folder, Channels' in-memory layer.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP, build_policy

BASE_DIR = Path(__file__).resolve().parent.parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Set the {name} environment variable.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}."
    )


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Django DATABASES entry for ``sqlite:///path`` or ``postgres://user:pw@host:port/name``."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///relative/or/absolute (three slashes: an absolute path keeps its own slash)
        path = unquote(parts.path)
        if not path or path == "/":
            raise ImproperlyConfigured(f"DATABASE_URL {url!r} names no SQLite file.")
        name = Path(path[1:])  # sqlite:////abs/path keeps its leading slash
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name if name.is_absolute() else BASE_DIR / name,
            # Transactions take the write lock when they begin, so two that read then write
            # (two facilitators merging at once) queue instead of failing half-way.
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    if parts.scheme in {"postgres", "postgresql"}:
        if not parts.path.strip("/"):
            raise ImproperlyConfigured(f"DATABASE_URL {url!r} names no database.")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            # Under ASGI a request may run in a thread of its own, and a connection kept per
            # thread outlives it: under load they pile up past the server's limit. A pool per
            # worker process holds at most DATABASE_POOL_SIZE, checked before each use, so a
            # database restart costs no request more than one "try again".
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {"pool": _pool(env_int("DATABASE_POOL_SIZE", 10))},
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with sqlite:/// or postgres://; got scheme {parts.scheme!r}."
    )


def _pool(size: int) -> dict | bool:
    """psycopg's pool of ``size`` connections; with 0, a connection a request, no pool."""
    if size <= 0:
        return False
    # A request waits up to 10 s for a free connection, then is told to try again.
    return {"min_size": 1, "max_size": size, "timeout": 10}


def channel_layer_from_url(url: str | None) -> dict:
    """In-memory layer for one process; Redis pub/sub when REDIS_URL is set."""
    if not url:
        # Each worker's one hub channel takes every push for the process: room for bursts.
        return {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 10_000}}
    if urlsplit(url).scheme not in {"redis", "rediss"}:
        raise ImproperlyConfigured(f"REDIS_URL must start with redis:// or rediss://; got {url!r}.")
    return {
        # Pub/sub carries each push once to each process subscribed to its group, where the
        # hub in summit/live/ writes it to the local screens.
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [url], "prefix": env_str("REDIS_PREFIX", "summit")},
    }


DEBUG = env_bool("DEBUG", True)
_DEV_SECRET = "insecure-development-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else None)
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("Set a real SECRET_KEY when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The demo login lets anyone enter as any demo role: on in development, off in production
# unless an organiser running a rehearsal turns it on explicitly.
DEMO_LOGIN = env_bool("DEMO_LOGIN", DEBUG)

INSTALLED_APPS = [
    "daphne",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "channels",
    "django_htmx",
    "summit.live",
    "summit.event",
    "accounts",
    "breakouts",
    "summit.synthesis",
    "plenary",
    "summit.record",
    "summit.organise",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "summit.web.language.language_middleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "summit.web.outages.DatabaseOutageMiddleware",
]

ROOT_URLCONF = "summit.config.urls"
ASGI_APPLICATION = "summit.config.asgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.EmailBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

FORM_RENDERER = "summit.web.forms.SummitFormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "summit.config.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", "sqlite:///db.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Redis, for several worker processes: their channel layer, and the counts and marks they
# share (summit/web/counts.py: rate limits, the voice balance's window), under REDIS_PREFIX.
# Without it, one process keeps both in its own memory.
REDIS_URL = os.environ.get("REDIS_URL") or None
REDIS_PREFIX = env_str("REDIS_PREFIX", "summit")
CHANNEL_LAYERS = {"default": channel_layer_from_url(REDIS_URL)}
# The live path's shortcuts past the libraries' supported path (summit/live/fast/); 0: none.
LIVE_FAST_PATH = env_bool("LIVE_FAST_PATH", True)
# Ideas alike in meaning (summit/engine/, docs/synthesis.md): a folder an operator filled with
# a sentence-embedding model in ONNX format (model.onnx and its tokenizer.json); without it,
# the small static model shipped in wordllama's wheel. Nothing is ever downloaded.
SYNTHESIS_MODEL_DIR = os.environ.get("SYNTHESIS_MODEL_DIR") or None

# How many proxies in front of the app append to X-Forwarded-For; 0 trusts none of it, so a
# client cannot dodge the rate limits by sending the header itself.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# How long a request refused for flooding waits before its answer (seconds).
REFUSAL_DELAY_SECONDS = env_int("REFUSAL_DELAY_MS", 1000) / 1000
# Failed attempts (join codes, sign-ins, links) allowed per client address in each window.
ATTEMPT_LIMIT = env_int("ATTEMPT_LIMIT", 20)
ATTEMPT_WINDOW_SECONDS = env_int("ATTEMPT_WINDOW_SECONDS", 600)
# Flood limits per minute: ideas, comments and edits per person; dots, ratings and poll
# answers per person; and everything from one client address (a whole venue may share one).
POSTS_PER_MINUTE = env_int("POSTS_PER_MINUTE", 20)
VOTES_PER_MINUTE = env_int("VOTES_PER_MINUTE", 60)
# Look-ups of similar ideas while typing an idea, per person: a few each pause in typing.
LOOKUPS_PER_MINUTE = env_int("LOOKUPS_PER_MINUTE", 60)
ACTIONS_PER_MINUTE_PER_ADDRESS = env_int("ACTIONS_PER_MINUTE_PER_ADDRESS", 3000)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# English is the source language; every string a person reads is also in Welsh
# (locale/cy/), and each person chooses (summit/web/language.py).
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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

# Development serves static files straight from the app folders; production from collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Content-Security-Policy: nothing from another origin, no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    # The service worker and the web app manifest (summit/organise/offline.py): our own only.
    "worker-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"


def _static_file_headers(headers, path: str, url: str) -> None:
    """Static files leave through WhiteNoise before the CSP and framing middleware see them:
    give them the same policy, so a file opened on its own is held to it too."""
    headers["Content-Security-Policy"] = build_policy(SECURE_CSP)
    headers["X-Frame-Options"] = X_FRAME_OPTIONS


WHITENOISE_ADD_HEADERS_FUNCTION = _static_file_headers
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Summit day lasts one day; a session a fortnight covers pre-reading and follow-up.
SESSION_COOKIE_AGE = 14 * 24 * 3600

# Behind a TLS-terminating proxy in production.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Joining the browsers' HSTS preload list binds the whole domain for years: a decision for
# whoever owns the domain, so the check that nags for it is silenced rather than obeyed.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
if env_bool("BEHIND_PROXY", not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Email (password resets, invites) is printed to the console in development; production
# sends it through an SMTP server (Django's deploy checks refuse the console there).
_EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND}}
if _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 587),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "summit@localhost")


def site_url_from(value: str) -> str:
    """The address emails link to, without a trailing slash; empty when none is set."""
    value = value.strip().rstrip("/")
    if value and (urlsplit(value).scheme not in {"http", "https"} or not urlsplit(value).netloc):
        raise ImproperlyConfigured(
            f"SITE_URL must be an address such as https://summit.example.org; got {value!r}."
        )
    return value


# Where the app is reached from outside, for the links in emails sent without a request to
# take the address from (manage.py send_reminders). In production it has no default, and what
# sends such email refuses to run until it is set.
SITE_URL = site_url_from(env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else ""))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.channels.server": {"level": "WARNING"}},
}
