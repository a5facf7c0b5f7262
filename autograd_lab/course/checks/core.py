"""The machinery of the exercise checks: registry, trials, the kernel boundary, outcomes, feedback, progress.

A check is a function ``run(trial, *answers)`` registered under an id such as
``"ex04.tanh"``.  It runs on the *checking side* — the grader's trusted worker,
or the notebook itself for feedback — and never touches the student's objects:

- each answer arrives as an ``Answer``: its name, its value as plain data
  (numbers, arrays, ``TensorValue``, lists, dicts, ``Opaque(type)``...) and
  where its code comes from;
- ``trial.call(answer, *args, what=...)`` runs the student's function *in the
  student's kernel* on arguments the check generated and brings back the
  result as plain data; ``trial.run(probe, ...)`` runs a registered kernel-side
  ``@probe`` (for anything more than one call: building a graph, a backward
  pass, reading gradients), and ``trial.keep`` leaves its result in the
  kernel as a ``Handle`` for later calls;
- hidden inputs come from ``trial.rng``, references are computed and compared
  here with the ``to_*`` helpers, and ``Failed(message, hint_key)`` reports
  the first wrong answer.

In a notebook (scope ``"public"``) the seed is fixed per check, so the
feedback is reproducible; the grader (scope ``"full"``) mixes in entropy drawn
from its grading seed, the student and the exercise (never seen by the
student's kernel) and also runs the hidden cases.  How to write a
check: docs/checks.md.
"""

from __future__ import annotations

import html
import inspect
import os
import re
import secrets
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol

import numpy as np

from ... import numfmt
from ...function import Function
from ...i18n import register, t
from . import wire
from .wire import AnswerRef, Handle, Identity, Opaque, ProtocolError, Raised, Signal, TensorValue
from .wire import TensorArg, attempt, probe, student_call  # noqa: F401  (for the exercise modules)

SECRET_SEED = 0x5EED_A7D0  # the fixed part of every check's seed; the grader adds its own entropy
PUBLIC, FULL = "public", "full"
STATUSES = ("passed", "failed", "pending", "error", "rejected")

