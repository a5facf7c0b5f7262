"""Reading the student's code to spot library code handed in as their own (on the trusted side, from the source).

For every check cell, the answers' names are followed to the statements that
bind them in the cells run before it (``def``, ``class``, assignments,
imports), and from there to every notebook-level function, class or value
those statements use.  Each dotted name they refer to is resolved through
the notebook's imports (``import autograd_lab as torch`` makes ``torch.ops``
``autograd_lab.ops``).  A part is rejected when its code:

- uses ``autograd_lab.ops`` (the primitives the exercises ask to write), the
  course's own code (``autograd_lab.course``: the checks and their reference
  implementations; ``check``, ``progress`` and ``Valor`` excepted) or ``torch``;
- uses a library name the part forbids (``forbid=("autograd_lab",)`` for the
  NumPy parts);
- builds code at run time (``exec``, ``eval``, ``compile``, ``__import__``,
  ``importlib``, ``sys.modules``), which cannot be read;
- or (decided once the kernel has the value) has no statement that defines it.

The kernel's own identity report of each answer (``library_origin`` in the
checks) is a second, independent signal.
"""

from __future__ import annotations

import ast
import builtins
import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ...i18n import register, t
from .notebook import CheckStep, CodeStep, Step

ALWAYS_FORBIDDEN = ("autograd_lab.ops", "autograd_lab.course", "torch")
ALLOWED = (
    "autograd_lab.course.checks.check",
    "autograd_lab.course.checks.progress",
    "autograd_lab.course.valor",
)
DYNAMIC_NAMES = ("exec", "eval", "compile", "__import__")
DYNAMIC_MODULES = ("importlib", "sys.modules", "builtins")

register(
    {
        "grade.reject.library": {
            "es": "{name} usa {origin}, código de la biblioteca o del curso: en esta parte cuenta solo tu propio "
            "código.",
            "en": "{name} uses {origin}, the library's or the course's code: this part counts only your own code.",
        },
        "grade.reject.dynamic": {
            "es": "{name} se construye con {what}, código que el corrector no puede leer: escríbelo directamente "
            "en el cuaderno.",
            "en": "{name} is built with {what}, code the grader cannot read: write it directly in the notebook.",
        },
        "grade.reject.imported": {
            "es": "{name} se importa de {origin}: la respuesta tiene que estar escrita en el cuaderno.",
            "en": "{name} is imported from {origin}: the answer has to be written in the notebook.",
        },
        "grade.reject.unbound": {
            "es": "{name} no está definido por ninguna celda del cuaderno (exec, globals() o un archivo no cuentan).",
            "en": "{name} is not defined by any cell of the notebook (exec, globals() or a file do not count).",
        },
    }
)


def _python(source: str) -> ast.Module | None:
    """A cell's code as Python (IPython magics turned into calls), or None when it does not parse."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        source = TransformerManager().transform_cell(source)
    except Exception:
        pass
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _targets(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, (ast.Tuple, ast.List)):
        for item in node.elts:
            yield from _targets(item)
    elif isinstance(node, ast.Starred):
        yield from _targets(node.value)


def _bindings(statement: ast.stmt) -> Iterator[str]:
    """The notebook-level names a statement binds (not looking inside functions and classes)."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield statement.name
        for inner in ast.walk(statement):  # ``global name`` inside a function binds the notebook's name
            if isinstance(inner, ast.Global):
                yield from inner.names
    elif isinstance(statement, ast.Assign):
        for target in statement.targets:
            yield from _targets(target)
    elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
        yield from _targets(statement.target)
    elif isinstance(statement, (ast.Import, ast.ImportFrom)):
        for alias in statement.names:
            if alias.name != "*":
                yield alias.asname or alias.name.split(".")[0]
    elif isinstance(statement, (ast.For, ast.AsyncFor)):
        yield from _targets(statement.target)
    elif isinstance(statement, (ast.With, ast.AsyncWith)):
        for item in statement.items:
            if item.optional_vars is not None:
                yield from _targets(item.optional_vars)


