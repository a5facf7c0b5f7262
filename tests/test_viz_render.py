"""The SVG render: one kept ``dot`` process gives exactly what a new process per graph gives."""

import os
import re
import shutil

import graphviz
import pytest

import autograd_lab as torch
from autograd_lab import nn
from autograd_lab.viz import BackwardStepper, GraphExplorer, draw, render

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="needs graphviz's dot")


@pytest.fixture(autouse=True)
def spanish():
    torch.set_language("es")
    yield
    torch.set_language("es")


def kept_pid():
    process = render._DOT._process
    return process.pid if process is not None and process.poll() is None else None


def branchy(x):
    if x > 0:
        return x * x
    return x.sin()


def a_chain(a, b, c):
    h = a * b + c
    for _ in range(3):
        h = (h * a).tanh() + b * c
    return h.sin()


def graphs_of_every_kind():
    """Graphs as the course draws them: explorer redraws (an `if` flip among them), a stepper, modules, a caption."""
    found = []
    explorer = GraphExplorer(branchy, x=1.0)
    for value in (1.0, -0.5, -0.25, 0.75):
        explorer.sliders["x"].value = value
        found.append(explorer._drawing)
    chain = GraphExplorer(a_chain, a=0.5, b=-1.0, c=2.0)
    chain.sliders["a"].value = 0.7
    found.append(chain._drawing)
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    d = a * b + a
    stepper = BackwardStepper(d)
    stepper.go_to(1)
    found.append(stepper._drawing)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Sequential(nn.Linear(4, 4), nn.Tanh()), nn.Linear(4, 1))
    loss = model(torch.randn(5, 3)).pow(2).mean()
    loss.backward()
    found.append(draw(loss, names={"model": model}))  # collapsed modules: clusters
    found.append(draw(loss, names={"model": model}, max_nodes=10**6))
    captioned = found[0].copy()
    captioned.attr(label=render.caption_label([["x", "valor"], ["x", "1 < 2 & 3"]], bold_first=True), labelloc="t")
    found.append(captioned)
    named = graphviz.Digraph(name="G")
    named.edge("x", "y", label="ñ")
    found.append(named)
    return found


def test_the_kept_dot_process_renders_every_kind_of_graph_as_a_new_process_does():
    kinds = graphs_of_every_kind()
    render.graph_svg(kinds[0])
    pid = kept_pid()
    assert pid is not None  # the process is kept after a render
    for graph in kinds * 2:  # the second round: graphs late in the process's life, after every other kind
        kept = render.graph_svg(graph)
        own = render.graph_svg(graph, reuse_process=False)
        assert kept == own
        assert kept.startswith("<svg") and kept.rstrip().endswith("</svg>")
    assert kept_pid() == pid  # ... and they were all rendered by that one process
    # what differs in a kept process, put back: the unnamed graph's counted name and the page prefix of ids
    plain = render.graph_svg(kinds[0])
    assert "<title>%3</title>" in plain and 'id="graph0"' in plain and "page0" not in plain


def test_the_drawing_changes_when_the_if_flips_with_the_kept_process():
    explorer = GraphExplorer(branchy, x=1.0)
    before = explorer.graph.svg
    assert ">MulBackward0<" in before and ">SinBackward0<" not in before
    explorer.sliders["x"].value = -0.5  # another branch: laid out again, the new node marked
    after = explorer.graph.svg
    assert ">SinBackward0<" in after and ">MulBackward0<" not in after
    assert re.search(r"SinBackward0</text>", after) and "#6d28d9" in after
    assert after == render.graph_svg(explorer._drawing, reuse_process=False)
    assert explorer.graph.html.value == render.graph_box(after)


