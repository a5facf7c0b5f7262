"""Checks of ex07_red_desde_cero: a two-layer network in NumPy, its hand-written backward, trained on digits.

The network is ``logits = relu(X @ W1.T + b1) @ W2.T + b2`` with the mean
cross-entropy loss; parameters travel in a dict with keys W1, b1, W2, b2.
The gradients are checked against the library's backward; the training check
runs the student's ``entrenar`` on the real digits and measures test accuracy
with its own forward pass.
"""

from __future__ import annotations

from typing import Any

import numpy as np
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
    to_dict,
    to_list,
)
from .ex06_capas import reference_cross_entropy
from .wire import Handle

register_exercise("ex07", {"es": "Una red desde cero", "en": "A network from scratch"})

register(
    {
        "check.ex07.missing": {
            "es": "{name} no tiene las claves {keys}: usa un diccionario con W1, b1, W2 y b2.",
            "en": "{name} lacks the keys {keys}: use a dict with W1, b1, W2 and b2.",
        },
        "check.ex07.shape": {
            "es": "{name} tiene forma {got}; se esperaba {expected}.",
            "en": "{name} has shape {got}; expected {expected}.",
        },
        "check.ex07.hint.weight_shape": {
            "es": "Como en PyTorch, cada W tiene forma (salidas, entradas): W1 (n_oculta, n_entrada), "
            "W2 (n_salida, n_oculta); los sesgos, (salidas,).",
            "en": "As in PyTorch, each W has shape (outputs, inputs): W1 (n_oculta, n_entrada), "
            "W2 (n_salida, n_oculta); the biases, (outputs,).",
        },
        "check.ex07.not_finite": {
            "es": "{name} contiene inf o nan.",
            "en": "{name} contains inf or nan.",
        },
        "check.ex07.symmetric": {
            "es": "Todos los pesos de {name} son iguales.",
            "en": "All the weights of {name} are equal.",
        },
        "check.ex07.hint.symmetry": {
            "es": "Con pesos iguales (por ejemplo, ceros) todas las neuronas calculan lo mismo y reciben el mismo "
            "gradiente: nunca se diferencian. Inicializa los pesos al azar y los sesgos a cero.",
            "en": "With equal weights (zeros, say) every neuron computes the same thing and gets the same "
            "gradient: they never become different. Initialize weights at random and biases at zero.",
        },
        "check.ex07.scale": {
            "es": "La desviación típica de {name} es {std}; para esta red conviene del orden de 1/√entradas "
            "(≈ {target}).",
            "en": "The standard deviation of {name} is {std}; this network wants about 1/√inputs (≈ {target}).",
        },
        "check.ex07.hint.scale": {
            "es": "Los pesos deben ser pequeños: divídelos entre la raíz del número de entradas de su capa.",
            "en": "The weights must be small: divide them by the square root of their layer's number of inputs.",
        },
        "check.ex07.seed": {
            "es": "inicializar con la misma semilla debe dar los mismos parámetros, y con otra semilla, otros.",
            "en": "inicializar must give the same parameters for the same seed, and other ones for another seed.",
        },
        "check.ex07.hint.seed": {
            "es": "Crea el generador con la semilla que recibe la función (no con una fija, ni sin semilla).",
            "en": "Create the generator from the seed the function receives (not a fixed one, nor none).",
        },
        "check.ex07.forward_pair": {
            "es": "forward debe devolver (logits, cache); devolvió {got} valores.",
            "en": "forward must return (logits, cache); it returned {got} values.",
        },
        "check.ex07.hint.relu": {
            "es": "Falta la ReLU en la capa oculta: h es z1 con los valores negativos puestos a 0.",
            "en": "The ReLU of the hidden layer is missing: h is z1 with the negative values set to 0.",
        },
        "check.ex07.hint.forward_first": {
            "es": "Arregla primero forward (ex07.forward): backward parte de su cache.",
            "en": "Fix forward first (ex07.forward): backward starts from its cache.",
        },
        "check.ex07.hint.relu_mask": {
            "es": "El gradiente no atraviesa la ReLU donde la neurona estaba apagada (z1 ≤ 0): anúlalo ahí "
            "antes de seguir hacia W1 y b1.",
            "en": "The gradient does not go through the ReLU where the neuron was off (z1 ≤ 0): zero it there "
            "before going on to W1 and b1.",
        },
        "check.ex07.accuracy": {
            "es": "Con los parámetros que devolvió entrenar, la exactitud en test es {accuracy:.3f}; se pide "
            "al menos 0.95.",
            "en": "With the parameters entrenar returned, the test accuracy is {accuracy:.3f}; at least 0.95 "
            "is required.",
        },
        "check.ex07.hint.train_more": {
            "es": "Comprueba antes que ex07.backward está superado. Después prueba más épocas o más neuronas "
            "ocultas, o una tasa de aprendizaje mayor si la pérdida baja muy despacio. Con una tasa alta, el "
            "último lote pequeño de cada época puede bastar para estropear el entrenamiento: prueba a saltarlo.",
            "en": "First make sure ex07.backward passes. Then try more epochs or more hidden neurons, or a "
            "larger learning rate if the loss goes down very slowly. With a high rate, the small last batch of "
            "each epoch can be enough to spoil the training: try skipping it.",
        },
        "check.ex07.hint.diverged": {
            "es": "El entrenamiento divergió: baja la tasa de aprendizaje.",
            "en": "Training diverged: lower the learning rate.",
        },
        "check.ex07.hint.transpose": {
            "es": "W tiene forma (salidas, entradas), como en PyTorch: cada capa multiplica por la traspuesta.",
            "en": "W has shape (outputs, inputs), as in PyTorch: each layer multiplies by the transpose.",
        },
        "check.ex07.hint.bias": {
            "es": "Falta sumar un sesgo (a cada fila, por broadcasting).",
            "en": "A bias is missing (added to every row, by broadcasting).",
        },
        "check.ex07.hint.dz": {
            "es": "Empieza por ∂L/∂logits (tu grad_logits del ejercicio 6) y sigue capa a capa hacia atrás.",
            "en": "Start from ∂L/∂logits (your grad_logits from exercise 6) and go back layer by layer.",
        },
        "check.ex07.hiper": {
            "es": "hiper debe ser un diccionario con {keys}: {problem}.",
            "en": "hiper must be a dict with {keys}: {problem}.",
        },
        "check.ex07.hint.hiper": {
            "es": "Épocas, tamaño de lote y neuronas ocultas son enteros positivos; la tasa de aprendizaje, un "
            "número positivo. Con más de {max_epochs} épocas la comprobación tardaría demasiado.",
            "en": "Epochs, batch size and hidden neurons are positive integers; the learning rate, a positive "
            "number. With more than {max_epochs} epochs the check would take too long.",
        },
        "check.ex07.trained": {
            "es": "Exactitud en test con tu red: {accuracy:.3f}.",
            "en": "Test accuracy of your network: {accuracy:.3f}.",
        },
    }
)

