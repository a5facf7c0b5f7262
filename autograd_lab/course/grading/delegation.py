"""Reading the student's code (on the trusted side, from the source): library code handed in as their own, and
code that could change what the grader sees.

The cells are read as the grader runs them, each top-level statement a
*unit*, in order.  Two readings:

1. **An answer's code.**  From each answer of a check cell, every unit that
   may give it its value when the check runs is followed: the bindings of the
   name that can still be in effect (the last one that always runs, every
   conditional one after it, a function that declares the name ``global``),
   the units that change the object afterwards (``obj.x = ...``,
   ``obj[k] = ...``, ``obj.append(...)``, passing it to a notebook function),
   every unit that sets an attribute of something imported (``np.exp = ...``),
   and from there every notebook-level name those units use.  References are
   resolved through the imports in effect (``import autograd_lab as torch``
   makes ``torch.ops.Mul`` ``autograd_lab.ops.Mul``) and then to where the
   object is defined (``autograd_lab.nn.functional.ops`` *is*
   ``autograd_lab.ops``).  The part is rejected when that code uses
   ``autograd_lab.ops``, the course's own code (``check``, ``progress`` and
   ``Valor`` excepted), ``torch``, or a name the part forbids
   (``forbid=("autograd_lab",)`` for the NumPy parts); when an answer is
   imported rather than written; and (decided once the kernel has the value)
   when no unit defines it.

2. **The whole notebook.**  A unit that uses what builds or reaches code the
   grader cannot read — ``exec``/``eval``/``compile``/``__import__``,
   ``globals()``/``locals()``, ``importlib``, ``sys.modules``, frames,
   ``__globals__`` and friends, ``gc``, ``inspect``, ``ctypes``, ``pickle``,
   magics other than ``%matplotlib`` and shell commands, IPython's output
   history, attribute names computed at run time on imported objects — or the
   course's internals, makes every later part rejected: after it, nothing the
   kernel reports can be tied to code the grader read.

The kernel's own report of each answer (``library_origin`` in the checks) and
its count of calls into the library (``own_work``) are further signals; this
reading does not depend on them.  It is a strong signal, not a proof: code
that reaches the library through a route it does not know, or re-typed by
hand, is not detected.
"""

from __future__ import annotations

import ast
import builtins
import functools
import importlib
import importlib.util
import re
import sys
import types
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ...i18n import register, t
from .notebook import CheckStep, CodeStep, Step

ALWAYS_FORBIDDEN = ("autograd_lab.ops", "autograd_lab.course", "torch")
# the course's names a notebook may use (and, but for the capstone's display tools, an answer too); the datasets
# are data, whatever a part forbids
ALLOWED = (
    "autograd_lab.course.checks.check",
    "autograd_lab.course.checks.progress",
    "autograd_lab.course.valor",
    "autograd_lab.data",
)
COURSE_TOOLS = (
    "autograd_lab.course.capstone.compare_training",
    "autograd_lab.course.capstone.misclassified_grid",
    "autograd_lab.course.capstone.passed",
)
DISPLAY = ("IPython.display", "IPython.core.display", "IPython.core.display_functions")
# what builds code at run time or reaches objects by a route the reading cannot follow
CALLED = ("exec", "eval", "compile", "__import__", "globals", "locals", "breakpoint", "get_ipython", "vars")
UNREADABLE_NAMES = (*CALLED[:-1], "__builtins__")
HISTORY = re.compile(r"_{1,3}|_i{1,3}|_i?\d+|_oh|_ih|_dh|Out|In")  # IPython's input and output history
UNREADABLE_MODULES = (
    "importlib",
    "builtins",
    "__main__",
    "inspect",
    "ctypes",
    "pickle",
    "_pickle",
    "marshal",
    "copyreg",
    "shelve",
    "runpy",
    "code",
    "codeop",
    "site",
    "pkgutil",
    "zipimport",
    "IPython",
    "ipykernel",
    "jupyter_client",
    "gc.get_objects",
    "gc.get_referrers",
    "gc.get_referents",
    "traceback.walk_stack",
    "traceback.walk_tb",
    "operator.attrgetter",
    "operator.methodcaller",
    "types.FunctionType",
    "types.LambdaType",
    "types.CodeType",
    "types.ModuleType",
    "sys.modules",
    "sys.path",
    "sys.meta_path",
    "sys.path_hooks",
    "sys.path_importer_cache",
    "sys._getframe",
    "sys._current_frames",
    "sys.settrace",
    "sys.setprofile",
    "sys.exc_info",
    "sys.exception",
    "sys.last_traceback",
    "sys.last_value",
    "sys.last_exc",
)
INTROSPECTION = frozenset(
    (
        "__globals__",
        "__builtins__",
        "__subclasses__",
        "__closure__",
        "__code__",
        "__wrapped__",
        "__self__",
        "__loader__",
        "__spec__",
        "__traceback__",
        "__getattribute__",
        "__setattr__",
        "__delattr__",
        "__reduce__",
        "__reduce_ex__",
        "f_globals",
        "f_locals",
        "f_builtins",
        "f_back",
        "f_code",
        "gi_frame",
        "gi_code",
        "cr_frame",
        "ag_frame",
        "tb_frame",
        "tb_next",
    )
)
ATTRIBUTE_FUNCTIONS = ("getattr", "hasattr", "setattr", "delattr")
SAFE_MAGICS = frozenset(("matplotlib",))  # line magics that run no code of their own
SHELL = ("system", "getoutput")  # ``!command``: another process, which cannot change this one's objects
COMPUTED = "*"  # an attribute whose name is computed at run time

