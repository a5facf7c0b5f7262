"""The exercise checks: solutions pass, stubs are pending, and each plausible mistake gets its own hint.

``WRONG`` is the table of wrong answers: for every check at least one mistake a
student would plausibly make, built from the solution notebook's own code, and
the hint key the feedback must name.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from course_notebooks import EXERCISES, SOLUTIONS, STEMS, answers, check_cells, namespace, read

import autograd_lab as torch
from autograd_lab.autograd import Function
from autograd_lab.course.checks import CHECKS, check, evaluate, progress
from autograd_lab.course.checks.core import _session
from autograd_lab.course.checks.guide import original_hint

# ----------------------------------------------------------------------------- the notebooks' definitions

CELLS = {stem: check_cells(read(SOLUTIONS, stem)) for stem in STEMS}
ARGUMENTS = {check_id: arguments for cells in CELLS.values() for check_id, arguments in cells}
STEM_OF = {check_id: stem for stem, cells in CELLS.items() for check_id, _ in cells}


@functools.cache
def solution(stem: str) -> dict[str, Any]:
    return namespace(SOLUTIONS, stem)


@functools.cache
def exercise(stem: str) -> dict[str, Any]:
    return namespace(EXERCISES, stem)


@pytest.fixture(autouse=True, scope="module")
def _solutions_defined_before_any_check():
    """Run the solution notebooks first: building them inside a watched call would count as the student's code."""
    for stem in STEMS:
        solution(stem)


def solution_answers(check_id: str) -> tuple[Any, ...]:
    return answers(solution(STEM_OF[check_id]), ARGUMENTS[check_id])


def test_every_registered_check_has_one_check_cell_in_the_solutions():
    assert sorted(ARGUMENTS) == sorted(CHECKS)
    assert sum(len(cells) for cells in CELLS.values()) == len(CHECKS)


@pytest.mark.parametrize("check_id", sorted(CHECKS))
def test_solution_gets_full_points_with_hidden_cases_and_fresh_inputs(check_id):
    for seed in (1, 2):
        outcome = evaluate(check_id, *solution_answers(check_id), scope="full", entropy=(seed,))
        assert outcome.status == "passed", outcome.message
        assert outcome.points == outcome.max_points == CHECKS[check_id].points
        assert outcome.label == "correcto"


@pytest.mark.parametrize("check_id", sorted(CHECKS))
def test_untouched_exercise_is_pending_with_zero_points(check_id):
    values = answers(exercise(STEM_OF[check_id]), ARGUMENTS[check_id])
    for scope in ("public", "full"):
        outcome = evaluate(check_id, *values, scope=scope, entropy=(3,))
        assert outcome.status == "pending", outcome.message
        assert outcome.points == 0
        assert "pendiente" in repr(check(check_id, *values))


def test_public_run_says_only_public_checks_passed():
    text = repr(check("ex04.softplus", solution("ex04_funciones")["Softplus"]))
    assert "comprobaciones públicas superadas" in text
    assert "entradas ocultas" in text
    full = evaluate("ex04.softplus", solution("ex04_funciones")["Softplus"], scope="full", entropy=(5,))
    assert (
        full.label == "correcto"
        and full.cases > evaluate("ex04.softplus", solution("ex04_funciones")["Softplus"], scope="public").cases
    )
    # a check without hidden cases does not pretend there are any
    rangos = repr(check("ex01.dimensiones", *solution_answers("ex01.dimensiones")))
    assert "correcto" in rangos and "ocultas" not in rangos


# ----------------------------------------------------------------------------- wrong answers, one hint each


def make_function(name: str, forward: Callable[..., Any], backward: Callable[..., Any]) -> type[Function]:
    return type(name, (Function,), {"forward": staticmethod(forward), "backward": staticmethod(backward)})


def array_function(name: str, forward: Callable[..., Any], backward: Callable[..., Any]) -> type:
    """A Function on NumPy arrays, as ex04 and ex08 ask for (no library base class)."""
    return type(name, (), {"forward": staticmethod(forward), "backward": staticmethod(backward)})