def test_a_graph_dot_warns_about_or_rejects_is_rendered_by_a_process_of_its_own(capfd):
    render.graph_svg(graphs_of_every_kind()[0])
    warned = graphviz.Digraph()
    warned.node("a", shape="nonsense")
    svg = render.graph_svg(warned)  # dot warns: the warning reaches the student as before
    assert "unknown shape nonsense" in capfd.readouterr().err
    assert svg == render.graph_svg(warned, reuse_process=False)
    broken = graphviz.Digraph()
    broken.body.append("\ta -> -> b\n")
    with pytest.raises(graphviz.CalledProcessError, match="syntax error"):
        render.graph_svg(broken)
    fine = graphs_of_every_kind()[4]
    assert render.graph_svg(fine) == render.graph_svg(fine, reuse_process=False)
    assert kept_pid() is not None  # a new process is kept again


def test_without_dot_the_kept_process_is_not_used(monkeypatch, tmp_path):
    graph = graphs_of_every_kind()[0]
    render.graph_svg(graph)
    assert kept_pid() is not None
    monkeypatch.setenv("PATH", str(tmp_path))  # dot is gone: the same error as without a kept process
    with pytest.raises(graphviz.ExecutableNotFound):
        render.graph_svg(graph)


def test_a_kept_process_that_died_is_started_again():
    graph = graphs_of_every_kind()[0]
    render.graph_svg(graph)
    pid = kept_pid()
    os.kill(pid, 9)
    render._DOT._process.wait()
    assert render.graph_svg(graph) == render.graph_svg(graph, reuse_process=False)
    assert kept_pid() not in (None, pid)


def test_a_live_figure_shrinks_only_while_its_smallest_text_stays_readable():
    from autograd_lab.viz import plots

    figure, axes = plots.new_figure(columns=3, width=2.9, height=2.9, wspace=0.7)  # the training monitor's
    plots.loss_curves(axes[0], [(0, 1.0), (1, 0.5)])
    svg = render.figure_svg(figure)
    smallest_pt = min(float(size) for size in re.findall(r"font-size: ([\d.]+)px", svg))
    box = render.figure_box(svg)
    width = int(re.search(r'<svg[^>]* width="(\d+)px"', box).group(1))
    least = int(re.search(r"min-width:(\d+)px", box).group(1))
    assert width == round(2.9 * 3 * 96)  # its own size: inches at 96 px
    # the narrowest it gets keeps the smallest text at 10 px; narrower cells scroll sideways
    assert smallest_pt * 4 / 3 * least / width == pytest.approx(render.MIN_TEXT_PX, abs=0.02)
    assert least < width and "overflow-x:auto" in box and "max-width:100%" in box
    large = render.figure_box(re.sub(r"font-size: [\d.]+px", "font-size: 30px", svg))  # 40 px text: shrinks to 1/4
    assert re.search(r"min-width:(\d+)px", large).group(1) == str(round(width / 4))


def test_an_interrupted_render_does_not_leave_the_next_graph_out_of_step(monkeypatch):
    first, second = graphs_of_every_kind()[:2]
    render.graph_svg(first)
    pid = kept_pid()
    real_select = render.select.select

    def interrupted(*args):
        raise KeyboardInterrupt  # Ctrl-C while dot lays the graph out

    monkeypatch.setattr(render.select, "select", interrupted)
    with pytest.raises(KeyboardInterrupt):
        render.graph_svg(first)
    monkeypatch.setattr(render.select, "select", real_select)
    assert render.graph_svg(second) == render.graph_svg(second, reuse_process=False)  # not the first's SVG
    assert kept_pid() not in (None, pid)


def test_a_graph_with_pages_is_left_to_a_process_of_its_own():
    graph = graphviz.Digraph(graph_attr={"page": "2,2"})
    graph.edge("a", "b")
    render.graph_svg(graphs_of_every_kind()[0])
    pid = kept_pid()
    assert render.graph_svg(graph) == render.graph_svg(graph, reuse_process=False)
    assert render._DOT.render(graph) is None and kept_pid() == pid
    named = graphviz.Digraph()
    named.node("a", label="layer1 page 2")  # words in labels are no reason
    assert render._DOT.render(named) is not None
