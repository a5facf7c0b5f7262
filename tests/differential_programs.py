"""Short programs a learner writes, each run on autograd_lab and on PyTorch by ``differential.py``.

Every program takes the library as ``T`` and returns what it computed (or
raises).  They cover everyday idioms, edge values and bad input; random numbers
appear only through shapes and dtypes (the two libraries draw different ones).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

PROGRAMS: list[Callable[[Any], Any]] = []


def program(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    PROGRAMS.append(fn)
    return fn


def one(name: str, fn: Callable[[Any], Any]) -> None:
    """Register a one-line program under ``name``."""
    fn.__name__ = name
    PROGRAMS.append(fn)


def grad_of(T: Any, f: Callable[[Any], Any], values: Any, dtype: Any = None) -> Any:
    """d f(x).sum() / dx at ``values`` (f's value and the gradient)."""
    x = T.tensor(values, dtype=dtype, requires_grad=True)
    y = f(x)
    y.sum().backward()
    return y, x.grad


# =========================================================================== creation

one("tensor_float_list", lambda T: T.tensor([1.0, 2.5, -3.0]))
one("tensor_int_list", lambda T: T.tensor([1, 2, 3]))
one("tensor_bool_list", lambda T: T.tensor([True, False]))
one("tensor_mixed_int_float", lambda T: T.tensor([1, 2.5]))
one("tensor_mixed_bool_int", lambda T: T.tensor([True, 2]))
one("tensor_scalar_float", lambda T: T.tensor(3.5))
one("tensor_scalar_int", lambda T: T.tensor(7))
one("tensor_nested", lambda T: T.tensor([[1.0, 2.0], [3.0, 4.0]]))
one("tensor_empty_list", lambda T: T.tensor([]))
one("tensor_empty_nested", lambda T: T.tensor([[], []]))
one("tensor_ragged", lambda T: T.tensor([[1, 2], [3]]))
one("tensor_ragged_deeper", lambda T: T.tensor([[[1, 2], [3, 4]], [[5, 6], [7]]]))
one("tensor_strings", lambda T: T.tensor(["a", "b"]))
one("tensor_none", lambda T: T.tensor(None))
one("tensor_dict", lambda T: T.tensor({"a": 1}))
one("tensor_dtype_float64", lambda T: T.tensor([1, 2], dtype=T.float64))
one("tensor_dtype_int_from_float", lambda T: T.tensor([1.7, -1.7], dtype=T.int64))
one("tensor_dtype_bool", lambda T: T.tensor([0.0, 2.0], dtype=T.bool))
one("tensor_from_tuple", lambda T: T.tensor((1.0, 2.0)))
one("tensor_list_of_scalar_tensors", lambda T: T.tensor([T.tensor(1.0), T.tensor(2.0)]))
one("tensor_requires_grad_int", lambda T: T.tensor([1, 2], requires_grad=True))
one("tensor_requires_grad_float", lambda T: T.tensor([1.0, 2.0], requires_grad=True))
one("tensor_big_int", lambda T: T.tensor(2**40))
one("tensor_too_big_int", lambda T: T.tensor(2**70))
one("tensor_nan_inf", lambda T: T.tensor([float("nan"), float("inf"), -float("inf")]))
one("tensor_float_dtype_alias", lambda T: T.tensor([1, 2], dtype=T.float).dtype)
one("tensor_long_alias", lambda T: T.tensor([1.0], dtype=T.long))
one("tensor_double_alias", lambda T: T.tensor([1.0], dtype=T.double).dtype)


@program
def tensor_of_tensor_warns(T):
    x = T.tensor([1.0, 2.0])
    return T.tensor(x)


@program
def tensor_of_tensor_copies(T):
    x = T.tensor([1.0, 2.0])
    y = T.tensor(x)
    y[0] = 5.0
    return x, y


@program
def clone_detach_is_the_recommended_copy(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x.clone().detach()
    return y, y.requires_grad, y.is_leaf


one("zeros_shape_args", lambda T: T.zeros(2, 3))
one("zeros_shape_tuple", lambda T: T.zeros((2, 3)))
one("zeros_shape_list", lambda T: T.zeros([2, 3]))
one("zeros_int", lambda T: T.zeros(3, dtype=T.int64))
one("ones_scalar_shape", lambda T: T.ones(()))
one("ones_zero_size", lambda T: T.ones(0, 3))
one("zeros_negative_size", lambda T: T.zeros(-1))
one("ones_negative_size", lambda T: T.ones(2, -3))
one("randn_negative_size", lambda T: T.randn(-1))
one("rand_negative_size", lambda T: T.rand(3, -2))
one("randn_shape_dtype", lambda T: (T.randn(2, 3).shape, T.randn(2, 3).dtype))
one("rand_shape_dtype", lambda T: (T.rand(4).shape, T.rand(4).dtype))
one("randn_float_size", lambda T: T.randn(2.5))
one("randint_shape_dtype", lambda T: (T.randint(0, 10, (3, 2)).shape, T.randint(0, 10, (3,)).dtype))
one("randint_bounds", lambda T: bool(((T.randint(2, 5, (50,)) >= 2) & (T.randint(2, 5, (50,)) < 5)).all()))
one("randint_low_ge_high", lambda T: T.randint(5, 5, (3,)))
one("randperm_sorted", lambda T: T.randperm(5).sort().values)
one("full_float", lambda T: T.full((2, 2), 7.0))
one("full_int", lambda T: T.full((2,), 3))
one("full_bool", lambda T: T.full((2,), True))
one("full_like_value", lambda T: T.full_like(T.ones(2, 2), 0.5))
one("zeros_like_int", lambda T: T.zeros_like(T.tensor([1, 2])))
one("ones_like_dtype", lambda T: T.ones_like(T.tensor([1, 2]), dtype=T.float32))
one("eye_square", lambda T: T.eye(3))
one("eye_rect", lambda T: T.eye(2, 3))
one("empty_shape", lambda T: T.empty(2, 3).shape)
one("linspace_basic", lambda T: T.linspace(0, 1, 5))
one("linspace_one_step", lambda T: T.linspace(0, 1, 1))
one("linspace_negative_steps", lambda T: T.linspace(0, 1, -1))
one("arange_int", lambda T: T.arange(5))
one("arange_start_end", lambda T: T.arange(2, 7))
one("arange_step", lambda T: T.arange(0, 10, 3))
one("arange_float_step", lambda T: T.arange(0, 1, 0.25))
one("arange_float_end", lambda T: T.arange(2.5))
one("arange_negative_step", lambda T: T.arange(5, 0, -1))
one("arange_zero_step", lambda T: T.arange(0, 5, 0))
one("arange_wrong_direction", lambda T: T.arange(5, 0, 1))
one("arange_dtype_float", lambda T: T.arange(3, dtype=T.float32))
one("arange_tenth_length", lambda T: T.arange(0, 1, 0.1).shape)
one("arange_tensor_bound", lambda T: T.arange(T.tensor(4)))
one("arange_requires_grad", lambda T: T.arange(3.0, requires_grad=True))
one("arange_float_to_int_dtype", lambda T: T.arange(0, 2, 0.5, dtype=T.int64))
one("from_numpy_float64", lambda T: T.from_numpy(__import__("numpy").array([1.0, 2.0])))
one("as_tensor_list", lambda T: T.as_tensor([1, 2]))


@program
def from_numpy_shares_memory(T):
    import numpy as np

    a = np.array([1.0, 2.0, 3.0])
    t = T.from_numpy(a)
    a[0] = 10.0
    return t


@program
def numpy_roundtrip(T):
    x = T.tensor([[1.0, 2.0], [3.0, 4.0]])
    return x.numpy().sum(), x.numpy().dtype.name


@program
def manual_seed_repeats(T):
    T.manual_seed(3)
    a = T.randn(4)
    T.manual_seed(3)
    b = T.randn(4)
    return T.equal(a, b)


@program
def manual_seed_then_different(T):
    T.manual_seed(3)
    a = T.rand(4)
    b = T.rand(4)
    return T.equal(a, b)


one("set_default_dtype_int", lambda T: T.set_default_dtype(T.int64))


@program
def default_dtype_float64(T):
    T.set_default_dtype(T.float64)
    try:
        return T.tensor([1.5]).dtype, T.zeros(1).dtype, T.tensor([1]).dtype, T.arange(0.0, 1.0, 0.5).dtype
    finally:
        T.set_default_dtype(T.float32)


# =========================================================================== attributes and conversions

one("shape_and_size", lambda T: (T.ones(2, 3).shape, T.ones(2, 3).size(), T.ones(2, 3).size(1), T.ones(2, 3).size(-1)))
one("size_bad_dim", lambda T: T.ones(2, 3).size(2))
one("shape_equals_tuple", lambda T: T.ones(2, 3).shape == (2, 3))
one("ndim_dim_numel", lambda T: (T.ones(2, 3, 4).ndim, T.ones(2, 3, 4).dim(), T.ones(2, 3, 4).numel()))
one("dtype_compare", lambda T: (T.ones(2).dtype == T.float32, T.tensor([1]).dtype == T.int64))
one("dtype_is_floating_point", lambda T: (T.float32.is_floating_point, T.int64.is_floating_point))
one("tensor_is_floating_point", lambda T: (T.ones(1).is_floating_point(), T.tensor([1]).is_floating_point()))
one("device_str", lambda T: str(T.ones(1).device))
one("device_type", lambda T: T.ones(1).device.type)
one("item_float", lambda T: T.tensor([2.5]).item())
one("item_int", lambda T: T.tensor(4).item())
one("item_bool", lambda T: T.tensor(True).item())
one("item_many", lambda T: T.ones(3).item())
one("item_empty", lambda T: T.ones(0).item())
one("tolist_nested", lambda T: T.tensor([[1, 2], [3, 4]]).tolist())
one("tolist_scalar", lambda T: T.tensor(1.5).tolist())
one("float_of_one", lambda T: float(T.tensor([2.5])))
one("float_of_many", lambda T: float(T.ones(3)))
one("int_of_many", lambda T: int(T.ones(2)))
one("int_of_float", lambda T: int(T.tensor(2.7)))
one("int_of_negative_float", lambda T: int(T.tensor(-2.7)))
one("bool_of_one", lambda T: bool(T.tensor([0.0])))
one("bool_of_many", lambda T: bool(T.ones(3)))
one("bool_of_empty", lambda T: bool(T.ones(0)))
one("len_of_tensor", lambda T: len(T.ones(4, 2)))
one("len_of_scalar", lambda T: len(T.tensor(1.0)))
one("iterate_rows", lambda T: list(T.tensor([[1, 2], [3, 4]])))
one("iterate_scalar", lambda T: list(T.tensor(1.0)))
one("index_with_tensor_int", lambda T: [10, 20, 30][T.tensor(1)])
one("index_with_float_tensor", lambda T: [10, 20, 30][T.tensor(1.0)])
one("numpy_requires_grad", lambda T: T.ones(2, requires_grad=True).numpy())
one("detach_numpy", lambda T: T.ones(2, requires_grad=True).detach().numpy())
one("to_float64", lambda T: T.tensor([1, 2]).to(T.float64))
one("to_same_dtype_is_same", lambda T: (lambda x: x.to(T.float32) is x)(T.ones(2)))
one("to_cpu_string", lambda T: T.ones(2).to("cpu"))
one("to_dtype_kw", lambda T: T.ones(2).to(dtype=T.int64))
one("long_of_float", lambda T: T.tensor([1.9, -1.9]).long())
one("int_method_dtype", lambda T: T.tensor([1.9]).int().dtype)
one("bool_method", lambda T: T.tensor([0.0, 0.5]).bool())
one("half_dtype", lambda T: T.tensor([1.0]).half().dtype)
one("type_as", lambda T: T.tensor([1, 2]).type_as(T.ones(1)))
one("element_size", lambda T: (T.ones(1).element_size(), T.ones(1, dtype=T.float64).element_size()))
one("format_scalar", lambda T: f"{T.tensor(3.14159):.2f}")
one("format_many", lambda T: f"{T.tensor([1.0, 2.0]):.2f}")
one("str_dtype", lambda T: str(T.float32))


# =========================================================================== printing

one("repr_float", lambda T: repr(T.tensor([1.0, 2.5])))
one("repr_whole_floats", lambda T: repr(T.tensor([1.0, 2.0])))
one("repr_int", lambda T: repr(T.tensor([1, 2])))
one("repr_bool", lambda T: repr(T.tensor([True, False])))
one("repr_bool_scalar", lambda T: repr(T.tensor(True)))
one("repr_bool_2d", lambda T: repr(T.tensor([[True], [False]])))
one("repr_comparison", lambda T: repr(T.tensor([1, 2, 3]) > 1))
one("repr_requires_grad", lambda T: repr(T.tensor([1.0], requires_grad=True)))
one("repr_float64", lambda T: repr(T.tensor([1.5], dtype=T.float64)))
one("repr_int32", lambda T: repr(T.tensor([1], dtype=T.int32)))
one("repr_scalar", lambda T: repr(T.tensor(0.5)))
one("repr_empty", lambda T: repr(T.tensor([])))
one("repr_nan_inf", lambda T: repr(T.tensor([float("nan"), 1.0, float("inf")])))
one("repr_negative", lambda T: repr(T.tensor([-1.5, 2.25])))
one("repr_matrix", lambda T: repr(T.tensor([[1.0, -2.0], [3.5, 4.0]])))
one("repr_size", lambda T: repr(T.ones(2, 3).shape))
one("str_tensor", lambda T: str(T.tensor([0.1, 0.2])))
one("repr_grad_fn_mul", lambda T: repr(T.tensor([1.0], requires_grad=True) * 2).split(" object")[0])


# =========================================================================== dtype promotion

one("int_plus_float_scalar", lambda T: T.tensor([1, 2]) + 0.5)
one("int_times_int_scalar", lambda T: T.tensor([1, 2]) * 3)
one("int_div_int", lambda T: T.tensor([1, 2]) / 2)
one("int_div_int_tensor", lambda T: T.tensor([3, 4]) / T.tensor([2, 2]))
one("int_floordiv", lambda T: T.tensor([7, -7]) // 2)
one("int_floordiv_zero", lambda T: T.tensor([7, 1]) // 0)
one("int_mod", lambda T: T.tensor([7, -7]) % 3)
one("int_mod_zero", lambda T: T.tensor([7, 1]) % 0)
one("int_floordiv_tensor_zero", lambda T: T.tensor([4, 2]) // T.tensor([2, 0]))
one("int_mod_tensor_zero", lambda T: T.tensor([4, 2]) % T.tensor([2, 0]))
one("float_floordiv_zero", lambda T: T.tensor([1.0, -1.0, 0.0]) // 0)
one("float_mod_zero", lambda T: T.tensor([1.0, -1.0]) % 0)
one("float_floordiv", lambda T: T.tensor([7.5, -7.5]) // 2)
one("float_mod_negative", lambda T: T.tensor([7.5, -7.5]) % -2)
one("int_div_zero_true", lambda T: T.tensor([1, 0, -1]) / 0)
one("float_div_zero", lambda T: T.tensor([1.0, 0.0, -1.0]) / 0.0)
one("bool_plus_bool", lambda T: T.tensor([True, False]) + T.tensor([True, True]))
one("bool_minus_bool", lambda T: T.tensor([True, False]) - T.tensor([True, True]))
one("neg_bool", lambda T: -T.tensor([True, False]))
one("bool_times_float", lambda T: T.tensor([True, False]) * 2.5)
one("bool_plus_int", lambda T: T.tensor([True, False]) + 1)
one("bool_sum", lambda T: T.tensor([True, False, True]).sum())
one("bool_mean", lambda T: T.tensor([True, False]).mean())
one("bool_float_mean", lambda T: T.tensor([True, False, True]).float().mean())
one("invert_bool", lambda T: ~T.tensor([True, False]))
one("invert_int", lambda T: ~T.tensor([1, 0]))
one("invert_float", lambda T: ~T.tensor([1.0]))
one("int_pow_negative", lambda T: T.tensor([2, 3]) ** -1)
one("int_pow_negative_tensor", lambda T: T.tensor([2, 3]).pow(-2))
one("int_pow_int", lambda T: T.tensor([2, 3]) ** 2)
one("int_pow_float", lambda T: T.tensor([4, 9]) ** 0.5)
one("int_rpow", lambda T: 2 ** T.tensor([1, 2, 3]))
one("float_rpow", lambda T: 2.0 ** T.tensor([1, 2, 3]))
one("int32_plus_int64", lambda T: (T.tensor([1], dtype=T.int32) + T.tensor([1])).dtype)
one("int32_plus_python_int", lambda T: (T.tensor([1], dtype=T.int32) + 5).dtype)
one("float32_plus_float64_scalar_tensor", lambda T: (T.ones(2) + T.tensor(1.0, dtype=T.float64)).dtype)
one("float32_plus_float64_vector", lambda T: (T.ones(2) + T.ones(2, dtype=T.float64)).dtype)
one("int_vector_plus_float_scalar_tensor", lambda T: (T.tensor([1, 2]) + T.tensor(1.5, dtype=T.float64)).dtype)
one("uint8_plus_int8", lambda T: (T.tensor([1], dtype=T.uint8) + T.tensor([1], dtype=T.int8)).dtype)
one("float16_plus_float32", lambda T: (T.ones(1, dtype=T.float16) + T.ones(1)).dtype)
one("int_sum_dtype", lambda T: T.tensor([1, 2], dtype=T.int32).sum().dtype)
one("int_mean", lambda T: T.tensor([1, 2]).mean())
one("int_mean_dtype_arg", lambda T: T.tensor([1, 2]).sum(dtype=T.float32))
one("int_exp", lambda T: T.tensor([0, 1]).exp())
one("int_sqrt", lambda T: T.tensor([4, 9]).sqrt())
one("int_sigmoid", lambda T: T.tensor([0]).sigmoid())
one("int_abs", lambda T: T.tensor([-2, 3]).abs())
one("int_neg", lambda T: -T.tensor([2, -3]))
one("int_relu", lambda T: T.tensor([-2, 3]).relu())
one("int_clamp", lambda T: T.tensor([-2, 3, 9]).clamp(0, 5))
one("int_clamp_float_bound", lambda T: T.tensor([-2, 3, 9]).clamp(0.5, 5.5))
one("int_softmax", lambda T: T.tensor([1, 2, 3]).softmax(0))
one("int_log_softmax", lambda T: T.tensor([1, 2, 3]).log_softmax(0))
one("int_tanh", lambda T: T.tensor([0, 1]).tanh())
one("int_max", lambda T: T.tensor([3, 1, 2]).max())
one("int_argmax", lambda T: T.tensor([3, 1, 5]).argmax())
one("int_std", lambda T: T.tensor([1, 2, 3]).std())
one("float_ops_with_numpy_scalar", lambda T: T.tensor([1.0, 2.0]) * __import__("numpy").float64(2.0))
one("compare_int_float", lambda T: T.tensor([1, 2]) == T.tensor([1.0, 2.5]))
one("compare_with_scalar", lambda T: T.tensor([1.0, 2.0]) > 1.5)
one("compare_shapes_mismatch", lambda T: T.ones(3) == T.ones(4))
one("logical_and_bool", lambda T: T.tensor([True, False]) & T.tensor([True, True]))
one("logical_and_float", lambda T: T.ones(2) & T.ones(2))
one("xor_bool", lambda T: T.tensor([True, False]) ^ T.tensor([True, True]))


@program
def int_inplace_true_division(T):
    t = T.tensor([1, 2])
    t /= 2
    return t


@program
def int_inplace_div_method(T):
    t = T.tensor([4, 6])
    t.div_(2)
    return t


@program
def int_inplace_add_float(T):
    t = T.tensor([1, 2])
    t += 0.5
    return t


@program
def int_inplace_mul_int(T):
    t = T.tensor([1, 2])
    t *= 3
    return t


@program
def float_inplace_add_int_tensor(T):
    t = T.ones(2)
    t += T.tensor([1, 2])
    return t


@program
def bool_inplace_add(T):
    t = T.tensor([True, False])
    t += 1
    return t


# =========================================================================== indexing

one("index_int", lambda T: T.tensor([1.0, 2.0, 3.0])[1])
one("index_negative", lambda T: T.tensor([1.0, 2.0, 3.0])[-1])
one("index_out_of_range", lambda T: T.tensor([1.0, 2.0, 3.0])[3])
one("index_negative_out_of_range", lambda T: T.tensor([1.0, 2.0, 3.0])[-4])
one("index_slice", lambda T: T.arange(10)[2:8:2])
one("index_slice_beyond", lambda T: T.arange(5)[3:100])
one("index_negative_step", lambda T: T.arange(5)[::-1])
one("index_2d_row", lambda T: T.arange(6).reshape(2, 3)[1])
one("index_2d_elem", lambda T: T.arange(6).reshape(2, 3)[1, 2])
one("index_2d_column", lambda T: T.arange(6).reshape(2, 3)[:, 1])
one("index_too_many", lambda T: T.arange(6).reshape(2, 3)[1, 2, 0])
one("index_none", lambda T: T.arange(3)[None].shape)
one("index_ellipsis", lambda T: T.arange(24).reshape(2, 3, 4)[..., 1].shape)
one("index_bool_mask", lambda T: (lambda x: x[x > 1])(T.tensor([1.0, 2.0, 3.0])))
one("index_bool_mask_wrong_length", lambda T: T.tensor([1.0, 2.0, 3.0])[T.tensor([True, False])])
one("index_bool_mask_too_long", lambda T: T.tensor([1.0, 2.0, 3.0])[T.tensor([True, False, True, True])])
one("index_bool_mask_2d", lambda T: (lambda x: x[x > 2])(T.arange(6).reshape(2, 3)))
one("index_bool_mask_rows", lambda T: T.arange(6).reshape(3, 2)[T.tensor([True, False, True])])
one("index_bool_mask_rows_wrong", lambda T: T.arange(6).reshape(3, 2)[T.tensor([True, False])])
one("index_bool_mask_2d_wrong_shape", lambda T: T.arange(6).reshape(2, 3)[T.ones(3, 2).bool()])
one("index_bool_list", lambda T: T.tensor([1.0, 2.0, 3.0])[[True, False, True]])
one("index_bool_list_wrong_length", lambda T: T.tensor([1.0, 2.0, 3.0])[[True, False]])
one("index_int_list", lambda T: T.tensor([1.0, 2.0, 3.0])[[0, 2, 2]])
one("index_int_list_out_of_range", lambda T: T.tensor([1.0, 2.0, 3.0])[[0, 5]])
one("index_long_tensor", lambda T: T.tensor([1.0, 2.0, 3.0])[T.tensor([2, 0])])
one("index_float_tensor", lambda T: T.tensor([1.0, 2.0, 3.0])[T.tensor([0.0, 1.0])])
one("index_float", lambda T: T.tensor([1.0, 2.0, 3.0])[1.0])
one("index_scalar_tensor", lambda T: T.arange(5)[T.tensor(2)])
one("index_pairs", lambda T: T.arange(9).reshape(3, 3)[T.tensor([0, 2]), T.tensor([1, 0])])
one("index_pairs_mismatch", lambda T: T.arange(9).reshape(3, 3)[T.tensor([0, 2]), T.tensor([1, 0, 1])])
one("index_of_scalar", lambda T: T.tensor(1.0)[0])
one("index_string", lambda T: T.ones(3)["a"])
one("arange_row_pick", lambda T: T.arange(12).reshape(3, 4)[T.arange(3), T.tensor([0, 3, 1])])


@program
def setitem_mask(T):
    x = T.tensor([1.0, -2.0, 3.0, -4.0])
    x[x < 0] = 0.0
    return x


@program
def setitem_mask_wrong_length(T):
    x = T.tensor([1.0, -2.0, 3.0])
    x[T.tensor([True, False])] = 0.0
    return x


@program
def setitem_slice_broadcast(T):
    x = T.zeros(2, 3)
    x[:, 1] = T.tensor([5.0, 6.0])
    return x


@program
def setitem_row_wrong_shape(T):
    x = T.zeros(2, 3)
    x[0] = T.tensor([1.0, 2.0])
    return x


@program
def setitem_int_tensor_float_value(T):
    x = T.zeros(3, dtype=T.int64)
    x[0] = 2.7
    return x


@program
def setitem_list_index(T):
    x = T.zeros(4)
    x[[0, 2]] = T.tensor([1.0, 2.0])
    return x


@program
def setitem_out_of_range(T):
    x = T.zeros(3)
    x[5] = 1.0
    return x


@program
def setitem_records_grad(T):
    w = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = w * 2
    y[1] = 0.0
    y.sum().backward()
    return y, w.grad


@program
def slice_is_view(T):
    x = T.arange(5.0)
    y = x[1:3]
    y[0] = 100.0
    return x


@program
def gather_rows(T):
    x = T.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    out = x.gather(1, T.tensor([[2, 0], [1, 1]]))
    out.sum().backward()
    return out, x.grad


one("gather_float_index", lambda T: T.ones(2, 3).gather(1, T.tensor([[0.0], [1.0]])))
one("gather_out_of_range", lambda T: T.ones(2, 3).gather(1, T.tensor([[0], [3]])))
one("gather_int32_index", lambda T: T.ones(2, 3).gather(1, T.tensor([[0], [1]], dtype=T.int32)))
one("gather_dim0", lambda T: T.arange(6.0).reshape(2, 3).gather(0, T.tensor([[1, 0, 1]])))
one("gather_bad_dim", lambda T: T.ones(2, 3).gather(2, T.tensor([[0]])))
one("gather_wrong_ndim", lambda T: T.ones(2, 3).gather(1, T.tensor([0, 1])))
one("index_select_rows", lambda T: T.arange(6).reshape(3, 2).index_select(0, T.tensor([2, 0])))
one("index_select_float", lambda T: T.arange(6).reshape(3, 2).index_select(0, T.tensor([2.0])))
one("index_select_2d_index", lambda T: T.arange(6).reshape(3, 2).index_select(0, T.tensor([[1]])))


@program
def repeated_index_accumulates(T):
    x = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[T.tensor([0, 0, 2])].sum().backward()
    return x.grad


@program
def masked_fill_basic(T):
    x = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.masked_fill(x > 1.5, 0.0)
    y.sum().backward()
    return y, x.grad


one("masked_fill_float_mask", lambda T: T.ones(3).masked_fill(T.tensor([1.0, 0.0, 1.0]), 0.0))
one("masked_fill_int_mask", lambda T: T.ones(3).masked_fill(T.tensor([1, 0, 1]), 0.0))


# =========================================================================== where

one("where_bool", lambda T: T.where(T.tensor([True, False]), T.tensor([1.0, 2.0]), T.tensor([3.0, 4.0])))
one("where_float_condition", lambda T: T.where(T.tensor([1.0, 0.0]), T.tensor([1.0, 2.0]), T.tensor([3.0, 4.0])))
one("where_int_condition", lambda T: T.where(T.tensor([1, 0]), T.tensor([1.0, 2.0]), T.tensor([3.0, 4.0])))
one("where_scalars", lambda T: T.where(T.tensor([True, False]), 1.0, 0.0))
one("where_tensor_scalar", lambda T: T.where(T.tensor([True, False]), T.tensor([5.0, 6.0]), 0.0))
one("where_int_and_float", lambda T: T.where(T.tensor([True, False]), T.tensor([1, 2]), T.tensor([0.5, 0.5])))
one("where_broadcast", lambda T: T.where(T.tensor([[True], [False]]), T.ones(2, 3), T.zeros(3)).shape)
one("where_shape_mismatch", lambda T: T.where(T.tensor([True, False]), T.ones(3), T.zeros(3)))
one("where_method", lambda T: T.tensor([1.0, -1.0]).where(T.tensor([True, False]), T.tensor(0.0)))


@program
def where_nan_trap(T):
    x = T.tensor([0.0, 1.0], requires_grad=True)
    y = T.where(x > 0, x.log(), T.zeros(2))
    y.sum().backward()
    return y, x.grad


@program
def where_gradient_both_sides(T):
    x = T.tensor([-1.0, 2.0], requires_grad=True)
    y = T.where(x > 0, x * x, -x)
    y.sum().backward()
    return x.grad


# =========================================================================== elementwise math and edge values

one("log_zero", lambda T: T.tensor([0.0]).log())
one("log_negative", lambda T: T.tensor([-1.0]).log())
one("sqrt_negative", lambda T: T.tensor([-4.0, 4.0]).sqrt())
one("exp_large", lambda T: T.tensor([1000.0, -1000.0]).exp())
one("exp_float64_large", lambda T: T.tensor([800.0], dtype=T.float64).exp())
one("sigmoid_extremes", lambda T: T.tensor([-1000.0, 0.0, 1000.0]).sigmoid())
one("tanh_extremes", lambda T: T.tensor([-1000.0, 1000.0]).tanh())
one("softmax_extremes", lambda T: T.tensor([1000.0, 0.0, -1000.0]).softmax(0))
one("log_softmax_extremes", lambda T: T.tensor([1000.0, 0.0, -1000.0]).log_softmax(0))
one("logsumexp_large", lambda T: T.tensor([1000.0, 1000.0]).logsumexp(0))
one("logsumexp_neg_inf", lambda T: T.tensor([-float("inf"), -float("inf")]).logsumexp(0))
one("zero_div_zero", lambda T: T.tensor([0.0]) / T.tensor([0.0]))
one("inf_minus_inf", lambda T: T.tensor([float("inf")]) - float("inf"))
one("pow_zero_zero", lambda T: T.tensor([0.0]) ** 0)
one("pow_negative_base_fraction", lambda T: T.tensor([-8.0]) ** (1 / 3))
one("log1p_small", lambda T: T.tensor([1e-10, -0.5]).log1p())
one("sign_values", lambda T: T.tensor([-2.0, 0.0, 3.0]).sign())
one("abs_negative_zero", lambda T: T.tensor([-0.0, -1.5]).abs())
one("reciprocal_zero", lambda T: T.tensor([0.0, 2.0]).reciprocal())
one("rsqrt_values", lambda T: T.tensor([4.0, 0.0]).rsqrt())
one("square_values", lambda T: T.tensor([-3.0, 2.0]).square())
one("clamp_min_only", lambda T: T.tensor([-1.0, 0.5, 2.0]).clamp(min=0.0))
one("clamp_max_only", lambda T: T.tensor([-1.0, 0.5, 2.0]).clamp(max=1.0))
one("clamp_none", lambda T: T.tensor([-1.0, 0.5]).clamp())
one("clamp_min_gt_max", lambda T: T.tensor([-1.0, 0.5, 2.0]).clamp(min=1.0, max=0.0))
one("clamp_nan", lambda T: T.tensor([float("nan"), 2.0]).clamp(0.0, 1.0))
one("clip_alias", lambda T: T.clip(T.tensor([-1.0, 3.0]), -0.5, 0.5))
one("maximum_nan", lambda T: T.maximum(T.tensor([float("nan"), 1.0]), T.tensor([0.0, 2.0])))
one("minimum_tensors", lambda T: T.minimum(T.tensor([1.0, 5.0]), T.tensor([3.0, 2.0])))
one("maximum_scalar_arg", lambda T: T.maximum(T.tensor([1.0, 5.0]), 2.0))
one("relu_negative_zero", lambda T: T.tensor([-0.0, -1.0, 1.0]).relu())
one("nan_to_compare", lambda T: T.tensor([float("nan")]) == T.tensor([float("nan")]))
one("isnan", lambda T: T.tensor([float("nan"), 1.0]).isnan())
one("sin_cos", lambda T: (T.sin(T.tensor([0.0, math.pi / 2])), T.cos(T.tensor([0.0, math.pi]))))
one("free_functions", lambda T: (T.exp(T.tensor([0.0])), T.log(T.tensor([1.0])), T.sqrt(T.tensor([9.0]))))
one("free_function_on_list", lambda T: T.exp([0.0, 1.0]))
one("free_function_on_float", lambda T: T.exp(1.0))
one("abs_builtin", lambda T: abs(T.tensor([-1.0, 2.0])))
one("round_trip_neg", lambda T: -T.neg(T.tensor([1.0, -2.0])))
one("pos_operator", lambda T: +T.tensor([1.0, -2.0]))


# =========================================================================== broadcasting

one("broadcast_row_col", lambda T: T.tensor([[1.0], [2.0]]) + T.tensor([10.0, 20.0, 30.0]))
one("broadcast_scalar_tensor", lambda T: T.ones(2, 3) * T.tensor(2.0))
one("broadcast_mismatch", lambda T: T.ones(3) + T.ones(4))
one("broadcast_mismatch_2d", lambda T: T.ones(2, 3) * T.ones(3, 2))
one("broadcast_add_list", lambda T: T.ones(2) + [1.0, 2.0])
one("broadcast_radd_list", lambda T: [1.0, 2.0] + T.ones(2))
one("add_string", lambda T: T.ones(2) + "a")
one("add_none", lambda T: T.ones(2) + None)
one("add_alpha", lambda T: T.tensor([1.0, 2.0]).add(T.tensor([1.0, 1.0]), alpha=3))
one("sub_alpha", lambda T: T.sub(T.tensor([1.0, 2.0]), T.tensor([1.0, 1.0]), alpha=2))
one("mul_free", lambda T: T.mul(T.tensor([1.0, 2.0]), 3))
one("div_free", lambda T: T.div(T.tensor([1.0, 2.0]), T.tensor([4.0, 4.0])))


@program
def broadcast_gradient_reduces(T):
    a = T.tensor([[1.0], [2.0]], requires_grad=True)
    b = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (a * b).sum().backward()
    return a.grad, b.grad


@program
def broadcast_gradient_scalar(T):
    a = T.tensor(2.0, requires_grad=True)
    b = T.ones(2, 3, requires_grad=True)
    (a * b).pow(2).sum().backward()
    return a.grad, b.grad


# =========================================================================== reductions

one("sum_all", lambda T: T.arange(6.0).reshape(2, 3).sum())
one("sum_dim0", lambda T: T.arange(6.0).reshape(2, 3).sum(0))
one("sum_dim_keepdim", lambda T: T.arange(6.0).reshape(2, 3).sum(dim=1, keepdim=True))
one("sum_dim_tuple", lambda T: T.arange(24.0).reshape(2, 3, 4).sum(dim=(0, 2)))
one("sum_dim_repeated", lambda T: T.ones(2, 3).sum(dim=(0, 0)))
one("sum_dim_repeated_negative", lambda T: T.ones(2, 3).sum(dim=(1, -1)))
one("sum_dim_out_of_range", lambda T: T.ones(2, 3).sum(dim=2))
one("sum_dim_list", lambda T: T.ones(2, 3).sum(dim=[0, 1]))
one("sum_empty_tuple", lambda T: T.ones(2, 3).sum(dim=()))
one("sum_scalar_dim0", lambda T: T.tensor(2.0).sum(0))
one("sum_of_empty", lambda T: T.ones(0).sum())
one("sum_int_keeps_int", lambda T: T.tensor([1, 2, 3]).sum())
one("mean_all", lambda T: T.tensor([1.0, 2.0, 4.0]).mean())
one("mean_dim", lambda T: T.arange(6.0).reshape(2, 3).mean(dim=1))
one("mean_dim_negative", lambda T: T.arange(6.0).reshape(2, 3).mean(-1, keepdim=True))
one("mean_of_empty", lambda T: T.ones(0).mean())
one("mean_dim_tuple", lambda T: T.arange(24.0).reshape(2, 3, 4).mean((1, 2)))
one("max_all", lambda T: T.tensor([1.0, 5.0, 3.0]).max())
one("min_all", lambda T: T.tensor([1.0, 5.0, 3.0]).min())
one("max_dim", lambda T: tuple(T.tensor([[1.0, 5.0, 3.0], [7.0, 2.0, 7.0]]).max(dim=1)))
one("max_dim_names", lambda T: T.tensor([[1.0, 5.0], [7.0, 2.0]]).max(dim=0).indices)
one("min_dim_keepdim", lambda T: tuple(T.tensor([[1.0, 5.0], [7.0, 2.0]]).min(dim=1, keepdim=True)))
one("max_empty", lambda T: T.ones(0).max())
one("min_empty", lambda T: T.ones(0).min())
one("argmax_empty", lambda T: T.ones(0).argmax())
one("argmin_empty", lambda T: T.ones(0).argmin())
one("max_empty_dim", lambda T: T.ones(0, 3).max(dim=0))
one("max_empty_other_dim", lambda T: T.ones(0, 3).max(dim=1).values.shape)
one("amax_empty", lambda T: T.ones(0).amax())
one("amax_dims", lambda T: T.arange(24.0).reshape(2, 3, 4).amax(dim=(0, 1)))
one("amin_dim", lambda T: T.tensor([[3.0, 1.0], [0.0, 2.0]]).amin(1))
one("argmax_ties_first", lambda T: T.tensor([1.0, 5.0, 5.0, 2.0]).argmax())
one("argmax_dim", lambda T: T.tensor([[1.0, 5.0], [7.0, 2.0]]).argmax(dim=1))
one("argmax_keepdim", lambda T: T.tensor([[1.0, 5.0], [7.0, 2.0]]).argmax(dim=1, keepdim=True))
one("argmax_nan", lambda T: T.tensor([1.0, float("nan"), 2.0]).argmax())
one("max_nan", lambda T: T.tensor([1.0, float("nan"), 2.0]).max())
one("max_of_two_tensors", lambda T: T.max(T.tensor([1.0, 4.0]), T.tensor([3.0, 2.0])))
one("std_unbiased", lambda T: T.tensor([1.0, 2.0, 4.0]).std())
one("std_biased", lambda T: T.tensor([1.0, 2.0, 4.0]).std(unbiased=False))
one("std_correction0", lambda T: T.tensor([1.0, 2.0, 4.0]).std(correction=0))
one("std_single", lambda T: T.tensor([1.5]).std())
one("var_dim", lambda T: T.arange(6.0).reshape(2, 3).var(dim=1))
one("var_keepdim", lambda T: T.arange(6.0).reshape(2, 3).var(0, keepdim=True))
one("norm_default", lambda T: T.tensor([3.0, 4.0]).norm())
one("norm_p1", lambda T: T.tensor([3.0, -4.0]).norm(p=1))
one("norm_dim", lambda T: T.tensor([[3.0, 4.0], [6.0, 8.0]]).norm(dim=1))
one("norm_p3", lambda T: T.tensor([1.0, 2.0]).norm(p=3))
one("norm_inf", lambda T: T.tensor([1.0, -5.0, 2.0]).norm(p=float("inf")))
one("norm_int", lambda T: T.tensor([3, 4]).norm())
one("all_any", lambda T: (T.tensor([True, False]).all(), T.tensor([True, False]).any()))
one("all_dim", lambda T: T.tensor([[True, False], [True, True]]).all(dim=1))
one("any_float", lambda T: T.tensor([0.0, 0.5]).any())
one("logsumexp_dim", lambda T: T.tensor([[1.0, 2.0], [3.0, 4.0]]).logsumexp(dim=1))
one("logsumexp_keepdim", lambda T: T.tensor([[1.0, 2.0], [3.0, 4.0]]).logsumexp(1, keepdim=True))
one("softmax_dim0", lambda T: T.tensor([[1.0, 2.0], [3.0, 4.0]]).softmax(dim=0))
one("softmax_bad_dim", lambda T: T.ones(2, 3).softmax(dim=2))
one("softmax_free_function", lambda T: T.softmax(T.tensor([1.0, 2.0]), dim=0))
one("softmax_negative_dim", lambda T: T.tensor([[1.0, 2.0, 0.5]]).softmax(-1))


@program
def max_dim_gradient_goes_to_argmax(T):
    x = T.tensor([[1.0, 5.0, 5.0], [7.0, 2.0, 3.0]], requires_grad=True)
    values, indices = x.max(dim=1)
    values.sum().backward()
    return values, indices, x.grad


@program
def max_all_gradient_ties(T):
    x = T.tensor([1.0, 5.0, 5.0], requires_grad=True)
    x.max().backward()
    return x.grad


@program
def amax_gradient_ties(T):
    x = T.tensor([[1.0, 5.0, 5.0]], requires_grad=True)
    x.amax(dim=1).sum().backward()
    return x.grad


@program
def std_gradient(T):
    x = T.tensor([1.0, 2.0, 4.0], requires_grad=True)
    x.std().backward()
    return x.grad


@program
def norm_gradient(T):
    x = T.tensor([3.0, 4.0], requires_grad=True)
    x.norm().backward()
    return x.grad


@program
def norm_of_zero_vector_gradient(T):
    x = T.zeros(3, requires_grad=True)
    n = x.norm()
    n.backward()
    return n, x.grad


@program
def norm_dim_with_zero_row_gradient(T):
    x = T.tensor([[0.0, 0.0], [3.0, 4.0]], requires_grad=True)
    x.norm(dim=1).sum().backward()
    return x.grad


@program
def norm_p1_gradient_at_zero(T):
    x = T.tensor([0.0, -2.0], requires_grad=True)
    x.norm(p=1).backward()
    return x.grad


@program
def mean_gradient(T):
    x = T.ones(2, 3, requires_grad=True)
    x.mean().backward()
    return x.grad


@program
def logsumexp_gradient(T):
    x = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x.logsumexp(0).backward()
    return x.grad


@program
def softmax_gradient(T):
    x = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x.softmax(0) * T.tensor([1.0, 0.0, -1.0])).sum().backward()
    return x.grad


# =========================================================================== gradients at edge points

for _name, _f, _v in [
    ("pow0_at_zero", lambda x: x**0, [0.0, 1.0]),
    ("pow1_at_zero", lambda x: x**1, [0.0, 2.0]),
    ("pow2_at_zero", lambda x: x**2, [0.0, -1.0]),
    ("pow_half_at_zero", lambda x: x**0.5, [0.0, 4.0]),
    ("pow3_at_negative", lambda x: x**3, [-2.0, 0.0]),
    ("pow_neg1_at_zero", lambda x: x**-1, [0.0, 2.0]),
    ("pow_float_exponent_negative_base", lambda x: x**1.5, [-1.0, 1.0]),
    ("sqrt_at_zero", lambda x: x.sqrt(), [0.0, 4.0]),
    ("abs_at_zero", lambda x: x.abs(), [0.0, -1.0, 2.0]),
    ("relu_at_zero", lambda x: x.relu(), [0.0, -1.0, 2.0]),
    ("clamp_at_bounds", lambda x: x.clamp(0.0, 1.0), [0.0, 0.5, 1.0, 2.0, -1.0]),
    ("clamp_min_at_bound", lambda x: x.clamp(min=0.0), [0.0, 1.0]),
    ("maximum_tie", lambda x: T_maximum_tie(x), [1.0, 2.0]),
    ("log_at_zero", lambda x: x.log(), [0.0, 1.0]),
    ("exp_grad", lambda x: x.exp(), [0.0, 1.0]),
    ("sigmoid_grad_extreme", lambda x: x.sigmoid(), [-1000.0, 0.0, 1000.0]),
    ("tanh_grad", lambda x: x.tanh(), [0.0, 1.0]),
    ("div_by_zero_grad", lambda x: 1 / x, [0.0, 2.0]),
    ("log1p_grad", lambda x: x.log1p(), [0.0, 1.0]),
    ("sin_grad", lambda x: x.sin(), [0.0, 1.0]),
    ("square_grad", lambda x: x.square(), [-3.0, 0.0]),
    ("reciprocal_grad", lambda x: x.reciprocal(), [2.0, -1.0]),
    ("rsqrt_grad", lambda x: x.rsqrt(), [4.0, 1.0]),
    ("softplus_like", lambda x: (1 + x.exp()).log(), [0.0, 2.0]),
    ("min_max_clamp", lambda x: x.clamp(-1.0, 1.0) * x.amax(), [-2.0, 0.5, 2.0]),
]:

    def _edge(T, f=_f, v=_v):
        return grad_of(T, f, v)

    _edge.__name__ = "grad_" + _name
    PROGRAMS.append(_edge)


def T_maximum_tie(x):  # noqa: N802  (a helper for the table above)
    return x.maximum(x.detach() * 0 + 1.0)


@program
def pow_scalar_base_gradient_at_zero(T):
    x = T.tensor([0.0, 1.0], requires_grad=True)
    (2**x).sum().backward()
    return x.grad


@program
def pow_tensor_exponent_gradient(T):
    a = T.tensor([0.0, 2.0], requires_grad=True)
    b = T.tensor([2.0, 3.0], requires_grad=True)
    (a**b).sum().backward()
    return a.grad, b.grad


@program
def pow_zero_base_zero_exponent_grads(T):
    a = T.tensor([0.0], requires_grad=True)
    b = T.tensor([0.0], requires_grad=True)
    (a**b).sum().backward()
    return a.grad, b.grad


@program
def polynomial_features_at_zero(T):
    x = T.tensor([0.0, 0.5, -1.0], requires_grad=True)
    features = x.unsqueeze(-1) ** T.arange(4)
    w = T.tensor([1.0, -2.0, 0.5, 3.0])
    (features @ w).sum().backward()
    return features, x.grad


@program
def polynomial_features_float_exponents(T):
    x = T.tensor([0.0, 2.0], requires_grad=True)
    features = x.unsqueeze(1).pow(T.arange(3.0))
    features.sum().backward()
    return features, x.grad


@program
def pow_integer_tensor_exponent_dtype(T):
    x = T.tensor([1.0, 2.0])
    return x ** T.arange(3).reshape(3, 1)


@program
def gradcheck_pow_zero_at_zero(T):
    x = T.tensor([0.0, 0.3], dtype=T.float64, requires_grad=True)
    return T.autograd.gradcheck(lambda t: t**0, (x,))


@program
def gradcheck_norm(T):
    x = T.tensor([0.3, -0.4, 1.2], dtype=T.float64, requires_grad=True)
    return T.autograd.gradcheck(lambda t: t.norm(), (x,))


@program
def gradcheck_polynomial_features(T):
    x = T.tensor([0.2, -0.7], dtype=T.float64, requires_grad=True)
    return T.autograd.gradcheck(lambda t: t.unsqueeze(-1) ** T.arange(4), (x,))


@program
def second_derivative_of_cube(T):
    x = T.tensor(2.0, requires_grad=True)
    y = x**3
    (g,) = T.autograd.grad(y, x, create_graph=True)
    (h,) = T.autograd.grad(g, x)
    return g, h


@program
def second_derivative_pow0_at_zero(T):
    x = T.tensor(0.0, requires_grad=True)
    (g,) = T.autograd.grad(x**2, x, create_graph=True)
    (h,) = T.autograd.grad(g, x)
    return g.detach(), h


# =========================================================================== shapes and views

one("reshape_basic", lambda T: T.arange(6).reshape(2, 3))
one("reshape_tuple", lambda T: T.arange(6).reshape((3, 2)))
one("reshape_infer", lambda T: T.arange(6).reshape(-1, 2))
one("reshape_two_infers", lambda T: T.arange(6).reshape(-1, -1))
one("reshape_bad", lambda T: T.arange(6).reshape(4, 2))
one("reshape_bad_infer", lambda T: T.arange(6).reshape(-1, 4))
one("reshape_zero_dim", lambda T: T.arange(6).reshape(0, -1))
one("reshape_negative_two", lambda T: T.arange(6).reshape(-2, 3))
one("view_basic", lambda T: T.arange(6).view(3, 2))
one("view_infer", lambda T: T.arange(6.0).view(-1))
one("view_on_transposed", lambda T: T.arange(6).reshape(2, 3).t().view(6))
one("view_on_transposed_compatible", lambda T: T.arange(6).reshape(2, 3).t().view(3, 2))
one("view_on_permuted", lambda T: T.arange(24).reshape(2, 3, 4).permute(2, 0, 1).view(-1))
one("view_on_T", lambda T: T.ones(2, 3).T.view(-1))
one("view_after_contiguous", lambda T: T.arange(6).reshape(2, 3).t().contiguous().view(6))
one("reshape_on_transposed", lambda T: T.arange(6).reshape(2, 3).t().reshape(6))
one("view_on_slice", lambda T: T.arange(12).reshape(3, 4)[:, :2].view(6))
one("view_on_row_slice", lambda T: T.arange(12).reshape(3, 4)[1:].view(8))
one("view_on_step_slice", lambda T: T.arange(8)[::2].view(2, 2))
one("view_on_expanded", lambda T: T.ones(3, 1).expand(3, 4).view(12))
one("view_split_last_of_transposed", lambda T: T.arange(24).reshape(4, 6).t().view(2, 3, 4).shape)
one("view_unsqueezed_transposed", lambda T: T.arange(6).reshape(2, 3).t().view(3, 1, 2).shape)
one("is_contiguous_fresh", lambda T: T.ones(2, 3).is_contiguous())
one("is_contiguous_transposed", lambda T: T.ones(2, 3).t().is_contiguous())
one("is_contiguous_after_contiguous", lambda T: T.ones(2, 3).t().contiguous().is_contiguous())
one("is_contiguous_slice_rows", lambda T: T.ones(4, 3)[1:3].is_contiguous())
one("is_contiguous_slice_cols", lambda T: T.ones(4, 3)[:, 1:].is_contiguous())
one("is_contiguous_expanded", lambda T: T.ones(3, 1).expand(3, 4).is_contiguous())
one("is_contiguous_1xN_transposed", lambda T: T.ones(1, 3).t().is_contiguous())
one("is_contiguous_scalar", lambda T: T.tensor(1.0).is_contiguous())
one("is_contiguous_reshape_of_transposed", lambda T: T.ones(2, 3).t().reshape(3, 2).is_contiguous())
one("contiguous_values", lambda T: T.arange(6).reshape(2, 3).t().contiguous())
one("stride_fresh", lambda T: T.ones(2, 3, 4).stride())
one("stride_transposed", lambda T: T.ones(2, 3).t().stride())
one("stride_dim", lambda T: T.ones(2, 3).stride(0))
one("stride_expanded", lambda T: T.ones(3, 1).expand(3, 4).stride())
one("flatten_all", lambda T: T.ones(2, 3, 4).flatten().shape)
one("flatten_start", lambda T: T.ones(2, 3, 4).flatten(1).shape)
one("flatten_scalar", lambda T: T.tensor(2.0).flatten())
one("flatten_bad_order", lambda T: T.ones(2, 3, 4).flatten(2, 1))
one("flatten_transposed", lambda T: T.arange(6).reshape(2, 3).t().flatten())
one("unflatten", lambda T: T.arange(6).unflatten(0, (2, 3)))
one("squeeze_all", lambda T: T.ones(1, 3, 1).squeeze().shape)
one("squeeze_dim", lambda T: T.ones(1, 3, 1).squeeze(0).shape)
one("squeeze_non_one", lambda T: T.ones(2, 3).squeeze(0).shape)
one("squeeze_dim_tuple", lambda T: T.ones(1, 3, 1).squeeze((0, 2)).shape)
one("squeeze_bad_dim", lambda T: T.ones(1, 3).squeeze(2))
one("unsqueeze_front", lambda T: T.ones(3).unsqueeze(0).shape)
one("unsqueeze_end", lambda T: T.ones(3).unsqueeze(-1).shape)
one("unsqueeze_bad", lambda T: T.ones(3).unsqueeze(3))
one("permute_basic", lambda T: T.arange(24).reshape(2, 3, 4).permute(2, 0, 1).shape)
one("permute_tuple", lambda T: T.arange(24).reshape(2, 3, 4).permute((1, 2, 0)).shape)
one("permute_too_few", lambda T: T.ones(2, 3, 4).permute(1, 0))
one("permute_too_many", lambda T: T.ones(2, 3).permute(1, 0, 2))
one("permute_repeated", lambda T: T.ones(2, 3).permute(0, 0))
one("permute_out_of_range", lambda T: T.ones(2, 3).permute(0, 2))
one("transpose_basic", lambda T: T.arange(6).reshape(2, 3).transpose(0, 1))
one("transpose_bad_dim", lambda T: T.ones(2, 3).transpose(0, 2))
one("t_of_3d", lambda T: T.ones(2, 3, 4).t())
one("t_of_vector", lambda T: T.arange(3).t())
one("T_of_matrix", lambda T: T.arange(6).reshape(2, 3).T)
one("T_of_vector_warns", lambda T: T.arange(3).T)
one("T_of_3d_warns", lambda T: T.ones(2, 3, 4).T.shape)
one("T_of_scalar", lambda T: T.tensor(1.0).T)
one("mT_of_3d", lambda T: T.ones(2, 3, 4).mT.shape)
one("mT_of_vector", lambda T: T.ones(3).mT)
one("expand_basic", lambda T: T.tensor([[1.0], [2.0]]).expand(2, 3))
one("expand_minus_one", lambda T: T.tensor([[1.0], [2.0]]).expand(-1, 3))
one("expand_bad", lambda T: T.ones(2, 3).expand(4, 3))
one("expand_new_dims", lambda T: T.ones(3).expand(2, 3).shape)
one("expand_fewer_dims", lambda T: T.ones(2, 3).expand(3))
one("expand_as", lambda T: T.ones(3).expand_as(T.zeros(2, 3)).shape)
one("repeat_basic", lambda T: T.tensor([1, 2]).repeat(2, 2))
one("repeat_too_few", lambda T: T.ones(2, 3).repeat(2))
one("cat_dim0", lambda T: T.cat([T.ones(2, 3), T.zeros(1, 3)]))
one("cat_dim1", lambda T: T.cat([T.ones(2, 1), T.zeros(2, 2)], dim=1))
one("cat_mismatch", lambda T: T.cat([T.ones(2, 3), T.ones(2, 4)]))
one("cat_empty_list", lambda T: T.cat([]))
one("cat_mixed_dtypes", lambda T: T.cat([T.tensor([1, 2]), T.tensor([0.5])]))
one("cat_different_ndim", lambda T: T.cat([T.ones(2, 3), T.ones(3)]))
one("cat_bad_dim", lambda T: T.cat([T.ones(2), T.ones(2)], dim=1))
one("cat_tuple", lambda T: T.cat((T.ones(1), T.zeros(1))))
one("cat_scalars", lambda T: T.cat([T.tensor(1.0), T.tensor(2.0)]))
one("cat_tensor_not_list", lambda T: T.cat(T.ones(2, 2)))
one("stack_basic", lambda T: T.stack([T.ones(3), T.zeros(3)]))
one("stack_dim1", lambda T: T.stack([T.ones(3), T.zeros(3)], dim=1).shape)
one("stack_mismatch", lambda T: T.stack([T.ones(3), T.zeros(2)]))
one("stack_scalars", lambda T: T.stack([T.tensor(1.0), T.tensor(2.0)]))
one("stack_negative_dim", lambda T: T.stack([T.ones(2, 3), T.ones(2, 3)], dim=-1).shape)
one("stack_empty", lambda T: T.stack([]))
one("chunk_uneven", lambda T: [c.shape for c in T.arange(7).chunk(3)])
one("chunk_more_than_size", lambda T: len(T.arange(2).chunk(5)))
one("split_int", lambda T: [c.tolist() for c in T.arange(5).split(2)])
one("split_sizes", lambda T: [c.tolist() for c in T.arange(5).split([2, 3])])
one("split_sizes_bad", lambda T: T.arange(5).split([2, 2]))
one("unbind_dim1", lambda T: T.arange(6).reshape(2, 3).unbind(1))
one("view_as", lambda T: T.arange(6).view_as(T.zeros(3, 2)).shape)
one("shape_unpack", lambda T: (lambda n, d: (n, d))(*T.ones(4, 5).shape))


@program
def view_shares_memory(T):
    x = T.arange(6.0)
    v = x.view(2, 3)
    v[0, 0] = 99.0
    return x


@program
def transpose_shares_memory(T):
    x = T.zeros(2, 3)
    x.t()[0, 1] = 5.0
    return x


@program
def reshape_of_contiguous_shares(T):
    x = T.zeros(2, 3)
    x.reshape(6)[0] = 1.0
    return x


@program
def contiguous_copy_does_not_share(T):
    x = T.zeros(2, 3)
    c = x.t().contiguous()
    c[0, 0] = 1.0
    return x


@program
def view_gradient(T):
    x = T.arange(6.0, requires_grad=True)
    (x.view(2, 3) * T.tensor([1.0, 2.0, 3.0])).sum().backward()
    return x.grad


# =========================================================================== matmul

one("matmul_2d", lambda T: T.tensor([[1.0, 2.0], [3.0, 4.0]]) @ T.tensor([[1.0], [1.0]]))
one("matmul_vector_vector", lambda T: T.tensor([1.0, 2.0]) @ T.tensor([3.0, 4.0]))
one("matmul_matrix_vector", lambda T: T.ones(2, 3) @ T.ones(3))
one("matmul_vector_matrix", lambda T: T.ones(2) @ T.ones(2, 3))
one("matmul_batched", lambda T: (T.ones(4, 2, 3) @ T.ones(3, 5)).shape)
one("matmul_batch_broadcast", lambda T: (T.ones(4, 1, 2, 3) @ T.ones(5, 3, 2)).shape)
one("matmul_mismatch", lambda T: T.ones(2, 3) @ T.ones(4, 5))
one("matmul_batch_mismatch", lambda T: T.ones(2, 3, 4) @ T.ones(3, 4, 5))
one("matmul_vector_mismatch", lambda T: T.ones(3) @ T.ones(4))
one("matmul_scalar", lambda T: T.tensor(2.0) @ T.ones(2))
one("matmul_float32_float64", lambda T: T.ones(2, 2) @ T.ones(2, 2, dtype=T.float64))
one("matmul_int_float", lambda T: T.ones(2, 2, dtype=T.int64) @ T.ones(2, 2))
one("matmul_int_int", lambda T: T.tensor([[1, 2], [3, 4]]) @ T.tensor([[1], [1]]))
one("matmul_float_list", lambda T: T.ones(2, 2) @ [[1.0], [2.0]])
one("matmul_free", lambda T: T.matmul(T.ones(2, 3), T.ones(3, 2)))
one("mm_basic", lambda T: T.mm(T.ones(2, 3), T.ones(3, 1)))
one("mm_vector", lambda T: T.mm(T.ones(3), T.ones(3, 1)))
one("mm_mismatch", lambda T: T.mm(T.ones(2, 3), T.ones(2, 3)))
one("mv_basic", lambda T: T.mv(T.ones(2, 3), T.tensor([1.0, 2.0, 3.0])))
one("mv_bad", lambda T: T.mv(T.ones(2, 3), T.ones(3, 1)))
one("dot_basic", lambda T: T.dot(T.tensor([1.0, 2.0]), T.tensor([3.0, 4.0])))
one("dot_matrix", lambda T: T.dot(T.ones(2, 2), T.ones(2, 2)))
one("dot_int_float", lambda T: T.dot(T.tensor([1, 2]), T.tensor([1.0, 2.0])))
one("dot_length_mismatch", lambda T: T.dot(T.ones(2), T.ones(3)))
one("bmm_basic", lambda T: T.bmm(T.ones(2, 3, 4), T.ones(2, 4, 5)).shape)
one("bmm_batch_mismatch", lambda T: T.bmm(T.ones(2, 3, 4), T.ones(3, 4, 5)))
one("bmm_2d", lambda T: T.bmm(T.ones(3, 4), T.ones(4, 5)))
one("outer_basic", lambda T: T.outer(T.tensor([1.0, 2.0]), T.tensor([1.0, 0.0, -1.0])))
one("outer_int", lambda T: T.outer(T.tensor([1, 2]), T.tensor([3, 4])))
one("outer_matrix", lambda T: T.outer(T.ones(2, 2), T.ones(2)))


@program
def matmul_gradients(T):
    a = T.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = T.tensor([[0.5, -1.0], [2.0, 0.0]], requires_grad=True)
    (a @ b).sum().backward()
    return a.grad, b.grad


@program
def matmul_vector_gradients(T):
    a = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = T.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], requires_grad=True)
    (a @ w).pow(2).sum().backward()
    return a.grad, w.grad


@program
def matmul_batched_gradient_broadcast(T):
    a = T.ones(3, 2, 2, requires_grad=True)
    b = T.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    (a @ b).sum().backward()
    return b.grad


# =========================================================================== autograd basics


@program
def lecture_example(T):
    a = T.tensor(2.0, requires_grad=True)
    b = T.tensor(3.0, requires_grad=True)
    d = a * b + a
    d.backward()
    return d, a.grad, b.grad


@program
def grads_accumulate(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    (x * 3).sum().backward()
    return x.grad


@program
def zero_grad_in_place(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    x.grad.zero_()
    (x * 3).sum().backward()
    return x.grad


@program
def grad_none_before_backward(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    return x.grad is None


@program
def backward_twice_raises(T):
    x = T.tensor(2.0, requires_grad=True)
    y = x * x
    y.backward()
    y.backward()


@program
def backward_twice_retain(T):
    x = T.tensor(2.0, requires_grad=True)
    y = x * x
    y.backward(retain_graph=True)
    y.backward()
    return x.grad


@program
def backward_twice_through_add_only(T):
    x = T.tensor(2.0, requires_grad=True)
    y = x + 1
    y.backward()
    y.backward()
    return x.grad


@program
def backward_non_scalar(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    (x * 2).backward()


@program
def backward_non_scalar_with_gradient(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    (x * 2).backward(T.tensor([1.0, 0.5]))
    return x.grad


@program
def backward_gradient_wrong_shape(T):
    x = T.ones(3, requires_grad=True)
    (x * 2).backward(T.ones(4))


@program
def backward_gradient_list(T):
    x = T.ones(2, requires_grad=True)
    (x * 2).backward([1.0, 1.0])
    return x.grad


@program
def backward_without_requires_grad(T):
    T.tensor([1.0, 2.0]).sum().backward()


@program
def backward_one_element_vector(T):
    x = T.tensor([3.0], requires_grad=True)
    (x * x).backward()
    return x.grad


@program
def backward_int_gradient_for_float(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    (x * 2).backward(T.tensor([1, 1]))
    return x.grad


@program
def requires_grad_propagates(T):
    x = T.tensor([1.0], requires_grad=True)
    y = T.tensor([2.0])
    return (x * y).requires_grad, (y * 2).requires_grad, (x * y).is_leaf, x.is_leaf


@program
def non_leaf_grad_warns(T):
    x = T.tensor([1.0], requires_grad=True)
    y = x * 2
    y.sum().backward()
    return y.grad


@program
def retain_grad_non_leaf(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    (y * y).sum().backward()
    return y.grad, x.grad


@program
def retain_grad_without_requires_grad(T):
    T.ones(2).retain_grad()


@program
def requires_grad_on_non_leaf_false(T):
    x = T.tensor([1.0], requires_grad=True)
    y = x * 2
    y.requires_grad = False


@program
def requires_grad_underscore(T):
    x = T.ones(2).requires_grad_()
    (x * 3).sum().backward()
    return x.grad


@program
def requires_grad_on_int_tensor(T):
    return T.tensor([1, 2]).requires_grad_()


@program
def detach_cuts_graph(T):
    x = T.tensor([2.0], requires_grad=True)
    y = x * x.detach()
    y.backward()
    return x.grad, x.detach().requires_grad


@program
def detach_shares_memory(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    d = x.detach()
    d[0] = 9.0
    return x


@program
def no_grad_context(T):
    x = T.tensor([1.0], requires_grad=True)
    with T.no_grad():
        y = x * 2
    return y.requires_grad, y.grad_fn is None, T.is_grad_enabled()


@program
def no_grad_decorator(T):
    @T.no_grad()
    def f(x):
        return x * 2

    x = T.tensor([1.0], requires_grad=True)
    return f(x).requires_grad


@program
def enable_grad_inside_no_grad(T):
    x = T.tensor([1.0], requires_grad=True)
    with T.no_grad(), T.enable_grad():
        y = x * 2
    return y.requires_grad


@program
def set_grad_enabled_false(T):
    x = T.tensor([1.0], requires_grad=True)
    with T.set_grad_enabled(False):
        y = x * 2
    return y.requires_grad, T.is_grad_enabled()


@program
def inference_mode(T):
    x = T.tensor([1.0], requires_grad=True)
    with T.inference_mode():
        y = x * 2
    return y.requires_grad


@program
def manual_update_without_no_grad(T):
    w = T.tensor([1.0], requires_grad=True)
    (w * 2).sum().backward()
    w -= 0.1 * w.grad


@program
def manual_update_with_no_grad(T):
    w = T.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    with T.no_grad():
        w -= 0.1 * w.grad
    return w, w.requires_grad, w.is_leaf


@program
def reassign_loses_leaf(T):
    w = T.tensor([1.0], requires_grad=True)
    (w * 2).sum().backward()
    w = w - 0.1 * w.grad
    return w.is_leaf, w.requires_grad


@program
def data_update(T):
    w = T.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    w.data -= 0.5 * w.grad
    return w, w.is_leaf


@program
def grad_set_to_none(T):
    w = T.tensor([1.0], requires_grad=True)
    (w * 2).sum().backward()
    w.grad = None
    (w * 5).sum().backward()
    return w.grad


@program
def grad_assign_wrong_shape(T):
    w = T.tensor([1.0, 2.0], requires_grad=True)
    w.grad = T.zeros(3)


@program
def grad_assign_wrong_type(T):
    w = T.tensor([1.0, 2.0], requires_grad=True)
    w.grad = [0.0, 0.0]


@program
def autograd_grad_basic(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    (g,) = T.autograd.grad((x**3).sum(), x)
    return g, x.grad is None


@program
def autograd_grad_two_inputs(T):
    x = T.tensor(1.0, requires_grad=True)
    y = T.tensor(2.0, requires_grad=True)
    return T.autograd.grad(x * y + y, [x, y])


@program
def autograd_grad_unused(T):
    x = T.tensor(1.0, requires_grad=True)
    y = T.tensor(2.0, requires_grad=True)
    return T.autograd.grad(x * 2, [x, y])


@program
def autograd_grad_allow_unused(T):
    x = T.tensor(1.0, requires_grad=True)
    y = T.tensor(2.0, requires_grad=True)
    return T.autograd.grad(x * 2, [x, y], allow_unused=True)


@program
def autograd_grad_non_scalar(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    return T.autograd.grad(x * 2, x)


@program
def autograd_grad_outputs(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    return T.autograd.grad(x * x, x, grad_outputs=T.ones(2))


@program
def autograd_grad_input_not_requiring(T):
    x = T.tensor(1.0, requires_grad=True)
    y = T.tensor(2.0)
    return T.autograd.grad(x * y, y)


@program
def autograd_backward_function(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    T.autograd.backward([(x * x).sum()])
    return x.grad


@program
def backward_inputs_argument(T):
    x = T.tensor(1.0, requires_grad=True)
    y = T.tensor(2.0, requires_grad=True)
    (x * y).backward(inputs=[x])
    return x.grad, y.grad is None


@program
def graph_freed_access_saved(T):
    x = T.tensor(2.0, requires_grad=True)
    y = x.exp()
    y.backward()
    return y.grad_fn is not None


@program
def jacobian_functional(T):
    x = T.tensor([1.0, 2.0])
    return T.autograd.functional.jacobian(lambda v: v**2 * v.sum(), x)


@program
def hessian_functional(T):
    x = T.tensor([1.0, 2.0])
    return T.autograd.functional.hessian(lambda v: (v**3).sum() + v[0] * v[1], x)


@program
def gradcheck_ok(T):
    x = T.tensor([0.5, -1.0], dtype=T.float64, requires_grad=True)
    return T.autograd.gradcheck(lambda t: (t.sin() * t).sum(), (x,))


@program
def gradcheck_float32_warns(T):
    x = T.tensor([0.5, -1.0], requires_grad=True)
    return T.autograd.gradcheck(lambda t: t * 2, (x,), atol=1e-2, rtol=1e-2)


# ----------------------------------------------------------------- node names


@program
def node_names_elementwise(T):
    a = T.tensor([1.0, 2.0], requires_grad=True)
    b = T.tensor([3.0, 4.0], requires_grad=True)
    outs = [a * b, a + b, a - b, a / b, -a, a**2, a.exp(), a.log(), a.sin(), a.cos(), a.tanh(), a.sigmoid()]
    outs += [a.relu(), a.abs(), a.sum(), a.mean()]
    return [type(o.grad_fn).__name__ for o in outs]


@program
def node_names_matmul(T):
    a = T.ones(2, 3, requires_grad=True)
    b = T.ones(3, 4, requires_grad=True)
    v = T.ones(3, requires_grad=True)
    return [type(o.grad_fn).__name__ for o in (a @ b, a @ v, v @ v, T.ones(2, 2, 3, requires_grad=True) @ b)]


@program
def node_names_shapes(T):
    a = T.ones(2, 3, requires_grad=True)
    outs = [a.reshape(3, 2), a.view(6), a.t(), a.permute(1, 0), a.transpose(0, 1), a.unsqueeze(0)]
    outs += [a.expand(2, 2, 3), a[0], a[:, 1:], a[T.tensor([0, 1])], a.flatten()]
    return [type(o.grad_fn).__name__ for o in outs]


@program
def node_names_linear(T):
    lin = T.nn.Linear(3, 2)
    x = T.ones(4, 3)
    y = lin(x)
    no_bias = T.nn.Linear(3, 2, bias=False)
    return type(y.grad_fn).__name__, type(no_bias(x).grad_fn).__name__


@program
def node_names_losses(T):
    F = T.nn.functional
    x = T.tensor([[1.0, 2.0], [0.5, -1.0]], requires_grad=True)
    ce = F.cross_entropy(x, T.tensor([0, 1]))
    mse = F.mse_loss(x, T.zeros(2, 2))
    return type(ce.grad_fn).__name__, type(mse.grad_fn).__name__


@program
def node_names_more(T):
    a = T.tensor([1.0, 2.0], requires_grad=True)
    outs = [a.clamp(0, 1), a.max(), a.softmax(0), a.log_softmax(0), a.clone(), a.to(T.float64), a.sqrt()]
    outs += [T.cat([a, a]), T.stack([a, a]), a.maximum(a * 2), T.where(a > 1, a, a * 2)]
    return [type(o.grad_fn).__name__ for o in outs]


@program
def next_functions_names(T):
    a = T.tensor(2.0, requires_grad=True)
    b = T.tensor(3.0, requires_grad=True)
    d = a * b + a
    return [type(fn).__name__ for fn, _ in d.grad_fn.next_functions]


@program
def grad_fn_name_method(T):
    a = T.tensor(2.0, requires_grad=True)
    return (a * 3).grad_fn.name()


@program
def leaf_grad_fn_is_none(T):
    return T.tensor(1.0, requires_grad=True).grad_fn is None


# ----------------------------------------------------------------- hooks


@program
def hook_scales_gradient(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g * 10)
    (x * x).sum().backward()
    return x.grad


@program
def hook_changes_shape(T):
    x = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x.register_hook(lambda g: g.sum())
    (x * 2).sum().backward()
    return x.grad


@program
def hook_changes_shape_non_leaf(T):
    x = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    y.register_hook(lambda g: g[:2])
    y.sum().backward()
    return x.grad


@program
def hook_changes_dtype(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g.double())
    (x * 2).sum().backward()
    return x.grad


@program
def hook_returns_none(T):
    seen = []
    x = T.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: seen.append(g.tolist()))
    (x * 3).sum().backward()
    return seen, x.grad


@program
def hook_removed(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    handle = x.register_hook(lambda g: g * 0)
    handle.remove()
    (x * 3).sum().backward()
    return x.grad


@program
def hook_on_non_requiring(T):
    T.ones(2).register_hook(lambda g: g)


@program
def hook_on_intermediate_sees_grad(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    seen = []
    y.register_hook(lambda g: seen.append(g.clone()))
    (y * y).sum().backward()
    return seen, x.grad


# ----------------------------------------------------------------- custom Functions


@program
def custom_function_square(T):
    class Square(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return 2 * x * grad_output

    x = T.tensor([1.0, -3.0], requires_grad=True)
    y = Square.apply(x)
    y.sum().backward()
    return y, x.grad, type(y.grad_fn).__name__


@program
def custom_function_expandable_gradient(T):
    class Twice(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output.sum(0, keepdim=True) * 0 + 2  # shape (1, 3): expandable to (2, 3)

    x = T.ones(2, 3, requires_grad=True)
    Twice.apply(x).sum().backward()
    return x.grad


@program
def custom_function_scalar_gradient_for_vector(T):
    class Shift(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x + 1

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output.sum()

    x = T.ones(3, requires_grad=True)
    Shift.apply(x).sum().backward()
    return x.grad


@program
def custom_function_broadcast_bias_gradient(T):
    class AddBias(T.autograd.Function):
        @staticmethod
        def forward(ctx, x, b):
            return x + b

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output, grad_output  # b was (3,), the gradient is (2, 3)

    x = T.ones(2, 3, requires_grad=True)
    b = T.zeros(3, requires_grad=True)
    AddBias.apply(x, b).sum().backward()
    return b.grad


@program
def custom_function_wrong_gradient_shape(T):
    class Bad(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad_output):
            return T.ones(4)

    x = T.ones(3, requires_grad=True)
    Bad.apply(x).sum().backward()


@program
def custom_function_too_many_gradients(T):
    class Extra(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * 2, grad_output

    x = T.ones(3, requires_grad=True)
    Extra.apply(x).sum().backward()
    return x.grad


@program
def custom_function_extra_none_gradients(T):
    class Extra(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * 2, None, None

    x = T.ones(3, requires_grad=True)
    Extra.apply(x).sum().backward()
    return x.grad


@program
def custom_function_too_few_gradients(T):
    class TooFew(T.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output

    x = T.ones(3, requires_grad=True)
    TooFew.apply(x, T.ones(3, requires_grad=True)).sum().backward()


@program
def custom_function_non_tensor_argument(T):
    class Scale(T.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.k = k
            return x * k

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * ctx.k, None

    x = T.tensor([1.0, 2.0], requires_grad=True)
    Scale.apply(x, 3.0).sum().backward()
    return x.grad


@program
def custom_function_needs_input_grad(T):
    seen = []

    class Mul(T.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, grad_output):
            seen.append(tuple(ctx.needs_input_grad))
            a, b = ctx.saved_tensors
            return grad_output * b, grad_output * a

    a = T.tensor([1.0], requires_grad=True)
    Mul.apply(a, T.tensor([2.0])).sum().backward()
    return seen, a.grad


@program
def custom_function_returns_number(T):
    class Bad(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad_output):
            return 2.0

    x = T.ones(2, requires_grad=True)
    Bad.apply(x).sum().backward()


@program
def custom_function_two_outputs(T):
    class Split(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            return g1 * 2 + g2 * 3

    x = T.tensor([1.0, 2.0], requires_grad=True)
    a, b = Split.apply(x)
    (a.sum() + b.sum() * 2).backward()
    return x.grad


@program
def custom_function_called_directly(T):
    class Id(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    return Id()(T.ones(1))


# ----------------------------------------------------------------- in-place and versions


@program
def inplace_on_leaf_requiring_grad(T):
    w = T.tensor([1.0], requires_grad=True)
    w.add_(1)


@program
def inplace_on_saved_output(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.add_(1)
    y.sum().backward()


@program
def inplace_on_saved_input(T):
    w = T.tensor([1.0, 2.0], requires_grad=True)
    x = T.ones(2)
    y = w * x
    x.mul_(3)
    y.sum().backward()


@program
def inplace_not_saved_is_fine(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x + 1
    y.mul_(2)
    y.sum().backward()
    return x.grad


@program
def inplace_relu_after_sigmoid(T):
    x = T.tensor([1.0, -2.0], requires_grad=True)
    y = x.sigmoid()
    y.relu_()
    y.sum().backward()


@program
def version_counter(T):
    x = T.ones(2)
    v0 = x._version
    x.add_(1)
    x[0] = 3.0
    return v0, x._version


@program
def inplace_ops_values(T):
    x = T.tensor([1.0, 4.0])
    x.mul_(2).add_(1).sub_(0.5).div_(2)
    x.clamp_(0, 3)
    return x


@program
def inplace_unary_values(T):
    x = T.tensor([0.0, 1.0])
    x.exp_()
    y = T.tensor([4.0, 9.0]).sqrt_()
    z = T.tensor([-1.0, 2.0]).abs_().neg_()
    return x, y, z


@program
def fill_and_zero(T):
    x = T.ones(3)
    x.fill_(7)
    y = T.ones(2)
    y.zero_()
    return x, y


@program
def copy_broadcast(T):
    x = T.zeros(2, 3)
    x.copy_(T.tensor([1.0, 2.0, 3.0]))
    return x


@program
def copy_wrong_shape(T):
    x = T.zeros(2, 3)
    x.copy_(T.ones(2))


@program
def inplace_broadcast_wrong_direction(T):
    x = T.ones(3)
    x += T.ones(2, 3)
    return x


@program
def inplace_on_expanded(T):
    x = T.ones(3, 1).expand(3, 4)
    x.add_(1)
    return x


@program
def inplace_add_alpha(T):
    x = T.ones(2)
    x.add_(T.tensor([1.0, 2.0]), alpha=-2)
    return x


@program
def uniform_and_normal_shapes(T):
    x = T.empty(3, 2).uniform_(-1, 1)
    y = T.empty(4).normal_(0, 0.1)
    return x.shape, bool((x >= -1).all() and (x < 1).all()), y.shape


@program
def requires_grad_after_inplace_from_grad_tensor(T):
    x = T.zeros(2)
    w = T.ones(2, requires_grad=True)
    x.add_(w)
    x.sum().backward()
    return x.requires_grad, x.is_leaf, w.grad


# =========================================================================== nn


def _linear(T, in_f, out_f, weight, bias=None):
    layer = T.nn.Linear(in_f, out_f, bias=bias is not None)
    with T.no_grad():
        layer.weight.copy_(T.tensor(weight))
        if bias is not None:
            layer.bias.copy_(T.tensor(bias))
    return layer


@program
def linear_forward_backward(T):
    layer = _linear(T, 3, 2, [[0.1, -0.2, 0.3], [0.5, 0.0, -0.5]], [0.01, -0.02])
    x = T.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]])
    y = layer(x)
    y.pow(2).sum().backward()
    return y, layer.weight.grad, layer.bias.grad


@program
def linear_shapes(T):
    layer = T.nn.Linear(4, 3)
    return layer.weight.shape, layer.bias.shape, layer(T.ones(5, 4)).shape, layer(T.ones(4)).shape


@program
def linear_batch_dims(T):
    layer = _linear(T, 2, 1, [[1.0, -1.0]], [0.5])
    return layer(T.ones(3, 4, 2))


@program
def linear_wrong_input_size(T):
    T.nn.Linear(3, 2)(T.ones(4, 5))


@program
def linear_int_input(T):
    T.nn.Linear(2, 1)(T.tensor([[1, 2]]))


@program
def linear_float64_input(T):
    T.nn.Linear(2, 1)(T.ones(1, 2, dtype=T.float64))


@program
def linear_double_model(T):
    layer = _linear(T, 2, 1, [[1.0, 2.0]], [0.0]).double()
    return layer(T.ones(1, 2, dtype=T.float64))


@program
def linear_no_bias(T):
    layer = _linear(T, 2, 1, [[1.0, 2.0]])
    return layer.bias is None, layer(T.ones(2)), len(list(layer.parameters()))


@program
def linear_repr(T):
    return repr(T.nn.Linear(3, 2)), repr(T.nn.Linear(3, 2, bias=False))


@program
def linear_init_range(T):
    T.manual_seed(0)
    layer = T.nn.Linear(100, 50)
    bound = 1 / math.sqrt(100)
    return bool(layer.weight.abs().max() <= bound), bool(layer.bias.abs().max() <= bound), layer.weight.requires_grad


@program
def linear_parameters_are_leaves(T):
    layer = T.nn.Linear(2, 3)
    return [(p.is_leaf, p.requires_grad, tuple(p.shape)) for p in layer.parameters()]


@program
def sequential_forward(T):
    model = T.nn.Sequential(_linear(T, 2, 2, [[1.0, -1.0], [0.5, 0.5]], [0.0, 0.1]), T.nn.ReLU())
    model.append(_linear(T, 2, 1, [[2.0, -3.0]], [0.5]))
    x = T.tensor([[1.0, 2.0], [3.0, -1.0]])
    out = model(x)
    out.sum().backward()
    return out, model[0].weight.grad, model[-1].bias.grad


@program
def sequential_repr(T):
    return repr(T.nn.Sequential(T.nn.Linear(2, 3), T.nn.ReLU(), T.nn.Linear(3, 1), T.nn.Sigmoid()))


@program
def sequential_len_and_index(T):
    model = T.nn.Sequential(T.nn.Linear(2, 3), T.nn.Tanh(), T.nn.Linear(3, 1))
    return len(model), type(model[1]).__name__, type(model[-1]).__name__, len(model[:2])


@program
def sequential_index_out_of_range(T):
    return T.nn.Sequential(T.nn.ReLU())[3]


@program
def sequential_with_function(T):
    return T.nn.Sequential(T.nn.Linear(2, 2), T.nn.functional.relu)


@program
def parameter_count(T):
    model = T.nn.Sequential(T.nn.Linear(4, 8), T.nn.ReLU(), T.nn.Linear(8, 3))
    return sum(p.numel() for p in model.parameters()), [n for n, _ in model.named_parameters()]


@program
def state_dict_keys_shapes(T):
    model = T.nn.Sequential(T.nn.Linear(4, 8), T.nn.ReLU(), T.nn.Linear(8, 3))
    sd = model.state_dict()
    return list(sd.keys()), [tuple(v.shape) for v in sd.values()], [v.requires_grad for v in sd.values()]


@program
def state_dict_roundtrip(T):
    a = _linear(T, 2, 1, [[1.0, 2.0]], [3.0])
    b = T.nn.Linear(2, 1)
    result = b.load_state_dict(a.state_dict())
    return b.weight, b.bias, list(result.missing_keys), list(result.unexpected_keys)


@program
def state_dict_shares_memory(T):
    layer = _linear(T, 2, 1, [[1.0, 2.0]], [3.0])
    sd = layer.state_dict()
    with T.no_grad():
        layer.weight.add_(1)
    return sd["weight"]


@program
def load_state_dict_wrong_shape(T):
    T.nn.Linear(2, 1).load_state_dict(T.nn.Linear(3, 1).state_dict())


@program
def load_state_dict_missing_key(T):
    layer = T.nn.Linear(2, 1)
    layer.load_state_dict({"weight": T.ones(1, 2)})


@program
def load_state_dict_not_strict(T):
    layer = T.nn.Linear(2, 1)
    result = layer.load_state_dict({"weight": T.ones(1, 2), "extra": T.ones(1)}, strict=False)
    return layer.weight, list(result.missing_keys), list(result.unexpected_keys)


@program
def custom_module(T):
    class Net(T.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = _linear(T, 2, 3, [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [0.0, 0.0, -1.0])
            self.fc2 = _linear(T, 3, 1, [[1.0, -1.0, 0.5]], [0.2])

        def forward(self, x):
            return self.fc2(T.relu(self.fc1(x)))

    net = Net()
    out = net(T.tensor([[1.0, 2.0]]))
    out.backward()
    return out, [n for n, _ in net.named_parameters()], net.fc1.weight.grad, repr(net)


@program
def module_without_super_init(T):
    class Net(T.nn.Module):
        def __init__(self):
            self.fc = T.nn.Linear(2, 1)

    Net()


@program
def module_without_forward(T):
    class Net(T.nn.Module):
        pass

    Net()(T.ones(1))


@program
def module_zero_grad(T):
    layer = T.nn.Linear(2, 1)
    layer(T.ones(1, 2)).sum().backward()
    layer.zero_grad()
    return layer.weight.grad is None, layer.bias.grad is None


@program
def module_zero_grad_set_to_zero(T):
    layer = T.nn.Linear(2, 1)
    layer(T.ones(1, 2)).sum().backward()
    layer.zero_grad(set_to_none=False)
    return layer.weight.grad, layer.bias.grad


@program
def train_eval_flags(T):
    model = T.nn.Sequential(T.nn.Linear(2, 2), T.nn.Dropout(0.5))
    model.eval()
    flags = [m.training for m in model.modules()]
    model.train()
    return flags, [m.training for m in model.modules()]


@program
def dropout_eval_identity(T):
    drop = T.nn.Dropout(0.5)
    drop.eval()
    return drop(T.tensor([1.0, 2.0, 3.0]))


@program
def dropout_train_scaling(T):
    T.manual_seed(0)
    out = T.nn.Dropout(0.25)(T.ones(1000))
    values = set(out.unique().tolist()) if hasattr(out, "unique") else set(out.tolist())
    return sorted(round(v, 4) for v in values)


@program
def dropout_bad_p(T):
    T.nn.Dropout(1.5)


@program
def dropout_functional_not_training(T):
    return T.nn.functional.dropout(T.ones(3), p=0.5, training=False)


@program
def dropout_p_one(T):
    return T.nn.functional.dropout(T.ones(3), p=1.0)


@program
def activations_modules(T):
    x = T.tensor([-1.0, 0.0, 2.0])
    return T.nn.ReLU()(x), T.nn.Sigmoid()(x), T.nn.Tanh()(x), T.nn.Softmax(dim=0)(x), T.nn.LogSoftmax(dim=0)(x)


@program
def softmax_module_without_dim(T):
    return T.nn.Softmax()(T.tensor([[1.0, 2.0], [3.0, 5.0]]))


@program
def functional_softmax_without_dim(T):
    return T.nn.functional.softmax(T.tensor([[1.0, 2.0], [3.0, 5.0]]))


@program
def functional_softmax_without_dim_1d(T):
    return T.nn.functional.softmax(T.tensor([1.0, 2.0, 3.0]))


@program
def functional_log_softmax_without_dim(T):
    return T.nn.functional.log_softmax(T.tensor([[1.0, 2.0], [3.0, 5.0]]))


@program
def functional_softmax_int(T):
    return T.nn.functional.softmax(T.tensor([1, 2, 3]), dim=0)


@program
def functional_softmax_dtype(T):
    return T.nn.functional.softmax(T.tensor([1, 2, 3]), dim=0, dtype=T.float64)


@program
def functional_activations(T):
    F = T.nn.functional
    x = T.tensor([-2.0, 0.0, 3.0])
    return F.relu(x), F.sigmoid(x), F.tanh(x), F.leaky_relu(x, 0.1), F.gelu(x), F.softplus(x), F.elu(x)


@program
def more_activation_modules(T):
    x = T.tensor([-2.0, 0.5, 3.0])
    return T.nn.LeakyReLU(0.2)(x), T.nn.GELU()(x), T.nn.ELU()(x), T.nn.Softplus()(x)


@program
def flatten_module(T):
    return T.nn.Flatten()(T.ones(2, 3, 4)).shape, T.nn.Flatten(0)(T.ones(2, 3)).shape


@program
def identity_module(T):
    return T.nn.Identity()(T.tensor([1.0]))


@program
def module_list(T):
    layers = T.nn.ModuleList([T.nn.Linear(2, 2) for _ in range(3)])
    return len(layers), len(list(layers.parameters())), type(layers[0]).__name__


@program
def named_modules(T):
    model = T.nn.Sequential(T.nn.Linear(2, 2), T.nn.Sequential(T.nn.ReLU(), T.nn.Linear(2, 1)))
    return [name for name, _ in model.named_modules()]


@program
def children(T):
    model = T.nn.Sequential(T.nn.Linear(2, 2), T.nn.ReLU())
    return [type(m).__name__ for m in model.children()]


@program
def parameter_is_tensor(T):
    p = T.nn.Parameter(T.tensor([1.0, 2.0]))
    return p.requires_grad, p.is_leaf, isinstance(p, T.Tensor), repr(p)


@program
def parameter_of_int(T):
    return T.nn.Parameter(T.tensor([1, 2]))


@program
def module_requires_grad_false(T):
    layer = T.nn.Linear(2, 1)
    layer.requires_grad_(False)
    return [p.requires_grad for p in layer.parameters()], layer(T.ones(2)).requires_grad


@program
def module_apply_init(T):
    model = T.nn.Sequential(T.nn.Linear(2, 2), T.nn.Linear(2, 1))

    def init(m):
        if isinstance(m, T.nn.Linear):
            T.nn.init.constant_(m.weight, 0.5)
            T.nn.init.zeros_(m.bias)

    model.apply(init)
    return model(T.ones(1, 2))


@program
def init_functions(T):
    w = T.empty(3, 4)
    T.nn.init.ones_(w)
    z = T.empty(2)
    T.nn.init.zeros_(z)
    T.manual_seed(0)
    u = T.empty(100)
    T.nn.init.uniform_(u, -0.1, 0.1)
    return w, z, bool(u.abs().max() <= 0.1)


@program
def xavier_bounds(T):
    w = T.empty(30, 20)
    T.nn.init.xavier_uniform_(w)
    bound = math.sqrt(6 / 50)
    return bool(w.abs().max() <= bound), w.shape


@program
def kaiming_normal_shape(T):
    w = T.empty(30, 20)
    T.nn.init.kaiming_normal_(w)
    return w.shape, w.requires_grad


@program
def register_buffer(T):
    class M(T.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("running", T.zeros(2))

        def forward(self, x):
            return x + self.running

    m = M()
    return list(m.state_dict().keys()), len(list(m.parameters())), m(T.ones(2))


@program
def module_to_float64(T):
    layer = T.nn.Linear(2, 1).to(T.float64)
    return layer.weight.dtype, layer.bias.dtype


# =========================================================================== losses


@program
def mse_loss_basic(T):
    F = T.nn.functional
    pred = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    loss = F.mse_loss(pred, T.tensor([1.5, 2.0, 2.0]))
    loss.backward()
    return loss, pred.grad


@program
def mse_loss_reductions(T):
    F = T.nn.functional
    a, b = T.tensor([1.0, 2.0]), T.tensor([0.0, 4.0])
    return F.mse_loss(a, b, reduction="sum"), F.mse_loss(a, b, reduction="none")


@program
def mse_loss_shape_mismatch_warns(T):
    return T.nn.functional.mse_loss(T.ones(3, 1), T.zeros(3))


@program
def mse_loss_bad_reduction(T):
    return T.nn.functional.mse_loss(T.ones(3), T.zeros(3), reduction="avg")


@program
def mse_loss_int_target(T):
    return T.nn.functional.mse_loss(T.ones(2), T.tensor([1, 0]))


@program
def mse_loss_module(T):
    return T.nn.MSELoss()(T.tensor([[1.0, 2.0]]), T.tensor([[0.0, 0.0]]))


@program
def l1_loss(T):
    pred = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    loss = T.nn.L1Loss()(pred, T.tensor([1.0, 0.0, 4.0]))
    loss.backward()
    return loss, pred.grad, T.nn.functional.l1_loss(pred, T.zeros(3), reduction="sum")


@program
def smooth_l1_and_huber(T):
    F = T.nn.functional
    a, b = T.tensor([0.0, 0.5, 3.0]), T.zeros(3)
    return F.smooth_l1_loss(a, b), F.huber_loss(a, b, delta=2.0)


@program
def cross_entropy_basic(T):
    logits = T.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]], requires_grad=True)
    loss = T.nn.functional.cross_entropy(logits, T.tensor([0, 2]))
    loss.backward()
    return loss, logits.grad


@program
def cross_entropy_reduction_none_sum(T):
    F = T.nn.functional
    logits = T.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]])
    target = T.tensor([1, 2])
    return F.cross_entropy(logits, target, reduction="none"), F.cross_entropy(logits, target, reduction="sum")


@program
def cross_entropy_module(T):
    loss_fn = T.nn.CrossEntropyLoss()
    return loss_fn(T.tensor([[1.0, 2.0, 3.0]]), T.tensor([2])), repr(loss_fn)


@program
def cross_entropy_float_class_target(T):
    return T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([0.0, 1.0]))


@program
def cross_entropy_target_n_by_2(T):
    return T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([[0, 1], [1, 0]]))


@program
def cross_entropy_int32_target(T):
    return T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([0, 1], dtype=T.int32))


@program
def cross_entropy_uint8_target(T):
    return T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([0, 1], dtype=T.uint8))


@program
def cross_entropy_bool_target(T):
    return T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([True, False]))


@program
def cross_entropy_target_out_of_range(T):
    return T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([0, 3]))


@program
def cross_entropy_negative_target(T):
    return T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([0, -1]))


@program
def cross_entropy_ignore_index_default(T):
    logits = T.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0], [1.0, 1.0, 1.0]], requires_grad=True)
    loss = T.nn.functional.cross_entropy(logits, T.tensor([0, -100, 2]))
    loss.backward()
    return loss, logits.grad


@program
def cross_entropy_ignore_index_custom(T):
    F = T.nn.functional
    logits = T.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]], requires_grad=True)
    loss = F.cross_entropy(logits, T.tensor([1, 2]), ignore_index=2)
    loss.backward()
    per_sample = F.cross_entropy(logits, T.tensor([1, 2]), ignore_index=2, reduction="none")
    return loss, logits.grad, per_sample


@program
def cross_entropy_all_ignored(T):
    return T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([-100, -100]))


@program
def cross_entropy_ignore_index_sum(T):
    return T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([-100, 1]), reduction="sum")


@program
def cross_entropy_label_smoothing(T):
    logits = T.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]], requires_grad=True)
    loss = T.nn.functional.cross_entropy(logits, T.tensor([0, 1]), label_smoothing=0.1)
    loss.backward()
    return loss, logits.grad


@program
def cross_entropy_label_smoothing_none(T):
    logits = T.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]])
    return T.nn.functional.cross_entropy(logits, T.tensor([0, 1]), label_smoothing=0.2, reduction="none")


@program
def cross_entropy_label_smoothing_with_ignore(T):
    logits = T.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0], [1.0, -1.0, 0.0]], requires_grad=True)
    loss = T.nn.functional.cross_entropy(logits, T.tensor([0, -100, 1]), label_smoothing=0.3)
    loss.backward()
    return loss, logits.grad


