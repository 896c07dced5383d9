"""A small TCP proxy on the loopback address that can cut a screen's network.

It forwards every connection to one port on 127.0.0.1. ``cut()`` drops every open connection
and stops listening, so new connections are refused, as when a phone loses its signal;
``restore()`` listens again on the same port. It runs its own event loop in a thread, so a
synchronous test (Playwright's sync API) can drive it.
"""

from __future__ import annotations

import asyncio
import socket
import threading

HOST = "127.0.0.1"


class Proxy:
    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        self.connections = 0

    # Called from the test's thread.

    def start(self) -> int:
        """Listen on a free port; returns it."""
        self.thread.start()
        self._call(self._listen())
        return self.port

    def cut(self) -> None:
        """Drop every open connection and refuse new ones until ``restore()``."""
        self._call(self._cut())

    def restore(self) -> None:
        """Accept connections again, on the same port."""
        self._call(self._listen())

    def stop(self) -> None:
        if self.thread.is_alive():
            self._call(self._cut())
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=5)
        self.loop.close()

    def _call(self, coroutine) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=10)

    # On the proxy's own loop.

    async def _listen(self) -> None:
        if self.server is not None:
            return
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, self.port))
        self.port = listener.getsockname()[1]
        self.server = await asyncio.start_server(self._handle, sock=listener)

    async def _cut(self) -> None:
        server, self.server = self.server, None
        if server is not None:
            server.close()
        for writer in list(self.writers):
            self._abort(writer)
        self.writers.clear()
        if server is not None:
            # Returns once every connection it accepted has gone, which the aborts ensure.
            await asyncio.wait_for(server.wait_closed(), timeout=5)

    @staticmethod
    def _abort(writer: asyncio.StreamWriter) -> None:
        # A reset, not a polite close: the far end sees the network go, not a goodbye.
        transport = writer.transport
        if not transport.is_closing():
            transport.abort()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(HOST, self.target_port)
        except OSError:
            self._abort(writer)
            return
        if self.server is None:
            # Cut while this connection was being made: it goes with the rest.
            self._abort(writer)
            self._abort(upstream_writer)
            return
        self.writers.update((writer, upstream_writer))
        try:
            await asyncio.gather(
                self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer)
            )
        finally:
            for end in (writer, upstream_writer):
                self.writers.discard(end)
                self._abort(end)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            # Whatever one side stops, the other must see it stop too.
            self._abort(writer)
