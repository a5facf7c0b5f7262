"""Every program of ``differential_programs.py`` behaves as in PyTorch: same values, dtypes, errors, warnings.

With PyTorch installed each program runs on both libraries and the outcomes are
compared (``differential.compare``).  Without it, what can be checked alone still
is: no numpy exception, numpy wording or numpy warning ever reaches the user.
``python tests/differential.py`` prints the match rate and every difference.
"""

from __future__ import annotations

import pytest
from differential import compare, outcome
from differential_programs import PROGRAMS

import autograd_lab as al

PENDING = {
    "exception types, permissive cases, edge values": (
        "tensor_strings tensor_none tensor_dict tensor_too_big_int zeros_negative_size randn_float_size "
        "arange_zero_step arange_wrong_direction arange_float_to_int_dtype float_of_many int_of_many "
        "bool_minus_bool neg_bool int_pow_negative int_pow_negative_tensor int_clamp_float_bound int_softmax "
        "int_log_softmax logical_and_float index_negative_step index_bool_mask_wrong_length "
        "index_bool_mask_rows_wrong index_bool_list_wrong_length index_string setitem_mask_wrong_length "
        "gather_float_index gather_out_of_range gather_wrong_ndim index_select_float index_select_2d_index "
        "masked_fill_float_mask masked_fill_int_mask where_float_condition where_int_condition "
        "maximum_scalar_arg free_function_on_list free_function_on_float broadcast_add_list "
        "broadcast_radd_list sum_dim_repeated sum_dim_repeated_negative sum_empty_tuple norm_inf norm_int "
        "reshape_negative_two flatten_bad_order permute_too_many mT_of_vector cat_empty_list cat_scalars "
        "cat_tensor_not_list matmul_float32_float64 matmul_int_float matmul_float_list dot_int_float "
        "outer_matrix backward_gradient_list backward_int_gradient_for_float hook_changes_shape "
        "hook_changes_dtype custom_function_broadcast_bias_gradient custom_function_too_many_gradients "
        "custom_function_returns_number custom_function_called_directly functional_softmax_int "
        "where_single_arg"
    ),
    "a warning PyTorch gives": (
        "tensor_of_tensor_warns tensor_of_tensor_copies std_single T_of_vector_warns T_of_3d_warns T_of_scalar"
    ),
    "a numpy error or warning reaches the user": (
        "ones_negative_size randn_negative_size rand_negative_size randint_low_ge_high "
        "linspace_negative_steps int_floordiv_zero int_mod_zero int_floordiv_tensor_zero int_mod_tensor_zero "
        "float_floordiv_zero float_mod_zero logsumexp_neg_inf inf_minus_inf max_empty min_empty argmax_empty "
        "argmin_empty max_empty_dim amax_empty norm_of_zero_vector_gradient norm_dim_with_zero_row_gradient "
        "grad_pow0_at_zero pow_zero_base_zero_exponent_grads polynomial_features_at_zero "
        "polynomial_features_float_exponents gradcheck_pow_zero_at_zero"
    ),
    "a function PyTorch has and the library lacks": (
        "randperm_sorted half_dtype is_contiguous_fresh is_contiguous_transposed "
        "is_contiguous_after_contiguous is_contiguous_slice_rows is_contiguous_slice_cols "
        "is_contiguous_expanded is_contiguous_1xN_transposed is_contiguous_scalar "
        "is_contiguous_reshape_of_transposed stride_fresh stride_transposed stride_dim stride_expanded "
        "sort_values sort_descending argsort topk cumsum cumsum_float prod unique flip tril triu diag trace "
        "einsum isclose floor_ceil_round exp2_log2_log10 nonzero count_nonzero bincount meshgrid linalg_norm"
    ),
    "printing": ("format_many repr_bool_scalar repr_empty repr_nan_inf"),
    "node names differ from PyTorch's": (
        "repr_grad_fn_mul node_names_elementwise node_names_matmul node_names_shapes node_names_linear "
        "node_names_losses node_names_more next_functions_names grad_fn_name_method"
    ),
    "contiguity and strides": (
        "view_on_transposed view_on_permuted view_on_T view_on_slice view_on_expanded contiguous_copy_does_not_share"
    ),
    "losses: options, target checks": ("mse_loss_gradient_both"),
}
_PENDING = {name: reason for reason, names in PENDING.items() for name in names.split()}


def _cases():
    for program in PROGRAMS:
        reason = _PENDING.get(program.__name__)
        marks = [pytest.mark.xfail(strict=True, reason=f"fix pending: {reason}")] if reason else []
        yield pytest.param(program, id=program.__name__, marks=marks)


def test_program_names_are_unique():
    names = [p.__name__ for p in PROGRAMS]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    assert set(_PENDING) <= set(names)


@pytest.mark.parametrize("program", list(_cases()))
def test_same_outcome_as_pytorch(program):
    torch = pytest.importorskip("torch")
    torch.set_warn_always(True)  # PyTorch warns only once per process otherwise
    problem = compare(outcome(program, al), outcome(program, torch))
    assert problem is None, problem