register(
    {
        "check.status.passed": {"es": "correcto", "en": "correct"},
        "check.status.public": {"es": "comprobaciones públicas superadas", "en": "public checks passed"},
        "check.status.failed": {"es": "incorrecto", "en": "incorrect"},
        "check.status.pending": {"es": "pendiente", "en": "pending"},
        "check.status.error": {"es": "error", "en": "error"},
        "check.status.unchecked": {"es": "sin comprobar", "en": "not checked"},
        "check.points": {"es": "{points}/{max} puntos", "en": "{points}/{max} points"},
        "check.hint": {"es": "Pista", "en": "Hint"},
        "check.passed.public": {
            "es": "Casos superados: {cases}. Al corregir se prueban además entradas ocultas.",
            "en": "Cases passed: {cases}. Grading also tries hidden inputs.",
        },
        "check.passed.full": {"es": "Casos superados: {cases}.", "en": "Cases passed: {cases}."},
        "check.pending.not_implemented": {
            "es": "Todavía no está escrito (NotImplementedError): completa el código y vuelve a ejecutar esta celda.",
            "en": "Not written yet (NotImplementedError): complete the code and run this cell again.",
        },
        "check.pending.none": {
            "es": "{name} todavía vale None: escribe tu respuesta y vuelve a ejecutar esta celda.",
            "en": "{name} is still None: write your answer and run this cell again.",
        },
        "check.pending.returned_none": {
            "es": "{what} devolvió None: ¿falta un return?",
            "en": "{what} returned None: is a return missing?",
        },
        "check.msg.raised": {"es": "{what} lanzó {error}", "en": "{what} raised {error}"},
        "check.msg.not_callable": {
            "es": "{name} debería ser una función, pero es {got}.",
            "en": "{name} should be a function, but it is {got}.",
        },
        "check.msg.type": {
            "es": "{name} debería ser {expected}, pero es {got}.",
            "en": "{name} should be {expected}, but it is {got}.",
        },
        "check.msg.mismatch": {
            "es": "{what} no coincide con {inputs}: esperado {expected}, obtenido {got}.",
            "en": "{what} does not match for {inputs}: expected {expected}, got {got}.",
        },
        "check.msg.mismatch_at": {
            "es": "{what} no coincide con {inputs}: en la posición {index}, esperado {expected}, obtenido {got}.",
            "en": "{what} does not match for {inputs}: at position {index}, expected {expected}, got {got}.",
        },
        "check.msg.shape": {
            "es": "{what} tiene forma {got}, se esperaba {expected} (con {inputs}).",
            "en": "{what} has shape {got}, expected {expected} (for {inputs}).",
        },
        "check.msg.not_finite": {
            "es": "{what} contiene inf o nan con {inputs}.",
            "en": "{what} contains inf or nan for {inputs}.",
        },
        "check.msg.internal": {
            "es": "La comprobación no pudo completarse: {error}",
            "en": "The check could not be completed: {error}",
        },
        "check.type.tensor": {"es": "un tensor de autograd_lab", "en": "an autograd_lab tensor"},
        "check.type.array": {"es": "un array de números", "en": "an array of numbers"},
        "check.type.number": {"es": "un número", "en": "a number"},
        "check.type.integer": {"es": "un número entero", "en": "an integer"},
        "check.type.shape": {"es": "una tupla de enteros", "en": "a tuple of integers"},
        "check.type.list": {"es": "una lista", "en": "a list"},
        "check.type.dict": {"es": "un diccionario", "en": "a dict"},
        "check.type.text": {"es": "un texto", "en": "a string"},
        "check.type.bool": {"es": "True o False", "en": "True or False"},
        "check.hint.grad_output": {
            "es": "Olvidaste multiplicar por grad_output: la regla de la cadena dice "
            "grad_entrada = derivada_local · grad_output.",
            "en": "You forgot to multiply by grad_output: the chain rule says "
            "grad_input = local_derivative · grad_output.",
        },
        "check.hint.sign": {
            "es": "Error de signo: el valor es correcto salvo por el signo.",
            "en": "Sign error: the value is right except for its sign.",
        },
        "check.hint.accumulate": {
            "es": "Sobrescribiste el gradiente (=) en lugar de acumularlo (+=): cuando un valor llega "
            "por varios caminos, sus contribuciones se suman.",
            "en": "You overwrote the gradient (=) instead of accumulating it (+=): when a value is reached "
            "along several paths, their contributions add up.",
        },
        "check.hint.broadcast_sum": {
            "es": "Un gradiente que llegó por broadcasting no se sumó de vuelta: el sesgo se suma a cada fila "
            "del lote, así que su gradiente es la suma sobre el lote (axis=0) y tiene la forma del sesgo.",
            "en": "A broadcast gradient was not summed back: the bias is added to every row of the batch, so its "
            "gradient is the sum over the batch (axis=0) and has the bias's shape.",
        },
        "check.hint.recursion": {
            "es": "Tu recorrido es recursivo y falla en un grafo muy profundo (RecursionError): usa una pila "
            "explícita (una lista con append/pop) en lugar de llamadas recursivas.",
            "en": "Your walk is recursive and fails on a very deep graph (RecursionError): use an explicit "
            "stack (a list with append/pop) instead of recursive calls.",
        },
        "check.hint.unstable_softmax": {
            "es": "Softmax inestable: exp de números grandes desborda (inf/nan). Resta el máximo de cada fila "
            "antes de exp: softmax(z) = softmax(z - max(z)).",
            "en": "Unstable softmax: exp of large numbers overflows (inf/nan). Subtract each row's maximum "
            "before exp: softmax(z) = softmax(z - max(z)).",
        },
        "check.hint.mean": {
            "es": "La pérdida es el promedio sobre el lote: divide entre N.",
            "en": "The loss is the mean over the batch: divide by N.",
        },
        "check.hint.use_tensor": {
            "es": "Crea tensores de autograd_lab (torch.tensor(...), torch.zeros(...)), no arrays de NumPy.",
            "en": "Create autograd_lab tensors (torch.tensor(...), torch.zeros(...)), not NumPy arrays.",
        },
        "check.progress.title": {"es": "Progreso", "en": "Progress"},
        "check.progress.empty": {
            "es": "Todavía no se ha ejecutado ninguna comprobación en este cuaderno.",
            "en": "No check has been run in this notebook yet.",
        },
        "check.progress.part": {"es": "Parte", "en": "Part"},
        "check.progress.status": {"es": "Estado", "en": "Status"},
        "check.progress.points": {"es": "Puntos", "en": "Points"},
        "check.progress.total": {"es": "Total", "en": "Total"},
        "check.progress.public_note": {
            "es": "Puntos de las comprobaciones públicas; la nota final sale del corrector.",
            "en": "Points of the public checks; the final grade comes from the grader.",
        },
    }
)

register(
    {
        "check.status.rejected": {"es": "rechazado", "en": "rejected"},
        "check.msg.library": {
            "es": "{name} es {origin}, código de la biblioteca, no tuyo: aquí se evalúa tu propia versión.",
            "en": "{name} is {origin}, the library's code, not yours: this part grades your own version.",
        },
        "check.hint.own_work": {
            "es": "Escribe la clase o la función en tu cuaderno; importarla de autograd_lab (o de torch) no cuenta.",
            "en": "Write the class or function in your notebook; importing it from autograd_lab (or torch) "
            "does not count.",
        },
        "check.msg.outside": {
            "es": "{name} no se definió en una celda del cuaderno (viene de {where}): cuenta solo el código "
            "escrito en el cuaderno.",
            "en": "{name} was not defined in a notebook cell (it comes from {where}): only code written in the "
            "notebook counts.",
        },
        "check.msg.protocol": {
            "es": "La respuesta del kernel no se pudo leer ({error}).",
            "en": "The kernel's reply could not be read ({error}).",
        },
    }
)


# --------------------------------------------------------------------------- signals


