"""The lesson notebooks follow the lecture and are stored executed, clean and reproducible.

The lecture (Spanish) is one slide deck; each of its sections is one notebook in
``notebooks/``.  These tests read the stored ``.ipynb`` files (they do not run
them: ``pytest --nbval notebooks`` re-executes them and compares the outputs).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from autograd_lab.course.your_turn import TASKS

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
STUDENT_FOLDERS = ("notebooks", "exercises", "solutions")  # every notebook a student or instructor opens
MAX_CODE_LINES = 15
MIN_ANSWER_CHARS = 150
ANSWER_OPENING = "<details><summary>Respuesta sugerida</summary>"


@dataclass
class Question:
    text: str
    after: str  # the lecture line just before the question: the lesson must say it first
    before: str | None = None  # the lecture line just after it (same section), if any


@dataclass
class Section:
    notebook: str
    title: str
    statements: list[str]
    questions: list[Question] = field(default_factory=list)


# The lecture, section by section, as the slides say it (formatting aside).
LECTURE = [
    Section(
        "00_introduccion",
        "Introducción",
        [
            "Objetivos de la sesión",
            "Entender cómo PyTorch representa cálculos matemáticos",
            "Ver de dónde salen los gradientes",
            "Interpretar .backward() como recorrido de un grafo",
            "Preparar la implementación manual de una red neuronal",
        ],
        [
            Question(
                "¿Qué parte del entrenamiento de una red te resulta más “mágica” hasta ahora?",
                after="Preparar la implementación manual de una red neuronal",
            )
        ],
    ),
    Section(
        "01_tensores",
        "¿Qué es un Tensor?",
        [
            "Más que un array",
            "Un tensor es una generalización matemática:",
            "Escalar → tensor 0D",
            "Vector → tensor 1D",
            "Matriz → tensor 2D",
            "Tensor ND → imágenes, secuencias, lotes",
            "En PyTorch, un tensor no solo almacena datos, también participa en un grafo.",
            "Propiedades relevantes para deep learning",
            "Tienen forma (shape)",
            "Tienen tipo (dtype)",
            "Pueden vivir en CPU o GPU",
            "Pueden recordar operaciones",
            "Esta “memoria” es la base del cálculo automático de gradientes.",
        ],
        [
            Question(
                "¿Qué tipo de tensor representaría una imagen RGB de 224×224 ?",
                after="En PyTorch, un tensor no solo almacena datos, también participa en un grafo.",
                before="Propiedades relevantes para deep learning",
            ),
            Question(
                "¿Por qué un array de NumPy no es suficiente para entrenar una red neuronal?",
                after="Esta “memoria” es la base del cálculo automático de gradientes.",
            ),
        ],
    ),
    Section(
        "02_gradientes",
        "Gradientes",
        [
            "Sensibilidad local",
            "El gradiente mide:",
            "Cómo cambia una salida ante cambios pequeños en un parámetro",
            "En aprendizaje automático:",
            "Parámetros = pesos y sesgos",
            "Gradientes indican cómo ajustarlos",
            "Los gradientes son locales, no globales.",
        ],
        [
            Question(
                "Si un gradiente es cero, ¿qué nos dice eso sobre ese parámetro?",
                after="Los gradientes son locales, no globales.",
            )
        ],
    ),
    Section(
        "03_derivadas_a_mano",
        "El problema clásico",
        [
            "Derivadas a mano no escalan",
            "Redes reales tienen millones de parámetros",
            "Cada parámetro requiere una derivada parcial",
            "El proceso manual es inviable en la práctica",
            "Necesitamos un sistema automático y confiable.",
        ],
        [
            Question(
                "¿El problema es matemático o práctico? ¿Por qué?",
                after="Necesitamos un sistema automático y confiable.",
            )
        ],
    ),
    Section(
        "04_autograd",
        "Diferenciación automática en PyTorch",
        [
            "Autograd es el sistema que:",
            "① Registra operaciones matemáticas",
            "② Construye un grafo computacional",
            "③ Aplica la regla de la cadena",
            "El grafo se construye dinámicamente, mientras el código se ejecuta.",
        ],
        [
            Question(
                "¿Por qué es importante que el grafo sea dinámico y no fijo?",
                after="El grafo se construye dinámicamente, mientras el código se ejecuta.",
            )
        ],
    ),
    Section(
        "05_grafo_computacional",
        "Grafo Computacional",
        [
            r"d = a \cdot b + a",
            "Intuición visual",
            "Cada nodo representa una operación real ejecutada en el código.",
        ],
        [
            Question(
                "¿Por qué el tensor a aparece dos veces en este grafo?",
                after="Cada nodo representa una operación real ejecutada en el código.",
            )
        ],
    ),
    Section(
        "06_forward_backward",
        "Forward y Backward",
        [
            "Dos fases del mismo proceso",
            "Forward pass: calcular valores",
            "Backward pass: propagar gradientes",
            "El backward pass no “invierte” el cálculo:",
            "Aplica la regla de la cadena siguiendo las dependencias del grafo",
        ],
        [
            Question(
                "¿El backward pass necesita volver a ejecutar el forward? ¿Por qué?",
                after="Aplica la regla de la cadena siguiendo las dependencias del grafo",
            )
        ],
    ),
    Section(
        "07_no_es_magia",
        "Qué NO es magia",
        [
            "Desmitificando el entrenamiento",
            "PyTorch no “adivina” derivadas",
            "No hay reglas especiales para redes neuronales",
            "Todo se reduce a:",
            "Las redes neuronales son grafos grandes, no objetos especiales.",
        ],
        [
            Question(
                "¿Qué operación básica aparece en todas las capas de una red?",
                after="Las redes neuronales son grafos grandes, no objetos especiales.",
            )
        ],
    ),
    Section(
        "08_por_que_importa",
        "¿Por qué esto importa?",
        [
            "Conexión con redes neuronales",
            "Cada capa = operaciones en un grafo",
            "Entrenar = recorrer el grafo hacia atrás",
            "Optimizadores = usar los gradientes calculados",
            "Sin autograd, no hay deep learning moderno.",
        ],
        [
            Question(
                "¿Qué parte de este proceso cambiaría si la red tuviera más capas?",
                after="Sin autograd, no hay deep learning moderno.",
            )
        ],
    ),
    Section(
        "09_resumen",
        "Resumen",
        [
            "Tensores almacenan datos y relaciones",
            "Autograd construye grafos computacionales",
            ".backward() aplica la regla de la cadena",
            "Esto es la base de backpropagation",
        ],
        [
            Question(
                "¿Qué concepto de esta sesión es imprescindible para construir una red desde cero?",
                after="Esto es la base de backpropagation",
            )
        ],
    ),
]
SECTIONS = {section.notebook: section for section in LECTURE}

# Calls that draw random numbers: a notebook must seed before its first one.
RANDOM_CALL = re.compile(
    r"\b(randn|rand|randint|randperm|randn_like|rand_like|normal_|uniform_|make_moons|make_circles|"
    r"make_spirals|Linear|Dropout|shuffle)\s*\("
)
TIMING_CALL = re.compile(r"\b(perf_counter|process_time|timeit|time\.time|best_time)\b")
IGNORE_TAG = "nbval-ignore-output"
TWIN_IMPORT = 'pytorch = importlib.import_module("torch") if importlib.util.find_spec("torch") else None'
YOUR_TURN_HEADING = "## Tu turno"
YOUR_TURN_CALL = re.compile(r'your_turn\("(\d\d)", [A-Za-z_]\w*\)')  # the one-line formative check
# graphviz's SVG changes with its version; nbval itself skips PNGs and widget model ids
# (a widget's text/plain repr is compared, so widgets need a stable repr, not a mark).
UNSTABLE_MIME = ("image/svg+xml",)


def normalize(text: str) -> str:
    """Lecture or markdown text without formatting: no **, backticks, typographic quotes or extra spaces."""
    text = re.sub(r"[*`]", "", text)
    for quote in "“”«»":
        text = text.replace(quote, '"')
    text = re.sub(r"\s+", " ", text).strip()
    return text.replace(" ?", "?")


def load(name: str) -> dict[str, Any]:
    return json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))


def source(cell: dict[str, Any]) -> str:
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


def code_cells(notebook: dict[str, Any]) -> list[dict[str, Any]]:
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def markdown_texts(notebook: dict[str, Any]) -> list[str]:
    """Normalized text of every cell, markdown only ('' for code cells, to keep indices)."""
    return [normalize(source(cell)) if cell["cell_type"] == "markdown" else "" for cell in notebook["cells"]]


def first_cell_saying(texts: list[str], statement: str) -> int | None:
    wanted = normalize(statement).rstrip(".:")
    return next((i for i, text in enumerate(texts) if wanted in text), None)


def is_ignored(cell: dict[str, Any]) -> bool:
    """The cell carries nbval's tag (the test machinery stays in metadata, out of the student's sight)."""
    return IGNORE_TAG in cell.get("metadata", {}).get("tags", [])


def output_texts(cell: dict[str, Any]) -> list[str]:
    texts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            texts.append("".join(output["text"]))
        for mime in ("text/plain", "text/html"):
            value = output.get("data", {}).get(mime)
            if value is not None:
                texts.append(value if isinstance(value, str) else "".join(value))
    return texts


def cell_label(name: str, notebook: dict[str, Any], cell: dict[str, Any]) -> str:
    first_line = source(cell).strip().splitlines()[0] if source(cell).strip() else ""
    return f"{name}.ipynb cell {notebook['cells'].index(cell)} ({first_line[:60]!r})"


def is_your_turn_check(cell: dict[str, Any]) -> bool:
    return cell["cell_type"] == "code" and YOUR_TURN_CALL.fullmatch(source(cell).strip()) is not None


LESSONS = [section.notebook for section in LECTURE]
WITH_YOUR_TURN = LESSONS[1:9]  # 01 to 08 end with «Tu turno»; 00 introduces, 09 closes with a quiz
QUESTIONS = [(section.notebook, question) for section in LECTURE for question in section.questions]


def test_one_lesson_per_lecture_section_in_order():
    assert sorted(path.stem for path in NOTEBOOKS.glob("*.ipynb")) == LESSONS


@pytest.mark.parametrize("name", LESSONS)
def test_title_is_the_lecture_section(name):
    notebook = load(name)
    first = notebook["cells"][0]
    assert first["cell_type"] == "markdown", f"{name}: the first cell must be the title (markdown)"
    title = source(first).splitlines()[0]
    assert title == f"# {name[:2]} · {SECTIONS[name].title}", f"{name}: title {title!r}"


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_says_everything_its_lecture_section_says(name):
    texts = markdown_texts(load(name))
    missing = [line for line in SECTIONS[name].statements if first_cell_saying(texts, line) is None]
    assert not missing, f"{name} does not say: {missing}"


@pytest.mark.parametrize(("name", "question"), QUESTIONS, ids=[q.text[:40] for _, q in QUESTIONS])
def test_question_is_asked_where_the_lecture_asks_it(name, question):
    notebook = load(name)
    texts = markdown_texts(notebook)
    asked = [i for i, text in enumerate(texts) if normalize(question.text) in text]
    assert len(asked) == 1, f"{name}: the question must appear exactly once, found it in cells {asked}"
    (where,) = asked
    cell = source(notebook["cells"][where])
    assert cell.startswith("**Pregunta:** "), f"{name}: a question cell starts with '**Pregunta:** '"
    assert ANSWER_OPENING in cell and cell.rstrip().endswith("</details>"), f"{name}: no collapsible answer"
    answer = cell.split(ANSWER_OPENING, 1)[1].rsplit("</details>", 1)[0]
    assert len(answer.strip()) >= MIN_ANSWER_CHARS, f"{name}: the suggested answer is too short"
    said_before = first_cell_saying(texts, question.after)
    assert said_before is not None and said_before < where, f"{name}: say {question.after!r} before asking"
    if question.before is not None:
        said_after = first_cell_saying(texts, question.before)
        assert said_after is not None and said_after > where, f"{name}: {question.before!r} comes after the question"


def test_no_question_cell_without_a_lecture_question():
    known = [normalize(question.text) for _, question in QUESTIONS]
    for name in LESSONS:
        for text in markdown_texts(load(name)):
            if text.startswith("Pregunta:"):
                assert any(question in text for question in known), f"{name}: extra question cell {text[:80]!r}"


@pytest.mark.parametrize("name", LESSONS)
def test_stored_executed_top_to_bottom_without_errors(name):
    notebook = load(name)
    cells = code_cells(notebook)
    assert cells, f"{name} has no code"
    counts = [cell["execution_count"] for cell in cells]
    assert counts == list(range(1, len(cells) + 1)), f"{name}: run it top to bottom in a fresh kernel ({counts})"
    for cell in cells:
        kinds = [output["output_type"] for output in cell["outputs"]]
        assert "error" not in kinds, f"error output in {cell_label(name, notebook, cell)}"
        stderr = [o for o in cell["outputs"] if o["output_type"] == "stream" and o["name"] == "stderr"]
        assert not stderr, f"stderr (warnings) in {cell_label(name, notebook, cell)}"


@pytest.mark.parametrize("name", LESSONS)
def test_every_code_cell_is_short_introduced_and_shows_something(name):
    notebook = load(name)
    cells = notebook["cells"]
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        label = cell_label(name, notebook, cell)
        lines = source(cell).strip().splitlines()
        assert len(lines) <= MAX_CODE_LINES, f"{label} has {len(lines)} lines"
        if is_your_turn_check(cell):  # follows the task cell it checks
            assert cells[index - 1]["cell_type"] == "code", f"{label}: a «Tu turno» check follows its task"
            continue
        assert index > 0 and cells[index - 1]["cell_type"] == "markdown", f"{label}: no text before it"
        is_task = index + 1 < len(cells) and is_your_turn_check(cells[index + 1])  # the student writes here
        assert cell["outputs"] or is_task, f"{label} shows nothing"


@pytest.mark.parametrize("name", LESSONS)
def test_random_numbers_are_seeded(name):
    code = "\n".join(source(cell) for cell in code_cells(load(name)))
    first_random = RANDOM_CALL.search(code)
    if first_random is None:
        return
    seed = code.find("manual_seed(")
    assert 0 <= seed < first_random.start(), f"{name}: call torch.manual_seed before {first_random.group(0)!r}"


@pytest.mark.parametrize("name", LESSONS)
def test_outputs_nbval_cannot_compare_are_marked(name):
    notebook = load(name)
    for cell in code_cells(notebook):
        mimes = {mime for output in cell["outputs"] for mime in output.get("data", {})}
        unstable = TIMING_CALL.search(source(cell)) or mimes.intersection(UNSTABLE_MIME)
        if unstable:
            assert is_ignored(cell), f"{cell_label(name, notebook, cell)}: tag it {IGNORE_TAG!r}"


@pytest.mark.parametrize("name", LESSONS)
def test_printed_numbers_are_plain(name):
    notebook = load(name)
    for cell in code_cells(notebook):
        for text in output_texts(cell):
            assert not re.search(r"np\.(float|int)\d+\(", text), f"{cell_label(name, notebook, cell)}: round it"
            assert " at 0x" not in text, f"{cell_label(name, notebook, cell)}: a memory address in the output"


NEGATIVE_ZERO = re.compile(r"(?<![\w.])-0(\.0*)?(?![\d.])")  # -0, -0., -0.0 (not -0.25 or 1e-05)


def test_the_negative_zero_search_finds_it_and_only_it():
    assert [m.group(0) for m in NEGATIVE_ZERO.finditer("g = -0.0, [-0., 1.], -0 y")] == ["-0.0", "-0.", "-0"]
    assert not NEGATIVE_ZERO.search("-0.2369  5.9e-02  x-0  0.0  10-0.5")


@pytest.mark.parametrize("name", LESSONS)
def test_no_negative_zero_is_printed(name):
    notebook = load(name)
    for cell in code_cells(notebook):
        for text in output_texts(cell):
            found = NEGATIVE_ZERO.search(text)
            assert found is None, f"{cell_label(name, notebook, cell)} prints {found.group(0)!r}: write 0"


NODE_NAME = re.compile(r"\b(?:[A-Z]\w*Backward\d*|AccumulateGrad)\b")


def node_names_in_sentences(text: str) -> list[tuple[str, str]]:
    """(name, sentence) for every node name a markdown text mentions."""
    sentences = re.split(r"(?<=[.!?])\s+|\n\s*\n", text)
    return [(name, sentence) for sentence in sentences for name in NODE_NAME.findall(sentence)]


def test_node_names_in_the_prose_are_the_ones_the_lessons_print():
    """A node the prose names is one the library prints, unless the sentence says it is PyTorch's name."""
    notebooks = {name: load(name) for name in LESSONS}
    printed = {
        found
        for notebook in notebooks.values()
        for cell in code_cells(notebook)
        for text in output_texts(cell)
        for found in NODE_NAME.findall(text)
    }
    assert "AccumulateGrad" in printed and any(found.startswith("MulBackward") for found in printed)
    unknown = [
        f"{name}: {found} in {sentence[:90]!r}"
        for name, notebook in notebooks.items()
        for cell in notebook["cells"]
        if cell["cell_type"] == "markdown"
        for found, sentence in node_names_in_sentences(source(cell))
        if found not in printed and "PyTorch" not in sentence
    ]
    assert not unknown, "the lessons print other names:\n" + "\n".join(unknown)


