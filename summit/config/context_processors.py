from __future__ import annotations

from django.conf import settings


def site(request) -> dict:
    return {"demo_login_enabled": settings.DEMO_LOGIN}
