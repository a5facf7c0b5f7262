"""The plain-data boundary between the student's kernel and the checks.

The student's kernel is untrusted: it only runs the student's code on inputs
it is given and answers with *plain data*.  This module is both halves of
that conversation:

- **kernel side** (runs next to the student's code): ``KernelSide`` receives
  requests, calls the student's functions or a registered ``@probe``, and
  turns whatever came back into plain data with ``encode`` — numbers,
  strings, lists, tuples, dicts, numpy arrays (as ``.npy`` bytes, never a
  pickle), tensors (their array, read through the slot), exceptions (type,
  message) and "pending" markers.  Anything else becomes ``Opaque(type)``;
  no object the student made ever crosses the boundary.
- **checking side** (the grader's worker, or the notebook itself for
  feedback): ``encode_request`` / ``decode_reply`` build requests and read
  replies strictly (size, depth and type limits; a malformed reply raises
  ``ProtocolError``, never anything else).

The same code runs in a notebook's ``check()`` cell (both halves in one
process, through a JSON round trip so feedback and grading behave alike) and
in ``autograd-lab grade`` (the halves in different processes).
"""

from __future__ import annotations

import base64
import io
import json
import sys
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...tensor import Tensor

MAX_MESSAGE = 64 * 2**20  # bytes of one encoded message
MAX_DEPTH = 24  # nesting of lists/tuples/dicts
MAX_ITEMS = 2_000_000  # items in one list, tuple or dict
MAX_TEXT = 20_000  # characters of one string
NUMERIC_KINDS = "biuf"


class ProtocolError(Exception):
    """A message that is not valid plain data (from a broken or hostile kernel)."""


# --------------------------------------------------------------------------- decoded values (checking side)


@dataclass(frozen=True)
class TensorValue:
    """A tensor as plain data: its numbers, whether it requires grad, and the name of its ``grad_fn`` (or None)."""

    data: np.ndarray
    requires_grad: bool = False
    grad_fn: str | None = None


@dataclass(frozen=True)
class Opaque:
    """Something that is not plain data (a function, a custom object...): only its type's name crosses."""

    type_name: str


@dataclass(frozen=True)
class Ref:
    """An object a probe recognised, e.g. node ``index`` of the graph the probe built (``kind="node"``)."""

    kind: str
    index: int


@dataclass(frozen=True)
class Raised:
    """An exception raised by the student's code: its type, the names of its classes and its message."""

    type_name: str
    message: str
    mro: tuple[str, ...] = ()

    def is_a(self, *types: type[BaseException]) -> bool:
        """Like ``isinstance(error, types)``, by class name."""
        return any(kind.__name__ in self.mro or kind.__name__ == self.type_name for kind in types)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Signal:
    """The student's code did not produce a value: ``pending``, ``raised`` or ``not_callable``."""

    kind: str
    what: str = ""
    reason: str = ""
    error: Raised | None = None
    got: str = ""


@dataclass(frozen=True)
class Identity:
    """Where an answer's code comes from: kind (function, class, callable, value) and the dotted names and files
    of the object itself, its base classes and its methods (for spotting library code handed in as one's own)."""

    kind: str = "value"
    type_name: str = ""
    name: str = ""
    mro: tuple[str, ...] = ()
    origins: tuple[tuple[str, str], ...] = ()  # (module.qualname, code file)


# --------------------------------------------------------------------------- arrays as .npy bytes


def _pack_array(array: np.ndarray) -> str:
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(array), allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _unpack_array(text: Any) -> np.ndarray:
    if not isinstance(text, str) or len(text) > MAX_MESSAGE:
        raise ProtocolError("array payload is not a string of bounded size")
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
        array = np.load(io.BytesIO(raw), allow_pickle=False)
    except Exception as error:
        raise ProtocolError(f"invalid .npy array: {type(error).__name__}") from None
    if not isinstance(array, np.ndarray) or array.dtype.kind not in NUMERIC_KINDS + "c":
        raise ProtocolError("array payload is not a numeric array")
    return array


