"""No two of the project's modules import each other, however indirectly, when they load: such a cycle works only
by the order modules happen to load in, and is what drives imports into function bodies. Services import their
tasks at module level; tasks import their service inside the task body. Nothing else imports the project's modules
inside a function, so a cycle cannot hide there."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_PRODUCT = {"tests"}


def project_packages(root: Path) -> list[str]:
    """Every top-level package of the repository except the tests, found rather than listed, so a new app is
    covered from its first commit."""
    return sorted(
        path.name
        for path in root.iterdir()
        if path.is_dir() and (path / "__init__.py").exists() and path.name not in NOT_PRODUCT
    )


def project_modules(root: Path, packages: list[str]) -> dict[str, Path]:
    modules = {}
    for package in packages:
        for path in (root / package).rglob("*.py"):
            if "migrations" in path.relative_to(root).parts:
                continue  # loaded by the migration loader, never imported by product code
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _imported_names(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        anchor = module.split(".") if is_package else module.split(".")[:-1]
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join([*anchor, base] if base else anchor)
    return [f"{base}.{alias.name}" if alias.name != "*" else base for alias in node.names]


def _module_level_imports(tree: ast.Module):
    """Imports run when the module loads: not those inside functions, nor those only for type checkers."""
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            pending.extend(node.orelse)
        else:
            pending.extend(child for child in ast.iter_child_nodes(node) if isinstance(child, ast.stmt))


def import_graph(root: Path, packages: list[str]) -> dict[str, set[str]]:
    """Module -> the project modules it imports when it loads (`from a.b import c` counts as a.b.c when that is a
    module, otherwise as a.b)."""
    modules = project_modules(root, packages)

    def resolve(name: str) -> str | None:
        parts = name.split(".")
        while parts:
            if ".".join(parts) in modules:
                return ".".join(parts)
            parts.pop()
        return None

    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        targets = set()
        for node in _module_level_imports(tree):
            for name in _imported_names(node, module, path.name == "__init__.py"):
                target = resolve(name)
                if target is not None and target != module:
                    targets.add(target)
        graph[module] = targets
    return graph


# Functions that may import the project's modules in their body, and why. Besides these: task bodies (tasks.py: the
# services they call import them), `ready()` in apps.py (the app registry is ready only then), management commands
# and migrations (loaded by Django on demand).
MAY_IMPORT_IN_FUNCTIONS = {
    "bench/run.py": "a script: it configures Django from its own arguments before any model can be imported",
}


def _may_import_in(relative: str, function: str) -> bool:
    parts = relative.split("/")
    return (
        relative in MAY_IMPORT_IN_FUNCTIONS
        or parts[-1] == "tasks.py"
        or (parts[-1] == "apps.py" and function == "ready")
        or parts[-3:-1] == ["management", "commands"]
    )


def imports_inside_functions(root: Path, packages: list[str]) -> list[str]:
    """`path:line function: import` for each import of a project module inside a function where none is expected."""
    modules = project_modules(root, packages)
    found = []
    for module, path in sorted(modules.items()):
        relative = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(), filename=str(path))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef) or _may_import_in(
                relative, function.name
            ):
                continue
            for node in ast.walk(function):
                if not isinstance(node, ast.Import | ast.ImportFrom):
                    continue
                names = _imported_names(node, module, path.name == "__init__.py")
                if any(name.split(".")[0] in packages for name in names):
                    found.append(f"{relative}:{node.lineno} {function.name}: {ast.unparse(node)}")
    return sorted(set(found))


def first_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path that ends where it starts, or None (a depth-first walk)."""
    done: set[str] = set()
    for start in sorted(graph):
        if start in done:
            continue
        path = [start]
        stack = [iter(sorted(graph[start]))]
        while stack:
            following = next(stack[-1], None)
            if following is None:
                stack.pop()
                done.add(path.pop())
            elif following in path:
                return [*path[path.index(following) :], following]
            elif following not in done:
                path.append(following)
                stack.append(iter(sorted(graph.get(following, ()))))
    return None


def test_the_project_has_no_import_cycle():
    packages = project_packages(ROOT)
    assert {"accounts", "config", "pathways", "regulators", "talent"} <= set(packages)

    cycle = first_cycle(import_graph(ROOT, packages))

    assert cycle is None, "Import cycle: " + " -> ".join(cycle)


def test_no_function_imports_the_project_except_tasks_apps_and_commands():
    packages = project_packages(ROOT)

    assert imports_inside_functions(ROOT, packages) == []
    assert [path for path in MAY_IMPORT_IN_FUNCTIONS if not (ROOT / path).is_file()] == []


def test_an_import_inside_a_function_is_found_unless_a_task_ready_or_a_command(tmp_path):
    app = tmp_path / "app"
    (app / "management" / "commands").mkdir(parents=True)
    for package in (app, app / "management", app / "management" / "commands"):
        (package / "__init__.py").write_text("")
    (app / "models.py").write_text("def has_perm():\n    from app.permissions import user_can\n    import json\n")
    (app / "tasks.py").write_text("def thing_task():\n    from app.services import thing\n")
    (app / "apps.py").write_text(
        "class Config:\n    def ready(self):\n        from app import checks\n\n"
        "    def other(self):\n        from . import signals\n"
    )
    (app / "management" / "commands" / "seed.py").write_text("def handle():\n    from app.services import seed\n")

    assert imports_inside_functions(tmp_path, project_packages(tmp_path)) == [
        "app/apps.py:6 other: from . import signals",
        "app/models.py:2 has_perm: from app.permissions import user_can",
    ]


def test_a_cycle_is_found_and_named(tmp_path):
    """The check above can fail: two modules importing each other, one through a relative import."""
    app = tmp_path / "app"
    (app / "sub").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "sub" / "__init__.py").write_text("")
    (app / "services.py").write_text("from app.sub.tasks import thing_task\n")
    (app / "sub" / "tasks.py").write_text("def thing_task():\n    pass\n\nfrom ..services import x\n")
    (app / "views.py").write_text("from app import services\n")

    cycle = first_cycle(import_graph(tmp_path, project_packages(tmp_path)))

    assert cycle == ["app.services", "app.sub.tasks", "app.services"]


def test_imports_inside_functions_or_for_type_checkers_do_not_count(tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "services.py").write_text("from app.tasks import thing_task\n")
    (app / "tasks.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from app.services import x\n\n"
        "def thing_task():\n    from app.services import x\n"
    )

    assert first_cycle(import_graph(tmp_path, project_packages(tmp_path))) is None