def save_inputs(op: Callable[..., Any]) -> Callable[..., Any]:
    def forward(ctx, *inputs):
        ctx.save_for_backward(*inputs)
        return op(*inputs)

    return forward


def save_output(op: Callable[..., Any]) -> Callable[..., Any]:
    def forward(ctx, x):
        y = op(x)
        ctx.save_for_backward(y)
        return y

    return forward


def saved(rule: Callable[..., Any]) -> Callable[..., Any]:
    return lambda ctx, g: rule(g, *ctx.saved_tensors)


def order_recursive(raiz):
    orden, vistos = [], set()

    def visitar(nodo):
        if id(nodo) in vistos:
            return
        vistos.add(id(nodo))
        for entrada in nodo.entradas:
            visitar(entrada)
        orden.append(nodo)

    visitar(raiz)
    return orden[::-1]


def order_without_visited(raiz):
    orden, pila = [], [raiz]
    while pila:
        nodo = pila.pop()
        orden.append(nodo)
        pila.extend(nodo.entradas)
    return orden


def backward_with(order: Callable[[Any], list[Any]], *, update: str = "+=", seed: bool = True, reverse: bool = False):
    def backward(raiz):
        if seed:
            raiz.grad = 1.0
        nodos = order(raiz)
        for nodo in reversed(nodos) if reverse else nodos:
            for entrada, local in zip(nodo.entradas, nodo.locales):
                if update == "+=":
                    entrada.grad += local * nodo.grad
                elif update == "=":
                    entrada.grad = local * nodo.grad
                else:  # the chain rule's grad_output factor forgotten
                    entrada.grad += local

    return backward


def ex04(name: str) -> Any:
    return solution("ex04_funciones")[name]


def ns(stem: str, name: str) -> Any:
    return solution(stem)[name]


def with_relu_mask(apply_mask: bool, *, sum_bias: bool = True, mean: bool = True):
    def backward(params, cache, y):
        X, z1, h, logits = cache
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        p[np.arange(len(y)), y] -= 1
        if mean:
            p /= len(y)
        dz1 = p @ params["W2"]
        if apply_mask:
            dz1 = dz1 * (z1 > 0)
        reduce = (lambda a: a.sum(axis=0)) if sum_bias else (lambda a: a)
        return {"W1": dz1.T @ X, "b1": reduce(dz1), "W2": p.T @ h, "b2": reduce(p)}

    return backward


T = torch
E = "check.ex01.aplanar.hint."
WRONG: list[tuple[str, str, Callable[[], tuple[Any, ...]], str, str]] = [
    # check id, what is wrong, the answers, expected hint key, expected status (more in test_exercise_checks.py)
    ("ex01.aplanar", "aplana el lote", lambda: (lambda x: x.reshape(-1).float(),), E + "flatten_batch", "failed"),
    ("ex01.aplanar", "sin convertir", lambda: (lambda x: x.reshape(x.shape[0], -1),), E + "dtype", "failed"),
    ("ex01.aplanar", "lote fijo", lambda: (lambda x: x.reshape(2, -1).float(),), E + "fixed_batch", "failed"),
    (
        "ex01.aplanar",
        "permuta antes",
        lambda: (lambda x: x.permute(0, 2, 3, 1).reshape(x.shape[0], -1).float(),),
        E + "order",
        "failed",
    ),
    ("ex01.aplanar", "escala", lambda: (lambda x: x.reshape(x.shape[0], -1).float() / 255,), E + "values", "failed"),
    (
        "ex01.grad_fn",
        "la hoja recuerda",
        lambda: ({**solution_answers("ex01.grad_fn")[0], "a": True},),
        "check.ex01.grad_fn.hint.open",
        "failed",
    ),
]


def _numeric_all_at_once(f, w, h=1e-5):
    return np.full_like(w, (f(w + h).item() - f(w - h).item()) / (2 * h))


def _numeric_in_place(f, w, h=1e-5):
    grad = np.zeros_like(w)
    for i in range(len(w)):
        w[i] += h
        up = f(w).item()
        w[i] -= 2 * h
        grad[i] = (up - f(w).item()) / (2 * h)
    return grad


def _autograd_twice(f, w):
    w = T.tensor(w, requires_grad=True)
    f(w).backward()
    f(w).backward()
    return w.grad.numpy()