# --------------------------------------------------------------------------- kernel side: anything -> plain data

_TENSOR_DATA: Any = Tensor.__dict__["_data"]  # read through the slot: a subclass cannot lie about its numbers


def _tensor_attribute(value: Tensor, name: str) -> Any:
    """``value.name`` as the library's Tensor defines it (never a subclass's override)."""
    for klass in Tensor.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name].__get__(value, Tensor)
    return None


def tensor_array(value: Tensor) -> np.ndarray:
    """A copy of a tensor's numbers, read without calling any of its (possibly overridden) methods."""
    return np.array(_TENSOR_DATA.__get__(value), copy=True)


def _type_name(value: Any) -> str:
    try:
        return str(type.__dict__["__name__"].__get__(type(value)))[:80]
    except Exception:
        return "object"


def encode(value: Any, refs: dict[int, tuple[str, int]] | None = None, _depth: int = 0) -> Any:
    """``value`` as JSON-ready plain data; objects listed in ``refs`` (by id) become ``Ref(kind, index)``.

    Reads containers and tensors through the built-in types' own methods, so a
    subclass that overrides ``__iter__``, ``items`` or ``shape`` cannot change
    what is read; anything that is not plain data becomes ``Opaque(type name)``.
    """
    if refs and id(value) in refs:
        label, index = refs[id(value)]
        return {"$": "ref", "kind": label, "i": index}
    kind = type(value)
    if value is None or kind is bool or kind is int or kind is float:
        if kind is int and abs(value) > 2**63:
            return {"$": "opaque", "type": "int"}
        return value
    if kind is str:
        return {"$": "str", "v": value[:MAX_TEXT]} if len(value) > MAX_TEXT else value
    if isinstance(value, (np.bool_, np.integer, np.floating)):
        return {"$": "np", "dtype": value.dtype.str, "v": value.item()}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in NUMERIC_KINDS or value.nbytes > MAX_MESSAGE // 2:
            return {"$": "opaque", "type": "ndarray"}
        return {"$": "nd", "npy": _pack_array(np.ndarray.copy(value))}
    if isinstance(value, Tensor):
        data = tensor_array(value)
        if data.dtype.kind not in NUMERIC_KINDS or data.nbytes > MAX_MESSAGE // 2:
            return {"$": "opaque", "type": "Tensor"}
        grad_fn = _tensor_attribute(value, "grad_fn")
        requires_grad = _tensor_attribute(value, "requires_grad")
        return {
            "$": "tensor",
            "npy": _pack_array(data),
            "requires_grad": requires_grad is True,
            "grad_fn": None if grad_fn is None else _type_name(grad_fn),
        }
    if isinstance(value, Signal):
        return _encode_signal(value)
    if _depth >= MAX_DEPTH:
        return {"$": "opaque", "type": _type_name(value)}
    if isinstance(value, (list, tuple)):
        items = list.__iter__(value) if isinstance(value, list) else tuple.__iter__(value)
        size = list.__len__(value) if isinstance(value, list) else tuple.__len__(value)
        if size > MAX_ITEMS:
            return {"$": "opaque", "type": _type_name(value)}
        encoded = [encode(item, refs, _depth + 1) for item in items]
        return encoded if isinstance(value, list) else {"$": "tuple", "items": encoded}
    if isinstance(value, dict):
        if dict.__len__(value) > MAX_ITEMS:
            return {"$": "opaque", "type": _type_name(value)}
        pairs = [[encode(k, refs, _depth + 1), encode(v, refs, _depth + 1)] for k, v in dict.items(value)]
        return {"$": "dict", "items": pairs}
    return {"$": "opaque", "type": _type_name(value)}


def _encode_signal(signal: Signal) -> dict[str, Any]:
    error = signal.error
    return {
        "$": "signal",
        "kind": signal.kind,
        "what": signal.what,
        "reason": signal.reason,
        "got": signal.got,
        "error": None if error is None else {"type": error.type_name, "message": error.message, "mro": list(error.mro)},
    }


