"""How long designing a summit takes on the server, for the Place Summit and for a summit with
200 items in every list: reading a stimulus document, exporting and importing the design
file, and each design page as an organiser asks for it (its time and its queries).

    .venv/bin/python bench/design.py                       # a temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/design.py

With PostgreSQL a test database is created beside the one named and dropped afterwards.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.record import throwaway_database  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
ITEMS = 200
RUNS = 5


def best_of(action, runs: int = RUNS) -> tuple[float, object]:
    """The median time of ``runs`` calls, in milliseconds, and the last call's result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def full_design(items: int) -> dict:
    """A design file with ``items`` entries in every list."""
    return {
        "format": "summit-design",
        "version": 1,
        "summit": {"title": "A summit of many parts", "central_question": "What now?"},
        "sectors": [{"key": f"sector_{n}", "name": f"Sector {n}"} for n in range(items)],
        "subthemes": [
            {"title": f"Theme {n}", "question": f"Question {n}?", "breakouts": [f"Group {n}"]}
            for n in range(items)
        ],
        "areas": [{"text": f"Area {n}?", "subtheme": n % items + 1} for n in range(items)],
        "assumptions": [{"text": f"Assumption {n}"} for n in range(items)],
        "obstacles": [{"text": f"Obstacle {n}"} for n in range(items)],
        "agenda": [
            {"kind": "plenary", "title": f"Item {n}", "starts_at": "09:00", "ends_at": "09:30"}
            for n in range(items)
        ],
        "pre_reading": [
            {"title": f"Section {n}", "body": f"Some *text* for section {n}.\n\n- a\n- b"}
            for n in range(items)
        ],
        "materials": [
            {"title": f"Paper {n}", "url": f"https://example.org/{n}", "note": ""}
            for n in range(items)
        ],
        "run_sheet": [
            {"kind": "choice", "question": f"Poll {n}?", "options": ["Yes", "No"]}
            for n in range(items)
        ],
    }


def stimulus_rows() -> list[tuple[str, float, str]]:
    from summit.event.stimulus import read_stimulus

    rows = []
    for name in (
        "place_summit_stimulus.docx",
        "place_summit_stimulus.md",
        "coastal_towns_stimulus.docx",
        "coastal_towns_stimulus.md",
    ):
        data = (FIXTURES / name).read_bytes()
        ms, found = best_of(lambda data=data, name=name: read_stimulus(name, data))
        counts = ", ".join(
            f"{len(found[part])} {part}" for part in ("assumptions", "obstacles", "subthemes")
        )
        rows.append((f"read {name}", ms, counts))
    return rows


HOSTILE_MARKDOWN = {
    "brackets": "[" * 1_500_000,
    "links": "[](" * 500_000,
    "emphasis": "a**" * 500_000,
    "angles": "<" * 1_500_000,
    "mixed": "*a _b " * 250_000,
    "deep list": "".join("  " * n + "- a\n" for n in range(1200)),
    "deep quote": "> " * 700_000,
}


def hostile_rows() -> list[tuple[str, float, str]]:
    """What a hostile upload costs before it is read or refused, and the worst Markdown an
    organiser's text can hold rendered on a page."""
    from summit.event.refusals import Refused
    from summit.event.stimulus import read_stimulus
    from summit.web.markdown import render_markdown

    rows = []
    for label, source in HOSTILE_MARKDOWN.items():
        data = source.encode()

        def read(data=data):
            try:
                read_stimulus("hostile.md", data)
            except Refused as refused:
                return str(refused)
            return "read"

        ms, said = best_of(read, runs=1)
        rows.append((f"hostile Markdown: {label}", ms, f"{len(data):,} bytes, {said[:40]}"))
    text = "<" * 10_000 + "*_" * 5_000
    ms, _ = best_of(lambda: render_markdown(text))
    rows.append(("render 20,000 markup characters", ms, "the longest a section may be"))
    return rows


def file_rows(organiser_user) -> tuple[list[tuple[str, float, str]], object]:
    from summit.event.design import design_json
    from summit.organise.design_file import import_summit_design, load_place_summit, summit_design
    from summit.organise.setup import set_up_summit_from_design

    place = load_place_summit()[0]
    rows = []
    ms, text = best_of(lambda: design_json(summit_design(place)))
    rows.append(("export the Place Summit", ms, f"{len(text.encode()):,} bytes"))
    data = summit_design(place)
    ms, _ = best_of(lambda: import_summit_design(data))
    rows.append(("import the Place Summit", ms, ""))
    design = full_design(ITEMS)
    started = time.perf_counter()
    big = set_up_summit_from_design(organiser_user, design)
    ms = (time.perf_counter() - started) * 1000
    rows.append((f"import {ITEMS} of everything", ms, "once"))
    ms, text = best_of(lambda: design_json(summit_design(big)))
    rows.append((f"export {ITEMS} of everything", ms, f"{len(text.encode()):,} bytes"))
    return rows, big


def page_rows(client, summit) -> list[tuple[str, float, str]]:
    from django.db import connection
    from django.urls import reverse

    from summit.organise.design import PARTS

    urls = [("design overview", reverse("design", args=[summit.slug]))]
    urls += [
        (f"design: {slug}", reverse("design_part", args=[summit.slug, slug])) for slug in PARTS
    ]
    urls += [
        ("settings", reverse("summit_settings", args=[summit.slug])),
        ("breakouts set-up", reverse("breakouts_setup", args=[summit.slug])),
        ("run sheet", reverse("run_sheet", args=[summit.slug])),
        ("pre-reading", reverse("pre_reading", args=[summit.slug])),
    ]
    rows = []
    for label, url in urls:
        client.get(url)  # the first ask fills caches; the figures are of the ones after
        queries: list[str] = []

        def counted(run, sql, *args, queries=queries):
            queries.append(sql)
            return run(sql, *args)

        with connection.execute_wrapper(counted):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        ms, _ = best_of(lambda url=url: client.get(url))
        rows.append((label, ms, f"{len(queries)} queries, {len(response.content):,} bytes"))
    return rows


def main() -> None:
    with throwaway_database() as connection:
        from django.test import Client

        from accounts.models import User

        user = User.objects.create_user("bench", "bench@example.org", "a long passphrase")
        user.is_staff = True
        user.save()
        rows = stimulus_rows() + hostile_rows()
        made, big = file_rows(user)
        rows += made
        client = Client()
        client.force_login(user)
        rows += page_rows(client, big)
        vendor = connection.vendor
    print(f"On {vendor}; median of {RUNS} runs, pages as an organiser with {ITEMS} of everything")
    print()
    print(f"{'what':<34} {'ms':>9}  notes")
    for label, ms, note in rows:
        print(f"{label:<34} {ms:>9.1f}  {note}")


if __name__ == "__main__":
    main()
