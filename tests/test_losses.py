"""The losses' own backward formulas agree with numerical gradients, in every option and reduction."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_lab as al
from autograd_lab.autograd import gradcheck, gradgradcheck
from autograd_lab.nn import functional as F
from autograd_lab.speedups import plain_class_targets

RNG = np.random.default_rng(7)
LOGITS = RNG.standard_normal((5, 4))
LABELS = [0, 3, -100, 1, 3]


def _logits():
    return al.tensor(LOGITS, dtype=al.float64, requires_grad=True)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("smoothing", [0.0, 0.3])
@pytest.mark.parametrize("weighted", [False, True])
def test_cross_entropy_options_gradcheck(reduction, smoothing, weighted):
    weight = al.tensor([0.5, 1.0, 2.0, 0.25], dtype=al.float64) if weighted else None
    target = al.tensor(LABELS)

    def loss(x):
        return F.cross_entropy(x, target, weight=weight, reduction=reduction, label_smoothing=smoothing)

    assert gradcheck(loss, (_logits(),))
    assert gradgradcheck(loss, (_logits(),))


def test_ignored_targets_get_no_gradient_and_do_not_count():
    x = _logits()
    loss = F.cross_entropy(x, al.tensor(LABELS))
    loss.backward()
    assert np.all(x.grad.numpy()[2] == 0)
    kept = [i for i, t in enumerate(LABELS) if t != -100]
    expected = F.cross_entropy(al.tensor(LOGITS[kept]), al.tensor([LABELS[i] for i in kept]))
    assert math.isclose(loss.item(), expected.item(), rel_tol=1e-6)


def test_nll_loss_weight_gradcheck_and_k_dimensional_input():
    weight = al.tensor([2.0, 1.0, 0.5], dtype=al.float64)
    x = al.tensor(RNG.standard_normal((2, 3, 4)), dtype=al.float64, requires_grad=True)
    target = al.tensor([[0, 2, 1, -100], [1, 1, 0, 2]])
    assert gradcheck(lambda t: F.nll_loss(t, target, weight=weight), (x,))
    assert gradcheck(lambda t: F.cross_entropy(t, target, reduction="none"), (x,))


def test_mse_loss_gradcheck_with_broadcasting():
    a = al.tensor(RNG.standard_normal((3, 1)), dtype=al.float64, requires_grad=True)
    b = al.tensor(RNG.standard_normal(4), dtype=al.float64, requires_grad=True)
    with pytest.warns(UserWarning, match="different to the input size"):
        assert gradcheck(lambda u, v: F.mse_loss(u, v), (a, b))
    assert gradgradcheck(lambda u, v: F.mse_loss(u, v, reduction="sum"), (a, a.detach() * 2))


def test_binary_cross_entropy_gradcheck_for_input_and_target():
    p = al.tensor([0.2, 0.7, 0.5], dtype=al.float64, requires_grad=True)
    y = al.tensor([1.0, 0.0, 0.3], dtype=al.float64, requires_grad=True)
    assert gradcheck(lambda u, v: F.binary_cross_entropy(u, v), (p, y))


def test_gelu_and_its_erf_gradcheck():
    x = al.tensor([-2.0, -0.3, 0.0, 0.4, 3.0], dtype=al.float64, requires_grad=True)
    assert gradcheck(F.gelu, (x,))
    assert gradgradcheck(F.gelu, (x,))
    assert math.isclose(F.gelu(al.tensor(1.0, dtype=al.float64)).item(), 0.5 * (1 + math.erf(1 / math.sqrt(2))))


@pytest.mark.parametrize(
    "loss",
    [
        lambda x: F.smooth_l1_loss(x, al.zeros_like(x), beta=0.5),
        lambda x: F.huber_loss(x, al.zeros_like(x), delta=0.7),
        lambda x: F.l1_loss(x, al.zeros_like(x)),
        lambda x: F.binary_cross_entropy_with_logits(
            x, al.ones_like(x) * 0.3, pos_weight=al.tensor(2.0, dtype=al.float64)
        ),
        lambda x: F.leaky_relu(x, 0.2).sum() + F.elu(x).sum() + F.softplus(x, beta=2.0).sum() + F.silu(x).sum(),
    ],
)
def test_composed_losses_and_activations_gradcheck(loss):
    x = al.tensor([-1.3, -0.2, 0.45, 2.1], dtype=al.float64, requires_grad=True)
    assert gradcheck(loss, (x,))


@pytest.mark.parametrize("loss", ["cross_entropy", "nll_loss"])
def test_common_case_shortcut_matches_the_general_path(loss):
    # No weight, no smoothing, mean, no ignored target: the shortcut in speedups.py; ignore_index=4
    # (a class, but no target is 4) sends the same call down the general path.
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((37, 5)).astype(np.float32)
    target = al.tensor(rng.integers(0, 4, 37))
    results = []
    for ignore_index in (-100, 4):
        x = al.tensor(logits, requires_grad=True)
        inputs = x if loss == "cross_entropy" else x.log_softmax(1)
        out = getattr(F, loss)(inputs, target, ignore_index=ignore_index)
        out.backward()
        results.append((out.item(), x.grad.numpy().copy(), out.grad_fn.name()))
    shortcut, general = results
    assert plain_class_targets(target._data, 5, -100) and not plain_class_targets(target._data, 5, 4)
    assert shortcut[0] == general[0] and shortcut[2] == general[2] == "NllLossBackward0"
    np.testing.assert_array_equal(shortcut[1], general[1])


def test_common_case_shortcut_leaves_bad_targets_to_the_general_checks():
    logits = al.randn(4, 3, requires_grad=True)
    for bad in ([0, 1, 3, 2], [0, -1, 2, 1]):
        with pytest.raises(IndexError, match="out of bounds"):
            F.cross_entropy(logits, al.tensor(bad))
    ignored = F.cross_entropy(logits, al.tensor([0, -100, 2, 1]))  # -100 is ignored, not out of range
    assert math.isclose(ignored.item(), F.cross_entropy(logits[[0, 2, 3]], al.tensor([0, 2, 1])).item(), rel_tol=1e-6)
