"""Checks of ex01_tensores: tensors of 0 to 4 dimensions, reshape and dtype, broadcast shapes, which tensors
remember operations."""

from __future__ import annotations


import numpy as np

from ...engine import no_grad
from ...factories import tensor
from ...tensor import Tensor

from ...i18n import register, t
from .core import (
    Answer,
    Failed,
    TensorArg,
    Trial,
    expect_tensor,
    register_check,
    register_exercise,
    shape_mismatch,
    to_bool,
    to_dict,
)
from .core import to_shape as _to_shape
from .guide import Guide
from .own_work import call_own, reference

register_exercise("ex01", {"es": "Tensores", "en": "Tensors"})

register(
    {
        "check.ex01.rank": {
            "es": "{name}.dim() es {got} (forma {shape}), pero debería ser {expected}.",
            "en": "{name}.dim() is {got} (shape {shape}), but it should be {expected}.",
        },
        "check.ex01.channels": {
            "es": "{name} tiene forma {shape}: una imagen RGB lleva sus 3 canales en la dimensión {axis}.",
            "en": "{name} has shape {shape}: an RGB image keeps its 3 channels in dimension {axis}.",
        },
        "check.ex01.dtype": {
            "es": "aplanar(x) devuelve dtype {got}; se pide float32.",
            "en": "aplanar(x) returns dtype {got}; float32 is asked for.",
        },
        "check.ex01.values": {
            "es": "aplanar(x) tiene la forma y el dtype correctos, pero no los valores de x (x.shape = {shape}).",
            "en": "aplanar(x) has the right shape and dtype, but not the values of x (x.shape = {shape}).",
        },
        "check.ex01.broadcast": {
            "es": "forma_broadcast({a}, {b}) devolvió {got}; se esperaba {expected}.",
            "en": "forma_broadcast({a}, {b}) returned {got}; expected {expected}.",
        },
        "check.ex01.missing": {
            "es": "Faltan en recuerdan: {names}.",
            "en": "Missing from recuerdan: {names}.",
        },
        "check.ex01.remember": {
            "es": "{wrong} de tus 7 predicciones no coinciden con lo que hace la biblioteca.",
            "en": "{wrong} of your 7 predictions do not match what the library does.",
        },
    }
)

DIMENSIONES = Guide("ex01.dimensiones", ("01", "Más que un array"))
H_DIM = DIMENSIONES.hints(
    {
        "brackets": (
            1,
            {
                "es": "torch.tensor([5.0]) es 1D (un vector con un elemento); un escalar no lleva corchetes.",
                "en": "torch.tensor([5.0]) is 1D (a vector with one element); a scalar has no brackets.",
            },
        ),
        "rank": (
            3,
            {
                "es": "El número de dimensiones es cuántos índices hacen falta para llegar a un número: "
                "compruébalo con x.dim().",
                "en": "The number of dimensions is how many indices you need to reach one number: "
                "check it with x.dim().",
            },
        ),
        "channels_last": (
            2,
            {
                "es": "PyTorch pone los canales primero: (canales, alto, ancho). (alto, ancho, canales) es el "
                "orden de otras bibliotecas de imágenes.",
                "en": "PyTorch puts the channels first: (channels, height, width). (height, width, channels) is "
                "the order of other image libraries.",
            },
        ),
        "batch_first": (
            2,
            {
                "es": "En un lote, el número de imágenes va delante de todo lo demás.",
                "en": "In a batch, the number of images comes before everything else.",
            },
        ),
    }
)
APLANAR = Guide("ex01.aplanar", ("01", "Forma y tipo"))
H_APL = APLANAR.hints(
    {
        "flatten_batch": (
            1,
            {
                "es": "Aplanaste también la dimensión del lote: cada imagen debe quedar en su propia fila.",
                "en": "You flattened the batch dimension too: each image must stay in a row of its own.",
            },
        ),
        "flatten_rest": (
            2,
            {
                "es": "El resultado debe tener dos dimensiones: una fila por imagen, con todo lo demás aplanado.",
                "en": "The result must have two dimensions: one row per image, with everything else flattened.",
            },
        ),
        "fixed_batch": (
            1,
            {
                "es": "El número de imágenes no siempre es el del ejemplo: sácalo de la forma de x.",
                "en": "The number of images is not always the example's: take it from x's shape.",
            },
        ),
        "dtype": (
            2,
            {
                "es": "Falta convertir el tipo: los píxeles llegan como enteros y se pide float32.",
                "en": "The type still needs converting: the pixels come as integers and float32 is asked for.",
            },
        ),
        "order": (
            3,
            {
                "es": "Los valores están pero en otro orden: reshape conserva el orden de los elementos; no "
                "permutes ni transpongas ejes antes.",
                "en": "The values are there but in another order: reshape keeps the order of the elements; do "
                "not permute or transpose axes first.",
            },
        ),
        "values": (
            3,
            {
                "es": "Cambiar la forma y el tipo no cambia los valores: no escales ni normalices aquí.",
                "en": "Changing the shape and the type does not change the values: do not scale or normalize here.",
            },
        ),
    }
)
BROADCAST = Guide("ex01.broadcast", ("", "3. Broadcasting: cuando las formas no coinciden"))
H_BC = BROADCAST.hints(
    {
        "left": (
            1,
            {
                "es": "Las formas se alinean por la derecha: a la más corta le faltan dimensiones por la izquierda, "
                "y cuentan como 1.",
                "en": "Shapes are aligned on the right: the shorter one lacks dimensions on the left, and they "
                "count as 1.",
            },
        ),
        "one": (
            2,
            {
                "es": "Dos tamaños distintos son compatibles si uno de ellos es 1, y el resultado toma el otro "
                "(aunque el otro sea 0).",
                "en": "Two different sizes are compatible when one of them is 1, and the result takes the other "
                "(even when the other is 0).",
            },
        ),
        "incompatible": (
            2,
            {
                "es": "Si en alguna posición los tamaños son distintos y ninguno es 1, no hay broadcasting: "
                "devuelve None.",
                "en": "When in some position the sizes differ and neither is 1, there is no broadcasting: return None.",
            },
        ),
        "tuple": (
            3,
            {
                "es": "Devuelve la forma como una tupla de enteros, como x.shape.",
                "en": "Return the shape as a tuple of integers, like x.shape.",
            },
        ),
    }
)
GRAD_FN = Guide(
    "ex01.grad_fn",
    ("04", "① Registra operaciones matemáticas"),
    {
        "es": "No te decimos cuáles: repasa cada línea con las dos reglas de la pista 1.",
        "en": "We do not tell you which ones: go through each line with the two rules of hint 1.",
    },
)

