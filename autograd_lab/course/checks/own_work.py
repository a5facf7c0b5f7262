"""The student's own work: notice, in the kernel, when their code hands the computation to autograd_lab or torch.

The static reading of the notebook (``forbid`` in ``register_check``) is the
grader's; these helpers add a run-time look for the notebook's own feedback:
``watching`` counts, while the student's code runs, the calls into the
library's autograd (``Function.apply``, ``backward``) and torch's, and the
calls to a student's own ``Function.apply`` and to their Functions'
``backward``.  The kernel is untrusted, so a count is evidence, never proof:
a part is rejected when the library did the work, and the message says why.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from ...i18n import register, t
from .core import Answer, ProtocolError, Rejected, Trial, attempt, probe

NUMPY_ONLY = ("autograd_lab",)  # parts written in NumPy: the library's code does not count

register(
    {
        "check.own.reference": {
            "es": "{what} llamó a las respuestas de referencia de las comprobaciones ({calls} llamadas): aquí "
            "cuenta tu propia versión.",
            "en": "{what} called the checks' reference answers ({calls} calls): this part counts your own version.",
        },
        "check.own.delegated": {
            "es": "{what} usó {library} por dentro ({calls} llamadas): en esta parte cuenta tu propio cálculo, "
            "con NumPy, no el de la biblioteca.",
            "en": "{what} used {library} inside ({calls} calls): this part counts your own computation, with "
            "NumPy, not the library's.",
        },
    }
)


F = TypeVar("F", bound=Callable[..., Any])


class _Watch:
    depth = 0  # > 0 while the student's code runs under ``watching``
    reference_calls = 0


def reference(function: F) -> F:
    """Mark a checks' reference answer: a call to it while the student's code is being watched is counted."""

    @functools.wraps(function)
    def counted(*args: Any, **kwargs: Any) -> Any:
        if _Watch.depth:
            _Watch.reference_calls += 1
        return function(*args, **kwargs)

    return counted  # type: ignore[return-value]


@contextlib.contextmanager
def watching(Function: Any = None) -> Iterator[dict[str, int]]:
    """In the kernel: count calls to the student's ``Function.apply`` and to their Functions' ``backward``, and calls
    into autograd_lab's or torch's autograd, while the block runs; everything is put back afterwards."""
    counts = {"apply": 0, "backward": 0, "autograd_lab": 0, "torch": 0, "reference": 0}
    undo: list[tuple[Any, str, Any]] = []

    def wrap(owner: Any, name: str, key: str, kind: Any = None) -> None:
        original = owner.__dict__.get(name) if isinstance(owner, type) else getattr(owner, name, None)
        if original is None:
            return
        function = original.__func__ if isinstance(original, (classmethod, staticmethod)) else original

        def counted(*args: Any, **kwargs: Any) -> Any:
            counts[key] += 1
            return function(*args, **kwargs)

        replacement = kind(counted) if kind is not None else counted
        try:
            setattr(owner, name, replacement)
        except (AttributeError, TypeError):
            return
        undo.append((owner, name, original))

    if isinstance(Function, type):
        wrap(Function, "apply", "apply", classmethod)
        stack: list[type] = list(type.__subclasses__(Function))
        seen: set[int] = set()
        while stack:
            cls = stack.pop()
            if id(cls) in seen:
                continue
            seen.add(id(cls))
            stack.extend(type.__subclasses__(cls))
            if isinstance(cls.__dict__.get("backward"), staticmethod):
                wrap(cls, "backward", "backward", staticmethod)
    from ... import engine as library_engine
    from ...function import Function as LibraryFunction

    wrap(LibraryFunction, "apply", "autograd_lab", classmethod)
    wrap(library_engine, "backward", "autograd_lab")
    torch = sys.modules.get("torch")
    if torch is not None:
        wrap(getattr(torch, "autograd", None), "backward", "torch")
        wrap(getattr(torch, "autograd", None), "grad", "torch")
    before = _Watch.reference_calls
    _Watch.depth += 1
    try:
        yield counts
    finally:
        _Watch.depth -= 1
        counts["reference"] = _Watch.reference_calls - before
        for owner, name, original in reversed(undo):
            setattr(owner, name, original)


@probe
def numpy_call(
    function: Any, args: list[Any], what: str, none_is_pending: bool = True, args_after: bool = False
) -> dict[str, Any]:
    """In the kernel: ``function(*args)``, counting calls into the reference answers and the library's autograd
    (and, with ``args_after``, the arguments as they are after the call)."""
    with watching() as counts:
        result = attempt(function, *args, what=what, none_is_pending=none_is_pending)
    reply = {"result": result, "counts": dict(counts)}
    if args_after:
        reply["args"] = list(args)
    return reply


def reject_delegation(counts: dict[Any, Any], what: str, library_allowed: bool = False) -> None:
    """Checking side: reject the answer when the kernel saw it call the checks' reference answers or (unless the
    part allows it) the library's or torch's autograd."""
    calls = counts.get("reference", 0)
    if type(calls) is int and calls > 0:
        raise Rejected(t("check.own.reference", what=what, calls=calls))
    for library in ("autograd_lab", "torch") if not library_allowed else ():
        calls = counts.get(library, 0)
        if type(calls) is int and calls > 0:
            raise Rejected(t("check.own.delegated", what=what, library=library, calls=calls))


def call_own(
    trial: Trial,
    function: Answer,
    *args: Any,
    what: str,
    hints: dict[type[BaseException], str] | None = None,
    library_allowed: bool = False,
    none_is_pending: bool = True,
    keep: bool = False,
    watch: bool = False,
) -> Any:
    """``trial.call`` that watches the student's code: the result as plain data, or ``Rejected`` when a reference
    answer (or, for a NumPy-only part, the library) did the work.

    As with ``trial.call``, ``keep=True`` returns ``(value, handle)`` with the
    result left in the kernel, and ``watch=True`` returns ``(value, args)``
    with the arguments as they are after the call.
    """
    request = (function, list(args), what, none_is_pending, watch)
    if keep:
        reply, handle = trial.keep_shown(numpy_call, *request)
    else:
        reply = trial.run(numpy_call, *request)
    if not isinstance(reply, dict):
        raise ProtocolError("numpy_call: not a dict")
    result = trial.unwrap(reply.get("result"), what, hints)
    counts = reply.get("counts")
    reject_delegation(counts if isinstance(counts, dict) else {}, what.split("(")[0], library_allowed)
    if keep:
        return result, handle["result"]
    if watch:
        after = reply.get("args")
        if not isinstance(after, list) or len(after) != len(args):
            raise ProtocolError("numpy_call: missing arguments after the call")
        return result, after
    return result
