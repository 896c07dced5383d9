from __future__ import annotations

from breakouts.management.commands._ideas_file import IdeasCommand


class Command(IdeasCommand):
    help = (
        'Propose groups for a file of ideas, [{"id": ..., "text": ...}], with the engine the app '
        'uses; writes [{"id": ..., "group": 1, "label": ...}] to standard output, in the '
        "file's order, the largest group first. An idea like no other is a group of its own."
    )

    def rows(self, ideas, engine):
        group_of = {}
        for number, group in enumerate(engine.suggest_groups(ideas), 1):
            for key in group.keys:
                group_of[key] = {"group": number, "label": group.label}
        return [{"id": key, **group_of[key]} for key, _ in ideas]
