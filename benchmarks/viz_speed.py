"""How fast the graph redraws: a slider change on a 30-node graph, and a 500-node network graph.

1. GraphExplorer on a function whose drawing has about 30 nodes: one slider
   change = forward + backward + DOT + SVG render (graphviz ``dot``) + the graph
   view's HTML, exactly what a student waits for.  The SVG is also the static
   picture the widget keeps of its current state.  Target: under 50 ms.
   For the record, the one-off cost of displaying the widget: the same plus the
   PNG picture stored beside the live view (rendered once, at display).
2. ``draw`` of a network whose graph has about 500 nodes, collapsed by module
   (the default node cap), rendered to SVG.  Target: under 2 s.

Run: ``.venv/bin/python benchmarks/viz_speed.py`` (needs graphviz's ``dot``).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import statistics
import time
from collections.abc import Callable
from typing import Any

import autograd_lab as torch
from autograd_lab import engine
from autograd_lab.viz import GraphExplorer, draw
from autograd_lab.viz.render import graph_picture
from autograd_lab.viz.render import graph_svg as to_svg

SLIDER_TARGET_MS = 50.0
NETWORK_TARGET_S = 2.0


def thirty_node_function(a: Any, b: Any, c: Any) -> Any:
    """A small computation with a loop: its drawing has about 30 boxes."""
    h = a * b + c
    for _ in range(3):
        h = (h * a).tanh() + b * c
    return h.sin()


def timed(action: Callable[[], Any], repeats: int) -> list[float]:
    """Wall-clock seconds of each of ``repeats`` runs (after one warm-up run)."""
    action()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def cpu_seconds() -> float:
    """CPU time used so far by this process and the finished ``dot`` runs it started (user + system)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_cpu(action: Callable[[], Any], repeats: int) -> list[float]:
    """CPU seconds of each of ``repeats`` runs (after one warm-up run): what a run costs, whatever the load."""
    action()
    times = []
    for _ in range(repeats):
        start = cpu_seconds()
        action()
        times.append(cpu_seconds() - start)
    return times


