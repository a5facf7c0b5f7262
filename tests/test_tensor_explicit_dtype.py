"""Python numbers given with an explicit dtype keep that dtype's precision (no detour through float32)."""

import autograd_lab as torch


def test_python_float_with_float64_dtype_is_exact():
    assert torch.tensor(-1.66, dtype=torch.float64).item() == -1.66
    assert torch.tensor([0.1, 2.89], dtype=torch.float64).tolist() == [0.1, 2.89]


def test_default_dtypes_unchanged():
    assert torch.tensor(1.5).dtype == torch.float32
    assert torch.tensor([1, 2]).dtype == torch.int64
    assert torch.tensor(3, dtype=torch.float32).dtype == torch.float32
