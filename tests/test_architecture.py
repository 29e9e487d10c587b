"""The import rules between the apps, and the core's silence about the areas.

The areas (``ciep.areas``) import ``ciep`` and never each other; the core imports no area and
names none: every place that lists the areas reads the registry, so adding an area touches no
core file. ``INSTALLED_APPS`` (``ciep/settings.py``) is the one place that names them.
"""

import ast
import re
from pathlib import Path

import pytest

from ciep.areas import area_labels

ROOT = Path(__file__).resolve().parent.parent
AREAS = area_labels()
# Figures and generator options that are called like an area (the report's "projects"
# figure, ``generate_edition --projects``): words, not the app.
WORDS_LIKE_AN_AREA = {
    ("ciep/report.py", "projects"),
    ("ciep/management/commands/generate_edition.py", "projects"),
    ("ciep/synthetic/scale.py", "projects"),  # the number of projects to generate
}
NAMES_AN_AREA = re.compile(rf"^({'|'.join(AREAS)})([.:]\S*)?$")
URL_OF_AN_AREA = re.compile(rf"""['"]({"|".join(AREAS)})[.:]""")


def _python_files(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("app", ["ciep", *AREAS])
def test_apps_import_only_ciep(app):
    others = {"ciep", *AREAS} - {app}
    wrong = {
        str(path.relative_to(ROOT)): sorted(_imported(path) & (others - {"ciep"}))
        for path in _python_files(app)
    }
    assert {path: names for path, names in wrong.items() if names} == {}


def _strings(path: Path):
    """The string literals of a module, docstrings and comments left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            yield node.value


def test_the_core_names_no_area():
    named = []
    for path in _python_files("ciep"):
        relative = str(path.relative_to(ROOT))
        if relative == "ciep/settings.py":
            continue
        for text in _strings(path):
            if NAMES_AN_AREA.match(text) and (relative, text) not in WORDS_LIKE_AN_AREA:
                named.append((relative, text))
    templates = [
        ROOT / "templates" / "base.html",
        *sorted((ROOT / "templates" / "ciep").rglob("*")),
    ]
    for path in templates:
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                named += [
                    (str(path.relative_to(ROOT)), m.group(0)) for m in URL_OF_AN_AREA.finditer(line)
                ]
    assert named == []


def test_the_check_finds_a_named_area(tmp_path):
    module = tmp_path / "module.py"
    module.write_text('"""About projects."""\nAPPS = ("ciep", "forums")\nURL = "projects:list"\n')
    assert sorted(text for text in _strings(module) if NAMES_AN_AREA.match(text)) == [
        "forums",
        "projects:list",
    ]
