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


# Views ask the policy (trajectories/policy.py, organisations.access.may_manage) rather than reading roles.
VIEW_MODULES = [
    *sorted((ROOT / "trajectories" / "views").glob("*.py")),
    ROOT / "organisations" / "views.py",
    ROOT / "organisations" / "invitation_views.py",
]
ROLE_NAMES = {"LEZER", "BEWERKER", "BEHEERDER"}


def _role_checks(source: str) -> list[int]:
    """Lines that name a role (``Role.BEWERKER``) or compare one (``role.allows(...)``)."""
    return sorted(
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute)
        and (
            (node.attr in ROLE_NAMES and isinstance(node.value, ast.Name) and node.value.id == "Role")
            or node.attr == "allows"
        )
    )


def test_the_role_check_guard_finds_direct_role_reads():
    source = (
        "def view(request, pk):\n"
        "    trajectory = get_trajectory_for_user(request.user, pk, need=Role.BEWERKER)\n"
        "    can_edit = trajectory.user_role.allows(Role.BEHEERDER)\n"
        "    may(request.user, Do.EDIT, trajectory)\n"
    )
    assert _role_checks(source) == [2, 3, 3]


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_views_ask_the_policy_instead_of_reading_roles(path):
    assert _role_checks(path.read_text(encoding="utf-8")) == [], f"{path.relative_to(ROOT)} reads a role directly"