def test_the_node_name_search_reads_sentences():
    text = "El nodo `MulBackward` suma. En PyTorch se llama `MulBackward0`.\n\n`AccumulateGrad` guarda x."
    assert node_names_in_sentences(text) == [
        ("MulBackward", "El nodo `MulBackward` suma."),
        ("MulBackward0", "En PyTorch se llama `MulBackward0`."),
        ("AccumulateGrad", "`AccumulateGrad` guarda x."),
    ]


@pytest.mark.parametrize("name", LESSONS)
def test_lessons_use_autograd_lab_not_pytorch(name):
    notebook = load(name)
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    code = "\n".join(source(cell) for cell in code_cells(notebook))
    assert "import autograd_lab as torch" in code
    assert not re.search(r"^\s*(import torch\b|from torch\b)", code, re.MULTILINE), f"{name} imports PyTorch"
    for cell in code_cells(notebook):  # real PyTorch only in a twin cell: loaded if installed, run beside ours
        if '"torch"' in source(cell):
            assert TWIN_IMPORT in source(cell) and "twin(" in source(cell), cell_label(name, notebook, cell)


@pytest.mark.parametrize("name", WITH_YOUR_TURN)
def test_lesson_ends_with_your_turn_a_task_and_its_one_line_check(name):
    notebook = load(name)
    *before, heading, task, check = notebook["cells"]
    assert heading["cell_type"] == "markdown" and source(heading).startswith(YOUR_TURN_HEADING + "\n"), name
    assert not any(source(cell).startswith(YOUR_TURN_HEADING) for cell in before), f"{name}: one «Tu turno», last"
    assert task["cell_type"] == "code" and "raise NotImplementedError" in source(task), f"{name}: a task to write"
    call = YOUR_TURN_CALL.fullmatch(source(check).strip())
    assert call is not None and call.group(1) == name[:2], f"{name}: the last cell is your_turn({name[:2]!r}, ...)"
    exercise = TASKS[name[:2]].exercise
    assert f"(../exercises/{exercise}.ipynb)" in source(heading), f"{name}: link the exercise {exercise}"
    shown = " ".join(output_texts(check))
    assert f"Tu turno {name[:2]} · pendiente" in shown, f"{name}: stored with the task unsolved ({shown[:80]!r})"