class Failed(Exception):
    """A wrong answer: what went wrong (in the current language) and the key of the hint that names the mistake."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


class Pending(Exception):
    """Work not attempted yet: a ``None`` answer or a ``NotImplementedError`` stub."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Rejected(Exception):
    """An answer that is not the student's own work (library code handed in): zero points, and why."""

    def __init__(self, message: str, hint: str = "check.hint.own_work") -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


class StudentError(Exception):
    """The student's code raised: what was called, the exception (as plain data) and, if the type says something,
    a hint key."""

    def __init__(self, what: str, error: Raised, hint: str = "") -> None:
        super().__init__(what)
        self.what, self.error, self.hint = what, error, hint


class KernelLost(Exception):
    """The student's kernel stopped answering (time limit, crash): the grader records it; checks never catch it."""


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class CheckSpec:
    """One graded part: its id ("ex04.tanh"), points, the function that checks it and the library code it forbids."""

    check_id: str
    points: int
    run: Callable[..., str | None]
    forbid: tuple[str, ...] = ()

    @property
    def exercise(self) -> str:
        """The exercise this part belongs to ("ex04")."""
        return self.check_id.split(".", 1)[0]

    @property
    def title(self) -> str:
        """The part's title in the current language."""
        return t(f"check.title.{self.check_id}")

    def answer_names(self) -> list[str]:
        """The names of the answers the check cell passes (the run function's parameters after the trial)."""
        return list(inspect.signature(self.run).parameters)[1:]


CHECKS: dict[str, CheckSpec] = {}


def register_check(
    check_id: str, points: int, title: dict[str, str], forbid: tuple[str, ...] = ()
) -> Callable[[Callable[..., Any]], Any]:
    """Decorator: register ``run(trial, *answers)`` as the check ``check_id`` worth ``points``.

    ``forbid`` names library modules or objects ("autograd_lab") the student's
    code for this part may not use; the grader rejects answers whose code
    refers to them (the ops, the checks' own code and torch are always
    forbidden).
    """
    register({f"check.title.{check_id}": title})

    def decorator(run: Callable[..., Any]) -> Callable[..., Any]:
        CHECKS[check_id] = CheckSpec(check_id, points, run, tuple(forbid))
        return run

    return decorator


def register_exercise(exercise: str, title: dict[str, str]) -> None:
    """Give an exercise ("ex04") its title in both languages."""
    register({f"check.exercise.{exercise}": title})


def get_check(check_id: str) -> CheckSpec:
    """The registered check ``check_id``; a clear error for an unknown id."""
    try:
        return CHECKS[check_id]
    except KeyError:
        known = ", ".join(sorted(CHECKS))
        raise ValueError(f"unknown check {check_id!r}; the registered checks are: {known}") from None


def exercise_parts(exercise: str) -> list[CheckSpec]:
    """The graded parts of an exercise ("ex04"), in the order they were registered."""
    return [spec for spec in CHECKS.values() if spec.exercise == exercise]


def exercise_title(exercise: str) -> str:
    """The exercise's title in the current language."""
    return t(f"check.exercise.{exercise}")


# --------------------------------------------------------------------------- the kernel, seen from the checks


class Answer:
    """One of the student's answers as a check sees it: its name, its value as plain data, where its code is from.

    Pass it to ``trial.call`` / ``trial.run`` (the kernel substitutes the
    student's object) or to the ``to_*`` helpers (which read ``value``).
    """

    def __init__(self, index: int, name: str, value: Any, info: Identity) -> None:
        self.index, self.name, self.value, self.info = index, name, value, info

    @property
    def ref(self) -> AnswerRef:
        """How a request names this answer."""
        return AnswerRef(self.index)

    def __repr__(self) -> str:
        return f"Answer({self.name}: {self.info.kind} {self.info.type_name})"