register(
    {
        "grade.reject.library": {
            "es": "{name} usa {origin}, código de la biblioteca o del curso: en esta parte cuenta solo tu propio "
            "código.",
            "en": "{name} uses {origin}, the library's or the course's code: this part counts only your own code.",
        },
        "grade.reject.imported": {
            "es": "{name} se importa de {origin}: la respuesta tiene que estar escrita en el cuaderno.",
            "en": "{name} is imported from {origin}: the answer has to be written in the notebook.",
        },
        "grade.reject.unbound": {
            "es": "{name} no está definido por ninguna celda del cuaderno (exec, globals() o un archivo no cuentan).",
            "en": "{name} is not defined by any cell of the notebook (exec, globals() or a file do not count).",
        },
        "grade.reject.course": {
            "es": "Una celda usa {what} (en «{code}»), código interno del curso (sus comprobaciones y respuestas de "
            "referencia): las partes que vienen después no cuentan. Quítalo y vuelve a entregar.",
            "en": "A cell uses {what} (in «{code}»), the course's internal code (its checks and reference answers): "
            "the parts after it do not count. Remove it and submit again.",
        },
        "grade.reject.unreadable": {
            "es": "Una celda usa {what} (en «{code}»): así el código puede cambiar sin que el corrector lo lea, y "
            "las partes que vienen después no cuentan. Quítalo y vuelve a entregar.",
            "en": "A cell uses {what} (in «{code}»): code can then change without the grader reading it, so the "
            "parts after it do not count. Remove it and submit again.",
        },
    }
)


