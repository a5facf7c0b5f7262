"""utils.data: TensorDataset, DataLoader and random_split behave as torch.utils.data; nn.utils clips gradients."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_lab as al
from autograd_lab.utils.data import DataLoader, TensorDataset, random_split


def test_loader_stacks_samples_into_batches_in_order():
    ds = TensorDataset(al.arange(10.0).reshape(5, 2), al.tensor([0, 1, 0, 1, 1]))
    loader = DataLoader(ds, batch_size=2)
    batches = list(loader)
    assert len(loader) == 3 and len(batches) == 3
    xb, yb = batches[0]
    assert xb.tolist() == [[0.0, 1.0], [2.0, 3.0]] and yb.tolist() == [0, 1] and yb.dtype == al.int64
    assert batches[-1][0].shape == (1, 2)
    assert len(DataLoader(ds, batch_size=2, drop_last=True)) == 2


def test_shuffle_follows_the_seed_and_keeps_pairs_together():
    ds = TensorDataset(al.arange(8), al.arange(8) * 10)

    def epoch():
        al.manual_seed(5)
        return [(xb.tolist(), yb.tolist()) for xb, yb in DataLoader(ds, batch_size=3, shuffle=True)]

    first = epoch()
    assert first == epoch()
    xs = [x for xb, _ in first for x in xb]
    assert sorted(xs) == list(range(8)) and xs != list(range(8))
    assert all(y == [10 * x for x in xb] for xb, y in first)


def test_python_numbers_collate_as_pytorch_does():
    xb, yb = next(iter(DataLoader([(1.5, 2), (2.5, 3)], batch_size=2)))
    assert xb.dtype == al.float64 and yb.dtype == al.int64


def test_bad_arguments_are_explained():
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        TensorDataset(al.ones(3), al.ones(4))
    with pytest.raises(ValueError, match="positive integer"):
        DataLoader(TensorDataset(al.ones(3)), batch_size=0)
    with pytest.raises(ValueError, match="Sum of input lengths"):
        random_split(TensorDataset(al.ones(5)), [2, 2])


def test_random_split_partitions_the_dataset():
    train, test = random_split(TensorDataset(al.arange(10)), [0.8, 0.2])
    values = [train[i][0].item() for i in range(len(train))] + [test[i][0].item() for i in range(len(test))]
    assert (len(train), len(test)) == (8, 2) and sorted(values) == list(range(10))


def test_clip_grad_norm_scales_every_gradient_together():
    a = al.tensor([3.0], requires_grad=True)
    b = al.tensor([4.0], requires_grad=True)
    (a * a / 2 + b * b / 2).sum().backward()  # gradients 3 and 4: total norm 5
    total = al.nn.utils.clip_grad_norm_([a, b], max_norm=1.0)
    assert total.item() == pytest.approx(5.0)
    np.testing.assert_allclose([a.grad.item(), b.grad.item()], [0.6, 0.8], rtol=1e-5)
    al.nn.utils.clip_grad_value_([a, b], 0.7)
    np.testing.assert_allclose([a.grad.item(), b.grad.item()], [0.6, 0.7], rtol=1e-5)
