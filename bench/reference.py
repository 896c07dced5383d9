"""A bare ``websockets`` broadcast server: the yardstick for the app's fan-out.

Screens connect to ``/room/<name>``; publishers connect to ``/publish`` and send JSON
``{"id": n, "room": name, "text": html}``. Each post is padded to the frame size (like the
app's fragments) and broadcast to every socket in the room, then acknowledged to the
publisher with ``{"id": n}``. No database, no channel layer, no templates: what is left is
the cost of writing frames to sockets, which the app's figures are compared with.

    .venv/bin/python bench/reference.py --port 0 --frame 1500
"""

from __future__ import annotations

import argparse
import asyncio
import json

from websockets.asyncio.server import broadcast, serve
from websockets.exceptions import ConnectionClosed


class Reference:
    def __init__(self, frame: int) -> None:
        self.frame = frame
        self.rooms: dict[str, set] = {}

    def padded(self, text: str) -> str:
        missing = self.frame - len(text) - 9
        return text if missing <= 0 else f"{text}<!-- {'x' * missing} -->"

    async def handler(self, connection) -> None:
        path = connection.request.path
        if path.startswith("/room/"):
            room = self.rooms.setdefault(path.removeprefix("/room/").strip("/"), set())
            room.add(connection)
            try:
                await connection.wait_closed()
            finally:
                room.discard(connection)
        elif path == "/publish":
            try:
                async for message in connection:
                    post = json.loads(message)
                    broadcast(self.rooms.get(post["room"], ()), self.padded(post["text"]))
                    await connection.send(json.dumps({"id": post["id"]}))
            except ConnectionClosed:
                pass
        else:
            await connection.close(4404)


async def main(port: int, frame: int, ping_interval: int, ping_timeout: int) -> None:
    reference = Reference(frame)
    async with serve(
        reference.handler,
        "127.0.0.1",
        port,
        compression=None,
        ping_interval=ping_interval,
        ping_timeout=ping_timeout,
        max_queue=16,
        backlog=2048,
    ) as server:
        bound = next(iter(server.sockets)).getsockname()
        print(f"Listening on ws://{bound[0]}:{bound[1]}/", flush=True)
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--frame", type=int, default=1500, help="Bytes per frame sent.")
    parser.add_argument("--ping-interval", type=int, default=10)
    parser.add_argument("--ping-timeout", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(main(args.port, args.frame, args.ping_interval, args.ping_timeout))
