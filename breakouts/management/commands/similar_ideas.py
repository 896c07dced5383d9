from __future__ import annotations

from breakouts.management.commands._ideas_file import IdeasCommand


class Command(IdeasCommand):
    help = (
        'Find, for each idea of a file, [{"id": ..., "text": ...}], up to three of the others '
        "most like it, with the engine the app uses (best first, those above its floor only); "
        'writes [{"id": ..., "similar": [id, ...]}] to standard output, in the file\'s order.'
    )

    def rows(self, ideas, engine):
        rows = []
        for index, (key, text) in enumerate(ideas):
            rest = ideas[:index] + ideas[index + 1 :]
            rows.append({"id": key, "similar": [k for k, _ in engine.similar(text, rest, k=3)]})
        return rows
