"""The layout's rules (docs/architecture.md), checked on the source: imports point one way,
core ← platform (activity, accounts, tenants) ← domain apps ← flows ← the composition root
(`expertly/`); no two modules and no two apps import each other, at module level or inside a
function; `apps/tasks` stays a domain app, not a hub."""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# bottom to top; an app may import apps of its own layer or below, never above
LAYERS = [
    ["core"],
    ["activity", "accounts", "tenants"],
    ["people", "sales", "tasks", "playbooks", "knowledge", "questions", "drafts"],
    ["workloop", "context", "dashboard", "demo"],
]
LAYER_OF = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}


def _modules() -> dict[str, Path]:
    """Every non-test, non-migration module of apps/ and expertly/, by dotted name."""
    found = {}
    for base in ("apps", "expertly"):
        for path in (ROOT / base).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts or "tests" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules `name` imports, anywhere in the file (inside functions too)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module
            candidates = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in modules:  # `import apps.x.y.z` names a module or its package
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
    return targets


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _app(module: str) -> str:
    parts = module.split(".")
    return parts[1] if parts[0] == "apps" and len(parts) > 1 else parts[0]


def _app_graph(graph) -> dict[str, set[str]]:
    apps = defaultdict(set)
    for module, targets in graph.items():
        for target in targets:
            if _app(module) != _app(target):
                apps[_app(module)].add(_app(target))
    return apps


def test_no_two_modules_import_each_other():
    graph = _graph()
    pairs = sorted({tuple(sorted((a, b))) for a, targets in graph.items() for b in targets if a in graph.get(b, ())})
    assert pairs == []


def test_no_two_apps_import_each_other():
    apps = _app_graph(_graph())
    pairs = sorted({tuple(sorted((a, b))) for a, targets in apps.items() for b in targets if a in apps.get(b, ())})
    assert pairs == []


def test_every_app_has_a_layer():
    apps = {path.parent.name for path in (ROOT / "apps").glob("*/apps.py")}
    assert apps - set(LAYER_OF) == set()


def test_imports_point_down_the_layers():
    """core imports no app; no app imports one of a higher layer or the composition root."""
    upward = []
    for module, targets in _graph().items():
        if _app(module) == "expertly":
            continue
        for target in targets:
            source, dest = _app(module), _app(target)
            if dest == "expertly" or (source != dest and LAYER_OF[dest] > LAYER_OF[source]):
                upward.append(f"{module} -> {target}")
    assert upward == []


def test_the_domain_apps_form_no_cycle():
    apps = _app_graph(_graph())
    seen, stack, cycles = set(), [], []

    def visit(app):
        if app in stack:
            cycles.append(stack[stack.index(app):] + [app])
            return
        if app in seen:
            return
        seen.add(app)
        stack.append(app)
        for dest in sorted(apps.get(app, ())):
            visit(dest)
        stack.pop()

    for app in sorted(apps):
        visit(app)
    assert cycles == []


def _lines(paths) -> int:
    return sum(len(path.read_text().splitlines()) for path in paths)


def _project_python() -> list[Path]:
    """Every Python file of the project but tests and migrations (the measure issue #7 used). The
    model-bakery recipes (`<app>/baker_recipes.py`, where model-bakery looks for them) are test data."""
    skip = {".venv", ".data", "node_modules", "migrations", "tests"}
    return [path for path in ROOT.rglob("*.py") if not skip & set(path.relative_to(ROOT).parts)
            and path.name not in ("conftest.py", "baker_recipes.py")]


def test_tasks_is_no_hub():
    """apps/tasks is at most 15% of the project's Python (tests and migrations left out)."""
    files = _project_python()
    share = _lines(p for p in files if p.relative_to(ROOT).parts[:2] == ("apps", "tasks")) / _lines(files)
    assert share <= 0.15, f"apps/tasks is {share:.1%} of the code"