def slider_benchmark(repeats: int) -> dict[str, Any]:
    explorer = GraphExplorer(thirty_node_function, a=0.5, b=-1.0, c=2.0)
    boxes = count_boxes(explorer.dot_source)
    slider = explorer.sliders["a"]
    values = iter([0.5 + 0.01 * k for k in range(1, 10 * repeats)])

    def move() -> None:
        slider.value = next(values)

    assert explorer.graph.rendered, "dot is missing: this benchmark measures the SVG render"
    total = timed(move, repeats)
    cpu = timed_cpu(move, repeats)
    # the parts, for the record: forward + backward, building the DOT, dot's SVG render
    inputs = {name: torch.tensor(s.value, requires_grad=True) for name, s in explorer.sliders.items()}

    def forward_backward() -> tuple[Any, Any, Any]:
        for x in inputs.values():
            x.grad = None
        with engine.trace_forward() as records:
            out = thirty_node_function(**inputs)
        with engine.trace_backward() as steps:
            out.backward()
        return out, records, steps

    out, records, steps = forward_backward()
    graph = draw(out, names=dict(inputs), backward_trace=steps, forward_trace=records)
    parts = {
        "forward+backward": timed(forward_backward, repeats),
        "DOT": timed(lambda: draw(out, names=dict(inputs), backward_trace=steps, forward_trace=records), repeats),
        "SVG render (dot)": timed(lambda: to_svg(graph), repeats),
    }
    display = {
        "display (bundle: live view + PNG + text)": timed(explorer._repr_mimebundle_, max(3, repeats // 3)),
        "  of which the PNG picture": timed(
            lambda: graph_picture(explorer._drawing, [["x", "1", "2"]]), max(3, repeats // 3)
        ),
    }
    return {"boxes": boxes, "total": total, "cpu": cpu, "parts": parts, "display": display}


def network(blocks: int, pairs: int) -> tuple[Any, str]:
    """Blocks of (Linear, Tanh) pairs: autograd_lab.nn when present, else a stand-in module."""
    try:
        from autograd_lab import nn
    except ImportError:
        return _stand_in_network(blocks, pairs), "stand-in modules (autograd_lab.nn not installed)"

    def block() -> Any:
        return nn.Sequential(*[layer for _ in range(pairs) for layer in (nn.Linear(16, 16), nn.Tanh())])

    model = nn.Sequential(*[block() for _ in range(blocks)])
    return model, "autograd_lab.nn"


class _StandIn:
    """The part of nn.Module the drawing reads: pushes itself on the engine's module stack."""

    def __init__(self, children: list[Any] | None = None) -> None:
        self.children = children or []

    def __call__(self, x: Any) -> Any:
        engine._module_stack.append(self)
        try:
            return self.forward(x)
        finally:
            engine._module_stack.pop()

    def forward(self, x: Any) -> Any:
        for child in self.children:
            x = child(x)
        return x

    def named_modules(self, prefix: str = "") -> Any:
        yield prefix, self
        for i, child in enumerate(self.children):
            yield from child.named_modules(f"{prefix}.{i}" if prefix else str(i))

    def named_parameters(self) -> Any:
        return iter(())


class _StandInLinear(_StandIn):
    def __init__(self) -> None:
        super().__init__()
        self.weight = (torch.randn(16, 16) * 0.25).requires_grad_()
        self.bias = torch.zeros(16, requires_grad=True)

    def forward(self, x: Any) -> Any:
        return x @ self.weight.T + self.bias


class _StandInTanh(_StandIn):
    def forward(self, x: Any) -> Any:
        return x.tanh()


def _stand_in_network(blocks: int, pairs: int) -> _StandIn:
    def block() -> _StandIn:
        return _StandIn([layer for _ in range(pairs) for layer in (_StandInLinear(), _StandInTanh())])

    return _StandIn([block() for _ in range(blocks)])


def network_benchmark(repeats: int) -> dict[str, Any]:
    torch.manual_seed(0)
    pairs = 25
    model, kind = network(blocks=5, pairs=pairs)
    x = torch.randn(32, 16)
    loss = model(x).pow(2).mean()
    loss.backward()
    nodes = len(list(engine.iter_graph(loss)))
    if abs(nodes - 500) > 50:  # stand-in layers record more nodes each: resize to about 500
        pairs = max(1, round(pairs * 500 / nodes))
        model, kind = network(blocks=5, pairs=pairs)
        loss = model(x).pow(2).mean()
        loss.backward()
        nodes = len(list(engine.iter_graph(loss)))
    names = {"model": model}

    def render() -> str:
        return to_svg(draw(loss, names=names))

    collapsed = draw(loss, names=names)
    return {
        "kind": kind,
        "nodes": nodes,
        "boxes": count_boxes(collapsed.source),
        "total": timed(render, repeats),
        "draw only": timed(lambda: draw(loss, names=names), repeats),
        "uncollapsed": timed(lambda: to_svg(draw(loss, names=names, max_nodes=10**6)), 1),
    }


def count_boxes(dot_source: str) -> int:
    """Nodes of a DOT source (statements ``id [label=...]``, not edges)."""
    return len(re.findall(r"^\t\w+ \[label=", dot_source, re.M))


def _ms(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return f"median {1000 * statistics.median(seconds):7.1f} ms   p90 {1000 * p90:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}; graphviz dot {_dot_version()}")

    slider = slider_benchmark(args.repeats)
    median_ms = 1000 * statistics.median(slider["total"])
    print(f"\n1. Slider change, GraphExplorer, {slider['boxes']}-node drawing ({args.repeats} changes)")
    print(f"   total (forward+backward+DOT+SVG+HTML)  {_ms(slider['total'])}")
    print(f"   CPU time of the same (this process + dot)  {_ms(slider['cpu'])}")
    for part, times in slider["parts"].items():
        print(f"     {part:35} {_ms(times)}")
    print("   once, when the widget is displayed:")
    for part, times in slider["display"].items():
        print(f"     {part:42} {_ms(times)}")
    verdict = "ok" if median_ms < SLIDER_TARGET_MS else "OVER TARGET"
    print(f"   target {SLIDER_TARGET_MS:.0f} ms: {median_ms / SLIDER_TARGET_MS:.2f} of target ({verdict})")
    print(f"   load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    net = network_benchmark(max(3, args.repeats // 6))
    median_s = statistics.median(net["total"])
    print(f"\n2. Network graph: {net['nodes']} nodes ({net['kind']}), collapsed to {net['boxes']} boxes")
    print(f"   draw + SVG render                 {_ms(net['total'])}")
    print(f"     draw only (walk, labels, DOT)  {_ms(net['draw only'])}")
    print(f"   for comparison, not collapsed     {1000 * net['uncollapsed'][0]:7.1f} ms (one run)")
    verdict = "ok" if median_s < NETWORK_TARGET_S else "OVER TARGET"
    print(f"   target {NETWORK_TARGET_S:.0f} s: {median_s / NETWORK_TARGET_S:.3f} of target ({verdict})")


def _dot_version() -> str:
    import graphviz

    return ".".join(str(part) for part in graphviz.version())


if __name__ == "__main__":
    main()