@program
def cross_entropy_label_smoothing_bad(T):
    return T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([0, 1]), label_smoothing=1.5)


@program
def cross_entropy_label_smoothing_probabilities(T):
    probs = T.tensor([[0.7, 0.2, 0.1], [0.0, 0.5, 0.5]])
    return T.nn.functional.cross_entropy(T.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]]), probs, label_smoothing=0.1)


@program
def cross_entropy_module_options(T):
    loss_fn = T.nn.CrossEntropyLoss(ignore_index=1, label_smoothing=0.05, reduction="sum")
    return loss_fn(T.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]]), T.tensor([0, 1])), loss_fn.ignore_index


@program
def cross_entropy_probabilities(T):
    logits = T.tensor([[2.0, 0.5, -1.0]], requires_grad=True)
    loss = T.nn.functional.cross_entropy(logits, T.tensor([[0.2, 0.3, 0.5]]))
    loss.backward()
    return loss, logits.grad


@program
def cross_entropy_probabilities_wrong_shape(T):
    return T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([[0.5, 0.5]]))


@program
def cross_entropy_1d_input(T):
    return T.nn.functional.cross_entropy(T.tensor([1.0, 2.0, 0.5]), T.tensor(1))


@program
def cross_entropy_batch_mismatch(T):
    return T.nn.functional.cross_entropy(T.ones(3, 4), T.tensor([0, 1]))