INICIALIZAR = Guide("ex07.inicializar", ("", "1. Inicializar los parámetros"))
INICIALIZAR.attach(
    {
        "check.ex07.hint.weight_shape": 1,
        "check.ex07.hint.symmetry": 2,
        "check.ex07.hint.scale": 2,
        "check.ex07.hint.seed": 3,
    }
)
FORWARD = Guide("ex07.forward", ("07", "No hay reglas especiales para redes neuronales"))
FORWARD.attach({"check.ex07.hint.transpose": 2, "check.ex07.hint.relu": 2, "check.ex07.hint.bias": 1})
BACKWARD = Guide("ex07.backward", ("03", "Cada parámetro requiere una derivada parcial"))
BACKWARD.attach(
    {
        "check.ex07.hint.forward_first": 1,
        "check.hint.broadcast_sum": 2,
        "check.ex07.hint.weight_shape": 1,
        "check.hint.mean": 2,
        "check.hint.sign": 2,
        "check.ex07.hint.relu_mask": 2,
        "check.ex07.hint.dz": 2,
    }
)
ENTRENAR = Guide("ex07.entrenar", ("08", "Optimizadores = usar los gradientes calculados"))
ENTRENAR.attach({"check.ex07.hint.train_more": 2, "check.ex07.hint.diverged": 2, "check.ex07.hint.hiper": 3})

KEYS = ("W1", "b1", "W2", "b2")
Params = dict[str, np.ndarray]