G = "check.ex02.hint."
WRONG += [
    (
        "ex02.gradiente",
        "todo a la vez",
        lambda: (_numeric_all_at_once, ns("ex02_gradientes", "gradiente_autograd")),
        G + "all_at_once",
        "failed",
    ),
    (
        "ex02.gradiente",
        "modifica w",
        lambda: (_numeric_in_place, ns("ex02_gradientes", "gradiente_autograd")),
        G + "restore",
        "failed",
    ),
    (
        "ex02.gradiente",
        "backward dos veces",
        lambda: (ns("ex02_gradientes", "gradiente_numerico"), _autograd_twice),
        G + "accumulated",
        "failed",
    ),
    (
        "ex02.cero",
        "los distintos de cero",
        lambda: (
            lambda f, w: [i for i, g in enumerate(ns("ex02_gradientes", "gradiente_autograd")(f, w)) if g != 0],
            "b",
        ),
        G + "complement",
        "failed",
    ),
    ("ex02.cero", "óptimo", lambda: (ns("ex02_gradientes", "indices_gradiente_cero"), "a"), G + "option_a", "failed"),
    (
        "ex02.cero",
        "vale cero",
        lambda: (ns("ex02_gradientes", "indices_gradiente_cero"), "c"),
        G + "option_c",
        "failed",
    ),
]

H = "check.ex03.hint."
WRONG += [
    ("ex03.propia", "sin repetir variable", lambda: (lambda x, y: x * y, lambda x, y: (y, x)), H + "reuse", "failed"),
    (
        "ex03.propia",
        "grafo cortado",
        lambda: (lambda x, y: T.tensor(x.item() * y.item() + x.item()), lambda x, y: (y + 1, x)),
        H + "graph_broken",
        "failed",
    ),
    (
        "ex03.propia",
        "signo",
        lambda: (lambda x, y: x * y + T.sin(x) * y, lambda x, y: (-(y + math.cos(x) * y), -(x + math.sin(x)))),
        "check.hint.sign",
        "failed",
    ),
]

B = "check.ex05.hint."
WRONG += [
    ("ex05.orden", "recursivo", lambda: (order_recursive,), "check.hint.recursion", "error"),
    ("ex05.orden", "sin visitados", lambda: (order_without_visited,), B + "visited", "failed"),
    (
        "ex05.orden",
        "al revés",
        lambda: (lambda raiz: ns("ex05_backward", "orden_topologico")(raiz)[::-1],),
        B + "reversed",
        "failed",
    ),
    (
        "ex05.backward",
        "sobrescribe",
        lambda: (backward_with(ns("ex05_backward", "orden_topologico"), update="="),),
        "check.hint.accumulate",
        "failed",
    ),
    (
        "ex05.backward",
        "sin grad_output",
        lambda: (backward_with(ns("ex05_backward", "orden_topologico"), update="local"),),
        "check.hint.grad_output",
        "failed",
    ),
    (
        "ex05.backward",
        "raíz sin 1",
        lambda: (backward_with(ns("ex05_backward", "orden_topologico"), seed=False),),
        B + "seed",
        "failed",
    ),
    (
        "ex05.backward",
        "orden inverso",
        lambda: (backward_with(ns("ex05_backward", "orden_topologico"), reverse=True),),
        B + "reverse_order",
        "failed",
    ),
]


def _softmax_global_max(z):
    e = np.exp(z - z.max())
    return e / e.sum(axis=1, keepdims=True)


