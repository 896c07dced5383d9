"""The summit record: everything said and decided on the day, traceable from each outcome back
to the ideas and votes it came from, in the formats organisers take away.

``contents`` is what the record holds, as plain data; ``build`` loads it in a fixed number of
queries (with ``polls`` for the plenary and ``participation`` for the figures); ``rows``
streams its long tables; each ``as_*`` module renders one format; ``views`` serves them. The
record reads the breakouts and the plenary; nothing imports it but the URLs.
"""