def raised(error: BaseException) -> Raised:
    """The plain-data description of an exception (type, class names, first line of the message)."""
    try:
        text = str(error)
    except Exception:
        text = ""
    message = text.strip().splitlines()[0] if text.strip() else ""
    mro = tuple(_type_name_of_class(klass) for klass in type(error).__mro__)
    return Raised(_type_name(error), message[:500], mro)


def _type_name_of_class(klass: type) -> str:
    try:
        return str(type.__dict__["__name__"].__get__(klass))
    except Exception:
        return "object"


def identity(value: Any) -> Identity:
    """Where ``value``'s code comes from (see ``Identity``); never raises."""
    try:
        return _identity(value)
    except Exception:
        return Identity("callable" if callable(value) else "value", _type_name(value))


def _dotted(obj: Any) -> str:
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    return f"{module}.{qualname}" if isinstance(module, str) and isinstance(qualname, str) else ""


def _code_file(function: Any) -> str:
    code = getattr(function, "__code__", None)
    return str(getattr(code, "co_filename", "")) if code is not None else ""


def _functions_in(namespace: dict[str, Any]) -> Iterable[Any]:
    for item in namespace.values():
        if isinstance(item, (staticmethod, classmethod)):
            item = item.__func__
        elif isinstance(item, property):
            item = item.fget
        if callable(item) and hasattr(item, "__code__"):
            yield item


def _identity(value: Any) -> Identity:
    if isinstance(value, type):
        mro = tuple(type.__dict__["__mro__"].__get__(value))
        origins = []
        for klass in mro:
            origins.append((_dotted(klass), ""))
            namespace = type.__dict__["__dict__"].__get__(klass)
            origins.extend((_dotted(f), _code_file(f)) for f in _functions_in(dict(namespace)))
        return Identity("class", _type_name(value), _dotted(value), tuple(_dotted(k) for k in mro), tuple(origins))
    if not callable(value):
        return Identity("value", _type_name(value))
    inner = value
    for _ in range(8):  # functools.partial, bound methods, staticmethod wrappers
        unwrapped = getattr(inner, "func", None) or getattr(inner, "__func__", None)
        if unwrapped is None or unwrapped is inner:
            break
        inner = unwrapped
    kind = "function" if hasattr(inner, "__code__") else "callable"
    origins = [(_dotted(inner), _code_file(inner))]
    if kind == "callable":
        origins.append((_dotted(type(inner)), ""))
    return Identity(kind, _type_name(value), _dotted(inner), (), tuple(origins))


def encode_identity(info: Identity) -> dict[str, Any]:
    """An ``Identity`` as JSON-ready data."""
    return {
        "kind": info.kind,
        "type": info.type_name,
        "name": info.name,
        "mro": list(info.mro),
        "origins": [list(pair) for pair in info.origins],
    }


# --------------------------------------------------------------------------- checking side: plain data -> values


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise ProtocolError(what)


def _text(value: Any, limit: int = MAX_TEXT) -> str:
    _expect(isinstance(value, str) and len(value) <= limit, "expected a bounded string")
    return str(value)


