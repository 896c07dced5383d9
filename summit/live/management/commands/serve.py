"""Serve Summit with several daphne worker processes sharing one listening socket.

The socket is opened here and handed to each worker, so the kernel spreads connections over
them with no proxy in between. A worker that dies is replaced; its screens reconnect to the
others and catch up at once. Screens that stop reading (a stalled phone) are cut loose by
daphne's keepalive pings after ``--ping-interval`` plus ``--ping-timeout`` seconds and resync
when they come back.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve Summit with several worker processes on one port."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000, help="0 picks a free port.")
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
        parser.add_argument("--ping-interval", type=int, default=10)
        parser.add_argument("--ping-timeout", type=int, default=10)
        parser.add_argument(
            "--no-restart", action="store_true", help="Do not replace a worker that exits."
        )

    def handle(self, *args, host, port, workers, ping_interval, ping_timeout, no_restart, **kw):
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        layer = settings.CHANNEL_LAYERS["default"]["BACKEND"]
        if workers > 1 and layer == "channels.layers.InMemoryChannelLayer":
            raise CommandError(
                "Several workers need a channel layer they share, or screens on one would miss "
                "what is posted through another: set REDIS_URL, or serve with --workers 1."
            )
        listener = socket.create_server((host, port), backlog=2048)
        listener.set_inheritable(True)
        fd = listener.fileno()
        command = [
            sys.executable,
            "-m",
            "daphne",
            "--fd",
            str(fd),
            "--ping-interval",
            str(ping_interval),
            "--ping-timeout",
            str(ping_timeout),
            "summit.config.asgi:application",
        ]

        def start_worker() -> subprocess.Popen:
            return subprocess.Popen(command, pass_fds=(fd,))  # noqa: S603

        running = {(w := start_worker()).pid: w for _ in range(workers)}
        bound = listener.getsockname()
        self.stdout.write(
            f"Listening on http://{bound[0]}:{bound[1]}/ with {workers} worker(s): "
            + " ".join(str(pid) for pid in running)
        )
        self.stdout.flush()

        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while not stopping:
                time.sleep(0.2)
                for pid, worker in list(running.items()):
                    code = worker.poll()
                    if code is None:
                        continue
                    del running[pid]
                    if no_restart:
                        self.stderr.write(f"Worker {pid} exited ({code}).")
                        continue
                    replacement = start_worker()
                    running[replacement.pid] = replacement
                    self.stderr.write(
                        f"Worker {pid} exited ({code}); started {replacement.pid} in its place."
                    )
                if not running:
                    raise CommandError("Every worker has exited.")
        finally:
            for worker in running.values():
                worker.terminate()
            for worker in running.values():
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
            listener.close()
