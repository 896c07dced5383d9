from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        # Signing in brings back the person's language.
        from accounts import language  # noqa: F401
