from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from summit.config import settings as app_settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("true", True), ("off", False), ("0", False)]
)
def test_env_bool_reads_common_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("SOME_FLAG", value)
    assert app_settings.env_bool("SOME_FLAG", not expected) is expected


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        app_settings.env_bool("SOME_FLAG", False)


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        app_settings.env_int("SOME_NUMBER", 1)


def test_env_str_without_default_must_be_set(monkeypatch):
    monkeypatch.delenv("SOME_SECRET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SOME_SECRET"):
        app_settings.env_str("SOME_SECRET")


def test_database_url_postgres_uses_psycopg_backend():
    db = app_settings.database_from_url("postgres://summit:p%40ss@db.internal:5433/summit")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "summit",
        "summit",
        "p@ss",
        "db.internal",
        "5433",
    )


def test_postgres_connections_come_from_a_capped_pool_per_worker(monkeypatch):
    db = app_settings.database_from_url("postgres://summit@db.internal/summit")
    monkeypatch.setenv("DATABASE_POOL_SIZE", "0")
    unpooled = app_settings.database_from_url("postgres://summit@db.internal/summit")

    # A connection kept per request thread would outlive it under ASGI: none is kept.
    assert db["CONN_MAX_AGE"] == 0
    assert db["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 10, "timeout": 10}
    assert unpooled["OPTIONS"]["pool"] is False


def test_database_url_sqlite_relative_and_absolute():
    relative = app_settings.database_from_url("sqlite:///db.sqlite3")
    absolute = app_settings.database_from_url("sqlite:////var/lib/summit/db.sqlite3")
    assert relative["NAME"] == app_settings.BASE_DIR / "db.sqlite3"
    assert str(absolute["NAME"]) == "/var/lib/summit/db.sqlite3"


@pytest.mark.parametrize("url", ["mysql://x/y", "postgres://host/", "sqlite://"])
def test_database_url_refuses_what_it_cannot_use(url):
    with pytest.raises(ImproperlyConfigured):
        app_settings.database_from_url(url)


def test_channel_layer_in_memory_by_default_and_redis_when_set():
    assert app_settings.channel_layer_from_url(None)["BACKEND"].endswith("InMemoryChannelLayer")
    redis = app_settings.channel_layer_from_url("redis://127.0.0.1:6379/0")
    assert redis["BACKEND"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    assert redis["CONFIG"]["hosts"] == ["redis://127.0.0.1:6379/0"]
    with pytest.raises(ImproperlyConfigured):
        app_settings.channel_layer_from_url("http://127.0.0.1:6379")


_NOT_PASSED_ON = {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in _NOT_PASSED_ON}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "summit.config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_settings_pass_check_deploy():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="a-real-secret-" + "x" * 50,
        ALLOWED_HOSTS="summit.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {"DEBUG": "0", "ALLOWED_HOSTS": "summit.example.org"}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_site_url_drops_a_trailing_slash_and_refuses_what_is_not_an_address():
    assert app_settings.site_url_from("https://summit.example.org/ ") == (
        "https://summit.example.org"
    )
    assert app_settings.site_url_from("") == ""
    for value in ("summit.example.org", "ftp://summit.example.org", "https://"):
        with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
            app_settings.site_url_from(value)