def _python(source: str) -> tuple[ast.Module, str] | None:
    """A cell's code as Python (IPython magics turned into calls) and that Python's text, or None when it does not
    parse (then IPython does not run it either)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        source = TransformerManager().transform_cell(source)
    except Exception:
        pass
    try:
        return ast.parse(source), source
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


# --------------------------------------------------------------------------- where a dotted name really points


@functools.lru_cache(maxsize=4096)
def canonical(dotted: str) -> str:
    """Where ``dotted`` is defined: "autograd_lab.nn.functional.ops.Mul" -> "autograd_lab.ops.Mul", "os.sys" ->
    "sys".  Followed through modules this process has loaded (and ``autograd_lab``'s own); "" when unknown."""
    parts = dotted.split(".")
    root = parts[0]
    if root not in sys.modules and root != "autograd_lab":
        return ""
    try:
        obj: Any = importlib.import_module(root)
    except ImportError:
        return ""
    where, rest = root, parts[1:]
    for index, attribute in enumerate(rest):
        if attribute == COMPUTED or attribute.startswith("__"):
            return ".".join([where, *rest[index:]])
        found = getattr(obj, attribute, None) if isinstance(obj, (types.ModuleType, type)) else None
        if found is None and isinstance(obj, types.ModuleType) and obj.__name__.startswith("autograd_lab"):
            try:
                found = importlib.import_module(f"{obj.__name__}.{attribute}")
            except ImportError:
                found = None
        if found is None:
            return ".".join([where, *rest[index:]])
        obj = found
        if isinstance(obj, types.ModuleType):
            where = obj.__name__
        elif isinstance(getattr(obj, "__qualname__", None), str) and isinstance(getattr(obj, "__module__", None), str):
            where = f"{obj.__module__}.{obj.__qualname__}"
        else:
            where = f"{where}.{attribute}"
    return where


def _names_of(dotted: str) -> list[str]:
    """The dotted name as written and where it is defined."""
    return list(dict.fromkeys(name for name in (dotted, canonical(dotted)) if name))


@functools.cache
def _allowed(prefixes: tuple[str, ...]) -> tuple[str, ...]:
    """The allowed names, as written and where they are defined."""
    return tuple(dict.fromkeys(name for prefix in prefixes for name in _names_of(prefix)))


def _hit(dotted: str, escapes: bool, prefixes: Iterable[str], allowed: tuple[str, ...]) -> str:
    """The name under one of ``prefixes`` that ``dotted`` is (or, when the object ``escapes`` — passed around or
    looked into by a computed name — leads to), "" for none."""
    dotted = dotted.split("." + COMPUTED)[0]
    for name in _names_of(dotted):
        if any(_under(name, prefix) for prefix in _allowed(allowed)):
            continue
        for prefix in prefixes:
            if _under(name, prefix) or (escapes and _under(prefix, name)):
                return name
    return ""


@functools.cache
def _star_exports(module: str, name: str) -> bool:
    """Whether ``from module import *`` can have brought ``name`` (library modules are looked at; others assumed)."""
    if name in dir(builtins):
        return False
    if module == "autograd_lab" or module.startswith("autograd_lab."):
        try:
            imported = importlib.import_module(module)
        except ImportError:
            return False
        exported = getattr(imported, "__all__", None)
        return name in exported if exported is not None else hasattr(imported, name) and not name.startswith("_")
    return True


# --------------------------------------------------------------------------- one unit, read once


@dataclass(frozen=True)
class _Ref:
    """A notebook-level name a unit uses, the attributes it reads through it, and how."""

    name: str
    attributes: tuple[str, ...] = ()
    deferred: bool = False  # inside a function or lambda: resolved when the check runs
    escapes: bool = False  # the object is passed around, or looked into by a computed name


@dataclass
class _Unit:
    """What one top-level statement binds, uses and changes."""

    code: str
    # (name, conditional, origin of an import, bound whenever a function runs, by a def or class)
    binds: list[tuple[str, bool, str, bool, bool]] = field(default_factory=list)
    stars: list[str] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)
    refs: list[_Ref] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # what in it cannot be read, in words
    builtins_used: list[str] = field(default_factory=list)  # names that are unreadable unless the notebook binds them
    stores: set[str] = field(default_factory=set)  # names whose object it sets attributes or items of
    method_calls: set[str] = field(default_factory=set)  # names whose object it calls a method of
    passes: set[tuple[str, str]] = field(default_factory=set)  # (callee, argument): a name handed to a call


def _targets(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, (ast.Tuple, ast.List)):
        for item in node.elts:
            yield from _targets(item)
    elif isinstance(node, ast.Starred):
        yield from _targets(node.value)


def _chain(node: ast.AST) -> tuple[str, tuple[str, ...]] | None:
    """``a.b.c`` -> ("a", ("b", "c")); None when the chain does not start at a name."""
    attributes: list[str] = []
    while isinstance(node, ast.Attribute):
        attributes.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return node.id, tuple(reversed(attributes))


def _base(node: ast.AST) -> str:
    """The name ``a.b[0].c`` starts at ("" for none)."""
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else ""


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


def _import_origin(node: ast.Import | ast.ImportFrom, alias: ast.alias) -> str:
    if isinstance(node, ast.Import):
        return alias.name if alias.asname else alias.name.split(".")[0]
    module = "." * node.level + (node.module or "")
    return f"{module}.{alias.name}"