@program
def cross_entropy_3d_input(T):
    logits = T.arange(12.0).reshape(2, 3, 2) / 10
    return T.nn.functional.cross_entropy(logits, T.tensor([[0, 2], [1, 1]]))


@program
def cross_entropy_int_logits(T):
    return T.nn.functional.cross_entropy(T.tensor([[1, 2]]), T.tensor([0]))


@program
def cross_entropy_extreme_logits(T):
    logits = T.tensor([[1000.0, -1000.0], [-1000.0, 1000.0]], requires_grad=True)
    loss = T.nn.functional.cross_entropy(logits, T.tensor([1, 1]))
    loss.backward()
    return loss, logits.grad


@program
def cross_entropy_empty_batch(T):
    return T.nn.functional.cross_entropy(T.ones(0, 3), T.tensor([], dtype=T.int64))


@program
def cross_entropy_weight(T):
    return T.nn.functional.cross_entropy(
        T.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]]), T.tensor([0, 2]), weight=T.tensor([1.0, 2.0, 3.0])
    )


@program
def nll_loss_basic(T):
    F = T.nn.functional
    logp = F.log_softmax(T.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]], requires_grad=True), dim=1)
    return F.nll_loss(logp, T.tensor([0, 2])), F.nll_loss(logp, T.tensor([0, -100]))


@program
def nll_loss_float_target(T):
    return T.nn.functional.nll_loss(T.ones(2, 3), T.tensor([0.0, 1.0]))


@program
def nll_loss_ignore_index(T):
    return T.nn.NLLLoss(ignore_index=0)(T.tensor([[-1.0, -2.0], [-0.5, -3.0]]), T.tensor([0, 1]))


@program
def bce_with_logits_basic(T):
    logits = T.tensor([2.0, -1.0, 0.0], requires_grad=True)
    loss = T.nn.functional.binary_cross_entropy_with_logits(logits, T.tensor([1.0, 0.0, 1.0]))
    loss.backward()
    return loss, logits.grad


@program
def bce_with_logits_extreme(T):
    return T.nn.functional.binary_cross_entropy_with_logits(T.tensor([1000.0, -1000.0]), T.tensor([0.0, 1.0]))


@program
def bce_with_logits_int_target(T):
    return T.nn.functional.binary_cross_entropy_with_logits(T.tensor([1.0, -1.0]), T.tensor([1, 0]))


@program
def bce_with_logits_shape_mismatch(T):
    return T.nn.functional.binary_cross_entropy_with_logits(T.ones(3, 1), T.ones(3))


@program
def bce_with_logits_pos_weight(T):
    return T.nn.BCEWithLogitsLoss(pos_weight=T.tensor([2.0]))(T.tensor([0.5, -0.5]), T.tensor([1.0, 0.0]))


@program
def bce_loss(T):
    p = T.tensor([0.9, 0.2, 0.5], requires_grad=True)
    loss = T.nn.BCELoss()(p, T.tensor([1.0, 0.0, 1.0]))
    loss.backward()
    return loss, p.grad


@program
def bce_loss_out_of_range(T):
    return T.nn.functional.binary_cross_entropy(T.tensor([1.5]), T.tensor([1.0]))


@program
def bce_loss_at_zero_and_one(T):
    return T.nn.functional.binary_cross_entropy(T.tensor([0.0, 1.0]), T.tensor([1.0, 0.0]))


@program
def manual_cross_entropy_matches(T):
    logits = T.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]])
    target = T.tensor([0, 2])
    manual = -logits.log_softmax(dim=1)[T.arange(2), target].mean()
    return manual, T.nn.functional.cross_entropy(logits, target)


# =========================================================================== optim


def _quadratic_run(T, make_optimizer, steps=5):
    w = T.tensor([1.0, -2.0, 3.0], requires_grad=True)
    opt = make_optimizer([w])
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = ((w - T.tensor([0.5, 0.5, 0.5])) ** 2).sum() + w.abs().sum() * 0.1
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, w


one("sgd_plain", lambda T: _quadratic_run(T, lambda p: T.optim.SGD(p, lr=0.1)))
one("sgd_momentum", lambda T: _quadratic_run(T, lambda p: T.optim.SGD(p, lr=0.1, momentum=0.9)))
one("sgd_nesterov", lambda T: _quadratic_run(T, lambda p: T.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True)))
one("sgd_weight_decay", lambda T: _quadratic_run(T, lambda p: T.optim.SGD(p, lr=0.1, weight_decay=0.01)))
one("sgd_dampening", lambda T: _quadratic_run(T, lambda p: T.optim.SGD(p, lr=0.1, momentum=0.5, dampening=0.5)))
one("sgd_maximize", lambda T: _quadratic_run(T, lambda p: T.optim.SGD(p, lr=0.01, maximize=True)))
one("adam_default", lambda T: _quadratic_run(T, lambda p: T.optim.Adam(p, lr=0.1), steps=8))
one("adam_betas", lambda T: _quadratic_run(T, lambda p: T.optim.Adam(p, lr=0.05, betas=(0.5, 0.9))))
one("adam_weight_decay", lambda T: _quadratic_run(T, lambda p: T.optim.Adam(p, lr=0.1, weight_decay=0.1)))
one("adam_amsgrad", lambda T: _quadratic_run(T, lambda p: T.optim.Adam(p, lr=0.1, amsgrad=True)))
one("adamw_default", lambda T: _quadratic_run(T, lambda p: T.optim.AdamW(p, lr=0.1), steps=6))
one("rmsprop_default", lambda T: _quadratic_run(T, lambda p: T.optim.RMSprop(p, lr=0.01)))
one(
    "rmsprop_momentum_centered",
    lambda T: _quadratic_run(T, lambda p: T.optim.RMSprop(p, 0.01, momentum=0.5, centered=True)),
)
one("adagrad_default", lambda T: _quadratic_run(T, lambda p: T.optim.Adagrad(p, lr=0.1)))
one("sgd_no_lr", lambda T: T.optim.SGD([T.ones(1, requires_grad=True)]))
one("sgd_negative_lr", lambda T: T.optim.SGD([T.ones(1, requires_grad=True)], lr=-0.1))
one("sgd_empty_params", lambda T: T.optim.SGD([], lr=0.1))
one("sgd_nesterov_without_momentum", lambda T: T.optim.SGD([T.ones(1, requires_grad=True)], lr=0.1, nesterov=True))
one("adam_bad_beta", lambda T: T.optim.Adam([T.ones(1, requires_grad=True)], betas=(1.0, 0.9)))
one("sgd_on_tensor", lambda T: T.optim.SGD(T.ones(1, requires_grad=True), lr=0.1))
one("sgd_non_leaf", lambda T: T.optim.SGD([T.ones(1, requires_grad=True) * 2], lr=0.1))


