"""Imports run one way: each package imports only the packages below it (README, Architecture).

The source is parsed, not imported, so an import inside a function counts as much as one
at the top of a file.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Lowest first; a module may import its own package and anything listed before it.
LAYERS = (
    ("config", "extensions"),
    ("models",),
    ("core",),
    ("auth",),
    ("courses",),
    ("trainees",),
    ("demo",),
    ("app",),
    ("bench",),
)
LEVEL = {name: level for level, names in enumerate(LAYERS) for name in names}


def project_modules():
    for name in LEVEL:
        package = ROOT / name
        if package.is_dir():
            yield from sorted(package.rglob("*.py"))
        else:
            yield ROOT / f"{name}.py"


def imported_names(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def upward_imports(path: Path, source: str) -> list[str]:
    own = path.relative_to(ROOT).parts[0].removesuffix(".py")
    wrong = []
    for line, name in imported_names(source):
        top = name.split(".")[0]
        if top in LEVEL and LEVEL[top] > LEVEL[own]:
            wrong.append(f"{path.relative_to(ROOT)}:{line} ({own}) imports {name}")
    return wrong


def test_no_module_imports_a_package_above_its_own():
    wrong = []
    for path in project_modules():
        wrong += upward_imports(path, path.read_text(encoding="utf-8"))
    assert wrong == []


def test_no_module_reaches_a_table_or_a_class_by_its_name():
    """Going around the imports (a table by name, a class through a mapper) hides an edge."""
    wrong = []
    for path in project_modules():
        source = path.read_text(encoding="utf-8")
        for marker in ("metadata.tables[", "mapper.class_", "import_module("):
            if marker in source:
                wrong.append(f"{path.relative_to(ROOT)} uses {marker}")
    assert wrong == []


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("models/course.py", "from courses.plans import course_training_days"),
        ("core/errors.py", "def f():\n    import auth.policy\n"),
        ("auth/views.py", "from trainees import registry"),
    ],
)
def test_the_check_sees_an_upward_import(path, source):
    assert upward_imports(ROOT / path, source)


def test_the_check_lets_a_downward_import_pass():
    source = "from courses.plans import course_training_days\nimport models"
    assert upward_imports(ROOT / "trainees/api/registry.py", source) == []


def test_every_package_of_the_project_has_a_layer():
    packages = {path.name for path in ROOT.iterdir() if (path / "__init__.py").exists()}
    assert packages - {"tests"} <= set(LEVEL)


def test_no_test_module_imports_another():
    """Shared builders live in tests/factories.py, tests/scenarios/ and conftest.py."""
    wrong = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for line, name in imported_names(path.read_text(encoding="utf-8")):
            if name.split(".")[-1].startswith("test_") or ".test_" in name:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert wrong == []
