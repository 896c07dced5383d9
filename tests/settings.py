"""Test settings: the app's own settings, with what only tests need changed."""

from __future__ import annotations

import os

from summit.config.settings import *  # noqa: F403
from summit.config.settings import BASE_DIR, DATABASES, STORAGES

# One key for the test process and the browser tests' server, which share sessions.
SECRET_KEY = "tests-only-secret-key-" + "s" * 40
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
DEMO_LOGIN = True
# Refusals answer at once in tests; tests/test_rate_limits.py checks the delay itself.
REFUSAL_DELAY_SECONDS = 0
# The plainest engine for ideas alike, fast and with no model to load, in the test process
# and in the browser tests' server alike; a test wanting another names it.
SYNTHESIS_ENGINE = "summit.engine.lexical.LexicalEngine"

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, so the browser tests' server process sees the same test database.
    # One file per test run, so runs side by side on one checkout never share it;
    # SUMMIT_TEST_DB names it instead.
    test_db = os.environ.get("SUMMIT_TEST_DB", f".test-db-{os.getpid()}.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": BASE_DIR / test_db}
else:
    # Connections opened by the consumers' worker threads must close so the test database can
    # be dropped at the end of the run.
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Test runs, and each run's parallel workers (pytest-xdist), share one Redis: each process
# keeps its counts under a prefix of its own, as the tests clear them, and each worker its own
# channel-layer prefix, as their rows share ids.
REDIS_PREFIX = f"summit-test-{os.getpid()}"
_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and CHANNEL_LAYERS["default"]["BACKEND"].startswith("channels_redis"):  # noqa: F405
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"summit-test-{_worker}"  # noqa: F405
