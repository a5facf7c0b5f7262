"""The example in docs/checks.md is real: its code registers a check that passes a right answer and names a mistake."""

from __future__ import annotations

import re
import types
from pathlib import Path

import numpy as np
import pytest

from autograd_lab.course.checks import CHECKS, evaluate
from autograd_lab.course.checks.wire import PROBES

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "checks.md"


@pytest.fixture
def example():
    (code,) = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    module = types.ModuleType("checks_example")
    exec(compile(code, str(GUIDE), "exec"), module.__dict__)
    try:
        yield module
    finally:
        CHECKS.pop("ex99.suma", None)
        for name in [name for name in PROBES if name.startswith("checks_example:")]:
            del PROBES[name]


def my_tensor(unbroadcast: bool) -> type:
    class MiTensor:
        def __init__(self, data, requires_grad=False, parents=()):
            self.data, self.grad, self.parents = np.asarray(data, dtype=float), None, parents

        def __add__(self, other):
            return MiTensor(self.data + other.data, parents=(self, other))

        def backward(self, grad):
            for parent in self.parents:
                g = grad.data
                if unbroadcast:
                    while g.ndim > parent.data.ndim:
                        g = g.sum(axis=0)
                    for axis, size in enumerate(parent.data.shape):
                        if size == 1:
                            g = g.sum(axis=axis, keepdims=True)
                parent.grad = MiTensor(g)

    return MiTensor


def test_the_guides_example_passes_a_right_answer_and_names_the_mistake(example):
    right = evaluate("ex99.suma", my_tensor(unbroadcast=True), scope="full", entropy=(1,))
    assert (right.status, right.points, right.cases) == ("passed", 3, 5)
    wrong = evaluate("ex99.suma", my_tensor(unbroadcast=False), scope="public")
    assert (wrong.status, wrong.hint_key) == ("failed", "check.ex99.hint.unbroadcast")
    assert evaluate("ex99.suma", None, scope="public").status == "pending"
