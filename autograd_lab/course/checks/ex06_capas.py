"""Checks of ex06_capas: softmax, a stable cross-entropy, its gradient (derived by the student) and a linear
layer's gradients, in NumPy.

Expected values come from the library: the same computation on float64
tensors, and its gradients from ``backward``.
"""

from __future__ import annotations


import numpy as np

from ...tensor import Tensor
from ...factories import tensor
from ...i18n import register, t
from .guide import Guide
from .own_work import NUMPY_ONLY, call_own, reference
from .core import (
    Answer,
    Failed,
    Trial,
    close,
    diagnose,
    mismatch,
    register_check,
    register_exercise,
    shape_mismatch,
    to_array,
    to_float,
    to_list,
)

register_exercise(
    "ex06",
    {
        "es": "Softmax, entropía cruzada y su gradiente",
        "en": "Softmax, cross-entropy and its gradient",
    },
)

register(
    {
        "check.ex06.hint.softmax_axis": {
            "es": "Normaliza cada fila, no cada columna: las sumas van con axis=1, keepdims=True.",
            "en": "Normalize each row, not each column: sums go with axis=1, keepdims=True.",
        },
        "check.ex06.hint.row_max": {
            "es": "Resta el máximo de cada fila (z.max(axis=1, keepdims=True)), no el máximo global: una fila de "
            "valores mucho menores se queda en exp(-1000) = 0 y da 0/0.",
            "en": "Subtract each row's maximum (z.max(axis=1, keepdims=True)), not the global one: a row of much "
            "smaller values ends up at exp(-1000) = 0 and gives 0/0.",
        },
        "check.ex06.hint.logsumexp": {
            "es": "log(softmax(z)) se hace -inf cuando softmax da 0: calcula log_softmax = z - max - "
            "log(sum(exp(z - max))) (log-sum-exp), sin pasar por softmax.",
            "en": "log(softmax(z)) becomes -inf when softmax gives 0: compute log_softmax = z - max - "
            "log(sum(exp(z - max))) (log-sum-exp), without going through softmax.",
        },
        "check.ex06.hint.label_index": {
            "es": "La pérdida de la fila i usa la probabilidad de su clase correcta: log_p[i, y[i]] "
            "(log_p[np.arange(N), y]).",
            "en": "Row i's loss uses the probability of its correct class: log_p[i, y[i]] (log_p[np.arange(N), y]).",
        },
        "check.ex06.pair": {
            "es": "gradientes debe devolver (dW, db); devolvió {got} valores.",
            "en": "gradientes must return (dW, db); it returned {got} values.",
        },
    }
)

SOFTMAX = Guide("ex06.softmax", ("", "1. Softmax estable"))
SOFTMAX.attach({"check.ex06.hint.row_max": 2, "check.hint.unstable_softmax": 1, "check.ex06.hint.softmax_axis": 2})
ENTROPIA = Guide("ex06.entropia", ("", "2. Entropía cruzada estable"))
ENTROPIA.attach(
    {
        "check.ex06.hint.row_max": 1,
        "check.ex06.hint.logsumexp": 1,
        "check.ex06.hint.label_index": 2,
        "check.hint.mean": 2,
        "check.hint.sign": 3,
    }
)
DERIVADA = Guide("ex06.derivada", ("", "3. El gradiente de la entropía cruzada: dedúcelo"))
H_DER = DERIVADA.hints(
    {
        "one_hot": (
            2,
            {
                "es": "Falta la derivada del primer término, −z_y: solo depende de la puntuación de la clase "
                "correcta de cada fila.",
                "en": "The derivative of the first term, −z_y, is missing: it depends only on the score of each "
                "row's correct class.",
            },
        ),
        "only_one_hot": (
            2,
            {
                "es": "Falta la derivada del segundo término, log Σⱼ e^{z_j}: depende de **todas** las "
                "puntuaciones de la fila.",
                "en": "The derivative of the second term, log Σⱼ e^{z_j}, is missing: it depends on **every** "
                "score of the row.",
            },
        ),
        "unstable": (
            1,
            {
                "es": "Tu gradiente tiene inf o nan con logits grandes: calcula la softmax de forma estable "
                "(tu softmax de la parte 1).",
                "en": "Your gradient has inf or nan for large logits: compute the softmax stably (your softmax "
                "from part 1).",
            },
        ),
        "autograd": (
            1,
            {
                "es": "grad_logits debe calcular el gradiente con NumPy, con la fórmula que deduces; autograd "
                "solo sirve para comparar.",
                "en": "grad_logits must compute the gradient with NumPy, with the formula you derive; autograd "
                "is only there to compare with.",
            },
        ),
    }
)
DERIVADA.attach({"check.hint.mean": 2, "check.hint.sign": 3})
GRADIENTES = Guide("ex06.gradientes", ("07", "Todo se reduce a sumas, multiplicaciones y la regla de la cadena"))
H_GRA = GRADIENTES.hints(
    {
        "dw_shape": (
            2,
            {
                "es": "dW debe tener la forma de W, (salidas, entradas): revisa qué factor va traspuesto.",
                "en": "dW must have W's shape, (outputs, inputs): check which factor is transposed.",
            },
        ),
        "dz": (
            1,
            {
                "es": "El gradiente de la capa parte de ∂L/∂z: comprueba primero que ex06.derivada está superado.",
                "en": "The layer's gradient starts from ∂L/∂z: first make sure ex06.derivada passes.",
            },
        ),
    }
)
GRADIENTES.attach({"check.hint.broadcast_sum": 2, "check.hint.mean": 1, "check.hint.sign": 1})


