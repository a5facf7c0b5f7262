"""Checks of ex08_tu_autograd: the student's own tensor autograd (pieces, graph and walk), the digits network on it,
and its training.

- ``ex08.piezas``: each Function on arrays, with the machinery of ex04 (forward, backward against the formula and
  against central differences of the student's own forward), broadcasting shapes included;
- ``ex08.motor``: graphs built in the kernel with the student's ``Tensor`` and ``Function.apply`` and the check's
  own simple Functions (so the walk is tested apart from the pieces) -- diamonds, repeated inputs, a bias over a
  batch, a chain 10 000 operations deep -- then the student's ``backward``; the leaves' gradients come back and
  are compared with a walk done here;
- ``ex08.red`` and ``ex08.entrenar``: the network's step and its training run with the student's code under a
  fixed seed; the accuracy is measured here.  Both count, in the kernel, the calls to the student's ``apply`` and
  to their pieces' ``backward`` (a step that never uses the engine earns nothing) and the calls into
  ``autograd_lab`` or ``torch`` (a step that delegates to them is rejected and told why).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...i18n import register, t
from .core import (
    Answer,
    Failed,
    Trial,
    attempt,
    close,
    diagnose,
    fmt,
    mismatch,
    probe,
    register_check,
    register_exercise,
    shape_mismatch,
    student_call,
    to_array,
    to_dict,
    to_float,
    to_list,
)
from .ex04_funciones import (
    ADD,
    MATMUL_SPEC,
    MUL,
    ArrayFunction,
    broadcast_pair,
    check_array_function,
    expect_class,
)
from .ex06_capas import reference_cross_entropy
from .ex07_red_desde_cero import (
    KEYS,
    accuracy,
    digits_split,
    diverged,
    hyperparameters,
    params_of,
    reference_gradients,
)
from .guide import Guide
from .own_work import NUMPY_ONLY, reference, reject_delegation, watching
from .wire import Signal, recursion_headroom

register_exercise("ex08", {"es": "Tu propio autograd", "en": "Your own autograd"})

register(
    {
        "check.ex08.root": {
            "es": "En {graph}, el valor de la raíz no coincide: esperado {expected}, obtenido {got}.",
            "en": "On {graph}, the root's value does not match: expected {expected}, got {got}.",
        },
        "check.ex08.grads": {
            "es": "Tras backward(raiz) en {graph}, el gradiente de la hoja {leaf} no coincide: {detail}.",
            "en": "After backward(raiz) on {graph}, the gradient of leaf {leaf} does not match: {detail}.",
        },
        "check.ex08.grad_missing": {
            "es": "la hoja no tiene gradiente (grad = {got})",
            "en": "the leaf has no gradient (grad = {got})",
        },
        "check.ex08.graph.lecture": {"es": "el grafo de d = a·b + a", "en": "the graph of d = a·b + a"},
        "check.ex08.graph.repeated": {"es": "el grafo de x·x·x", "en": "the graph of x·x·x"},
        "check.ex08.graph.bias": {
            "es": "una capa con sesgo: sum(tanh(X·w + b))",
            "en": "a layer with a bias: sum(tanh(X·w + b))",
        },
        "check.ex08.graph.ladder": {"es": "una escalera de {depth} rombos", "en": "a ladder of {depth} diamonds"},
        "check.ex08.graph.shared": {
            "es": "dos sumas que comparten un sumando: (u + v) + u",
            "en": "two sums sharing a term: (u + v) + u",
        },
        "check.ex08.graph.chain": {"es": "una cadena de {depth} operaciones", "en": "a chain of {depth} operations"},
        "check.ex08.unused_engine": {
            "es": "{what} no pasó por tu motor: {detail}.",
            "en": "{what} did not go through your engine: {detail}.",
        },
        "check.ex08.no_apply": {
            "es": "no llamó nunca a tu Function.apply",
            "en": "it never called your Function.apply",
        },
        "check.ex08.no_backward": {
            "es": "no llamó al backward de ninguna de tus Functions",
            "en": "it never called the backward of any of your Functions",
        },
        "check.ex08.no_step": {
            "es": "entrenar no llamó nunca a paso(...)",
            "en": "entrenar never called paso(...)",
        },
        "check.ex08.step_pair": {
            "es": "paso_motor debe devolver (pérdida, gradientes); devolvió {got}.",
            "en": "paso_motor must return (loss, gradients); it returned {got}.",
        },
        "check.ex08.train_pair": {
            "es": "entrenar debe devolver (params, curva); devolvió {got}.",
            "en": "entrenar must return (params, curva); it returned {got}.",
        },
        "check.ex08.curve": {
            "es": "curva debe ser la lista de las pérdidas que devolvió paso, una por lote y en orden ({detail}).",
            "en": "curva must be the list of the losses paso returned, one per batch and in order ({detail}).",
        },
        "check.ex08.accuracy": {
            "es": "Con los parámetros que entrenó tu motor, la exactitud en test es {accuracy:.3f}; se pide al "
            "menos 0.95.",
            "en": "With the parameters your engine trained, the test accuracy is {accuracy:.3f}; at least 0.95 "
            "is required.",
        },
        "check.ex08.trained": {
            "es": "Exactitud en test con tu motor: {accuracy:.3f}, en {steps} pasos de SGD.",
            "en": "Test accuracy with your engine: {accuracy:.3f}, in {steps} SGD steps.",
        },
    }
)


# --------------------------------------------------------------------------- 1. the pieces

PIEZAS = Guide("ex08.piezas", ("", "2. Tus piezas"))
H_PIE = PIEZAS.hints(
    {
        "relu_forward": (
            1,
            {
                "es": "Revisa ReLU.forward: max(x, 0) elemento a elemento.",
                "en": "Check ReLU.forward: max(x, 0) elementwise.",
            },
        ),
        "relu_mask": (
            2,
            {
                "es": "La derivada local de la ReLU es 1 donde la entrada era positiva y 0 donde no: multiplica "
                "grad_output por esa máscara, no por la entrada.",
                "en": "The ReLU's local derivative is 1 where the input was positive and 0 elsewhere: multiply "
                "grad_output by that mask, not by the input.",
            },
        ),
        "relu_no_mask": (
            2,
            {
                "es": "Dejaste pasar todo el gradiente: donde la neurona estaba apagada, el gradiente es 0.",
                "en": "You let the whole gradient through: where the neuron was off, the gradient is 0.",
            },
        ),
        "ce_forward": (
            1,
            {
                "es": "Revisa EntropiaCruzada.forward: la media sobre el lote de −log softmax(z)[i, y_i], con el "
                "log-sum-exp del ejercicio 6.",
                "en": "Check EntropiaCruzada.forward: the batch mean of −log softmax(z)[i, y_i], with the "
                "log-sum-exp of exercise 6.",
            },
        ),
        "ce_unstable": (
            1,
            {
                "es": "Con logits grandes sale inf o nan: usa la versión estable (el log-sum-exp, restando el "
                "máximo de cada fila).",
                "en": "Large logits give inf or nan: use the stable version (the log-sum-exp, subtracting each "
                "row's maximum).",
            },
        ),
        "ce_labels": (
            3,
            {
                "es": "backward devuelve un gradiente por entrada: para los logits, su gradiente; para las "
                "etiquetas y, None.",
                "en": "backward returns one gradient per input: for the logits, their gradient; for the labels "
                "y, None.",
            },
        ),
    }
)
PIEZAS.attach({"check.hint.grad_output": 2, "check.hint.mean": 2, "check.hint.sign": 2})
PIEZAS.attach(  # the ex04 pieces' hints, pointing to this part's first hint ("copy them from exercise 4")
    {
        f"check.ex04.{part}.hint.{name}": 1
        for part, names in (
            ("broadcast", ("unbroadcast", "other_factor", "forward")),
            ("matmul", ("shapes", "transposed", "forward")),
        )
        for name in names
    }
)


def _ce_forward(z: np.ndarray, y: np.ndarray) -> float:
    return float(reference_cross_entropy(z, y).item())


def _ce_grad(x: tuple[np.ndarray, ...], g: np.ndarray) -> np.ndarray:
    z, y = x
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return np.asarray(g * p / len(y))


RELU = ArrayFunction(
    "ReLU",
    ("x",),
    lambda x: np.maximum(x, 0),
    lambda x, y, g: (g * (x[0] > 0),),
    lambda x, y, g: [[(H_PIE["relu_mask"], g * x[0]), (H_PIE["relu_no_mask"], g)]],
    forward_hint=H_PIE["relu_forward"],
)
CROSS_ENTROPY = ArrayFunction(
    "EntropiaCruzada",
    ("z", "y"),
    _ce_forward,
    lambda x, y, g: (_ce_grad(x, g), None),
    lambda x, y, g: [[("check.hint.mean", _ce_grad(x, g) * len(x[1]))], []],
    forward_hint=H_PIE["ce_forward"],
    count_hint=H_PIE["ce_labels"],
)
LARGE_CROSS_ENTROPY = ArrayFunction(**{**CROSS_ENTROPY.__dict__, "forward_hint": H_PIE["ce_unstable"]})


def _ce_case(rng: np.random.Generator, large: bool) -> tuple[np.ndarray, np.ndarray]:
    n, c = int(rng.integers(2, 6)), int(rng.integers(3, 7))
    z = rng.normal(size=(n, c)) * (3 if not large else 1) + (900 if large else 0)
    return z, np.asarray(rng.integers(0, c, size=n))


@register_check(
    "ex08.piezas", 2, {"es": "Las piezas: Add, Mul, MatMul, ReLU, EntropiaCruzada", "en": "The pieces"}, NUMPY_ONLY
)
@PIEZAS.part
def piezas(trial: Trial, Add: Answer, Mul: Answer, MatMul: Answer, ReLU: Answer, EntropiaCruzada: Answer) -> None:
    """Every piece, forward and backward, on hidden random inputs (shapes that broadcast for Add and Mul, distinct
    sizes for MatMul, large logits for the cross-entropy), gradchecked against the student's own forward."""
    rng = trial.rng
    for value, spec in ((Add, ADD), (Mul, MUL)):
        expect_class(value, spec.name)
        for _ in trial.count(public=2, hidden=2):
            shape_a, shape_b = broadcast_pair(rng)
            a, b = np.asarray(rng.normal(size=shape_a)), np.asarray(rng.normal(size=shape_b))
            g = rng.normal(size=np.broadcast_shapes(shape_a, shape_b))
            check_array_function(trial, value, spec, (a, b), g, [0, 1])
    expect_class(MatMul, "MatMul")
    for _ in trial.count(public=1, hidden=2):
        n, d, m = (int(v) for v in rng.choice(np.arange(2, 7), size=3, replace=False))
        a, b = rng.normal(size=(n, d)), rng.normal(size=(d, m))
        check_array_function(trial, MatMul, MATMUL_SPEC, (a, b), rng.normal(size=(n, m)), [0, 1])
    expect_class(ReLU, "ReLU")
    for _ in trial.count(public=2, hidden=2):
        shape = (int(rng.integers(2, 5)), int(rng.integers(2, 5)))
        x = rng.normal(size=shape)
        x[np.abs(x) < 1e-3] = 0.5  # no entry within the finite-difference step of the kink
        check_array_function(trial, ReLU, RELU, (x,), rng.normal(size=shape), [0])
    expect_class(EntropiaCruzada, "EntropiaCruzada")
    for large in [False] + [True] * len(trial.count(public=1, hidden=1)):
        z, y = _ce_case(rng, large)
        g = np.asarray(float(rng.uniform(0.5, 2.0)))
        spec = LARGE_CROSS_ENTROPY if large else CROSS_ENTROPY
        check_array_function(trial, EntropiaCruzada, spec, (z, y), g, [0])