def _softmax_columns(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


C = "check.ex06.hint."
WRONG += [
    (
        "ex06.softmax",
        "inestable",
        lambda: (lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True),),
        "check.hint.unstable_softmax",
        "failed",
    ),
    ("ex06.softmax", "máximo global", lambda: (_softmax_global_max,), C + "row_max", "failed"),
    ("ex06.softmax", "por columnas", lambda: (_softmax_columns,), C + "softmax_axis", "failed"),
    (
        "ex06.entropia",
        "log de la softmax",
        lambda: (lambda z, y: -np.log(ns("ex06_capas", "softmax")(z)[np.arange(len(y)), y]).mean(),),
        C + "logsumexp",
        "failed",
    ),
    (
        "ex06.entropia",
        "suma",
        lambda: (lambda z, y: ns("ex06_capas", "entropia_cruzada")(z, y) * len(y),),
        "check.hint.mean",
        "failed",
    ),
    (
        "ex06.entropia",
        "signo",
        lambda: (lambda z, y: -ns("ex06_capas", "entropia_cruzada")(z, y),),
        "check.hint.sign",
        "failed",
    ),
    (
        "ex06.gradientes",
        "sesgo sin sumar",
        lambda: (
            lambda x, W, b, y: (
                ns("ex06_capas", "gradientes")(x, W, b, y)[0],
                np.tile(ns("ex06_capas", "gradientes")(x, W, b, y)[1], (len(y), 1)) / len(y),
            ),
        ),
        "check.hint.broadcast_sum",
        "failed",
    ),
    (
        "ex06.gradientes",
        "sin dividir entre N",
        lambda: (lambda x, W, b, y: tuple(g * len(y) for g in ns("ex06_capas", "gradientes")(x, W, b, y)),),
        "check.hint.mean",
        "failed",
    ),
]


def _zeros(n_entrada, n_oculta, n_salida, semilla):
    return {
        "W1": np.zeros((n_oculta, n_entrada)),
        "b1": np.zeros(n_oculta),
        "W2": np.zeros((n_salida, n_oculta)),
        "b2": np.zeros(n_salida),
    }


def _transposed(n_entrada, n_oculta, n_salida, semilla):
    params = ns("ex07_red_desde_cero", "inicializar")(n_entrada, n_oculta, n_salida, semilla)
    return {**params, "W1": params["W1"].T.copy()}


def _unseeded(n_entrada, n_oculta, n_salida, semilla):
    return ns("ex07_red_desde_cero", "inicializar")(
        n_entrada, n_oculta, n_salida, int(np.random.default_rng().integers(1 << 30))
    )


def _forward_without_relu(params, X):
    z1 = X @ params["W1"].T + params["b1"]
    logits = z1 @ params["W2"].T + params["b2"]
    return logits, (X, z1, z1, logits)


HIPER = {"epocas": 30, "lr": 0.5, "tam_lote": 32, "n_oculta": 64}


def _undertrained(X, y, semilla, hiper):
    return ns("ex07_red_desde_cero", "entrenar")(X, y, semilla, {**hiper, "epocas": 1, "lr": 0.01})


F = "check.ex07.hint."
WRONG += [
    ("ex07.inicializar", "ceros", lambda: (_zeros,), F + "symmetry", "failed"),
    ("ex07.inicializar", "W traspuesta", lambda: (_transposed,), F + "weight_shape", "failed"),
    ("ex07.inicializar", "sin semilla", lambda: (_unseeded,), F + "seed", "failed"),
    ("ex07.forward", "sin ReLU", lambda: (_forward_without_relu,), F + "relu", "failed"),
    (
        "ex07.backward",
        "sin máscara",
        lambda: (ns("ex07_red_desde_cero", "forward"), with_relu_mask(False)),
        F + "relu_mask",
        "failed",
    ),
    (
        "ex07.backward",
        "sesgos sin sumar",
        lambda: (ns("ex07_red_desde_cero", "forward"), with_relu_mask(True, sum_bias=False)),
        "check.hint.broadcast_sum",
        "failed",
    ),
    (
        "ex07.backward",
        "sin dividir entre N",
        lambda: (ns("ex07_red_desde_cero", "forward"), with_relu_mask(True, mean=False)),
        "check.hint.mean",
        "failed",
    ),
    ("ex07.entrenar", "poco entrenada", lambda: (_undertrained, HIPER), F + "train_more", "failed"),
]


def test_every_check_has_a_wrong_answer_with_a_named_hint():
    from test_exercise_checks import WRONG as MORE

    named = {check_id for check_id, _, _, hint, _ in [*WRONG, *MORE] if hint}
    assert named == set(CHECKS)


