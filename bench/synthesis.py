"""How well, how fast and how lightly each engine finds ideas alike, on the labelled set.

For each engine, one column of a Markdown table, the targets beside the figures: the adjusted
Rand index of its groups against the themes of ``bench/synthesis/ideas.json`` (and within five
close themes alone), how often a near-duplicate's partner is among its 3 most similar ideas,
how long grouping 1,000 ideas and a lookup in a wall of 1,000 take on one core, how long it
takes to load and how much memory it adds. bench/README.md says how each figure is measured.
Each engine runs in a process of its own (a cold start, its own memory); one that fails to load
or to run is reported as such. Nothing is downloaded.

    .venv/bin/python bench/synthesis.py            # words in common, and the default engine
    .venv/bin/python bench/synthesis.py --model-dir /srv/summit/model   # and the ONNX engine
    .venv/bin/python bench/synthesis.py --engine summit.engine.lexical.LexicalEngine

``--engine`` (repeated) takes a dotted path to an engine class or to a module defining one,
``default`` for what ``summit.engine.choice.load_engine()`` gives with no model folder, or
``onnx`` for the engine of ``summit/engine/onnx.py`` with the folder of ``--model-dir`` (or
``SYNTHESIS_MODEL_DIR``), which should hold ``model.onnx`` and ``tokenizer.json``.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

# One thread for every numerical library, set before any of them is imported.
for _var in ["OMP", "OPENBLAS", "MKL", "NUMEXPR", "RAYON"]:
    os.environ[f"{_var}_NUM_THREADS"] = "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402
import numpy as np  # noqa: E402
import psutil  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summit.engine.base import SUGGESTION_FLOOR, Engine  # noqa: E402

LABELLED = ROOT / "bench" / "synthesis" / "ideas.json"
DEFAULT_ENGINES = ("summit.engine.lexical.LexicalEngine", "default")
# Five themes as close as one subtheme's: money, powers and who answers for them.
CLOSE = ("funding", "pooled", "joint_working", "devolution", "accountability")
SEED = 2026
IDEAS, RUNS, LOOKUPS = 1000, 3, 200
MIB = 1024 * 1024
RESULT = "RESULT "


def adjusted_rand(truth, found) -> float:
    """The adjusted Rand index of two labellings of the same items (1 alike, about 0 chance)."""
    _, a = np.unique(np.asarray(truth), return_inverse=True)
    _, b = np.unique(np.asarray(found), return_inverse=True)
    table = np.zeros((a.max() + 1, b.max() + 1), dtype=np.int64)
    np.add.at(table, (a, b), 1)
    pairs = lambda counts: float((counts * (counts - 1) // 2).sum())  # noqa: E731
    both, rows, cols = pairs(table), pairs(table.sum(1)), pairs(table.sum(0))
    expected = rows * cols / pairs(np.array([len(a)]))
    best = (rows + cols) / 2
    return 1.0 if best == expected else (both - expected) / (best - expected)


def check_adjusted_rand() -> None:
    """The index agrees with values worked by hand (the first and third are also the examples
    in scikit-learn's documentation)."""
    assert abs(adjusted_rand([0, 0, 1, 1], [0, 0, 1, 2]) - 4 / 7) < 1e-12
    assert adjusted_rand([0, 0, 1, 1], [5, 5, 3, 3]) == 1.0
    assert adjusted_rand([0, 0, 0, 0], [0, 1, 2, 3]) == 0.0
    assert abs(adjusted_rand([0, 0, 0, 1, 1, 1], [0, 1, 0, 1, 0, 1]) + 1 / 9) < 1e-12


def labelled_set() -> tuple[list[dict], list[dict]]:
    """The set's ideas, in an order shuffled once with a fixed seed, and its themes."""
    data = json.loads(LABELLED.read_text(encoding="utf-8"))
    ideas = list(data["ideas"])
    random.Random(SEED).shuffle(ideas)  # noqa: S311 (the same order on every run)
    return ideas, data["themes"]


def joined(ideas: list[dict], count: int, seed: int) -> list[str]:
    """``count`` new ideas, each the first half of one idea and the second half of another
    of the same theme."""
    rng = random.Random(seed)  # noqa: S311 (made-up ideas, the same on every run)
    by_theme: dict[str, list[str]] = {}
    for idea in ideas:
        by_theme.setdefault(idea["theme"], []).append(idea["text"])
    themes = sorted(by_theme)
    made = []
    for _ in range(count):
        first, second = (t.split() for t in rng.sample(by_theme[rng.choice(themes)], 2))
        made.append(" ".join(first[: len(first) // 2] + second[len(second) // 2 :]))
    return made


def grouping_index(engine, ideas: list[dict]) -> tuple[float, int]:
    """The adjusted Rand index of the engine's groups against the themes, and their number."""
    groups = engine.suggest_groups([(i["id"], i["text"]) for i in ideas])
    placed = {}
    for number, group in enumerate(groups):
        for key in group.keys:
            placed.setdefault(key, number)
    found = [placed.get(i["id"], f"alone {i['id']}") for i in ideas]
    return adjusted_rand([i["theme"] for i in ideas], [str(f) for f in found]), len(groups)


def measure_quality(engine, ideas: list[dict]) -> dict:
    """The engine's groups and near-duplicates against the set's labels."""
    index, groups = grouping_index(engine, ideas)
    close = [i for i in ideas if i["theme"] in CLOSE]
    close_index, close_groups = grouping_index(engine, close)
    by_id = {i["id"]: i for i in ideas}
    pairs = [(i, by_id[i["duplicate_of"]]) for i in ideas if i["duplicate_of"]]
    found = []
    for asked, partner in pairs + [(b, a) for a, b in pairs]:
        wall = [(i["id"], i["text"]) for i in ideas if i is not asked]
        found.append(partner["id"] in [k for k, _ in engine.similar(asked["text"], wall, 3)])
    return {
        "adjusted_rand": index,
        "groups": groups,
        "close_adjusted_rand": close_index,
        "close_groups": close_groups,
        "near_duplicates_top3": sum(found) / len(found),
        "pairs": len(pairs),
    }


def measure_speed(engine, ideas: list[dict]) -> dict:
    """Grouping 1,000 ideas, and lookups in another wall of 1,000, on one core."""
    texts = [i["text"] for i in ideas] + joined(ideas, IDEAS - len(ideas), SEED)
    times = []
    for _ in range(RUNS):
        wall = [(f"g{n}", text) for n, text in enumerate(texts)]  # a new list each run
        started = time.perf_counter()
        engine.suggest_groups(wall)
        times.append(time.perf_counter() - started)
    # Texts not grouped above, so the first lookup meets a wall the engine has not seen.
    wall = [(f"w{n}", text) for n, text in enumerate(joined(ideas, IDEAS, SEED + 2))]
    lookups = []
    for text in joined(ideas, LOOKUPS + 1, SEED + 1):
        started = time.perf_counter()
        engine.similar(text, wall, 3)
        lookups.append((time.perf_counter() - started) * 1000)
    warm_up, lookups = lookups[0], np.array(lookups[1:])
    return {
        "group_1000_first_s": times[0],
        "group_1000_s": statistics.median(times),
        "lookup_first_ms": warm_up,
        "lookup_p50_ms": float(np.percentile(lookups, 50)),
        "lookup_p95_ms": float(np.percentile(lookups, 95)),
    }


def engine_class(module):
    """The engine class a module defines (not one it imports)."""
    for value in vars(module).values():
        engine = isinstance(value, type) and issubclass(value, Engine) and value is not Engine
        if engine and value.__module__ == module.__name__:
            return value
    raise LookupError(f"{module.__name__} defines no engine")


def make_engine(spec: str, model_dir: str | None):
    """The engine a spec names, made as a worker would make it."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    from summit.engine.choice import load_engine

    if spec == "default":
        # What a running app chooses: the tests' settings name the plainest engine instead.
        if hasattr(settings, "SYNTHESIS_ENGINE"):
            del settings.SYNTHESIS_ENGINE
        return load_engine()
    if spec == "onnx":
        settings.SYNTHESIS_MODEL_DIR, spec = model_dir, "summit.engine.onnx"
    if spec.rpartition(".")[2][:1].isupper():
        return import_string(spec)()
    return engine_class(importlib.import_module(spec))()


def run_one(spec: str, model_dir: str | None) -> dict:
    """Load one engine in this process, on one core, and measure it."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    django.setup()
    ideas, _ = labelled_set()
    process = psutil.Process()
    before = process.memory_info().rss
    started = time.perf_counter()
    try:
        engine = make_engine(spec, model_dir)
        engine.embed(["Pooled budgets between the NHS and the council"])
    except Exception as error:  # any failure to load is reported, not raised
        return {"error": f"could not load: {type(error).__name__}: {error}"}
    result = {
        "load_s": time.perf_counter() - started,
        "name": engine.name,
        "class": f"{type(engine).__module__}.{type(engine).__qualname__}",
    }
    loaded = process.memory_info().rss
    try:
        result |= measure_quality(engine, ideas) | measure_speed(engine, ideas)
    except Exception as error:
        return result | {"error": f"failed while measured: {type(error).__name__}: {error}"}
    own = engine.quality()
    result["own_adjusted_rand"] = None if own is None else own.adjusted_rand
    result["added_loaded_mb"] = (loaded - before) / MIB
    result["added_used_mb"] = (process.memory_info().rss - before) / MIB
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux counts in KiB
    result["added_peak_mb"] = (peak - before) / MIB
    return result


def run_apart(spec: str, model_dir: str | None) -> dict:
    """Measure one engine in a process of its own; the model folder only reaches ``onnx``."""
    env = dict(os.environ)
    env.pop("SYNTHESIS_MODEL_DIR", None)
    if spec == "onnx":
        env["SYNTHESIS_MODEL_DIR"] = model_dir
    command = [sys.executable, __file__, "--one", spec, "--model-dir", model_dir or ""]
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)  # noqa: S603
    for line in done.stdout.splitlines():
        if line.startswith(RESULT):
            return json.loads(line[len(RESULT) :])
    last = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return {"error": f"its process ended ({done.returncode}): {last}"}


# The table's rows: a label, the figure, its decimal places, and its target (or None).
OFFERED = ("≥", SUGGESTION_FLOOR)  # groups are offered to facilitators only from this index
ROWS = (
    ("load: import, make, embed one text (s)", "load_s", 2, None),
    ("groups against the themes: adjusted Rand", "adjusted_rand", 3, OFFERED),
    ("groups suggested ({themes} themes)", "groups", 0, None),
    ("{close} close themes alone: adjusted Rand", "close_adjusted_rand", 3, OFFERED),
    ("{close} close themes alone: groups suggested", "close_groups", 0, None),
    ("near-duplicate partner in top 3, both ways", "near_duplicates_top3", 3, ("≥", 0.75)),
    ("its own `quality()`: adjusted Rand", "own_adjusted_rand", 3, None),
    ("grouping 1,000 ideas, one core: first run (s)", "group_1000_first_s", 2, None),
    ("grouping 1,000 ideas, one core: median of 3 (s)", "group_1000_s", 2, ("<", 2)),
    ("lookup in a wall of 1,000: warm-up (ms)", "lookup_first_ms", 1, None),
    ("lookup in a wall of 1,000: p50 (ms)", "lookup_p50_ms", 1, None),
    ("lookup in a wall of 1,000: p95 (ms)", "lookup_p95_ms", 1, ("<", 50)),
    ("memory added once loaded (MB)", "added_loaded_mb", 0, None),
    ("memory added once used (MB)", "added_used_mb", 0, ("<", 100)),
    ("memory added at its peak (MB)", "added_peak_mb", 0, ("<", 100)),
)


def cell(result: dict, key: str, places: int, target: tuple[str, float] | None) -> str:
    """A figure, and whether it meets its target."""
    if key not in result:
        return "—"
    value = result[key]
    if value is None:
        return "none"
    if target is None:
        return f"{value:.{places}f}"
    met = value >= target[1] if target[0] == "≥" else value < target[1]
    return f"{value:.{places}f} {'✓' if met else '✗'}"


def table(results: dict[str, dict], themes: int) -> str:
    """One Markdown table, a row a figure and a column an engine, then what each engine is."""
    lines = [
        "| | target | " + " | ".join(f"`{n}`" for n in results) + " |",
        "|---|---|" + "---:|" * len(results),
    ]
    for label, key, places, target in ROWS:
        cells = [cell(result, key, places, target) for result in results.values()]
        goal = "" if target is None else f"{target[0]} {target[1]}"
        label = label.format(themes=themes, close=len(CLOSE))
        lines.append(f"| {label} | {goal} | " + " | ".join(cells) + " |")
    lines.append("")
    for name, result in results.items():
        what = f"`{result['class']}`, “{result['name']}”" if "class" in result else ""
        lines.append(f"- `{name}`: " + "; ".join(filter(None, [what, result.get("error")])))
    return "\n".join(lines)


def cpu() -> str:
    """The processor's model, where the system says it."""
    info = Path("/proc/cpuinfo")
    for line in info.read_text().splitlines() if info.exists() else []:
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", action="append", help="dotted path, 'default' or 'onnx'")
    parser.add_argument("--model-dir", default=os.environ.get("SYNTHESIS_MODEL_DIR"))
    parser.add_argument("--one", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.one:
        print(RESULT + json.dumps(run_one(options.one, options.model_dir)))
        return
    check_adjusted_rand()
    engines = options.engine or [*DEFAULT_ENGINES, *(["onnx"] if options.model_dir else [])]
    if "onnx" in engines and not options.model_dir:
        parser.error("the ONNX engine needs --model-dir or SYNTHESIS_MODEL_DIR")
    ideas, themes = labelled_set()
    pairs = sum(1 for i in ideas if i["duplicate_of"])
    today = datetime.datetime.now(datetime.UTC).date()
    print(
        f"{len(ideas)} ideas in {len(themes)} themes, {pairs} near-duplicate pairs; {today}, "
        f"{cpu()}, {os.cpu_count()} cores, Python {platform.python_version()}\n",
        flush=True,
    )
    results = {}
    for spec in engines:
        print(f"measuring {spec} ...", file=sys.stderr, flush=True)
        results[spec] = run_apart(spec, options.model_dir)
    print(table(results, len(themes)))


if __name__ == "__main__":
    main()
