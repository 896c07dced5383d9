"""Summit: the project package, one package per layer (``docs/architecture.md`` draws them).

- ``config``: settings, URLs, ASGI and socket routing; it wires the others together.
- ``live``: the fan-out that pushes HTML to screens; the one place allowed to reach into the
  server's and Channels' internals, beside their supported path.
- ``web``: what every app's requests share: rate limits, Redis counts, the answer when the
  database is away, form rendering, QR codes.
- ``event``: the summit itself as data (the Django app labelled ``summit``): its questions,
  agenda and pre-reading, the decision rules and measures, the refusal every service raises.
- ``record``: the summit record in every format.
- ``organise``: the summit's own pages outside the rooms: its home page and pre-reading, each
  person's data, and the organisers' pages.

The rooms are apps of their own beside this package: ``accounts``, ``breakouts``, ``plenary``.
"""
