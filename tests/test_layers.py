"""The house rules, checked on the source: imports run one way, and an item's written form lives in one module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# A package may import only the packages before it: analysis computes, charts draws, dashboard shows.
LAYERS = {
    "analysis": {"plotly", "pydeck", "kaleido", "streamlit", "charts", "dashboard"},
    "charts": {"streamlit", "dashboard"},
}
ITEM_FORMS = ("agreement:", "action:", "org:")
ITEMS_MODULE = ROOT / "analysis" / "items.py"


def modules(*packages: str) -> list[Path]:
    return sorted(p for package in packages for p in (ROOT / package).rglob("*.py"))


def imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", list(LAYERS))
def test_imports_run_one_way(package):
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported(path) & LAYERS[package])
        for path in modules(package)
        if imported(path) & LAYERS[package]
    }
    assert wrong == {}


def strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    docstrings = {
        ast.get_docstring(n, clean=False)
        for n in ast.walk(tree)
        if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
    }
    return [s for s in found if s not in docstrings]


def colon_splits(path: Path) -> list[str]:
    """Calls such as `key.split(":")` or `keys.str.partition(":")`: reading a key by hand."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        ast.unparse(n)
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in ("split", "rsplit", "partition", "rpartition")
        and n.args
        and isinstance(n.args[0], ast.Constant)
        and n.args[0].value == ":"
    ]


def test_the_written_form_of_an_item_is_built_in_analysis_items_only():
    """`agreement:<id>`, `action:<id>` and `org:<id>` are made and read by analysis.items; no other module spells
    them out (docstrings aside), nor splits a key on its colon."""
    spelled = {
        str(path.relative_to(ROOT)): [s for s in strings(path) if s.startswith(ITEM_FORMS)] + colon_splits(path)
        for path in modules("analysis", "charts", "dashboard")
        if path != ITEMS_MODULE
    }
    assert {path: found for path, found in spelled.items() if found} == {}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_imports(path: Path, known: set[str]) -> set[str]:
    """The project modules a module imports anywhere (at the top, in functions, under TYPE_CHECKING): `from analysis
    import i18n` imports analysis.i18n, `from analysis import Dataset` the package analysis itself."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in known}
        elif isinstance(node, ast.ImportFrom) and node.module in known and node.level == 0:
            submodules = {f"{node.module}.{alias.name}" for alias in node.names} & known
            found |= submodules
            if len(submodules) < len(node.names):
                found.add(node.module)
    return found


def test_the_modules_of_analysis_import_one_another_without_cycles():
    """A cycle (dataset -> cordis -> dataset, even under TYPE_CHECKING) makes the order of imports matter and the
    modules inseparable; each module is named with the ones it reaches itself through."""
    paths = {module_name(p): p for p in modules("analysis")}
    graph = {name: project_imports(path, set(paths)) - {name} for name, path in paths.items()}
    cycles = []
    for start in graph:
        seen, todo = set(), list(graph[start])
        while todo:
            name = todo.pop()
            if name == start:
                cycles.append(start)
                break
            if name not in seen:
                seen.add(name)
                todo += graph[name]
    assert cycles == []