def params_of(value: Any, name: str) -> Params:
    """The dict of parameters as float64 arrays; a clear failure for missing keys."""
    answers = to_dict(value, name)
    missing = [key for key in KEYS if key not in answers]
    if missing:
        raise Failed(t("check.ex07.missing", name=name, keys=", ".join(missing)))
    return {key: to_array(answers[key], f"{name}[{key!r}]") for key in KEYS}


def expected_shapes(inputs: int, hidden: int, outputs: int) -> dict[str, tuple[int, ...]]:
    """The shape of each parameter, PyTorch's layout: W (outputs, inputs), b (outputs,)."""
    return {"W1": (hidden, inputs), "b1": (hidden,), "W2": (outputs, hidden), "b2": (outputs,)}


def _check_shapes(params: Params, shapes: dict[str, tuple[int, ...]], name: str) -> None:
    for key, shape in shapes.items():
        if params[key].shape != shape:
            got = params[key].shape
            raise Failed(
                t("check.ex07.shape", name=f"{name}[{key!r}]", got=got, expected=shape), "check.ex07.hint.weight_shape"
            )
        if not np.isfinite(params[key]).all():
            raise Failed(t("check.ex07.not_finite", name=f"{name}[{key!r}]"))


@reference
def random_params(rng: np.random.Generator, inputs: int, hidden: int, outputs: int) -> Params:
    """Random parameters of the right shapes (not zero biases, so a missing bias shows)."""
    return {
        "W1": rng.normal(size=(hidden, inputs)) / np.sqrt(inputs),
        "b1": 0.3 * rng.normal(size=hidden),
        "W2": rng.normal(size=(outputs, hidden)) / np.sqrt(hidden),
        "b2": 0.3 * rng.normal(size=outputs),
    }


@reference
def reference_logits(params: Params, X: np.ndarray) -> np.ndarray:
    """relu(X @ W1.T + b1) @ W2.T + b2 with the library's tensors."""
    p = {key: tensor(value) for key, value in params.items()}
    hidden = (tensor(X) @ p["W1"].T + p["b1"]).relu()
    return (hidden @ p["W2"].T + p["b2"]).numpy()


@reference
def reference_gradients(params: Params, X: np.ndarray, y: np.ndarray) -> Params:
    """The gradients of the mean cross-entropy with respect to every parameter, by the library's backward."""
    p = {key: tensor(value, requires_grad=True) for key, value in params.items()}
    hidden = (tensor(X) @ p["W1"].T + p["b1"]).relu()
    reference_cross_entropy(hidden @ p["W2"].T + p["b2"], y).backward()
    return {key: p[key].grad.numpy() for key in KEYS}  # type: ignore[union-attr]


def gradients_without_relu_mask(params: Params, X: np.ndarray, y: np.ndarray) -> Params:
    """The usual mistake: backprop through the hidden layer as if ReLU had derivative 1 everywhere."""
    z1 = X @ params["W1"].T + params["b1"]
    h = np.maximum(z1, 0)
    logits = h @ params["W2"].T + params["b2"]
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    dz2 = (p - np.eye(logits.shape[1])[y]) / len(y)
    dz1 = dz2 @ params["W2"]
    return {"W1": dz1.T @ X, "b1": dz1.sum(axis=0), "W2": dz2.T @ h, "b2": dz2.sum(axis=0)}


def _sizes(trial: Trial) -> tuple[int, int, int, int]:
    """inputs, hidden, outputs, batch: four different sizes."""
    inputs, hidden, outputs, batch = (int(v) for v in trial.rng.choice(np.arange(3, 12), size=4, replace=False))
    return inputs, hidden, outputs, batch


