"""Bad input raises what PyTorch raises, with a message that names the problem and the fix.

Each case is written once for both libraries; with PyTorch installed the
exception types are compared, and our message is checked for its hint.
"""

from __future__ import annotations

import subprocess
import sys
import traceback
import warnings

import numpy as np
import pytest

import autograd_lab as al


def backward_twice(T):
    x = T.tensor(2.0, requires_grad=True)
    y = x * x
    y.backward()
    y.backward()


def non_scalar_backward(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    (x * 2).backward()


def backward_without_grad(T):
    T.tensor([1.0, 2.0]).sum().backward()


def matmul_mismatch(T):
    return T.ones(2, 3) @ T.ones(4, 5)


def broadcast_mismatch(T):
    return T.ones(3) + T.ones(4)


def inplace_on_saved_tensor(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.add_(1)  # exp saved its output for backward
    y.sum().backward()


def inplace_on_saved_input(T):
    w = T.tensor([1.0, 2.0], requires_grad=True)
    x = T.ones(2)
    y = w * x
    x.mul_(3)
    y.sum().backward()


def inplace_after_inplace(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    y.exp_()  # saves its output: y itself
    y.log_()
    y.sum().backward()


def inplace_on_leaf(T):
    w = T.tensor([1.0], requires_grad=True)
    w.add_(1)


def setitem_on_leaf(T):
    w = T.tensor([1.0, 2.0], requires_grad=True)
    w[0] = 5.0


def reshape_mismatch(T):
    return T.ones(2, 3).reshape(4, 2)


def int_requires_grad(T):
    return T.tensor([1, 2], requires_grad=True)


def numpy_of_grad_tensor(T):
    return T.ones(2, requires_grad=True).numpy()


def item_of_many(T):
    return T.ones(3).item()


def bool_of_many(T):
    return bool(T.ones(3))


def cat_mismatch(T):
    return T.cat([T.ones(2, 3), T.ones(2, 4)], dim=0)


def bad_dim(T):
    return T.ones(2, 3).sum(dim=2)


def index_out_of_range(T):
    return T.ones(3)[5]


def wrong_gradient_shape(T):
    x = T.ones(3, requires_grad=True)
    (x * 2).backward(T.ones(4))


CASES = [
    (backward_twice, RuntimeError, "retain_graph=True"),
    (non_scalar_backward, RuntimeError, "gradient="),
    (backward_without_grad, RuntimeError, "requires_grad=True"),
    (matmul_mismatch, RuntimeError, r"\(2, 3\) and \(4, 5\)"),
    (broadcast_mismatch, RuntimeError, r"\(3,\) and \(4,\)"),
    (inplace_on_saved_tensor, RuntimeError, "modified by an inplace operation.*clone"),
    (inplace_on_saved_input, RuntimeError, "modified by an inplace operation"),
    (inplace_after_inplace, RuntimeError, "modified by an inplace operation"),
    (inplace_on_leaf, RuntimeError, "leaf Variable.*no_grad"),
    (setitem_on_leaf, RuntimeError, "leaf Variable"),
    (reshape_mismatch, RuntimeError, "invalid for input of size 6"),
    (int_requires_grad, RuntimeError, "floating point"),
    (numpy_of_grad_tensor, RuntimeError, r"detach\(\).numpy\(\)"),
    (item_of_many, RuntimeError, "3 elements"),
    (bool_of_many, RuntimeError, "ambiguous"),
    (cat_mismatch, RuntimeError, r"\(2, 3\), \(2, 4\)"),
    (bad_dim, IndexError, "Dimension out of range"),
    (index_out_of_range, IndexError, "out of bounds.*shape \\(3,\\)"),
    (wrong_gradient_shape, RuntimeError, "Mismatch in shape"),
]


# --------------------------------------------------------------------------- silent wrong results


def mask_of_wrong_length(T):
    return T.tensor([1.0, 2.0, 3.0])[T.tensor([True, False])]


def mask_of_wrong_length_in_assignment(T):
    x = T.tensor([1.0, 2.0, 3.0])
    x[T.tensor([True, False])] = 0.0


def hook_changes_the_shape(T):
    x = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x.register_hook(lambda grad: grad.sum())
    (x * 2).sum().backward()


def hook_on_a_non_leaf_changes_the_shape(T):
    x = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    y.register_hook(lambda grad: grad[:2])
    y.sum().backward()


def integer_floor_division_by_zero(T):
    return T.tensor([7, 1]) // 0


def integer_remainder_by_zero(T):
    return T.tensor([7, 1]) % T.tensor([2, 0])


# --------------------------------------------------------------------------- numpy leaking through


def max_of_empty(T):
    return T.ones(0).max()


def min_of_empty(T):
    return T.ones(0).min()


def argmax_of_empty(T):
    return T.ones(0).argmax()


def randn_negative_size(T):
    return T.randn(-1)


def bool_minus_bool(T):
    return T.tensor([True, False]) - T.tensor([True, True])


def negate_bool(T):
    return -T.tensor([True, False])


def gather_with_float_index(T):
    return T.ones(2, 3).gather(1, T.tensor([[0.0], [1.0]]))


def tensor_of_strings(T):
    return T.tensor(["a", "b"])


# --------------------------------------------------------------------------- exception types


def float_of_many(T):
    return float(T.ones(3))


def permute_wrong_number_of_dims(T):
    return T.ones(2, 3, 4).permute(1, 0)


def integer_to_negative_power(T):
    return T.tensor([2, 3]) ** -1


def cross_entropy_float_class_target(T):
    return T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([0.0, 1.0]))


def cross_entropy_target_of_shape_n_2(T):
    return T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([[0, 1], [1, 0]]))


# --------------------------------------------------------------------------- no more permissive than PyTorch


def view_of_transposed(T):
    return T.arange(6.0).reshape(2, 3).t().view(6)


def matmul_float32_float64(T):
    return T.ones(2, 2) @ T.ones(2, 2, dtype=T.float64)


def cross_entropy_int32_target(T):
    return T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([0, 1], dtype=T.int32))