# --------------------------------------------------------------------------- 2. the engine: graph and walk

MOTOR = Guide("ex08.motor", ("", "3. El recorrido, con arrays"))
H_MOT = MOTOR.hints(
    {
        "apply": (
            1,
            {
                "es": "Revisa apply: debe llamar a forward con los **arrays** de las entradas (e.data) y devolver "
                "un Tensor nuevo cuyo grad_fn es el Contexto (con la Function y las entradas).",
                "en": "Check apply: it must call forward with the inputs' **arrays** (e.data) and return a new "
                "Tensor whose grad_fn is the Contexto (with the Function and the inputs).",
            },
        ),
        "overwrite": (
            2,
            {
                "es": "Un gradiente se sobrescribió: cuando un tensor recibe gradiente por varios caminos, las "
                "contribuciones se **suman** en su .grad.",
                "en": "A gradient was overwritten: when a tensor gets gradient along several paths, the "
                "contributions are **added** into its .grad.",
            },
        ),
        "aliasing": (
            2,
            {
                "es": "Un gradiente se sumó dos veces: con arrays, `+=` cambia el array en su sitio, y ese array "
                "puede ser también el .grad de otro tensor (tu Add devuelve el mismo para sus dos entradas). "
                "Suma creando uno nuevo: entrada.grad + g.",
                "en": "A gradient was added twice: with arrays, `+=` changes the array in place, and that array "
                "may also be another tensor's .grad (Add returns the same one for both inputs). Add creating a "
                "new one: entrada.grad + g.",
            },
        ),
        "order": (
            1,
            {
                "es": "Los gradientes no coinciden: ¿procesas cada tensor después de todos los que lo usan (tu "
                "orden topológico del ejercicio 5) y una sola vez?",
                "en": "The gradients do not match: do you process each tensor after every tensor that uses it "
                "(your topological order from exercise 5), and only once?",
            },
        ),
        "seed": (
            3,
            {
                "es": "El recorrido empieza con la semilla: el gradiente de la raíz respecto de sí misma, un array "
                "de unos con su forma.",
                "en": "The walk starts with the seed: the root's gradient with respect to itself, an array of ones "
                "of its shape.",
            },
        ),
        "no_grad": (
            2,
            {
                "es": "Alguna hoja se quedó sin gradiente: sigue todas las entradas que son Tensor, hasta las hojas.",
                "en": "Some leaf got no gradient: follow every input that is a Tensor, down to the leaves.",
            },
        ),
    }
)
MOTOR.attach({"check.hint.recursion": 1, "check.hint.sign": 2})