def _sizes(trial: Trial) -> tuple[int, int, int]:
    """N, D, M all different, so that a transposition shows."""
    n, d, m = (int(v) for v in trial.rng.choice(np.arange(2, 8), size=3, replace=False))
    return n, d, m


def _layer(trial: Trial) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n, d, m = _sizes(trial)
    rng = trial.rng
    return rng.normal(size=(n, d)), rng.normal(size=(m, d)), rng.normal(size=m)


@reference
def reference_softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax with the library."""
    return tensor(z).softmax(dim=1).numpy()


def _logit_cases(trial: Trial) -> list[tuple[str, np.ndarray]]:
    """Ordinary logits, large logits (naive exp overflows), rows of very different scale, huge gaps in a row."""
    rng = trial.rng
    cases = []
    for _ in trial.count(public=1, hidden=2):
        cases.append(("normal", rng.normal(size=(int(rng.integers(2, 6)), int(rng.integers(3, 7))))))
    for _ in trial.count(public=1, hidden=1):
        cases.append(("large", 1000 + 5 * rng.normal(size=(int(rng.integers(2, 5)), int(rng.integers(3, 6))))))
    classes = int(rng.integers(3, 6))
    rows = np.stack([800 + rng.normal(size=classes), -800 + rng.normal(size=classes)])
    cases.append(("rows", rows[rng.permutation(2)]))
    gaps = 300 * rng.normal(size=(int(rng.integers(2, 5)), classes))
    gaps[:, int(rng.integers(classes))] -= 2000  # a class whose probability underflows to 0 in float64
    cases.append(("gaps", gaps))
    return cases


def _labels_for(trial: Trial, kind: str, z: np.ndarray) -> np.ndarray:
    """Random labels; for "gaps", every label is the class far below the others (its log-probability ~ -2000)."""
    if kind == "gaps":
        return np.asarray(np.argmin(z, axis=1))
    return np.asarray(trial.rng.integers(0, z.shape[1], size=z.shape[0]))


@register_check("ex06.softmax", 2, {"es": "Softmax estable", "en": "Stable softmax"}, forbid=NUMPY_ONLY)
@SOFTMAX.part
def softmax(trial: Trial, softmax: Answer) -> None:
    """softmax(z) by rows, finite for logits of any size."""
    for kind, z in _logit_cases(trial):
        got = to_array(call_own(trial, softmax, z.copy(), what="softmax(z)"), "softmax(z)")
        expected = reference_softmax(z)
        if got.shape != expected.shape:
            raise Failed(shape_mismatch("softmax(z)", expected.shape, got.shape, z=z))
        if not close(got, expected, atol=1e-12):
            if not np.isfinite(got).all():
                hint = "check.ex06.hint.row_max" if kind == "rows" else "check.hint.unstable_softmax"
            else:
                hint = diagnose(got, [("check.ex06.hint.softmax_axis", tensor(z).softmax(dim=0).numpy())])
            raise Failed(mismatch("softmax(z)", expected, got, z=z), hint)
        trial.passed()


@reference
def reference_cross_entropy(z: np.ndarray | Tensor, y: np.ndarray) -> Tensor:
    """mean_i -log softmax(z)[i, y_i] with the library (log_softmax is stable)."""
    logits = z if isinstance(z, Tensor) else tensor(z)
    one_hot = np.eye(logits.shape[1])[y]
    return -(logits.log_softmax(dim=1) * tensor(one_hot)).sum(dim=1).mean()


def _labels(trial: Trial, n: int, classes: int) -> np.ndarray:
    return np.asarray(trial.rng.integers(0, classes, size=n))


@register_check("ex06.entropia", 2, {"es": "Entropía cruzada estable", "en": "Stable cross-entropy"}, forbid=NUMPY_ONLY)
@ENTROPIA.part
def entropia(trial: Trial, entropia_cruzada: Answer) -> None:
    """entropia_cruzada(z, y) = mean over the batch of -log softmax(z)[i, y_i], finite for large logits."""
    for kind, z in _logit_cases(trial):
        y = _labels_for(trial, kind, z)
        got = to_float(call_own(trial, entropia_cruzada, z.copy(), y.copy(), what="entropia_cruzada(z, y)"), "pérdida")
        expected = float(reference_cross_entropy(z, y).item())
        if not np.isclose(got, expected, rtol=1e-6, atol=1e-9):
            n = z.shape[0]
            if not np.isfinite(got):
                hint = "check.ex06.hint.row_max" if kind == "rows" else "check.ex06.hint.logsumexp"
            else:
                with np.errstate(all="ignore"):
                    all_classes = -np.mean(np.log(reference_softmax(z)))
                hint = diagnose(
                    np.array(got),
                    [
                        ("check.hint.mean", expected * n),
                        ("check.hint.sign", -expected),
                        ("check.ex06.hint.label_index", all_classes),
                    ],
                )
            raise Failed(mismatch("entropia_cruzada(z, y)", expected, got, z=z, y=y), hint)
        trial.passed()


@reference
def reference_grad_logits(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """d(mean cross-entropy)/dz, by the library's backward."""
    logits = tensor(z, requires_grad=True)
    reference_cross_entropy(logits, y).backward()
    assert logits.grad is not None
    return np.array(logits.grad.numpy(), dtype=np.float64)