@register_check(
    "ex07.inicializar", 1, {"es": "Inicializar los parámetros", "en": "Initialize the parameters"}, forbid=NUMPY_ONLY
)
@INICIALIZAR.part
def inicializar(trial: Trial, inicializar: Answer) -> None:
    """inicializar(n_entrada, n_oculta, n_salida, semilla): PyTorch-shaped, random, seeded, sensibly scaled."""
    for _ in trial.count(public=1, hidden=2):
        inputs, hidden, outputs, _ = _sizes(trial)
        seed = int(trial.rng.integers(0, 2**31))
        args = (inputs, hidden, outputs, seed)
        what = f"inicializar({inputs}, {hidden}, {outputs}, {seed})"
        params = params_of(call_own(trial, inicializar, *args, what=what), "params")
        _check_shapes(params, expected_shapes(inputs, hidden, outputs), "params")
        for key, fan_in in (("W1", inputs), ("W2", hidden)):
            if np.ptp(params[key]) == 0:
                raise Failed(t("check.ex07.symmetric", name=key), "check.ex07.hint.symmetry")
            std, target = float(params[key].std()), 1 / np.sqrt(fan_in)
            if not target / 4 <= std <= target * 4:
                raise Failed(
                    t("check.ex07.scale", name=key, std=f"{std:.3g}", target=f"{target:.3g}"), "check.ex07.hint.scale"
                )
        again = params_of(call_own(trial, inicializar, *args, what=what), "params")
        other = params_of(call_own(trial, inicializar, inputs, hidden, outputs, seed + 1, what=what), "params")
        same = all(np.array_equal(params[key], again[key]) for key in KEYS)
        if not same or np.array_equal(params["W1"], other["W1"]):
            raise Failed(t("check.ex07.seed"), "check.ex07.hint.seed")
        trial.passed()


def _forward_case(trial: Trial) -> tuple[Params, np.ndarray, np.ndarray]:
    inputs, hidden, outputs, batch = _sizes(trial)
    params = random_params(trial.rng, inputs, hidden, outputs)
    X = trial.rng.normal(size=(batch, inputs))
    y = trial.rng.integers(0, outputs, size=batch)
    return params, X, y


def _copy(params: Params) -> Params:
    return {key: value.copy() for key, value in params.items()}


def _run_forward(
    trial: Trial, forward: Answer, params: Params, X: np.ndarray, hint: str = ""
) -> tuple[np.ndarray, Handle]:
    """The student's logits, checked against the library, and its cache (left in the kernel)."""
    value, kept = call_own(trial, forward, params, X, what="forward(params, X)", keep=True)
    result = to_list(value, "forward(params, X)")
    if len(result) != 2:
        raise Failed(t("check.ex07.forward_pair", got=len(result)), hint)
    logits = to_array(result[0], "logits")
    expected = reference_logits(params, X)
    if logits.shape != expected.shape:
        raise Failed(
            shape_mismatch("logits", expected.shape, logits.shape, X=X, **params), hint or "check.ex07.hint.transpose"
        )
    if not close(logits, expected):
        if not hint:
            W1, b1, W2, b2 = (params[key] for key in KEYS)
            hint = diagnose(
                logits,
                [
                    ("check.ex07.hint.relu", (X @ W1.T + b1) @ W2.T + b2),
                    ("check.ex07.hint.bias", np.maximum(X @ W1.T, 0) @ W2.T),
                ],
            )
        raise Failed(mismatch("logits", expected, logits, X=X), hint)
    return logits, kept[1]


@register_check("ex07.forward", 2, {"es": "forward", "en": "forward"}, forbid=NUMPY_ONLY)
@FORWARD.part
def forward(trial: Trial, forward: Answer) -> None:
    """forward(params, X) = (relu(X @ W1.T + b1) @ W2.T + b2, cache)."""
    for _ in trial.count(public=2, hidden=3):
        params, X, _ = _forward_case(trial)
        _run_forward(trial, forward, params, X)
        trial.passed()


@register_check("ex07.backward", 3, {"es": "backward a mano", "en": "backward by hand"}, forbid=NUMPY_ONLY)
@BACKWARD.part
def backward(trial: Trial, forward: Answer, backward: Answer) -> None:
    """backward(params, cache, y) = the gradients of the mean cross-entropy, as the library's backward gives them."""
    for _ in trial.count(public=2, hidden=3):
        params, X, y = _forward_case(trial)
        _, cache = _run_forward(trial, forward, params, X, hint="check.ex07.hint.forward_first")
        grads = params_of(call_own(trial, backward, params, cache, y, what="backward(params, cache, y)"), "grads")
        expected = reference_gradients(params, X, y)
        unmasked = gradients_without_relu_mask(params, X, y)
        n = len(y)
        for key in ("W2", "b2", "W1", "b1"):
            got, want = grads[key], expected[key]
            if got.shape != want.shape:
                hint = (
                    "check.hint.broadcast_sum"
                    if key.startswith("b") and got.shape == (n, *want.shape)
                    else "check.ex07.hint.weight_shape"
                )
                raise Failed(shape_mismatch(f"grads[{key!r}]", want.shape, got.shape, X=X), hint)
            if not close(got, want):
                hint = diagnose(
                    got,
                    [
                        ("check.hint.mean", want * n),
                        ("check.hint.sign", -want),
                        ("check.ex07.hint.relu_mask", unmasked[key]),
                    ],
                )
                raise Failed(mismatch(f"grads[{key!r}]", want, got, X=X, y=y), hint or "check.ex07.hint.dz")
        trial.passed()