class Kernel(Protocol):
    """Where the student's code runs: the answers it captured, and one request -> one reply (plain data)."""

    summaries: list[dict[str, Any]]

    def request(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send one request, wait for its reply (raises ``KernelLost`` if the kernel stops answering)."""
        ...


class LocalKernel:
    """Both halves in this process (a notebook's ``check()`` cell, the tests): the student's objects stay on the
    kernel side and every message makes the same JSON round trip as in the grader."""

    def __init__(self, values: Sequence[Any]) -> None:
        self.side = wire.KernelSide()
        self.summaries = _round_trip(self.side.capture(tuple(values)))

    def request(self, message: dict[str, Any]) -> dict[str, Any]:
        """Answer ``message`` with the kernel-side handler."""
        reply = _round_trip(self.side.handle(_round_trip(message)))
        if not isinstance(reply, dict):
            raise ProtocolError("reply is not an object")
        return reply


def _round_trip(data: Any) -> Any:
    return wire.loads(wire.dumps(data))


def answers_from(kernel: Kernel, names: Sequence[str]) -> list[Answer]:
    """The ``Answer`` objects for the values the kernel captured (ProtocolError if they are malformed)."""
    summaries = kernel.summaries
    if not isinstance(summaries, list) or len(summaries) != len(names):
        raise ProtocolError("wrong number of answers")
    answers = []
    for index, (name, summary) in enumerate(zip(names, summaries)):
        if not isinstance(summary, dict):
            raise ProtocolError("bad answer")
        info = wire.decode_identity(summary.get("identity"))
        answers.append(Answer(index, name, wire.decode(summary.get("value")), info))
    return answers


class Trial:
    """What a check run uses: the random generator, the scope, and the calls into the student's kernel."""

    def __init__(self, check_id: str, scope: str, entropy: Sequence[int], kernel: Kernel | None = None) -> None:
        self.scope = scope
        self.rng = np.random.default_rng([SECRET_SEED, zlib.crc32(check_id.encode()), *entropy])
        self.cases = 0
        self.skipped_hidden = False
        self.kernel = kernel

    @property
    def full(self) -> bool:
        """True when the hidden cases run too (grading)."""
        return self.scope == FULL

    def count(self, public: int, hidden: int = 0) -> range:
        """The cases to run: the public ones, plus the hidden ones when grading."""
        if hidden and not self.full:
            self.skipped_hidden = True
        return range(public + (hidden if self.full else 0))

    def passed(self) -> None:
        """Count one case as passed."""
        self.cases += 1

    # ------------------------------------------------------------ talking to the kernel

    def call(
        self,
        function: Answer | Handle,
        *args: Any,
        what: str,
        hints: dict[type[BaseException], str] | None = None,
        none_is_pending: bool = True,
        keep: bool = False,
        watch: bool = False,
        **kwargs: Any,
    ) -> Any:
        """Call the student's ``function`` in the kernel with ``args`` (plain data, ``TensorArg``, ``Handle``).

        Returns the result as plain data.  A ``None`` answer or a stub is
        ``Pending``; an exception is ``StudentError`` (with the hint that
        ``hints`` gives its type).  ``keep=True`` also leaves the result in the
        kernel: returns ``(value, handle)``.  ``watch=True`` returns
        ``(value, args_after_the_call)`` to see whether the function changed
        its arguments.
        """
        if isinstance(function, Answer):
            name = what.split("(")[0]
            if function.value is None:
                raise Pending(t("check.pending.none", name=name))
            if function.info.kind == "value":
                raise Failed(t("check.msg.not_callable", name=name, got=type_name(function.value)))
        request = {
            "op": "call",
            "fn": wire.encode_arg(function.ref if isinstance(function, Answer) else function),
            "args": [self._arg(a) for a in args],
            "kwargs": {k: self._arg(v) for k, v in kwargs.items()},
            "none_is_pending": none_is_pending,
            "what": what,
            "keep": keep,
            "show": keep,
            "watch": watch,
        }
        reply = self._exchange(request, what, hints)
        value = wire.decode(reply.get("value"))
        if keep:
            return value, self._handle(reply)
        if watch:
            after = reply.get("args")
            if not isinstance(after, list) or len(after) != len(args):
                raise ProtocolError("missing arguments after the call")
            return value, [wire.decode(a) for a in after]
        return value

    def run(
        self,
        probe_function: Callable[..., Any],
        *args: Any,
        hints: dict[type[BaseException], str] | None = None,
        **kwargs: Any,
    ) -> Any:
        """Run the kernel-side ``@probe`` with the student's answers and plain data; its result as plain data."""
        reply = self._exchange(self._probe_request(probe_function, args, kwargs), "", hints)
        return wire.decode(reply.get("value"))

    def keep(self, probe_function: Callable[..., Any], *args: Any, **kwargs: Any) -> Handle:
        """Run a ``@probe`` (a builder: a graph, a loss function...) and leave its result in the kernel."""
        request = {**self._probe_request(probe_function, args, kwargs), "keep": True}
        return self._handle(self._exchange(request, "", None))

    def keep_shown(self, probe_function: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, Handle]:
        """``keep`` that also returns the kept result as plain data: ``(value, handle)``."""
        request = {**self._probe_request(probe_function, args, kwargs), "keep": True, "show": True}
        reply = self._exchange(request, "", None)
        return wire.decode(reply.get("value")), self._handle(reply)

    def unwrap(self, value: Any, what: str = "", hints: dict[type[BaseException], str] | None = None) -> Any:
        """``value`` itself, or the Pending/StudentError a probe's ``attempt`` returned in its place."""
        if isinstance(value, Signal):
            raise _exception(value, what, hints)
        return value

    def _probe_request(
        self, probe_function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> dict[str, Any]:
        name = wire.probe_name(probe_function)
        if wire.PROBES.get(name) is not probe_function:
            raise TypeError(f"{name} is not a registered @probe")
        return {
            "op": "probe",
            "name": name,
            "args": [self._arg(a) for a in args],
            "kwargs": {k: self._arg(v) for k, v in kwargs.items()},
        }

    @staticmethod
    def _arg(value: Any) -> Any:
        return wire.encode_arg(value.ref if isinstance(value, Answer) else value)

    @staticmethod
    def _handle(reply: dict[str, Any]) -> Handle:
        key = reply.get("handle")
        if type(key) is not int:
            raise ProtocolError("missing handle")
        return Handle(key)

    def _exchange(
        self, request: dict[str, Any], what: str, hints: dict[type[BaseException], str] | None
    ) -> dict[str, Any]:
        if self.kernel is None:
            raise RuntimeError("this trial has no kernel to run the student's code in")
        reply = self.kernel.request(request)
        if not isinstance(reply, dict):
            raise ProtocolError("reply is not an object")
        if "signal" in reply:
            raise _exception(wire.decode_signal(reply["signal"]), what, hints)
        if "broken" in reply:
            raise StudentError(what or "check", Raised("CheckError", wire._text(reply["broken"], 1000)))
        return reply


def _exception(signal: Signal, what: str, hints: dict[type[BaseException], str] | None) -> Exception:
    """The exception a check raises for what the kernel reported instead of a value."""
    what = signal.what or what
    if signal.kind == "pending":
        if signal.reason == "none":
            return Pending(t("check.pending.none", name=signal.got or what.split("(")[0]))
        if signal.reason == "returned_none":
            return Pending(t("check.pending.returned_none", what=what))
        return Pending(t("check.pending.not_implemented"))
    if signal.kind == "not_callable":
        return Failed(t("check.msg.not_callable", name=what.split("(")[0], got=signal.got))
    error = signal.error or Raised("Exception", "")
    if error.is_a(RecursionError):
        return StudentError(what, error, "check.hint.recursion")
    hint = next((key for kind, key in (hints or {}).items() if error.is_a(kind)), "")
    return StudentError(what, error, hint)


# --------------------------------------------------------------------------- code that is not the student's

LIBRARY_PREFIXES = ("autograd_lab.", "torch.")
_ALLOWED_BASES = frozenset(f"{k.__module__}.{k.__qualname__}" for k in Function.__mro__)
_LIBRARY_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))) + os.sep