def decode(data: Any, _depth: int = 0) -> Any:
    """Plain data from a kernel -> values for the checks (strict: anything unexpected raises ProtocolError)."""
    _expect(_depth <= MAX_DEPTH + 2, "nesting too deep")
    kind = type(data)
    if data is None or kind is bool or kind is int or kind is float:
        _expect(kind is not int or abs(data) <= 2**64, "integer out of range")
        return data
    if kind is str:
        return _text(data)
    if kind is list:
        _expect(len(data) <= MAX_ITEMS, "list too long")
        return [item if type(item) in _PLAIN and type(item) is not str else decode(item, _depth + 1) for item in data]
    _expect(kind is dict and isinstance(data.get("$"), str), "unknown value")
    tag = data["$"]
    if tag == "str":
        return _text(data.get("v"))
    if tag == "tuple":
        items = data.get("items")
        _expect(type(items) is list and len(items) <= MAX_ITEMS, "bad tuple")
        return tuple(decode(item, _depth + 1) for item in items)
    if tag == "dict":
        pairs = data.get("items")
        _expect(type(pairs) is list and len(pairs) <= MAX_ITEMS, "bad dict")
        result: dict[Any, Any] = {}
        for pair in pairs:
            _expect(type(pair) is list and len(pair) == 2, "bad dict item")
            key = decode(pair[0], _depth + 1)
            try:
                hash(key)
            except TypeError:
                raise ProtocolError("unhashable dict key") from None
            result[key] = decode(pair[1], _depth + 1)
        return result
    if tag == "np":
        try:
            dtype = np.dtype(_text(data.get("dtype"), 16))
        except TypeError:
            raise ProtocolError("bad numpy dtype") from None
        value = data.get("v")
        _expect(dtype.kind in NUMERIC_KINDS and type(value) in (bool, int, float), "bad numpy scalar")
        try:
            return dtype.type(value)
        except (OverflowError, ValueError):
            raise ProtocolError("numpy scalar out of range") from None
    if tag == "nd":
        return _unpack_array(data.get("npy"))
    if tag == "tensor":
        grad_fn = data.get("grad_fn")
        _expect(grad_fn is None or isinstance(grad_fn, str), "bad grad_fn")
        return TensorValue(_unpack_array(data.get("npy")), data.get("requires_grad") is True, grad_fn)
    if tag == "opaque":
        return Opaque(_text(data.get("type"), 200))
    if tag == "ref":
        index = data.get("i")
        _expect(type(index) is int, "bad ref")
        return Ref(_text(data.get("kind"), 40), index)
    if tag == "signal":
        return decode_signal(data)
    raise ProtocolError(f"unknown tag {tag!r}"[:80])


def decode_signal(data: Any) -> Signal:
    """A ``Signal`` from its plain-data form."""
    _expect(type(data) is dict, "bad signal")
    kind = _text(data.get("kind"), 20)
    _expect(kind in ("pending", "raised", "not_callable"), "unknown signal")
    error = data.get("error")
    described = None
    if error is not None:
        _expect(type(error) is dict, "bad error")
        mro = error.get("mro", [])
        _expect(type(mro) is list and len(mro) <= 64, "bad error classes")
        described = Raised(
            _text(error.get("type"), 200), _text(error.get("message"), 2000), tuple(_text(m, 200) for m in mro)
        )
    return Signal(
        kind,
        _text(data.get("what", ""), 500),
        _text(data.get("reason", ""), 40),
        described,
        _text(data.get("got", ""), 200),
    )


def decode_identity(data: Any) -> Identity:
    """An ``Identity`` from its plain-data form."""
    _expect(type(data) is dict, "bad identity")
    mro, origins = data.get("mro", []), data.get("origins", [])
    _expect(type(mro) is list and type(origins) is list and len(mro) <= 256 and len(origins) <= 4096, "bad identity")
    pairs = []
    for pair in origins:
        _expect(type(pair) is list and len(pair) == 2, "bad origin")
        pairs.append((_text(pair[0], 500), _text(pair[1], 1000)))
    return Identity(
        _text(data.get("kind"), 20),
        _text(data.get("type"), 200),
        _text(data.get("name"), 500),
        tuple(_text(m, 500) for m in mro),
        tuple(pairs),
    )


def loads(text: str | bytes) -> Any:
    """Parse one message, bounded in size and depth; ProtocolError for anything that is not JSON."""
    if len(text) > MAX_MESSAGE:
        raise ProtocolError("message too large")
    try:
        return json.loads(text)
    except (ValueError, RecursionError, UnicodeDecodeError):
        raise ProtocolError("message is not valid JSON") from None


def dumps(data: Any) -> str:
    """One message as JSON text."""
    return json.dumps(data, separators=(",", ":"))


# --------------------------------------------------------------------------- requests (checking side -> kernel)


