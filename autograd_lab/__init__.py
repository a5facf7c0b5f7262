"""autograd_lab: how PyTorch computes gradients, with no magic.

A small numpy library with PyTorch's API (``import autograd_lab as torch``),
widgets that draw the computational graph, and a course built on both.
"""

# The core first, in the order a student reads it; methods and inplace add Tensor's operators.
from .tensor import Tensor  # isort: skip
from . import methods, inplace, extras  # isort: skip
from . import autograd
from . import cuda, data, linalg, nn, optim, utils
from .serialization import load, save
from . import viz
from .i18n import get_language, set_language
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .function import Function
from .functional import *  # noqa: F403  (exp, cat, stack, ...)
from .gradcheck import gradcheck, gradgradcheck
from .dtypes import (
    Size,
    device,
    dtype,
    finfo,
    float16,
    float32,
    float64,
    get_default_dtype,
    iinfo,
    int8,
    int16,
    int32,
    int64,
    set_default_dtype,
    uint8,
)
from .factories import (
    arange,
    as_tensor,
    empty,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    manual_seed,
    normal,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from .methods import MaxResult, where
from .printing import set_printoptions
from .dtypes import bool_ as bool  # noqa: A004  (PyTorch's name for the dtype)

__version__ = "0.1.0"

float = float32  # noqa: A001  (PyTorch's aliases: torch.float, torch.double, ...)
double = float64
half = float16
long = int64
int = int32  # noqa: A001