def library_origin(info: Identity) -> str:
    """The dotted name of the library code an answer is (or is built from), or "" when it is the student's.

    A class may derive from ``Function``; anything else from ``autograd_lab``
    or ``torch`` — the class itself, a base, a method — is library code.
    """
    for dotted, code_file in info.origins:
        if not dotted or dotted in _ALLOWED_BASES or dotted.startswith(tuple(f"{b}." for b in _ALLOWED_BASES)):
            continue
        if dotted.startswith(LIBRARY_PREFIXES) or (code_file and code_file.startswith(_LIBRARY_DIR)):
            return dotted
    return ""


NOTEBOOK_CELL = "<ipython-input-"  # the file name of code compiled from a notebook cell (the grading kernel's)


def outside_notebook(info: Identity) -> str:
    """For grading: where an answer's own code comes from when that is not a notebook cell ("" when it is).

    A function (or a class's own methods) compiled from a file, by ``exec``
    (``<string>``) or built into Python is not code the student wrote in the
    notebook the grader read.
    """
    if info.kind == "value" or not info.origins:
        return ""
    if info.kind == "class":
        if not info.name.startswith("__main__."):
            return info.name
        for dotted, code_file in info.origins[1:]:
            if not code_file:  # the next class of the MRO: the answer's own methods are done
                break
            if not code_file.startswith(NOTEBOOK_CELL):
                return f"{dotted} ({code_file})"
        return ""
    dotted, code_file = info.origins[0]
    return "" if code_file.startswith(NOTEBOOK_CELL) else f"{dotted} ({code_file or 'built-in'})"


# --------------------------------------------------------------------------- running a check


