"""Test settings: the app's own settings, with what only tests need changed."""

from __future__ import annotations

import os

from summit.settings import *  # noqa: F403
from summit.settings import BASE_DIR, DATABASES, STORAGES

# One key for the test process and the browser tests' server, which share sessions.
SECRET_KEY = "tests-only-secret-key-" + "s" * 40
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
DEMO_LOGIN = True

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
