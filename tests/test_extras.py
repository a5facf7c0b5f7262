"""PyTorch functions beyond the course (sort, cumsum, prod, flip, einsum, save/load, ...): values and gradients."""

from __future__ import annotations

import io

import numpy as np
import pytest

import autograd_lab as al
from autograd_lab.autograd import gradcheck, gradgradcheck

X = al.tensor([[0.3, -1.2, 2.0], [0.7, 0.0, -0.4]], dtype=al.float64)


@pytest.mark.parametrize(
    "f",
    [
        lambda t: t.sort(dim=1).values,
        lambda t: t.sort(dim=0, descending=True).values,
        lambda t: t.topk(2).values,
        lambda t: t.cumsum(1),
        lambda t: t.cumprod(1),
        lambda t: t.prod(),
        lambda t: t.prod(dim=0),
        lambda t: t.flip(0, 1),
        lambda t: t.roll(1, dims=1),
        lambda t: t.diff(),
        lambda t: t[:, :2].tril() + t[:, :2].triu(1),
        lambda t: t[:, :2].diag() + t[0].diag().sum(),
        lambda t: t[:, :2].trace(),
        lambda t: t.median(dim=1).values,
        lambda t: al.einsum("ij,kj->ik", t, t),
        lambda t: al.einsum("ij->j", t),
        lambda t: t.movedim(0, 1),
        lambda t: t.repeat_interleave(2, dim=1),
        lambda t: t.tan() + t.sinh() + t.cosh() + t.expm1(),
        lambda t: (t + 0.1) % 0.45 + al.fmod(t + 0.1, 0.45),
        lambda t: al.fmod(t + 0.1, t[:1] + 5) + (t + 0.1) % (t[:1] + 5),
        lambda t: t.scatter_add(1, al.tensor([[2, 2, 0]]), t[:1] * 3),
        lambda t: t.scatter(0, al.tensor([[1, 0, 1]]), t[1:] * t[1:]),
    ],
)
def test_gradients_match_finite_differences(f):
    x = X.clone().requires_grad_()
    assert gradcheck(f, (x,))
    assert gradgradcheck(f, (x,))


def test_prod_gradient_is_right_with_a_zero():
    x = al.tensor([2.0, 0.0, 3.0], requires_grad=True)
    x.prod().backward()
    assert x.grad.tolist() == [0.0, 6.0, 0.0]


def test_sort_is_stable_and_descending_keeps_tie_order():
    values, indices = al.tensor([2, 1, 2, 1]).sort(descending=True)
    assert values.tolist() == [2, 2, 1, 1] and indices.tolist() == [0, 2, 1, 3]


def test_rounding_has_zero_gradient_but_stays_in_the_graph():
    x = al.tensor([1.7, -0.2], requires_grad=True)
    y = x.floor() + x.round()
    assert y.requires_grad and y.tolist() == [3.0, -1.0]
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]


def test_save_and_load_round_trip_a_state_dict():
    model = al.nn.Linear(3, 2)
    buffer = io.BytesIO()
    al.save(model.state_dict(), buffer)
    buffer.seek(0)
    other = al.nn.Linear(3, 2)
    other.load_state_dict(al.load(buffer))
    np.testing.assert_array_equal(other.weight.detach().numpy(), model.weight.detach().numpy())


def test_cuda_is_not_available_and_the_device_idiom_works():
    device = "cuda" if al.cuda.is_available() else "cpu"
    assert device == "cpu" and str(al.ones(1, device=device).device) == "cpu"


def test_scatter_add_sums_repeated_indices_and_scatter_overwrites():
    base = al.zeros(4)
    assert base.scatter_add(0, al.tensor([1, 1, 3]), al.tensor([1.0, 2.0, 3.0])).tolist() == [0.0, 3.0, 0.0, 3.0]
    assert base.scatter(0, al.tensor([2, 0]), 7.0).tolist() == [7.0, 0.0, 7.0, 0.0]
    with pytest.raises(RuntimeError, match="index 5 is out of bounds for dimension 0 with size 4"):
        base.scatter_add(0, al.tensor([5]), al.ones(1))
    with pytest.raises(RuntimeError, match="Expected dtype int32/int64 for index"):
        base.scatter_add(0, al.tensor([1.0]), al.ones(1))


def test_floor_division_is_recorded_but_has_no_derivative():
    x = al.tensor([3.5, -2.5], requires_grad=True)
    y = x // 2
    assert y.requires_grad and y.tolist() == [1.0, -2.0]
    with pytest.raises(RuntimeError, match="derivative for aten::floor_divide is not implemented"):
        y.sum().backward()


def test_fmod_takes_the_sign_of_the_dividend_and_normal_follows_its_arguments():
    assert al.fmod(al.tensor([-3.0, 3.0]), 2).tolist() == [-1.0, 1.0]
    assert (al.tensor([-3.0, 3.0]) % 2).tolist() == [1.0, 1.0]
    assert al.normal(al.tensor([0.0, 10.0]), al.tensor([0.0, 0.0])).tolist() == [0.0, 10.0]
    assert al.normal(0.0, 1.0, size=(2, 3)).shape == (2, 3)
    with pytest.raises(RuntimeError, match="normal expects std >= 0.0"):
        al.normal(0.0, -1.0, size=(2,))


def test_take_reads_the_flattened_tensor_and_refuses_out_of_range():
    x = al.arange(6).reshape(2, 3)
    assert al.take(x, al.tensor([[0, 5]])).tolist() == [[0, 5]]
    with pytest.raises(IndexError, match="tried to access index 6 on a tensor of 6 elements"):
        x.take(al.tensor([6]))


def test_finfo_and_iinfo_give_the_limits_of_a_dtype():
    assert al.finfo(al.float32).eps == float(np.finfo(np.float32).eps)
    assert al.finfo().bits == 32 and al.finfo(al.float64).max == float(np.finfo(np.float64).max)
    assert (al.iinfo(al.uint8).min, al.iinfo(al.uint8).max, al.iinfo(al.int64).bits) == (0, 255, 64)
    with pytest.raises(TypeError, match="floating point dtype"):
        al.finfo(al.int64)
    with pytest.raises(TypeError, match="bool is not supported"):
        al.iinfo(al.bool)


def test_a_dtype_given_as_a_string_is_refused_as_in_pytorch():
    with pytest.raises(TypeError, match="must be autograd_lab.dtype, not str; use autograd_lab.float32"):
        al.tensor([1.0], dtype="float32")


def test_float16_meets_an_integer_tensor_in_float16():
    assert (al.tensor(1) + al.ones(2, dtype=al.float16)).dtype == al.float16
    assert (al.tensor([1, 2]) + al.tensor(1.5, dtype=al.float16)).dtype == al.float16
    assert (al.tensor([1, 2]) + 1.5).dtype == al.float32  # a Python float: the default dtype
