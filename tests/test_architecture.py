"""The shape of the code, held to ``docs/architecture.md``: every module on the map, imports
only as the plan allows, no module or function over its size, and no private name of a
third-party object outside the live package."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("summit", "accounts", "breakouts", "plenary")
PLAN_DOC = ROOT / "docs" / "architecture.md"

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80

# Within an app, models <- services <- views and consumers <- urls and routing.
LAYER = {"models": 0, "services": 1, "views": 2, "consumers": 2, "urls": 3, "routing": 3}

# Underscored names that are public API all the same: Django documents the model ``_meta`` API
# and ``_state``, and named tuples' methods start with an underscore to stay out of the fields'
# way.
PUBLIC_ANYWAY = {"_meta", "_state", "_replace", "_asdict", "_fields", "_make"}

# The fence: the only code allowed to reach into the libraries' internals, and the tests that
# prove what it relies on still holds.
FENCE = ("summit/live/fast/",)
FENCE_TESTS = {"tests/test_live_contract.py", "tests/test_fanout.py", "tests/test_asgi.py"}


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _app_files() -> list[Path]:
    """Every module of the project's packages, migrations aside (Django writes them)."""
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    )


def _all_files() -> list[Path]:
    """Every Python file of ours: the packages, the tests, the benchmarks, the scripts."""
    extra = [*(ROOT / "tests").rglob("*.py"), *(ROOT / "bench").rglob("*.py")]
    return sorted({*_app_files(), *extra, ROOT / "dev.py", ROOT / "manage.py"})


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


# The plan, read from the document's table


@cache
def plan() -> dict[str, tuple[tuple[str, ...], frozenset[str]]]:
    """Each part: the paths it holds, and the parts it may import (``every part`` for all)."""
    parts = {}
    for line in PLAN_DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not re.fullmatch(r"[a-z]+", cells[0]):
            continue
        name, where, _, may = cells
        paths = tuple(re.findall(r"`([^`]+)`", where))
        if not paths:
            continue
        allowed = {word.strip() for word in may.split(",")}
        parts[name] = (paths, frozenset(allowed))
    everything = frozenset(parts)
    return {
        name: (
            paths,
            everything - {name} if "every part" in allowed else allowed - {"nothing of ours"},
        )
        for name, (paths, allowed) in parts.items()
    }


def part_of(path: Path) -> str | None:
    relative = _relative(path)
    for name, (paths, _) in plan().items():
        if any(relative == p or (p.endswith("/") and relative.startswith(p)) for p in paths):
            return name
    if relative.split("/")[0] in PACKAGES[1:]:
        return relative.split("/")[0]
    return None


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in _app_files()}


def _imported(path: Path) -> set[str]:
    """The project modules ``path`` imports, wherever in it (functions included)."""
    package = _module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in _modules() else base)
    return {name for name in found if name.split(".")[0] in PACKAGES}


def _target(module: str) -> Path | None:
    """The file of a project module, or of the nearest package above a name inside one."""
    while module:
        if module in _modules():
            return _modules()[module]
        module = module.rpartition(".")[0]
    return None


def test_the_plan_has_every_part_and_runs_one_way():
    parts = plan()
    assert set(parts) == {
        "live",
        "web",
        "engine",
        "event",
        "accounts",
        "breakouts",
        "synthesis",
        "plenary",
        "record",
        "organise",
        "config",
    }
    for name, (_, allowed) in parts.items():
        assert allowed <= set(parts), f"{name} may import a part the plan does not have"
    # No cycle: strip the parts that import nothing left, until none remain.
    left = {name: set(allowed) for name, (_, allowed) in parts.items()}
    while left:
        leaves = {name for name, allowed in left.items() if not allowed & set(left)}
        assert leaves, f"the plan has a cycle among {sorted(left)}"
        for leaf in leaves:
            del left[leaf]


def test_every_module_is_on_the_map():
    lost = [_relative(path) for path in _app_files() if part_of(path) is None]
    assert not lost, f"modules on no part of docs/architecture.md: {lost}"


def test_imports_between_parts_follow_the_plan():
    wrong = []
    for path in _app_files():
        part = part_of(path)
        allowed = plan()[part][1] | {part}
        for module in sorted(_imported(path)):
            target = _target(module)
            if target is not None and part_of(target) not in allowed:
                wrong.append(f"{_relative(path)} ({part}) imports {module} ({part_of(target)})")
    assert not wrong, "imports the plan does not allow:\n" + "\n".join(wrong)


def test_within_an_app_models_services_and_views_import_one_way():
    wrong = []
    for path in _app_files():
        layer = LAYER.get(path.stem)
        if layer is None:
            continue
        for module in _imported(path):
            target = _target(module)
            if target is None or part_of(target) != part_of(path):
                continue
            if LAYER.get(target.stem, -1) > layer:
                wrong.append(f"{_relative(path)} imports {module}")
    assert not wrong, "imports against models <- services <- views:\n" + "\n".join(wrong)


