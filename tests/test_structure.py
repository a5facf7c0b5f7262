"""The code's shape: the reading path's size, the import order of the layers, short core functions."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "autograd_lab"

_spec = importlib.util.spec_from_file_location("reading_path", ROOT / "tools" / "reading_path.py")
assert _spec is not None and _spec.loader is not None
reading_path = importlib.util.module_from_spec(_spec)
sys.modules["reading_path"] = reading_path
_spec.loader.exec_module(reading_path)

# The layers, lowest first: a module imports only from its own layer or lower ones.
CORE = {
    "tensor", "function", "ops", "engine", "gradcheck", "grad_mode", "trace", "dtypes", "shapes",
    "printing", "errors", "speedups", "methods", "inplace", "factories", "functional", "autograd",
}  # fmt: skip
LAYERS = [CORE, {"nn", "optim", "data", "datasets", "i18n", "numfmt"}, {"viz"}, {"course"}, {"cli", "launch"}]


def _layer(module: str) -> int:
    top = module.split(".")[1] if module.count(".") else module
    for level, names in enumerate(LAYERS):
        if top in names:
            return level
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in {__file__}")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    """Absolute names of the autograd_lab modules an ``from ... import ...`` statement reads."""
    if node.level == 0:
        base = node.module or ""
    else:
        package = module if is_package else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{node.module}" if node.module else package
    if not base.startswith("autograd_lab"):
        return []
    names = []
    for alias in node.names:  # ``from . import ops`` imports the module autograd_lab.ops
        candidate = f"{base}.{alias.name}"
        exists = (ROOT / Path(*candidate.split("."))).with_suffix(".py").exists()
        names.append(candidate if exists or (ROOT / Path(*candidate.split("."))).is_dir() else base)
    return names


def _imports() -> list[tuple[str, str, int, bool, str]]:
    """(importer, imported, line, inside a function, the source line) for every internal import."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        tree = ast.parse(source)
        type_checking = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                type_checking.update(id(child) for stmt in node.body for child in ast.walk(stmt))
        in_function = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                in_function.update(id(child) for child in ast.walk(node))
        for node in ast.walk(tree):
            if id(node) in type_checking:
                continue
            if isinstance(node, ast.ImportFrom):
                targets = _resolve(module, path.name == "__init__.py", node)
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names if a.name.startswith("autograd_lab")]
            else:
                continue
            for target in targets:
                found.append((module, target, node.lineno, id(node) in in_function, lines[node.lineno - 1]))
    return found


def test_the_reading_path_fits_its_budget():
    counts, total = reading_path.report()
    assert list(counts) == ["tensor.py", "function.py", "ops.py", "engine.py", "gradcheck.py"]
    assert total <= reading_path.BUDGET, f"the reading path has {total} lines of code: {counts}"


def test_the_line_counter_counts_code_and_docstrings_but_not_blanks_or_comments(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""Doc."""\n\n# a comment\nx = 1  # trailing\n\n\ndef f():\n    return x\n')
    assert reading_path.code_lines(sample) == 4


def test_the_readme_names_the_reading_path_in_order_with_its_size():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    _, total = reading_path.report()
    for section in ("### Leer el código", "### Reading the code"):
        text = readme.split(section, 1)[1].split("\n### ", 1)[0]
        positions = [text.find(f"`autograd_lab/{name}`") for name in reading_path.READING_PATH]
        assert all(p >= 0 for p in positions) and positions == sorted(positions), section
        assert f"({total} " in text, section


def test_imports_go_down_the_layers_only():
    """core < nn/optim/data < viz < course < cli: nothing imports from a layer above it."""
    upward = [
        f"{importer} imports {imported} (line {line})"
        for importer, imported, line, _, _ in _imports()
        if importer != "autograd_lab" and imported != "autograd_lab" and _layer(imported) > _layer(importer)
    ]
    assert upward == []


def test_no_import_cycle_among_the_core_modules():
    graph: dict[str, set[str]] = {}
    for importer, imported, _, _, _ in _imports():
        if importer != "autograd_lab" and _layer(importer) == 0 and imported != "autograd_lab":
            graph.setdefault(importer, set()).add(imported)
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> None:
        if module in done:
            return
        assert module not in visiting, "import cycle: " + " -> ".join([*visiting[visiting.index(module) :], module])
        visiting.append(module)
        for child in sorted(graph.get(module, ())):
            visit(child)
        visiting.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)
    assert "autograd_lab.tensor" in done and "autograd_lab.engine" in graph["autograd_lab.tensor"]


def test_core_imports_sit_at_the_top_or_say_why():
    hidden = [
        f"{importer}:{line}: {source.strip()}"
        for importer, _, line, inside, source in _imports()
        if inside and _layer(importer) == 0 and "#" not in source
    ]
    assert hidden == []


def _core_functions():
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        if module == "autograd_lab" or _layer(module) != 0:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield f"{module}.{node.name}", (node.end_lineno or node.lineno) - node.lineno + 1


def test_the_longest_core_function_has_at_most_50_lines():
    name, length = max(_core_functions(), key=lambda item: item[1])
    assert length <= 50, f"{name} has {length} lines"


@pytest.mark.parametrize("layer", ["viz", "course"])
def test_the_layer_check_would_catch_an_upward_import(layer):
    assert _layer(f"autograd_lab.{layer}.x") > _layer("autograd_lab.tensor")
    assert _layer("autograd_lab.course.grade") > _layer("autograd_lab.viz.widgets")