class _Reader(ast.NodeVisitor):
    """Reads one top-level statement into a ``_Unit``."""

    def __init__(self, unit: _Unit) -> None:
        self.unit = unit
        self.scopes: list[set[str]] = []
        self.deferred = 0
        self.conditional = 0

    # ----------------------------------------------------------------- scopes

    def _local(self, name: str) -> bool:
        return any(name in scope for scope in self.scopes)

    def _in_scope(self, names: set[str], nodes: Iterable[ast.AST], deferred: bool) -> None:
        self.scopes.append(names)
        self.deferred += deferred
        for node in nodes:
            self.visit(node)
        self.deferred -= deferred
        self.scopes.pop()

    def _bind(self, name: str, origin: str = "", anytime: bool = False, definition: bool = False) -> None:
        conditional = self.conditional > 0 or anytime
        self.unit.binds.append((name, conditional, origin, anytime, definition))

    def _bind_targets(self, node: ast.AST) -> None:
        if not self.scopes:
            for name in _targets(node):
                self._bind(name)

    # ----------------------------------------------------------------- statements

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for outer in [*node.decorator_list, *node.args.defaults, *node.args.kw_defaults]:
            if outer is not None:
                self.visit(outer)
        if not self.scopes:
            self._bind(node.name, definition=True)
            for inner in ast.walk(node):  # ``global name`` inside binds the notebook's name whenever it is called
                if isinstance(inner, ast.Global):
                    for name in inner.names:
                        self._bind(name, anytime=True)
        self._in_scope(_local_names(node), node.body, deferred=True)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for outer in [*node.args.defaults, *node.args.kw_defaults]:
            if outer is not None:
                self.visit(outer)
        self._in_scope(_local_names(node), [node.body], deferred=True)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for outer in [*node.decorator_list, *node.bases, *node.keywords]:
            self.visit(outer)
        if not self.scopes:
            self._bind(node.name, definition=True)
        self._in_scope(_local_names(node), node.body, deferred=False)

    def visit_ListComp(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp) -> None:
        self._in_scope(_local_names(node), list(ast.iter_child_nodes(node)), deferred=False)

    visit_SetComp = visit_GeneratorExp = visit_DictComp = visit_ListComp

    def _block(self, node: ast.AST) -> None:
        self.conditional += 1
        self.generic_visit(node)
        self.conditional -= 1

    visit_If = visit_While = visit_Try = visit_Match = _block
    if sys.version_info >= (3, 11):
        visit_TryStar = _block

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.conditional += 1
        self._bind_targets(node.target)
        self.generic_visit(node)
        self.conditional -= 1

    visit_AsyncFor = visit_For

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        self.conditional += 1
        for item in node.items:
            if item.optional_vars is not None:
                self._bind_targets(item.optional_vars)
        self.generic_visit(node)
        self.conditional -= 1

    visit_AsyncWith = visit_With

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name and not self.scopes:
            self._bind(node.name)
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._bind_targets(target)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._bind_targets(node.target)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._bind_targets(node.target)
        if isinstance(node.target, ast.Name) and not self._local(node.target.id):
            self.unit.refs.append(_Ref(node.target.id, (), self.deferred > 0))
        self.generic_visit(node)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        if isinstance(node.target, ast.Name) and not self.deferred:  # outside functions: the notebook's name
            self.conditional += 1
            self._bind(node.target.id)
            self.conditional -= 1
        self.visit(node.value)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.unit.imports.append(alias.name)
            if not self.scopes:
                self._bind(alias.asname or alias.name.split(".")[0], origin=_import_origin(node, alias))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                self.unit.imports.append(module)
                if not self.scopes:
                    self.unit.stars.append(module)
                continue
            self.unit.imports.append(f"{module}.{alias.name}")
            if not self.scopes:
                self._bind(alias.asname or alias.name, origin=_import_origin(node, alias))

    # ----------------------------------------------------------------- expressions

    def _use(self, node: ast.AST, escapes: bool) -> bool:
        """Record a use of a notebook-level name (with the attributes read through it); False if ``node`` is not
        such a chain."""
        chain = _chain(node)
        if chain is None or self._local(chain[0]):
            return False
        name, attributes = chain
        for attribute in attributes:
            if attribute in INTROSPECTION:
                self.unit.unreadable.append(f".{attribute}")
        if name in UNREADABLE_NAMES or HISTORY.fullmatch(name) or name in ATTRIBUTE_FUNCTIONS and escapes:
            self.unit.builtins_used.append(name)
        self.unit.refs.append(_Ref(name, attributes, self.deferred > 0, escapes))
        return True

    def _root(self, node: ast.AST) -> str:
        name = _base(node)
        return name if name and not self._local(name) else ""

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.ctx, (ast.Store, ast.Del)) and self._root(node):
            self.unit.stores.add(self._root(node))
        if node.attr in INTROSPECTION:
            self.unit.unreadable.append(f".{node.attr}")
        if not self._use(node, escapes=True):
            self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.ctx, (ast.Store, ast.Del)) and self._root(node):
            self.unit.stores.add(self._root(node))
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self._use(node, escapes=True)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if self._magic(node):
            return
        if isinstance(func, ast.Name) and func.id in ATTRIBUTE_FUNCTIONS and not self._local(func.id) and node.args:
            self._attribute_call(func.id, node)
            return
        if isinstance(func, ast.Name) and func.id == "vars" and not self._local("vars"):
            if not node.args:
                self.unit.builtins_used.append("vars")
            elif (chain := _chain(node.args[0])) is not None and not self._local(chain[0]):
                self.unit.refs.append(_Ref(chain[0], (*chain[1], "__dict__"), self.deferred > 0, True))
            for argument in node.args[1:]:
                self.visit(argument)
            return
        for keyword in node.keywords:
            if keyword.arg == "allow_pickle" and not (
                isinstance(keyword.value, ast.Constant) and keyword.value.value is False
            ):
                self.unit.unreadable.append("allow_pickle")
        if isinstance(func, ast.Attribute) and self._root(func):
            self.unit.method_calls.add(self._root(func))
        if isinstance(func, ast.Name) and not self._local(func.id):
            for value in [*node.args, *(k.value for k in node.keywords)]:
                if isinstance(value, ast.Name) and not self._local(value.id):
                    self.unit.passes.add((func.id, value.id))
        if not self._use(func, escapes=False):
            self.visit(func)
        children: list[ast.AST] = [*node.args, *node.keywords]
        for child in children:
            self.visit(child)

    def _attribute_call(self, function: str, node: ast.Call) -> None:
        """getattr/hasattr/setattr/delattr(obj, name, ...): with a constant name, a plain attribute."""
        target, name = node.args[0], node.args[1] if len(node.args) > 1 else None
        chain = _chain(target)
        if function in ("setattr", "delattr") and self._root(target):
            self.unit.stores.add(self._root(target))
        if chain is not None and not self._local(chain[0]):
            attribute = name.value if isinstance(name, ast.Constant) and isinstance(name.value, str) else COMPUTED
            if attribute in INTROSPECTION:
                self.unit.unreadable.append(f".{attribute}")
            if attribute == COMPUTED and chain[0] in UNREADABLE_NAMES:
                self.unit.builtins_used.append(chain[0])
            self.unit.refs.append(_Ref(chain[0], (*chain[1], attribute), self.deferred > 0, True))
        else:
            self.visit(target)
        for argument in [*node.args[1:], *node.keywords]:
            self.visit(argument)

    def _magic(self, node: ast.Call) -> bool:
        """``get_ipython().run_line_magic("matplotlib", ...)`` and shell commands are fine; any other use of
        ``get_ipython`` is recorded (by visit_Name) as unreadable."""
        func = node.func
        if not (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Call)
            and isinstance(func.value.func, ast.Name)
            and func.value.func.id == "get_ipython"
            and not self._local("get_ipython")
        ):
            return False
        first = node.args[0] if node.args else None
        magic = first.value if isinstance(first, ast.Constant) else None
        if (func.attr == "run_line_magic" and magic in SAFE_MAGICS) or func.attr in SHELL:
            for argument in node.args:
                self.visit(argument)
            return True
        self.unit.builtins_used.append("get_ipython")
        return False


