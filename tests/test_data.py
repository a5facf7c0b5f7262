"""data: the shipped digits, the toy datasets, train_test_split and minibatches."""

from __future__ import annotations

import hashlib
from importlib import resources

import numpy as np
import pytest

import autograd_lab as al
from autograd_lab import data

# --------------------------------------------------------------------------- digits


def test_digits_shapes_dtypes_and_values():
    X, y = data.load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float32
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0 and X.max() == 16 and np.array_equal(X, np.round(X))  # pixel counts 0..16
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_digits_file_matches_the_checksums_in_its_notice():
    notice = resources.files("autograd_lab.datasets").joinpath("NOTICE").read_text()
    assert "CC BY 4.0" in notice and "10.24432/C50P49" in notice
    X, y = data.load_digits()
    images_sha = hashlib.sha256(X.astype(np.uint8).tobytes()).hexdigest()
    labels_sha = hashlib.sha256(y.astype(np.uint8).tobytes()).hexdigest()
    assert f"images  {images_sha}" in notice
    assert f"labels  {labels_sha}" in notice


def test_digits_look_like_digits():
    X, y = data.load_digits()
    zeros, ones = X[y == 0].mean(0).reshape(8, 8), X[y == 1].mean(0).reshape(8, 8)
    assert zeros[3:5, 3:5].mean() < 3 < zeros[3:5, 1].mean()  # a zero is a ring: hollow centre, ink at the sides
    assert ones[3:5, 3:5].mean() > 10  # a one is a stroke through the centre


def test_digits_as_tensors_and_fresh_copies():
    X, y = data.load_digits(as_tensors=True)
    assert isinstance(X, al.Tensor) and X.dtype == al.float32 and tuple(X.shape) == (1797, 64)
    assert isinstance(y, al.Tensor) and y.dtype == al.int64
    X[0, 0] = 99.0
    assert data.load_digits()[0][0, 0] == 0  # the cache was not changed


def test_digits_match_scikit_learn_when_installed():
    datasets = pytest.importorskip("sklearn.datasets")
    reference = datasets.load_digits()
    X, y = data.load_digits()
    assert np.array_equal(X, reference.data.astype(np.float32)) and np.array_equal(y, reference.target)


# --------------------------------------------------------------------------- toy datasets


@pytest.mark.parametrize("maker", [data.make_moons, data.make_circles, data.make_spirals])
def test_toy_datasets_are_seeded_and_typed(maker):
    X, y = maker(n_samples=101, seed=3)
    assert X.shape == (101, 2) and X.dtype == np.float32 and y.shape == (101,) and y.dtype == np.int64
    X2, y2 = maker(n_samples=101, seed=3)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    X3, _ = maker(n_samples=101, seed=4)
    assert not np.array_equal(X, X3)
    Xt, yt = maker(n_samples=101, seed=3, as_tensors=True)
    assert isinstance(Xt, al.Tensor) and np.array_equal(Xt.numpy(), X) and yt.dtype == al.int64
    assert len(set(y[:20].tolist())) > 1  # shuffled, not sorted by class


def test_moons_without_noise_lie_on_two_half_circles():
    X, y = data.make_moons(n_samples=50, noise=0.0)
    assert np.bincount(y).tolist() == [25, 25]
    outer, inner = X[y == 0], X[y == 1]
    assert np.allclose(np.hypot(outer[:, 0], outer[:, 1]), 1.0, atol=1e-6) and np.all(outer[:, 1] >= -1e-6)
    assert np.allclose(np.hypot(inner[:, 0] - 1, inner[:, 1] - 0.5), 1.0, atol=1e-6) and np.all(inner[:, 1] <= 0.5)
    noisy, _ = data.make_moons(n_samples=2000, noise=0.2, seed=0)
    clean, _ = data.make_moons(n_samples=2000, noise=0.0, seed=0)
    assert abs((noisy - clean).std() - 0.2) < 0.01  # same seed: the same points, moved by N(0, 0.2**2)


def test_circles_radii_and_factor():
    X, y = data.make_circles(n_samples=60, noise=0.0, factor=0.3)
    radius = np.hypot(X[:, 0], X[:, 1])
    assert np.allclose(radius[y == 0], 1.0, atol=1e-6) and np.allclose(radius[y == 1], 0.3, atol=1e-6)
    with pytest.raises(ValueError, match="factor has to be between 0 and 1"):
        data.make_circles(factor=1.5)


def test_spirals_have_balanced_classes_inside_the_unit_disk():
    X, y = data.make_spirals(n_samples=302, n_classes=4, seed=1)
    assert np.bincount(y).tolist() == [76, 76, 75, 75]
    assert np.hypot(X[:, 0], X[:, 1]).max() <= 1.0 + 1e-6
    with pytest.raises(ValueError, match="n_classes must be an int between 1 and n_samples"):
        data.make_spirals(n_samples=10, n_classes=0)