DIMENSION_NAMES = ("escalar", "vector", "matriz", "imagen", "lote")


@register_check("ex01.dimensiones", 1, {"es": "Tensores de 0 a 4 dimensiones", "en": "Tensors of 0 to 4 dimensions"})
@DIMENSIONES.part
def dimensiones(trial: Trial, escalar: Answer, vector: Answer, matriz: Answer, imagen: Answer, lote: Answer) -> None:
    """Tensors of 0, 1, 2, 3 and 4 dimensions; the image (3, H, W) and the batch (N, 3, H, W) channels first."""
    for ndim, (name, value) in enumerate(zip(DIMENSION_NAMES, (escalar, vector, matriz, imagen, lote))):
        data = expect_tensor(value, name)
        if data.ndim != ndim:
            hint = H_DIM["brackets"] if ndim == 0 and data.ndim == 1 else H_DIM["rank"]
            raise Failed(t("check.ex01.rank", name=name, expected=ndim, got=data.ndim, shape=data.shape), hint)
        if name in ("imagen", "lote") and data.shape[-3] != 3:
            hint = H_DIM["channels_last"] if data.shape[-1] == 3 else H_DIM["batch_first"]
            raise Failed(t("check.ex01.channels", name=name, shape=data.shape, axis=ndim - 3), hint)
        trial.passed()


@register_check("ex01.aplanar", 3, {"es": "reshape y dtype", "en": "reshape and dtype"})
@APLANAR.part
def aplanar(trial: Trial, aplanar: Answer) -> None:
    """aplanar(x): a batch (N, C, H, W) of int64 pixels -> float32 rows (N, C*H*W), same values in order."""
    for _ in trial.count(public=2, hidden=3):
        n, c = (int(v) for v in trial.rng.integers(3, 7, size=2))
        h, w = (int(v) for v in trial.rng.integers(2, 5, size=2))
        pixels = trial.rng.integers(0, 256, size=(n, c, h, w))
        result = trial.call(aplanar, TensorArg(pixels), what="aplanar(x)", hints={RuntimeError: H_APL["fixed_batch"]})
        data = expect_tensor(result, "aplanar(x)")
        expected = pixels.reshape(n, -1).astype(np.float32)
        if data.shape != expected.shape:
            if data.shape == (pixels.size,):
                hint = H_APL["flatten_batch"]
            elif data.ndim == 2 and data.size == pixels.size:
                hint = H_APL["fixed_batch"]
            elif data.ndim != 2 and data.size == pixels.size:
                hint = H_APL["flatten_rest"]
            else:
                hint = ""
            raise Failed(shape_mismatch("aplanar(x)", expected.shape, data.shape, x=pixels), hint)
        if data.dtype != np.float32:
            raise Failed(t("check.ex01.dtype", got=data.dtype.name), H_APL["dtype"])
        if not np.array_equal(data, expected):
            same_values = np.array_equal(np.sort(data, axis=None), np.sort(expected, axis=None))
            hint = H_APL["order"] if same_values else H_APL["values"]
            raise Failed(t("check.ex01.values", shape=pixels.shape), hint)
        trial.passed()


