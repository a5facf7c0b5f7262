"""The lessons with graph and stepper widgets, run in a real JupyterLab (headless Chromium).

Each test opens a lesson from ``notebooks/``, runs all its cells, checks that the
widgets render and answer to the controls a student uses, and that the text the
student sees printed is the text stored in the notebook.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from jupyter_browser import cell_outputs, figure_measures, graph_measures, wait_for_pictures
from playwright.sync_api import expect

LESSONS = Path(__file__).resolve().parents[2] / "notebooks"
IGNORE_MARK = "NBVAL_IGNORE_OUTPUT"
IGNORE_TAG = "nbval-ignore-output"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def stored_printed_texts(notebook: Path) -> list[str | None]:
    """Per code cell: what it printed when stored (None when it showed something else or is not compared)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    texts: list[str | None] = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        outputs = cell["outputs"]
        ignored = any(line.strip().lstrip("#").strip() == IGNORE_MARK for line in source.splitlines())
        ignored = ignored or IGNORE_TAG in cell.get("metadata", {}).get("tags", [])
        ignored = ignored or "twin(" in source  # the twin's output depends on whether PyTorch is installed
        only_printed = bool(outputs) and all(o["output_type"] == "stream" for o in outputs)
        texts.append("".join("".join(o["text"]) for o in outputs) if only_printed and not ignored else None)
    return texts


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip().splitlines()]


def assert_prints_what_was_stored(page: Any, notebook: Path) -> None:
    shown = page.evaluate(
        """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell')).map(cell => {
            const area = cell.querySelector('.jp-OutputArea');
            return area ? area.innerText : '';
        })"""
    )
    stored = stored_printed_texts(notebook)
    assert len(shown) == len(stored), f"{notebook.name}: {len(shown)} code cells on the page, {len(stored)} stored"
    compared = 0
    for index, (seen, kept) in enumerate(zip(shown, stored)):
        if kept is not None:
            assert _lines(seen) == _lines(kept), f"{notebook.name} code cell {index}: the page shows {seen!r}"
            compared += 1
    assert compared >= 3, f"{notebook.name}: only {compared} printed outputs to compare"


# --------------------------------------------------------------------------- pictures before running, live after