@program
def sgd_on_model(T):
    model = T.nn.Sequential(_linear(T, 2, 2, [[0.5, -0.5], [1.0, 0.2]], [0.0, 0.1]), T.nn.Tanh())
    model.append(_linear(T, 2, 1, [[1.0, -1.0]], [0.0]))
    opt = T.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x = T.tensor([[1.0, 2.0], [0.5, -1.0], [-1.0, 0.0]])
    y = T.tensor([[1.0], [0.0], [-1.0]])
    losses = []
    for _ in range(10):
        opt.zero_grad()
        loss = T.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, [p.detach().clone() for p in model.parameters()]


@program
def adam_classifier(T):
    model = _linear(T, 2, 3, [[0.1, 0.2], [-0.3, 0.4], [0.5, -0.6]], [0.0, 0.0, 0.0])
    opt = T.optim.Adam(model.parameters(), lr=0.05)
    x = T.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.5]])
    y = T.tensor([0, 1, 2, 1])
    for _ in range(20):
        opt.zero_grad()
        loss = T.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
    return loss, model.weight, model(x).argmax(dim=1)


@program
def optimizer_zero_grad_none(T):
    w = T.ones(2, requires_grad=True)
    opt = T.optim.SGD([w], lr=0.1)
    (w * 2).sum().backward()
    opt.zero_grad()
    return w.grad is None


@program
def optimizer_zero_grad_zeros(T):
    w = T.ones(2, requires_grad=True)
    opt = T.optim.SGD([w], lr=0.1)
    (w * 2).sum().backward()
    opt.zero_grad(set_to_none=False)
    return w.grad


@program
def optimizer_skips_none_grad(T):
    a = T.ones(2, requires_grad=True)
    b = T.ones(2, requires_grad=True)
    opt = T.optim.SGD([a, b], lr=0.5)
    (a * 3).sum().backward()
    opt.step()
    return a, b


@program
def optimizer_param_groups(T):
    a = T.ones(1, requires_grad=True)
    b = T.ones(1, requires_grad=True)
    opt = T.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    (a * 2 + b * 2).sum().backward()
    opt.step()
    return a, b, [g["lr"] for g in opt.param_groups]


@program
def optimizer_change_lr(T):
    w = T.ones(1, requires_grad=True)
    opt = T.optim.SGD([w], lr=0.1)
    for group in opt.param_groups:
        group["lr"] = 0.01
    (w * 2).sum().backward()
    opt.step()
    return w


@program
def optimizer_state_dict(T):
    w = T.ones(2, requires_grad=True)
    opt = T.optim.SGD([w], lr=0.1, momentum=0.9)
    (w * 2).sum().backward()
    opt.step()
    sd = opt.state_dict()
    return sorted(sd.keys()), sd["param_groups"][0]["lr"], sd["param_groups"][0]["params"]


@program
def optimizer_load_state_dict(T):
    w = T.ones(2, requires_grad=True)
    opt = T.optim.SGD([w], lr=0.1, momentum=0.9)
    (w * 2).sum().backward()
    opt.step()
    w2 = T.ones(2, requires_grad=True)
    opt2 = T.optim.SGD([w2], lr=0.5, momentum=0.9)
    opt2.load_state_dict(opt.state_dict())
    (w2 * 2).sum().backward()
    opt2.step()
    return w2, opt2.param_groups[0]["lr"]


@program
def adam_state_keys(T):
    w = T.ones(2, requires_grad=True)
    opt = T.optim.Adam([w], lr=0.1)
    (w * 2).sum().backward()
    opt.step()
    state = opt.state[w]
    return sorted(state.keys()), float(state["step"]), state["exp_avg"]


@program
def sgd_step_with_closure(T):
    w = T.tensor([2.0], requires_grad=True)
    opt = T.optim.SGD([w], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (w**2).sum()
        loss.backward()
        return loss

    loss = opt.step(closure)
    return loss, w


@program
def step_lr_scheduler(T):
    w = T.ones(1, requires_grad=True)
    opt = T.optim.SGD([w], lr=1.0)
    sched = T.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    lrs = []
    for _ in range(5):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    return lrs


@program
def optimizer_repr(T):
    return repr(T.optim.SGD([T.ones(1, requires_grad=True)], lr=0.1))


# =========================================================================== training idioms


@program
def polynomial_features_regression(T):
    x = T.linspace(-1, 1, 20)
    y = 2 * x**3 - x + 0.5
    features = x.unsqueeze(-1).pow(T.tensor([1, 2, 3]))
    model = _linear(T, 3, 1, [[0.0, 0.0, 0.0]], [0.0])
    opt = T.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = T.nn.MSELoss()
    for _ in range(50):
        loss = loss_fn(model(features).squeeze(1), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss, model.weight, model.bias


@program
def polynomial_with_arange_powers(T):
    x = T.tensor([0.0, 0.25, 0.5, 1.0])
    powers = T.arange(4)
    features = x.unsqueeze(-1) ** powers
    w = T.zeros(4, requires_grad=True)
    for _ in range(30):
        loss = ((features @ w - T.tensor([1.0, 1.5, 2.0, 3.0])) ** 2).mean()
        loss.backward()
        with T.no_grad():
            w -= 0.2 * w.grad
            w.grad.zero_()
    return loss, w


@program
def logistic_regression_manual(T):
    x = T.tensor([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    y = T.tensor([1.0, 0.0, 1.0, 0.0])
    w = T.zeros(2, requires_grad=True)
    b = T.zeros(1, requires_grad=True)
    for _ in range(25):
        p = (x @ w + b).sigmoid()
        loss = -(y * p.log() + (1 - y) * (1 - p).log()).mean()
        loss.backward()
        with T.no_grad():
            w -= 0.5 * w.grad
            b -= 0.5 * b.grad
            w.grad = None
            b.grad = None
    return loss, w, b, ((p > 0.5).float() == y).float().mean()


@program
def accuracy_idiom(T):
    logits = T.tensor([[0.1, 2.0], [1.5, 0.2], [0.3, 0.4]])
    labels = T.tensor([1, 0, 0])
    preds = logits.argmax(dim=1)
    correct = (preds == labels).sum().item()
    return correct, correct / len(labels), (preds == labels).float().mean()


@program
def one_hot_idiom(T):
    return T.nn.functional.one_hot(T.tensor([0, 2, 1]), num_classes=3)


@program
def one_hot_infer_classes(T):
    return T.nn.functional.one_hot(T.tensor([0, 3]))


@program
def one_hot_float(T):
    return T.nn.functional.one_hot(T.tensor([0.0, 1.0]))


@program
def eye_one_hot_idiom(T):
    return T.eye(3)[T.tensor([2, 0])]


@program
def minibatch_with_randperm(T):
    T.manual_seed(0)
    x = T.arange(10.0)
    perm = T.randperm(10)
    batches = [x[perm[i : i + 4]] for i in range(0, 10, 4)]
    return [b.shape for b in batches], sorted(T.cat(batches).tolist())


@program
def train_eval_with_no_grad(T):
    model = _linear(T, 2, 1, [[1.0, 1.0]], [0.0])
    model.eval()
    with T.no_grad():
        out = model(T.ones(3, 2))
    return out, out.requires_grad


@program
def loss_item_accumulation(T):
    total = 0.0
    for v in (1.0, 2.0, 3.5):
        loss = T.tensor(v, requires_grad=True) * 2
        total += loss.item()
    return total


@program
def gradient_clipping_manual(T):
    w = T.tensor([3.0, 4.0], requires_grad=True)
    (w * w).sum().backward()
    norm = w.grad.norm()
    if norm > 1.0:
        w.grad.mul_(1.0 / norm)
    return w.grad


@program
def clip_grad_norm(T):
    layer = _linear(T, 2, 1, [[1.0, 2.0]], [0.5])
    (layer(T.tensor([[3.0, 4.0]])) ** 2).sum().backward()
    total = T.nn.utils.clip_grad_norm_(layer.parameters(), max_norm=1.0)
    return total, layer.weight.grad, layer.bias.grad


@program
def tensor_dataset_dataloader(T):
    ds = T.utils.data.TensorDataset(T.arange(6.0).reshape(3, 2), T.tensor([0, 1, 0]))
    loader = T.utils.data.DataLoader(ds, batch_size=2)
    return len(ds), [tuple(xb.shape) for xb, _ in loader], ds[1]


@program
def training_loop_with_batches(T):
    x = T.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = T.tensor([0, 1, 1, 0])
    hidden = _linear(T, 2, 4, [[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]], [0.0, 1.0, 0.0, 0.0])
    out = _linear(T, 4, 2, [[0.5, -0.5, 0.2, 0.1], [-0.5, 0.5, 0.1, 0.2]], [0.0, 0.0])
    model = T.nn.Sequential(hidden, T.nn.ReLU(), out)
    opt = T.optim.Adam(model.parameters(), lr=0.05)
    history = []
    for _ in range(3):
        for i in range(0, 4, 2):
            xb, yb = x[i : i + 2], y[i : i + 2]
            loss = T.nn.functional.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            history.append(round(loss.item(), 5))
    return history


# =========================================================================== misc functions learners reach for

one("sort_values", lambda T: tuple(T.tensor([3.0, 1.0, 2.0]).sort()))
one("sort_descending", lambda T: T.sort(T.tensor([3.0, 1.0, 2.0]), descending=True).values)
one("argsort", lambda T: T.tensor([3.0, 1.0, 2.0]).argsort())
one("topk", lambda T: tuple(T.tensor([3.0, 1.0, 2.0, 5.0]).topk(2)))
one("cumsum", lambda T: T.tensor([1, 2, 3]).cumsum(0))
one("cumsum_float", lambda T: T.tensor([1.0, 2.0, 3.0]).cumsum(dim=0))
one("prod", lambda T: T.tensor([1.0, 2.0, 3.0]).prod())
one("unique", lambda T: T.tensor([3, 1, 3, 2]).unique())
one("flip", lambda T: T.arange(4).flip(0))
one("tril", lambda T: T.ones(3, 3).tril())
one("triu", lambda T: T.triu(T.ones(3, 3), diagonal=1))
one("diag", lambda T: T.diag(T.tensor([1.0, 2.0])))
one("trace", lambda T: T.tensor([[1.0, 2.0], [3.0, 4.0]]).trace())
one("einsum", lambda T: T.einsum("ij,jk->ik", T.ones(2, 3), T.ones(3, 2)))
one("isclose", lambda T: T.isclose(T.tensor([1.0, 2.0]), T.tensor([1.0, 2.1])))
one("allclose", lambda T: T.allclose(T.tensor([1.0, 2.0]), T.tensor([1.0, 2.0000001])))
one("equal", lambda T: T.equal(T.tensor([1.0, 2.0]), T.tensor([1.0, 2.0])))
one("equal_different_shapes", lambda T: T.equal(T.ones(2), T.ones(3)))
one("numel_free", lambda T: T.numel(T.ones(2, 5)))
one("is_tensor", lambda T: (T.is_tensor(T.ones(1)), T.is_tensor([1.0])))
one("zeros_like_requires_grad", lambda T: T.zeros_like(T.ones(2, requires_grad=True)).requires_grad)
one("clone_requires_grad", lambda T: T.ones(2, requires_grad=True).clone().requires_grad)
one(
    "floor_ceil_round",
    lambda T: (T.tensor([1.5, -1.5]).floor(), T.tensor([1.2, -1.2]).ceil(), T.tensor([0.5, 1.5, 2.6]).round()),
)
one("exp2_log2_log10", lambda T: (T.tensor([2.0]).log2(), T.tensor([100.0]).log10()))
one("nonzero", lambda T: T.tensor([0, 3, 0, 4]).nonzero())
one("count_nonzero", lambda T: T.count_nonzero(T.tensor([0, 3, 0, 4])))
one("bincount", lambda T: T.bincount(T.tensor([0, 1, 1, 3])))
one("meshgrid", lambda T: [g.shape for g in T.meshgrid(T.arange(2), T.arange(3), indexing="ij")])
one("linalg_norm", lambda T: T.linalg.norm(T.tensor([3.0, 4.0])))
one("where_single_arg", lambda T: T.where(T.tensor([0, 1, 1]))[0])
one("squeeze_free", lambda T: T.squeeze(T.ones(1, 2)).shape)
one("unsqueeze_free", lambda T: T.unsqueeze(T.ones(2), 1).shape)
one("reshape_free", lambda T: T.reshape(T.arange(4), (2, 2)))
one("flatten_free", lambda T: T.flatten(T.ones(2, 2)).shape)
one("transpose_free", lambda T: T.transpose(T.ones(2, 3), 0, 1).shape)
one("mean_free_dim", lambda T: T.mean(T.tensor([[1.0, 2.0], [3.0, 4.0]]), dim=0))
one("sum_free_dim", lambda T: T.sum(T.tensor([[1.0, 2.0], [3.0, 4.0]]), 1))
one("argmax_free", lambda T: T.argmax(T.tensor([[1.0, 2.0], [3.0, 0.0]]), dim=1))
one("max_free_dim", lambda T: tuple(T.max(T.tensor([[1.0, 2.0], [3.0, 0.0]]), dim=1)))
one("std_free", lambda T: T.std(T.tensor([1.0, 2.0, 3.0])))


# =========================================================================== losses, more cases


@program
def cross_entropy_class_weights_mean(T):
    logits = T.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0], [1.0, 1.0, 0.0]], requires_grad=True)
    loss = T.nn.functional.cross_entropy(logits, T.tensor([0, 2, 1]), weight=T.tensor([0.2, 1.0, 3.0]))
    loss.backward()
    return loss, logits.grad


@program
def cross_entropy_class_weights_none_and_ignore(T):
    logits = T.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0], [1.0, 1.0, 0.0]])
    w = T.tensor([0.2, 1.0, 3.0])
    F = T.nn.functional
    return (
        F.cross_entropy(logits, T.tensor([0, 2, 1]), weight=w, reduction="none"),
        F.cross_entropy(logits, T.tensor([0, -100, 1]), weight=w),
        F.cross_entropy(logits, T.tensor([0, 2, 1]), weight=w, reduction="sum"),
    )


@program
def cross_entropy_weights_and_smoothing(T):
    logits = T.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0], [1.0, 1.0, 0.0]], requires_grad=True)
    loss = T.nn.functional.cross_entropy(
        logits, T.tensor([0, -100, 1]), weight=T.tensor([0.2, 1.0, 3.0]), label_smoothing=0.2
    )
    loss.backward()
    return loss, logits.grad


@program
def cross_entropy_weight_wrong_size(T):
    return T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([0, 1]), weight=T.ones(2))


@program
def cross_entropy_weight_wrong_dtype(T):
    return T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([0, 1]), weight=T.ones(3, dtype=T.float64))


@program
def cross_entropy_target_list(T):
    return T.nn.functional.cross_entropy(T.ones(2, 3), [0, 1])


@program
def cross_entropy_0d_target_for_batch(T):
    return T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor(1))


@program
def cross_entropy_3d_wrong_target(T):
    return T.nn.functional.cross_entropy(T.ones(2, 3, 4), T.tensor([0, 1]))


@program
def cross_entropy_3d_gradient(T):
    logits = (T.arange(24.0).reshape(2, 3, 4) / 7).sin().requires_grad_()
    target = T.tensor([[0, 2, 1, -100], [1, 1, 0, 2]])
    loss = T.nn.functional.cross_entropy(logits, target, label_smoothing=0.1)
    loss.backward()
    return loss, logits.grad, T.nn.functional.cross_entropy(logits, target, reduction="none")


@program
def cross_entropy_probabilities_3d(T):
    logits = (T.arange(12.0).reshape(2, 3, 2) / 5).cos()
    probs = T.tensor([[[0.2, 0.5], [0.3, 0.5], [0.5, 0.0]], [[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]]])
    return T.nn.functional.cross_entropy(logits, probs), T.nn.functional.cross_entropy(logits, probs, reduction="none")


@program
def cross_entropy_probabilities_int_target(T):
    return T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([[1, 0, 0], [0, 1, 0]]))


@program
def cross_entropy_probabilities_weighted(T):
    logits = T.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]], requires_grad=True)
    probs = T.tensor([[0.7, 0.2, 0.1], [0.0, 0.5, 0.5]])
    loss = T.nn.functional.cross_entropy(logits, probs, weight=T.tensor([1.0, 2.0, 0.5]))
    loss.backward()
    return loss, logits.grad


@program
def cross_entropy_probabilities_float64_target(T):
    return T.nn.functional.cross_entropy(T.ones(2, 3), T.full((2, 3), 1 / 3, dtype=T.float64))


@program
def cross_entropy_1d_logits_none(T):
    return T.nn.functional.cross_entropy(T.tensor([1.0, 2.0, 0.5]), T.tensor(2), reduction="none")


@program
def cross_entropy_0d_logits(T):
    return T.nn.functional.cross_entropy(T.tensor(1.0), T.tensor(0))


@program
def cross_entropy_float64_logits(T):
    logits = T.tensor([[2.0, 0.5, -1.0]], dtype=T.float64, requires_grad=True)
    loss = T.nn.functional.cross_entropy(logits, T.tensor([1]))
    loss.backward()
    return loss, logits.grad


@program
def cross_entropy_uint8_target_values(T):
    return T.nn.functional.cross_entropy(T.tensor([[2.0, 0.5, -1.0]]), T.tensor([2], dtype=T.uint8))


@program
def cross_entropy_ignore_index_out_of_range_target(T):
    return T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([0, 7]), ignore_index=7)


@program
def cross_entropy_empty_batch_sum(T):
    return T.nn.functional.cross_entropy(T.ones(0, 3), T.tensor([], dtype=T.int64), reduction="sum")


@program
def cross_entropy_all_ignored_gradient(T):
    logits = T.ones(2, 3, requires_grad=True)
    loss = T.nn.functional.cross_entropy(logits, T.tensor([-100, -100]))
    loss.backward()
    return loss, logits.grad


@program
def cross_entropy_legacy_size_average(T):
    return T.nn.functional.cross_entropy(T.tensor([[2.0, 0.5]]), T.tensor([1]), size_average=False)


@program
def cross_entropy_double_backward(T):
    logits = T.tensor([[2.0, 0.5, -1.0]], requires_grad=True)
    loss = T.nn.functional.cross_entropy(logits, T.tensor([1]))
    (g,) = T.autograd.grad(loss, logits, create_graph=True)
    (g * g).sum().backward()
    return g, logits.grad


@program
def nll_loss_weights_and_ignore(T):
    logp = T.tensor([[-0.5, -1.0, -2.0], [-1.5, -0.2, -3.0], [-0.1, -2.5, -4.0]], requires_grad=True)
    loss = T.nn.functional.nll_loss(logp, T.tensor([2, -100, 0]), weight=T.tensor([2.0, 1.0, 0.5]))
    loss.backward()
    return loss, logp.grad


@program
def nll_loss_not_log_probabilities(T):
    return T.nn.functional.nll_loss(T.tensor([[0.2, 0.8], [3.0, -1.0]]), T.tensor([1, 0]), reduction="none")


@program
def nll_loss_module_weight(T):
    loss_fn = T.nn.NLLLoss(weight=T.tensor([1.0, 3.0]))
    return loss_fn(T.tensor([[-1.0, -2.0], [-0.5, -3.0]]), T.tensor([1, 0])), loss_fn.weight


@program
def nll_loss_3d_target(T):
    return T.nn.functional.nll_loss(T.ones(2, 3), T.tensor([[0, 1, 2], [1, 1, 1]]))


@program
def log_softmax_then_nll_equals_cross_entropy(T):
    logits = T.tensor([[1.0, 2.0, 0.5], [0.3, -0.2, 0.1]])
    target = T.tensor([1, 0])
    F = T.nn.functional
    return F.nll_loss(F.log_softmax(logits, dim=1), target), F.cross_entropy(logits, target)


@program
def mse_loss_gradient_both(T):
    a = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = T.tensor([0.5, 2.5, 1.0], requires_grad=True)
    loss = T.nn.functional.mse_loss(a, b)
    loss.backward()
    return loss, a.grad, b.grad, type(loss.grad_fn).__name__


@program
def mse_loss_broadcast_gradient(T):
    a = T.tensor([[1.0], [2.0], [3.0]], requires_grad=True)
    b = T.tensor([0.5, 2.5, 1.0], requires_grad=True)
    loss = T.nn.functional.mse_loss(a, b)
    loss.backward()
    return loss, a.grad, b.grad


@program
def mse_loss_sum_none_gradients(T):
    a = T.tensor([1.0, -2.0], requires_grad=True)
    F = T.nn.functional
    (F.mse_loss(a, T.zeros(2), reduction="sum") + F.mse_loss(a, T.ones(2), reduction="none").sum()).backward()
    return a.grad


@program
def mse_loss_float64_target(T):
    return T.nn.functional.mse_loss(T.ones(2), T.zeros(2, dtype=T.float64))


@program
def mse_loss_list_target(T):
    return T.nn.functional.mse_loss(T.ones(2), [0.0, 1.0])


@program
def mse_loss_empty(T):
    return T.nn.functional.mse_loss(T.ones(0), T.ones(0))


@program
def mse_loss_double_backward(T):
    a = T.tensor([1.0, 2.0], requires_grad=True)
    (g,) = T.autograd.grad(T.nn.functional.mse_loss(a, T.zeros(2)), a, create_graph=True)
    g.sum().backward()
    return g, a.grad


@program
def l1_loss_gradient_at_zero(T):
    a = T.tensor([1.0, 0.0, -1.0], requires_grad=True)
    T.nn.functional.l1_loss(a, T.zeros(3)).backward()
    return a.grad


@program
def smooth_l1_gradients(T):
    a = T.tensor([0.2, -0.5, 2.0, -3.0], requires_grad=True)
    T.nn.SmoothL1Loss(beta=0.5)(a, T.zeros(4)).backward()
    return a.grad


@program
def huber_gradients(T):
    a = T.tensor([0.2, -0.5, 2.0, -3.0], requires_grad=True)
    T.nn.HuberLoss(delta=1.5)(a, T.zeros(4)).backward()
    return a.grad


@program
def bce_loss_gradients_extremes(T):
    p = T.tensor([0.0, 1.0, 0.5, 1e-8], requires_grad=True)
    loss = T.nn.functional.binary_cross_entropy(p, T.tensor([1.0, 0.0, 1.0, 0.0]))
    loss.backward()
    return loss, p.grad


@program
def bce_loss_weight_and_sum(T):
    p = T.tensor([0.9, 0.2, 0.6])
    y = T.tensor([1.0, 0.0, 0.0])
    F = T.nn.functional
    return F.binary_cross_entropy(p, y, weight=T.tensor([1.0, 2.0, 0.5]), reduction="sum"), T.nn.BCELoss(
        reduction="none"
    )(p, y)


@program
def bce_loss_shape_mismatch(T):
    return T.nn.functional.binary_cross_entropy(T.full((3, 1), 0.5), T.ones(3))


@program
def bce_loss_after_sigmoid_matches_logits(T):
    x = T.tensor([2.0, -1.0, 0.3])
    y = T.tensor([1.0, 0.0, 1.0])
    F = T.nn.functional
    return F.binary_cross_entropy(x.sigmoid(), y), F.binary_cross_entropy_with_logits(x, y)


@program
def bce_with_logits_pos_weight_gradient(T):
    x = T.tensor([[0.5, -1.0], [2.0, 0.0]], requires_grad=True)
    loss = T.nn.functional.binary_cross_entropy_with_logits(
        x, T.tensor([[1.0, 0.0], [0.0, 1.0]]), pos_weight=T.tensor([3.0, 0.5]), weight=T.tensor([1.0, 2.0])
    )
    loss.backward()
    return loss, x.grad


@program
def bce_with_logits_module_reduction_none(T):
    return T.nn.BCEWithLogitsLoss(reduction="none")(T.tensor([1.0, -2.0]), T.tensor([0.0, 0.0]))


@program
def bce_with_logits_gradient_extreme(T):
    x = T.tensor([1000.0, -1000.0, 0.0], requires_grad=True)
    T.nn.functional.binary_cross_entropy_with_logits(x, T.tensor([0.0, 1.0, 1.0])).backward()
    return x.grad


@program
def loss_module_bad_reduction(T):
    return T.nn.MSELoss(reduction="average")(T.ones(2), T.ones(2))


@program
def loss_modules_repr(T):
    return repr(T.nn.MSELoss()), repr(T.nn.CrossEntropyLoss()), repr(T.nn.BCEWithLogitsLoss())


@program
def loss_module_state_dict(T):
    return list(T.nn.CrossEntropyLoss(weight=T.ones(3)).state_dict().keys()), list(T.nn.MSELoss().state_dict())


@program
def softmax_module_dim_none_3d(T):
    return T.nn.Softmax()(T.arange(8.0).reshape(2, 2, 2))


@program
def log_softmax_module(T):
    return T.nn.LogSoftmax(dim=1)(T.tensor([[1.0, 2.0, 3.0]]))


@program
def functional_log_softmax_dtype(T):
    return T.nn.functional.log_softmax(T.tensor([1, 2]), dim=0, dtype=T.float64)


@program
def leaky_relu_gradient(T):
    x = T.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    T.nn.functional.leaky_relu(x, 0.1).sum().backward()
    return x.grad


@program
def elu_gradient(T):
    x = T.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    T.nn.ELU(alpha=0.5)(x).sum().backward()
    return x.grad


@program
def softplus_values_and_gradient(T):
    x = T.tensor([-30.0, -1.0, 0.0, 5.0, 30.0], requires_grad=True)
    y = T.nn.functional.softplus(x, beta=2.0)
    y.sum().backward()
    return y, x.grad


@program
def silu_values(T):
    x = T.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    y = T.nn.SiLU()(x)
    y.sum().backward()
    return y, x.grad


@program
def one_hot_num_classes_too_small(T):
    return T.nn.functional.one_hot(T.tensor([0, 3]), num_classes=3)


@program
def one_hot_2d(T):
    return T.nn.functional.one_hot(T.tensor([[0, 1], [2, 0]]), 3)


@program
def one_hot_negative(T):
    return T.nn.functional.one_hot(T.tensor([-1, 0]), 3)


@program
def one_hot_to_float_for_mse(T):
    target = T.nn.functional.one_hot(T.tensor([1, 0]), 2).float()
    return T.nn.functional.mse_loss(T.tensor([[0.2, 0.8], [0.6, 0.4]]), target)


# =========================================================================== optimizers and schedules, more cases


def _groups(opt):
    return [{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups]


one("sgd_param_groups_defaults", lambda T: _groups(T.optim.SGD([T.ones(1, requires_grad=True)], lr=0.1)))
one("adam_param_groups_defaults", lambda T: _groups(T.optim.Adam([T.ones(1, requires_grad=True)])))
one("adamw_param_groups_defaults", lambda T: _groups(T.optim.AdamW([T.ones(1, requires_grad=True)])))
one("rmsprop_param_groups_defaults", lambda T: _groups(T.optim.RMSprop([T.ones(1, requires_grad=True)])))
one("adagrad_param_groups_defaults", lambda T: _groups(T.optim.Adagrad([T.ones(1, requires_grad=True)])))
one(
    "adagrad_lr_decay",
    lambda T: _quadratic_run(T, lambda p: T.optim.Adagrad(p, lr=0.5, lr_decay=0.1, weight_decay=0.01)),
)
one("adamw_amsgrad", lambda T: _quadratic_run(T, lambda p: T.optim.AdamW(p, lr=0.05, weight_decay=0.1, amsgrad=True)))
one("adam_maximize", lambda T: _quadratic_run(T, lambda p: T.optim.Adam(p, lr=0.05, maximize=True)))
one("rmsprop_weight_decay", lambda T: _quadratic_run(T, lambda p: T.optim.RMSprop(p, lr=0.01, weight_decay=0.1)))
one("optimizer_defaults_attribute", lambda T: T.optim.SGD([T.ones(1, requires_grad=True)], lr=0.3).defaults)


@program
def optimizer_state_dict_roundtrip_adam(T):
    w = T.tensor([1.0, -1.0], requires_grad=True)
    opt = T.optim.Adam([w], lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        (w**2).sum().backward()
        opt.step()
    saved = opt.state_dict()
    w2 = T.tensor([1.0, -1.0], requires_grad=True)
    opt2 = T.optim.Adam([w2], lr=0.1)
    opt2.load_state_dict(saved)
    with T.no_grad():
        w2.copy_(w)
    for o, p in ((opt, w), (opt2, w2)):
        o.zero_grad()
        (p**2).sum().backward()
        o.step()
    return w, w2, saved["state"][0]["step"], sorted(saved["state"][0].keys())


@program
def optimizer_load_state_dict_wrong_groups(T):
    a = T.ones(1, requires_grad=True)
    b = T.ones(1, requires_grad=True)
    saved = T.optim.SGD([a, b], lr=0.1).state_dict()
    T.optim.SGD([a], lr=0.1).load_state_dict(saved)


@program
def optimizer_state_dict_two_groups(T):
    a = T.ones(1, requires_grad=True)
    b = T.ones(2, requires_grad=True)
    opt = T.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1, momentum=0.9)
    (a.sum() + b.sum()).backward()
    opt.step()
    sd = opt.state_dict()
    return [g["params"] for g in sd["param_groups"]], [g["lr"] for g in sd["param_groups"]], sorted(sd["state"])


@program
def optimizer_add_param_group(T):
    a = T.ones(1, requires_grad=True)
    b = T.ones(1, requires_grad=True)
    opt = T.optim.SGD([a], lr=0.1, momentum=0.5)
    opt.add_param_group({"params": [b], "lr": 0.01})
    (a * 2 + b * 2).sum().backward()
    opt.step()
    return a, b, _groups(opt)


@program
def optimizer_same_param_twice(T):
    a = T.ones(1, requires_grad=True)
    T.optim.SGD([a, a], lr=0.1)


@program
def optimizer_generator_params(T):
    model = T.nn.Linear(2, 1)
    opt = T.optim.SGD(model.parameters(), lr=0.1)
    return len(opt.param_groups[0]["params"])


@program
def step_lr_values(T):
    w = T.ones(1, requires_grad=True)
    opt = T.optim.SGD([w], lr=1.0)
    sched = T.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
    lrs = [sched.get_last_lr()[0]]
    for _ in range(7):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    return lrs, opt.param_groups[0]["initial_lr"], sched.last_epoch


@program
def multistep_and_exponential(T):
    w = T.ones(1, requires_grad=True)
    opt1, opt2 = T.optim.SGD([w], lr=1.0), T.optim.SGD([w], lr=1.0)
    s1 = T.optim.lr_scheduler.MultiStepLR(opt1, milestones=[2, 4, 4], gamma=0.1)
    s2 = T.optim.lr_scheduler.ExponentialLR(opt2, gamma=0.9)
    out = []
    for _ in range(6):
        opt1.step()
        opt2.step()
        s1.step()
        s2.step()
        out.append((s1.get_last_lr()[0], s2.get_last_lr()[0]))
    return out


@program
def cosine_annealing_values(T):
    w = T.ones(1, requires_grad=True)
    opt = T.optim.SGD([w], lr=0.1)
    sched = T.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4, eta_min=0.01)
    lrs = []
    for _ in range(10):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    return lrs


@program
def lambda_lr_values(T):
    w = T.ones(1, requires_grad=True)
    opt = T.optim.Adam([w], lr=0.5)
    sched = T.optim.lr_scheduler.LambdaLR(opt, lr_lambda=lambda epoch: 1 / (1 + epoch))
    lrs = []
    for _ in range(4):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr())
    return lrs


@program
def scheduler_before_optimizer_warns(T):
    w = T.ones(1, requires_grad=True)
    opt = T.optim.SGD([w], lr=1.0)
    sched = T.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    sched.step()
    return opt.param_groups[0]["lr"]


@program
def reduce_on_plateau(T):
    w = T.ones(1, requires_grad=True)
    opt = T.optim.SGD([w], lr=1.0)
    sched = T.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=2, factor=0.5)
    lrs = []
    for loss in [1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.8, 0.85, 0.85, 0.85, 0.85]:
        opt.step()
        sched.step(loss)
        lrs.append(opt.param_groups[0]["lr"])
    return lrs


@program
def scheduler_state_dict_keys(T):
    w = T.ones(1, requires_grad=True)
    sched = T.optim.lr_scheduler.StepLR(T.optim.SGD([w], lr=1.0), step_size=2)
    sd = sched.state_dict()
    return sd["step_size"], sd["gamma"], sd["base_lrs"], sd["last_epoch"]


# =========================================================================== data loading and gradient clipping


@program
def dataloader_batches_and_len(T):
    ds = T.utils.data.TensorDataset(T.arange(10.0).reshape(5, 2), T.tensor([0, 1, 0, 1, 1]))
    loader = T.utils.data.DataLoader(ds, batch_size=2)
    batches = [(xb, yb) for xb, yb in loader]
    return len(loader), batches, type(next(iter(loader))).__name__


@program
def dataloader_drop_last(T):
    ds = T.utils.data.TensorDataset(T.arange(7.0))
    loader = T.utils.data.DataLoader(ds, batch_size=3, drop_last=True)
    return len(loader), [b[0] for b in loader]


@program
def dataloader_shuffle_covers_everything(T):
    T.manual_seed(0)
    ds = T.utils.data.TensorDataset(T.arange(6), T.arange(6) * 10)
    loader = T.utils.data.DataLoader(ds, batch_size=4, shuffle=True)
    xs, ys = zip(*[(xb, yb) for xb, yb in loader])
    x, y = T.cat(xs), T.cat(ys)
    return sorted(x.tolist()), bool((y == x * 10).all()), [tuple(b.shape) for b in xs]


@program
def dataloader_default_batch_size(T):
    loader = T.utils.data.DataLoader(T.utils.data.TensorDataset(T.ones(3, 2)))
    return len(loader), next(iter(loader))[0].shape


@program
def dataloader_bad_batch_size(T):
    return T.utils.data.DataLoader(T.utils.data.TensorDataset(T.ones(3)), batch_size=0)