@reference
def broadcast_shape(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...] | None:
    """The reference: the shape ``a`` and ``b`` broadcast to, or None."""
    try:
        return tuple(int(n) for n in np.broadcast_shapes(a, b))
    except ValueError:
        return None


def _shape_pair(rng: np.random.Generator, compatible: bool) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Two shapes of 0 to 4 dimensions, with sizes 0 to 5 and some 1s; compatible or not."""
    while True:
        full = [int(v) for v in rng.integers(0, 6, size=int(rng.integers(1, 5)))]
        a, b = list(full), list(full)
        for shape in (a, b):
            for i in range(len(shape)):
                if rng.random() < 0.35:
                    shape[i] = 1
        b = b[int(rng.integers(0, len(b) + 1)) :] if rng.random() < 0.6 else b
        if not compatible:
            k = int(rng.integers(len(b))) if b else -1
            if k < 0:
                continue
            b[k] = int(rng.integers(2, 7))
        pair = (tuple(a), tuple(b)) if rng.random() < 0.5 else (tuple(b), tuple(a))
        if (broadcast_shape(*pair) is not None) == compatible:
            return pair


def _broadcast_mistakes(a: tuple[int, ...], b: tuple[int, ...]) -> dict[str, tuple[int, ...] | None]:
    """What the usual wrong rules give for (a, b), by hint name."""
    n = max(len(a), len(b))
    right = ((1,) * (n - len(a)) + a, (1,) * (n - len(b)) + b)
    left = (a + (1,) * (n - len(a)), b + (1,) * (n - len(b)))

    def rule(x: tuple[int, ...], y: tuple[int, ...], larger: bool) -> tuple[int, ...] | None:
        if any(p != q and 1 not in (p, q) for p, q in zip(x, y)):
            return None
        return tuple(max(p, q) if larger else (q if p == 1 else p) for p, q in zip(x, y))

    never_none = tuple(q if p == 1 else p for p, q in zip(*right))
    return {"incompatible": never_none, "left": rule(*left, larger=False), "one": rule(*right, larger=True)}


@register_check("ex01.broadcast", 3, {"es": "La forma del broadcasting", "en": "The broadcast shape"})
@BROADCAST.part
def broadcast(trial: Trial, forma_broadcast: Answer) -> None:
    """forma_broadcast(a, b): the shape a and b broadcast to, or None when they do not (NumPy's rules)."""
    rng = trial.rng
    pairs = [((4, 3), (3,)), ((4, 1), (3,)), ((4, 3), (4,)), ((5, 1, 4), (3, 1)), ((0, 3), (1, 3)), ((2, 3), (3, 1))]
    for _ in trial.count(public=4, hidden=8):
        pairs.append(_shape_pair(rng, compatible=bool(rng.random() < 0.7)))
    for a, b in pairs:
        what = f"forma_broadcast({a}, {b})"
        got = call_own(trial, forma_broadcast, a, b, what=what, library_allowed=True, none_is_pending=False)
        expected = broadcast_shape(a, b)
        shape = got
        if got is not None:
            if not isinstance(got, (list, tuple)):
                raise Failed(t("check.ex01.broadcast", a=a, b=b, got=got, expected=expected), H_BC["tuple"])
            shape = _to_shape(got, f"forma_broadcast({a}, {b})")
        if shape != expected:
            mistakes = _broadcast_mistakes(a, b)
            hint = next((H_BC[name] for name, value in mistakes.items() if value == shape), "")
            raise Failed(t("check.ex01.broadcast", a=a, b=b, got=shape, expected=expected), hint)
        trial.passed()


SNIPPET = """a = torch.tensor(2.0, requires_grad=True)
b = torch.tensor(3.0)
c = a * b
d = b * 2
e = c.detach()
with torch.no_grad():
    f = a * 3
g = c + d"""


def snippet_tensors() -> dict[str, Tensor]:
    """Run the exercise's snippet (``SNIPPET``) with the library and return its tensors by name."""
    a = tensor(2.0, requires_grad=True)
    b = tensor(3.0)
    c = a * b
    d = b * 2
    e = c.detach()
    with no_grad():
        f = a * 3
    g = c + d
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g}


@register_check(
    "ex01.grad_fn", 3, {"es": "Qué tensores recuerdan operaciones", "en": "Which tensors remember operations"}
)
@GRAD_FN.part
def grad_fn(trial: Trial, recuerdan: Answer) -> None:
    """recuerdan[name] is True exactly for the snippet's tensors that have a grad_fn (the feedback says how many
    predictions are wrong, not which)."""
    answers = to_dict(recuerdan, "recuerdan")
    truth = {name: value.grad_fn is not None for name, value in snippet_tensors().items()}
    missing = [name for name in truth if name not in answers]
    if missing:
        raise Failed(t("check.ex01.missing", names=", ".join(missing)))
    wrong = sum(to_bool(answers[name], f"recuerdan[{name!r}]") != remembers for name, remembers in truth.items())
    if wrong:
        raise Failed(t("check.ex01.remember", wrong=wrong))
    trial.passed()
