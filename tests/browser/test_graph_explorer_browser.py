"""GraphExplorer in a real JupyterLab (headless Chromium): move a slider, see the graph redrawn."""

from pathlib import Path

import autograd_lab as torch
from autograd_lab.viz.graph import format_number

NOTEBOOK = Path(__file__).with_name("graph_explorer.ipynb")


def graph_text(page):
    """The text of the graph's SVG, as the browser shows it."""
    return page.evaluate("() => document.querySelector('.autograd-lab-graph svg').textContent")


def wait_for_graph(page, *texts):
    page.wait_for_function(
        """texts => {
            const svg = document.querySelector('.autograd-lab-graph svg');
            return svg !== null && texts.every(text => svg.textContent.includes(text));
        }""",
        arg=list(texts),
    )


def test_moving_a_slider_redraws_the_graph(run_notebook, artifacts):
    page = run_notebook(NOTEBOOK)
    handles = page.locator(".noUi-handle")
    handles.first.wait_for()
    assert handles.count() == 2  # one slider per input: a and b
    wait_for_graph(page, "valor = 2", "valor = 8", "grad = 4")

    # type a new value for a into the slider's readout
    readout = page.locator(".widget-readout").first
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("3.5")
    page.keyboard.press("Enter")
    wait_for_graph(page, "valor = 3.5", "valor = 14", "grad = 3.5")  # d = 3.5*3 + 3.5; dd/db = a

    # move b with the keyboard on its handle; the readout tells the new value
    handle_b = handles.nth(1)
    before = float(handle_b.get_attribute("aria-valuenow"))
    handle_b.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([el, before]) => parseFloat(el.getAttribute('aria-valuenow')) > before",
        arg=[handle_b.element_handle(), before],
    )
    b = float(handle_b.get_attribute("aria-valuenow"))
    a_value, b_value = torch.tensor(3.5), torch.tensor(b)
    d_value = (a_value * b_value + a_value).item()  # what the kernel computes, in float32
    wait_for_graph(page, f"valor = {format_number(b_value.item())}", f"valor = {format_number(d_value)}")
    assert f"grad = {format_number((b_value + 1).item())}" in graph_text(page)  # dd/da = b + 1
    page.screenshot(path=str(artifacts / "graph_explorer.png"), full_page=True)