@pytest.mark.parametrize(
    ("check_id", "mistake", "build", "hint", "status"), WRONG, ids=[f"{w[0]}-{w[1]}" for w in WRONG]
)
def test_wrong_answer_fails_with_its_hint(check_id, mistake, build, hint, status):
    outcome = evaluate(check_id, *build(), scope="public")
    assert outcome.status == status, outcome.message
    assert outcome.points == 0
    assert original_hint(outcome.hint_key) == hint, (outcome.message, outcome.hint)
    assert outcome.message
    if hint:
        assert outcome.hint  # the hint text itself, in the current language


# ----------------------------------------------------------------------------- answers the student controls


class AlwaysEqual:
    """An answer whose == says yes to everything."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__

    def __float__(self):
        return 0.0


class LyingTensor(torch.Tensor):
    """A tensor that claims to be 0-dimensional."""

    __slots__ = ()

    def dim(self):
        return 0

    @property
    def ndim(self):
        return 0


@pytest.mark.parametrize(
    ("check_id", "values"),
    [
        ("ex01.broadcast", (lambda a, b: AlwaysEqual(),)),
        ("ex01.dimensiones", (LyingTensor([5.0]), *solution_answers("ex01.dimensiones")[1:])),
        ("ex01.grad_fn", ({name: AlwaysEqual() for name in "abcdefg"},)),
        ("ex02.prediccion", (lambda f, w, delta: AlwaysEqual(),)),
        (
            "ex03.locales",
            (lambda x, y: {k: AlwaysEqual() for k in ("du/dx", "du/dy", "dv/du", "dv/dy", "df/dv", "df/dx")},),
        ),
        ("ex03.gradientes", (lambda x, y: AlwaysEqual(),)),
        ("ex06.softmax", (lambda z: AlwaysEqual(),)),
        (
            "ex07.backward",
            (
                ns("ex07_red_desde_cero", "forward"),
                lambda params, cache, y: {k: AlwaysEqual() for k in ("W1", "b1", "W2", "b2")},
            ),
        ),
    ],
)
def test_objects_that_claim_equality_earn_nothing(check_id, values):
    outcome = evaluate(check_id, *values, scope="full", entropy=(7,))
    assert outcome.status in ("failed", "error")
    assert outcome.points == 0


def test_an_answer_hard_coded_for_the_notebooks_inputs_fails_when_graded():
    right = ns("ex02_gradientes", "cambio_previsto")
    memorized: dict[bytes, float] = {}

    def recording(f, w, delta):
        memorized[w.tobytes() + delta.tobytes()] = right(f, w, delta)
        return memorized[w.tobytes() + delta.tobytes()]

    evaluate("ex02.prediccion", recording, scope="public")

    def hard_coded(f, w, delta):
        return memorized.get(w.tobytes() + delta.tobytes(), 0.0)

    assert evaluate("ex02.prediccion", hard_coded, scope="public").status == "passed"
    graded = evaluate("ex02.prediccion", hard_coded, scope="full")
    assert graded.status == "failed" and graded.points == 0


def test_public_feedback_is_reproducible_and_grading_draws_fresh_inputs():
    wrong = (lambda f, w, delta: f(w + delta).item() - f(w).item(),)
    first, second = (evaluate("ex02.prediccion", *wrong, scope="public") for _ in range(2))
    assert first == second
    messages = {evaluate("ex02.prediccion", *wrong, scope="full").message for _ in range(4)}
    assert len(messages) > 1


# ----------------------------------------------------------------------------- feedback and progress


def test_feedback_text_is_stable_and_html_is_escaped():
    feedback = check("ex06.softmax", lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True))
    text, html = repr(feedback), feedback._repr_html_()
    assert text.startswith("[ex06.softmax] ✘ Softmax estable — incorrecto · 0/2 puntos")
    assert "Pista: Softmax inestable" in text
    assert not re.search(r"0x[0-9a-f]{4,}|\d+(\.\d+)? ?(ms|s)\b", text)
    assert "<div" in html and "Pista" in html and "<lambda>" not in html
    assert repr(check("ex06.softmax", lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True))) == text


def test_student_exception_reads_as_error_with_its_message():
    outcome = evaluate("ex06.softmax", lambda z: 1 / 0, scope="public")
    assert outcome.status == "error" and "ZeroDivisionError" in outcome.message


def test_feedback_in_english():
    torch.set_language("en")
    try:
        softplus = array_function(
            "Softplus", save_inputs(lambda x: np.logaddexp(0, x)), saved(lambda g, x: 1 / (1 + np.exp(-x)))
        )
        text = repr(check("ex04.softplus", softplus))
        assert "incorrect" in text and "Hint: You forgot to multiply by grad_output" in text
        assert "Open Hint 1 of this part; lesson 04, «③ Aplica la regla de la cadena» explains it." in text
        assert "pending" in repr(check("ex01.broadcast", None))
    finally:
        torch.set_language("es")


def test_progress_sums_points_per_exercise():
    _session.outcomes.clear()
    assert "Todavía no" in repr(progress())
    check("ex03.locales", ns("ex03_grafo", "derivadas_locales"))
    check("ex03.gradientes", lambda x, y: (y, x))
    text = repr(progress())
    assert "ex03 · Un grafo a mano: 3/10 puntos" in text
    assert "sin comprobar" in text and "incorrecto" in text
    assert "<table>" in progress()._repr_html_()
    _session.outcomes.clear()


def test_misused_check_cells_raise_clear_errors():
    with pytest.raises(ValueError, match="unknown check 'ex04.cube'"):
        check("ex04.cube", None)
    with pytest.raises(TypeError, match=r"expects 2 answer\(s\): gradiente_numerico, gradiente_autograd"):
        check("ex02.gradiente", None)


# ----------------------------------------------------------------------------- the kernel boundary


def _library_functions() -> list[type]:
    found, stack = [], list(Function.__subclasses__())
    while stack:
        klass = stack.pop()
        stack.extend(klass.__subclasses__())
        if klass.__module__.startswith("autograd_lab.") and klass.__module__ != "autograd_lab.function":
            found.append(klass)
    return found


def test_library_functions_handed_in_as_ones_own_are_rejected_with_a_message():
    library = _library_functions()
    assert len(library) > 10
    for klass in library:
        outcome = evaluate("ex04.softplus", klass, scope="full", entropy=(1,))
        assert (outcome.status, outcome.points) == ("rejected", 0), (klass, outcome.message)
        assert f"{klass.__module__}.{klass.__qualname__}" in outcome.message
        assert "biblioteca" in outcome.message and outcome.hint_key == "check.hint.own_work"
    mul = next(k for k in library if k.__name__ == "Mul")
    subclass = type("Mul", (mul,), {})
    borrowed = type("Mul", (Function,), {"forward": mul.__dict__["forward"], "backward": mul.__dict__["backward"]})
    for answer in (subclass, borrowed):
        assert evaluate("ex04.softplus", answer, scope="full", entropy=(1,)).status == "rejected"
    assert "rechazado" in repr(check("ex04.softplus", mul))


def _autograd_graph_gradients(x, y):
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    yt = torch.tensor(y, dtype=torch.float64, requires_grad=True)
    ((xt * yt + yt) * xt).backward()
    return xt.grad.item(), yt.grad.item()


def test_library_and_reference_functions_are_rejected_for_function_parts():
    from autograd_lab.course.checks import ex05_backward

    assert evaluate("ex06.softmax", torch.softmax, scope="public").status == "rejected"
    assert evaluate("ex05.orden", ex05_backward.reference_order, scope="public").status == "rejected"
    # the student's own Function and a lambda that calls library code are the student's work
    assert evaluate("ex04.softplus", ex04("Softplus"), scope="public").status == "passed"
    # a part written in NumPy rejects a lambda that hands the work to the library; elsewhere it is the student's work
    assert (
        evaluate("ex06.softmax", lambda z: torch.tensor(z).softmax(dim=1).numpy(), scope="public").status == "rejected"
    )
    library_gradients = functools.partial(_autograd_graph_gradients)
    assert evaluate("ex03.gradientes", library_gradients, scope="public").status == "passed"


def test_the_numerical_check_catches_a_forward_that_changes_between_calls():
    calls = []

    def forward(ctx, x):
        calls.append(1)
        ctx.save_for_backward(x)
        return np.logaddexp(0, x) + (0.1 if len(calls) % 2 == 0 else 0.0)

    softplus = array_function("Softplus", forward, saved(lambda g, x: g / (1 + np.exp(-x))))
    outcome = evaluate("ex04.softplus", softplus, scope="public")
    assert outcome.status == "failed" and "comprobación numérica" in outcome.message


def test_numerical_vjp_is_central_differences_of_the_returned_forwards():
    from autograd_lab.course.checks.tools import numerical_vjp
    from autograd_lab.course.checks.wire import Opaque, TensorValue

    x, g, eps = np.array([1.0, -2.0]), np.array([0.5, 3.0]), 1e-3
    around = []
    for j in range(2):
        for sign in (1, -1):
            shifted = x.copy()
            shifted[j] += sign * eps
            around.append(TensorValue(shifted**2))
    (result,) = numerical_vjp(around, [x], g, eps)
    np.testing.assert_allclose(result, 2 * x * g, rtol=1e-6)
    assert numerical_vjp([*around[:3], Opaque("str")], [x], g, eps) is None


def test_plain_data_decoding_is_strict():
    import base64
    import io
    import pickle

    from autograd_lab.course.checks.wire import Opaque, ProtocolError, decode, encode, loads

    buffer = io.BytesIO()
    np.save(buffer, np.array([object()]), allow_pickle=True)
    for bad in (
        {"$": "nd", "npy": base64.b64encode(buffer.getvalue()).decode()},
        {"$": "nd", "npy": base64.b64encode(pickle.dumps([1, 2])).decode()},
        {"$": "eval", "code": "1"},
        {"no": "tag"},
        {"$": "dict", "items": [[[1], 2]]},
        {"$": "np", "dtype": "O", "v": 1},
        "x" * 100_000,
    ):
        with pytest.raises(ProtocolError):
            decode(bad)
    with pytest.raises(ProtocolError):
        loads("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ProtocolError):
        loads(b"\xff not json")

    class Weird(list):
        def __iter__(self):
            raise RuntimeError("never read like this")

    assert decode(encode(Weird([1, 2]))) == [1, 2]
    assert decode(encode({"f": lambda: 1, "n": np.int64(3), "t": (1.5, None)})) == {
        "f": Opaque("function"),
        "n": np.int64(3),
        "t": (1.5, None),
    }


def test_only_registered_probes_run_in_the_kernel():
    from autograd_lab.course.checks.core import LocalKernel, Trial

    trial = Trial("ex01.dimensiones", "public", (), LocalKernel([]))
    with pytest.raises(TypeError, match="not a registered @probe"):
        trial.run(print)
    reply = LocalKernel([]).request({"op": "probe", "name": "os:system", "args": ["true"]})
    assert "unknown probe" in reply["broken"]


def test_grading_takes_only_code_compiled_from_a_notebook_cell():
    from autograd_lab.course.checks.core import LocalKernel, outside_notebook, run_check
    from autograd_lab.course.checks.wire import identity

    source = (
        "def unbroadcast(grad, forma):\n"
        "    while grad.ndim > len(forma):\n"
        "        grad = grad.sum(axis=0)\n"
        "    for eje, n in enumerate(forma):\n"
        "        if n == 1:\n"
        "            grad = grad.sum(axis=eje, keepdims=True)\n"
        "    return grad"
    )
    cell: dict[str, Any] = {}
    exec(compile(source, "<ipython-input-3-abc>", "exec"), cell)
    assert outside_notebook(identity(cell["unbroadcast"])) == ""
    assert "test_checks.py" in outside_notebook(identity(make_function))
    spec = CHECKS["ex04.unbroadcast"]
    assert run_check(spec, LocalKernel([cell["unbroadcast"]]), "public", notebook_only=True).status == "passed"
    exec(source, cell)
    assert "<string>" in outside_notebook(identity(cell["unbroadcast"]))
    graded = run_check(spec, LocalKernel([cell["unbroadcast"]]), "public", notebook_only=True)
    assert graded.status == "rejected" and "<string>" in graded.message
    assert run_check(spec, LocalKernel([cell["unbroadcast"]]), "public").status == "passed"
