"""tools/execute_notebooks.py: stored widget model ids do not change from one run to the next."""

import importlib.util
import uuid
from pathlib import Path

import nbformat

TOOL = Path(__file__).resolve().parents[1] / "tools" / "execute_notebooks.py"
spec = importlib.util.spec_from_file_location("execute_notebooks", TOOL)
execute_notebooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(execute_notebooks)

VIEW, STATE = execute_notebooks.WIDGET_VIEW, execute_notebooks.WIDGET_STATE


def widget_notebook(ids):
    """A notebook as nbclient stores it: a VBox holding a slider and a label, linked to a Play, plus a plain widget."""
    box, slider, label, play, link, lone = ids
    nb = nbformat.v4.new_notebook()
    view = {"model_id": box, "version_major": 2, "version_minor": 0}
    nb.cells = [
        nbformat.v4.new_code_cell(
            "w", outputs=[nbformat.v4.new_output("execute_result", {VIEW: view, "text/plain": "w"}, execution_count=1)]
        ),
        nbformat.v4.new_code_cell(
            "x",
            outputs=[
                nbformat.v4.new_output(
                    "display_data", {VIEW: {"model_id": lone, "version_major": 2, "version_minor": 0}}
                )
            ],
        ),
    ]
    state = {  # stored in id order, as nbclient does: that order is random from run to run
        box: {"model_name": "VBoxModel", "state": {"children": [f"IPY_MODEL_{slider}", f"IPY_MODEL_{label}"]}},
        slider: {"model_name": "IntSliderModel", "state": {"value": 1}},
        label: {"model_name": "HTMLModel", "state": {"value": "<b>hola</b>"}},
        play: {"model_name": "PlayModel", "state": {"value": 1}},
        link: {"model_name": "LinkModel", "state": {"source": [f"IPY_MODEL_{play}", "value"]}},
        lone: {"model_name": "ButtonModel", "state": {"description": "ok"}},
    }
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
    nb.metadata["widgets"] = {STATE: {"state": dict(sorted(state.items())), "version_major": 2, "version_minor": 0}}
    return nb


def test_widget_ids_are_derived_from_the_notebook_not_from_chance():
    first = execute_notebooks.stable_widget_ids(widget_notebook([uuid.uuid4().hex for _ in range(6)]), "lesson")
    second = execute_notebooks.stable_widget_ids(widget_notebook([uuid.uuid4().hex for _ in range(6)]), "lesson")
    assert nbformat.writes(first) == nbformat.writes(second)
    state = first.metadata["widgets"][STATE]["state"]
    box_id = first.cells[0].outputs[0]["data"][VIEW]["model_id"]
    assert state[box_id]["model_name"] == "VBoxModel"  # references are renamed with their models
    assert all(child[len("IPY_MODEL_") :] in state for child in state[box_id]["state"]["children"])
    link = next(model for model in state.values() if model["model_name"] == "LinkModel")
    assert link["state"]["source"][0][len("IPY_MODEL_") :] in state
    other = execute_notebooks.stable_widget_ids(widget_notebook([uuid.uuid4().hex for _ in range(6)]), "other")
    assert set(other.metadata["widgets"][STATE]["state"]).isdisjoint(state)  # ids differ between notebooks


def test_outputs_get_stable_ids_without_the_stored_state():
    def without_state(ids):
        nb = widget_notebook(ids)
        del nb.metadata["widgets"]
        return nb

    first = execute_notebooks.stable_widget_ids(without_state([uuid.uuid4().hex for _ in range(6)]), "lesson")
    second = execute_notebooks.stable_widget_ids(without_state([uuid.uuid4().hex for _ in range(6)]), "lesson")
    assert nbformat.writes(first) == nbformat.writes(second)


def test_a_notebook_without_widgets_is_left_alone():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("1 + 1")]
    assert execute_notebooks.stable_widget_ids(nb, "plain") is nb


def test_consecutive_printed_outputs_are_joined_however_the_kernel_flushed():
    def printed(pieces):
        nb = nbformat.v4.new_notebook()
        outputs = [nbformat.v4.new_output("stream", name=name, text=text) for name, text in pieces]
        nb.cells = [nbformat.v4.new_code_cell("print(...)", outputs=outputs)]
        return execute_notebooks.joined_streams(nb).cells[0].outputs

    one_flush = printed([("stdout", "a = 1\nb = 2\n"), ("stderr", "aviso\n"), ("stdout", "c = 3\n")])
    two_flushes = printed([("stdout", "a = 1"), ("stdout", "\nb = 2\n"), ("stderr", "aviso\n"), ("stdout", "c = 3\n")])
    assert one_flush == two_flushes
    assert [(o["name"], o["text"]) for o in two_flushes] == [
        ("stdout", "a = 1\nb = 2\n"),
        ("stderr", "aviso\n"),
        ("stdout", "c = 3\n"),
    ]
