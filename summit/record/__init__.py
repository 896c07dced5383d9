"""The summit record: everything said and decided on the day, traceable from each outcome back
to the ideas and votes it came from, in the formats organisers take away.

``contents`` (with ``breakout_contents``) is what the record holds, as plain data; ``build``
loads it in a fixed number of queries (with ``ideas`` for the breakouts' walls, ``outcomes``
for their outcomes, ``polls`` for the plenary, ``participation`` for the figures, ``support``
for cross-sector support, ``voice`` for voice balance and ``audit`` for the moderation and
facilitation log). ``walk`` goes through it once, in the record's order, as the ``blocks``
the page, the Word document (``as_docx``) and Markdown (``as_markdown``) are drawn from;
``rows`` streams its long tables and ``tables`` lists every table, which the CSV bundle, the
workbook and the JSON document are written from. ``views`` serves them, and writes each
download to the audit log. The record reads the breakouts and the plenary; nothing imports
it but the URLs.
"""