def _read_unit(statement: ast.stmt, source: str) -> _Unit:
    code = (ast.get_source_segment(source, statement) or "").strip().splitlines()
    first = code[0] if code else ""
    unit = _Unit(first[:80] + ("…" if len(first) > 80 or len(code) > 1 else ""))
    try:
        _Reader(unit).visit(statement)
    except RecursionError:
        unit.unreadable.append("código demasiado anidado")
    return unit


# --------------------------------------------------------------------------- the notebook so far


@dataclass(frozen=True)
class _Binding:
    unit: int
    conditional: bool
    origin: str = ""  # an import: the dotted name it binds
    definition: bool = False  # a def or a class
    star: str = ""  # a star import: its module


class _Notebook:
    """The units of the cells run so far, and for each name the units that bind it."""

    def __init__(self) -> None:
        self.units: list[_Unit] = []
        self.bindings: dict[str, list[_Binding]] = {}
        self.anytime: dict[str, list[int]] = {}
        self.stars: list[tuple[int, str]] = []

    def add(self, source: str) -> None:
        """Read one cell's units."""
        parsed = _python(source)
        if parsed is None:
            return
        tree, python = parsed
        for statement in tree.body:
            index = len(self.units)
            unit = _read_unit(statement, python)
            self.units.append(unit)
            for name, conditional, origin, anytime, definition in unit.binds:
                if anytime:
                    self.anytime.setdefault(name, []).append(index)
                else:
                    self.bindings.setdefault(name, []).append(_Binding(index, conditional, origin, definition))
            self.stars.extend((index, module) for module in unit.stars)

    def relevant(self, name: str, before: int, same_unit: int | None = None) -> list[_Binding]:
        """The bindings of ``name`` that can be in effect just before unit ``before``: the last one that always
        runs and every conditional one after it (and those of unit ``same_unit`` itself)."""
        candidates = [b for b in self.bindings.get(name, []) if b.unit < before]
        candidates += [_Binding(u, True, star=m) for u, m in self.stars if u < before and _star_exports(m, name)]
        candidates.sort(key=lambda b: b.unit)
        found: list[_Binding] = []
        for binding in reversed(candidates):
            found.append(binding)
            if not binding.conditional:
                break
        if same_unit is not None:
            found += [b for b in self.bindings.get(name, []) if b.unit == same_unit]
        found += [_Binding(u, True) for u in self.anytime.get(name, []) if u < before or u == same_unit]
        return found

    def imported(self, name: str, before: int) -> bool:
        """Whether some unit before ``before`` binds ``name`` by an import."""
        return any(b.origin for b in self.bindings.get(name, []) if b.unit < before) or name == "__builtins__"

    def defined(self, name: str, before: int) -> bool:
        """Whether some unit before ``before`` binds ``name`` (so it is not Python's builtin of that name)."""
        return any(b.unit < before for b in self.bindings.get(name, [])) or any(
            u < before for u in self.anytime.get(name, [])
        )

    def changes(self, name: str, before: int) -> tuple[list[int], list[str]]:
        """What may change the object ``name`` refers to before unit ``before``: the units that set its attributes
        or items or call its methods, and (a value, not a function or class) the functions it is handed to."""
        bindings = [b for b in self.bindings.get(name, []) if b.unit < before]
        value = any(not (b.origin or b.definition) for b in bindings)
        units, callees = [], []
        for index, unit in enumerate(self.units[:before]):
            if name in unit.stores or name in unit.method_calls:
                units.append(index)
            if value:
                callees += [callee for callee, argument in unit.passes if argument == name]
        return units, list(dict.fromkeys(callees))

    def patches(self, before: int) -> list[int]:
        """The units before ``before`` that set attributes of something imported (a module, builtins)."""
        return [i for i, unit in enumerate(self.units[:before]) if any(self.imported(n, before) for n in unit.stores)]


