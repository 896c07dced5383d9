"""Themes across rooms: per subtheme, the themes a synthesis lead keeps during the day, and
each breakout's clusters and outcomes mapped to one of them by a person (the engine offers
candidates; nothing is mapped without someone confirming it).

``models`` holds the leads, the themes and the links; ``access`` decides who may see and do
what; ``board`` loads what the synthesis page shows (each theme with its ideas, rooms, dots,
cross-sector support and supporters by sector, and the themes by sector) in a fixed number
of queries, and ``candidates`` ranks the themes for each cluster or outcome not yet mapped;
``services`` makes every change, logging it and pushing it (``live``) after commit; ``views``,
``consumers``, ``urls`` and ``routing`` serve the pages and their socket. The plenary's big
screen shows a theme through ``screen`` and the record gives the themes through ``board``.
"""