def test_no_module_is_over_the_size_limit():
    long = {
        _relative(path): lines
        for path in [*_app_files(), ROOT / "dev.py", ROOT / "manage.py"]
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_no_function_is_over_the_size_limit():
    long = {}
    for path in [*_app_files(), ROOT / "dev.py", ROOT / "manage.py"]:
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{_relative(path)}:{node.lineno} {node.name}"] = lines
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


# Private names


def _fenced(path: Path) -> bool:
    relative = _relative(path)
    return relative in FENCE_TESTS or any(relative.startswith(fence) for fence in FENCE)


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name not in PUBLIC_ANYWAY


@cache
def own_private_names() -> frozenset[str]:
    """The underscored names our own code defines: functions, classes, module names, and
    attributes it sets on ``self`` or ``cls``; but not a library's own name that a subclass of
    ours sets again, which stays the library's."""
    names = set()
    for path in _all_files():
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.alias) and node.asname:
                names.add(node.asname)
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name)
                and node.value.id in {"self", "cls"}
            ):
                names.add(node.attr)
    overridden = {name for path in _app_files() for name in _library_names_used(path).values()}
    return frozenset(name for name in names if _private(name) and name not in overridden)


def test_no_private_name_of_another_library_is_read_outside_the_live_package():
    found = []
    for path in _all_files():
        if _fenced(path):
            continue
        for node in ast.walk(_tree(path)):
            if (
                isinstance(node, ast.Attribute)
                and _private(node.attr)
                and node.attr not in own_private_names()
            ):
                found.append(f"{_relative(path)}:{node.lineno} .{node.attr}")
    assert not found, "private names of other libraries:\n" + "\n".join(found)


def _third_party_names(cls: type) -> set[str]:
    """What the third-party classes ``cls`` is built on define: class attributes, and what
    their code sets or reads on ``self``."""
    names = set()
    for base in cls.__mro__[1:]:
        root = base.__module__.split(".")[0]
        if root in PACKAGES or root == "builtins":
            continue
        names.update(vars(base))
        try:
            source = inspect.getsource(base)
        except (OSError, TypeError):
            continue
        names.update(re.findall(r"self\.(_[A-Za-z]\w*)", source))
    return {name for name in names if _private(name)}


def _names_used_on_self(node: ast.ClassDef) -> set[str]:
    used = {
        child.name
        for child in node.body
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    used |= {
        target.id
        for child in node.body
        if isinstance(child, ast.Assign | ast.AnnAssign)
        for target in (child.targets if isinstance(child, ast.Assign) else [child.target])
        if isinstance(target, ast.Name)
    }
    used |= {
        child.attr
        for child in ast.walk(node)
        if isinstance(child, ast.Attribute)
        and isinstance(child.value, ast.Name)
        and child.value.id in {"self", "cls"}
    }
    return {name for name in used if _private(name)}


def _library_names_used(path: Path) -> dict[str, str]:
    """Each library's private name that a class of ``path`` sets or reads on ``self``, as
    ``{"Class.name": name}``."""
    module = None
    used = {}
    for node in _tree(path).body:
        if not isinstance(node, ast.ClassDef) or not node.bases:
            continue
        module = module or importlib.import_module(_module_name(path))
        cls = getattr(module, node.name, None)
        if not isinstance(cls, type):
            continue
        for name in _names_used_on_self(node) & _third_party_names(cls):
            used[f"{node.name}.{name}"] = name
    return used


@pytest.mark.parametrize(
    "path", [p for p in _app_files() if not _fenced(p)], ids=lambda p: _relative(p)
)
def test_no_class_outside_the_live_package_overrides_or_reads_a_librarys_private_name(path):
    """A subclass of a library's class that sets or reads one of the library's own private
    names on ``self`` depends on its internals as much as code that reads them from outside."""
    wrong = sorted(_library_names_used(path))
    assert not wrong, f"{_relative(path)} touches library internals: {wrong}"


# The checks themselves see what they look for, so a pass means something.


def test_the_import_reader_sees_imports_at_the_top_and_inside_functions():
    imported = _imported(ROOT / "breakouts" / "consumers.py")
    assert {"summit.live", "breakouts.access", "breakouts.board"} <= imported
    inside = _imported(ROOT / "breakouts" / "apps.py")  # imported in ready(), not at the top
    assert "accounts.signals" in inside


def test_a_librarys_private_names_are_seen_on_its_classes():
    from django.core.handlers.asgi import ASGIHandler

    class Handler(ASGIHandler):
        pass

    assert "_middleware_chain" in _third_party_names(Handler)
    # Set again by a subclass of ours, a library's name still counts as the library's.
    assert "_middleware_chain" not in own_private_names()
    assert "_voice_throttle" in own_private_names()