# --------------------------------------------------------------------------- reading 1: an answer's code


def _answer_problem(notebook: _Notebook, answer: str, check: int, forbidden: tuple[str, ...]) -> tuple[str, str] | None:
    """("library" | "imported", the dotted name) when the answer's code uses forbidden code, else None."""
    queue: list[int] = notebook.patches(check)
    seen: set[int] = set()

    def follow(ref: _Ref, unit: int | None) -> tuple[str, str] | None:
        if ref.deferred or unit is None:
            bindings = notebook.relevant(ref.name, check)
        else:
            bindings = notebook.relevant(ref.name, unit, same_unit=unit)
        code = False
        for binding in bindings:
            if binding.origin or binding.star:
                base = binding.origin or f"{binding.star}.{ref.name}"
                dotted = ".".join([base, *ref.attributes])
                hit = _hit(dotted, ref.escapes, forbidden, ALLOWED)
                if hit:
                    return "library", hit
                if unit is None and binding.origin:
                    return "imported", base
            else:
                code = True
                queue.append(binding.unit)
        if code:
            units, callees = notebook.changes(ref.name, check)
            queue.extend(units)
            for callee in callees:
                queue.extend(b.unit for b in notebook.relevant(callee, check) if not (b.origin or b.star))
        return None

    problem = follow(_Ref(answer, (), deferred=True, escapes=True), None)
    while problem is None and queue:
        index = queue.pop()
        if index in seen:
            continue
        seen.add(index)
        for ref in notebook.units[index].refs:
            problem = follow(ref, index)
            if problem is not None:
                break
    return problem