Program = list[list[Any]]
MISTAKE_HINTS = (("aliasing", "aliasing"), ("overwrite", "overwrite"), ("no_seed", "seed"))


class _Ops:
    """The check's own Functions (simple, correct), made subclasses of the student's ``Function`` in the kernel."""

    @staticmethod
    def add_forward(ctx: Any, a: Any, b: Any) -> Any:
        return a + b

    @staticmethod
    def add_backward(ctx: Any, g: Any) -> Any:
        return g, g

    @staticmethod
    def mul_forward(ctx: Any, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def mul_backward(ctx: Any, g: Any) -> Any:
        a, b = ctx.saved_tensors
        return g * b, g * a

    @staticmethod
    def bias_forward(ctx: Any, x: Any, b: Any) -> Any:
        return x + b

    @staticmethod
    def bias_backward(ctx: Any, g: Any) -> Any:
        return g, g.sum(axis=0)

    @staticmethod
    def dot_forward(ctx: Any, x: Any, w: Any) -> Any:
        ctx.save_for_backward(x, w)
        return x @ w

    @staticmethod
    def dot_backward(ctx: Any, g: Any) -> Any:
        x, w = ctx.saved_tensors
        return g @ w.T, x.T @ g

    @staticmethod
    def tanh_forward(ctx: Any, x: Any) -> Any:
        y = np.tanh(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def tanh_backward(ctx: Any, g: Any) -> Any:
        (y,) = ctx.saved_tensors
        return g * (1 - y * y)

    @staticmethod
    def scale_forward(ctx: Any, x: Any, c: Any) -> Any:
        ctx.c = c
        return x * c

    @staticmethod
    def scale_backward(ctx: Any, g: Any) -> Any:
        return g * ctx.c, None

    @staticmethod
    def sum_forward(ctx: Any, x: Any) -> Any:
        ctx.shape = np.shape(x)
        return np.sum(x)

    @staticmethod
    def sum_backward(ctx: Any, g: Any) -> Any:
        return np.ones(ctx.shape) * g


OPS = ("add", "mul", "bias", "dot", "tanh", "scale", "sum")


@probe
def engine_case(Tensor: Any, Function: Any, backward: Any, program: Program) -> dict[str, Any]:
    """In the kernel: build the program's graph with the student's ``Tensor`` and ``Function.apply`` (the check's
    own simple Functions), run the student's ``backward(raiz)`` and read the root's value and the leaves' grads."""
    classes = {}
    for name in OPS:
        made = attempt(
            type,
            name.capitalize(),
            (Function,),
            {
                "forward": staticmethod(getattr(_Ops, f"{name}_forward")),
                "backward": staticmethod(getattr(_Ops, f"{name}_backward")),
            },
            what="class Op(Function)",
        )
        if isinstance(made, Signal):
            return {"root": made}
        classes[name] = made
    nodes: list[Any] = []
    leaves: list[Any] = []
    for step in program:
        op, *args = step
        if op == "leaf":
            node = attempt(Tensor, np.array(args[0], dtype=np.float64), what="Tensor(array)")
            leaves.append(node)
        elif op == "scale":
            node = attempt(classes[op].apply, nodes[args[0]], float(args[1]), what="Function.apply(x, c)")
        else:
            inputs = [nodes[i] for i in args]
            node = attempt(classes[op].apply, *inputs, what=f"Function.apply({', '.join('t' for _ in inputs)})")
        if isinstance(node, Signal):
            return {"root": node}
        nodes.append(node)
    root = nodes[-1]
    with recursion_headroom():
        done = attempt(backward, root, what="backward(raiz)", none_is_pending=False)
    if isinstance(done, Signal):
        return {"root": done}
    return {
        "root": attempt(lambda: root.data, what="raiz.data"),
        "grads": [attempt(lambda leaf=leaf: leaf.grad, what="hoja.grad", none_is_pending=False) for leaf in leaves],
    }


@reference
def run_program(program: Program, *, mode: str = "right") -> tuple[np.ndarray, list[np.ndarray | None]]:
    """The program's root value and leaf gradients, walked here; ``mode`` imitates a known mistake:
    "overwrite" (= instead of +), "aliasing" (in-place += on shared arrays), "no_seed"."""
    values: list[np.ndarray] = []
    inputs: list[list[int]] = []
    saved: list[Any] = []
    for op, *args in program:
        if op == "leaf":
            values.append(np.array(args[0], dtype=np.float64))
            inputs.append([])
            saved.append(None)
            continue
        ctx = type("Ctx", (), {"save_for_backward": lambda self, *a: setattr(self, "saved_tensors", a)})()
        forward = getattr(_Ops, f"{op}_forward")
        if op == "scale":
            values.append(np.asarray(forward(ctx, values[args[0]], float(args[1]))))
            inputs.append([args[0], -1])
        else:
            values.append(np.asarray(forward(ctx, *(values[i] for i in args))))
            inputs.append(list(args))
        saved.append(ctx)
    n = len(values)
    counts = [0] * n
    for row in inputs:
        for i in row:
            if i >= 0:
                counts[i] += 1
    order, ready = [], [n - 1]
    while ready:
        node = ready.pop()
        order.append(node)
        for i in inputs[node]:
            if i >= 0:
                counts[i] -= 1
                if counts[i] == 0:
                    ready.append(i)
    grads: list[Any] = [None] * n
    grads[n - 1] = np.zeros_like(values[-1]) if mode == "no_seed" else np.ones_like(values[-1])
    for node in order:
        if not inputs[node] or grads[node] is None:
            continue
        op = program[node][0]
        result = getattr(_Ops, f"{op}_backward")(saved[node], grads[node])
        result = result if isinstance(result, tuple) else (result,)
        for i, g in zip(inputs[node], result):
            if i < 0 or g is None:
                continue
            if grads[i] is None or mode == "overwrite":
                grads[i] = g
            elif mode == "aliasing":
                grads[i] += g
            else:
                grads[i] = grads[i] + g
    leaf_grads = [grads[i] for i in range(n) if not inputs[i]]
    return values[-1], leaf_grads


def lecture_program(rng: np.random.Generator) -> Program:
    a, b = (float(v) for v in rng.uniform(0.5, 3, size=2) * rng.choice([-1, 1], size=2))
    return [["leaf", a], ["leaf", b], ["mul", 0, 1], ["add", 2, 0]]


def repeated_program(rng: np.random.Generator) -> Program:
    shape = (int(rng.integers(2, 4)),)
    return [["leaf", rng.uniform(1.1, 2, size=shape)], ["mul", 0, 0], ["mul", 1, 0], ["sum", 2]]


def shared_program(rng: np.random.Generator) -> Program:
    """u = tanh(x), v = tanh(y), sum((u + v) + u): the sums hand the same array to two tensors."""
    return [
        ["leaf", rng.normal(size=(3,))],
        ["leaf", rng.normal(size=(3,))],
        ["tanh", 0],
        ["tanh", 1],
        ["add", 2, 3],
        ["add", 4, 2],
        ["sum", 5],
    ]


def bias_program(rng: np.random.Generator) -> Program:
    n, d, m = (int(v) for v in rng.choice(np.arange(2, 6), size=3, replace=False))
    return [
        ["leaf", rng.normal(size=(n, d))],
        ["leaf", rng.normal(size=(d, m))],
        ["leaf", rng.normal(size=(m,))],
        ["dot", 0, 1],
        ["bias", 3, 2],
        ["tanh", 4],
        ["sum", 5],
    ]


def ladder_program(rng: np.random.Generator, depth: int) -> Program:
    """v -> tanh(v) + c·v, ``depth`` times: 2**depth paths from the root to the leaf."""
    program: Program = [["leaf", rng.uniform(-1, 1, size=(2,))]]
    v = 0
    for _ in range(depth):
        program.append(["tanh", v])
        program.append(["scale", v, float(rng.uniform(0.3, 0.9))])
        program.append(["add", len(program) - 2, len(program) - 1])
        v = len(program) - 1
    program.append(["sum", v])
    return program


def chain_program(rng: np.random.Generator, depth: int) -> Program:
    """``depth`` operations; the leaf is added back in at every other step."""
    program: Program = [["leaf", float(rng.uniform(-1, 1))]]
    for k in range(depth):
        previous = len(program) - 1
        program.append(["add", previous, 0] if k % 2 == 0 else ["scale", previous, float(rng.uniform(0.9, 1.05))])
    return program


def _leaf_grad(value: Any) -> np.ndarray | None:
    if value is None or isinstance(value, Signal):
        return None
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def _check_engine(trial: Trial, answers: tuple[Answer, Answer, Answer], program: Program, graph: str) -> None:
    result = to_dict(trial.run(engine_case, *answers, program), "motor")
    root = trial.unwrap(result["root"], "raiz.data", {TypeError: H_MOT["apply"], AttributeError: H_MOT["apply"]})
    expected_root, expected = run_program(program)
    got_root = to_array(root, "raiz.data")
    if got_root.shape != expected_root.shape or not close(got_root, expected_root):
        raise Failed(t("check.ex08.root", graph=graph, expected=fmt(expected_root), got=fmt(got_root)), H_MOT["apply"])
    got = [_leaf_grad(trial.unwrap(value, "hoja.grad")) for value in to_list(result["grads"], "grads")]
    variants = {mode: run_program(program, mode=mode)[1] for mode in ("overwrite", "aliasing", "no_seed")}
    for k, (value, want) in enumerate(zip(got, expected)):
        if value is None:
            detail = t("check.ex08.grad_missing", got="None")
            raise Failed(t("check.ex08.grads", graph=graph, leaf=k, detail=detail), H_MOT["no_grad"])
        assert want is not None
        if value.shape != want.shape:
            what = f"hoja {k}.grad"
            raise Failed(shape_mismatch(what, want.shape, value.shape), H_MOT["order"])
        if not close(value, want, rtol=1e-7, atol=1e-9):
            candidates = [(H_MOT[hint], variants[mode][k]) for mode, hint in MISTAKE_HINTS]
            hint = diagnose(value, [(key, v) for key, v in candidates if v is not None], rtol=1e-7, atol=1e-9)
            detail = mismatch("grad", want, value)
            raise Failed(t("check.ex08.grads", graph=graph, leaf=k, detail=detail), hint or H_MOT["order"])
    trial.passed()


@register_check(
    "ex08.motor", 3, {"es": "El motor: apply y el recorrido", "en": "The engine: apply and the walk"}, NUMPY_ONLY
)
@MOTOR.part
def motor(trial: Trial, Tensor: Answer, Function: Answer, backward: Answer) -> None:
    """Function.apply records the graph and backward(raiz) walks it: the lecture's graph, x·x·x, h + h, a bias over
    a batch, a ladder of diamonds and a chain of 10 000 operations; leaf gradients compared with a walk done here."""
    expect_class(Tensor, "Tensor")
    expect_class(Function, "Function")
    rng = trial.rng
    graphs = [
        (lecture_program(rng), t("check.ex08.graph.lecture")),
        (repeated_program(rng), t("check.ex08.graph.repeated")),
        (shared_program(rng), t("check.ex08.graph.shared")),
        (bias_program(rng), t("check.ex08.graph.bias")),
        (ladder_program(rng, 10), t("check.ex08.graph.ladder", depth=10)),
    ]
    for _ in trial.count(public=0, hidden=1):
        graphs.append((bias_program(rng), t("check.ex08.graph.bias")))
    graphs.append((chain_program(rng, 10_000), t("check.ex08.graph.chain", depth="10 000")))
    for program, graph in graphs:
        _check_engine(trial, (Tensor, Function, backward), program, graph)


# --------------------------------------------------------------------------- 3 and 4. the network and its training


@probe
def network_step(paso_motor: Any, Function: Any, params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray) -> Any:
    """In the kernel: the student's ``paso_motor(params, X, y)``, with the engine calls counted."""
    with watching(Function) as counts:
        result = attempt(paso_motor, {k: v.copy() for k, v in params.items()}, X.copy(), y.copy(), what="paso_motor")
    return {"result": result, "counts": dict(counts)}


def _counted(trial: Trial, counts: Any, what: str, engine: bool = True) -> None:
    """Reject a delegation to the library; fail a step that never went through the student's engine."""
    counts = to_dict(counts, "counts")
    reject_delegation(counts, what)
    if engine and not int(counts.get("apply", 0)):
        raise Failed(t("check.ex08.unused_engine", what=what, detail=t("check.ex08.no_apply")), H_RED["engine"])
    if engine and not int(counts.get("backward", 0)):
        raise Failed(t("check.ex08.unused_engine", what=what, detail=t("check.ex08.no_backward")), H_RED["engine"])


RED = Guide("ex08.red", ("", "4. La red, con tu motor"))
H_RED = RED.hints(
    {
        "engine": (
            1,
            {
                "es": "paso_motor debe calcular la pérdida con tus Tensor y tus Functions (los operadores llaman a "
                "apply) y los gradientes con backward(): nada de gradientes escritos a mano.",
                "en": "paso_motor must compute the loss with your Tensors and Functions (the operators call "
                "apply) and the gradients with backward(): no hand-written gradients.",
            },
        ),
        "pieces_first": (
            1,
            {
                "es": "La pérdida o los gradientes no coinciden: comprueba primero que ex08.piezas y ex08.motor "
                "están superados.",
                "en": "The loss or the gradients do not match: first make sure ex08.piezas and ex08.motor pass.",
            },
        ),
        "keys": (
            3,
            {
                "es": "Los gradientes van en un diccionario con las claves de params (W1, b1, W2, b2), como arrays "
                "con la forma de cada parámetro.",
                "en": "The gradients go in a dict with the keys of params (W1, b1, W2, b2), as arrays of each "
                "parameter's shape.",
            },
        ),
    }
)
RED.attach({"check.hint.mean": 1, "check.hint.sign": 1})


def _network_case(rng: np.random.Generator) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    inputs, hidden, batch = (int(v) for v in rng.choice(np.arange(3, 12), size=3, replace=False))
    params = {
        "W1": rng.normal(size=(hidden, inputs)) / np.sqrt(inputs),
        "b1": rng.normal(size=hidden) * 0.1,
        "W2": rng.normal(size=(10, hidden)) / np.sqrt(hidden),
        "b2": rng.normal(size=10) * 0.1,
    }
    return params, rng.normal(size=(batch, inputs)), np.asarray(rng.integers(0, 10, size=batch))


@reference
def reference_loss(params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray) -> float:
    """The mean cross-entropy of the network's logits, with the library."""
    from ...factories import tensor

    hidden = (tensor(X) @ tensor(params["W1"]).T + tensor(params["b1"])).relu()
    return float(reference_cross_entropy(hidden @ tensor(params["W2"]).T + tensor(params["b2"]), y).item())


@register_check("ex08.red", 2, {"es": "La red, con tu motor", "en": "The network, on your engine"}, NUMPY_ONLY)
@RED.part
def red(trial: Trial, paso_motor: Answer, Function: Answer) -> None:
    """paso_motor(params, X, y) = (loss, grads) of the two-layer network, computed by the student's engine."""
    expect_class(Function, "Function")
    rng = trial.rng
    for _ in trial.count(public=2, hidden=2):
        params, X, y = _network_case(rng)
        reply = to_dict(trial.run(network_step, paso_motor, Function, params, X, y), "paso_motor")
        result = trial.unwrap(reply["result"], "paso_motor(params, X, y)")
        _counted(trial, reply["counts"], "paso_motor")
        pair = to_list(result, "paso_motor(params, X, y)")
        if len(pair) != 2:
            raise Failed(t("check.ex08.step_pair", got=len(pair)), H_RED["keys"])
        loss = to_float(pair[0], "pérdida")
        expected_loss = reference_loss(params, X, y)
        if not np.isclose(loss, expected_loss, rtol=1e-7, atol=1e-9):
            raise Failed(mismatch("pérdida", expected_loss, loss, X=X, y=y), H_RED["pieces_first"])
        grads = params_of(pair[1], "gradientes")
        expected = reference_gradients(params, X, y)
        for key in KEYS:
            if grads[key].shape != expected[key].shape:
                raise Failed(shape_mismatch(f"grads[{key!r}]", expected[key].shape, grads[key].shape), H_RED["keys"])
            if not close(grads[key], expected[key], rtol=1e-6, atol=1e-9):
                hint = diagnose(grads[key], [("check.hint.mean", expected[key] * len(y))])
                raise Failed(mismatch(f"grads[{key!r}]", expected[key], grads[key], X=X), hint or H_RED["pieces_first"])
        trial.passed()


ENTRENAR = Guide("ex08.entrenar", ("", "5. Entrenar con tu motor"))
H_ENT = ENTRENAR.hints(
    {
        "curve": (
            2,
            {
                "es": "Añade a la curva la pérdida que devuelve cada llamada a paso, en el mismo orden.",
                "en": "Append to the curve the loss each call to paso returns, in the same order.",
            },
        ),
        "train_more": (
            2,
            {
                "es": "Comprueba antes que ex08.red está superado; después, los hiperparámetros (ejercicio 7, "
                "parte 4): más épocas, más neuronas, o otra tasa de aprendizaje.",
                "en": "First make sure ex08.red passes; then the hyperparameters (exercise 7, part 4): more "
                "epochs, more neurons, or another learning rate.",
            },
        ),
        "diverged": (
            2,
            {
                "es": "El entrenamiento divergió (inf o nan): baja la tasa de aprendizaje.",
                "en": "Training diverged (inf or nan): lower the learning rate.",
            },
        ),
    }
)
ENTRENAR.attach({"check.ex07.hint.hiper": 3, "check.ex08.red.hint.engine": 1})


@probe
def training_run(
    entrenar: Any, paso_motor: Any, Function: Any, X: np.ndarray, y: np.ndarray, seed: int, hiper: dict[str, Any]
) -> Any:
    """In the kernel: the student's ``entrenar(paso, X, y, seed, hiper)`` with ``paso`` = their ``paso_motor``,
    recording the loss of every step it takes and counting the engine calls."""
    losses: list[Any] = []

    def paso(params: Any, X_lote: Any, y_lote: Any) -> Any:
        result = student_call(paso_motor, params, X_lote, y_lote, what="paso_motor")
        try:
            losses.append(float(result[0]))
        except (TypeError, ValueError, IndexError):
            losses.append(None)
        return result

    with watching(Function) as counts:
        result = attempt(entrenar, paso, X, y, seed, hiper, what="entrenar(paso, X_train, y_train, semilla, hiper)")
    return {"result": result, "losses": losses, "counts": dict(counts)}


@register_check("ex08.entrenar", 3, {"es": "Entrenar con tu motor", "en": "Train with your engine"}, NUMPY_ONLY)
@ENTRENAR.part
def entrenar(trial: Trial, entrenar: Answer, paso_motor: Answer, hiper: Answer) -> str:
    """entrenar(paso_motor, X_train, y_train, semilla, hiper) trains with the student's engine to >= 95% test
    accuracy; its curve is the losses its steps returned."""
    chosen = hyperparameters(hiper)
    X_train, X_test, y_train, y_test = digits_split()
    for _ in trial.count(public=1, hidden=1):
        seed = int(trial.rng.integers(0, 1000))
        reply = to_dict(trial.run(training_run, entrenar, paso_motor, None, X_train, y_train, seed, chosen), "entrenar")
        result = trial.unwrap(reply["result"], "entrenar(paso, X_train, y_train, semilla, hiper)")
        losses = to_list(reply["losses"], "pérdidas")
        if not losses:
            raise Failed(t("check.ex08.unused_engine", what="entrenar", detail=t("check.ex08.no_step")), H_ENT["curve"])
        _counted(trial, reply["counts"], "entrenar", engine=False)
        pair = to_list(result, "entrenar(...)")
        if len(pair) != 2:
            raise Failed(t("check.ex08.train_pair", got=len(pair)))
        params = params_of(pair[0], "params")
        curve = to_array(pair[1], "curva").reshape(-1)
        recorded = np.array([np.nan if v is None else float(v) for v in losses])
        if curve.shape != recorded.shape or not np.allclose(curve, recorded, rtol=1e-12, atol=0, equal_nan=True):
            detail = f"{len(curve)} / {len(recorded)}"
            raise Failed(t("check.ex08.curve", detail=detail), H_ENT["curve"])
        if not all(np.isfinite(params[key]).all() for key in KEYS):
            raise Failed(t("check.ex07.not_finite", name="params"), H_ENT["diverged"])
        score = accuracy(params, X_test, y_test)
        if score < 0.95:
            hint = H_ENT["diverged"] if diverged(params) else H_ENT["train_more"]
            raise Failed(t("check.ex08.accuracy", accuracy=score), hint)
        trial.passed()
    return t("check.ex08.trained", accuracy=score, steps=len(recorded))
