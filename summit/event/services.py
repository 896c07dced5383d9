"""State changes to the summit event itself."""

from __future__ import annotations

from django.utils.text import slugify

from summit.event.models import Summit, new_join_code


def unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "summit"
    slug, n = base, 2
    while Summit.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def new_join_code_for(summit: Summit) -> str:
    """Replace the summit's join code; the old code and link stop working at once.

    Side effects: database write only.
    """
    for _ in range(10):
        code = new_join_code()
        if not Summit.objects.filter(join_code=code).exists():
            break
    summit.join_code = code
    summit.save(update_fields=["join_code"])
    return code