# --------------------------------------------------------------------------- reading 2: the whole notebook


def _unreadable(notebook: _Notebook, index: int, check: int) -> str:
    """What in unit ``index`` builds or reaches code the grader cannot read ("" for nothing)."""
    unit = notebook.units[index]
    if unit.unreadable:
        return unit.unreadable[0]
    for name in unit.builtins_used:
        if not notebook.defined(name, check):
            return f"{name}()" if name in (*CALLED, *ATTRIBUTE_FUNCTIONS) else name
    for module in unit.imports:
        if not _installed(module.split(".")[0]):
            return f"import {module.split('.')[0] or module}"
        hit = _hit(module, False, TAMPER, NOTEBOOK_ALLOWED)  # what a star import brings is checked where used
        if hit:
            return hit
    for ref in unit.refs:
        if ref.deferred:
            bindings = notebook.relevant(ref.name, check)
        else:
            bindings = notebook.relevant(ref.name, index, same_unit=index)
        for binding in bindings:
            if not (binding.origin or binding.star):
                continue
            dotted = ".".join([binding.origin or f"{binding.star}.{ref.name}", *ref.attributes])
            if COMPUTED in ref.attributes:
                return f"getattr({dotted.split('.' + COMPUTED)[0]}, …)"
            if "__dict__" in ref.attributes:
                return dotted
            hit = _hit(dotted, ref.escapes, TAMPER, NOTEBOOK_ALLOWED)
            if hit:
                return hit
    return ""


@functools.cache
def _installed(module: str) -> bool:
    """Whether ``module`` is installed (a module the notebook wrote itself, or a relative import, is not: its code
    is not in the notebook)."""
    if not module or module in sys.builtin_module_names:
        return bool(module)
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


TAMPER = (*UNREADABLE_MODULES, "autograd_lab.course")
NOTEBOOK_ALLOWED = (*ALLOWED, *COURSE_TOOLS, *DISPLAY)


# --------------------------------------------------------------------------- the verdicts


def rejections(program: list[Step], forbid: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, list[str]]]:
    """For each check of ``program``: (rejection message or "", answer names no cell defines).

    ``forbid`` gives each check's extra forbidden names (its spec's ``forbid``).
    """
    notebook = _Notebook()
    result: dict[str, tuple[str, list[str]]] = {}
    unreadable = ""
    read = 0
    for step in program:
        if isinstance(step, CodeStep):
            notebook.add(step.source)
            continue
        assert isinstance(step, CheckStep)
        check = len(notebook.units)
        while not unreadable and read < check:
            what = _unreadable(notebook, read, check)
            if what:
                key = "grade.reject.course" if _under(what, "autograd_lab.course") else "grade.reject.unreadable"
                unreadable = t(key, what=what, code=notebook.units[read].code)
            read += 1
        parsed = _python(f"({step.answers},)")
        names = list(dict.fromkeys(n.id for n in ast.walk(parsed[0]) if isinstance(n, ast.Name))) if parsed else []
        unbound = [name for name in names if not notebook.relevant(name, check)]
        if unreadable:
            result[step.check_id] = (unreadable, unbound)
            continue
        message = ""
        for name in names:
            problem = _answer_problem(notebook, name, check, ALWAYS_FORBIDDEN + forbid.get(step.check_id, ()))
            if problem is not None:
                kind, origin = problem
                message = t(f"grade.reject.{kind}", name=name, origin=origin)
                break
        result[step.check_id] = (message, unbound)
    return result


def unbound_message(names: list[str]) -> str:
    """The rejection for answers the kernel has but no cell defines."""
    return t("grade.reject.unbound", name=", ".join(names))
