"""``Valor``: a scalar that remembers how it was computed — the node of exercise 5's backward walk.

Every operation returns a new ``Valor`` that keeps its inputs (``entradas``) and
the local derivative of the result with respect to each input (``locales``),
both computed during the forward pass.  ``grad`` starts at 0.  Nothing here
walks the graph or applies the chain rule: writing that walk is the exercise.

    a, b = Valor(2.0), Valor(3.0)
    d = a * b + a          # d.entradas == (a * b, a), d.locales == (1.0, 1.0)
"""

from __future__ import annotations

import math
from typing import Any


class Valor:
    """A scalar node: ``data``, ``grad``, ``entradas`` (its inputs) and ``locales`` (d self / d input)."""

    def __init__(self, data: float, entradas: tuple[Valor, ...] = (), locales: tuple[float, ...] = (), op: str = ""):
        self.data = float(data)
        self.grad = 0.0
        self.entradas = tuple(entradas)
        self.locales = tuple(float(d) for d in locales)
        self.op = op

    def __add__(self, other: Any) -> Valor:
        """a + b: both local derivatives are 1."""
        other = como_valor(other)
        return Valor(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __radd__(self, other: Any) -> Valor:
        return como_valor(other) + self

    def __mul__(self, other: Any) -> Valor:
        """a * b: d/da = b, d/db = a."""
        other = como_valor(other)
        return Valor(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __rmul__(self, other: Any) -> Valor:
        return como_valor(other) * self

    def __neg__(self) -> Valor:
        """-a: d/da = -1."""
        return Valor(-self.data, (self,), (-1.0,), "neg")

    def __sub__(self, other: Any) -> Valor:
        return self + (-como_valor(other))

    def __rsub__(self, other: Any) -> Valor:
        return como_valor(other) + (-self)

    def __pow__(self, exponent: float) -> Valor:
        """a ** n for a number n: d/da = n * a ** (n - 1)."""
        return Valor(self.data**exponent, (self,), (exponent * self.data ** (exponent - 1),), f"**{exponent}")

    def tanh(self) -> Valor:
        """tanh(a): d/da = 1 - tanh(a) ** 2."""
        y = math.tanh(self.data)
        return Valor(y, (self,), (1 - y * y,), "tanh")

    def exp(self) -> Valor:
        """exp(a): d/da = exp(a)."""
        y = math.exp(self.data)
        return Valor(y, (self,), (y,), "exp")

    def relu(self) -> Valor:
        """max(a, 0): d/da = 1 where a > 0, else 0."""
        return Valor(max(self.data, 0.0), (self,), (1.0 if self.data > 0 else 0.0,), "relu")

    def __repr__(self) -> str:
        return f"Valor(data={self.data:.4g}, grad={self.grad:.4g})"


def como_valor(x: Any) -> Valor:
    """``x`` itself if it is a Valor; a number becomes a new leaf Valor (a constant)."""
    return x if isinstance(x, Valor) else Valor(x)
