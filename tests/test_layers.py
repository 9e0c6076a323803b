"""Layers point one way: fii ← organisations ← trajectories. A lower app never imports a higher one, not even
inside a function; the higher app registers what the lower one needs at start-up (TrajectoriesConfig.ready)."""

import ast
import re
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


# The page cache stays in its room (trajectories/fragments.py, revisions.py, visibility.py): models do not
# remember what they were loaded with for it, and templates do not know whether their body came from a cache.
MODEL_MODULES = [*sorted((ROOT / "trajectories" / "models").glob("*.py")), ROOT / "organisations" / "models.py"]
CACHE_HOOKS = {"from_db", "_loaded_visibility"}


def _cache_hooks(source: str) -> list[str]:
    tree = ast.parse(source)
    names = [node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]
    names += [node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names += [node.module or "", *(alias.name for alias in node.names)]
    return sorted({name for name in names if name in CACHE_HOOKS or name.endswith("fragments")})


def test_the_cache_guard_finds_a_model_that_keeps_state_for_the_cache():
    source = (
        "from trajectories import fragments\n"
        "class Trajectory:\n"
        "    @classmethod\n"
        "    def from_db(cls, db, names, values):\n"
        "        instance._loaded_visibility = 1\n"
    )
    assert _cache_hooks(source) == ["_loaded_visibility", "fragments", "from_db"]
    assert _cache_hooks("from .. import fragments\n") == ["fragments"]


@pytest.mark.parametrize("path", MODEL_MODULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_models_know_nothing_of_the_page_cache(path):
    assert _cache_hooks(path.read_text(encoding="utf-8")) == [], f"{path.relative_to(ROOT)} serves the cache"


def _template_cache_marks(text: str) -> list[str]:
    marks = [r"{%\s*if\s+body\s*%}", r"fragments\.py", r"\bcached?\b"]
    return [mark for mark in marks if re.search(mark, text, flags=re.IGNORECASE)]


def test_the_template_guard_finds_a_cache_wrapper():
    assert _template_cache_marks("{% if body %}{{ body }}{% else %}…{% endif %}") == [r"{%\s*if\s+body\s*%}"]
    assert _template_cache_marks("{# cached under the revision (trajectories/fragments.py) #}") == [
        r"fragments\.py",
        r"\bcached?\b",
    ]
    assert _template_cache_marks("{{ body }}") == []


def test_templates_know_nothing_of_the_page_cache():
    wrong = {
        str(path.relative_to(ROOT)): marks
        for path in sorted((ROOT / "templates").rglob("*.html"))
        if (marks := _template_cache_marks(path.read_text(encoding="utf-8")))
    }
    assert not wrong, wrong


def test_models_carry_no_cache_version():
    """The numbers the page cache is keyed on live in the cache's own table (fii/cache_versions.py, issue 20), not
    in fields of the models it caches, whose save() would have to treat them apart."""
    from django.apps import apps

    wrong = [
        f"{model._meta.label}.{field.name}"
        for app in ("organisations", "trajectories")
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if field.name in {"revision", "access_version"}
    ]
    assert not wrong, wrong