@dataclass(frozen=True)
class TensorArg:
    """An argument the kernel turns into a library tensor: ``tensor(array, requires_grad=...)``."""

    array: np.ndarray
    requires_grad: bool = False


@dataclass(frozen=True)
class Handle:
    """An object kept in the kernel (the result of ``trial.keep``); ``handle[i]`` reaches an item of it."""

    key: int
    path: tuple[Any, ...] = ()

    def __getitem__(self, item: int | str) -> Handle:
        return Handle(self.key, (*self.path, item))


@dataclass(frozen=True)
class AnswerRef:
    """The student's answer number ``index`` of the check being run, as the kernel holds it."""

    index: int


_PLAIN = frozenset({type(None), bool, int, float, str})


def encode_arg(value: Any, _depth: int = 0) -> Any:
    """An argument for the kernel (numbers, strings, arrays, containers, tensors to build, kept objects)."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list:
        return [item if type(item) in _PLAIN else encode_arg(item, _depth + 1) for item in value]
    if _depth > MAX_DEPTH:
        raise ValueError("argument nested too deeply")
    if isinstance(value, AnswerRef):
        return {"$": "answer", "i": value.index}
    if isinstance(value, Handle):
        return {"$": "handle", "key": value.key, "path": list(value.path)}
    if isinstance(value, TensorArg):
        return {"$": "make_tensor", "npy": _pack_array(value.array), "requires_grad": value.requires_grad}
    if isinstance(value, np.ndarray):
        return {"$": "nd", "npy": _pack_array(value)}
    if isinstance(value, (np.bool_, np.integer, np.floating)):
        return {"$": "np", "dtype": value.dtype.str, "v": value.item()}
    if isinstance(value, tuple):
        return {"$": "tuple", "items": [encode_arg(v, _depth + 1) for v in value]}
    if isinstance(value, list):
        return [encode_arg(v, _depth + 1) for v in value]
    if isinstance(value, dict):
        return {
            "$": "dict",
            "items": [[encode_arg(k, _depth + 1), encode_arg(v, _depth + 1)] for k, v in value.items()],
        }
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot send a {type(value).__name__} to the kernel; send plain data or a Handle")


# --------------------------------------------------------------------------- kernel side: requests and probes

PROBES: dict[str, Callable[..., Any]] = {}


def probe(function: Callable[..., Any]) -> Callable[..., Any]:
    """Register a kernel-side function that the checks may run with ``trial.run`` or ``trial.keep``.

    A probe receives the student's answers and plain data, calls the student's
    code through ``student_call`` and returns something ``encode`` can send:
    it holds no reference answer and compares nothing.
    """
    PROBES[probe_name(function)] = function
    return function


def probe_name(function: Callable[..., Any]) -> str:
    """The name a probe is registered and requested under ("module:qualname")."""
    return f"{function.__module__}:{function.__qualname__}"


@dataclass(frozen=True)
class Encoded:
    """A probe's result it already turned into plain data itself (e.g. with ``encode(value, refs=...)``)."""

    data: Any


class StudentSignal(Exception):
    """Raised on the kernel side when the student's code gave no value; carried back as a ``Signal``."""

    def __init__(self, signal: Signal) -> None:
        super().__init__(signal.kind)
        self.signal = signal


def student_call(function: Any, *args: Any, what: str, none_is_pending: bool = True, **kwargs: Any) -> Any:
    """Call the student's ``function``: a stub or ``None`` is pending, an exception is reported, never raised on.

    Raises ``StudentSignal`` (pending, raised or not_callable); ``attempt``
    turns that into a value a probe can return instead.
    """
    name = what.split("(")[0]
    if function is None:
        raise StudentSignal(Signal("pending", what, "none", got=name))
    if not callable(function):
        raise StudentSignal(Signal("not_callable", what, got=_type_name(function)))
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            result = function(*args, **kwargs)
    except NotImplementedError:
        raise StudentSignal(Signal("pending", what, "not_implemented")) from None
    except (Exception, KeyboardInterrupt, SystemExit) as error:  # the student's code may raise these too
        raise StudentSignal(Signal("raised", what, error=raised(error))) from None
    if result is None and none_is_pending:
        raise StudentSignal(Signal("pending", what, "returned_none"))
    return result