def test_no_lesson_outside_01_to_08_has_a_your_turn():
    for name in set(LESSONS) - set(WITH_YOUR_TURN):
        assert not any(source(cell).startswith(YOUR_TURN_HEADING) for cell in load(name)["cells"]), name


def test_ignore_tag_is_read_from_the_metadata_only():
    assert is_ignored({"source": "x = 1", "metadata": {"tags": ["nbval-ignore-output"]}})
    assert not is_ignored({"source": "# NBVAL_IGNORE_OUTPUT\nprint(1)", "metadata": {}})
    assert not is_ignored({"source": "x = 1", "metadata": {"tags": ["raises-exception"]}})


STUDENT_NOTEBOOKS = sorted(path for folder in STUDENT_FOLDERS for path in (ROOT / folder).glob("*.ipynb"))


@pytest.mark.parametrize("path", STUDENT_NOTEBOOKS, ids=[f"{p.parent.name}/{p.stem}" for p in STUDENT_NOTEBOOKS])
def test_students_never_see_the_test_machinery(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for index, cell in enumerate(notebook["cells"]):
        assert not re.search(r"nbval", source(cell), re.IGNORECASE), f"{path.name} cell {index} mentions nbval"


def test_the_test_machinery_check_finds_a_mention():
    cell = {"cell_type": "code", "source": ["# NBVAL_IGNORE_OUTPUT\n", "draw(d)"]}
    assert re.search(r"nbval", source(cell), re.IGNORECASE)
    assert STUDENT_NOTEBOOKS and {p.parent.name for p in STUDENT_NOTEBOOKS} == set(STUDENT_FOLDERS)


def test_normalize_ignores_formatting_only():
    assert normalize("**Forward pass:**  calcular `valores`") == "Forward pass: calcular valores"
    assert normalize("Esta “memoria” es «la» base") == 'Esta "memoria" es "la" base'
    assert normalize("de 224×224 ?") == "de 224×224?"
    assert normalize("sumas") != normalize("restas")
