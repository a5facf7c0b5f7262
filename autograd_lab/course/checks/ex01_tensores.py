"""Checks of ex01_tensores: ranks 0D-4D, image shapes, reshape and dtype, which tensors remember operations."""

from __future__ import annotations


import numpy as np

from ...engine import no_grad
from ...tensor import Tensor
from ...factories import tensor
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

register_exercise("ex01", {"es": "Tensores", "en": "Tensors"})

register(
    {
        "check.ex01.rank": {
            "es": "{name}.dim() es {got} (forma {shape}), pero debería ser {expected}.",
            "en": "{name}.dim() is {got} (shape {shape}), but it should be {expected}.",
        },
        "check.ex01.hint.brackets": {
            "es": "torch.tensor([5.0]) es 1D (un vector con un elemento); un escalar 0D se escribe sin corchetes: "
            "torch.tensor(5.0).",
            "en": "torch.tensor([5.0]) is 1D (a vector with one element); a 0D scalar has no brackets: "
            "torch.tensor(5.0).",
        },
        "check.ex01.hint.rank": {
            "es": "El rango es el número de índices que hacen falta para llegar a un número: x.dim() o len(x.shape).",
            "en": "The rank is the number of indices needed to reach one number: x.dim() or len(x.shape).",
        },
        "check.ex01.shape": {
            "es": "{name} = {got} no es la forma pedida.",
            "en": "{name} = {got} is not the requested shape.",
        },
        "check.ex01.hint.channels_last": {
            "es": "PyTorch pone los canales primero: (canales, alto, ancho). (alto, ancho, canales) es el orden "
            "de otras bibliotecas de imágenes.",
            "en": "PyTorch puts channels first: (channels, height, width). (height, width, channels) is the order "
            "of other image libraries.",
        },
        "check.ex01.hint.image": {
            "es": "Una imagen RGB tiene 3 canales (rojo, verde, azul), cada uno una matriz de alto × ancho.",
            "en": "An RGB image has 3 channels (red, green, blue), each a height × width matrix.",
        },
        "check.ex01.hint.batch_first": {
            "es": "El lote es la primera dimensión: (N, canales, alto, ancho).",
            "en": "The batch is the first dimension: (N, channels, height, width).",
        },
        "check.ex01.hint.batch_missing": {
            "es": "Falta la dimensión del lote: 32 imágenes apiladas añaden una dimensión al principio.",
            "en": "The batch dimension is missing: stacking 32 images adds a dimension in front.",
        },
        "check.ex01.hint.shape_not_tensor": {
            "es": "Se pide la forma (una tupla como (2, 3)), no el tensor: usa x.shape.",
            "en": "The shape is asked for (a tuple such as (2, 3)), not the tensor: use x.shape.",
        },
        "check.ex01.hint.flatten_batch": {
            "es": "Aplanaste también la dimensión del lote: consérvala con x.reshape(x.shape[0], -1).",
            "en": "You flattened the batch dimension too: keep it with x.reshape(x.shape[0], -1).",
        },
        "check.ex01.hint.flatten_rest": {
            "es": "Cada imagen debe quedar en una sola fila: aplana todo salvo el lote, x.reshape(x.shape[0], -1).",
            "en": "Each image must become one row: flatten everything but the batch, x.reshape(x.shape[0], -1).",
        },
        "check.ex01.dtype": {
            "es": "aplanar(x) devuelve dtype {got}; se pide float32.",
            "en": "aplanar(x) returns dtype {got}; float32 is asked for.",
        },
        "check.ex01.hint.dtype": {
            "es": "Convierte con .float() (o .to(torch.float32)): las redes trabajan con float32.",
            "en": "Convert with .float() (or .to(torch.float32)): networks work in float32.",
        },
        "check.ex01.values": {
            "es": "aplanar(x) tiene la forma y el dtype correctos, pero no los valores de x (x.shape = {shape}).",
            "en": "aplanar(x) has the right shape and dtype, but not the values of x (x.shape = {shape}).",
        },
        "check.ex01.hint.order": {
            "es": "Los valores están pero en otro orden: reshape conserva el orden de los elementos; no permutes "
            "ni transpongas ejes antes.",
            "en": "The values are there but in another order: reshape keeps the order of the elements; do not "
            "permute or transpose axes first.",
        },
        "check.ex01.hint.values": {
            "es": "reshape y el cambio de dtype no cambian los valores: no escales ni normalices aquí.",
            "en": "reshape and a dtype change do not change the values: do not scale or normalize here.",
        },
        "check.ex01.missing": {
            "es": "Faltan en recuerdan: {names}.",
            "en": "Missing from recuerdan: {names}.",
        },
        "check.ex01.remember": {
            "es": "recuerdan[{name!r}] = {got}, pero {name}.grad_fn es {actual}.",
            "en": "recuerdan[{name!r}] = {got}, but {name}.grad_fn is {actual}.",
        },
        "check.ex01.hint.a": {
            "es": "a es una hoja: la creaste tú, no sale de ninguna operación. Tiene requires_grad=True "
            "pero grad_fn=None.",
            "en": "a is a leaf: you created it, it comes from no operation. It has requires_grad=True "
            "but grad_fn=None.",
        },
        "check.ex01.hint.b": {
            "es": "b es un dato creado directamente y sin requires_grad: no recuerda nada.",
            "en": "b is data created directly and without requires_grad: it remembers nothing.",
        },
        "check.ex01.hint.c": {
            "es": "c = a * b y a requiere gradiente: c recuerda la multiplicación (MulBackward).",
            "en": "c = a * b and a requires grad: c remembers the multiplication (MulBackward).",
        },
        "check.ex01.hint.d": {
            "es": "d solo depende de b, que no requiere gradiente: no hay nada que registrar.",
            "en": "d depends only on b, which does not require grad: there is nothing to record.",
        },
        "check.ex01.hint.e": {
            "es": "detach() devuelve los mismos números separados del grafo: e no recuerda nada.",
            "en": "detach() returns the same numbers cut off from the graph: e remembers nothing.",
        },
        "check.ex01.hint.f": {
            "es": "Dentro de torch.no_grad() no se registra ninguna operación.",
            "en": "Inside torch.no_grad() no operation is recorded.",
        },
        "check.ex01.hint.g": {
            "es": "g = c + d y c está en el grafo: g también recuerda (AddBackward); el grafo sigue creciendo.",
            "en": "g = c + d and c is in the graph: g remembers too (AddBackward); the graph keeps growing.",
        },
    }
)

