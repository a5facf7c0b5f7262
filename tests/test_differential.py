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


def test_program_names_are_unique():
    names = [p.__name__ for p in PROGRAMS]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.__name__ for p in PROGRAMS])
def test_same_outcome_as_pytorch(program):
    torch = pytest.importorskip("torch")
    torch.set_warn_always(True)  # PyTorch warns only once per process otherwise
    problem = compare(outcome(program, al), outcome(program, torch))
    assert problem is None, problem


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.__name__ for p in PROGRAMS])
def test_no_numpy_error_or_warning_reaches_the_user(program):
    leaks = outcome(program, al).leaks
    assert not leaks, leaks