def _statements(body: Iterable[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement at notebook level, inside if/for/while/with/try blocks too, but not inside functions."""
    for statement in body:
        yield statement
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for name in ("body", "orelse", "finalbody"):
            yield from _statements(getattr(statement, name, []) or [])
        for handler in getattr(statement, "handlers", []) or []:
            yield from _statements(handler.body)
        for case in getattr(statement, "cases", []) or []:
            yield from _statements(case.body)


@dataclass
class _Notebook:
    """What the cells run so far define: import aliases, star imports, and the latest binding of each name."""

    aliases: dict[str, str] = field(default_factory=dict)
    stars: list[str] = field(default_factory=list)
    bound: dict[str, ast.stmt] = field(default_factory=dict)

    def add(self, tree: ast.Module) -> None:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.aliases[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        self.aliases[top] = top
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    if alias.name == "*":
                        self.stars.append(node.module)
                    else:
                        self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        for statement in _statements(tree.body):
            for name in _bindings(statement):
                self.bound[name] = statement

    def dotted(self, node: ast.AST) -> str:
        """``torch.ops.Mul`` -> "autograd_lab.ops.Mul" through the imports ("" when not rooted in an import)."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name) or node.id not in self.aliases:
            return ""
        return ".".join([self.aliases[node.id], *reversed(parts)])


def _is_forbidden(dotted: str, forbidden: tuple[str, ...]) -> bool:
    def under(name: str, prefix: str) -> bool:
        return name == prefix or name.startswith(prefix + ".")

    if any(under(dotted, allowed) for allowed in ALLOWED):
        return False
    return any(under(dotted, prefix) for prefix in forbidden)


class _Scan(ast.NodeVisitor):
    """The first forbidden or dynamic reference in a statement, and the plain names it uses."""

    def __init__(self, notebook: _Notebook, forbidden: tuple[str, ...]) -> None:
        self.notebook, self.forbidden = notebook, forbidden
        self.problem: tuple[str, str] | None = None
        self.used: set[str] = set()
        self.scopes: list[set[str]] = []  # names local to the functions (and comprehensions) being read

    def _local(self, name: str) -> bool:
        return any(name in scope for scope in self.scopes)

    def _in_scope(self, names: set[str], nodes: Iterable[ast.AST]) -> None:
        self.scopes.append(names)
        for node in nodes:
            self.visit(node)
        self.scopes.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for outer in [*node.decorator_list, *node.args.defaults, *node.args.kw_defaults]:
            if outer is not None:
                self.visit(outer)
        self._in_scope(_local_names(node), node.body)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for outer in [*node.args.defaults, *node.args.kw_defaults]:
            if outer is not None:
                self.visit(outer)
        self._in_scope(_local_names(node), [node.body])

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for outer in [*node.decorator_list, *node.bases, *node.keywords]:
            self.visit(outer)
        self._in_scope(_local_names(node), node.body)

    def visit_ListComp(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp) -> None:
        self._in_scope(_local_names(node), list(ast.iter_child_nodes(node)))

    visit_SetComp = visit_GeneratorExp = visit_DictComp = visit_ListComp

    def _found(self, kind: str, what: str) -> None:
        if self.problem is None:
            self.problem = (kind, what)

    def _resolved(self, dotted: str) -> None:
        if _is_forbidden(dotted, self.forbidden):
            self._found("library", dotted)
        elif any(dotted == m or dotted.startswith(m + ".") for m in DYNAMIC_MODULES):
            self._found("dynamic", dotted)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._resolved(alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module and not node.level:
            for alias in node.names:
                self._resolved(node.module if alias.name == "*" else f"{node.module}.{alias.name}")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        root: ast.AST = node
        while isinstance(root, ast.Attribute):
            root = root.value
        dotted = "" if isinstance(root, ast.Name) and self._local(root.id) else self.notebook.dotted(node)
        if dotted:
            self._resolved(dotted)
        else:
            self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if self._local(node.id):
            return
        dotted = self.notebook.dotted(node)
        if dotted:
            self._resolved(dotted)
        elif node.id in DYNAMIC_NAMES and node.id not in self.notebook.bound:
            self._found("dynamic", f"{node.id}()")
        self.used.add(node.id)


def _local_names(node: ast.AST) -> set[str]:
    """The names a function, lambda, class body or comprehension binds for itself (minus its ``global`` ones)."""
    names: set[str] = set()
    declared_global: set[str] = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.arg):
            names.add(inner.arg)
        elif isinstance(inner, ast.Name) and isinstance(inner.ctx, (ast.Store, ast.Del)):
            names.add(inner.id)
        elif isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and inner is not node:
            names.add(inner.name)
        elif isinstance(inner, (ast.Import, ast.ImportFrom)):
            names.update(alias.asname or alias.name.split(".")[0] for alias in inner.names)
        elif isinstance(inner, ast.ExceptHandler) and inner.name:
            names.add(inner.name)
        elif isinstance(inner, ast.Global):
            declared_global.update(inner.names)
    return names - declared_global


def _star_exports(module: str, name: str) -> bool:
    """Whether ``from module import *`` can have brought ``name`` (library modules are looked at; others assumed)."""
    if name in dir(builtins):
        return False
    if module == "autograd_lab" or module.startswith("autograd_lab."):
        try:
            imported = importlib.import_module(module)
        except ImportError:
            return True
        exported = getattr(imported, "__all__", None)
        return name in exported if exported is not None else hasattr(imported, name)
    return True


def rejections(program: list[Step], forbid: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, list[str]]]:
    """For each check of ``program``: (rejection message or "", answer names no cell defines).

    ``forbid`` gives each check's extra forbidden names (its spec's ``forbid``).
    """
    notebook = _Notebook()
    result: dict[str, tuple[str, list[str]]] = {}
    for step in program:
        if isinstance(step, CodeStep):
            tree = _python(step.source)
            if tree is not None:
                notebook.add(tree)
            continue
        assert isinstance(step, CheckStep)
        result[step.check_id] = _verdict(step, notebook, ALWAYS_FORBIDDEN + forbid.get(step.check_id, ()))
    return result


def _verdict(step: CheckStep, notebook: _Notebook, forbidden: tuple[str, ...]) -> tuple[str, list[str]]:
    tree = _python(f"({step.answers},)")
    names = [] if tree is None else [n.id for n in ast.walk(tree) if isinstance(n, ast.Name)]
    unbound = [name for name in dict.fromkeys(names) if name not in notebook.bound]
    for answer in dict.fromkeys(names):
        if answer not in notebook.bound:
            for module in notebook.stars:
                origin = f"{module}.{answer}"
                if _is_forbidden(origin, forbidden) and _star_exports(module, answer):
                    return t("grade.reject.library", name=answer, origin=origin), unbound
            continue
        binding = notebook.bound[answer]
        if isinstance(binding, (ast.Import, ast.ImportFrom)):
            source = (binding.module or "") if isinstance(binding, ast.ImportFrom) else ""
            names = [
                f"{source}.{a.name}" if source else a.name for a in binding.names if (a.asname or a.name) == answer
            ]
            origin = names[0] if names else answer
            if _is_forbidden(origin, forbidden):
                return t("grade.reject.library", name=answer, origin=origin), unbound
            return t("grade.reject.imported", name=answer, origin=origin), unbound
        seen: set[int] = set()
        queue = [binding]
        while queue:
            statement = queue.pop()
            if id(statement) in seen:
                continue
            seen.add(id(statement))
            scan = _Scan(notebook, forbidden)
            scan.visit(statement)
            if scan.problem is not None:
                kind, what = scan.problem
                if kind == "library":
                    return t("grade.reject.library", name=answer, origin=what), unbound
                return t("grade.reject.dynamic", name=answer, what=what), unbound
            for name in sorted(scan.used):
                if name in notebook.bound and name not in notebook.aliases:
                    queue.append(notebook.bound[name])
                elif name not in notebook.bound:
                    for module in notebook.stars:
                        origin = f"{module}.{name}"
                        if _is_forbidden(origin, forbidden) and _star_exports(module, name):
                            return t("grade.reject.library", name=answer, origin=origin), unbound
    return "", unbound


def unbound_message(names: list[str]) -> str:
    """The rejection for answers the kernel has but no cell defines."""
    return t("grade.reject.unbound", name=", ".join(names))
