"""The drawing layer needs nothing at run time beyond the design's packages: numpy, ipywidgets, matplotlib, graphviz."""

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "autograd_lab"
DESIGN = {"numpy", "ipywidgets", "matplotlib", "graphviz", "IPython"}  # IPython comes with ipywidgets
DRAWING = [*sorted((PACKAGE / "viz").glob("*.py")), PACKAGE / "numfmt.py", PACKAGE / "i18n.py"]


def third_party_imports(path: Path) -> tuple[set[str], set[str]]:
    """(required, optional) third-party top-level modules ``path`` imports; optional: in ``try/except ImportError``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    optional_nodes = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
            isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError") for h in node.handlers
        ):
            optional_nodes |= {id(inner) for stmt in node.body for inner in ast.walk(stmt)}
    required, optional = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in sys.stdlib_module_names or top == "autograd_lab":
                continue
            (optional if id(node) in optional_nodes else required).add(top)
    return required, optional


def test_the_drawing_layer_imports_only_the_design_packages():
    required = {path.name: third_party_imports(path)[0] - DESIGN for path in DRAWING}
    assert not any(required.values()), required
    seen = set().union(*(third_party_imports(path)[0] for path in DRAWING))
    assert seen == {"numpy", "ipywidgets", "matplotlib", "graphviz"}  # the scan sees them (IPython: optional)


def test_the_scan_tells_required_from_optional_imports(tmp_path):
    module = tmp_path / "example.py"
    module.write_text(
        "import numpy as np\nfrom scipy import linalg\n"
        "try:\n    import jupyter_core\nexcept ImportError:\n    jupyter_core = None\n",
        encoding="utf-8",
    )
    assert third_party_imports(module) == ({"numpy", "scipy"}, {"jupyter_core"})