def attempt(function: Any, *args: Any, what: str, none_is_pending: bool = True, **kwargs: Any) -> Any:
    """``student_call``, but a signal is returned (encoded as data) instead of raised."""
    try:
        return student_call(function, *args, what=what, none_is_pending=none_is_pending, **kwargs)
    except StudentSignal as stop:
        return stop.signal


@dataclass
class KernelSide:
    """The kernel's half: holds the answers of the check being run and the objects kept for it; answers requests."""

    answers: list[Any] = field(default_factory=list)
    kept: dict[int, Any] = field(default_factory=dict)

    def capture(self, values: tuple[Any, ...]) -> list[dict[str, Any]]:
        """Take the student's answers; return each one as plain data with its identity."""
        self.answers, self.kept = list(values), {}
        return [{"value": encode(value), "identity": encode_identity(identity(value))} for value in self.answers]

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        """Answer one request; never raises (a failure is reported in the reply)."""
        try:
            return self._handle(request)
        except StudentSignal as stop:
            return {"signal": _encode_signal(stop.signal)}
        except RecursionError as error:
            return {"signal": _encode_signal(Signal("raised", "", error=raised(error)))}
        except Exception as error:
            return {"broken": f"{_type_name(error)}: {raised(error).message}"[:500]}

    def _handle(self, request: dict[str, Any]) -> dict[str, Any]:
        op = request.get("op")
        if op == "forget":
            self.kept = {}
            return {"value": None}
        args = [self._arg(a) for a in request.get("args", [])]
        kwargs = {str(k): self._arg(v) for k, v in request.get("kwargs", {}).items()}
        if op == "call":
            function = self._arg(request["fn"])
            what = str(request.get("what", ""))
            result = student_call(
                function, *args, what=what, none_is_pending=bool(request["none_is_pending"]), **kwargs
            )
            if request.get("watch"):
                return {"value": encode(result), "args": [encode(a) for a in args]}
        elif op == "probe":
            name = str(request["name"])
            if name not in PROBES:
                return {"broken": f"unknown probe {name!r}"[:200]}
            result = PROBES[name](*args, **kwargs)
        else:
            return {"broken": f"unknown request {op!r}"[:200]}
        if request.get("keep"):
            key = len(self.kept) + 1
            self.kept[key] = result
            return {"handle": key, "value": encode(result) if request.get("show") else None}
        return {"value": result.data if isinstance(result, Encoded) else encode(result)}

    def _arg(self, data: Any) -> Any:
        if type(data) is list:
            return [item if type(item) in _PLAIN else self._arg(item) for item in data]
        if type(data) is not dict:
            return data
        tag = data.get("$")
        if tag == "answer":
            return self.answers[data["i"]]
        if tag == "handle":
            value = self.kept[data["key"]]
            for step in data["path"]:
                value = value[step]
            return value
        if tag == "make_tensor":
            from ...factories import tensor

            return tensor(_unpack_array(data["npy"]), requires_grad=bool(data["requires_grad"]))
        if tag == "tuple":
            return tuple(self._arg(item) for item in data["items"])
        if tag == "dict":
            return {self._arg(k): self._arg(v) for k, v in data["items"]}
        return decode(data)


def recursion_headroom(frames: int = 1000) -> Any:
    """A context manager: Python's usual limit of ``frames`` frames for the student's code, whatever was set."""
    from contextlib import contextmanager

    @contextmanager
    def limit() -> Any:
        depth, frame = 0, sys._getframe()
        while frame is not None:
            depth, frame = depth + 1, frame.f_back  # type: ignore[assignment]
        previous = sys.getrecursionlimit()
        sys.setrecursionlimit(depth + frames)
        try:
            yield
        finally:
            sys.setrecursionlimit(previous)

    return limit()