def test_noise_none_means_none_and_negative_noise_is_refused():
    assert np.array_equal(data.make_moons(20, noise=None)[0], data.make_moons(20, noise=0.0)[0])
    with pytest.raises(ValueError, match="noise must be a standard deviation >= 0"):
        data.make_spirals(noise=-0.1)


def test_sample_count_is_checked():
    with pytest.raises(ValueError, match="n_samples must be an int >= 2"):
        data.make_moons(n_samples=1)
    with pytest.raises(ValueError, match="n_samples must be an int"):
        data.make_circles(n_samples=10.5)


# --------------------------------------------------------------------------- splitting


def test_train_test_split_is_a_seeded_partition():
    X = np.arange(40, dtype=np.float32).reshape(20, 2)
    y = np.arange(20)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.25, seed=5)
    assert len(X_test) == 5 and len(X_train) == 15
    assert sorted(np.concatenate([y_train, y_test]).tolist()) == list(range(20))
    assert np.array_equal(X_train[:, 0], 2 * y_train) and np.array_equal(X_test[:, 0], 2 * y_test)  # rows stay paired
    again = data.train_test_split(X, y, test_size=0.25, seed=5)
    assert np.array_equal(again[3], y_test)
    assert not np.array_equal(data.train_test_split(X, y, seed=6)[3], y_test)
    assert len(data.train_test_split(X, y, test_size=3)[1]) == 3
    assert len(data.train_test_split(X, y, test_size=0.33)[1]) == 7  # rounded up, as scikit-learn does


def test_train_test_split_works_on_tensors():
    X, y = data.make_moons(40, as_tensors=True)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.5)
    assert all(isinstance(t, al.Tensor) for t in (X_train, X_test, y_train, y_test))
    assert tuple(X_train.shape) == (20, 2) and y_test.dtype == al.int64


def test_train_test_split_explains_bad_input():
    X, y = np.zeros((10, 2)), np.zeros(10)
    with pytest.raises(ValueError, match="same number of samples"):
        data.train_test_split(X, y[:9])
    with pytest.raises(ValueError, match="test_size must be a fraction"):
        data.train_test_split(X, y, test_size=1.5)
    with pytest.raises(ValueError, match="test_size must be a fraction"):
        data.train_test_split(X, y, test_size=10)
    with pytest.raises(TypeError, match="numpy array or an autograd_lab tensor"):
        data.train_test_split([[1, 2]] * 10, y)


# --------------------------------------------------------------------------- minibatches


def test_minibatches_cover_every_sample_once():
    X = np.arange(23, dtype=np.float32)[:, None]
    y = np.arange(23)
    batches = list(data.minibatches(X, y, batch_size=5, seed=0))
    assert [len(yb) for _, yb in batches] == [5, 5, 5, 5, 3]
    seen = np.concatenate([yb for _, yb in batches])
    assert sorted(seen.tolist()) == list(range(23)) and seen.tolist() != list(range(23))
    assert all(np.array_equal(xb[:, 0], yb) for xb, yb in batches)
    assert [len(yb) for _, yb in data.minibatches(X, y, 5, seed=0, drop_last=True)] == [5, 5, 5, 5]


def test_minibatches_in_order_and_seeded():
    X, y = np.zeros((10, 1)), np.arange(10)
    in_order = [yb.tolist() for _, yb in data.minibatches(X, y, 4, shuffle=False)]
    assert in_order == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    first = [yb.tolist() for _, yb in data.minibatches(X, y, 4, seed=1)]
    assert first == [yb.tolist() for _, yb in data.minibatches(X, y, 4, seed=1)]
    al.manual_seed(2)
    a = [yb.tolist() for _, yb in data.minibatches(X, y, 4)]
    al.manual_seed(2)
    assert a == [yb.tolist() for _, yb in data.minibatches(X, y, 4)]  # manual_seed drives the default order


def test_minibatches_of_tensors_are_tensors():
    X, y = data.make_moons(30, as_tensors=True)
    xb, yb = next(iter(data.minibatches(X, y, 8, seed=0)))
    assert isinstance(xb, al.Tensor) and tuple(xb.shape) == (8, 2) and tuple(yb.shape) == (8,)


def test_minibatches_check_their_arguments_at_once():
    X, y = np.zeros((10, 1)), np.arange(10)
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        data.minibatches(X, y, 0)
    with pytest.raises(ValueError, match="same number of samples"):
        data.minibatches(X, y[:5], 2)
