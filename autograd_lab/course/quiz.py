"""The recap quiz of lesson 09: multiple-choice and numeric questions, each answer explained.

``Quiz()`` shows every question with a «Comprobar» button; a wrong answer says
why that answer does not work (never which one does) and offers «Ver la
respuesta»; a right one explains itself.  Without widgets, ``answer(3, 0.06)``
gives the same verdict as text.  Questions and texts are in Spanish, or English
after ``autograd_lab.set_language("en")``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets

from ..i18n import get_language, register, t


def _text(texts: dict[str, str]) -> str:
    return texts[get_language()]


@dataclass(frozen=True)
class Option:
    """A multiple-choice option; ``why`` says why it is wrong (None for the right one)."""

    text: dict[str, str]
    why: dict[str, str] | None = None


@dataclass(frozen=True)
class Question:
    """One question: options (multiple choice) or a numeric answer, and the explanation of the answer."""

    lesson: str
    prompt: dict[str, str]
    explanation: dict[str, str]
    options: tuple[Option, ...] = ()
    number: float | None = None  # the answer of a numeric question
    tolerance: float = 1e-6
    hint: dict[str, str] = field(default_factory=dict)  # for a wrong number

    @property
    def right_option(self) -> int:
        """The index of the right option (multiple choice)."""
        return next(i for i, option in enumerate(self.options) if option.why is None)


@dataclass(frozen=True)
class QuizVerdict:
    """How one answer went: ``right``, ``wrong`` or ``invalid`` (not an answer), and what to say."""

    question: int  # 1-based
    status: str
    message: str

    def __repr__(self) -> str:
        mark = {"right": "✔", "wrong": "✘", "invalid": "…"}[self.status]
        return f"{mark} {self.question}. {self.message}"


def _es_en(es: str, en: str) -> dict[str, str]:
    return {"es": es, "en": en}


def _option(es: str, en: str, why_es: str | None = None, why_en: str | None = None) -> Option:
    return Option(_es_en(es, en), None if why_es is None else _es_en(why_es, why_en or ""))


QUESTIONS: tuple[Question, ...] = (
    Question(
        "01",
        _es_en(
            "Un lote de 16 imágenes RGB de 64×64 píxeles, ¿qué forma tiene en PyTorch?",
            "A batch of 16 RGB images of 64×64 pixels: what shape does it have in PyTorch?",
        ),
        _es_en(
            "Un lote de imágenes es un tensor 4D: (ejemplos, canales, alto, ancho), con los canales primero "
            "como en PyTorch: (16, 3, 64, 64).",
            "A batch of images is a 4D tensor: (examples, channels, height, width), channels first as in "
            "PyTorch: (16, 3, 64, 64).",
        ),
        options=(
            _option(
                "(16, 64, 64, 3)",
                "(16, 64, 64, 3)",
                "Esa es la convención de PIL o matplotlib, con los canales al final; PyTorch los pone antes.",
                "That is PIL's or matplotlib's convention, channels last; PyTorch puts them earlier.",
            ),
            _option("(16, 3, 64, 64)", "(16, 3, 64, 64)"),
            _option(
                "(3, 16, 64, 64)",
                "(3, 16, 64, 64)",
                "El primer eje de un lote es el de los ejemplos: cuántas imágenes hay.",
                "The first axis of a batch is the examples axis: how many images there are.",
            ),
            _option(
                "(16, 64, 64)",
                "(16, 64, 64)",
                "Falta el eje de los canales: así sería un lote de imágenes en escala de grises.",
                "The channels axis is missing: that would be a batch of grayscale images.",
            ),
        ),
    ),
    Question(
        "01",
        _es_en(
            "¿Qué tiene un tensor de PyTorch que no tiene un array de NumPy, y que hace posible calcular "
            "gradientes automáticamente?",
            "What does a PyTorch tensor have that a NumPy array lacks, and that makes automatic gradients possible?",
        ),
        _es_en(
            "Con requires_grad=True, cada operación queda registrada: el resultado guarda en grad_fn qué "
            "operación lo produjo. Esa memoria es el grafo que recorre backward().",
            "With requires_grad=True every operation is recorded: the result keeps in grad_fn the operation "
            "that produced it. That memory is the graph backward() walks.",
        ),
        options=(
            _option(
                "Puede tener más de dos dimensiones",
                "It can have more than two dimensions",
                "Un array de NumPy también puede tener las dimensiones que quieras.",
                "A NumPy array can have as many dimensions as you like, too.",
            ),
            _option(
                "Puede recordar las operaciones que lo produjeron (grad_fn)",
                "It can remember the operations that produced it (grad_fn)",
            ),
            _option(
                "Guarda los números con más precisión numérica",
                "It stores numbers with more numerical precision",
                "Los dos usan los mismos tipos de coma flotante (float32, float64...).",
                "Both use the same floating-point types (float32, float64...).",
            ),
            _option(
                "Ordena sus elementos automáticamente",
                "It sorts its elements automatically",
                "Ninguno de los dos reordena sus elementos.",
                "Neither reorders its elements.",
            ),
        ),
    ),
    Question(
        "02",
        _es_en(
            "f(x) = x². En x = 3 el gradiente vale 6. Si x sube 0,01, ¿cuánto predice el gradiente que sube f? "
            "(Escribe un número.)",
            "f(x) = x². At x = 3 the gradient is 6. If x goes up by 0.01, how much does the gradient predict f "
            "goes up? (Type a number.)",
        ),
        _es_en(
            "Cambio de f ≈ gradiente × cambio de x = 6 · 0,01 = 0,06. El cambio real es 0,0601: la predicción "
            "es buena porque el cambio es pequeño. El gradiente es una sensibilidad local.",
            "Change of f ≈ gradient × change of x = 6 · 0.01 = 0.06. The true change is 0.0601: the prediction "
            "is good because the change is small. The gradient is a local sensitivity.",
        ),
        number=0.06,
        hint=_es_en(
            "Se pide cuánto sube f, no su valor nuevo: multiplica la sensibilidad por el cambio de x.",
            "It asks how much f goes up, not its new value: multiply the sensitivity by the change of x.",
        ),
    ),
    Question(
        "02",
        _es_en(
            "El gradiente de la pérdida respecto a un peso es 0. ¿Qué sabemos?",
            "The gradient of the loss with respect to a weight is 0. What do we know?",
        ),
        _es_en(
            "Solo eso: en este punto, un cambio pequeño del peso no cambia la pérdida (a primer orden). Puede ser "
            "un mínimo, un máximo, un punto de silla, una zona plana (una ReLU apagada) o un peso que no interviene.",
            "Only that: at this point, a small change of the weight does not change the loss (to first order). It "
            "may be a minimum, a maximum, a saddle point, a flat region (a ReLU that is off) or an unused weight.",
        ),
        options=(
            _option(
                "Que el peso ya tiene su mejor valor",
                "That the weight already has its best value",
                "El gradiente también es cero en un máximo, en un punto de silla o en una zona plana; y un "
                "mínimo puede ser solo local.",
                "The gradient is zero at a maximum, a saddle point or a flat region too; and a minimum may "
                "only be local.",
            ),
            _option(
                "Que, en este punto, un cambio pequeño del peso no cambia la pérdida",
                "That, at this point, a small change of the weight does not change the loss",
            ),
            _option(
                "Que el peso no influye en la red y se puede quitar",
                "That the weight does not matter and can be removed",
                "El gradiente solo habla del punto actual: en otro punto ese peso puede influir mucho.",
                "The gradient only speaks about the current point: elsewhere the weight may matter a lot.",
            ),
            _option(
                "Que backward() ha fallado",
                "That backward() failed",
                "Un gradiente cero es un resultado correcto y frecuente, no un error.",
                "A zero gradient is a correct and common result, not an error.",
            ),
        ),
    ),
    Question(
        "03",
        _es_en(
            "Un modelo tiene 1000 parámetros. ¿Cuántas pasadas hacia delante necesitan las diferencias finitas "
            "de la lección 03 para estimar su gradiente una vez? (Escribe un número.)",
            "A model has 1000 parameters. How many forward passes do the finite differences of lesson 03 need to "
            "estimate its gradient once? (Type a number.)",
        ),
        _es_en(
            "Una pasada de base y una más por parámetro: n + 1 = 1001. Autograd da el gradiente exacto con una "
            "pasada hacia delante y un backward, tenga el modelo los parámetros que tenga.",
            "One base pass and one more per parameter: n + 1 = 1001. Autograd gives the exact gradient with one "
            "forward pass and one backward, however many parameters the model has.",
        ),
        number=1001,
        hint=_es_en(
            "Cuenta la pasada de base y una pasada por cada parámetro movido.",
            "Count the base pass and one pass for each parameter moved.",
        ),
    ),
    Question(
        "04",
        _es_en(
            "¿Cuál de estas cosas cambia la forma del grafo de una ejecución a otra?",
            "Which of these changes the shape of the graph from one run to the next?",
        ),
        _es_en(
            "El grafo registra las operaciones que se ejecutan. Un if o un bucle que depende de los datos ejecuta "
            "operaciones distintas, y el grafo cambia de forma: por eso se construye en cada ejecución.",
            "The graph records the operations that run. An if or a loop that depends on the data runs different "
            "operations, and the graph changes shape: that is why it is built on every run.",
        ),
        options=(
            _option(
                "Un if que elige la rama según el valor de un tensor",
                "An if that picks a branch from the value of a tensor",
            ),
            _option(
                "Dropout, que pone a cero valores al azar",
                "Dropout, which zeroes values at random",
                "Dropout cambia valores, no operaciones: en cada paso el grafo tiene los mismos nodos.",
                "Dropout changes values, not operations: at every step the graph has the same nodes.",
            ),
            _option(
                "Cambiar el valor de un peso",
                "Changing the value of a weight",
                "Mismas operaciones con otros números: el mismo grafo.",
                "The same operations with other numbers: the same graph.",
            ),
            _option(
                "Cambiar la tasa de aprendizaje",
                "Changing the learning rate",
                "El optimizador usa los gradientes después del backward; no forma parte del grafo.",
                "The optimizer uses the gradients after backward; it is not part of the graph.",
            ),
        ),
    ),
    Question(
        "05",
        _es_en(
            "e = a·a + a·b, con a = 2 y b = 3. ¿Cuánto vale ∂e/∂a? (Suma los caminos; escribe un número.)",
            "e = a·a + a·b, with a = 2 and b = 3. What is ∂e/∂a? (Add the paths up; type a number.)",
        ),
        _es_en(
            "a se usa tres veces: dos en a·a (cada uso aporta el otro factor, a = 2) y una en a·b (aporta b = 3). "
            "2 + 2 + 3 = 7. backward() hace esa suma en el nodo AccumulateGrad de a.",
            "a is used three times: twice in a·a (each use contributes the other factor, a = 2) and once in a·b "
            "(contributes b = 3). 2 + 2 + 3 = 7. backward() does that sum at a's AccumulateGrad node.",
        ),
        number=7,
        hint=_es_en(
            "¿Contaste todos los usos de a? En a·a hay dos, y cada uno aporta su contribución.",
            "Did you count every use of a? a·a has two, and each one contributes.",
        ),
    ),
    Question(
        "05",
        _es_en(
            "¿Cuántos nodos recorre backward() en el grafo de y = x * x * x, si x es una hoja? Cuenta también "
            "los AccumulateGrad. (Escribe un número.)",
            "How many nodes does backward() walk in the graph of y = x * x * x, if x is a leaf? Count the "
            "AccumulateGrad nodes too. (Type a number.)",
        ),
        _es_en(
            "Dos nodos de multiplicación y un solo AccumulateGrad, el de x: aunque x se use tres veces, "
            "una hoja es un único nodo, con varias aristas. Total: 3.",
            "Two multiplication nodes and a single AccumulateGrad, x's: although x is used three times, "
            "a leaf is one node, with several edges. Total: 3.",
        ),
        number=3,
        hint=_es_en(
            "Una hoja es un solo nodo aunque se use varias veces: lo que se repite son sus aristas.",
            "A leaf is a single node however often it is used: what repeats are its edges.",
        ),
    ),
    Question(
        "06",
        _es_en(
            "¿Qué necesita el backward pass para calcular los gradientes?",
            "What does the backward pass need to compute the gradients?",
        ),
        _es_en(
            "Cada nodo guardó en el forward lo que su derivada local necesita (saved_tensors). El backward multiplica "
            "esas derivadas locales por el gradiente que llega, nodo a nodo, sin volver a ejecutar el forward.",
            "In the forward pass each node saved what its local derivative needs (saved_tensors). Backward "
            "multiplies those local derivatives by the incoming gradient, node by node, without re-running forward.",
        ),
        options=(
            _option(
                "Volver a ejecutar el forward",
                "Running the forward pass again",
                "No hace falta: lo que necesita quedó guardado en el forward.",
                "There is no need: what it needs was saved during the forward pass.",
            ),
            _option(
                "Lo que el forward guardó en cada nodo y el gradiente que llega",
                "What the forward pass saved at each node, and the incoming gradient",
            ),
            _option(
                "Invertir cada operación para recuperar sus entradas",
                "Inverting each operation to recover its inputs",
                "El backward no invierte nada: muchas entradas distintas dan la misma salida.",
                "Backward inverts nothing: many different inputs give the same output.",
            ),
            _option(
                "La derivada simbólica de toda la red",
                "The symbolic derivative of the whole network",
                "Nadie escribe esa fórmula: solo hay una regla local por operación, combinada con la regla "
                "de la cadena.",
                "Nobody writes that formula: there is one local rule per operation, combined by the chain rule.",
            ),
        ),
    ),
    Question(
        "06",
        _es_en(
            "Llamas dos veces a loss.backward() sobre el mismo grafo, sin retain_graph=True. ¿Qué pasa?",
            "You call loss.backward() twice on the same graph, without retain_graph=True. What happens?",
        ),
        _es_en(
            "Tras el primer backward se liberan los valores guardados; el segundo los necesita y da un error que "
            "lo explica. Con retain_graph=True se conservan.",
            "After the first backward the saved values are freed; the second one needs them and raises an error "
            "that says so. With retain_graph=True they are kept.",
        ),
        options=(
            _option(
                "Los gradientes se duplican",
                "The gradients double",
                "Eso pasa con dos forward y dos backward sin borrar .grad; aquí el segundo backward no llega "
                "a calcular nada.",
                "That happens with two forward and two backward passes without clearing .grad; here the second "
                "backward computes nothing.",
            ),
            _option(
                "Da un error: los valores guardados se liberaron",
                "An error: the saved values were freed",
            ),
            _option(
                "Nada: el segundo no hace nada",
                "Nothing: the second one does nothing",
                "No falla en silencio: intenta leer lo que se guardó y ya no está.",
                "It does not fail silently: it tries to read what was saved, and it is gone.",
            ),
            _option(
                "Se vuelve a ejecutar el forward",
                "The forward pass runs again",
                "Autograd nunca vuelve a ejecutar tu código del forward.",
                "Autograd never re-runs your forward code.",
            ),
        ),
    ),
    Question(
        "07",
        _es_en(
            "z = x @ W.T, con x de forma (64, 784) y W de forma (128, 784). ¿Qué forma tiene W.grad?",
            "z = x @ W.T, with x of shape (64, 784) and W of shape (128, 784). What shape does W.grad have?",
        ),
        _es_en(
            "El gradiente de un tensor tiene siempre su misma forma: (128, 784). Se calcula con otra multiplicación "
            "de matrices, gradᵀ @ x: (128, 64) @ (64, 784).",
            "A tensor's gradient always has its own shape: (128, 784). It is computed with another matrix "
            "multiplication, gradᵀ @ x: (128, 64) @ (64, 784).",
        ),
        options=(
            _option("(128, 784)", "(128, 784)"),
            _option(
                "(784, 128)",
                "(784, 128)",
                "Es la forma de W.T, no la de W.",
                "That is the shape of W.T, not of W.",
            ),
            _option(
                "(64, 128)",
                "(64, 128)",
                "Esa es la forma de z (y la de su gradiente), no la de W.",
                "That is the shape of z (and of its gradient), not of W.",
            ),
            _option(
                "(64, 784)",
                "(64, 784)",
                "Esa es la forma de x.",
                "That is the shape of x.",
            ),
        ),
    ),
    Question(
        "08",
        _es_en(
            "SGD con lr = 0,1: un peso vale 2,0 y su gradiente es 0,5. ¿Cuánto vale después de optimizer.step()? "
            "(Escribe un número.)",
            "SGD with lr = 0.1: a weight is 2.0 and its gradient is 0.5. What is it after optimizer.step()? "
            "(Type a number.)",
        ),
        _es_en(
            "p ← p − lr · p.grad = 2,0 − 0,1 · 0,5 = 1,95. El optimizador no calcula derivadas: solo lee .grad.",
            "p ← p − lr · p.grad = 2.0 − 0.1 · 0.5 = 1.95. The optimizer computes no derivatives: it only reads .grad.",
        ),
        number=1.95,
        hint=_es_en(
            "El paso va en contra del gradiente y mide lr veces el gradiente.",
            "The step goes against the gradient and is lr times the gradient.",
        ),
    ),
    Question(
        "08",
        _es_en(
            "Entrenas sin llamar nunca a optimizer.zero_grad(). ¿Qué pasa con .grad?",
            "You train without ever calling optimizer.zero_grad(). What happens to .grad?",
        ),
        _es_en(
            "backward() suma en .grad, no lo sobrescribe: sin borrarlo, cada paso usa la suma de los gradientes "
            "de todos los pasos anteriores, y el entrenamiento se estropea.",
            "backward() adds into .grad, it does not overwrite it: without clearing it, each step uses the sum of "
            "the gradients of all previous steps, and training goes wrong.",
        ),
        options=(
            _option(
                "Se borra solo en cada backward",
                "It is cleared by each backward",
                "backward() nunca borra .grad: suma en él.",
                "backward() never clears .grad: it adds into it.",
            ),
            _option(
                "Acumula la suma de los gradientes de todos los pasos",
                "It accumulates the sum of the gradients of every step",
            ),
            _option(
                "Se queda con el gradiente del primer paso",
                "It keeps the gradient of the first step",
                "Cada backward añade el gradiente nuevo a lo que ya había.",
                "Each backward adds the new gradient to what was there.",
            ),
            _option(
                "Da un error en el segundo paso",
                "An error at the second step",
                "No hay error: acumular es a propósito (sirve, por ejemplo, para sumar varios lotes).",
                "There is no error: accumulating is on purpose (it is used, for example, to add up several batches).",
            ),
        ),
    ),
)


def parse_number(text: Any) -> float | None:
    """A number typed by a student: ``0,06``, ``0.06``, ``6e-2``, ``1 001``; None if it is not one."""
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        return float(text)
    cleaned = str(text).strip().replace(" ", "").replace("\u202f", "").replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def answer(question: int, given: Any) -> QuizVerdict:
    """Check an answer to question ``question`` (1-based): an option number (1-based) or its text; or a number."""
    if not 1 <= question <= len(QUESTIONS):
        raise ValueError(f"the quiz has questions 1 to {len(QUESTIONS)}, got {question}")
    spec = QUESTIONS[question - 1]
    if spec.options:
        chosen = _chosen_option(spec, given)
        if chosen is None:
            return QuizVerdict(question, "invalid", t("quiz.choose", count=len(spec.options)))
        option = spec.options[chosen]
        if option.why is None:
            return QuizVerdict(question, "right", f"{t('quiz.right')} {_text(spec.explanation)}")
        return QuizVerdict(question, "wrong", f"{t('quiz.wrong')} {_text(option.why)} {t('quiz.again')}")
    value = parse_number(given)
    if value is None:
        return QuizVerdict(question, "invalid", t("quiz.type_number"))
    assert spec.number is not None
    if abs(value - spec.number) <= spec.tolerance * max(1.0, abs(spec.number)):
        return QuizVerdict(question, "right", f"{t('quiz.right')} {_text(spec.explanation)}")
    return QuizVerdict(question, "wrong", f"{t('quiz.wrong')} {_text(spec.hint)} {t('quiz.again')}")


def _chosen_option(spec: Question, given: Any) -> int | None:
    if isinstance(given, int) and not isinstance(given, bool):
        return given - 1 if 1 <= given <= len(spec.options) else None
    texts = [_text(option.text) for option in spec.options]
    return texts.index(given) if given in texts else None


def solution(question: int) -> str:
    """The answer to question ``question`` and its explanation (what «Ver la respuesta» shows)."""
    spec = QUESTIONS[question - 1]
    right = _text(spec.options[spec.right_option].text) if spec.options else _format_number(spec.number)
    return f"{t('quiz.solution', answer=right)} {_text(spec.explanation)}"


def _format_number(value: float | None) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if get_language() == "es" else text


def as_text(questions: Sequence[Question] = QUESTIONS) -> str:
    """The quiz as plain text: numbered questions with lettered options (what shows without widgets)."""
    lines = [t("quiz.title", count=len(questions))]
    for number, spec in enumerate(questions, 1):
        lines.append(f"{number}. ({t('quiz.lesson', lesson=spec.lesson)}) {_text(spec.prompt)}")
        lines += [f"   {i}) {_text(option.text)}" for i, option in enumerate(spec.options, 1)]
    return "\n".join(lines)


class Quiz:
    """The recap quiz as widgets: each question with its choices or a number box, «Comprobar» and feedback."""

    def __init__(self, questions: Sequence[Question] = QUESTIONS) -> None:
        self.questions = tuple(questions)
        self.verdicts: dict[int, QuizVerdict] = {}
        self.score = widgets.HTML()
        self.inputs: list[widgets.RadioButtons | widgets.Text] = []
        self.feedback: list[widgets.HTML] = []
        self.reveal_buttons: list[widgets.Button] = []
        boxes = [self.score]
        for number, spec in enumerate(self.questions, 1):
            lesson = html.escape(t("quiz.lesson", lesson=spec.lesson))
            prompt = widgets.HTML(f"<b>{number}.</b> <i>({lesson})</i> {html.escape(_text(spec.prompt))}")
            choice: widgets.RadioButtons | widgets.Text
            if spec.options:
                choice = widgets.RadioButtons(
                    options=[_text(option.text) for option in spec.options],
                    value=None,
                    layout=widgets.Layout(width="auto"),
                )
            else:
                choice = widgets.Text(placeholder=t("quiz.placeholder"))
            check = widgets.Button(description=t("quiz.check"))
            reveal = widgets.Button(description=t("quiz.reveal"), layout=widgets.Layout(display="none"))
            check.on_click(lambda _b, n=number: self.check(n))
            reveal.on_click(lambda _b, n=number: self.reveal(n))
            self.inputs.append(choice)
            self.feedback.append(widgets.HTML())
            self.reveal_buttons.append(reveal)
            boxes.append(widgets.VBox([prompt, choice, widgets.HBox([check, reveal]), self.feedback[-1]]))
        self.widget = widgets.VBox(boxes)
        self._update_score()

    def answer(self, question: int, given: Any) -> QuizVerdict:
        """Answer question ``question`` (1-based) as a student would: pick the option or type the number, check."""
        spec = self.questions[question - 1]
        box = self.inputs[question - 1]
        if spec.options and isinstance(given, int) and not isinstance(given, bool):
            box.value = _text(spec.options[given - 1].text) if 1 <= given <= len(spec.options) else None
        else:
            box.value = given if spec.options else str(given)
        return self.check(question)

    def check(self, question: int) -> QuizVerdict:
        """Check what the student chose or typed for ``question`` and show the verdict under it."""
        verdict = answer(question, self.inputs[question - 1].value)
        if verdict.status != "invalid":
            self.verdicts[question] = verdict
        self.feedback[question - 1].value = html.escape(repr(verdict))
        if verdict.status == "wrong":
            self.reveal_buttons[question - 1].layout.display = None
        self._update_score()
        return verdict

    def reveal(self, question: int) -> str:
        """Show the answer to ``question`` and its explanation."""
        text = solution(question)
        self.feedback[question - 1].value = html.escape(text)
        return text

    @property
    def right(self) -> int:
        """How many questions were last answered right."""
        return sum(verdict.status == "right" for verdict in self.verdicts.values())

    def _update_score(self) -> None:
        self.score.value = f"<b>{html.escape(t('quiz.score', right=self.right, total=len(self.questions)))}</b>"

    def __repr__(self) -> str:
        return as_text(self.questions)

    def _repr_html_(self) -> str:
        items = []
        for spec in self.questions:
            options = "".join(f"<li>{html.escape(_text(option.text))}</li>" for option in spec.options)
            lesson = html.escape(t("quiz.lesson", lesson=spec.lesson))
            listed = f"<ol>{options}</ol>" if options else ""
            items.append(f"<li>({lesson}) {html.escape(_text(spec.prompt))}{listed}</li>")
        return f"<p>{html.escape(t('quiz.title', count=len(self.questions)))}</p><ol>{''.join(items)}</ol>"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = repr(self)
        bundle["text/html"] = self._repr_html_()
        return bundle


register(
    {
        "quiz.title": {
            "es": "Repaso: {count} preguntas. Ejecuta la celda para contestarlas y comprobarlas.",
            "en": "Recap: {count} questions. Run the cell to answer and check them.",
        },
        "quiz.lesson": {"es": "lección {lesson}", "en": "lesson {lesson}"},
        "quiz.check": {"es": "Comprobar", "en": "Check"},
        "quiz.reveal": {"es": "Ver la respuesta", "en": "Show the answer"},
        "quiz.placeholder": {"es": "escribe un número", "en": "type a number"},
        "quiz.score": {"es": "Aciertos: {right} de {total}", "en": "Right: {right} of {total}"},
        "quiz.right": {"es": "Correcto.", "en": "Right."},
        "quiz.wrong": {"es": "No.", "en": "No."},
        "quiz.again": {"es": "Inténtalo otra vez.", "en": "Try again."},
        "quiz.choose": {"es": "Elige una de las {count} opciones.", "en": "Pick one of the {count} options."},
        "quiz.type_number": {
            "es": "Escribe un número (con coma o con punto decimal).",
            "en": "Type a number (with a decimal point or comma).",
        },
        "quiz.solution": {"es": "Respuesta: {answer}.", "en": "Answer: {answer}."},
    }
)
