"""The lessons with graph and stepper widgets, run in a real JupyterLab (headless Chromium).

Each test opens a lesson from ``notebooks/``, runs all its cells, checks that the
widgets render and answer to the controls a student uses, and that the text the
student sees printed is the text stored in the notebook.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.parse
from pathlib import Path
from typing import Any

LESSONS = Path(__file__).resolve().parents[2] / "notebooks"
IGNORE_TAG = "nbval-ignore-output"


def stored_printed_texts(notebook: Path) -> list[str | None]:
    """Per code cell: what it printed when stored (None when it showed something else or is not compared)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    texts: list[str | None] = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        outputs = cell["outputs"]
        ignored = IGNORE_TAG in cell.get("metadata", {}).get("tags", []) or "twin(" in source  # twin: needs PyTorch
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


def widget_graph_texts(page: Any) -> list[str]:
    """The text of every graph drawn inside a widget, in page order."""
    return page.evaluate("() => Array.from(document.querySelectorAll('.widget-html svg')).map(s => s.textContent)")


def wait_for_widget_graph(page: Any, index: int, test: str, arg: Any) -> None:
    """Wait until the ``index``-th widget graph satisfies ``test`` (a JS expression over ``text`` and ``arg``)."""
    page.wait_for_function(
        f"""([index, arg]) => {{
            const svgs = document.querySelectorAll('.widget-html svg');
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


def svg_outputs(page: Any) -> list[str]:
    """The SVG documents JupyterLab shows as cell outputs (rendered as images), decoded."""
    sources = page.evaluate(
        "() => Array.from(document.querySelectorAll('.jp-RenderedSVG img')).filter(i => i.naturalWidth > 0)"
        ".map(i => i.src)"
    )
    documents = []
    for source in sources:
        header, _, data = source.partition(",")
        documents.append(base64.b64decode(data).decode() if ";base64" in header else urllib.parse.unquote(data))
    return documents


def test_autograd_lesson_graph_changes_shape_with_the_loop_and_the_if(run_notebook, artifacts):
    notebook = LESSONS / "04_autograd.ipynb"
    page = run_notebook(notebook)
    count = "text.split('MulBackward').length - 1"
    wait_for_widget_graph(page, 0, f"{count} === arg && text.includes('LogBackward')", 3)  # x = 2, n = 3
    type_into_readout(page, 1, "1")  # n = 1: one multiplication
    wait_for_widget_graph(page, 0, f"{count} === arg && text.includes('LogBackward')", 1)
    type_into_readout(page, 0, "0.5")  # x = 0.5: y = 0.25 < 1, the other branch
    wait_for_widget_graph(page, 0, "text.includes(arg) && !text.includes('LogBackward')", "NegBackward")
    page.screenshot(path=str(artifacts / "lesson_04_graph_explorer.png"), full_page=True)
    assert_prints_what_was_stored(page, notebook)


def test_graph_lesson_draws_d_and_its_explorer_shows_both_paths(run_notebook, artifacts):
    notebook = LESSONS / "05_grafo_computacional.ipynb"
    page = run_notebook(notebook)
    page.wait_for_function("() => document.querySelectorAll('.jp-RenderedSVG img').length > 0")
    drawings = svg_outputs(page)
    assert any("AddBackward" in svg and "MulBackward" in svg and "8.0" in svg for svg in drawings), drawings
    wait_for_widget_graph(page, 0, "text.includes(arg)", "grad = 4.0")  # a.grad = b + 1 with b = 3
    type_into_readout(page, 1, "5")  # b = 5: a.grad = 6
    wait_for_widget_graph(page, 0, "text.includes(arg)", "grad = 6.0")
    page.screenshot(path=str(artifacts / "lesson_05_graph.png"), full_page=True)
    assert_prints_what_was_stored(page, notebook)


def panel_text(page: Any, stepper: int) -> str:
    return (
        page.locator(".jp-OutputArea-output")
        .filter(has=page.get_by_role("button", name="Siguiente"))
        .nth(stepper)
        .inner_text()
    )


def test_forward_backward_lesson_steppers_walk_the_real_backward(run_notebook, artifacts):
    notebook = LESSONS / "06_forward_backward.ipynb"
    page = run_notebook(notebook)
    next_buttons = page.get_by_role("button", name="Siguiente")
    next_buttons.first.wait_for()
    assert next_buttons.count() == 2  # the lecture's example and the neuron
    page.wait_for_function("() => document.body.innerText.includes('Paso 1 de 4: AddBackward')")
    next_buttons.first.click()
    page.wait_for_function("() => document.body.innerText.includes('Paso 2 de 4: MulBackward')")
    page.get_by_role("button", name="Final").first.click()
    page.wait_for_function("() => document.body.innerText.includes('a.grad = 1.0 + 3.0 = 4.0')")
    assert re.search(r"Paso 4 de 4: AccumulateGrad \(a\)", panel_text(page, 0))
    assert "Paso 1 de 8" in panel_text(page, 1)
    next_buttons.nth(1).click()
    page.wait_for_function("() => document.body.innerText.includes('Paso 2 de 8')")
    assert len(widget_graph_texts(page)) == 2  # each stepper draws its graph
    page.screenshot(path=str(artifacts / "lesson_06_stepper.png"), full_page=True)
    assert_prints_what_was_stored(page, notebook)


def test_gradients_lesson_sensitivity_explorer_answers_the_slider(run_notebook):
    notebook = LESSONS / "02_gradientes.ipynb"
    page = run_notebook(notebook)
    page.wait_for_function("() => document.body.innerText.includes('real 6.125, predicho 4.5')")  # dx = 0.5
    type_into_readout(page, 0, "0.01")
    page.wait_for_function("() => document.body.innerText.includes('real 0.0906, predicho 0.09')")
    assert page.evaluate("() => Array.from(document.querySelectorAll('.widget-image')).some(i => i.naturalWidth > 0)")
    assert_prints_what_was_stored(page, notebook)


def test_why_it_matters_lesson_trains_live_with_the_monitor(run_notebook, artifacts):
    notebook = LESSONS / "08_por_que_importa.ipynb"
    page = run_notebook(notebook)
    page.wait_for_function("() => document.body.innerText.includes('paso 200/200')")
    assert page.evaluate("() => Array.from(document.querySelectorAll('.widget-image')).some(i => i.naturalWidth > 0)")
    page.screenshot(path=str(artifacts / "lesson_08_training.png"), full_page=True)
    assert_prints_what_was_stored(page, notebook)
