"""Settings for the app as the fault tests serve it: the production settings, read from the
environment as in production, with static files found where they are in the checkout (no
``collectstatic`` step)."""

from __future__ import annotations

from summit.config.settings import *  # noqa: F403
from summit.config.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
