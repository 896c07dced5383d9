"""The serve command: several workers on one port, and a dead worker replaced."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[1]


def test_several_workers_are_refused_without_a_shared_channel_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

    with pytest.raises(CommandError, match="set REDIS_URL"):
        call_command("serve", "--workers", "2", "--port", "0")


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback only)
        return response.status


def _until(condition, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_a_worker_that_dies_is_replaced_and_the_port_keeps_serving(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    }
    log = tmp_path / "serve.log"
    with open(log, "w") as errors:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--port", "0", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    try:
        line = server.stdout.readline()
        found = re.search(r"(http://[\d.]+:\d+)/ with 1 worker\(s\): (\d+)", line)
        assert found, log.read_text()
        url, first = found.group(1), int(found.group(2))

        def serving():
            try:
                return _get(url + "/") == 200
            except OSError:
                return False

        _until(serving)
        os.kill(first, signal.SIGKILL)

        replaced = _until(lambda: re.search(r"started (\d+) in its place", log.read_text()))
        assert int(replaced.group(1)) != first
        _until(serving)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
        server.stdout.close()
    assert server.returncode == 0