@register_check(
    "ex06.derivada",
    4,
    {"es": "El gradiente de la entropía cruzada", "en": "The cross-entropy gradient"},
    forbid=NUMPY_ONLY,
)
@DERIVADA.part
def derivada(trial: Trial, grad_logits: Answer) -> None:
    """grad_logits(z, y) = dL/dz of the mean cross-entropy, (N, C), for ordinary and large logits."""
    for kind, z in _logit_cases(trial):
        y = _labels_for(trial, kind, z)
        got = to_array(call_own(trial, grad_logits, z.copy(), y.copy(), what="grad_logits(z, y)"), "grad_logits(z, y)")
        expected = reference_grad_logits(z, y)
        if got.shape != expected.shape:
            raise Failed(shape_mismatch("grad_logits(z, y)", expected.shape, got.shape, z=z))
        if not close(got, expected, atol=1e-12):
            n = z.shape[0]
            one_hot = np.eye(z.shape[1])[y]
            probabilities = expected * n + one_hot
            if not np.isfinite(got).all():
                hint = H_DER["unstable"]
            else:
                hint = diagnose(
                    got,
                    [
                        ("check.hint.mean", expected * n),
                        (H_DER["one_hot"], probabilities / n),
                        (H_DER["one_hot"], probabilities),
                        (H_DER["only_one_hot"], -one_hot / n),
                        (H_DER["only_one_hot"], -one_hot),
                        ("check.hint.sign", -expected),
                    ],
                )
            raise Failed(mismatch("grad_logits(z, y)", expected, got, z=z, y=y), hint)
        trial.passed()


@reference
def reference_gradients(x: np.ndarray, W: np.ndarray, b: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """dW and db of the cross-entropy of the linear layer, by the library's backward."""
    Wt, bt = tensor(W, requires_grad=True), tensor(b, requires_grad=True)
    reference_cross_entropy(tensor(x) @ Wt.T + bt, y).backward()
    assert Wt.grad is not None and bt.grad is not None
    return Wt.grad.numpy(), bt.grad.numpy()


@register_check("ex06.gradientes", 2, {"es": "Gradientes de la capa", "en": "The layer's gradients"}, forbid=NUMPY_ONLY)
@GRADIENTES.part
def gradientes(trial: Trial, gradientes: Answer) -> None:
    """gradientes(x, W, b, y) = (dW, db) of entropia_cruzada(x @ W.T + b, y), as autograd computes them."""
    for _ in trial.count(public=2, hidden=3):
        x, W, b = _layer(trial)
        y = _labels(trial, x.shape[0], W.shape[0])
        result = to_list(
            call_own(trial, gradientes, x.copy(), W.copy(), b.copy(), y.copy(), what="gradientes(x, W, b, y)"),
            "gradientes",
        )
        if len(result) != 2:
            raise Failed(t("check.ex06.pair", got=len(result)))
        dW, db = to_array(result[0], "dW"), to_array(result[1], "db")
        expected_dW, expected_db = reference_gradients(x, W, b, y)
        n = x.shape[0]
        if db.shape != expected_db.shape:
            hint = "check.hint.broadcast_sum" if db.shape == (n, W.shape[0]) else ""
            raise Failed(shape_mismatch("db", expected_db.shape, db.shape, x=x, W=W, b=b), hint)
        if not close(db, expected_db):
            hint = diagnose(db, [("check.hint.mean", expected_db * n), ("check.hint.sign", -expected_db)])
            raise Failed(mismatch("db", expected_db, db, x=x, W=W, b=b, y=y), hint or H_GRA["dz"])
        if dW.shape != expected_dW.shape:
            raise Failed(shape_mismatch("dW", expected_dW.shape, dW.shape, x=x, W=W, b=b), H_GRA["dw_shape"])
        if not close(dW, expected_dW):
            hint = diagnose(dW, [("check.hint.mean", expected_dW * n), ("check.hint.sign", -expected_dW)])
            raise Failed(mismatch("dW", expected_dW, dW, x=x, W=W, b=b, y=y), hint or H_GRA["dz"])
        trial.passed()
