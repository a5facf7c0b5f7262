"""The lessons' printing helpers format what the library computed, in the course's language."""

from __future__ import annotations

import pytest

import autograd_lab as torch
from autograd_lab import set_language
from autograd_lab.course.show import backward_lines, best_time, number, values
from autograd_lab.engine import trace_backward


@pytest.fixture(autouse=True)
def spanish():
    set_language("es")
    yield
    set_language("es")


def lecture_trace():
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    with trace_backward() as steps:
        (a * b + a).backward()
    return steps, a, b


def test_number_rounds_and_never_prints_a_negative_zero():
    assert number(4.0) == "4"
    assert number(-0.23692) == "-0.2369"
    assert number(-0.0) == "0"
    assert number(-1e-9, digits=2) == "-1e-09"
    assert number(-0.00001, digits=1) == "-1e-05"
    assert values(torch.tensor([-0.0, 0.5])) == "[0, 0.5]"


def test_backward_lines_follow_the_engine_trace_of_the_lecture_example():
    steps, a, b = lecture_trace()
    lines = backward_lines(steps, {"a": a, "b": b}, local=True)
    assert len(lines) == len(steps) == 4
    assert " ".join(lines[0].split()) == "AddBackward recibe 1 × locales [1, 1] → envía 1 a MulBackward, 1 a hoja a"
    assert " ".join(lines[1].split()) == "MulBackward recibe 1 × locales [3, 2] → envía 3 a hoja a, 2 a hoja b"
    assert sorted(line.split()[1] for line in lines[2:]) == ["a", "b"]
    assert "hoja a recibe 1 + 3 = 4 → a.grad = 4" in [" ".join(line.split()) for line in lines]
    assert "hoja b recibe 2 → b.grad = 2" in [" ".join(line.split()) for line in lines]


def test_backward_lines_name_unknown_leaves_by_shape_and_speak_english():
    w = torch.tensor([1.0, -2.0], requires_grad=True)
    with trace_backward() as steps:
        (w * w).sum().backward()
    assert backward_lines(steps)[-1].split()[:4] == ["hoja", "de", "forma", "(2,)"]
    set_language("en")
    lines = backward_lines(steps)
    assert lines[0].split()[1:3] == ["receives", "1"] and lines[-1].endswith("→  .grad = [2, -4]")


def test_best_time_returns_the_shortest_run_and_rejects_no_runs():
    calls = []
    assert best_time(calls.append, 1, repeat=3) >= 0 and calls == [1, 1, 1]
    with pytest.raises(ValueError, match="repeat must be at least 1"):
        best_time(print, repeat=0)
