"""The demo data stays out of the product: no product module imports `demo`, so a deployment could leave it out."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def product_packages() -> list[Path]:
    """Every app of this project except `demo`, and `config`."""
    local = {Path(app.path) for app in apps.get_app_configs() if Path(app.path).is_relative_to(BASE_DIR)}
    return sorted({*local, BASE_DIR / "config"} - {BASE_DIR / "demo"})


def demo_imports(path: Path, root: Path = BASE_DIR) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        found += [f"{path.relative_to(root)}:{node.lineno} {name}" for name in names if name.split(".")[0] == "demo"]
    return found


def test_the_product_packages_are_the_apps_and_config():
    names = {path.name for path in product_packages()}
    assert {"accounts", "config", "pathways", "regulators", "talent"} <= names
    assert "demo" not in names


@pytest.mark.parametrize("package", product_packages(), ids=lambda path: path.name)
def test_no_product_module_imports_the_demo_data(package):
    assert [hit for module in sorted(package.rglob("*.py")) for hit in demo_imports(module)] == []


def test_the_check_sees_an_import_of_demo(tmp_path):
    """The scan would catch the imports that used to be there."""
    module = tmp_path / "module.py"
    module.write_text("from demo.bulk import synthetic_population_seed\nimport demo.accounts\n")
    assert demo_imports(module, root=tmp_path) == ["module.py:1 demo.bulk", "module.py:2 demo.accounts"]