def where_float_condition(T):
    return T.where(T.tensor([1.0, 0.0]), T.ones(2), T.zeros(2))


def softmax_of_integers(T):
    return T.tensor([1, 2, 3]).softmax(0)


def sum_over_repeated_dim(T):
    return T.ones(2, 3).sum(dim=(0, 0))


def custom_function_extra_gradient(T):
    class Extra(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * 2, grad_output

    Extra.apply(T.ones(3, requires_grad=True)).sum().backward()


# --------------------------------------------------------------------------- messages


def matmul_batch_mismatch(T):
    return T.ones(2, 3, 4) @ T.ones(3, 4, 5)


def reshape_two_inferred(T):
    return T.ones(2, 3).reshape(-1, -1)


def integer_inplace_division(T):
    t = T.tensor([1, 2])
    t /= 2


def ragged_list(T):
    return T.tensor([[1, 2], [3]])


def ragged_list_deeper(T):
    return T.tensor([[[1, 2], [3, 4]], [[5, 6], [7]]])


CASES += [
    (mask_of_wrong_length, IndexError, r"mask .*\[2\].* does not match .*\[3\]"),
    (mask_of_wrong_length_in_assignment, IndexError, r"mask .*\[2\].* does not match .*\[3\]"),
    (hook_changes_the_shape, RuntimeError, r"hook .*changed the size.*\(3,\).*\(\)"),
    (hook_on_a_non_leaf_changes_the_shape, RuntimeError, r"hook .*changed the size"),
    (integer_floor_division_by_zero, RuntimeError, "ZeroDivisionError: integer division by zero"),
    (integer_remainder_by_zero, RuntimeError, "ZeroDivisionError: integer division by zero"),
    (max_of_empty, RuntimeError, r"max\(\): .*no elements.*dim"),
    (min_of_empty, RuntimeError, r"min\(\): .*no elements.*dim"),
    (argmax_of_empty, IndexError, r"argmax\(\): .*no elements"),
    (randn_negative_size, RuntimeError, "negative dimension -1"),
    (bool_minus_bool, RuntimeError, r"two bool tensors.*\^"),
    (negate_bool, RuntimeError, r"bool tensor.*~"),
    (gather_with_float_index, RuntimeError, r"gather\(\): Expected dtype int32/int64 for index.*long\(\)"),
    (tensor_of_strings, ValueError, "str"),
    (float_of_many, ValueError, "only one element tensors can be converted to Python scalars"),
    (permute_wrong_number_of_dims, RuntimeError, r"number of dimensions.*3.*2"),
    (integer_to_negative_power, RuntimeError, "Integers to negative integer powers are not allowed"),
    (cross_entropy_float_class_target, RuntimeError, r"expected target dtype to be Long.*got Float"),
    (cross_entropy_target_of_shape_n_2, RuntimeError, "0D or 1D target tensor expected"),
    (view_of_transposed, RuntimeError, r"view size is not compatible.*\.reshape"),
    (matmul_float32_float64, RuntimeError, "same dtype.*float.*double"),
    (cross_entropy_int32_target, RuntimeError, r"expected target dtype to be Long.*got Int"),
    (where_float_condition, RuntimeError, "boolean"),
    (softmax_of_integers, NotImplementedError, r"softmax.*Long.*float\(\)"),
    (sum_over_repeated_dim, RuntimeError, "dim 0 appears multiple times"),
    (custom_function_extra_gradient, RuntimeError, r"incorrect number of gradients \(expected 1, got 2\)"),
    (matmul_batch_mismatch, RuntimeError, r"batch dimensions \(2,\) and \(3,\)"),
    (reshape_two_inferred, RuntimeError, "only one dimension can be inferred"),
    (integer_inplace_division, RuntimeError, r"Float can't be cast to the desired output type Long.*//"),
    (ragged_list, ValueError, r"expected sequence of length 2 at dim 1 \(got 1\)"),
    (ragged_list_deeper, ValueError, r"expected sequence of length 2 at dim 2 \(got 1\)"),
]


def _params():
    for case, error, hint in CASES:
        yield pytest.param(case, error, hint, id=case.__name__)


@pytest.mark.parametrize(("case", "error", "hint"), list(_params()))
def test_error_type_and_message(case, error, hint):
    with pytest.raises(error, match=hint) as info:
        case(al)
    assert type(info.value).__module__ == "builtins", f"a {type(info.value).__module__} exception reached the user"


@pytest.mark.parametrize(("case", "error", "hint"), list(_params()))
def test_pytorch_raises_the_same_type(case, error, hint):
    torch = pytest.importorskip("torch")
    with pytest.raises(error):
        case(torch)


# Where PyTorch only warns: the same warning, and the program carries on with a result.
WARNS = [
    (lambda T: T.nn.functional.softmax(T.tensor([[1.0, 2.0]])), "Implicit dimension choice for softmax"),
    (lambda T: T.arange(3.0).T, r"`x\.T` on tensors of dimension other than 2 .* deprecated"),
    (lambda T: T.ones(2, 3, 4).T, r"`x\.T` on tensors of dimension other than 2 .* deprecated"),
    (lambda T: T.tensor(T.ones(2)), r"To copy construct from a tensor.*detach\(\)\.clone\(\)"),
]
WARN_IDS = ["softmax_without_dim", "T_of_a_vector", "T_of_a_3d_tensor", "tensor_of_a_tensor"]


@pytest.mark.parametrize(("case", "hint"), WARNS, ids=WARN_IDS)
def test_warns_where_pytorch_warns_and_carries_on(case, hint):
    with pytest.warns(UserWarning, match=hint):
        result = case(al)
    assert isinstance(result, al.Tensor)


@pytest.mark.parametrize(("case", "hint"), WARNS, ids=WARN_IDS)
def test_pytorch_warns_there_too_with_the_same_result(case, hint):
    torch = pytest.importorskip("torch")
    torch.set_warn_always(True)  # PyTorch warns only once per process otherwise
    with pytest.warns(UserWarning, match=hint):
        expected = case(torch)
    with pytest.warns(UserWarning):
        ours = case(al)
    assert ours.shape == tuple(expected.shape)
    np.testing.assert_allclose(ours.numpy(), expected.numpy(), rtol=1e-6)


# The inputs through which numpy used to speak to the user; PyTorch is silent or raises its own error.
NUMPY_PRONE = [
    max_of_empty,
    min_of_empty,
    argmax_of_empty,
    lambda T: T.ones(0, 3).max(dim=0),
    lambda T: T.ones(0).amax(),
    randn_negative_size,
    lambda T: T.zeros(-1),
    lambda T: T.rand(2, -3),
    bool_minus_bool,
    negate_bool,
    gather_with_float_index,
    tensor_of_strings,
    integer_floor_division_by_zero,
    integer_remainder_by_zero,
    lambda T: T.tensor([1.0, -1.0, 0.0]) // 0,
    lambda T: T.tensor([1.0, -1.0]) % 0,
    lambda T: T.tensor([0.0, -1.0]).log(),
    lambda T: T.tensor([-4.0]).sqrt(),
    lambda T: T.tensor([1.0, 0.0]) / 0.0,
    lambda T: T.tensor([float("inf")]) - float("inf"),
    lambda T: T.tensor([-float("inf"), -float("inf")]).logsumexp(0),
    lambda T: T.tensor([1000.0, -1000.0]).exp(),
    lambda T: T.nn.functional.cross_entropy(T.tensor([[1000.0, -1000.0]]), T.tensor([1])),
]
NUMPY_WORDS = ("ndarray", "ufunc", "array", "numpy", "<U", "negative dimensions are not allowed", "sequence")


def _gradient_at_zero(T, f):
    x = T.zeros(3, requires_grad=True)
    f(x).sum().backward()
    return x.grad


NUMPY_PRONE += [
    lambda T: _gradient_at_zero(T, lambda x: x**0),
    lambda T: _gradient_at_zero(T, lambda x: x.norm()),
    lambda T: _gradient_at_zero(T, lambda x: x.unsqueeze(-1) ** T.arange(3)),
    lambda T: _gradient_at_zero(T, lambda x: x.sqrt()),
    lambda T: _gradient_at_zero(T, lambda x: x.log()),
]


@pytest.mark.parametrize(
    "case",
    [pytest.param(case, id=str(i)) for i, case in enumerate(NUMPY_PRONE)],
)
def test_no_numpy_exception_or_warning_reaches_the_user(case):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", append=True)  # every warning that reaches the user, each time
        try:
            case(al)
        except Exception as error:  # noqa: BLE001  (which error it is, is the point)
            assert type(error).__module__ == "builtins", f"numpy's {type(error).__name__}: {error}"
            last = traceback.extract_tb(error.__traceback__)[-1]
            assert "autograd_lab" in last.filename.split("/"), f"raised outside the library: {error}"
            assert (last.line or "").startswith("raise"), f"raised by a call inside the library (numpy?): {error}"
            for word in NUMPY_WORDS:
                assert word not in str(error), f"numpy wording: {error}"
    leaked = [f"{w.category.__name__}: {w.message}" for w in caught if w.category is RuntimeWarning]
    assert not leaked, leaked


def test_gradcheck_warns_about_float32_and_explains_a_mismatch():
    class WrongSquare(al.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * x  # forgot the factor 2

    x32 = al.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning, match="double precision"):
        al.autograd.gradcheck(lambda t: t * 3, (x32,), atol=0.2, rtol=0.1)
    x = al.tensor([1.0, 2.0], dtype=al.float64, requires_grad=True)
    with pytest.raises(al.autograd.GradcheckError, match="output 0 with respect to input 0") as info:
        al.autograd.gradcheck(WrongSquare.apply, (x,))
    assert "numerical" in str(info.value) and "analytical" in str(info.value)
    assert al.autograd.gradcheck(WrongSquare.apply, (x,), raise_exception=False) is False


def test_pytorch_gradcheck_also_warns_for_float32():
    torch = pytest.importorskip("torch")
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.autograd.gradcheck(lambda t: t * 3, (x,), atol=0.2, rtol=0.1)
    assert any("double precision" in str(w.message) for w in caught)


def test_custom_function_returning_wrong_shape_or_count():
    class BadShape(al.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output.sum()

    class TooFew(al.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output

    x = al.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="invalid gradient at index 0 - got \\[\\] but expected shape"):
        BadShape.apply(x).sum().backward()
    with pytest.raises(RuntimeError, match="incorrect number of gradients"):
        TooFew.apply(x, al.ones(3, requires_grad=True)).sum().backward()


def test_cuda_is_refused_with_a_clear_message():
    with pytest.raises(RuntimeError, match="CPU only"):
        al.ones(2).to("cuda")
    with pytest.raises(RuntimeError, match="CPU only"):
        al.zeros(2, device="cuda")


def test_a_script_that_imports_the_library_sees_no_numpy_warning():
    """The filter behind the test above, as a learner's script gets it: installed by ``import``."""
    program = (
        "import warnings\n"
        "import autograd_lab as torch\n"
        "x = torch.zeros(3, requires_grad=True)\n"
        "(torch.tensor([float('inf')]) - float('inf'), torch.tensor([0.0]).log(), torch.tensor([1.0]) // 0)\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always', append=True)\n"
        "    torch.tensor([float('inf')]) - float('inf')\n"
        "    torch.ones(2) * torch.tensor([float('inf'), 0.0]) * 0\n"
        "import numpy as np\n"
        "with warnings.catch_warnings(record=True) as own:\n"
        "    warnings.simplefilter('always', append=True)\n"
        "    np.log(np.zeros(1))\n"
        "print(len(caught), len(own))\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["0", "1"], result.stdout + result.stderr  # the learner's own numpy still warns
