"""autograd_lab: how PyTorch computes gradients, with no magic.

A small numpy library with PyTorch's API (``import autograd_lab as torch``),
widgets that draw the computational graph, and a course built on both.
"""

# tensor first: it imports ops, which builds on function, which builds on Tensor.
from .tensor import Tensor  # isort: skip
from . import autograd
from . import data, nn, optim
from .course.i18n import get_language, set_language
from .engine import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .function import Function
from .functional import *  # noqa: F403  (exp, cat, stack, ...)
from .gradcheck import gradcheck, gradgradcheck
from .tensor import (
    MaxResult,
    Size,
    arange,
    as_tensor,
    device,
    dtype,
    empty,
    eye,
    float16,
    float32,
    float64,
    from_numpy,
    full,
    full_like,
    get_default_dtype,
    int8,
    int16,
    int32,
    int64,
    linspace,
    manual_seed,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    set_default_dtype,
    tensor,
    uint8,
    where,
    zeros,
    zeros_like,
)
from .tensor import bool_ as bool  # noqa: A004  (PyTorch's name for the dtype)

__version__ = "0.1.0"

float = float32  # noqa: A001  (PyTorch's aliases: torch.float, torch.double, ...)
double = float64
half = float16
long = int64
int = int32  # noqa: A001
