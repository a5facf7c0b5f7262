"""One Spanish term per concept, everywhere a student reads: lessons, exercises, widgets and feedback.

The glossary (``autograd_lab.course.glossary``) names the term we use for each
concept and the variants we avoid; lesson 09 shows it.  These tests look for
the avoided variants in every notebook cell and stored output a student sees,
and in every Spanish message of the widgets and checks.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import autograd_lab.course.checks  # noqa: F401  (registers the exercise feedback)
import autograd_lab.course.quiz  # noqa: F401
import autograd_lab.course.show  # noqa: F401
import autograd_lab.course.twin  # noqa: F401
import autograd_lab.course.your_turn  # noqa: F401
import autograd_lab.viz.widgets  # noqa: F401  (registers the widgets' texts)
from autograd_lab.course.glossary import AVOID, GLOSSARY, glossary_markdown
from autograd_lab.i18n import MESSAGES

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(
    path for folder in ("notebooks", "exercises", "solutions") for path in (ROOT / folder).glob("*.ipynb")
)
GLOSSARY_HEADING = "## Glosario"


def student_texts(path: Path) -> list[tuple[str, str]]:
    """(where, text) for every cell source and every stored text output of a notebook."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for index, cell in enumerate(notebook["cells"]):
        where = f"{path.parent.name}/{path.name} cell {index}"
        text = "".join(cell["source"])
        if text.startswith(GLOSSARY_HEADING):
            continue  # the glossary itself names the variants we avoid
        found.append((where, text))
        for output in cell.get("outputs", []):
            if output["output_type"] == "stream":
                found.append((f"{where} output", "".join(output["text"])))
            plain = output.get("data", {}).get("text/plain")
            if plain is not None:
                found.append((f"{where} output", "".join(plain)))
    return found


def avoided_uses(text: str) -> list[str]:
    return [f"{avoided.shown!r} in {found.strip()[:100]!r}" for avoided in AVOID for found in avoided.found_in(text)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[f"{p.parent.name}/{p.stem}" for p in NOTEBOOKS])
def test_notebooks_use_one_term_per_concept(path):
    problems = [f"{where}: {use}" for where, text in student_texts(path) for use in avoided_uses(text)]
    assert not problems, "\n".join(problems)


def test_widgets_and_feedback_use_one_term_per_concept():
    assert {key.split(".")[0] for key in MESSAGES} >= {"viz", "check", "show", "your_turn", "quiz", "twin"}
    problems = [f"{key}: {use}" for key, texts in MESSAGES.items() for use in avoided_uses(texts["es"])]
    assert not problems, "\n".join(problems)


def test_the_search_finds_the_variants_and_only_them():
    assert avoided_uses("Precisión en test con tu red: 0.97.")
    assert avoided_uses("Un lote de N ejemplos de D rasgos.")
    assert avoided_uses("El rango de un tensor es su número de dimensiones.")
    assert avoided_uses("Una capa densa con activación ReLU.")
    assert not avoided_uses("Si h es muy pequeño, el redondeo de float32 se come la precisión.")
    assert not avoided_uses("Sin precisión mixta (autocast).")
    assert not avoided_uses('check("ex01.rangos", escalar)')  # an identifier, not prose
    assert not avoided_uses("Un rango de valores entre 0 y 1.")
    assert not avoided_uses("La exactitud en entrenamiento es del 100 %; las características de X.")


def test_the_glossary_has_the_course_terms_in_both_languages():
    spanish = {term.es for term in GLOSSARY}
    for wanted in ["hoja", "`grad_fn`", "`AccumulateGrad`", "orden topológico", "retropropagación", "exactitud"]:
        assert wanted in spanish
    assert {term.en for term in GLOSSARY} >= {"leaf", "backpropagation", "topological order", "accuracy", "feature"}
    assert all(term.meaning_es and term.meaning_en for term in GLOSSARY)
    assert len({term.es for term in GLOSSARY}) == len(GLOSSARY)
    with pytest.raises(ValueError, match="unknown language"):
        glossary_markdown("fr")


def test_lesson_09_shows_the_glossary_as_the_code_defines_it():
    notebook = json.loads((ROOT / "notebooks" / "09_resumen.ipynb").read_text(encoding="utf-8"))
    cells = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"]
    (glossary,) = [cell for cell in cells if cell.startswith(GLOSSARY_HEADING)]
    assert glossary_markdown("es") in glossary
    rows = [line for line in glossary.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == len(GLOSSARY) + 1
    assert re.search(r"\| rasgo \|", glossary)  # the avoided variants are listed
