"""The summit record: everything said and decided on the day, traceable from each outcome back
to the ideas and votes it came from, in the formats organisers take away.

``contents`` is what the record holds, as plain data; ``build`` loads it in a fixed number of
queries (with ``polls`` for the plenary, ``participation`` for the figures, ``support`` for
cross-sector support, ``voice`` for voice balance and ``audit`` for the moderation and
facilitation log); ``rows`` streams its long tables and ``tables`` lists every table; each
``as_*`` module renders one format; ``views`` serves them, and writes each download to the
audit log. The record reads the breakouts and the plenary; nothing imports it but the URLs.
"""