@dataclass(frozen=True)
class Outcome:
    """The result of one check, as plain data: status, points, the message and the hint."""

    check_id: str
    status: str
    points: int
    max_points: int
    scope: str
    message: str
    hint: str = ""
    hint_key: str = ""
    cases: int = 0
    hidden_skipped: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The outcome as a JSON-ready dict."""
        return asdict(self)

    @property
    def label(self) -> str:
        """The status in words: "correcto", "comprobaciones públicas superadas", "pendiente"..."""
        if self.status == "passed" and self.hidden_skipped:
            return t("check.status.public")
        return t(f"check.status.{self.status}")


def _check_arity(spec: CheckSpec, answers: tuple[Any, ...]) -> None:
    names = spec.answer_names()
    if len(answers) != len(names):
        raise TypeError(f"check({spec.check_id!r}, ...) expects {len(names)} answer(s): {', '.join(names)}")


def evaluate(check_id: str, *answers: Any, scope: str = FULL, entropy: Sequence[int] | None = None) -> Outcome:
    """Run check ``check_id`` on the student's answers (objects in this process) and return its ``Outcome``.

    ``scope="public"`` runs the notebook's cases with a fixed seed; ``"full"``
    adds the hidden cases and, unless ``entropy`` is given, fresh randomness.
    """
    spec = get_check(check_id)
    _check_arity(spec, answers)
    return run_check(spec, LocalKernel(answers), scope, entropy)


def run_check(
    spec: CheckSpec,
    kernel: Kernel,
    scope: str,
    entropy: Sequence[int] | None = None,
    rejection: str = "",
    notebook_only: bool = False,
) -> Outcome:
    """Run ``spec`` against the answers ``kernel`` captured.  Raises only ``KernelLost``.

    ``rejection`` (from the grader's reading of the notebook) refuses the
    answers outright; ``notebook_only`` (grading) also refuses functions and
    classes whose code was not compiled from a notebook cell."""
    if scope not in (PUBLIC, FULL):
        raise ValueError(f"scope must be {PUBLIC!r} or {FULL!r}, got {scope!r}")
    if entropy is None:
        entropy = () if scope == PUBLIC else (secrets.randbits(64),)
    trial = Trial(spec.check_id, scope, entropy, kernel)

    def outcome(status: str, message: str, hint_key: str = "") -> Outcome:
        points = spec.points if status == "passed" else 0
        hint = clean(t(hint_key)) if hint_key else ""
        skipped = status == "passed" and trial.skipped_hidden
        return Outcome(
            spec.check_id, status, points, spec.points, scope, clean(message), hint, hint_key, trial.cases, skipped
        )

    try:
        if rejection:
            raise Rejected(rejection)
        answers = answers_from(kernel, spec.answer_names())
        for answer in answers:
            origin = library_origin(answer.info)
            if origin:
                raise Rejected(t("check.msg.library", name=answer.name, origin=origin))
            where = outside_notebook(answer.info) if notebook_only else ""
            if where:
                raise Rejected(t("check.msg.outside", name=answer.name, where=where))
        note = spec.run(trial, *answers)
    except Pending as pending:
        return outcome("pending", pending.message)
    except Rejected as rejected:
        return outcome("rejected", rejected.message, rejected.hint)
    except Failed as failed:
        return outcome("failed", failed.message, failed.hint)
    except StudentError as raised:
        return outcome(
            "error", t("check.msg.raised", what=raised.what, error=describe_error(raised.error)), raised.hint
        )
    except ProtocolError as broken:
        return outcome("error", t("check.msg.protocol", error=str(broken)[:200]))
    key = "check.passed.public" if trial.skipped_hidden else "check.passed.full"
    return outcome("passed", t(key, cases=trial.cases) + (f" {note}" if note else ""))


# --------------------------------------------------------------------------- feedback in the notebook

_COLORS = {"passed": "#2e7d32", "failed": "#c62828", "pending": "#757575", "error": "#ef6c00", "rejected": "#6a1b9a"}
_ICONS = {"passed": "✔", "failed": "✘", "pending": "…", "error": "!", "rejected": "⊘"}


class Feedback:
    """What a check cell shows: HTML in notebooks, stable plain text elsewhere (no addresses, no timings)."""

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome

    def _header(self) -> tuple[str, str, str]:
        o = self.outcome
        title = f"{_ICONS[o.status]} {get_check(o.check_id).title}"
        return title, o.label, t("check.points", points=o.points, max=o.max_points)

    def __repr__(self) -> str:
        title, label, points = self._header()
        lines = [f"[{self.outcome.check_id}] {title} — {label} · {points}", f"  {self.outcome.message}"]
        if self.outcome.hint:
            lines.append(f"  {t('check.hint')}: {self.outcome.hint}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        title, label, points = self._header()
        color = _COLORS[self.outcome.status]
        hint = ""
        if self.outcome.hint:
            hint = f"<br><b>{t('check.hint')}:</b> {html.escape(self.outcome.hint)}"
        return (
            f'<div style="border-left: 4px solid {color}; padding: 4px 10px; margin: 2px 0;">'
            f'<b style="color: {color};">{html.escape(title)}</b> <code>{self.outcome.check_id}</code> — '
            f"<b>{html.escape(label)}</b> · {html.escape(points)}<br>{html.escape(self.outcome.message)}{hint}</div>"
        )


class _Session:
    """The latest outcome of every check run in this kernel (for the progress summary)."""

    def __init__(self) -> None:
        self.outcomes: dict[str, Outcome] = {}


_session = _Session()


def check(check_id: str, *answers: Any) -> Feedback:
    """Check your answer to part ``check_id`` and show what passed, what failed and a hint."""
    spec = get_check(check_id)
    _check_arity(spec, answers)
    try:
        result = evaluate(check_id, *answers, scope=PUBLIC)
    except Exception as error:  # a bug in a check must not look like the student's fault: say so plainly
        result = Outcome(
            check_id, "error", 0, spec.points, PUBLIC, clean(t("check.msg.internal", error=describe_error(error)))
        )
    _session.outcomes[check_id] = result
    return Feedback(result)


class Progress:
    """Points per exercise and per part for the checks run in this notebook (HTML and plain text)."""

    def __init__(self, outcomes: dict[str, Outcome]) -> None:
        self.outcomes = dict(outcomes)

    def _exercises(self) -> list[str]:
        return sorted({CHECKS[check_id].exercise for check_id in self.outcomes})

    def _rows(self, exercise: str) -> tuple[list[tuple[str, str, str, int, int]], int, int]:
        rows, total, maximum = [], 0, 0
        for spec in exercise_parts(exercise):
            outcome = self.outcomes.get(spec.check_id)
            label = outcome.label if outcome else t("check.status.unchecked")
            points = outcome.points if outcome else 0
            rows.append((spec.check_id, spec.title, label, points, spec.points))
            total, maximum = total + points, maximum + spec.points
        return rows, total, maximum

    def __repr__(self) -> str:
        if not self.outcomes:
            return f"{t('check.progress.title')}: {t('check.progress.empty')}"
        lines = [t("check.progress.title")]
        for exercise in self._exercises():
            rows, total, maximum = self._rows(exercise)
            lines.append(f"{exercise} · {exercise_title(exercise)}: {t('check.points', points=total, max=maximum)}")
            width = max(len(row[1]) for row in rows)
            for check_id, title, label, points, top in rows:
                lines.append(f"  {check_id:<16} {title:<{width}}  {points}/{top}  {label}")
        lines.append(t("check.progress.public_note"))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        if not self.outcomes:
            return f"<p><b>{t('check.progress.title')}:</b> {html.escape(t('check.progress.empty'))}</p>"
        parts = []  # no title of its own: the notebook's heading names it
        left = ' style="text-align:left"'  # JupyterLab right-aligns table cells; these are words
        for exercise in self._exercises():
            rows, total, maximum = self._rows(exercise)
            parts.append(f"<p><b>{exercise} · {html.escape(exercise_title(exercise))}</b></p>")
            head = "".join(
                f"<th{left}>{t(key)}</th>"
                for key in ("check.progress.part", "check.progress.status", "check.progress.points")
            )
            body = "".join(
                f"<tr><td{left}>{html.escape(title)} <code>{check_id}</code></td><td{left}>{html.escape(label)}</td>"
                f"<td{left}>{points}/{top}</td></tr>"
                for check_id, title, label, points, top in rows
            )
            foot = (
                f"<tr><td{left}><b>{t('check.progress.total')}</b></td><td></td>"
                f"<td{left}><b>{total}/{maximum}</b></td></tr>"
            )
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}{foot}</tbody></table>")
        parts.append(f"<p><i>{html.escape(t('check.progress.public_note'))}</i></p>")
        return "".join(parts)


def progress() -> Progress:
    """The points of every check run so far in this notebook, per exercise and per part."""
    return Progress(_session.outcomes)


# --------------------------------------------------------------------------- reading plain data


def plain(value: Any) -> Any:
    """An answer's value, or ``value`` itself when it already is plain data."""
    return value.value if isinstance(value, Answer) else value


def type_name(value: Any) -> str:
    """The name of a value's type, for messages ("float", "Tensor", "ndarray", "function")."""
    value = plain(value)
    if value is None:
        return "None"
    if isinstance(value, Opaque):
        return value.type_name
    if isinstance(value, TensorValue):
        return "Tensor"
    return type(value).__name__


def _pending_if_none(value: Any, name: str) -> None:
    if value is None:
        raise Pending(t("check.pending.none", name=name))


def expect_tensor(value: Any, name: str) -> np.ndarray:
    """The numbers of ``value``, which must be an autograd_lab tensor."""
    value = plain(value)
    _pending_if_none(value, name)
    if not isinstance(value, TensorValue):
        hint = "check.hint.use_tensor" if isinstance(value, (np.ndarray, list, tuple)) else ""
        raise Failed(t("check.msg.type", name=name, expected=t("check.type.tensor"), got=type_name(value)), hint)
    return np.array(value.data, copy=True)


def _is_plain_number(value: Any) -> bool:
    return type(value) in (int, float) or isinstance(value, (np.integer, np.floating))


def to_array(value: Any, name: str) -> np.ndarray:
    """``value`` (tensor, array, number or nested list of numbers) as a float64 numpy array."""
    value = plain(value)
    _pending_if_none(value, name)
    if isinstance(value, TensorValue):
        return value.data.astype(np.float64)
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return np.array(value, dtype=np.float64)
    if _is_plain_number(value):
        return np.array(float(value))
    if type(value) in (list, tuple):
        try:
            array = np.array(value, dtype=np.float64)
        except (TypeError, ValueError):
            array = None
        if array is not None:
            return array
    raise Failed(t("check.msg.type", name=name, expected=t("check.type.array"), got=type_name(value)))


def to_float(value: Any, name: str) -> float:
    """``value`` (a number, or an array or tensor holding one number) as a python float."""
    array = to_array(value, name)
    if array.size != 1:
        raise Failed(t("check.msg.type", name=name, expected=t("check.type.number"), got=f"shape {array.shape}"))
    return float(array.reshape(-1)[0])


def to_int(value: Any, name: str) -> int:
    """``value`` as a python int (an int, or a float with an integral value)."""
    value = plain(value)
    _pending_if_none(value, name)
    if type(value) is int or isinstance(value, np.integer):
        return int(value)
    if (type(value) is float or isinstance(value, np.floating)) and float(value).is_integer():
        return int(value)
    raise Failed(t("check.msg.type", name=name, expected=t("check.type.integer"), got=repr_short(value)))


def to_shape(value: Any, name: str) -> tuple[int, ...]:
    """``value`` (a tuple, list or Size of ints) as a tuple of python ints."""
    value = plain(value)
    _pending_if_none(value, name)
    if type(value) in (tuple, list) and all(type(item) is int or isinstance(item, np.integer) for item in value):
        return tuple(int(item) for item in value)
    hint = "check.ex01.hint.shape_not_tensor" if isinstance(value, (TensorValue, np.ndarray)) else ""
    raise Failed(t("check.msg.type", name=name, expected=t("check.type.shape"), got=type_name(value)), hint)


def to_str(value: Any, name: str) -> str:
    """``value`` as a python str."""
    value = plain(value)
    _pending_if_none(value, name)
    if type(value) is not str:
        raise Failed(t("check.msg.type", name=name, expected=t("check.type.text"), got=type_name(value)))
    return value


def to_list(value: Any, name: str) -> list[Any]:
    """``value`` (a list or tuple) as a python list of its items."""
    value = plain(value)
    _pending_if_none(value, name)
    if type(value) in (list, tuple):
        return list(value)
    raise Failed(t("check.msg.type", name=name, expected=t("check.type.list"), got=type_name(value)))


def to_dict(value: Any, name: str) -> dict[Any, Any]:
    """``value`` (a dict) as a plain dict."""
    value = plain(value)
    _pending_if_none(value, name)
    if type(value) is not dict:
        raise Failed(t("check.msg.type", name=name, expected=t("check.type.dict"), got=type_name(value)))
    return dict(value)


def to_bool(value: Any, name: str) -> bool:
    """``value`` as a python bool (True/False only)."""
    value = plain(value)
    _pending_if_none(value, name)
    if type(value) is bool or isinstance(value, np.bool_):
        return bool(value)
    raise Failed(t("check.msg.type", name=name, expected=t("check.type.bool"), got=repr_short(value)))


# --------------------------------------------------------------------------- comparing and describing


def close(got: np.ndarray, expected: np.ndarray, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """Same shape and every entry within tolerance (nan never matches)."""
    return got.shape == expected.shape and bool(np.allclose(got, expected, rtol=rtol, atol=atol))


def diagnose(got: np.ndarray, candidates: Iterable[tuple[str, Any]], rtol: float = 1e-6, atol: float = 1e-9) -> str:
    """The hint key of the first known mistake whose result (given as a value) matches ``got`` ("" when none does)."""
    for hint, value in candidates:
        if close(got, np.asarray(value, dtype=np.float64), rtol, atol):
            return hint
    return ""


def fmt(value: Any) -> str:
    """Numbers for a message, written as the widgets write them (``numfmt``); long arrays abbreviated."""
    array = np.asarray(value)
    if array.dtype.kind not in "biu":
        array = array.astype(np.float64)
    if array.ndim == 0:
        return numfmt.number(float(array)) if array.dtype.kind == "f" else str(array)
    with np.printoptions(threshold=12, edgeitems=2, formatter={"float_kind": numfmt.number}):
        text = np.array2string(array, separator=", ")
    return re.sub(r"\s+", " ", text)


def fmt_inputs(**values: Any) -> str:
    """``x = [...], h = 0.1`` for a message; matrices are described by their shape only."""
    return ", ".join(
        f"{name}.shape = {np.shape(value)}" if np.ndim(value) >= 2 else f"{name} = {fmt(value)}"
        for name, value in values.items()
    )


def mismatch(what: str, expected: Any, got: Any, **inputs: Any) -> str:
    """The message for a wrong value: what, on which input, expected and obtained (for a matrix: where)."""
    wanted, obtained = np.asarray(expected, dtype=np.float64), np.asarray(got, dtype=np.float64)
    if wanted.ndim >= 2 and wanted.shape == obtained.shape:
        with np.errstate(all="ignore"):
            gap = np.where(np.isnan(obtained - wanted), np.inf, np.abs(obtained - wanted))
        where = tuple(int(i) for i in np.unravel_index(int(np.argmax(gap)), gap.shape))
        return t(
            "check.msg.mismatch_at",
            what=what,
            inputs=fmt_inputs(**inputs),
            index=list(where),
            expected=fmt(wanted[where]),
            got=fmt(obtained[where]),
        )
    return t("check.msg.mismatch", what=what, inputs=fmt_inputs(**inputs), expected=fmt(expected), got=fmt(got))


def shape_mismatch(what: str, expected: tuple[int, ...], got: tuple[int, ...], **inputs: Any) -> str:
    """The message for a result of the wrong shape."""
    shapes = ", ".join(f"{name}.shape = {tuple(np.shape(v))}" for name, v in inputs.items())
    return t("check.msg.shape", what=what, expected=expected, got=got, inputs=shapes)


def repr_short(value: Any) -> str:
    """A short, address-free description of any value."""
    if _is_plain_number(value) or isinstance(value, (str, bool, np.bool_)):
        text = repr(value)
    else:
        text = type_name(value)
    return clean(text[:60])


def describe_error(error: Raised | BaseException) -> str:
    """``TypeError: message`` with memory addresses removed and long messages cut."""
    described = error if isinstance(error, Raised) else wire.raised(error)
    text = described.type_name + (f": {described.message}" if described.message else "")
    return clean(text[:300])


def clean(text: str) -> str:
    """Remove memory addresses from a message, so feedback is stable text."""
    return re.sub(r" at 0x[0-9a-fA-F]+|0x[0-9a-fA-F]{6,}", "", text)