RANK_NAMES = ("escalar", "vector", "matriz", "cubo", "lote")
IMAGE_SHAPE = (3, 224, 224)
BATCH_SHAPE = (32, 3, 224, 224)


@register_check("ex01.rangos", 2, {"es": "Tensores de rango 0 a 4", "en": "Tensors of rank 0 to 4"})
def rangos(trial: Trial, escalar: Answer, vector: Answer, matriz: Answer, cubo: Answer, lote: Answer) -> None:
    """Each answer is a tensor of the rank its name says: 0, 1, 2, 3 and 4 dimensions."""
    for rank, (name, value) in enumerate(zip(RANK_NAMES, (escalar, vector, matriz, cubo, lote))):
        data = expect_tensor(value, name)
        if data.ndim != rank:
            hint = "check.ex01.hint.brackets" if rank == 0 and data.ndim == 1 else "check.ex01.hint.rank"
            raise Failed(t("check.ex01.rank", name=name, expected=rank, got=data.ndim, shape=data.shape), hint)
        trial.passed()


@register_check(
    "ex01.imagen", 2, {"es": "La forma de una imagen y de un lote", "en": "The shape of an image and a batch"}
)
def imagen(trial: Trial, forma_imagen: Answer, forma_lote: Answer) -> None:
    """(3, 224, 224) for an RGB image in PyTorch's order, (32, 3, 224, 224) for a batch of 32."""
    image = _to_shape(forma_imagen, "forma_imagen")
    if image != IMAGE_SHAPE:
        hint = "check.ex01.hint.channels_last" if image == (224, 224, 3) else "check.ex01.hint.image"
        raise Failed(t("check.ex01.shape", name="forma_imagen", got=image), hint)
    trial.passed()
    batch = _to_shape(forma_lote, "forma_lote")
    if batch != BATCH_SHAPE:
        if batch in ((32, 224, 224, 3), (224, 224, 3, 32)):
            hint = "check.ex01.hint.channels_last"
        elif sorted(batch) == sorted(BATCH_SHAPE):
            hint = "check.ex01.hint.batch_first"
        elif batch == IMAGE_SHAPE:
            hint = "check.ex01.hint.batch_missing"
        else:
            hint = "check.ex01.hint.image"
        raise Failed(t("check.ex01.shape", name="forma_lote", got=batch), hint)
    trial.passed()


@register_check("ex01.aplanar", 3, {"es": "reshape y dtype", "en": "reshape and dtype"})
def aplanar(trial: Trial, aplanar: Answer) -> None:
    """aplanar(x): a batch (N, C, H, W) of int64 pixels -> float32 rows (N, C*H*W), same values in order."""
    for _ in trial.count(public=2, hidden=3):
        n, c = (int(v) for v in trial.rng.integers(2, 6, size=2))
        h, w = (int(v) for v in trial.rng.integers(2, 5, size=2))
        pixels = trial.rng.integers(0, 256, size=(n, c, h, w))
        result = trial.call(aplanar, TensorArg(pixels), what="aplanar(x)")
        data = expect_tensor(result, "aplanar(x)")
        expected = pixels.reshape(n, -1).astype(np.float32)
        if data.shape != expected.shape:
            if data.shape == (pixels.size,):
                hint = "check.ex01.hint.flatten_batch"
            elif data.ndim != 2 and data.size == pixels.size:
                hint = "check.ex01.hint.flatten_rest"
            else:
                hint = ""
            raise Failed(shape_mismatch("aplanar(x)", expected.shape, data.shape, x=pixels), hint)
        if data.dtype != np.float32:
            raise Failed(t("check.ex01.dtype", got=data.dtype.name), "check.ex01.hint.dtype")
        if not np.array_equal(data, expected):
            same_values = np.array_equal(np.sort(data, axis=None), np.sort(expected, axis=None))
            hint = "check.ex01.hint.order" if same_values else "check.ex01.hint.values"
            raise Failed(t("check.ex01.values", shape=pixels.shape), hint)
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
def grad_fn(trial: Trial, recuerdan: Answer) -> None:
    """recuerdan[name] is True exactly for the snippet's tensors that have a grad_fn."""
    answers = to_dict(recuerdan, "recuerdan")
    truth = {name: value.grad_fn is not None for name, value in snippet_tensors().items()}
    missing = [name for name in truth if name not in answers]
    if missing:
        raise Failed(t("check.ex01.missing", names=", ".join(missing)))
    for name, remembers in truth.items():
        answer = to_bool(answers[name], f"recuerdan[{name!r}]")
        if answer != remembers:
            actual = "None" if not remembers else "<...Backward>"
            raise Failed(t("check.ex01.remember", name=name, got=answer, actual=actual), f"check.ex01.hint.{name}")
        trial.passed()