def pictured_cells(notebook: Path) -> list[int]:
    """Code cells (by index among code cells) with a stored widget, graph or plot output."""
    cells = [cell for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"] if cell["cell_type"] == "code"]
    kinds = (WIDGET_VIEW, "image/svg+xml", "image/png")
    return [i for i, cell in enumerate(cells) if any(k in o.get("data", {}) for o in cell["outputs"] for k in kinds)]


def widget_cells(notebook: Path) -> list[int]:
    cells = [cell for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"] if cell["cell_type"] == "code"]
    return [i for i, cell in enumerate(cells) if any(WIDGET_VIEW in o.get("data", {}) for o in cell["outputs"])]


def screenshot_cells(page: Any, cells: list[int], path_for: Any) -> None:
    """One screenshot per code cell (its outputs as the student sees them)."""
    code_cells = page.locator(".jp-Notebook .jp-CodeCell")
    for index in cells:
        area = code_cells.nth(index).locator(".jp-OutputArea")
        area.scroll_into_view_if_needed()
        area.screenshot(path=str(path_for(index)))


def check_pictures_before_running(notebook: Path, artifacts: Path, name: str) -> Any:
    """A ``before_run`` check: every stored widget and graph output shows a picture, not only its text."""

    def check(page: Any) -> None:
        expected = pictured_cells(notebook)
        assert expected, f"{notebook.name}: no stored widget or graph output to check"
        wait_for_pictures(page, notebook, expected)  # the stored images load
        shown = cell_outputs(page, notebook)
        missing = [i for i in expected if not any(output["pictures"] for output in shown[i])]
        texts = {i: [output["text"] for output in shown[i]] for i in missing}
        assert not missing, f"{notebook.name}: these stored outputs show no picture before running: {texts}"
        for i in widget_cells(notebook):  # the static picture stands in for the widget
            assert any(output["mime"] == "image/png" for output in shown[i]), (i, shown[i])
        page.screenshot(path=str(artifacts / f"{name}_before_run.png"))
        screenshot_cells(page, expected, lambda i: artifacts / f"{name}_cell{i}_before_run.png")

    return check


def assert_live_widgets(page: Any, notebook: Path) -> None:
    """After running, every widget output is the live widget (not its static picture)."""
    cells = widget_cells(notebook)
    live = ".jp-OutputArea-output .jupyter-widgets"  # the widget manager's view (the PNG is a plain <img>)
    page.wait_for_function(
        """([path, cells, live]) => {
            const panel = Array.from(window.jupyterapp.shell.widgets('main'))
                .find(w => w.context && w.context.path === path);
            const code = panel.content.widgets.filter(c => c.model.type === 'code');
            return cells.every(i => code[i].node.querySelector(live) !== null);
        }""",
        arg=[notebook.name, cells, live],
    )
    shown = cell_outputs(page, notebook)
    for i in cells:
        assert any(output["widget"] and output["mime"] != "image/png" for output in shown[i]), (i, shown[i])


def wait_for_graphs(page: Any, expected: int) -> None:
    """Wait until the page shows ``expected`` live graphs, each with its node labels drawn."""
    page.wait_for_function(
        """expected => {
            const boxes = Array.from(document.querySelectorAll('.autograd-lab-graph')).filter(box => {
                const rect = box.getBoundingClientRect();
                return rect.width > 0 && rect.height > 0;
            });
            return boxes.length === expected && boxes.every(box => box.querySelector('svg g.node text') !== null);
        }""",
        arg=expected,
    )


def assert_graphs_readable(page: Any, name: str, expected: int) -> list[dict[str, Any]]:
    """Every live graph: labels of 10 px or more on screen, and never wider than its cell unless it scrolls."""
    wait_for_graphs(page, expected)
    measures = [m for m in graph_measures(page) if m["visible"]]
    assert len(measures) == expected, measures
    for m in measures:
        assert m["labels"] > 0 and m["smallestFont"] >= 10, m
        assert m["left"] >= m["cellLeft"] - 1 and m["right"] <= m["cellRight"] + 1, m  # never cut off
        assert m["scrollWidth"] <= m["clientWidth"] + 1 or m["overflowX"] in ("auto", "scroll"), m
    record = ARTIFACTS_MEASURES.get(name, [])
    ARTIFACTS_MEASURES[name] = record + measures
    return measures


def assert_figures_readable(page: Any, name: str, expected: int) -> list[dict[str, Any]]:
    """Every live plot fits its cell at the size it asks for (not shrunk), and its smallest text is 10 px or more."""
    measures = figure_measures(page)
    assert len(measures) == expected, measures
    for m in measures:
        assert m["texts"] > 0 and m["smallestFont"] >= 10, m
        assert m["naturalWidth"] <= m["outputWidth"] + 1 and m["width"] >= m["naturalWidth"] - 1, m
    ARTIFACTS_MEASURES[f"{name}_figures"] = measures
    return measures


def assert_figures_readable_when_narrow(page: Any, name: str, expected: int, artifacts: Path) -> list[dict[str, Any]]:
    """In a narrower window (1024 px, the file browser open): every plot still fits its cell, shrunk at most
    until its smallest text is 10 px, scrolling sideways in its own box beyond that; never cut off."""
    wide = page.viewport_size
    page.set_viewport_size({"width": 1024, "height": wide["height"]})
    try:
        page.wait_for_function(  # the notebook laid out again at the narrower width
            "() => document.querySelector('.jp-NotebookPanel').getBoundingClientRect().width < 1024 - 250 - 30"
        )
        page.wait_for_timeout(300)
        measures = figure_measures(page)
        assert len(measures) == expected, measures
        for m in measures:
            assert m["texts"] > 0 and m["smallestFont"] >= 10 - 0.05, m
            assert m["boxLeft"] >= m["cellLeft"] - 1 and m["boxRight"] <= m["cellRight"] + 1, m  # never cut off
            assert m["width"] <= m["clientWidth"] + 1 or m["overflowX"] in ("auto", "scroll"), m
        ARTIFACTS_MEASURES[f"{name}_figures_at_1024px"] = measures
        output = page.locator(".jp-OutputArea-output").filter(has=page.locator(".autograd-lab-figure svg")).first
        output.scroll_into_view_if_needed()
        output.screenshot(path=str(artifacts / f"{name}_figures_at_1024px.png"))
        return measures
    finally:
        page.set_viewport_size(wide)


ARTIFACTS_MEASURES: dict[str, list[dict[str, Any]]] = {}


def save_measures(artifacts: Path) -> None:
    (artifacts / "graph_measures.json").write_text(json.dumps(ARTIFACTS_MEASURES, indent=1), encoding="utf-8")


# --------------------------------------------------------------------------- the widgets answer


def wait_for_widget_graph(page: Any, index: int, test: str, arg: Any) -> None:
    """Wait until the ``index``-th widget graph satisfies ``test`` (a JS expression over ``text`` and ``arg``)."""
    page.wait_for_function(
        f"""([index, arg]) => {{
            const svgs = document.querySelectorAll('.autograd-lab-graph svg');
            if (svgs.length <= index) {{ return false; }}
            const text = svgs[index].textContent;
            return {test};
        }}""",
        arg=[index, arg],
    )


def type_into_readout(page: Any, index: int, value: str) -> None:
    """Type a value into the ``index``-th slider readout and press Enter, as a student would."""
    readout = page.locator(".widget-readout").nth(index)
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(value)
    page.keyboard.press("Enter")


def test_autograd_lesson_graph_changes_shape_with_the_loop_and_the_if(run_notebook, artifacts):
    notebook = LESSONS / "04_autograd.ipynb"
    page = run_notebook(notebook, before_run=check_pictures_before_running(notebook, artifacts, "lesson_04"))
    assert_live_widgets(page, notebook)
    count = "text.split('MulBackward').length - 1"
    wait_for_widget_graph(page, 0, f"{count} === arg && text.includes('LogBackward')", 3)  # x = 2, n = 3
    assert_graphs_readable(page, "lesson_04", expected=1)
    type_into_readout(page, 1, "1")  # n = 1: one multiplication
    wait_for_widget_graph(page, 0, f"{count} === arg && text.includes('LogBackward')", 1)
    type_into_readout(page, 0, "0.5")  # x = 0.5: y = 0.25 < 1, the other branch
    wait_for_widget_graph(page, 0, "text.includes(arg) && !text.includes('LogBackward')", "NegBackward")
    page.wait_for_function("() => document.body.innerText.includes('el grafo cambió de rama: ahora NegBackward')")
    screenshot_cells(page, widget_cells(notebook), lambda i: artifacts / f"lesson_04_cell{i}_after_the_if.png")
    assert_graphs_readable(page, "lesson_04", expected=1)
    assert_prints_what_was_stored(page, notebook)
    save_measures(artifacts)


def test_graph_lesson_draws_d_and_its_explorer_shows_both_paths(run_notebook, artifacts):
    notebook = LESSONS / "05_grafo_computacional.ipynb"
    page = run_notebook(notebook, before_run=check_pictures_before_running(notebook, artifacts, "lesson_05"))
    assert_live_widgets(page, notebook)  # draw(d) is a live graph view too
    wait_for_widget_graph(  # draw(d): the lecture's graph, d = 8
        page, 0, "arg.every(word => text.includes(word))", ["AddBackward", "MulBackward", "valor = 8"]
    )
    wait_for_widget_graph(page, 1, "text.includes(arg)", "grad = 4")  # a.grad = b + 1 with b = 3
    type_into_readout(page, 1, "5")  # b = 5: a.grad = 6
    wait_for_widget_graph(page, 1, "text.includes(arg)", "grad = 6")
    assert_graphs_readable(page, "lesson_05", expected=2)
    screenshot_cells(page, pictured_cells(notebook), lambda i: artifacts / f"lesson_05_cell{i}_live.png")
    assert_prints_what_was_stored(page, notebook)
    save_measures(artifacts)


def stepper_output(page: Any, stepper: int) -> Any:
    return page.locator(".jp-OutputArea-output").filter(has=page.get_by_role("button", name="Siguiente")).nth(stepper)


def expect_counter(page: Any, stepper: int, step: int) -> None:
    """The stepper's counter (its slider's readout) comes to show ``step``."""
    expect(stepper_output(page, stepper).locator(".widget-readout")).to_have_text(str(step))


def test_forward_backward_lesson_steppers_walk_the_real_backward(run_notebook, artifacts):
    notebook = LESSONS / "06_forward_backward.ipynb"
    page = run_notebook(notebook, before_run=check_pictures_before_running(notebook, artifacts, "lesson_06"))
    assert_live_widgets(page, notebook)
    next_buttons = page.get_by_role("button", name="Siguiente")
    next_buttons.first.wait_for()
    assert next_buttons.count() == 2  # the lecture's example and the neuron
    page.wait_for_function("() => document.body.innerText.includes('Paso 1 de 4: AddBackward')")
    next_buttons.first.click()
    page.wait_for_function("() => document.body.innerText.includes('Paso 2 de 4: MulBackward')")
    expect_counter(page, 0, 2)  # the counter and the title agree
    page.get_by_role("button", name="Final").first.click()
    page.wait_for_function("() => document.body.innerText.includes('a.grad = 1 + 3 = 4')")
    expect(stepper_output(page, 0)).to_contain_text(re.compile(r"Paso 4 de 4: AccumulateGrad \(a\)"))
    expect_counter(page, 0, 4)
    expect(stepper_output(page, 1)).to_contain_text("Paso 1 de 8")
    next_buttons.nth(1).click()
    page.wait_for_function("() => document.body.innerText.includes('Paso 2 de 8')")
    expect_counter(page, 1, 2)
    wait_for_graphs(page, 2)  # each stepper draws its graph
    assert_graphs_readable(page, "lesson_06", expected=2)
    screenshot_cells(page, widget_cells(notebook), lambda i: artifacts / f"lesson_06_cell{i}_live.png")
    assert_prints_what_was_stored(page, notebook)
    save_measures(artifacts)


def test_gradients_lesson_sensitivity_explorer_answers_the_slider(run_notebook, artifacts):
    notebook = LESSONS / "02_gradientes.ipynb"
    page = run_notebook(notebook, before_run=check_pictures_before_running(notebook, artifacts, "lesson_02"))
    assert_live_widgets(page, notebook)
    page.wait_for_function("() => document.body.innerText.includes('real 6.125, predicho 4.5')")  # dx = 0.5
    type_into_readout(page, 0, "0.01")
    page.wait_for_function("() => document.body.innerText.includes('real 0.0906, predicho 0.09')")
    page.wait_for_function(  # the plot follows the slider too (its title repeats the readout)
        "() => Array.from(document.querySelectorAll('.autograd-lab-figure svg'))"
        ".some(svg => svg.textContent.includes('real 0.0906'))"
    )
    # the plot is vector (sharp at any size); slider, readout and plot fit on one screen
    widget = page.locator(".jp-OutputArea-output").filter(has=page.locator(".autograd-lab-figure svg")).first
    box = widget.bounding_box()
    assert box is not None and box["height"] <= 900 - 120, box  # the page is 900 px tall, the toolbars ~120
    plot = widget.locator(".autograd-lab-figure svg").bounding_box()
    assert plot is not None and plot["width"] > 300
    assert_figures_readable(page, "lesson_02", expected=1)
    assert_figures_readable_when_narrow(page, "lesson_02", 1, artifacts)
    screenshot_cells(page, widget_cells(notebook), lambda i: artifacts / f"lesson_02_cell{i}_live.png")
    assert_prints_what_was_stored(page, notebook)


def test_why_it_matters_lesson_trains_live_with_the_monitor(run_notebook, artifacts):
    notebook = LESSONS / "08_por_que_importa.ipynb"
    page = run_notebook(notebook, before_run=check_pictures_before_running(notebook, artifacts, "lesson_08"))
    page.wait_for_function("() => document.body.innerText.includes('paso 200/200')")
    assert_live_widgets(page, notebook)
    page.locator(".autograd-lab-figure svg").first.wait_for()  # the monitor's plots
    assert_figures_readable(page, "lesson_08", expected=1)  # three panels side by side, none shrunk
    narrow = assert_figures_readable_when_narrow(page, "lesson_08", 1, artifacts)
    assert narrow[0]["outputWidth"] < narrow[0]["naturalWidth"], narrow  # narrower than the plots' own size
    assert_graphs_readable(page, "lesson_08", expected=1)  # the network's graph, drawn by draw()
    screenshot_cells(page, widget_cells(notebook), lambda i: artifacts / f"lesson_08_cell{i}_live.png")
    assert_prints_what_was_stored(page, notebook)
    save_measures(artifacts)
