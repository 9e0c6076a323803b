"""Layers point one way: fii ← organisations ← trajectories. A lower app never imports a higher one, not even
inside a function; the higher app registers what the lower one needs at start-up (TrajectoriesConfig.ready)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# fii is also the project package (settings, URLs, admin site, demo loader), which wires the apps together.
HIGHER = {"organisations": ("trajectories",)}


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("app", HIGHER)
def test_a_lower_app_imports_no_higher_app(app):
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts and "management" not in path.parts
        for line, module in _imports(path)
        if module.split(".")[0] in HIGHER[app]
    ]
    assert not wrong, wrong
