"""numfmt: one way to write numbers in widgets, plots and exercise feedback."""

import numpy as np
import pytest

import autograd_lab as torch
from autograd_lab import numfmt


@pytest.fixture(autouse=True)
def spanish():
    torch.set_language("es")
    yield
    torch.set_language("es")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (4.0, "4"),
        (16, "16"),
        (-0.0, "0"),
        (6.125, "6.125"),
        (0.090601, "0.0906"),
        (-0.236912, "-0.2369"),
        (1.5, "1.5"),
        (0.1 + 0.2, "0.3"),
        (1234.56789, "1234.5679"),
        (3.2e-05, "3.2e-05"),
        (1234567.0, "1.235e+06"),
        (float("nan"), "nan"),
        (float("-inf"), "-inf"),
        (np.float32(2.5), "2.5"),
        (np.int64(7), "7"),
    ],
)
def test_number(value, shown):
    assert numfmt.number(value) == shown


def test_percent():
    assert numfmt.percent(1.0) == "100%"
    assert numfmt.percent(0.875) == "87.5%"
    assert numfmt.percent(1 / 3) == "33.3%"


def test_array():
    assert numfmt.array(np.array(2.0)) == "2"
    assert numfmt.array([[1.0, 2.5], [3.0, -4.0]]) == "[[1, 2.5], [3, -4]]"
    assert numfmt.array(np.arange(10.0)) == "media 4.5, de 0 a 9"
    torch.set_language("en")
    assert numfmt.array(np.arange(10.0)) == "mean 4.5, from 0 to 9"


def test_widgets_plots_and_checks_share_it():
    from autograd_lab.course.checks.core import fmt
    from autograd_lab.viz.graph import format_array, format_number

    for value in (4.0, 6.125, 0.090601, 3.2e-05):
        assert format_number(value) == numfmt.number(value) == fmt(value)
    assert format_array([0.5, -1.0]) == numfmt.array([0.5, -1.0])