@program
def dataloader_over_a_list(T):
    loader = T.utils.data.DataLoader([(1.5, 2), (2.5, 3), (0.5, 1)], batch_size=2)
    return list(loader)


@program
def dataloader_custom_dataset(T):
    class Squares(T.utils.data.Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return T.tensor([float(i)]), T.tensor(i * i)

    return list(T.utils.data.DataLoader(Squares(), batch_size=2))


@program
def tensor_dataset_size_mismatch(T):
    return T.utils.data.TensorDataset(T.ones(3, 2), T.ones(4))


@program
def tensor_dataset_indexing(T):
    ds = T.utils.data.TensorDataset(T.arange(6.0).reshape(3, 2), T.tensor([1, 0, 1]))
    return len(ds), ds[2], ds[-1]


@program
def random_split_sizes(T):
    T.manual_seed(0)
    train, test = T.utils.data.random_split(T.utils.data.TensorDataset(T.arange(10)), [8, 2])
    return len(train), len(test), sorted([train[i][0].item() for i in range(8)] + [test[i][0].item() for i in range(2)])


@program
def random_split_fractions(T):
    parts = T.utils.data.random_split(T.utils.data.TensorDataset(T.arange(11)), [0.5, 0.3, 0.2])
    return [len(p) for p in parts]


@program
def random_split_bad_lengths(T):
    return T.utils.data.random_split(T.utils.data.TensorDataset(T.arange(5)), [2, 2])


@program
def training_with_dataloader(T):
    x = T.linspace(-1, 1, 12).unsqueeze(1)
    y = 2 * x + 1
    loader = T.utils.data.DataLoader(T.utils.data.TensorDataset(x, y), batch_size=4)
    model = _linear(T, 1, 1, [[0.5]], [0.0])
    opt = T.optim.SGD(model.parameters(), lr=0.2)
    losses = []
    for _ in range(5):
        for xb, yb in loader:
            opt.zero_grad()
            loss = T.nn.functional.mse_loss(model(xb), yb)
            loss.backward()
            opt.step()
            losses.append(loss.item())
    return losses, model.weight, model.bias


@program
def clip_grad_norm_small_is_untouched(T):
    w = T.tensor([0.1, 0.2], requires_grad=True)
    (w * 1.0).sum().backward()
    norm = T.nn.utils.clip_grad_norm_([w], max_norm=10.0)
    return norm, w.grad


@program
def clip_grad_norm_inf_and_single_tensor(T):
    w = T.tensor([3.0, -4.0], requires_grad=True)
    (w * w).sum().backward()
    norm = T.nn.utils.clip_grad_norm_(w, max_norm=2.0, norm_type=float("inf"))
    return norm, w.grad


@program
def clip_grad_value(T):
    w = T.tensor([3.0, -4.0, 0.5], requires_grad=True)
    (w * w).sum().backward()
    T.nn.utils.clip_grad_value_([w], clip_value=1.5)
    return w.grad


# =========================================================================== printing, more cases

one("repr_sci_small", lambda T: repr(T.tensor([1e-5, 1.0])))
one("repr_sci_large", lambda T: repr(T.tensor([1e9, 1.0])))
one("repr_int_mode_sci", lambda T: repr(T.tensor([1.0, 10000.0])))
one("repr_mixed_sign_fixed", lambda T: repr(T.tensor([[-1.25, 3.5], [100.0, -0.5]])))
one("repr_with_zeros", lambda T: repr(T.tensor([0.0, 0.5, -0.0])))
one("repr_all_zero", lambda T: repr(T.zeros(2, 2)))
one("repr_3d", lambda T: repr(T.arange(12.0).reshape(2, 3, 2) / 3))
one("repr_long_row_wraps", lambda T: repr(T.arange(30.0) / 7))
one("repr_int_matrix", lambda T: repr(T.tensor([[1, -20], [300, 4]])))
one("repr_summarized", lambda T: repr(T.arange(2000)))
one("repr_summarized_2d", lambda T: repr(T.arange(3000.0).reshape(60, 50)))
one("repr_empty_2d", lambda T: repr(T.zeros(2, 0)))
one("repr_float64_values", lambda T: repr(T.tensor([1.0 / 3, 2.0], dtype=T.float64)))
one("repr_int32_matrix", lambda T: repr(T.tensor([[1, 2]], dtype=T.int32)))
one("repr_bool_matrix", lambda T: repr(T.tensor([[True, False], [False, True]])))
one("repr_scalar_int", lambda T: repr(T.tensor(-7)))
one("repr_scalar_sci", lambda T: repr(T.tensor(1e-8)))
one("repr_inf_only", lambda T: repr(T.tensor([float("inf"), -float("inf")])))
one("repr_nan_with_fraction", lambda T: repr(T.tensor([float("nan"), 0.5])))
one("repr_grad_fn_sum", lambda T: repr(T.ones(2, requires_grad=True).sum()).split(" object")[0])
one("repr_parameter", lambda T: repr(T.nn.Parameter(T.tensor([1.5, -2.0]))))
one("str_matrix", lambda T: str(T.tensor([[0.1234567, 2.0], [3.0, 4.0]])))
one("repr_float16", lambda T: repr(T.tensor([1.5, 2.25], dtype=T.float16)))
one(
    "repr_after_set_printoptions",
    lambda T: (T.set_printoptions(precision=2), repr(T.tensor([1.23456])), T.set_printoptions(precision=4))[1],
)


# =========================================================================== beyond the course: code learners bring


@program
def cuda_is_available_idiom(T):
    device = "cuda" if T.cuda.is_available() else "cpu"
    x = T.ones(2, device=device)
    model = T.nn.Linear(2, 1).to(device)
    return device, str(x.device), model(x.to(device)).shape


@program
def save_and_load_state_dict(T):
    import os
    import tempfile

    model = _linear(T, 2, 1, [[1.0, -2.0]], [0.5])
    path = os.path.join(tempfile.mkdtemp(), "model.pt")
    T.save(model.state_dict(), path)
    other = T.nn.Linear(2, 1)
    other.load_state_dict(T.load(path))
    return other(T.tensor([[1.0, 1.0]])), sorted(T.load(path).keys())


@program
def save_and_load_tensor_with_grad(T):
    import io

    x = T.tensor([1.0, 2.0], requires_grad=True)
    (x * 2).sum().backward()
    buffer = io.BytesIO()
    T.save({"x": x, "step": 3}, buffer)
    buffer.seek(0)
    loaded = T.load(buffer)
    return loaded["x"], loaded["step"], loaded["x"].requires_grad, loaded["x"].is_leaf


@program
def sort_gradient(T):
    x = T.tensor([3.0, 1.0, 2.0], requires_grad=True)
    values, indices = x.sort(descending=True)
    (values * T.tensor([1.0, 10.0, 100.0])).sum().backward()
    return values, indices, x.grad


one("sort_2d_dim0", lambda T: tuple(T.tensor([[3, 1], [2, 4]]).sort(dim=0)))
one("topk_smallest", lambda T: tuple(T.tensor([3.0, 1.0, 2.0, 5.0]).topk(2, largest=False)))
one("topk_too_large", lambda T: T.tensor([3.0, 1.0]).topk(3))
one("cumsum_2d_dim1", lambda T: T.arange(6).reshape(2, 3).cumsum(dim=1))
one("cumsum_bool", lambda T: T.tensor([True, False, True]).cumsum(0))
one("cumprod_values", lambda T: T.tensor([1.0, 2.0, 3.0, 4.0]).cumprod(0))
one("prod_dim_keepdim", lambda T: T.tensor([[1.0, 2.0], [3.0, 4.0]]).prod(dim=1, keepdim=True))
one("prod_int", lambda T: T.tensor([2, 3, 4]).prod())
one("flip_2d_both", lambda T: T.arange(6).reshape(2, 3).flip(0, 1))
one("roll_values", lambda T: T.arange(5).roll(2))
one("roll_dim", lambda T: T.arange(6).reshape(2, 3).roll(1, dims=1))
one("diff_values", lambda T: T.tensor([1.0, 4.0, 9.0, 16.0]).diff())
one(
    "median_values",
    lambda T: (T.tensor([3.0, 1.0, 2.0, 5.0]).median(), tuple(T.tensor([[3.0, 1.0, 2.0]]).median(dim=1))),
)
one("diag_offset", lambda T: (T.diag(T.tensor([1.0, 2.0]), 1), T.arange(9.0).reshape(3, 3).diag(-1)))
one("tril_offset", lambda T: T.ones(3, 3).tril(-1))
one("round_half_even", lambda T: T.tensor([0.5, 1.5, 2.5, -0.5]).round())
one("round_decimals", lambda T: T.tensor([1.2345, 2.5551]).round(decimals=2))
one("trunc_frac", lambda T: (T.tensor([-1.7, 2.3]).trunc(), T.tensor([-1.75, 2.25]).frac()))
one(
    "isinf_isfinite",
    lambda T: (
        T.tensor([1.0, float("inf"), float("nan")]).isinf(),
        T.tensor([1.0, float("inf"), float("nan")]).isfinite(),
    ),
)
one("nan_to_num_values", lambda T: T.tensor([float("nan"), 1.0, float("inf")]).nan_to_num(posinf=5.0))
one(
    "logical_ops",
    lambda T: (T.logical_not(T.tensor([True, False])), T.logical_and(T.tensor([True, True]), T.tensor([True, False]))),
)
one(
    "masked_select_values",
    lambda T: T.tensor([[1.0, -2.0], [3.0, -4.0]]).masked_select(T.tensor([[True, False], [False, True]])),
)
one("unique_counts", lambda T: T.tensor([3, 1, 3, 2, 1]).unique(return_counts=True))
one("unique_inverse", lambda T: T.unique(T.tensor([3, 1, 3]), return_inverse=True))
one("nonzero_as_tuple", lambda T: T.tensor([[0, 1], [2, 0]]).nonzero(as_tuple=True))
one("bincount_weights", lambda T: T.bincount(T.tensor([0, 1, 1, 3]), weights=T.tensor([0.5, 1.0, 1.0, 2.0])))
one("movedim_shape", lambda T: T.ones(2, 3, 4).movedim(0, -1).shape)
one("narrow_values", lambda T: T.arange(10).narrow(0, 2, 3))
one("tile_values", lambda T: T.tensor([1, 2]).tile(2))
one("repeat_interleave_values", lambda T: T.tensor([1, 2]).repeat_interleave(2))
one("tan_sinh_cosh", lambda T: (T.tensor([0.5]).tan(), T.tensor([0.5]).sinh(), T.tensor([0.5]).cosh()))
one("expm1_log2_log10", lambda T: (T.tensor([1e-5]).expm1(), T.tensor([8.0]).log2(), T.tensor([1000.0]).log10()))
one("lerp_values", lambda T: T.lerp(T.tensor([0.0, 10.0]), T.tensor([10.0, 20.0]), 0.25))
one("linalg_vector_norm", lambda T: (T.linalg.vector_norm(T.tensor([3.0, -4.0]), ord=1), T.linalg.norm(T.ones(2, 2))))
one("meshgrid_xy", lambda T: [g.tolist() for g in T.meshgrid(T.arange(2), T.arange(3), indexing="xy")])
one("meshgrid_without_indexing", lambda T: [g.shape for g in T.meshgrid(T.arange(2), T.arange(3))])
one("empty_like_shape", lambda T: (T.empty_like(T.ones(2, 3)).shape, T.empty_like(T.ones(2, dtype=T.int64)).dtype))
one("is_cuda_false", lambda T: T.ones(1).is_cuda)
one("nelement", lambda T: T.ones(2, 3).nelement())


@program
def cumsum_and_prod_gradients(T):
    x = T.tensor([2.0, 0.0, 3.0], requires_grad=True)
    (x.cumsum(0) * T.tensor([1.0, 2.0, 3.0])).sum().backward()
    g1 = x.grad.clone()
    x.grad = None
    x.prod().backward()
    return g1, x.grad


@program
def floor_and_round_have_zero_gradient(T):
    x = T.tensor([1.7, -0.2], requires_grad=True)
    y = x.floor() + x.round() + x.ceil()
    y.sum().backward()
    return y, x.grad, y.requires_grad


@program
def flip_tril_diag_gradients(T):
    x = T.arange(9.0).reshape(3, 3).requires_grad_()
    (x.flip(0) * T.arange(9.0).reshape(3, 3)).sum().backward()
    g = x.grad.clone()
    x.grad = None
    (x.tril().sum() + x.trace() * 2).backward()
    return g, x.grad


# =========================================================================== a second batch, written before running it

one("b2_int_tensor_plus_bool", lambda T: T.tensor([1, 2]) + T.tensor([True, False]))
one("b2_float64_times_int", lambda T: (T.tensor([1.5], dtype=T.float64) * T.tensor([2])).dtype)
one("b2_scalar_tensor_times_vector_int", lambda T: (T.tensor(2) * T.tensor([1.5, 2.5])).dtype)
one("b2_division_by_int_tensor", lambda T: T.tensor([1.0, 2.0]) / T.tensor([2, 4]))
one("b2_neg_int", lambda T: -T.tensor([0, -3]))
one("b2_abs_min_int", lambda T: T.tensor([-(2**63)]).abs())
one("b2_pow_int_tensor_float_exp", lambda T: T.tensor([2, 3]) ** 0.5)
one("b2_pow_zero_zero_int", lambda T: T.tensor([0]) ** 0)
one("b2_sqrt_int_negative", lambda T: T.tensor([-1]).sqrt())
one("b2_mean_keepdim_negative_dim", lambda T: T.arange(24.0).reshape(2, 3, 4).mean(dim=-2, keepdim=True))
one("b2_sum_bool_dim", lambda T: T.tensor([[True, False], [True, True]]).sum(dim=0))
one("b2_max_keepdim_values", lambda T: T.tensor([[1.0, 5.0], [7.0, 2.0]]).max(dim=0, keepdim=True).values)
one("b2_argmin_dim0", lambda T: T.tensor([[1.0, 5.0], [0.0, 7.0]]).argmin(0))
one("b2_var_biased_dim", lambda T: T.tensor([[1.0, 2.0], [3.0, 5.0]]).var(dim=1, unbiased=False))
one("b2_std_keepdim", lambda T: T.tensor([[1.0, 2.0, 4.0]]).std(dim=1, keepdim=True))
one("b2_norm_keepdim", lambda T: T.tensor([[3.0, 4.0]]).norm(dim=1, keepdim=True))
one("b2_logsumexp_tuple_dims", lambda T: T.arange(6.0).reshape(2, 3).logsumexp(dim=(0, 1)))
one("b2_index_neg_slice", lambda T: T.arange(10)[-3:])
one("b2_index_2d_neg", lambda T: T.arange(12).reshape(3, 4)[-1, -2])
one("b2_index_list_2d", lambda T: T.arange(12).reshape(3, 4)[[0, 2]][:, [1, 3]])
one("b2_index_ellipsis_none", lambda T: T.arange(6).reshape(2, 3)[..., None].shape)
one("b2_index_bool_scalar_true", lambda T: T.tensor([1.0, 2.0])[True].shape)
one("b2_index_empty_list", lambda T: T.arange(3)[[]])
one("b2_index_tensor_2d", lambda T: T.arange(5)[T.tensor([[0, 1], [3, 4]])])
one("b2_setitem_ellipsis", lambda T: (lambda x: (x.__setitem__(Ellipsis, 7.0), x)[1])(T.zeros(2)))
one("b2_unsqueeze_negative", lambda T: T.ones(2, 3).unsqueeze(-2).shape)
one("b2_squeeze_negative", lambda T: T.ones(2, 1).squeeze(-1).shape)
one("b2_transpose_negative", lambda T: T.ones(2, 3, 4).transpose(-1, 0).shape)
one("b2_reshape_scalar", lambda T: T.tensor(5.0).reshape(1, 1))
one("b2_reshape_zero_elements", lambda T: T.ones(0, 3).reshape(-1).shape)
one("b2_reshape_infer_zero", lambda T: T.ones(0, 3).reshape(-1, 0))
one("b2_flatten_single_dim", lambda T: T.ones(3).flatten(0, 0).shape)
one("b2_expand_scalar", lambda T: T.tensor(2.0).expand(3))
one("b2_expand_negative_new_dim", lambda T: T.ones(3).expand(-1, 3))
one("b2_cat_negative_dim", lambda T: T.cat([T.ones(2, 1), T.zeros(2, 2)], dim=-1))
one("b2_stack_int_float", lambda T: T.stack([T.tensor([1, 2]), T.tensor([0.5, 1.5])]))
one("b2_chunk_zero", lambda T: T.arange(4).chunk(0))
one("b2_split_too_large", lambda T: [t.tolist() for t in T.arange(3).split(5)])
one("b2_matmul_3d_3d", lambda T: (T.ones(2, 3, 4) @ T.ones(2, 4, 5)).shape)
one("b2_matmul_1d_3d", lambda T: (T.ones(3) @ T.ones(2, 3, 4)).shape)
one("b2_matmul_empty", lambda T: T.ones(0, 3) @ T.ones(3, 2))
one("b2_mm_int_float", lambda T: T.mm(T.ones(2, 2, dtype=T.int64), T.ones(2, 2)))
one("b2_bmm_dtype", lambda T: T.bmm(T.ones(1, 2, 2), T.ones(1, 2, 2, dtype=T.float64)))
one("b2_where_broadcast_scalar_cond", lambda T: T.where(T.tensor(True), T.ones(2), T.zeros(2)))
one(
    "b2_clamp_tensor_bounds",
    lambda T: T.tensor([0.0, 5.0, 10.0]).clamp(T.tensor([1.0, 1.0, 1.0]), T.tensor([8.0, 4.0, 8.0])),
)
one("b2_clamp_int_bounds_on_float", lambda T: T.tensor([0.5, 2.5]).clamp(1, 2))
one("b2_maximum_broadcast", lambda T: T.maximum(T.tensor([[1.0], [4.0]]), T.tensor([2.0, 3.0])))
one("b2_maximum_int_float", lambda T: T.maximum(T.tensor([1, 5]), T.tensor([2.5, 0.5])))
one("b2_exp_float64_keeps", lambda T: T.tensor([1.0], dtype=T.float64).exp().dtype)
one("b2_sigmoid_float16", lambda T: T.tensor([0.0, 2.0], dtype=T.float16).sigmoid())
one("b2_relu_int", lambda T: T.tensor([-1, 2]).relu().dtype)
one("b2_softmax_all_neg_inf_row", lambda T: T.tensor([[-float("inf"), -float("inf")], [0.0, 1.0]]).softmax(dim=1))
one("b2_log_softmax_2d_dim0", lambda T: T.tensor([[1.0, 2.0], [3.0, 4.0]]).log_softmax(0))
one("b2_eq_scalar_int_float", lambda T: T.tensor([1, 2]) == 1.0)
one("b2_compare_bool_int", lambda T: T.tensor([True, False]) == T.tensor([1, 1]))
one("b2_any_dim", lambda T: T.tensor([[0, 1], [0, 0]]).any(dim=1))
one("b2_all_empty", lambda T: T.ones(0).all())
one("b2_item_of_bool_tensor", lambda T: T.tensor([True]).item())
one("b2_tolist_float32", lambda T: T.tensor([0.1]).tolist())
one("b2_int_cast_negative", lambda T: T.tensor([-1.5, 2.5]).int())
one("b2_to_bool_then_float", lambda T: T.tensor([0.0, 3.0]).bool().float())
one("b2_long_of_huge_float", lambda T: T.tensor([1e10]).long())
one("b2_numel_scalar", lambda T: T.tensor(3.0).numel())
one("b2_size_negative", lambda T: T.ones(2, 5).size(-1))
one("b2_dtype_itemsize", lambda T: (T.float64.itemsize, T.int32.itemsize))
one("b2_zeros_dtype_bool", lambda T: T.zeros(2, dtype=T.bool))
one("b2_ones_int32", lambda T: T.ones(2, dtype=T.int32) + 1)
one("b2_full_negative", lambda T: T.full((2,), -1.5))
one("b2_arange_negative_float", lambda T: T.arange(-1.0, 1.0, 0.5))
one("b2_linspace_int_args", lambda T: T.linspace(0, 10, 3).dtype)
one("b2_eye_int", lambda T: T.eye(2, dtype=T.int64))
one("b2_tensor_nested_tensors", lambda T: T.tensor([[T.tensor(1.0), 2.0], [3.0, T.tensor(4.0)]]))
one("b2_tensor_of_numpy_int32", lambda T: T.tensor(__import__("numpy").array([1, 2], dtype="int32")).dtype)
one("b2_as_tensor_float64_numpy", lambda T: T.as_tensor(__import__("numpy").array([1.0])).dtype)
one("b2_from_numpy_float16", lambda T: T.from_numpy(__import__("numpy").ones(1, dtype="float16")).dtype)


@program
def b2_chain_rule_three_levels(T):
    x = T.tensor(0.5, requires_grad=True)
    y = (x.sin() * x.exp()).tanh() ** 2
    y.backward()
    return y, x.grad


@program
def b2_gradient_through_max_dim_indices_unused(T):
    x = T.tensor([[1.0, 3.0], [4.0, 2.0]], requires_grad=True)
    v, i = x.max(1)
    (v * 2).sum().backward()
    return x.grad, i


@program
def b2_gradient_through_indexing_assignment_clone(T):
    x = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.clone()
    y[0] = y[1] * 10
    y.sum().backward()
    return y, x.grad


@program
def b2_inplace_relu_on_nonleaf(T):
    x = T.tensor([-1.0, 2.0], requires_grad=True)
    y = x * 2
    y.relu_()
    y.sum().backward()
    return y, x.grad


@program
def b2_inplace_mul_on_leaf_under_no_grad(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    with T.no_grad():
        x.mul_(3)
    return x, x.requires_grad, x.grad_fn is None


@program
def b2_backward_on_float64_scalar_graph(T):
    x = T.tensor([1.0, 2.0], dtype=T.float64, requires_grad=True)
    (x**3).sum().backward()
    return x.grad


@program
def b2_grad_of_int_output(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    return (x > 1).requires_grad, x.argmax().requires_grad


@program
def b2_detach_requires_grad_again(T):
    x = T.tensor([1.0], requires_grad=True)
    y = (x * 2).detach().requires_grad_()
    (y * 3).sum().backward()
    return y.grad, x.grad is None


@program
def b2_autograd_grad_create_graph_then_backward(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = (x**2).sum()
    (g,) = T.autograd.grad(y, x, create_graph=True)
    (g**2).sum().backward()
    return g, x.grad


@program
def b2_retain_graph_twice_accumulates(T):
    x = T.tensor([1.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    return x.grad


@program
def b2_zero_grad_then_step_without_backward(T):
    w = T.ones(2, requires_grad=True)
    opt = T.optim.Adam([w], lr=0.1)
    opt.zero_grad()
    opt.step()
    return w


@program
def b2_sgd_lr_zero(T):
    w = T.ones(2, requires_grad=True)
    opt = T.optim.SGD([w], lr=0.0)
    (w * 5).sum().backward()
    opt.step()
    return w


@program
def b2_module_parameters_after_to_double(T):
    model = T.nn.Sequential(T.nn.Linear(2, 2), T.nn.ReLU())
    model.double()
    return [p.dtype for p in model.parameters()]


@program
def b2_linear_zero_features(T):
    layer = T.nn.Linear(0, 2)
    return layer(T.ones(3, 0)).shape


@program
def b2_linear_negative_features(T):
    return T.nn.Linear(-1, 2)


@program
def b2_sequential_empty(T):
    return T.nn.Sequential()(T.ones(2))


@program
def b2_module_attribute_error(T):
    return T.nn.Linear(2, 2).wieght


@program
def b2_state_dict_of_sequential_nested(T):
    model = T.nn.Sequential(T.nn.Sequential(T.nn.Linear(1, 1)), T.nn.Linear(1, 2))
    return list(model.state_dict().keys())


@program
def b2_named_parameters_prefix(T):
    return [n for n, _ in T.nn.Linear(1, 1).named_parameters(prefix="fc")]


@program
def b2_cross_entropy_requires_grad_output(T):
    out = T.nn.functional.cross_entropy(T.ones(2, 3, requires_grad=True), T.tensor([0, 1]))
    return out.requires_grad, out.shape


@program
def b2_cross_entropy_no_grad_input(T):
    return T.nn.functional.cross_entropy(T.tensor([[2.0, 1.0]]), T.tensor([0])).requires_grad


@program
def b2_mse_int_input_float_target(T):
    return T.nn.functional.mse_loss(T.tensor([1, 2]), T.tensor([1.0, 0.0]))


@program
def b2_mse_both_int(T):
    return T.nn.functional.mse_loss(T.tensor([1, 2]), T.tensor([1, 0]))


@program
def b2_bce_logits_float64_target(T):
    return T.nn.functional.binary_cross_entropy_with_logits(T.tensor([0.5]), T.tensor([1.0], dtype=T.float64))


@program
def b2_dropout_zero_p(T):
    return T.nn.functional.dropout(T.ones(3), p=0.0)


@program
def b2_dropout_negative_p(T):
    return T.nn.functional.dropout(T.ones(3), p=-0.1)


@program
def b2_softmax_module_repr(T):
    return repr(T.nn.Softmax(dim=1)), repr(T.nn.Dropout(0.2)), repr(T.nn.Flatten())


@program
def b2_relu_module_inplace_arg(T):
    return T.nn.ReLU(inplace=True)(T.tensor([-1.0, 1.0]))


@program
def b2_tanh_backward_through_module(T):
    x = T.tensor([0.5, -0.5], requires_grad=True)
    T.nn.Tanh()(x).sum().backward()
    return x.grad


@program
def b2_parameters_list_len(T):
    model = T.nn.Sequential(T.nn.Linear(3, 4, bias=False), T.nn.Linear(4, 1))
    return len(list(model.parameters())), [tuple(p.shape) for p in model.parameters()]


@program
def b2_loss_backward_twice_error(T):
    model = T.nn.Linear(2, 1)
    loss = model(T.ones(1, 2)).sum()
    loss.backward()
    loss.backward()


@program
def b2_optimizer_step_changes_version(T):
    w = T.ones(1, requires_grad=True)
    y = w * 2
    opt = T.optim.SGD([w], lr=0.1)
    z = w.exp()
    z.sum().backward()
    opt.step()
    y.sum().backward()
    return w.grad


@program
def b2_training_loop_version_error(T):
    w = T.ones(1, requires_grad=True)
    opt = T.optim.SGD([w], lr=0.1)
    loss = (w.exp()).sum()
    opt.zero_grad()
    loss.backward(retain_graph=True)
    opt.step()
    loss.backward()


one("b2_repr_large_ints", lambda T: repr(T.tensor([1, 1000000])))
one("b2_repr_neg_zero", lambda T: repr(T.tensor([-0.0, 0.0])))
one("b2_repr_tiny_and_big_mix", lambda T: repr(T.tensor([0.001, 1000.0])))
one("b2_repr_float64_whole", lambda T: repr(T.tensor([1.0, 2.0], dtype=T.float64)))
one("b2_repr_requires_grad_float64", lambda T: repr(T.tensor([1.5], dtype=T.float64, requires_grad=True)))
one("b2_repr_int8", lambda T: repr(T.tensor([-1, 1], dtype=T.int8)))
one("b2_repr_uint8", lambda T: repr(T.tensor([1, 255], dtype=T.uint8)))
one("b2_repr_column", lambda T: repr(T.tensor([[1.5], [-2.25], [3.0]])))
one("b2_repr_4d", lambda T: repr(T.zeros(1, 2, 1, 2)))
one("b2_repr_2000_floats", lambda T: repr(T.linspace(0, 1, 2000)))
one("b2_str_of_size", lambda T: str(T.ones(2, 3).shape))
one("b2_shape_index", lambda T: (T.ones(2, 3).shape[1], T.ones(2, 3).shape[-1], list(T.ones(2, 3).shape)))
one("b2_size_numel", lambda T: T.ones(2, 3).shape.numel())
one("b2_len_shape", lambda T: len(T.ones(2, 3, 4).shape))
one("b2_dtype_repr", lambda T: (repr(T.float32), repr(T.int64), repr(T.bool)))
one("b2_device_repr", lambda T: repr(T.ones(1).device))
one("b2_get_default_dtype", lambda T: T.get_default_dtype())
one("b2_is_grad_enabled_default", lambda T: T.is_grad_enabled())


# =========================================================================== a third batch, written before running it

one("b3_numpy_array_plus_tensor", lambda T: __import__("numpy").array([1.0, 2.0]) + T.tensor([1.0, 1.0]))
one("b3_tensor_plus_numpy_array", lambda T: T.tensor([1.0, 1.0]) + __import__("numpy").array([1.0, 2.0]))
one("b3_tensor_times_numpy_float32", lambda T: (T.ones(2) * __import__("numpy").float32(3)).dtype)
one("b3_index_with_numpy_int_array", lambda T: T.arange(5)[__import__("numpy").array([4, 0])])
one("b3_index_with_numpy_bool_array", lambda T: T.arange(3)[__import__("numpy").array([True, False, True])])
one("b3_tensor_from_numpy_bool", lambda T: T.tensor(__import__("numpy").array([True, False])))
one("b3_tensor_list_numpy_floats", lambda T: T.tensor([__import__("numpy").float64(1.5), 2.0]).dtype)
one("b3_tensor_from_range", lambda T: T.tensor(range(4)))
one("b3_tensor_from_generator", lambda T: T.tensor(x * 2 for x in range(3)))
one("b3_zeros_from_size", lambda T: T.zeros(T.ones(2, 3).shape))
one("b3_zeros_from_size_method", lambda T: T.zeros(T.ones(2, 3).size()))
one("b3_randn_like_shape", lambda T: T.randn_like(T.ones(2, 3)).shape)
one("b3_rand_like_int", lambda T: T.rand_like(T.ones(2, dtype=T.int64)))
one("b3_randint_high_only", lambda T: T.randint(3, (10,)).max() < 3)
one("b3_randint_dtype_float", lambda T: T.randint(0, 5, (2,), dtype=T.float32).dtype)
one("b3_sum_list_of_tensors", lambda T: sum([T.tensor(1.0), T.tensor(2.0)]))
one("b3_python_max_of_tensors", lambda T: max(T.tensor(1.0), T.tensor(3.0)))
one("b3_sorted_tensor_elements", lambda T: sorted(T.tensor([3.0, 1.0, 2.0])))
one("b3_in_operator", lambda T: (2 in T.tensor([1, 2, 3]), 5 in T.tensor([1, 2])))
one("b3_tensor_as_dict_key", lambda T: len({T.tensor(1.0): 1, T.tensor(1.0): 2}))
one("b3_round_builtin", lambda T: round(T.tensor(2.567).item(), 2))
one("b3_math_of_item", lambda T: math.sqrt(T.tensor(16.0)))
one("b3_float_of_1d_single", lambda T: float(T.tensor([2.5])))
one("b3_int_of_bool_tensor", lambda T: int(T.tensor(True)))
one("b3_bool_of_zero_dim_int", lambda T: bool(T.tensor(0)))
one("b3_list_comprehension_floats", lambda T: [float(v) for v in T.tensor([1.5, 2.5])])
one("b3_tolist_of_int_matrix", lambda T: T.eye(2, dtype=T.int64).tolist())
one("b3_equal_dtype_mismatch", lambda T: T.equal(T.tensor([1, 2]), T.tensor([1.0, 2.0])))
one("b3_allclose_shapes", lambda T: T.allclose(T.ones(2, 1), T.ones(2)))
one("b3_allclose_int", lambda T: T.allclose(T.tensor([1, 2]), T.tensor([1, 2])))
one("b3_clone_grad_none", lambda T: T.ones(2, requires_grad=True).clone().is_leaf)
one("b3_sum_keepdim_scalar", lambda T: T.tensor(3.0).sum(keepdim=True))
one("b3_mean_dim_none_keepdim", lambda T: T.ones(2, 3).mean(keepdim=True).shape)
one("b3_max_scalar_dim", lambda T: tuple(T.tensor(5.0).max(dim=0)))
one("b3_argmax_scalar", lambda T: T.tensor(5.0).argmax())
one("b3_softmax_scalar", lambda T: T.tensor(3.0).softmax(0))
one("b3_cat_three", lambda T: T.cat([T.ones(1), T.zeros(2), T.full((1,), 5.0)]))
one(
    "b3_stack_grad",
    lambda T: (lambda a: (T.stack([a, a * 2]).sum().backward(), a.grad)[1])(T.ones(2, requires_grad=True)),
)
one("b3_unbind_sum", lambda T: sum(T.arange(6.0).reshape(2, 3).unbind(0)))
one("b3_view_minus_one_scalar", lambda T: T.tensor(1.0).view(-1))
one("b3_view_int_list", lambda T: T.arange(6).view([2, 3]))
one("b3_reshape_size_object", lambda T: T.arange(6).reshape(T.ones(3, 2).shape))
one("b3_permute_list", lambda T: T.ones(2, 3).permute([1, 0]).shape)
one("b3_transpose_same_dim", lambda T: T.ones(2, 3).transpose(1, 1).shape)
one("b3_expand_same", lambda T: T.ones(2, 3).expand(2, 3).shape)
one("b3_squeeze_no_ones", lambda T: T.ones(2, 3).squeeze().shape)
one("b3_getitem_out_of_range_2d", lambda T: T.ones(2, 3)[1, 3])
one("b3_getitem_slice_step2_2d", lambda T: T.arange(16).reshape(4, 4)[::2, 1::2])
one(
    "b3_setitem_broadcast_row",
    lambda T: (lambda x: (x.__setitem__(slice(None), T.tensor([1.0, 2.0])), x)[1])(T.zeros(3, 2)),
)
one(
    "b3_setitem_tensor_index",
    lambda T: (lambda x: (x.__setitem__(T.tensor([0, 2]), 9), x)[1])(T.zeros(3, dtype=T.int64)),
)
one("b3_setitem_float_into_bool", lambda T: (lambda x: (x.__setitem__(0, 0.0), x)[1])(T.tensor([True, True])))
one("b3_masked_fill_broadcast", lambda T: T.zeros(2, 3).masked_fill(T.tensor([True, False, True]), 1.0))
one("b3_masked_fill_tensor_value", lambda T: T.zeros(3).masked_fill(T.tensor([True, False, True]), T.tensor(2.0)))
one(
    "b3_where_grad_to_both",
    lambda T: (lambda a, b: (T.where(a > 1, a, b).sum().backward(), a.grad, b.grad)[1:])(
        T.tensor([0.0, 2.0], requires_grad=True), T.tensor([5.0, 5.0], requires_grad=True)
    ),
)
one("b3_abs_of_int8_neg", lambda T: T.tensor([-5], dtype=T.int8).abs())
one("b3_exp_of_bool", lambda T: T.tensor([True, False]).exp())
one("b3_log_of_int_zero", lambda T: T.tensor([0, 1]).log())
one("b3_sigmoid_of_bool", lambda T: T.tensor([True]).sigmoid())
one("b3_mul_bool_bool", lambda T: T.tensor([True, False]) * T.tensor([True, True]))
one("b3_div_bool", lambda T: T.tensor([True, False]) / 2)
one("b3_floordiv_negative_float", lambda T: T.tensor([-7.5]) // 2)
one("b3_mod_float_negative_divisor", lambda T: T.tensor([7.0, -7.0]) % T.tensor([-3.0, 3.0]))
one("b3_rfloordiv", lambda T: 7 // T.tensor([2, 3]))
one("b3_rmod", lambda T: 7 % T.tensor([2, 3]))
one("b3_rsub_tensor_scalar_float", lambda T: 1.5 - T.tensor([1, 2]))
one("b3_rdiv_int", lambda T: 1 / T.tensor([2, 4]))
one("b3_pow_negative_float_base", lambda T: T.tensor([-2.0]) ** 2)
one("b3_pow_tensor_tensor_broadcast", lambda T: T.tensor([[2.0], [3.0]]) ** T.tensor([1.0, 2.0]))


@program
def b3_manual_mlp_numbers(T):
    x = T.tensor([[0.5, -1.0], [1.5, 2.0]])
    w1 = T.tensor([[0.1, 0.2, -0.1], [0.3, -0.2, 0.5]], requires_grad=True)
    w2 = T.tensor([[0.4], [-0.6], [0.2]], requires_grad=True)
    h = (x @ w1).relu()
    out = (h @ w2).sigmoid()
    loss = ((out - T.tensor([[1.0], [0.0]])) ** 2).mean()
    loss.backward()
    return loss, w1.grad, w2.grad


@program
def b3_gradient_descent_on_function(T):
    x = T.tensor(3.0, requires_grad=True)
    for _ in range(20):
        y = (x - 1) ** 2 + x.sin()
        y.backward()
        with T.no_grad():
            x -= 0.1 * x.grad
        x.grad.zero_()
    return x, y


@program
def b3_forgot_zero_grad(T):
    w = T.tensor(1.0, requires_grad=True)
    grads = []
    for _ in range(3):
        (w * 2).backward()
        grads.append(w.grad.item())
    return grads


@program
def b3_nonscalar_loss_backward(T):
    model = T.nn.Linear(2, 1)
    loss = (model(T.ones(3, 2)) - 1) ** 2
    loss.backward()


@program
def b3_linear_wrong_input_message_type(T):
    model = T.nn.Sequential(T.nn.Linear(4, 2))
    model(T.ones(3, 5))


@program
def b3_eval_no_grad_predictions(T):
    model = T.nn.Sequential(
        _linear(T, 2, 3, [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [0.0, 0.0, 0.0]), T.nn.Softmax(dim=1)
    )
    model.eval()
    with T.no_grad():
        probs = model(T.tensor([[1.0, 2.0]]))
    return probs, probs.argmax(dim=1), probs.sum(dim=1)


@program
def b3_model_train_flag_default(T):
    return T.nn.Linear(1, 1).training, T.nn.Sequential().training


@program
def b3_parameter_grad_after_backward_shape(T):
    layer = T.nn.Linear(3, 2)
    layer(T.ones(4, 3)).mean().backward()
    return layer.weight.grad.shape, layer.bias.grad


@program
def b3_freeze_layer(T):
    model = T.nn.Sequential(
        _linear(T, 2, 2, [[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0]), _linear(T, 2, 1, [[1.0, 1.0]], [0.0])
    )
    for p in model[0].parameters():
        p.requires_grad = False
    model(T.ones(1, 2)).sum().backward()
    return model[0].weight.grad is None, model[1].weight.grad


@program
def b3_optimizer_only_trainable(T):
    model = T.nn.Linear(2, 1)
    model.bias.requires_grad_(False)
    opt = T.optim.SGD(filter(lambda p: p.requires_grad, model.parameters()), lr=0.1)
    return len(opt.param_groups[0]["params"])


@program
def b3_cross_entropy_on_probabilities_mistake(T):
    logits = T.tensor([[2.0, 1.0, 0.1]])
    probs = logits.softmax(dim=1)
    return T.nn.functional.cross_entropy(probs, T.tensor([0])), T.nn.functional.cross_entropy(logits, T.tensor([0]))


@program
def b3_nll_on_raw_logits(T):
    return T.nn.functional.nll_loss(T.tensor([[2.0, 1.0]]), T.tensor([1]))


@program
def b3_bce_with_sigmoid_output_of_linear(T):
    layer = _linear(T, 2, 1, [[0.5, -0.5]], [0.1])
    p = layer(T.tensor([[1.0, 2.0], [0.0, 1.0]])).sigmoid().squeeze(1)
    loss = T.nn.BCELoss()(p, T.tensor([1.0, 0.0]))
    loss.backward()
    return loss, layer.weight.grad


@program
def b3_mse_module_sum_reduction(T):
    return T.nn.MSELoss(reduction="sum")(T.tensor([1.0, 2.0]), T.tensor([0.0, 0.0]))


@program
def b3_accuracy_with_argmax_and_item(T):
    logits = T.tensor([[0.2, 0.8], [0.9, 0.1], [0.4, 0.6], [0.7, 0.3]])
    labels = T.tensor([1, 0, 0, 0])
    return (logits.argmax(1) == labels).sum().item() / labels.size(0)


@program
def b3_adam_two_params_different_shapes(T):
    a = T.tensor([[1.0, 2.0]], requires_grad=True)
    b = T.tensor(0.5, requires_grad=True)
    opt = T.optim.Adam([a, b], lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        ((a * b).sum() ** 2).backward()
        opt.step()
    return a, b


@program
def b3_rmsprop_state_keys(T):
    w = T.ones(1, requires_grad=True)
    opt = T.optim.RMSprop([w], lr=0.1, momentum=0.5, centered=True)
    (w * 2).sum().backward()
    opt.step()
    return sorted(opt.state[w].keys())


@program
def b3_sgd_momentum_state_after_two_steps(T):
    w = T.ones(2, requires_grad=True)
    opt = T.optim.SGD([w], lr=0.1, momentum=0.9)
    for _ in range(2):
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()
    return opt.state[w]["momentum_buffer"], w


# =========================================================================== a fourth batch, written before running it

# ---- creation and dtypes
one("b4_tensor_nested_tuple_list", lambda T: T.tensor(([1, 2], (3, 4))))
one("b4_tensor_int_dtype_float32", lambda T: T.tensor(3, dtype=T.float32))
one("b4_tensor_neg_zero", lambda T: T.tensor([-0.0, 0.0]))
one("b4_tensor_inf_nan", lambda T: T.tensor([float("inf"), float("nan"), -float("inf")]))
one("b4_tensor_large_float", lambda T: T.tensor([1e39]))
one("b4_tensor_float64_list_default", lambda T: T.tensor([1e-50]).item())
one("b4_as_tensor_list", lambda T: T.as_tensor([1, 2, 3], dtype=T.float32))
one("b4_zeros_tuple_shape", lambda T: T.zeros((2, 3), dtype=T.int64))
one("b4_ones_like_dtype", lambda T: T.ones_like(T.tensor([1, 2]), dtype=T.float32))
one("b4_zeros_like_requires_grad", lambda T: T.zeros_like(T.ones(2), requires_grad=True))
one("b4_full_int_fill", lambda T: T.full((2,), 7))
one("b4_full_float_fill", lambda T: T.full((2, 2), 0.5))
one("b4_full_bool_fill", lambda T: T.full((2,), True))
one("b4_empty_shape", lambda T: T.empty(3, 0).shape)
one("b4_eye_rect", lambda T: T.eye(2, 3))
one("b4_eye_dtype_int", lambda T: T.eye(2, dtype=T.int64))
one("b4_arange_float_step", lambda T: T.arange(0, 1, 0.25))
one("b4_arange_negative_step", lambda T: T.arange(5, 0, -2))
one("b4_arange_float_end_dtype", lambda T: T.arange(3.0).dtype)
one("b4_arange_zero_step", lambda T: T.arange(0, 5, 0))
one("b4_arange_wrong_direction", lambda T: T.arange(5, 0, 1))
one("b4_linspace_one_step", lambda T: T.linspace(2, 3, 1))
one("b4_linspace_int_ends", lambda T: T.linspace(0, 10, 5).dtype)
one("b4_linspace_steps_zero", lambda T: T.linspace(0, 1, 0).shape)
one("b4_randn_dtype_float64", lambda T: T.randn(2, dtype=T.float64).dtype)
one("b4_rand_tuple_size", lambda T: T.rand((2, 3)).shape)
one("b4_randint_bounds", lambda T: bool(((T.randint(2, 5, (50,)) >= 2) & (T.randint(2, 5, (50,)) < 5)).all()))
one("b4_randint_low_equal_high", lambda T: T.randint(3, 3, (2,)))
one("b4_randperm_dtype", lambda T: T.randperm(4).dtype)
one("b4_normal_shape", lambda T: T.normal(0.0, 1.0, size=(2, 2)).shape)
one("b4_from_numpy_int32", lambda T: T.from_numpy(__import__("numpy").array([1, 2], dtype="int32")).dtype)
one("b4_from_numpy_float32_plus_float", lambda T: (T.from_numpy(__import__("numpy").ones(2, "float32")) + 1.5).dtype)
one("b4_tensor_from_numpy_float16", lambda T: T.tensor(__import__("numpy").ones(2, "float16")).dtype)
one("b4_get_default_dtype", lambda T: T.get_default_dtype())
one("b4_is_tensor", lambda T: (T.is_tensor(T.ones(1)), T.is_tensor([1.0])))
one("b4_numel_function", lambda T: T.numel(T.ones(2, 3)))
one("b4_is_floating_point", lambda T: (T.ones(1).is_floating_point(), T.tensor([1]).is_floating_point()))
one(
    "b4_float_int_conversions", lambda T: (T.tensor([1.7, -1.7]).int(), T.tensor([1, 0]).bool(), T.tensor([1]).double())
)
one("b4_to_dtype_keyword", lambda T: T.tensor([1.5]).to(dtype=T.int64))
one("b4_type_method_string", lambda T: T.tensor([1.5]).type())
one("b4_long_of_negative_float", lambda T: T.tensor([-2.5, 2.5]).long())

# ---- attributes and conversions
one("b4_shape_index", lambda T: T.ones(2, 3, 4).shape[-1])
one("b4_size_dim_negative", lambda T: T.ones(2, 3).size(-2))
one("b4_size_bad_dim", lambda T: T.ones(2, 3).size(2))
one("b4_ndim_dim_scalar", lambda T: (T.tensor(1.0).ndim, T.tensor(1.0).dim(), T.tensor(1.0).shape))
one("b4_len_scalar", lambda T: len(T.tensor(1.0)))
one("b4_len_matrix", lambda T: len(T.ones(4, 2)))
one("b4_item_int", lambda T: T.tensor([5]).item())
one("b4_item_bool", lambda T: T.tensor(True).item())
one("b4_tolist_scalar", lambda T: T.tensor(2.5).tolist())
one("b4_tolist_nested_int", lambda T: T.tensor([[1, 2], [3, 4]]).tolist())
one("b4_int_of_tensor", lambda T: int(T.tensor(3.9)))
one("b4_int_of_negative", lambda T: int(T.tensor(-3.9)))
one("b4_float_of_one_elem_vector", lambda T: float(T.tensor([2.5])))
one("b4_bool_of_zero", lambda T: bool(T.tensor(0.0)))
one("b4_bool_of_empty", lambda T: bool(T.tensor([])))
one("b4_index_of_tensor", lambda T: [10, 20, 30][T.tensor(1)])
one("b4_index_of_float_tensor", lambda T: [10, 20, 30][T.tensor(1.0)])
one("b4_range_of_tensor", lambda T: list(range(T.tensor(3))))
one("b4_iter_rows", lambda T: [row.sum() for row in T.arange(6).reshape(3, 2)])
one("b4_iter_scalar", lambda T: list(T.tensor(1.0)))
one("b4_numpy_of_int", lambda T: T.tensor([1, 2]).numpy())
one("b4_numpy_after_detach", lambda T: T.ones(2, requires_grad=True).detach().numpy())
one("b4_requires_grad_flag_after_op", lambda T: (T.ones(2, requires_grad=True) * 2).requires_grad)
one("b4_is_leaf_after_op", lambda T: ((T.ones(2, requires_grad=True) * 2).is_leaf, T.ones(2).is_leaf))
one("b4_grad_none_initially", lambda T: T.ones(2, requires_grad=True).grad)
one("b4_equal_different_shapes", lambda T: T.equal(T.ones(2), T.ones(3)))
one("b4_allclose", lambda T: T.allclose(T.tensor([1.0, 2.0]), T.tensor([1.0, 2.0 + 1e-9])))
one("b4_eq_returns_bool_tensor", lambda T: T.tensor([1, 2]) == T.tensor([1, 3]))
one("b4_compare_with_scalar_float", lambda T: T.tensor([1, 2, 3]) > 1.5)

# ---- printing
one("b4_repr_int_matrix", lambda T: repr(T.tensor([[1, 20], [300, 4]])))
one("b4_repr_float_vector", lambda T: repr(T.tensor([1.0, 2.5, -3.25])))
one("b4_repr_requires_grad", lambda T: repr(T.tensor([1.0, 2.0], requires_grad=True)))
one("b4_repr_float64", lambda T: repr(T.tensor([1.5], dtype=T.float64)))
one("b4_repr_scalar", lambda T: repr(T.tensor(3.0)))
one("b4_repr_int_scalar", lambda T: repr(T.tensor(3)))
one("b4_repr_grad_fn", lambda T: repr(T.tensor([1.0], requires_grad=True) * 2))
one("b4_repr_empty", lambda T: repr(T.tensor([])))
one("b4_repr_nan_inf", lambda T: repr(T.tensor([float("nan"), float("inf"), 1.0])))
one("b4_repr_small_values", lambda T: repr(T.tensor([1e-5, 1.0])))
one("b4_str_vector", lambda T: str(T.tensor([0.1, 0.2])))
one("b4_format_item", lambda T: f"{T.tensor(0.123456).item():.3f}")
one("b4_format_tensor_scalar", lambda T: f"{T.tensor(0.5):.2f}")

# ---- dtype promotion
one("b4_int_plus_float_scalar", lambda T: T.tensor([1, 2]) + 0.5)
one("b4_int_times_bool", lambda T: T.tensor([3, 4]) * T.tensor([True, False]))
one("b4_float32_plus_float64_scalar_tensor", lambda T: (T.ones(2) + T.tensor(1.0, dtype=T.float64)).dtype)
one("b4_float32_plus_float64_vector", lambda T: (T.ones(2) + T.ones(2, dtype=T.float64)).dtype)
one("b4_int32_plus_int64", lambda T: (T.tensor([1], dtype=T.int32) + T.tensor([1])).dtype)
one("b4_uint8_overflow", lambda T: T.tensor([250], dtype=T.uint8) + 10)
one("b4_int_true_division", lambda T: T.tensor([3, 4]) / 2)
one("b4_int_floor_division_negative", lambda T: T.tensor([-7, 7]) // 2)
one("b4_float_floor_division", lambda T: T.tensor([-7.5, 7.5]) // 2)
one("b4_remainder_negative", lambda T: T.tensor([-7, 7]) % 3)
one("b4_fmod_negative", lambda T: T.fmod(T.tensor([-7.0, 7.0]), 3))
one("b4_pow_int_int", lambda T: T.tensor([2, 3]) ** 2)
one("b4_pow_scalar_base", lambda T: 2 ** T.tensor([1.0, 3.0]))
one("b4_rpow_int_base_int_tensor", lambda T: 2 ** T.tensor([1, 3]))
one("b4_rsub_scalar", lambda T: 1 - T.tensor([0.25, 0.5]))
one("b4_rdiv_scalar", lambda T: 1 / T.tensor([2.0, 4.0]))
one("b4_rdiv_int_tensor", lambda T: 1 / T.tensor([2, 4]))
one("b4_bool_plus_bool", lambda T: T.tensor([True, False]) + T.tensor([True, True]))
one("b4_bool_sum_dtype", lambda T: T.tensor([True, True, False]).sum())
one("b4_mean_of_int", lambda T: T.tensor([1, 2]).mean())
one("b4_mean_of_int_with_dtype", lambda T: T.tensor([1, 2]).mean(dtype=T.float32))
one("b4_sqrt_of_int", lambda T: T.tensor([4, 9]).sqrt())
one("b4_exp_of_int", lambda T: T.tensor([0, 1]).exp().dtype)
one("b4_sigmoid_of_int", lambda T: T.sigmoid(T.tensor([0])))
one("b4_abs_of_int", lambda T: T.tensor([-3, 2]).abs())

# ---- indexing
one("b4_index_ellipsis", lambda T: T.arange(24).reshape(2, 3, 4)[..., 1])
one("b4_index_none", lambda T: T.arange(3)[None, :, None].shape)
one("b4_index_step_slice", lambda T: T.arange(10)[1:8:3])
one("b4_index_negative_step", lambda T: T.arange(10)[::-1])
one("b4_index_list", lambda T: T.arange(10)[[1, 1, 3]])
one("b4_index_two_lists", lambda T: T.arange(12).reshape(3, 4)[[0, 2], [1, 3]])
one("b4_index_list_and_slice", lambda T: T.arange(12).reshape(3, 4)[[0, 2], 1:3])
one("b4_index_bool_2d_mask", lambda T: T.arange(6).reshape(2, 3)[T.arange(6).reshape(2, 3) % 2 == 0])
one("b4_index_bool_rows", lambda T: T.arange(6).reshape(3, 2)[T.tensor([True, False, True])])
one("b4_index_int_tensor_2d", lambda T: T.arange(5)[T.tensor([[0, 1], [2, 3]])])
one("b4_index_out_of_range_negative", lambda T: T.arange(3)[-4])
one("b4_index_too_many", lambda T: T.arange(3)[0, 0])
one("b4_index_float", lambda T: T.arange(3)[1.0])
one("b4_index_float_tensor", lambda T: T.arange(3)[T.tensor([0.0, 1.0])])
one("b4_slice_out_of_range", lambda T: T.arange(3)[5:10])
one("b4_index_scalar_result_is_tensor", lambda T: type(T.arange(3)[1]).__name__)


@program
def b4_setitem_broadcast_row(T):
    x = T.zeros(2, 3)
    x[0] = T.tensor([1.0, 2.0, 3.0])
    return x


@program
def b4_setitem_list_index(T):
    x = T.zeros(5)
    x[[0, 2, 4]] = 1.0
    return x


@program
def b4_setitem_repeated_index(T):
    x = T.zeros(3)
    x[[0, 0]] = T.tensor([1.0, 2.0])
    return x.shape


@program
def b4_setitem_float_into_int(T):
    x = T.zeros(3, dtype=T.int64)
    x[1] = 2.7
    return x


@program
def b4_setitem_wrong_shape(T):
    x = T.zeros(2, 3)
    x[0] = T.tensor([1.0, 2.0])
    return x


@program
def b4_setitem_nan_mask(T):
    x = T.tensor([1.0, float("nan"), 3.0])
    x[T.isnan(x)] = 0.0
    return x


@program
def b4_index_grad_repeated(T):
    x = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[[0, 0, 2]].sum().backward()
    return x.grad


@program
def b4_index_grad_mask(T):
    x = T.tensor([1.0, -2.0, 3.0], requires_grad=True)
    (x[x > 0] ** 2).sum().backward()
    return x.grad


# ---- elementwise math and edge values
one("b4_log1p_small", lambda T: T.log1p(T.tensor([1e-10, 0.0])))
one("b4_expm1_small", lambda T: T.expm1(T.tensor([1e-10])))
one("b4_sigmoid_extremes", lambda T: T.sigmoid(T.tensor([-100.0, 100.0])))
one("b4_tanh_extremes", lambda T: T.tanh(T.tensor([-50.0, 50.0])))
one("b4_relu_negative_zero", lambda T: T.relu(T.tensor([-0.0, -1.0, 2.0])))
one("b4_clamp_min_only", lambda T: T.tensor([-1.0, 0.5, 2.0]).clamp(min=0))
one("b4_clamp_max_only", lambda T: T.clamp(T.tensor([-1.0, 2.0]), max=1.0))
one("b4_clamp_min_greater_than_max", lambda T: T.tensor([0.0, 5.0]).clamp(min=3, max=1))
one("b4_clamp_none", lambda T: T.tensor([1.0]).clamp())
one("b4_clamp_int_with_float", lambda T: T.tensor([1, 5]).clamp(max=2.5))
one("b4_sign", lambda T: T.sign(T.tensor([-2.0, 0.0, 3.0])))
one("b4_round_half", lambda T: T.round(T.tensor([0.5, 1.5, 2.5, -0.5])))
one("b4_floor_ceil", lambda T: (T.floor(T.tensor([-1.5, 1.5])), T.ceil(T.tensor([-1.5, 1.5]))))
one("b4_maximum_nan", lambda T: T.maximum(T.tensor([1.0, float("nan")]), T.tensor([2.0, 0.0])))
one("b4_minimum_int", lambda T: T.minimum(T.tensor([1, 5]), T.tensor([3, 2])))
one("b4_log_negative", lambda T: T.log(T.tensor([-1.0])))
one("b4_sqrt_negative_grad", lambda T: grad_of(T, lambda x: x.sqrt(), [-1.0, 4.0]))
one("b4_exp_overflow_float32", lambda T: T.exp(T.tensor([100.0])))
one("b4_exp_float64_large", lambda T: T.exp(T.tensor([100.0], dtype=T.float64)))
one("b4_isnan_isinf", lambda T: (T.isnan(T.tensor([float("nan"), 1.0])), T.isinf(T.tensor([float("inf"), 1.0]))))
one("b4_isfinite", lambda T: T.isfinite(T.tensor([float("inf"), float("nan"), 1.0])))
one("b4_nan_to_num", lambda T: T.nan_to_num(T.tensor([float("nan"), 1.0])))
one("b4_nan_equals_nan", lambda T: T.tensor([float("nan")]) == T.tensor([float("nan")]))
one("b4_abs_grad_at_zero", lambda T: grad_of(T, lambda x: x.abs(), [0.0, -2.0]))
one("b4_sigmoid_grad", lambda T: grad_of(T, T.sigmoid, [0.0, 2.0]))
one("b4_tanh_grad", lambda T: grad_of(T, T.tanh, [0.0, 1.0]))
one("b4_sin_cos_grad", lambda T: grad_of(T, lambda x: x.sin() * x.cos(), [0.5]))
one("b4_reciprocal_grad", lambda T: grad_of(T, lambda x: x.reciprocal(), [2.0]))
one("b4_rsqrt", lambda T: T.rsqrt(T.tensor([4.0, 0.0])))
one("b4_pow_fractional_negative_base", lambda T: T.tensor([-8.0]) ** (1 / 3))
one("b4_pow_tensor_tensor_grad", lambda T: grad_of(T, lambda x: x ** T.tensor([2.0, 3.0]), [2.0, 1.5]))
one("b4_square_method", lambda T: T.tensor([3, -2]).square())
one("b4_exp2_log2", lambda T: (T.tensor([3.0]).exp2(), T.tensor([8.0]).log2(), T.tensor([100.0]).log10()))

# ---- broadcasting and reductions
one("b4_broadcast_column_row", lambda T: T.arange(3).reshape(3, 1) + T.arange(2))
one("b4_broadcast_scalar_tensor", lambda T: T.ones(2, 2) * T.tensor(3.0))
one("b4_broadcast_fail_message_type", lambda T: T.ones(2, 3) * T.ones(3, 2))
one("b4_broadcast_to", lambda T: T.broadcast_to(T.tensor([1, 2]), (3, 2)))
one("b4_expand_minus_one", lambda T: T.tensor([[1], [2]]).expand(-1, 3))
one("b4_expand_bad", lambda T: T.ones(2, 3).expand(3, 3))
one("b4_sum_keepdim_shape", lambda T: T.ones(2, 3, 4).sum(dim=1, keepdim=True).shape)
one("b4_sum_negative_tuple_dims", lambda T: T.ones(2, 3, 4).sum(dim=(-1, -2)))
one("b4_sum_int_dtype", lambda T: T.tensor([1, 2], dtype=T.int32).sum().dtype)
one("b4_sum_empty", lambda T: T.tensor([]).sum())
one("b4_mean_empty", lambda T: T.tensor([]).mean())
one("b4_prod_int", lambda T: T.tensor([2, 3, 4]).prod())
one("b4_max_dim_ties", lambda T: T.tensor([[1.0, 3.0, 3.0]]).max(dim=1))
one("b4_max_two_tensors", lambda T: T.max(T.tensor([1.0, 4.0]), T.tensor([3.0, 2.0])))
one("b4_min_dim_indices", lambda T: T.tensor([[4.0, 1.0], [0.0, 2.0]]).min(dim=0).indices)
one("b4_argmax_no_dim_2d", lambda T: T.tensor([[1.0, 9.0], [5.0, 2.0]]).argmax())
one("b4_argmax_keepdim", lambda T: T.tensor([[1.0, 9.0], [5.0, 2.0]]).argmax(dim=1, keepdim=True))
one("b4_max_of_bool", lambda T: T.tensor([True, False]).max())
one("b4_var_single_element", lambda T: T.tensor([3.0]).var())
one("b4_std_correction_zero", lambda T: T.tensor([1.0, 3.0]).std(correction=0))
one("b4_var_of_int", lambda T: T.tensor([1, 2, 3]).var())
one("b4_all_any", lambda T: (T.tensor([1, 0]).all(), T.tensor([1, 0]).any(), T.tensor([]).all()))
one("b4_count_nonzero", lambda T: T.count_nonzero(T.tensor([0, 1, 2, 0])))
one("b4_cumsum_int", lambda T: T.tensor([1, 2, 3]).cumsum(0))
one("b4_cumsum_no_dim", lambda T: T.tensor([1, 2, 3]).cumsum())
one("b4_norm_p1", lambda T: T.tensor([3.0, -4.0]).norm(p=1))
one("b4_norm_int", lambda T: T.tensor([3, 4]).norm())
one("b4_mean_grad", lambda T: grad_of(T, lambda x: x.mean(dim=0), [[1.0, 2.0], [3.0, 4.0]]))
one("b4_max_grad_ties", lambda T: grad_of(T, lambda x: x.max(), [2.0, 2.0, 1.0]))
one("b4_max_dim_grad_ties", lambda T: grad_of(T, lambda x: x.max(dim=0).values, [2.0, 2.0, 1.0]))
one("b4_logsumexp_grad", lambda T: grad_of(T, lambda x: x.logsumexp(dim=0), [1.0, 2.0, 3.0]))
one("b4_std_grad", lambda T: grad_of(T, lambda x: x.std(), [1.0, 2.0, 4.0]))

# ---- shapes and views
one("b4_view_minus_one", lambda T: T.arange(6).view(-1, 2).shape)
one("b4_view_bad_size", lambda T: T.arange(6).view(4, -1))
one("b4_reshape_tuple", lambda T: T.arange(6).reshape((3, 2)))
one("b4_flatten_start_dim", lambda T: T.ones(2, 3, 4).flatten(1).shape)
one("b4_flatten_scalar", lambda T: T.tensor(5.0).flatten())
one("b4_squeeze_dim_not_one", lambda T: T.ones(2, 3).squeeze(0).shape)
one("b4_squeeze_all", lambda T: T.ones(1, 3, 1).squeeze().shape)
one("b4_unsqueeze_negative", lambda T: T.ones(2, 3).unsqueeze(-1).shape)
one("b4_unsqueeze_out_of_range", lambda T: T.ones(2, 3).unsqueeze(4))
one("b4_transpose_3d", lambda T: T.arange(24).reshape(2, 3, 4).transpose(0, 2).shape)
one("b4_t_of_1d", lambda T: T.tensor([1, 2]).t())
one("b4_t_of_3d", lambda T: T.ones(2, 3, 4).t())
one("b4_mT_3d", lambda T: T.ones(2, 3, 4).mT.shape)
one("b4_permute_tuple", lambda T: T.ones(2, 3, 4).permute((2, 0, 1)).shape)
one("b4_permute_repeated", lambda T: T.ones(2, 3).permute(0, 0))
one("b4_cat_dim1", lambda T: T.cat([T.ones(2, 1), T.zeros(2, 2)], dim=1))
one("b4_cat_mixed_dtype", lambda T: T.cat([T.ones(2), T.tensor([1, 2])]).dtype)
one("b4_cat_empty_list", lambda T: T.cat([]))
one("b4_cat_tuple", lambda T: T.cat((T.ones(1), T.zeros(1))))
one("b4_stack_dim_last", lambda T: T.stack([T.ones(2), T.zeros(2)], dim=-1))
one("b4_stack_shape_mismatch", lambda T: T.stack([T.ones(2), T.zeros(3)]))
one("b4_split_int", lambda T: [t.shape for t in T.arange(7).split(3)])
one("b4_split_sizes", lambda T: T.arange(5).split([2, 3]))
one("b4_chunk", lambda T: [t.tolist() for t in T.arange(5).chunk(2)])
one("b4_unbind", lambda T: T.arange(4).reshape(2, 2).unbind(1))
one(
    "b4_contiguous_after_t", lambda T: (T.ones(2, 3).t().is_contiguous(), T.ones(2, 3).t().contiguous().is_contiguous())
)
one("b4_view_after_contiguous", lambda T: T.arange(6).reshape(2, 3).t().contiguous().view(-1))
one("b4_repeat", lambda T: T.tensor([1, 2]).repeat(2, 2))
one("b4_tile_like_repeat_interleave", lambda T: T.tensor([1, 2]).repeat_interleave(2))
one("b4_reshape_grad", lambda T: grad_of(T, lambda x: x.reshape(2, 2) * T.tensor([[1.0, 2.0], [3.0, 4.0]]), [1.0] * 4))

# ---- matmul and linear algebra
one("b4_matmul_vec_vec", lambda T: T.tensor([1.0, 2.0]) @ T.tensor([3.0, 4.0]))
one("b4_matmul_mat_vec", lambda T: T.ones(2, 3) @ T.ones(3))
one("b4_matmul_vec_mat", lambda T: T.ones(3) @ T.ones(3, 2))
one("b4_matmul_batched_broadcast", lambda T: (T.ones(4, 2, 3) @ T.ones(3, 5)).shape)
one("b4_matmul_int", lambda T: T.tensor([[1, 2]]) @ T.tensor([[3], [4]]))
one("b4_matmul_int_float", lambda T: T.tensor([[1, 2]]) @ T.tensor([[3.0], [4.0]]))
one("b4_matmul_scalar", lambda T: T.tensor(2.0) @ T.tensor(3.0))
one("b4_mm_1d", lambda T: T.mm(T.ones(2), T.ones(2)))
one("b4_bmm_shapes", lambda T: T.bmm(T.ones(2, 3, 4), T.ones(2, 4, 5)).shape)
one("b4_dot_int", lambda T: T.dot(T.tensor([1, 2]), T.tensor([3, 4])))
one("b4_dot_2d", lambda T: T.dot(T.ones(2, 2), T.ones(2, 2)))
one("b4_outer", lambda T: T.outer(T.tensor([1.0, 2.0]), T.tensor([3.0, 4.0, 5.0])))
one("b4_matmul_grad", lambda T: grad_of(T, lambda w: w @ T.tensor([1.0, 2.0]), [[1.0, 0.0], [0.0, 1.0]]))


# ---- autograd
@program
def b4_grad_accumulates_over_two_backward(T):
    x = T.tensor(3.0, requires_grad=True)
    (x * x).backward()
    (x * 2).backward()
    return x.grad


@program
def b4_grad_zero_inplace(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    x.grad.zero_()
    (3 * x).sum().backward()
    return x.grad


@program
def b4_backward_retain_graph_twice(T):
    x = T.tensor(2.0, requires_grad=True)
    y = x**3
    y.backward(retain_graph=True)
    y.backward()
    return x.grad


@program
def b4_autograd_grad_function(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    (g,) = T.autograd.grad((x**2).sum(), x)
    return g, x.grad


@program
def b4_autograd_grad_create_graph(T):
    x = T.tensor(2.0, requires_grad=True)
    (g,) = T.autograd.grad(x**3, x, create_graph=True)
    (h,) = T.autograd.grad(g, x)
    return g, h


@program
def b4_autograd_grad_unused(T):
    x = T.tensor(1.0, requires_grad=True)
    y = T.tensor(1.0, requires_grad=True)
    return T.autograd.grad(x * 2, [x, y])


@program
def b4_autograd_grad_allow_unused(T):
    x = T.tensor(1.0, requires_grad=True)
    y = T.tensor(1.0, requires_grad=True)
    return T.autograd.grad(x * 2, [x, y], allow_unused=True)


@program
def b4_no_grad_result_flag(T):
    x = T.ones(2, requires_grad=True)
    with T.no_grad():
        y = x * 2
    return y.requires_grad, y.grad_fn


@program
def b4_no_grad_decorator(T):
    @T.no_grad()
    def f(x):
        return x * 2

    return f(T.ones(2, requires_grad=True)).requires_grad


@program
def b4_enable_grad_inside_no_grad(T):
    x = T.ones(2, requires_grad=True)
    with T.no_grad(), T.enable_grad():
        y = x * 2
    return y.requires_grad


@program
def b4_set_grad_enabled_false(T):
    x = T.ones(2, requires_grad=True)
    with T.set_grad_enabled(False):
        y = x + 1
    return y.requires_grad, T.is_grad_enabled()


@program
def b4_detach_shares_data(T):
    x = T.ones(2, requires_grad=True)
    d = x.detach()
    with T.no_grad():
        x.mul_(3)
    return d


@program
def b4_requires_grad_inplace_method(T):
    x = T.ones(2)
    x.requires_grad_()
    (x * 4).sum().backward()
    return x.grad


@program
def b4_requires_grad_on_non_leaf(T):
    x = T.ones(2, requires_grad=True)
    y = x * 2
    y.requires_grad_(False)
    return y.requires_grad


@program
def b4_backward_on_non_scalar_with_gradient(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    (x * x).backward(T.tensor([1.0, 0.5]))
    return x.grad


@program
def b4_backward_gradient_wrong_dtype(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    (x * x).backward(T.tensor([1, 1]))
    return x.grad


@program
def b4_retain_grad_intermediate(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.retain_grad()
    (y**2).sum().backward()
    return y.grad, x.grad


@program
def b4_grad_of_non_leaf_warns(T):
    x = T.tensor([1.0], requires_grad=True)
    y = x * 2
    y.sum().backward()
    return y.grad


@program
def b4_leaf_modified_in_no_grad(T):
    w = T.tensor([1.0, 2.0], requires_grad=True)
    with T.no_grad():
        w -= 0.1 * T.ones(2)
    return w, w.is_leaf, w.requires_grad


@program
def b4_grad_assign_none_then_backward(T):
    w = T.tensor([1.0], requires_grad=True)
    (w * 2).sum().backward()
    w.grad = None
    (w * 5).sum().backward()
    return w.grad


@program
def b4_hook_doubles_gradient(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g * 2)
    (x * x).sum().backward()
    return x.grad


@program
def b4_hook_removed(T):
    x = T.tensor([1.0], requires_grad=True)
    handle = x.register_hook(lambda g: g * 10)
    handle.remove()
    (x * 3).sum().backward()
    return x.grad


@program
def b4_grad_through_where(T):
    x = T.tensor([-1.0, 2.0], requires_grad=True)
    T.where(x > 0, x**2, -x).sum().backward()
    return x.grad


@program
def b4_grad_clamp_boundary(T):
    x = T.tensor([0.0, 1.0, 2.0], requires_grad=True)
    x.clamp(0.0, 1.0).sum().backward()
    return x.grad


@program
def b4_grad_relu_at_zero(T):
    x = T.tensor([0.0, -1.0, 1.0], requires_grad=True)
    T.relu(x).sum().backward()
    return x.grad


@program
def b4_grad_int_tensor_requires_grad_method(T):
    return T.tensor([1, 2]).requires_grad_()


@program
def b4_backward_twice_error_type(T):
    x = T.tensor(1.0, requires_grad=True)
    y = x.exp()
    y.backward()
    y.backward()


@program
def b4_double_backward_tanh(T):
    x = T.tensor(0.5, requires_grad=True)
    (g,) = T.autograd.grad(T.tanh(x), x, create_graph=True)
    g.backward()
    return g, x.grad


@program
def b4_grad_fn_next_functions_len(T):
    a = T.tensor(1.0, requires_grad=True)
    b = T.tensor(2.0, requires_grad=True)
    return len((a * b).grad_fn.next_functions)


@program
def b4_grad_fn_names_chain(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() + 1).log().sum()
    return type(y.grad_fn).__name__, type(y.grad_fn.next_functions[0][0]).__name__


@program
def b4_custom_function_square(T):
    class Square(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**2

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    x = T.tensor([1.0, 3.0], requires_grad=True)
    y = Square.apply(x)
    y.sum().backward()
    return y, x.grad, type(y.grad_fn).__name__


@program
def b4_custom_function_returns_none_grad(T):
    class Scale(T.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.k = k
            return x * k

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, None

    x = T.tensor([1.0, 2.0], requires_grad=True)
    Scale.apply(x, 3.0).sum().backward()
    return x.grad


# ---- nn
@program
def b4_linear_shapes(T):
    layer = T.nn.Linear(4, 3)
    return layer.weight.shape, layer.bias.shape, layer(T.ones(2, 4)).shape


@program
def b4_linear_no_bias(T):
    layer = T.nn.Linear(2, 2, bias=False)
    return layer.bias, len(list(layer.parameters()))


@program
def b4_linear_wrong_input(T):
    return T.nn.Linear(3, 2)(T.ones(2, 4))


@program
def b4_linear_int_input(T):
    return T.nn.Linear(2, 1)(T.tensor([[1, 2]]))


@program
def b4_linear_float64_input(T):
    return T.nn.Linear(2, 1)(T.ones(1, 2, dtype=T.float64))


@program
def b4_linear_set_weights(T):
    layer = T.nn.Linear(2, 1)
    with T.no_grad():
        layer.weight.copy_(T.tensor([[1.0, -1.0]]))
        layer.bias.fill_(0.5)
    out = layer(T.tensor([[3.0, 1.0]]))
    out.sum().backward()
    return out, layer.weight.grad, layer.bias.grad


@program
def b4_sequential_forward(T):
    T.manual_seed(0)
    model = T.nn.Sequential(T.nn.Linear(2, 3), T.nn.ReLU(), T.nn.Linear(3, 1))
    for p in model.parameters():
        T.nn.init.constant_(p, 0.1)
    return model(T.tensor([[1.0, 2.0]]))


@program
def b4_sequential_index_and_len(T):
    model = T.nn.Sequential(T.nn.Linear(2, 3), T.nn.Tanh(), T.nn.Linear(3, 1))
    return len(model), type(model[1]).__name__, model[-1].out_features


@program
def b4_named_parameters_names(T):
    model = T.nn.Sequential(T.nn.Linear(2, 3), T.nn.ReLU(), T.nn.Linear(3, 1))
    return [name for name, _ in model.named_parameters()]


@program
def b4_parameter_count(T):
    model = T.nn.Sequential(T.nn.Linear(10, 5), T.nn.Linear(5, 2))
    return sum(p.numel() for p in model.parameters())


@program
def b4_custom_module(T):
    class Net(T.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = T.nn.Linear(2, 2)
            self.scale = T.nn.Parameter(T.tensor(2.0))

        def forward(self, x):
            return self.fc(x) * self.scale

    net = Net()
    return sorted(net.state_dict().keys()), len(list(net.parameters()))


@program
def b4_module_train_eval_flags(T):
    model = T.nn.Sequential(T.nn.Dropout(0.5))
    model.eval()
    a = model.training, model[0].training
    model.train()
    return a, model[0].training


@program
def b4_dropout_eval_identity(T):
    d = T.nn.Dropout(0.5)
    d.eval()
    return d(T.ones(4))


@program
def b4_dropout_p_one(T):
    return T.nn.functional.dropout(T.ones(4), p=1.0)


@program
def b4_dropout_bad_p(T):
    return T.nn.Dropout(p=1.5)


@program
def b4_state_dict_load_mismatch(T):
    a = T.nn.Linear(2, 2)
    b = T.nn.Linear(2, 3)
    b.load_state_dict(a.state_dict())


@program
def b4_state_dict_values_detached(T):
    layer = T.nn.Linear(2, 1)
    return [v.requires_grad for v in layer.state_dict().values()]


@program
def b4_parameter_repr_type(T):
    return type(T.nn.Linear(1, 1).weight).__name__, T.nn.Parameter(T.ones(1)).requires_grad


@program
def b4_module_zero_grad_default_none(T):
    layer = T.nn.Linear(2, 1)
    layer(T.ones(1, 2)).sum().backward()
    layer.zero_grad()
    return layer.weight.grad


@program
def b4_softmax_module_dim(T):
    return T.nn.Softmax(dim=1)(T.tensor([[1.0, 2.0], [3.0, 3.0]]))


@program
def b4_log_softmax_large(T):
    return T.log_softmax(T.tensor([1000.0, 0.0]), dim=0)


@program
def b4_softmax_rows_sum(T):
    return T.softmax(T.randn(3, 4), dim=1).sum(dim=1).round()


@program
def b4_activations_values(T):
    x = T.tensor([-1.0, 0.0, 2.0])
    F = T.nn.functional
    return F.leaky_relu(x, 0.1), F.elu(x), F.softplus(x), F.gelu(x), F.silu(x)


@program
def b4_flatten_module(T):
    return T.nn.Flatten()(T.ones(2, 3, 4)).shape


@program
def b4_init_zeros(T):
    w = T.empty(2, 2)
    T.nn.init.zeros_(w)
    return w


@program
def b4_xavier_shape_bounds(T):
    w = T.empty(30, 20)
    T.nn.init.xavier_uniform_(w)
    bound = (6 / 50) ** 0.5
    return bool((w.abs() <= bound).all()), w.shape


@program
def b4_one_hot(T):
    return T.nn.functional.one_hot(T.tensor([0, 2, 1]), num_classes=3)


@program
def b4_one_hot_infer(T):
    return T.nn.functional.one_hot(T.tensor([3, 1]))


@program
def b4_one_hot_float(T):
    return T.nn.functional.one_hot(T.tensor([0.0, 1.0]))


# ---- losses
one("b4_mse_mean", lambda T: T.nn.functional.mse_loss(T.tensor([1.0, 2.0]), T.tensor([2.0, 4.0])))
one("b4_mse_sum", lambda T: T.nn.MSELoss(reduction="sum")(T.tensor([1.0, 2.0]), T.tensor([2.0, 4.0])))
one("b4_mse_int_target", lambda T: T.nn.functional.mse_loss(T.tensor([1.0, 2.0]), T.tensor([1, 2])))
one("b4_mse_bad_reduction", lambda T: T.nn.functional.mse_loss(T.ones(2), T.ones(2), reduction="avg"))
one("b4_l1_loss", lambda T: T.nn.L1Loss()(T.tensor([1.0, -2.0]), T.tensor([0.0, 0.0])))
one("b4_smooth_l1", lambda T: T.nn.functional.smooth_l1_loss(T.tensor([0.5, 3.0]), T.zeros(2)))
one("b4_huber_delta", lambda T: T.nn.functional.huber_loss(T.tensor([0.5, 3.0]), T.zeros(2), delta=2.0))
one("b4_ce_basic", lambda T: T.nn.functional.cross_entropy(T.tensor([[1.0, 2.0, 0.5]]), T.tensor([1])))
one("b4_ce_sum", lambda T: T.nn.functional.cross_entropy(T.eye(3), T.tensor([0, 1, 2]), reduction="sum"))
one("b4_ce_class_out_of_range", lambda T: T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([0, 3])))
one("b4_ce_negative_class", lambda T: T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([0, -1])))
one("b4_ce_probabilities_target", lambda T: T.nn.functional.cross_entropy(T.zeros(1, 2), T.tensor([[0.25, 0.75]])))
one("b4_ce_1d_input", lambda T: T.nn.functional.cross_entropy(T.tensor([1.0, 2.0, 3.0]), T.tensor(2)))
one("b4_ce_batch_mismatch", lambda T: T.nn.functional.cross_entropy(T.ones(3, 2), T.tensor([0, 1])))
one("b4_ce_weights", lambda T: T.nn.CrossEntropyLoss(weight=T.tensor([1.0, 2.0]))(T.eye(2), T.tensor([0, 1])))
one("b4_ce_all_ignored", lambda T: T.nn.functional.cross_entropy(T.ones(2, 3), T.tensor([-100, -100])))
one("b4_ce_3d_input", lambda T: T.nn.functional.cross_entropy(T.zeros(2, 3, 4), T.zeros(2, 4, dtype=T.long)))
one("b4_nll_loss", lambda T: T.nn.functional.nll_loss(T.log_softmax(T.tensor([[1.0, 2.0]]), 1), T.tensor([0])))
one("b4_nll_bad_target_dtype", lambda T: T.nn.NLLLoss()(T.zeros(1, 2), T.tensor([0.0])))
one("b4_bce", lambda T: T.nn.functional.binary_cross_entropy(T.tensor([0.9, 0.2]), T.tensor([1.0, 0.0])))
one("b4_bce_zero_prob", lambda T: T.nn.functional.binary_cross_entropy(T.tensor([0.0, 1.0]), T.tensor([1.0, 0.0])))
one("b4_bce_out_of_range", lambda T: T.nn.BCELoss()(T.tensor([1.5]), T.tensor([1.0])))
one("b4_bce_int_target", lambda T: T.nn.BCELoss()(T.tensor([0.5]), T.tensor([1])))
one("b4_bce_logits", lambda T: T.nn.BCEWithLogitsLoss()(T.tensor([2.0, -1.0]), T.tensor([1.0, 0.0])))
one(
    "b4_bce_logits_pos_weight", lambda T: T.nn.BCEWithLogitsLoss(pos_weight=T.tensor([3.0]))(T.tensor([0.5]), T.ones(1))
)
one("b4_bce_logits_shape_mismatch", lambda T: T.nn.functional.binary_cross_entropy_with_logits(T.ones(2, 1), T.ones(2)))
one(
    "b4_ce_grad",
    lambda T: grad_of(T, lambda z: T.nn.functional.cross_entropy(z, T.tensor([1, 0])), [[1.0, 2.0], [0.5, 0.5]]),
)
one("b4_mse_grad", lambda T: grad_of(T, lambda p: T.nn.functional.mse_loss(p, T.tensor([0.0, 1.0])), [1.0, 3.0]))
one("b4_bce_logits_grad", lambda T: grad_of(T, lambda z: T.nn.BCEWithLogitsLoss()(z, T.tensor([1.0, 0.0])), [0.0, 1.0]))


# ---- optim
@program
def b4_sgd_plain_steps(T):
    w = T.tensor([1.0, -1.0], requires_grad=True)
    opt = T.optim.SGD([w], lr=0.5)
    for _ in range(3):
        opt.zero_grad()
        (w**2).sum().backward()
        opt.step()
    return w


@program
def b4_sgd_weight_decay(T):
    w = T.tensor([2.0], requires_grad=True)
    opt = T.optim.SGD([w], lr=0.1, weight_decay=0.5)
    (w * 0).sum().backward()
    opt.step()
    return w


@program
def b4_sgd_nesterov_without_momentum(T):
    return T.optim.SGD([T.ones(1, requires_grad=True)], lr=0.1, nesterov=True)


@program
def b4_sgd_negative_lr(T):
    return T.optim.SGD([T.ones(1, requires_grad=True)], lr=-0.1)


@program
def b4_sgd_missing_lr(T):
    return T.optim.SGD([T.ones(1, requires_grad=True)]).defaults["lr"]


@program
def b4_adam_steps(T):
    w = T.tensor([1.0, 2.0], requires_grad=True)
    opt = T.optim.Adam([w], lr=0.1, betas=(0.8, 0.99))
    for _ in range(4):
        opt.zero_grad()
        ((w - 3) ** 2).sum().backward()
        opt.step()
    return w


@program
def b4_adamw_steps(T):
    w = T.tensor([1.0, 2.0], requires_grad=True)
    opt = T.optim.AdamW([w], lr=0.1, weight_decay=0.1)
    for _ in range(3):
        opt.zero_grad()
        (w**2).sum().backward()
        opt.step()
    return w


@program
def b4_adagrad_steps(T):
    w = T.tensor([1.0, 2.0], requires_grad=True)
    opt = T.optim.Adagrad([w], lr=0.5)
    for _ in range(3):
        opt.zero_grad()
        (w**2).sum().backward()
        opt.step()
    return w


@program
def b4_optimizer_skips_none_grad(T):
    a = T.tensor([1.0], requires_grad=True)
    b = T.tensor([1.0], requires_grad=True)
    opt = T.optim.Adam([a, b], lr=0.1)
    (a * 2).sum().backward()
    opt.step()
    return a, b


@program
def b4_optimizer_param_groups_lr(T):
    w = T.ones(1, requires_grad=True)
    opt = T.optim.SGD([w], lr=0.1)
    for group in opt.param_groups:
        group["lr"] = 0.5
    (w * 2).sum().backward()
    opt.step()
    return w, opt.param_groups[0]["lr"]


@program
def b4_optimizer_state_dict_keys(T):
    w = T.ones(1, requires_grad=True)
    opt = T.optim.Adam([w], lr=0.1)
    (w * 2).sum().backward()
    opt.step()
    sd = opt.state_dict()
    return sorted(sd.keys()), sorted(sd["state"][0].keys())


@program
def b4_optimizer_empty_params(T):
    return T.optim.SGD([], lr=0.1)


@program
def b4_optimizer_tensor_not_list(T):
    return T.optim.SGD(T.ones(2, requires_grad=True), lr=0.1)


@program
def b4_step_lr_schedule(T):
    w = T.ones(1, requires_grad=True)
    opt = T.optim.SGD([w], lr=1.0)
    sched = T.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    lrs = []
    for _ in range(5):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    return lrs


@program
def b4_exponential_lr_get_last(T):
    w = T.ones(1, requires_grad=True)
    opt = T.optim.SGD([w], lr=1.0)
    sched = T.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    opt.step()
    sched.step()
    return sched.get_last_lr()


# ---- training idioms and data
@program
def b4_training_loop_linear_regression(T):
    T.manual_seed(0)
    x = T.linspace(-1, 1, 20).unsqueeze(1)
    y = 3 * x + 0.5
    model = T.nn.Linear(1, 1)
    with T.no_grad():
        model.weight.fill_(0.0)
        model.bias.fill_(0.0)
    opt = T.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = T.nn.MSELoss()
    for _ in range(50):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    return loss.item(), model.weight.item(), model.bias.item()


@program
def b4_accuracy_idiom(T):
    logits = T.tensor([[2.0, 1.0], [0.0, 3.0], [1.0, 0.5]])
    labels = T.tensor([0, 1, 1])
    correct = (logits.argmax(dim=1) == labels).sum().item()
    return correct, correct / len(labels), (logits.argmax(1) == labels).float().mean()


@program
def b4_tensor_dataset_loader(T):
    from_data = __import__(T.__name__ + ".utils.data", fromlist=["TensorDataset", "DataLoader"])
    ds = from_data.TensorDataset(T.arange(10.0).reshape(5, 2), T.arange(5))
    loader = from_data.DataLoader(ds, batch_size=2)
    return [(xb.shape, yb.tolist()) for xb, yb in loader], len(ds), len(loader)


@program
def b4_dataloader_drop_last(T):
    from_data = __import__(T.__name__ + ".utils.data", fromlist=["TensorDataset", "DataLoader"])
    ds = from_data.TensorDataset(T.arange(5))
    return len(from_data.DataLoader(ds, batch_size=2, drop_last=True))


@program
def b4_tensor_dataset_size_mismatch(T):
    from_data = __import__(T.__name__ + ".utils.data", fromlist=["TensorDataset"])
    return from_data.TensorDataset(T.ones(3), T.ones(4))


@program
def b4_clip_grad_norm(T):
    w = T.tensor([3.0, 4.0], requires_grad=True)
    (w * w).sum().backward()
    total = T.nn.utils.clip_grad_norm_([w], max_norm=1.0)
    return total, w.grad


@program
def b4_manual_seed_randn_equal(T):
    T.manual_seed(7)
    a = T.rand(3)
    T.manual_seed(7)
    return T.equal(a, T.rand(3))


@program
def b4_item_in_loss_history(T):
    w = T.tensor(1.0, requires_grad=True)
    history = []
    for _ in range(2):
        loss = (w - 2) ** 2
        history.append(loss.item())
        loss.backward()
        with T.no_grad():
            w -= 0.25 * w.grad
        w.grad.zero_()
    return history, type(history[0]).__name__


@program
def b4_in_place_on_leaf_outside_no_grad(T):
    w = T.tensor([1.0], requires_grad=True)
    w -= 0.1


@program
def b4_inplace_relu_on_non_leaf(T):
    x = T.tensor([-1.0, 2.0], requires_grad=True)
    y = x * 1
    y.relu_()
    y.sum().backward()
    return x.grad


@program
def b4_inplace_sigmoid_saved(T):
    x = T.tensor([0.0, 1.0], requires_grad=True)
    y = x.sigmoid()
    y.mul_(2)
    y.sum().backward()


@program
def b4_version_counter(T):
    x = T.ones(2)
    v0 = x._version
    x.add_(1)
    x[0] = 3
    return v0, x._version


# ---- misc functions
one("b4_sort_descending", lambda T: T.tensor([3.0, 1.0, 2.0]).sort(descending=True))
one("b4_topk", lambda T: T.topk(T.tensor([1.0, 5.0, 3.0, 4.0]), 2))
one("b4_argsort", lambda T: T.tensor([3, 1, 2]).argsort())
one("b4_unique", lambda T: T.unique(T.tensor([3, 1, 3, 2])))
one("b4_flip", lambda T: T.flip(T.arange(4).reshape(2, 2), dims=[0]))
one("b4_tril_triu", lambda T: (T.tril(T.ones(3, 3)), T.ones(3, 3).triu(1)))
one("b4_diag", lambda T: T.diag(T.tensor([1, 2])))
one("b4_trace", lambda T: T.arange(9.0).reshape(3, 3).trace())
one("b4_einsum_matmul", lambda T: T.einsum("ij,jk->ik", T.ones(2, 3), T.ones(3, 2)))
one("b4_masked_fill", lambda T: T.zeros(3).masked_fill(T.tensor([True, False, True]), -1.0))
one("b4_gather", lambda T: T.tensor([[1, 2], [3, 4]]).gather(1, T.tensor([[1], [0]])))
one("b4_scatter_add", lambda T: T.zeros(3).scatter_add(0, T.tensor([0, 0, 2]), T.tensor([1.0, 2.0, 3.0])))
one("b4_index_select", lambda T: T.arange(6).reshape(3, 2).index_select(0, T.tensor([2, 0])))
one("b4_nonzero", lambda T: T.nonzero(T.tensor([0, 3, 0, 4])))
one("b4_where_one_arg", lambda T: T.where(T.tensor([True, False, True])))
one("b4_where_scalar_branches", lambda T: T.where(T.tensor([True, False]), 1.0, 0.0))
one("b4_where_int_float_branches", lambda T: T.where(T.tensor([True, False]), T.tensor([1, 2]), T.tensor([0.5, 0.5])))
one("b4_cumprod", lambda T: T.tensor([1.0, 2.0, 3.0]).cumprod(0))
one("b4_diff", lambda T: T.diff(T.tensor([1, 4, 9])))
one("b4_clone_independent", lambda T: (lambda a: (a, a.clone().add_(1)))(T.ones(2)))
one("b4_numel_empty", lambda T: T.ones(0, 3).numel())
one("b4_bincount", lambda T: T.bincount(T.tensor([0, 1, 1, 3])))
one("b4_histc", lambda T: T.histc(T.tensor([1.0, 2.0, 1.0]), bins=4, min=0, max=3))
one("b4_meshgrid", lambda T: T.meshgrid(T.arange(2), T.arange(3), indexing="ij"))
one("b4_logical_ops", lambda T: (T.tensor([True, False]) & T.tensor([True, True]), ~T.tensor([True, False])))
one("b4_bitwise_int", lambda T: T.tensor([5, 3]) & T.tensor([3, 1]))
one("b4_mul_method_alpha", lambda T: T.tensor([1.0, 2.0]).add(T.tensor([1.0, 1.0]), alpha=3))
one("b4_sub_method_alpha", lambda T: T.sub(T.tensor([5.0]), T.tensor([1.0]), alpha=2))
one("b4_lerp", lambda T: T.lerp(T.tensor([0.0]), T.tensor([10.0]), 0.3))
one("b4_allclose_nan", lambda T: T.allclose(T.tensor([float("nan")]), T.tensor([float("nan")]), equal_nan=True))


# ---- found while fixing the fourth batch: % and // of a tensor that requires grad are recorded


@program
def b4_remainder_gradients(T):
    x = T.tensor([3.5, -2.5], requires_grad=True)
    d = T.tensor([2.0, 3.0], requires_grad=True)
    y = x % d
    y.sum().backward()
    return y, type(y.grad_fn).__name__, x.grad, d.grad


@program
def b4_remainder_scalar_gradient(T):
    x = T.tensor([[3.5], [-2.5]], requires_grad=True)
    y = x % T.tensor([2.0, 4.0])
    (y * y).sum().backward()
    return y, x.grad


@program
def b4_fmod_gradients(T):
    x = T.tensor([-7.0, 7.0], requires_grad=True)
    d = T.tensor([3.0, -3.0], requires_grad=True)
    y = T.fmod(x, d)
    y.sum().backward()
    return y, x.grad, d.grad


@program
def b4_floor_divide_requires_grad(T):
    x = T.tensor([3.5, -2.5], requires_grad=True)
    y = x // 2
    return y, y.requires_grad


@program
def b4_floor_divide_backward_raises(T):
    x = T.tensor([3.5, -2.5], requires_grad=True)
    (x // 2).sum().backward()


@program
def b4_remainder_no_grad_in_no_grad_mode(T):
    x = T.ones(1, requires_grad=True)
    with T.no_grad():
        return (x % 2).requires_grad


one("b4_fmod_int_by_zero", lambda T: T.fmod(T.tensor([1, 2]), 0))
one("b4_fmod_float_by_zero", lambda T: T.fmod(T.tensor([1.0, -2.0]), 0.0))
one("b4_scatter_value", lambda T: T.zeros(3).scatter(0, T.tensor([2, 0]), 7.0))
one("b4_scatter_bad_index", lambda T: T.zeros(3).scatter_add(0, T.tensor([2, 5]), T.ones(2)))
one("b4_scatter_float_index", lambda T: T.zeros(3).scatter_add(0, T.tensor([2.0, 1.0]), T.ones(2)))
one("b4_scatter_dtype_mismatch", lambda T: T.zeros(3).scatter_add(0, T.tensor([2, 1]), T.ones(2, dtype=T.float64)))
one("b4_scatter_add_2d", lambda T: T.zeros(3, 4).scatter_add(0, T.tensor([[0, 1, 2, 0]]), T.ones(2, 4)))


@program
def b4_scatter_gradients(T):
    src = T.ones(2, requires_grad=True)
    base = T.zeros(3, requires_grad=True)
    y = base.scatter(0, T.tensor([2, 0]), src)
    (y * T.tensor([1.0, 2.0, 3.0])).sum().backward()
    return y, type(y.grad_fn).__name__, src.grad, base.grad


@program
def b4_scatter_add_gradients(T):
    src = T.ones(2, requires_grad=True)
    base = T.zeros(3, requires_grad=True)
    y = base.scatter_add(0, T.tensor([2, 2]), src)
    (y * T.tensor([1.0, 2.0, 3.0])).sum().backward()
    return y, type(y.grad_fn).__name__, src.grad, base.grad


@program
def b4_scatter_add_inplace(T):
    x = T.zeros(4)
    x.scatter_add_(0, T.tensor([1, 1, 3]), T.tensor([1.0, 2.0, 3.0]))
    return x


one("b4_histc_int", lambda T: T.histc(T.tensor([1, 2]), bins=4))
one("b4_histc_same_values", lambda T: T.histc(T.tensor([1.0, 1.0]), bins=2))
one("b4_histc_data_range", lambda T: T.histc(T.tensor([1.0, 2.0, 3.0, 4.0]), bins=3))
one("b4_type_conversion", lambda T: (T.tensor([1.5]).type(T.int32), T.tensor([1]).type("torch.DoubleTensor")))
one("b4_type_names", lambda T: (T.tensor([1, 2]).type(), T.tensor([True]).type(), T.ones(1, dtype=T.float16).type()))
one("b4_normal_tensor_mean", lambda T: T.normal(T.tensor([0.0, 10.0]), T.tensor([0.0, 0.0])))
one("b4_normal_zero_std", lambda T: T.normal(2.0, 0.0, (2,)))
one("b4_normal_negative_std", lambda T: T.normal(T.tensor([0.0]), T.tensor([-1.0])))
one("b4_normal_scalar_negative_std", lambda T: T.normal(0.0, -1.0, size=(2,)))
one(
    "b4_bce_float64_target", lambda T: T.nn.functional.binary_cross_entropy(T.tensor([0.5]), T.ones(1, dtype=T.float64))
)
one("b4_mean_int_dtype_float64", lambda T: T.tensor([1, 2]).mean(dtype=T.float64))


@program
def b4_number_remainder_tensor_has_no_derivative(T):
    x = T.tensor([3.5], requires_grad=True)
    y = 2 % x
    names = type(y.grad_fn).__name__, y.requires_grad
    try:
        y.sum().backward()
    except RuntimeError as error:
        return names, "derivative" in str(error)
    return names, None


@program
def b4_fmod_tensor_tensor_node(T):
    x = T.tensor([3.5], requires_grad=True)
    return type(T.fmod(x, T.tensor([2.0])).grad_fn).__name__, type(T.fmod(x, 2).grad_fn).__name__


# =========================================================================== a fifth batch, written before running it

# ---- creation / dtype
one("b5_tensor_bool_list_sum", lambda T: T.tensor([True, False, True]).sum())
one("b5_tensor_mixed_int_float_list", lambda T: T.tensor([1, 2.5, 3]))
one("b5_tensor_mixed_bool_int_list", lambda T: T.tensor([True, 2]))
one("b5_tensor_empty_nested", lambda T: T.tensor([[]]).shape)
one("b5_arange_int_dtype_float", lambda T: T.arange(4, dtype=T.float32))
one("b5_arange_float_steps_count", lambda T: T.arange(0, 1, 0.1).shape)
one("b5_linspace_reverse", lambda T: T.linspace(1, 0, 3))
one("b5_zeros_with_list_size", lambda T: T.zeros([2, 2]))
one("b5_ones_negative_size", lambda T: T.ones(2, -1))
one("b5_full_like_float", lambda T: T.full_like(T.tensor([1, 2]), 2.5))
one("b5_rand_like_int", lambda T: T.rand_like(T.tensor([1, 2])))
one("b5_randn_like_shape", lambda T: T.randn_like(T.ones(2, 3)).shape)
one("b5_eye_n_zero", lambda T: T.eye(0).shape)
one("b5_tensor_requires_grad_int", lambda T: T.tensor([1, 2], requires_grad=True))
one("b5_tensor_dtype_str", lambda T: T.tensor([1.0], dtype="float32"))
one("b5_zeros_dtype_bool", lambda T: T.zeros(2, dtype=T.bool))
one("b5_tensor_from_nested_tensors", lambda T: T.tensor([T.tensor(1.0), T.tensor(2.0)]))
one("b5_stack_scalars", lambda T: T.stack([T.tensor(1.0), T.tensor(2.0)]))
one("b5_stack_empty_list", lambda T: T.stack([]))
one("b5_cat_empty_list", lambda T: T.cat([]))
one("b5_cat_dtype_promotion", lambda T: T.cat([T.tensor([1]), T.tensor([2.5])]))
one("b5_stack_shape_mismatch", lambda T: T.stack([T.ones(2), T.ones(3)]))
one("b5_cat_dim1", lambda T: T.cat([T.ones(2, 1), T.zeros(2, 2)], dim=1))
one("b5_cat_bad_dim", lambda T: T.cat([T.ones(2), T.ones(2)], dim=1))

# ---- arithmetic and promotion
one("b5_int_tensor_true_div_int", lambda T: T.tensor([3, 4]) / 2)
one("b5_int_tensor_pow_float", lambda T: T.tensor([2, 3]) ** 0.5)
one("b5_float_pow_int_tensor", lambda T: 2.0 ** T.tensor([1, 2]))
one("b5_int_pow_int_tensor", lambda T: 2 ** T.tensor([1, 2]))
one("b5_bool_plus_int", lambda T: T.tensor([True, False]) + 1)
one("b5_bool_times_float", lambda T: T.tensor([True, False]) * 1.5)
one("b5_bool_sum_dtype", lambda T: T.tensor([True, True]).sum().dtype)
one("b5_int32_plus_int64", lambda T: (T.tensor([1], dtype=T.int32) + T.tensor([1])).dtype)
one("b5_int32_plus_python_int", lambda T: (T.tensor([1], dtype=T.int32) + 5).dtype)
one("b5_float16_plus_float32", lambda T: (T.ones(1, dtype=T.float16) + T.ones(1)).dtype)
one("b5_float32_scalar_tensor_plus_float64_vector", lambda T: (T.tensor(1.0) + T.ones(2, dtype=T.float64)).dtype)
one("b5_float64_scalar_plus_float32_vector", lambda T: (T.tensor(1.0, dtype=T.float64) + T.ones(2)).dtype)
one("b5_int_scalar_tensor_plus_float_vector", lambda T: (T.tensor(1) + T.ones(2, dtype=T.float16)).dtype)
one("b5_abs_int", lambda T: T.tensor([-3, 2]).abs())
one("b5_neg_zero_result", lambda T: -T.tensor([0.0]))
one("b5_sqrt_int", lambda T: T.tensor([4, 9]).sqrt())
one("b5_exp_int", lambda T: T.tensor([0, 1]).exp().dtype)
one("b5_sigmoid_int", lambda T: T.tensor([0]).sigmoid())
one("b5_log_negative", lambda T: T.tensor([-1.0]).log())
one("b5_clamp_int_float_bound", lambda T: T.tensor([1, 5]).clamp(max=2.5))
one("b5_clamp_min_greater_max", lambda T: T.tensor([1.0, 5.0]).clamp(min=3.0, max=2.0))
one("b5_clamp_no_bounds", lambda T: T.tensor([1.0]).clamp())
one("b5_maximum_mixed", lambda T: T.maximum(T.tensor([1, 5]), T.tensor([2.0, 3.0])))
one("b5_max_two_tensors", lambda T: T.max(T.tensor([1.0, 5.0]), T.tensor([2.0, 3.0])))
one("b5_round_half", lambda T: T.tensor([0.5, 1.5, 2.5, -0.5]).round())
one("b5_round_decimals", lambda T: T.tensor([1.2345]).round(decimals=2))
one("b5_sign_zero", lambda T: T.tensor([-2.0, 0.0, 3.0]).sign())
one("b5_reciprocal_int", lambda T: T.tensor([2, 4]).reciprocal())
one("b5_square_int", lambda T: T.tensor([2, 3]).square())
one("b5_rsub", lambda T: 1 - T.tensor([0.25]))
one("b5_rdiv", lambda T: 1 / T.tensor([4.0, 0.0]))
one("b5_int_div_zero_true", lambda T: T.tensor([1, 0]) / 0)
one("b5_floor_divide_negative", lambda T: T.tensor([-7, 7]) // 2)
one("b5_remainder_negative", lambda T: T.tensor([-7, 7]) % 3)
one("b5_float_remainder_negative_divisor", lambda T: T.tensor([7.0]) % -3)

# ---- reductions
one("b5_sum_int_dtype", lambda T: T.tensor([1, 2], dtype=T.int32).sum().dtype)
one("b5_sum_dim_list", lambda T: T.ones(2, 3, 4).sum(dim=[0, 2]))
one("b5_sum_keepdim", lambda T: T.ones(2, 3).sum(1, keepdim=True).shape)
one("b5_mean_empty", lambda T: T.tensor([]).mean())
one("b5_sum_empty", lambda T: T.tensor([]).sum())
one("b5_prod_empty", lambda T: T.tensor([]).prod())
one("b5_max_dim_returns", lambda T: tuple(T.tensor([[1.0, 3.0], [4.0, 2.0]]).max(dim=1)))
one("b5_max_dim_names", lambda T: T.tensor([[1.0, 3.0], [4.0, 2.0]]).max(dim=0).indices)
one("b5_min_dim_keepdim", lambda T: T.tensor([[1.0, 3.0], [4.0, 2.0]]).min(dim=1, keepdim=True).values.shape)
one("b5_argmax_ties", lambda T: T.tensor([1.0, 3.0, 3.0]).argmax())
one("b5_argmin_keepdim", lambda T: T.tensor([[1.0, 3.0], [0.0, 5.0]]).argmin(dim=1, keepdim=True))
one("b5_argmax_int", lambda T: T.tensor([1, 5, 2]).argmax())
one("b5_var_default", lambda T: T.tensor([1.0, 2.0, 3.0, 4.0]).var())
one("b5_var_unbiased_false", lambda T: T.tensor([1.0, 2.0, 3.0, 4.0]).var(unbiased=False))
one("b5_std_correction0", lambda T: T.tensor([1.0, 2.0, 3.0]).std(correction=0))
one("b5_std_single", lambda T: T.tensor([1.0]).std())
one("b5_var_int", lambda T: T.tensor([1, 2]).var())
one("b5_mean_dim_tuple", lambda T: T.arange(24.0).reshape(2, 3, 4).mean(dim=(0, 2)))
one("b5_all_any", lambda T: (T.tensor([1, 0]).all(), T.tensor([1, 0]).any(), T.tensor([]).all()))
one("b5_count_nonzero", lambda T: T.count_nonzero(T.tensor([0, 1, 2, 0])))
one("b5_nonzero", lambda T: T.tensor([0, 1, 2, 0]).nonzero())
one("b5_logsumexp_dim", lambda T: T.tensor([[1.0, 2.0], [3.0, 4.0]]).logsumexp(dim=1))
one("b5_norm_p1", lambda T: T.tensor([3.0, -4.0]).norm(p=1))
one("b5_norm_dim", lambda T: T.tensor([[3.0, 4.0], [6.0, 8.0]]).norm(dim=1))
one("b5_norm_int", lambda T: T.tensor([3, 4]).norm())
one("b5_cumsum_int_dtype", lambda T: T.tensor([1, 2], dtype=T.int32).cumsum(0).dtype)

# ---- shapes
one("b5_view_minus_one", lambda T: T.arange(12).view(3, -1).shape)
one("b5_view_wrong_size", lambda T: T.arange(12).view(5, -1))
one("b5_reshape_tuple", lambda T: T.arange(6).reshape((3, 2)))
one("b5_flatten_start", lambda T: T.ones(2, 3, 4).flatten(1).shape)
one("b5_flatten_scalar", lambda T: T.tensor(1.0).flatten().shape)
one("b5_squeeze_dim_not_one", lambda T: T.ones(2, 3).squeeze(0).shape)
one("b5_squeeze_all", lambda T: T.ones(1, 2, 1).squeeze().shape)
one("b5_unsqueeze_negative", lambda T: T.ones(2, 3).unsqueeze(-1).shape)
one("b5_unsqueeze_out_of_range", lambda T: T.ones(2, 3).unsqueeze(4))
one("b5_transpose_dims", lambda T: T.ones(2, 3, 4).transpose(0, 2).shape)
one("b5_permute_list", lambda T: T.ones(2, 3, 4).permute([2, 0, 1]).shape)
one("b5_permute_repeated", lambda T: T.ones(2, 3).permute(0, 0))
one("b5_expand_minus_one", lambda T: T.ones(3, 1).expand(-1, 4).shape)
one("b5_expand_bad", lambda T: T.ones(3, 2).expand(3, 4))
one("b5_expand_as", lambda T: T.tensor([[1.0], [2.0]]).expand_as(T.ones(2, 3)))
one("b5_t_of_3d", lambda T: T.ones(2, 3, 4).t())
one("b5_t_of_vector", lambda T: T.ones(3).t().shape)
one("b5_split_sizes", lambda T: [t.shape for t in T.arange(5).split([2, 3])])
one("b5_split_bad_sizes", lambda T: T.arange(5).split([2, 2]))
one("b5_chunk_more_than_size", lambda T: len(T.arange(3).chunk(5)))
one("b5_narrow", lambda T: T.arange(6).narrow(0, 1, 3))
one("b5_view_as", lambda T: T.arange(6).view_as(T.ones(2, 3)))
one("b5_reshape_empty", lambda T: T.ones(0, 3).reshape(-1, 3).shape)
one("b5_reshape_minus_one_empty", lambda T: T.ones(0).reshape(0, -1))

# ---- indexing
one("b5_index_negative", lambda T: T.arange(5)[-1])
one("b5_index_step_slice", lambda T: T.arange(10)[1:8:3])
one("b5_index_negative_step", lambda T: T.arange(5)[::-1])
one("b5_index_none", lambda T: T.arange(3)[None, :, None].shape)
one("b5_index_ellipsis", lambda T: T.ones(2, 3, 4)[..., 0].shape)
one("b5_index_list_of_lists", lambda T: T.arange(9).reshape(3, 3)[[0, 2], [1, 1]])
one("b5_index_tensor_2d", lambda T: T.arange(5)[T.tensor([[0, 1], [2, 3]])])
one("b5_index_bool_2d_mask", lambda T: T.arange(4).reshape(2, 2)[T.tensor([[True, False], [False, True]])])
one("b5_index_float_scalar", lambda T: T.arange(3)[1.0])
one("b5_index_too_many", lambda T: T.arange(3)[0, 0])
one("b5_index_out_of_range_tensor", lambda T: T.arange(3)[T.tensor([3])])
one("b5_setitem_bool_mask_scalar", lambda T: (lambda x: (x.__setitem__(x > 1, 0), x)[1])(T.arange(4)))
one("b5_setitem_float_into_int", lambda T: (lambda x: (x.__setitem__(0, 2.7), x)[1])(T.arange(3)))
one(
    "b5_setitem_tensor_value",
    lambda T: (lambda x: (x.__setitem__(slice(0, 2), T.tensor([9.0, 8.0])), x)[1])(T.zeros(3)),
)
one("b5_index_select", lambda T: T.arange(6).reshape(2, 3).index_select(1, T.tensor([2, 0])))
one("b5_masked_select", lambda T: T.arange(4).masked_select(T.tensor([True, False, True, False])))
one("b5_gather_2d", lambda T: T.tensor([[1, 2], [3, 4]]).gather(1, T.tensor([[0, 0], [1, 0]])))
one("b5_take", lambda T: T.arange(6).reshape(2, 3).take(T.tensor([0, 5])))
one("b5_where_scalar_other", lambda T: T.where(T.tensor([True, False]), T.tensor([1.0, 2.0]), 0.0))
one("b5_where_scalar_both", lambda T: T.where(T.tensor([True, False]), 1.0, 0.0))
one("b5_where_int_scalars", lambda T: T.where(T.tensor([True, False]), 1, 0).dtype)
one("b5_where_one_arg", lambda T: T.where(T.tensor([0, 3, 0, 4])))

# ---- comparisons
one("b5_eq_scalar", lambda T: T.tensor([1, 2]) == 2)
one("b5_eq_float_int", lambda T: T.tensor([1.0, 2.0]) == T.tensor([1, 3]))
one("b5_ne_broadcast", lambda T: T.ones(2, 1) != T.zeros(3))
one("b5_gt_bool_dtype", lambda T: (T.tensor([1.0]) > 0).dtype)
one("b5_isclose", lambda T: T.isclose(T.tensor([1.0, 2.0]), T.tensor([1.0 + 1e-9, 2.1])))
one("b5_allclose_shapes_broadcast", lambda T: T.allclose(T.ones(2, 2), T.ones(2)))
one("b5_isnan_isinf", lambda T: (T.tensor([float("nan"), 1.0]).isnan(), T.tensor([float("inf"), 1.0]).isinf()))
one("b5_isfinite", lambda T: T.isfinite(T.tensor([float("nan"), 1.0, float("inf")])))
one("b5_nan_to_num", lambda T: T.nan_to_num(T.tensor([float("nan"), float("inf"), -float("inf")])))
one("b5_eq_method", lambda T: T.tensor([1, 2]).eq(T.tensor([1, 0])))
one("b5_sort_descending_values", lambda T: T.tensor([3, 1, 2]).sort(descending=True).values)
one("b5_unique", lambda T: T.tensor([3, 1, 3, 2]).unique())
one("b5_unique_counts", lambda T: T.tensor([3, 1, 3, 2]).unique(return_counts=True))
one("b5_bincount", lambda T: T.bincount(T.tensor([0, 1, 1, 3])))

# ---- matmul and linear algebra
one("b5_matmul_vector_vector", lambda T: T.tensor([1.0, 2.0]) @ T.tensor([3.0, 4.0]))
one("b5_matmul_matrix_vector", lambda T: T.ones(2, 3) @ T.ones(3))
one("b5_matmul_vector_matrix", lambda T: T.ones(3) @ T.ones(3, 2))
one("b5_matmul_batched_broadcast", lambda T: (T.ones(4, 2, 3) @ T.ones(3, 5)).shape)
one("b5_matmul_scalar", lambda T: T.tensor(2.0) @ T.tensor(3.0))
one("b5_matmul_int", lambda T: T.tensor([[1, 2]]) @ T.tensor([[3], [4]]))
one("b5_matmul_int_float", lambda T: T.tensor([[1, 2]]) @ T.tensor([[3.0], [4.0]]))
one("b5_mm_vector", lambda T: T.mm(T.ones(2, 3), T.ones(3)))
one("b5_dot_2d", lambda T: T.dot(T.ones(2, 2), T.ones(2, 2)))
one("b5_dot_length_mismatch", lambda T: T.dot(T.ones(2), T.ones(3)))
one("b5_outer", lambda T: T.outer(T.tensor([1.0, 2.0]), T.tensor([3.0, 4.0, 5.0])))
one("b5_bmm", lambda T: T.bmm(T.ones(2, 3, 4), T.ones(2, 4, 5)).shape)
one("b5_bmm_2d", lambda T: T.bmm(T.ones(3, 4), T.ones(4, 5)))
one("b5_mv", lambda T: T.mv(T.ones(2, 3), T.ones(3)))
one("b5_matmul_grad", lambda T: grad_of(T, lambda w: (w @ T.tensor([1.0, 2.0])).sum(), [[1.0, 2.0], [3.0, 4.0]]))


# ---- autograd
@program
def b5_grad_accumulates_twice(T):
    x = T.tensor(2.0, requires_grad=True)
    (x * x).backward()
    (x * 3).backward()
    return x.grad


@program
def b5_retain_graph_twice(T):
    x = T.tensor(2.0, requires_grad=True)
    y = x**3
    y.backward(retain_graph=True)
    y.backward()
    return x.grad


@program
def b5_backward_with_gradient_arg(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    (x * x).backward(T.tensor([1.0, 0.5]))
    return x.grad


@program
def b5_backward_gradient_wrong_shape(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    (x * x).backward(T.tensor([1.0, 0.5, 2.0]))
    return x.grad


@program
def b5_grad_of_non_leaf_is_none_warns(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.sum().backward()
    return y.grad


@program
def b5_retain_grad_non_leaf(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    (y * y).sum().backward()
    return y.grad, x.grad


@program
def b5_detach_stops_grad(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x.detach() * x
    y.sum().backward()
    return x.grad


@program
def b5_no_grad_result(T):
    x = T.tensor([1.0], requires_grad=True)
    with T.no_grad():
        y = x * 2
    return y.requires_grad, y.grad_fn is None, y.is_leaf


@program
def b5_enable_grad_inside_no_grad(T):
    x = T.tensor([1.0], requires_grad=True)
    with T.no_grad(), T.enable_grad():
        y = x * 2
    return y.requires_grad


@program
def b5_set_grad_enabled_false(T):
    x = T.tensor([1.0], requires_grad=True)
    with T.set_grad_enabled(False):
        y = x * 2
    return y.requires_grad


@program
def b5_no_grad_decorator(T):
    @T.no_grad()
    def f(x):
        return x * 2

    return f(T.tensor([1.0], requires_grad=True)).requires_grad


@program
def b5_inplace_on_leaf_in_no_grad(T):
    w = T.tensor([1.0, 2.0], requires_grad=True)
    with T.no_grad():
        w -= 0.5 * T.tensor([1.0, 1.0])
    return w, w.is_leaf, w.requires_grad


@program
def b5_inplace_on_leaf_without_no_grad(T):
    w = T.tensor([1.0, 2.0], requires_grad=True)
    w -= 0.5
    return w


@program
def b5_grad_zero_inplace(T):
    w = T.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    w.grad.zero_()
    (w * 3).sum().backward()
    return w.grad


@program
def b5_grad_set_none(T):
    w = T.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    w.grad = None
    (w * 3).sum().backward()
    return w.grad


@program
def b5_autograd_grad_basic(T):
    x = T.tensor(3.0, requires_grad=True)
    (g,) = T.autograd.grad(x**2, x)
    return g, x.grad


@program
def b5_autograd_grad_create_graph(T):
    x = T.tensor(3.0, requires_grad=True)
    (g,) = T.autograd.grad(x**3, x, create_graph=True)
    (h,) = T.autograd.grad(g, x)
    return g, h


@program
def b5_autograd_grad_unused(T):
    x = T.tensor(3.0, requires_grad=True)
    z = T.tensor(1.0, requires_grad=True)
    return T.autograd.grad(x * 2, [x, z])


@program
def b5_autograd_grad_allow_unused(T):
    x = T.tensor(3.0, requires_grad=True)
    z = T.tensor(1.0, requires_grad=True)
    return T.autograd.grad(x * 2, [x, z], allow_unused=True)


@program
def b5_autograd_grad_non_scalar(T):
    x = T.tensor([3.0, 1.0], requires_grad=True)
    return T.autograd.grad(x * 2, x)


@program
def b5_backward_on_int_result(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    return (x > 1).sum().backward()


@program
def b5_requires_grad_on_non_leaf(T):
    x = T.tensor([1.0], requires_grad=True)
    y = x * 2
    y.requires_grad_(False)


@program
def b5_grad_of_max_ties(T):
    x = T.tensor([1.0, 3.0, 3.0], requires_grad=True)
    x.max().backward()
    return x.grad


@program
def b5_grad_of_max_dim_ties(T):
    x = T.tensor([[1.0, 3.0, 3.0]], requires_grad=True)
    x.max(dim=1).values.sum().backward()
    return x.grad


@program
def b5_grad_of_amax_ties(T):
    x = T.tensor([1.0, 3.0, 3.0], requires_grad=True)
    x.amax().backward()
    return x.grad


@program
def b5_grad_of_abs_at_zero(T):
    x = T.tensor([0.0, -1.0], requires_grad=True)
    x.abs().sum().backward()
    return x.grad


@program
def b5_grad_of_sqrt_at_zero(T):
    x = T.tensor([0.0, 4.0], requires_grad=True)
    x.sqrt().sum().backward()
    return x.grad


@program
def b5_grad_of_clamp_boundaries(T):
    x = T.tensor([0.0, 0.5, 1.0], requires_grad=True)
    x.clamp(0.0, 1.0).sum().backward()
    return x.grad


@program
def b5_grad_of_relu_at_zero(T):
    x = T.tensor([0.0], requires_grad=True)
    T.nn.functional.relu(x).sum().backward()
    return x.grad


@program
def b5_grad_of_pow_negative_base(T):
    x = T.tensor([-2.0], requires_grad=True)
    (x**2.5).sum().backward()
    return x.grad


@program
def b5_grad_of_median(T):
    x = T.tensor([1.0, 5.0, 3.0, 2.0], requires_grad=True)
    x.median().backward()
    return x.grad


@program
def b5_grad_of_std(T):
    x = T.tensor([1.0, 2.0, 4.0], requires_grad=True)
    x.std().backward()
    return x.grad


@program
def b5_grad_of_index_repeat(T):
    x = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[T.tensor([0, 0, 2])].sum().backward()
    return x.grad


@program
def b5_grad_of_mask(T):
    x = T.tensor([1.0, -2.0, 3.0], requires_grad=True)
    x[x > 0].sum().backward()
    return x.grad


@program
def b5_grad_of_expand(T):
    x = T.tensor([[1.0], [2.0]], requires_grad=True)
    (x.expand(2, 3) * T.tensor([1.0, 2.0, 3.0])).sum().backward()
    return x.grad


@program
def b5_grad_of_cat(T):
    a = T.tensor([1.0], requires_grad=True)
    b = T.tensor([2.0, 3.0], requires_grad=True)
    (T.cat([a, b]) * T.tensor([1.0, 2.0, 3.0])).sum().backward()
    return a.grad, b.grad


@program
def b5_grad_of_stack(T):
    a = T.tensor([1.0, 2.0], requires_grad=True)
    (T.stack([a, a * 2]) ** 2).sum().backward()
    return a.grad


@program
def b5_grad_of_softmax(T):
    x = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x.softmax(0) * T.tensor([1.0, 0.0, 0.0])).sum().backward()
    return x.grad


@program
def b5_grad_of_log_softmax(T):
    x = T.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    x.log_softmax(dim=1)[0, 1].backward()
    return x.grad


@program
def b5_grad_fn_next_functions(T):
    a = T.tensor(2.0, requires_grad=True)
    y = a * 3 + a
    return [type(f).__name__ if f is not None else None for f, _ in y.grad_fn.next_functions]


@program
def b5_grad_fn_leaf_none(T):
    return T.tensor([1.0], requires_grad=True).grad_fn


@program
def b5_hook_doubles(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g * 2)
    (x * 3).sum().backward()
    return x.grad


@program
def b5_hook_remove(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    h = x.register_hook(lambda g: g * 2)
    h.remove()
    (x * 3).sum().backward()
    return x.grad


@program
def b5_register_hook_no_grad(T):
    x = T.tensor([1.0, 2.0])
    x.register_hook(lambda g: g)


@program
def b5_version_check_error(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x.sigmoid()
    y.mul_(2)
    y.sum().backward()
    return x.grad


@program
def b5_leaf_inplace_error(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    x.add_(1)


@program
def b5_view_of_leaf_inplace(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    x[0] = 5.0


@program
def b5_clone_inplace_ok(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x.clone()
    y[0] = 5.0
    (y * y).sum().backward()
    return y, x.grad


@program
def b5_detach_shares_storage(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    d = x.detach()
    d[0] = 7.0
    return x


@program
def b5_data_shares_storage(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    x.data[0] = 7.0
    return x, x.requires_grad


@program
def b5_item_on_grad_tensor(T):
    x = T.tensor(2.0, requires_grad=True)
    return (x * 2).item()


@program
def b5_tolist_on_grad_tensor(T):
    x = T.tensor([2.0], requires_grad=True)
    return (x * 2).tolist()


@program
def b5_numpy_on_grad_result(T):
    x = T.tensor([2.0], requires_grad=True)
    return (x * 2).numpy()


@program
def b5_gradcheck_ok(T):
    x = T.tensor([0.5, 1.5], dtype=T.float64, requires_grad=True)
    return T.autograd.gradcheck(lambda t: (t.sin() * t).sum(), (x,))


# ---- nn
@program
def b5_linear_shapes(T):
    T.manual_seed(0)
    layer = T.nn.Linear(3, 2)
    return layer.weight.shape, layer.bias.shape, layer(T.ones(4, 3)).shape, layer(T.ones(3)).shape


@program
def b5_linear_no_bias(T):
    layer = T.nn.Linear(3, 2, bias=False)
    return layer.bias, len(list(layer.parameters()))


@program
def b5_linear_wrong_in_features(T):
    return T.nn.Linear(3, 2)(T.ones(4, 5))


@program
def b5_linear_int_input(T):
    return T.nn.Linear(2, 1)(T.tensor([[1, 2]]))


@program
def b5_linear_float64_input(T):
    return T.nn.Linear(2, 1)(T.ones(1, 2, dtype=T.float64))


@program
def b5_named_parameters(T):
    model = T.nn.Sequential(T.nn.Linear(2, 3), T.nn.ReLU(), T.nn.Linear(3, 1))
    return [(name, tuple(p.shape)) for name, p in model.named_parameters()]


@program
def b5_state_dict_keys(T):
    model = T.nn.Sequential(T.nn.Linear(2, 3), T.nn.Tanh(), T.nn.Linear(3, 1))
    return list(model.state_dict().keys())


@program
def b5_state_dict_detached(T):
    model = T.nn.Linear(2, 1)
    value = model.state_dict()["weight"]
    return value.requires_grad


@program
def b5_load_state_dict_missing(T):
    model = T.nn.Linear(2, 1)
    model.load_state_dict({"weight": T.ones(1, 2)})


@program
def b5_load_state_dict_wrong_shape(T):
    model = T.nn.Linear(2, 1)
    model.load_state_dict({"weight": T.ones(2, 2), "bias": T.ones(1)})


@program
def b5_load_state_dict_roundtrip(T):
    a, b = T.nn.Linear(2, 1), T.nn.Linear(2, 1)
    b.load_state_dict(a.state_dict())
    return T.equal(a.weight, b.weight), T.equal(a.bias, b.bias)


@program
def b5_sequential_index_len(T):
    model = T.nn.Sequential(T.nn.Linear(2, 3), T.nn.ReLU(), T.nn.Linear(3, 1))
    return len(model), type(model[1]).__name__, type(model[-1]).__name__, len(model[:2])


@program
def b5_module_train_eval(T):
    model = T.nn.Sequential(T.nn.Dropout(0.5))
    model.eval()
    x = T.ones(10)
    return model.training, model[0].training, model(x)


@program
def b5_dropout_train_scaling(T):
    T.manual_seed(0)
    out = T.nn.Dropout(0.5)(T.ones(1000))
    return sorted(set(out.tolist()))


@program
def b5_dropout_p_one(T):
    return T.nn.Dropout(1.0)(T.ones(4))


@program
def b5_dropout_bad_p(T):
    return T.nn.Dropout(1.5)


@program
def b5_custom_module(T):
    class Net(T.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = T.nn.Linear(2, 2)
            self.scale = T.nn.Parameter(T.tensor(2.0))

        def forward(self, x):
            return self.fc(x) * self.scale

    net = Net()
    return [n for n, _ in net.named_parameters()], net(T.ones(1, 2)).shape


@program
def b5_module_without_super_init(T):
    class Net(T.nn.Module):
        def __init__(self):
            self.fc = T.nn.Linear(2, 2)

    Net()


@program
def b5_module_list(T):
    layers = T.nn.ModuleList([T.nn.Linear(2, 2) for _ in range(3)])
    return len(list(layers.parameters())), len(layers)


@program
def b5_parameter_requires_grad(T):
    p = T.nn.Parameter(T.ones(2))
    return p.requires_grad, p.is_leaf, type(p).__name__


@program
def b5_zero_grad_sets_none(T):
    model = T.nn.Linear(2, 1)
    model(T.ones(1, 2)).sum().backward()
    model.zero_grad()
    return model.weight.grad


@program
def b5_relu_module_inplace(T):
    x = T.tensor([-1.0, 2.0])
    T.nn.ReLU(inplace=True)(x)
    return x


@program
def b5_activation_modules(T):
    x = T.tensor([-1.0, 0.0, 2.0])
    return T.nn.Sigmoid()(x), T.nn.Tanh()(x), T.nn.LeakyReLU(0.1)(x), T.nn.Softmax(dim=0)(x)


@program
def b5_flatten_module(T):
    return T.nn.Flatten()(T.ones(2, 3, 4)).shape


@program
def b5_identity_module(T):
    return T.nn.Identity()(T.tensor([1.0]))


@program
def b5_init_constant(T):
    layer = T.nn.Linear(2, 2)
    T.nn.init.constant_(layer.weight, 0.5)
    T.nn.init.zeros_(layer.bias)
    return layer(T.ones(1, 2))


@program
def b5_num_params(T):
    model = T.nn.Sequential(T.nn.Linear(4, 8), T.nn.ReLU(), T.nn.Linear(8, 2))
    return sum(p.numel() for p in model.parameters())


@program
def b5_requires_grad_false_freezes(T):
    model = T.nn.Linear(2, 1)
    model.weight.requires_grad_(False)
    model(T.ones(1, 2)).sum().backward()
    return model.weight.grad, model.bias.grad


# ---- losses
one("b5_mse_shape_mismatch_warns", lambda T: T.nn.functional.mse_loss(T.ones(3, 1), T.zeros(3)))
one("b5_mse_reduction_sum", lambda T: T.nn.MSELoss(reduction="sum")(T.tensor([1.0, 2.0]), T.zeros(2)))
one("b5_mse_bad_reduction", lambda T: T.nn.MSELoss(reduction="avg")(T.tensor([1.0, 2.0]), T.zeros(2)))
one("b5_mse_int_target", lambda T: T.nn.functional.mse_loss(T.tensor([1.0, 2.0]), T.tensor([1, 2])))
one("b5_ce_1d_logits", lambda T: T.nn.functional.cross_entropy(T.tensor([1.0, 2.0, 0.5]), T.tensor(1)))
one(
    "b5_ce_probabilities_target",
    lambda T: T.nn.functional.cross_entropy(T.tensor([[1.0, 2.0]]), T.tensor([[0.3, 0.7]])),
)
one("b5_ce_target_out_of_range", lambda T: T.nn.functional.cross_entropy(T.tensor([[1.0, 2.0]]), T.tensor([2])))
one("b5_ce_negative_target", lambda T: T.nn.functional.cross_entropy(T.tensor([[1.0, 2.0]]), T.tensor([-1])))
one("b5_ce_batch_mismatch", lambda T: T.nn.functional.cross_entropy(T.ones(3, 2), T.tensor([0, 1])))
one(
    "b5_ce_reduction_none",
    lambda T: T.nn.CrossEntropyLoss(reduction="none")(T.tensor([[1.0, 2.0], [0.0, 0.0]]), T.tensor([0, 1])),
)
one("b5_nll_loss", lambda T: T.nn.functional.nll_loss(T.tensor([[-0.5, -1.0]]), T.tensor([1])))
one("b5_bce_out_of_range", lambda T: T.nn.functional.binary_cross_entropy(T.tensor([1.5]), T.tensor([1.0])))
one("b5_bce_zero_prob", lambda T: T.nn.functional.binary_cross_entropy(T.tensor([0.0, 1.0]), T.tensor([1.0, 0.0])))
one(
    "b5_bce_logits_large",
    lambda T: T.nn.functional.binary_cross_entropy_with_logits(T.tensor([100.0, -100.0]), T.tensor([0.0, 1.0])),
)
one("b5_l1_loss", lambda T: T.nn.L1Loss()(T.tensor([1.0, -2.0]), T.zeros(2)))
one("b5_huber_loss", lambda T: T.nn.HuberLoss(delta=0.5)(T.tensor([1.0, 0.2]), T.zeros(2)))


# ---- optim
@program
def b5_sgd_step(T):
    w = T.tensor([1.0, 2.0], requires_grad=True)
    opt = T.optim.SGD([w], lr=0.1)
    (w * w).sum().backward()
    opt.step()
    return w


@program
def b5_sgd_no_lr(T):
    w = T.tensor([1.0], requires_grad=True)
    return T.optim.SGD([w])


@program
def b5_sgd_negative_lr(T):
    w = T.tensor([1.0], requires_grad=True)
    T.optim.SGD([w], lr=-0.1)


@program
def b5_optimizer_empty_params(T):
    T.optim.SGD([], lr=0.1)


@program
def b5_optimizer_tensor_not_list(T):
    T.optim.SGD(T.ones(2, requires_grad=True), lr=0.1)


@program
def b5_step_without_grad(T):
    w = T.tensor([1.0], requires_grad=True)
    opt = T.optim.Adam([w], lr=0.1)
    opt.step()
    return w


@program
def b5_adam_three_steps(T):
    w = T.tensor([1.0, -2.0], requires_grad=True)
    opt = T.optim.Adam([w], lr=0.1, betas=(0.8, 0.9))
    for _ in range(3):
        opt.zero_grad()
        (w**2).sum().backward()
        opt.step()
    return w


@program
def b5_sgd_weight_decay_momentum_nesterov(T):
    w = T.tensor([1.0, -2.0], requires_grad=True)
    opt = T.optim.SGD([w], lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)
    for _ in range(3):
        opt.zero_grad()
        (w**2).sum().backward()
        opt.step()
    return w


@program
def b5_nesterov_without_momentum(T):
    w = T.tensor([1.0], requires_grad=True)
    T.optim.SGD([w], lr=0.1, nesterov=True)


@program
def b5_param_groups_lr(T):
    w = T.tensor([1.0], requires_grad=True)
    opt = T.optim.SGD([w], lr=0.1)
    for group in opt.param_groups:
        group["lr"] = 0.5
    (w * w).sum().backward()
    opt.step()
    return w, opt.param_groups[0]["lr"]


@program
def b5_zero_grad_set_to_none_false(T):
    w = T.tensor([1.0], requires_grad=True)
    opt = T.optim.SGD([w], lr=0.1)
    (w * w).sum().backward()
    opt.zero_grad(set_to_none=False)
    return w.grad


@program
def b5_steplr(T):
    w = T.tensor([1.0], requires_grad=True)
    opt = T.optim.SGD([w], lr=1.0)
    sched = T.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    lrs = []
    for _ in range(5):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    return lrs


# ---- data and misc
@program
def b5_tensordataset_dataloader(T):
    from importlib import import_module

    data = import_module(T.__name__ + ".utils.data")
    ds = data.TensorDataset(T.arange(6.0).reshape(3, 2), T.tensor([0, 1, 0]))
    loader = data.DataLoader(ds, batch_size=2)
    return [(x.shape, y.tolist()) for x, y in loader], len(ds), len(loader)


@program
def b5_manual_seed_rand_equal(T):
    T.manual_seed(7)
    a = T.rand(3)
    T.manual_seed(7)
    return T.equal(a, T.rand(3))


one("b5_repr_float", lambda T: repr(T.tensor([1.0, 2.5])))
one("b5_repr_int", lambda T: repr(T.tensor([1, 2])))
one("b5_repr_grad", lambda T: repr(T.tensor([1.0], requires_grad=True)))
one("b5_repr_scalar", lambda T: repr(T.tensor(3.0)))
one("b5_repr_float64", lambda T: repr(T.tensor([1.0], dtype=T.float64)))
one("b5_repr_grad_fn", lambda T: repr(T.tensor([1.0], requires_grad=True) * 2))
one("b5_str_small", lambda T: str(T.tensor([0.1, 0.25])))
one("b5_repr_large_small_mix", lambda T: repr(T.tensor([1e-5, 1.0, 1000.0])))
one("b5_repr_empty", lambda T: repr(T.tensor([])))
one("b5_format_item", lambda T: f"{T.tensor(2.5).item():.2f}")
one("b5_format_tensor", lambda T: f"{T.tensor(2.5):.2f}")
one("b5_device_attr", lambda T: str(T.ones(1).device))
one("b5_to_cpu", lambda T: T.ones(1).to("cpu"))
one("b5_cpu_method", lambda T: T.ones(1).cpu())
one("b5_dtype_itemsize", lambda T: (T.float32.itemsize, T.int64.itemsize))
one("b5_element_size", lambda T: T.ones(1, dtype=T.float64).element_size())
one("b5_dtype_is_floating", lambda T: (T.float32.is_floating_point, T.int64.is_floating_point))
one("b5_finfo_eps", lambda T: T.finfo(T.float32).eps)
one("b5_hash_in_set", lambda T: len({T.tensor(1.0), T.tensor(1.0)}))
one("b5_tensor_in_list_eq", lambda T: T.tensor(1.0) in [T.tensor(2.0)])
one("b5_math_sqrt_tensor", lambda T: math.sqrt(T.tensor(4.0)))
one("b5_sum_builtin", lambda T: sum(T.tensor([1.0, 2.0])))
one("b5_max_builtin", lambda T: max(T.tensor([1.0, 5.0, 2.0])))
one("b5_sorted_builtin", lambda T: sorted(T.tensor([3, 1, 2])))
one("b5_abs_builtin", lambda T: abs(T.tensor([-1.0])))
one("b5_round_builtin", lambda T: round(T.tensor(2.567).item(), 1))
one("b5_pow_builtin", lambda T: pow(T.tensor([2.0]), 3))
one("b5_divmod_tensor", lambda T: divmod(T.tensor([7]), 2))