def digits_split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The real digits scaled to [0, 1]: X_train, X_test, y_train, y_test (test_size=0.25, seed=0)."""
    from ... import data

    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.25, seed=0)
    return (
        np.asarray(X_train, dtype=np.float64) / 16,
        np.asarray(X_test, dtype=np.float64) / 16,
        np.asarray(y_train),
        np.asarray(y_test),
    )


def accuracy(params: Params, X: np.ndarray, y: np.ndarray) -> float:
    """The fraction of rows whose largest logit is the right class (the check's own forward pass)."""
    return float(np.mean(reference_logits(params, X).argmax(axis=1) == y))


HIPER_KEYS = ("epocas", "lr", "tam_lote", "n_oculta")


def diverged(params: Params) -> bool:
    """Weights that blew up: far beyond anything a working network of this size needs (a few units at most)."""
    return any(float(np.abs(params[key]).max()) > 100 for key in KEYS)


MAX_EPOCHS = 200


def hyperparameters(value: Answer) -> dict[str, Any]:
    """The student's hyperparameters, checked for type and range (so that the training ends in seconds)."""
    hiper = to_dict(value, "hiper")
    keys = ", ".join(HIPER_KEYS)
    missing = [key for key in HIPER_KEYS if key not in hiper]
    if missing:
        raise Failed(t("check.ex07.hiper", keys=keys, problem=", ".join(missing)), "check.ex07.hint.hiper")
    result: dict[str, Any] = {}
    for key in HIPER_KEYS:
        number = hiper[key]
        if key == "lr":
            ok = type(number) in (int, float) and 0 < number < 100
        else:
            ok = type(number) is int and number > 0
            ok = ok and number <= {"epocas": MAX_EPOCHS, "tam_lote": 1347, "n_oculta": 1024}[key]
        if not ok:
            problem = f"{key} = {number!r}"
            raise Failed(t("check.ex07.hiper", keys=keys, problem=problem), "check.ex07.hint.hiper")
        result[key] = number
    return result


@register_check("ex07.entrenar", 4, {"es": "Entrenar con los dígitos", "en": "Train on the digits"}, forbid=NUMPY_ONLY)
@ENTRENAR.part
def entrenar(trial: Trial, entrenar: Answer, hiper: Answer) -> str:
    """entrenar(X_train, y_train, semilla, hiper), with the student's own hyperparameters, reaches >= 95% accuracy
    on the test digits."""
    chosen = hyperparameters(hiper)
    X_train, X_test, y_train, y_test = digits_split()
    for _ in trial.count(public=1, hidden=1):
        seed = int(trial.rng.integers(0, 1000))
        what = "entrenar(X_train, y_train, semilla, hiper)"
        trained = call_own(trial, entrenar, X_train.copy(), y_train.copy(), seed, chosen, what=what)
        params = params_of(trained, "params")
        if not all(np.isfinite(params[key]).all() for key in KEYS):
            raise Failed(t("check.ex07.not_finite", name="params"), "check.ex07.hint.diverged")
        hidden = params["W1"].shape[0] if params["W1"].ndim == 2 else -1
        _check_shapes(params, expected_shapes(X_train.shape[1], hidden, 10), "params")
        score = accuracy(params, X_test, y_test)
        if score < 0.95:
            hint = "check.ex07.hint.diverged" if diverged(params) else "check.ex07.hint.train_more"
            raise Failed(t("check.ex07.accuracy", accuracy=score), hint)
        trial.passed()
    return t("check.ex07.trained", accuracy=score)
