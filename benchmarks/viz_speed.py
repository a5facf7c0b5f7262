"""How fast the graph redraws: a slider change on a 30-node graph, and a 500-node network graph.

1. GraphExplorer on a function whose drawing has about 30 nodes: one slider
   change = forward + backward + DOT + SVG render (graphviz ``dot``) + the graph
   view's HTML, exactly what a student waits for.  The SVG is also the static
   picture the widget keeps of its current state.  Target: under 50 ms.
   Measured side by side, changes alternating: SVG rendered by the kept ``dot``
   process (what the library does) and by a new ``dot`` process per change (as
   before it kept one).  For the record, the one-off cost of displaying the
   widget: the same plus the PNG picture stored beside the live view.
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import graphviz

import autograd_lab as torch
from autograd_lab import engine
from autograd_lab.viz import GraphExplorer, draw, render
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
    """CPU time used so far by this process, the ``dot`` runs it started and finished, and its kept ``dot`` process.

    The kept process's time is read from /proc (Linux) in ticks of 10 ms: time
    batches of runs with it, not single runs.
    """
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    process = render._DOT._process
    if process is not None and process.poll() is None:
        with open(f"/proc/{process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return total


def cpu_per_run(actions: dict[str, Callable[[], Any]], batches: int, batch: int = 10) -> dict[str, list[float]]:
    """CPU seconds per run of each action: ``batches`` batches of ``batch`` runs, the actions in turn."""
    for action in actions.values():
        action()
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(batches):
        for name, action in actions.items():
            start = cpu_seconds()
            for _ in range(batch):
                action()
            times[name].append((cpu_seconds() - start) / batch)
    return times


@contextmanager
def new_dot_process_per_render() -> Iterator[None]:
    """Within: every SVG is rendered by a ``dot`` process of its own (as before the library kept one)."""
    kept = render.graph_svg

    def own_process(graph: Any, reuse_process: bool = True) -> str:
        return kept(graph, reuse_process=False)

    render.graph_svg = own_process
    try:
        yield
    finally:
        render.graph_svg = kept


def alternating(actions: dict[str, Callable[[], Any]], repeats: int, clock: Callable[[], float]) -> dict[str, list]:
    """``clock`` time of each action, run in turn ``repeats`` times after one warm-up round (same load for all)."""
    for action in actions.values():
        action()
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeats):
        for name, action in actions.items():
            start = clock()
            action()
            times[name].append(clock() - start)
    return times


def slider_benchmark(repeats: int) -> dict[str, Any]:
    explorer = GraphExplorer(thirty_node_function, a=0.5, b=-1.0, c=2.0)
    boxes = count_boxes(explorer.dot_source)
    slider = explorer.sliders["a"]
    values = iter([0.5 + 0.001 * k for k in range(1, 100 * repeats)])

    def move() -> None:
        slider.value = next(values)

    def move_with_new_process() -> None:
        with new_dot_process_per_render():
            move()

    assert explorer.graph.rendered, "dot is missing: this benchmark measures the SVG render"
    both = {"kept dot process": move, "new dot process": move_with_new_process}
    total = alternating(both, repeats, time.perf_counter)
    cpu = cpu_per_run(both, max(3, repeats // 5))
    # the parts, for the record: forward + backward, building the DOT, dot's SVG render, the widget's update
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
    svg = to_svg(graph)
    render_parts = alternating(
        {
            "SVG render, kept dot process": lambda: to_svg(graph),
            "SVG render, new dot process": lambda: to_svg(graph, reuse_process=False),
            "  of which starting dot (a one-box graph)": lambda: to_svg(ONE_BOX, reuse_process=False),
        },
        repeats,
        time.perf_counter,
    )
    parts = {
        "forward+backward": timed(forward_backward, repeats),
        "DOT": timed(lambda: draw(out, names=dict(inputs), backward_trace=steps, forward_trace=records), repeats),
        **render_parts,
        "widget update (graph view HTML)": timed(lambda: explorer.graph.show(graph, svg=svg), repeats),
    }
    display = {
        "display (bundle: live view + PNG + text)": timed(explorer._repr_mimebundle_, max(3, repeats // 3)),
        "  of which the PNG picture": timed(
            # as the display makes it: from the SVG already on screen (the graph is not laid out again)
            lambda: graph_picture(explorer._drawing, [["x", "1", "2"]], svg=explorer.graph.svg),
            max(3, repeats // 3),
        ),
    }
    return {"boxes": boxes, "total": total, "cpu": cpu, "parts": parts, "display": display}


ONE_BOX = graphviz.Digraph()  # dot's cost to start: its plugins and the fonts to measure a label
ONE_BOX.node("a", "a\\nvalor = 2", shape="box", fontname="Helvetica")


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


def _print_times(title: str, rows: dict[str, list[float]], width: int) -> None:
    print(f"   {title}")
    for name, times in rows.items():
        print(f"     {name:{width}} {_ms(times)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}; graphviz dot {_dot_version()}")

    load_before = os.getloadavg()
    slider = slider_benchmark(args.repeats)
    median_ms = 1000 * statistics.median(slider["total"]["kept dot process"])
    boxes = slider["boxes"]
    print(f"\n1. Slider change, GraphExplorer, {boxes}-node drawing ({args.repeats} changes each, alternating)")
    _print_times("total (forward+backward+DOT+SVG+HTML):", slider["total"], 35)
    _print_times("CPU time of the same (this process + dot), per change, in batches of 10:", slider["cpu"], 35)
    ratio = statistics.median(slider["total"]["new dot process"]) / statistics.median(
        slider["total"]["kept dot process"]
    )
    print(f"   a new dot process per change takes {ratio:.2f}x the kept process's time")
    _print_times("the parts:", slider["parts"], 42)
    _print_times("once, when the widget is displayed:", slider["display"], 42)
    verdict = "ok" if median_ms < SLIDER_TARGET_MS else "OVER TARGET"
    print(f"   target {SLIDER_TARGET_MS:.0f} ms: {median_ms / SLIDER_TARGET_MS:.2f} of target ({verdict})")
    cpu_ms = 1000 * statistics.median(slider["cpu"]["kept dot process"])
    print(
        f"   CPU time per change {cpu_ms:.1f} ms: {cpu_ms / SLIDER_TARGET_MS:.2f} of target "
        "(about the wall-clock time on an idle machine; the line above depends on the load)"
    )
    load_after = os.getloadavg()
    print(
        f"   load average (1 min) before / after: {load_before[0]:.1f} / {load_after[0]:.1f} on {os.cpu_count()} cores"
    )

    net = network_benchmark(max(3, args.repeats // 6))
    median_s = statistics.median(net["total"])
    print(f"\n2. Network graph: {net['nodes']} nodes ({net['kind']}), collapsed to {net['boxes']} boxes")
    print(f"   draw + SVG render                 {_ms(net['total'])}")
    print(f"     draw only (walk, labels, DOT)  {_ms(net['draw only'])}")
    print(f"   for comparison, not collapsed     {1000 * net['uncollapsed'][0]:7.1f} ms (one run)")
    verdict = "ok" if median_s < NETWORK_TARGET_S else "OVER TARGET"
    print(f"   target {NETWORK_TARGET_S:.0f} s: {median_s / NETWORK_TARGET_S:.3f} of target ({verdict})")


def _dot_version() -> str:
    return ".".join(str(part) for part in graphviz.version())


if __name__ == "__main__":
    main()
