"""Words in the templates that are not marked for translation.

Each template is read with Django's own lexer. What the template language says (tags,
variables, comments) is set aside, and so is the body of every ``{% blocktranslate %}``, which
is marked as a whole; what is left is the template's own HTML or plain text. That HTML is read
with the standard library's parser, and any word in its text, or in an attribute a person reads
or hears (``alt``, ``title``, ``placeholder``, ``aria-label``, a button's ``value``, a text held
in a ``data-`` attribute for a script to show), is unmarked. A plain-text template (an email)
is all text.

Run ``python -m tests.unmarked [path ...]`` to list what is left in some folders or files.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_DIRS = [
    ROOT / "templates",
    *sorted(ROOT.glob("*/templates")),
    *sorted(ROOT.glob("summit/*/templates")),
]

# Stands for whatever the template language put there: no letters, so never a word.
HOLE = "\u2063"
# A word: two letters or more (a lone "x" or a dash in a layout is not a sentence to translate).
WORD = re.compile(r"[^\W\d_]{2,}")
# The app's name is a name, the same in every language; so are the languages' own names.
NAMES = {"Summit", "English", "Cymraeg"}

READ_ALOUD = {"alt", "title", "placeholder", "aria-label", "aria-description", "label"}
BUTTONS = {"submit", "button", "reset"}
NOT_TEXT = {"script", "style"}


def _words(text: str) -> list[str]:
    return [word for word in WORD.findall(text) if word not in NAMES]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in NOT_TEXT:
            self.skipping += 1
        values = dict(attrs)
        for name, value in attrs:
            if not value:
                continue
            read = name in READ_ALOUD
            read |= tag == "input" and name == "value" and values.get("type") in BUTTONS
            read |= name == "content" and values.get("name") == "description"
            # A text for a script to show: a sentence (words with a space between them,
            # starting with a capital), not a setting ("gather build").
            text = value.strip()
            read |= name.startswith("data-") and " " in text and text[:1].isupper()
            if read and _words(value):
                self.found.append(f'{tag}[{name}]="{value.strip()}"')

    def handle_endtag(self, tag) -> None:
        if tag in NOT_TEXT and self.skipping:
            self.skipping -= 1

    def handle_data(self, data) -> None:
        # An address (a socket's path filled in by a block) is not words.
        if data.replace(HOLE, "").strip().startswith("/") and " " not in data.strip(HOLE + " "):
            return
        if not self.skipping and _words(data):
            self.found.append(" ".join(data.split()))


def _bare(source: str) -> str:
    """The template with everything the template language says put out of the way."""
    parts: list[str] = []
    # The blocks open here, each with whether its text is set aside (a translation, a
    # comment, or a block named for a class, which fills an attribute: ``main_class``).
    opened: list[bool] = []
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            words = token.contents.split() or [""]
            if words[0] in {"blocktranslate", "blocktrans", "comment"}:
                opened.append(True)
            elif words[0] == "block":
                opened.append(len(words) > 1 and words[1].endswith("_class"))
            elif words[0] in {"endblocktranslate", "endblocktrans", "endcomment", "endblock"}:
                opened = opened[:-1]
            parts.append(HOLE)
        elif token.token_type == TokenType.TEXT and not any(opened):
            parts.append(token.contents)
        else:
            parts.append(HOLE)
    return "".join(parts)


def unmarked(path: Path) -> list[str]:
    """The texts of one template that a person reads and no translation covers."""
    bare = _bare(path.read_text(encoding="utf-8"))
    if path.suffix == ".txt":
        return [" ".join(line.split()) for line in bare.splitlines() if _words(line)]
    reader = _Reader()
    reader.feed(bare)
    reader.close()
    return reader.found


def templates(paths: list[Path] | None = None) -> list[Path]:
    roots = paths or TEMPLATE_DIRS
    found = []
    for root in roots:
        if root.is_file():
            found.append(root)
        else:
            found += [p for p in root.rglob("*") if p.suffix in {".html", ".txt"}]
    return sorted(found)


def main(argv: list[str]) -> int:
    import django

    django.setup()
    count = 0
    for path in templates([Path(arg).resolve() for arg in argv] or None):
        for text in unmarked(path):
            count += 1
            print(f"{path.relative_to(ROOT)}: {text}")
    print(f"{count} unmarked", file=sys.stderr)
    return 1 if count else 0


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    raise SystemExit(main(sys.argv[1:]))
