"""Bad input raises what PyTorch raises, with a message that names the problem and the fix.

Each case is written once for both libraries; with PyTorch installed the
exception types are compared, and our message is checked for its hint.
"""

from __future__ import annotations

import warnings

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


@pytest.mark.parametrize(("case", "error", "hint"), CASES, ids=[c[0].__name__ for c in CASES])
def test_error_type_and_message(case, error, hint):
    with pytest.raises(error, match=hint):
        case(al)


@pytest.mark.parametrize(("case", "error", "hint"), CASES, ids=[c[0].__name__ for c in CASES])
def test_pytorch_raises_the_same_type(case, error, hint):
    torch = pytest.importorskip("torch")
    with pytest.raises(error):
        case(torch)


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
