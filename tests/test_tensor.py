"""Tensor basics: dtypes, factories, properties, printing, indexing and in-place changes."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_lab as al


@pytest.mark.parametrize(
    ("make", "dtype"),
    [
        (lambda: al.tensor(1.5), al.float32),
        (lambda: al.tensor([1, 2]), al.int64),
        (lambda: al.tensor([True, False]), al.bool),
        (lambda: al.tensor(np.zeros(2)), al.float64),
        (lambda: al.tensor(np.zeros(2, dtype=np.float32)), al.float32),
        (lambda: al.tensor([1, 2.5]), al.float32),
        (lambda: al.tensor([1.0]) * 2.5, al.float32),
        (lambda: al.tensor([1.0]) + 1, al.float32),
        (lambda: al.tensor([1, 2]) / al.tensor([2, 4]), al.float32),
        (lambda: al.tensor([1, 2]) / 2, al.float32),
        (lambda: al.tensor([1, 2]) * 2.5, al.float32),
        (lambda: al.tensor([1, 2]) * 2, al.int64),
        (lambda: al.tensor([1.0]) + al.tensor([1.0], dtype=al.float64), al.float64),
        (lambda: al.tensor([1.0]) + al.tensor(1.0, dtype=al.float64), al.float32),
        (lambda: al.tensor([1]) + al.tensor(1.0, dtype=al.float64), al.float64),
        (lambda: al.tensor([1, 2]).exp(), al.float32),
        (lambda: al.arange(3), al.int64),
        (lambda: al.arange(0, 1, 0.5), al.float32),
        (lambda: al.zeros(2, 3), al.float32),
        (lambda: al.full((2,), 7), al.int64),
        (lambda: al.randint(0, 5, (3,)), al.int64),
        (lambda: al.tensor([1, 2]) > 1, al.bool),
        (lambda: al.tensor([1.0, 2.0]).sum(), al.float32),
        (lambda: al.tensor([True, True]).sum(), al.int64),
    ],
)
def test_dtype_rules_follow_pytorch(make, dtype):
    assert make().dtype == dtype


def test_dtype_rules_match_pytorch_exactly():
    torch = pytest.importorskip("torch")
    cases = [
        lambda T: T.tensor([1, 2]) / T.tensor([2, 4]),
        lambda T: T.tensor([1, 2]) * 2.5,
        lambda T: T.tensor([1.0]) + T.tensor(1.0, dtype=T.float64),
        lambda T: T.tensor([1]) + T.tensor(1.0, dtype=T.float64),
        lambda T: T.tensor([1.0], dtype=T.float64) * 3,
        lambda T: T.tensor([True]) + 1,
        lambda T: T.arange(0, 1, 0.5),
        lambda T: T.tensor(3) ** 2,
        lambda T: T.tensor([1, 2]).float().mean(),
    ]
    for case in cases:
        assert case(al).dtype.name == str(case(torch).dtype).removeprefix("torch.")


def test_properties():
    x = al.randn(2, 3, 4)
    assert x.shape == (2, 3, 4) and x.size() == al.Size([2, 3, 4]) and x.size(-1) == 4
    assert x.ndim == x.dim() == 3 and x.numel() == 24
    assert str(x.device) == "cpu" and x.device == al.device("cpu")
    assert repr(x.shape) == "autograd_lab.Size([2, 3, 4])"
    assert x.is_leaf and not x.requires_grad and x.grad_fn is None
    y = x.requires_grad_() * 2
    assert not y.is_leaf and y.requires_grad and y.grad_fn.name() == "MulBackward0"
    assert y.grad_fn.next_functions[0][0].name() == "AccumulateGrad"
    assert y.detach().requires_grad is False


def test_factories():
    al.manual_seed(0)
    first = al.randn(3)
    al.manual_seed(0)
    assert al.randn(3).tolist() == first.tolist()
    assert al.zeros(2).tolist() == [0.0, 0.0] and al.ones((1, 2)).tolist() == [[1.0, 1.0]]
    assert al.eye(2).tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert al.linspace(0, 1, 3).tolist() == [0.0, 0.5, 1.0]
    assert al.arange(1, 7, 2).tolist() == [1, 3, 5]
    assert al.full((2,), 1.5).tolist() == [1.5, 1.5]
    assert al.zeros_like(first).shape == (3,) and al.ones_like(first).sum().item() == 3
    values = al.rand(1000)
    assert values.min().item() >= 0 and values.max().item() < 1
    ints = al.randint(0, 4, (1000,))
    assert set(ints.tolist()) == {0, 1, 2, 3}
    assert sorted(al.randperm(5).tolist()) == [0, 1, 2, 3, 4]
    assert al.randn((), requires_grad=True).shape == ()
    shared = np.zeros(2, dtype=np.float32)
    al.from_numpy(shared).add_(1)
    assert shared.tolist() == [1.0, 1.0]


def test_repr_looks_like_pytorch():
    assert repr(al.tensor([1.0, 2.0, 3.0])) == "tensor([1., 2., 3.])"
    assert repr(al.tensor([0.1, 0.25])) == "tensor([0.1000, 0.2500])"
    assert repr(al.tensor(6.0)) == "tensor(6.)"
    assert repr(al.tensor([1, 2])) == "tensor([1, 2])"
    assert repr(al.tensor(2.0, requires_grad=True)) == "tensor(2., requires_grad=True)"
    a = al.tensor(2.0, requires_grad=True)
    assert repr(a * 3) == "tensor(6., grad_fn=<MulBackward0>)"
    assert repr(al.tensor([1.0], dtype=al.float64)) == "tensor([1.], dtype=autograd_lab.float64)"
    assert repr(al.tensor([[1.0, -0.5], [2.0, 3.0]])) == "tensor([[ 1.0000, -0.5000],\n        [ 2.0000,  3.0000]])"
    assert "shape=(2,)" in al.tensor([1.0, 2.0])._repr_html_()
    assert f"{al.tensor(0.123456):.2f}" == "0.12"


def test_repr_matches_pytorch_for_common_values():
    torch = pytest.importorskip("torch")
    for values in ([1.0, 2.0], [0.5, -0.25], [[1.0, 2.5], [3.0, 4.0]], 6.0, [1, 2, 3]):
        assert repr(al.tensor(values)) == repr(torch.tensor(values))


def test_conversions():
    x = al.tensor([[1.0, 2.0]])
    assert x.tolist() == [[1.0, 2.0]] and al.tensor(3.5).item() == 3.5
    assert isinstance(al.tensor(2).item(), int)
    assert float(al.tensor(2.5)) == 2.5 and int(al.tensor(3)) == 3
    assert np.asarray(x).shape == (1, 2)
    assert x.double().dtype == al.float64 and x.long().dtype == al.int64 and x.int().dtype == al.int32
    assert x.to(al.float64).dtype == al.float64 and x.to("cpu") is x
    assert x.numpy() is x.numpy()
    assert len(x) == 1 and [row.tolist() for row in x] == [[1.0, 2.0]]


def test_indexing_forward_matches_numpy():
    values = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    x = al.tensor(values)
    for index in [0, -1, (1, 2), (slice(None), 0), (..., -1), (0, slice(1, None), slice(None, None, 2))]:
        assert x[index].tolist() == values[index].tolist()
    assert x[[1, 0, 1]].tolist() == values[[1, 0, 1]].tolist()
    assert x[x > 20].tolist() == values[values > 20].tolist()
    assert x[al.tensor([0, 1]), al.tensor([2, 0])].tolist() == values[[0, 1], [2, 0]].tolist()


def test_repeated_indices_accumulate_gradient():
    x = al.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[[0, 0, 2, 0]].sum().backward()
    assert x.grad.tolist() == [3.0, 0.0, 1.0]


def test_max_min_with_dim_return_values_and_indices():
    x = al.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 7.5]], requires_grad=True)
    values, indices = x.max(dim=1)
    assert values.tolist() == [5.0, 7.5] and indices.tolist() == [1, 2]
    result = al.min(x, dim=0, keepdim=True)
    assert result.values.tolist() == [[1.0, 0.0, 2.0]] and result.indices.tolist() == [[0, 1, 0]]
    values.sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    assert x.argmax().item() == 5 and x.argmax(dim=0).tolist() == [1, 0, 1]


def test_softmax_is_stable_for_huge_logits():
    x = al.tensor([[1000.0, 0.0, -1000.0]], requires_grad=True)
    probs = x.softmax(dim=1)
    assert probs.tolist() == [[1.0, 0.0, 0.0]]
    logp = x.log_softmax(dim=1)
    assert logp.tolist() == [[0.0, -1000.0, -2000.0]]
    logp[0, 1].backward()
    assert np.isfinite(x.grad.numpy()).all()


def test_sigmoid_does_not_overflow():
    x = al.tensor([-1000.0, 0.0, 1000.0])
    assert x.sigmoid().tolist() == [0.0, 0.5, 1.0]


def test_in_place_ops_under_no_grad_update_values_and_version():
    w = al.tensor([1.0, 2.0], requires_grad=True)
    version = w._version
    with al.no_grad():
        w -= 0.5 * al.tensor([2.0, 2.0])
        w.mul_(2).add_(al.tensor([1.0, 1.0]), alpha=3)
    assert w.tolist() == [3.0, 5.0] and w._version == version + 3
    assert w.is_leaf and w.requires_grad
    z = al.zeros(3)
    z.fill_(2.0)
    z[0] = 5
    z[1:] += 1
    assert z.tolist() == [5.0, 3.0, 3.0]
    z.zero_()
    assert z.tolist() == [0.0, 0.0, 0.0]
    z.copy_(al.tensor([1.0, 2.0, 3.0]))
    assert z.tolist() == [1.0, 2.0, 3.0]


def test_in_place_ops_on_non_leaves_are_recorded():
    x = al.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    y.add_(1)
    y.mul_(x)
    y[0] = 0.0
    y.sum().backward()
    # y = [0, (2x+1)*x, (2x+1)*x] -> dy/dx = 4x + 1 except for the overwritten element
    assert x.grad.tolist() == [0.0, 9.0, 13.0]
    assert y.grad_fn is not None


def test_setitem_records_the_value_gradient():
    w = al.tensor(2.0, requires_grad=True)
    z = al.zeros(3)
    z[1] = w * 3
    z[2] = w
    (z * al.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert w.grad.item() == 130.0


def test_python_number_protocols():
    x = al.tensor(2.0)
    assert bool(al.tensor(1.0)) and not bool(al.tensor(0.0))
    assert [10, 20, 30][al.tensor(1)] == 20
    assert math.isclose(float(x**0.5), math.sqrt(2), rel_tol=1e-6)
    assert (np.float32(2.0) * x).dtype == al.float32
    assert (al.ones(2) + np.ones(2)).dtype == al.float64
    with pytest.raises(TypeError):  # the other way round, PyTorch refuses too
        np.ones(2) + al.ones(2)
