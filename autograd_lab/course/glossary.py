"""The course's glossary: one Spanish term per concept, its English name, what it means, and what we avoid.

Lesson 09 shows it as a table (``glossary_markdown()``); the tests read
``AVOID`` to keep the lessons, exercises, widgets and feedback to one term per
concept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Avoided:
    """A variant we do not use, as shown in the glossary, and the pattern that finds it in a text."""

    shown: str
    pattern: str
    # a sentence that contains one of these words uses the variant legitimately (another concept)
    allowed_with: tuple[str, ...] = ()

    def found_in(self, text: str) -> list[str]:
        """The sentences of ``text`` that use this variant."""
        sentences = re.split(r"(?<=[.;:!?])\s+|\n", text)
        return [
            sentence
            for sentence in sentences
            if re.search(self.pattern, sentence, re.IGNORECASE)
            and not any(word in sentence.lower() for word in self.allowed_with)
        ]


@dataclass(frozen=True)
class Term:
    """One concept: the Spanish term we use, the English one, its meaning in both, and the variants avoided."""

    es: str
    en: str
    meaning_es: str
    meaning_en: str
    avoid: tuple[Avoided, ...] = ()


GLOSSARY: tuple[Term, ...] = (
    Term(
        "tensor",
        "tensor",
        "Datos en una malla de números con forma y tipo, que además puede recordar las operaciones que lo produjeron.",
        "Numbers in a grid with a shape and a dtype, which can also remember the operations that produced it.",
    ),
    Term(
        "número de dimensiones (`ndim`)",
        "number of dimensions (`ndim`)",
        "Cuántos ejes tiene un tensor: 0 un escalar, 1 un vector, 2 una matriz.",
        "How many axes a tensor has: 0 for a scalar, 1 for a vector, 2 for a matrix.",
        (
            Avoided(
                "rango (se confunde con el rango de una matriz y con un intervalo de valores)",
                r"(?<![.\w])rangos?\b(?! de valores)",
            ),
        ),
    ),
    Term(
        "forma (`shape`)",
        "shape",
        "Cuántos elementos hay a lo largo de cada eje: `(32, 3, 224, 224)`.",
        "How many elements there are along each axis: `(32, 3, 224, 224)`.",
    ),
    Term(
        "tipo de dato (`dtype`)",
        "data type (`dtype`)",
        "Cómo se guarda cada número: `float32` (el de las redes), `float64`, `int64`...",
        "How each number is stored: `float32` (networks' default), `float64`, `int64`...",
    ),
    Term(
        "dispositivo (`device`)",
        "device",
        "Dónde vive un tensor y se hacen sus cuentas: CPU o GPU.",
        "Where a tensor lives and is computed on: CPU or GPU.",
    ),
    Term(
        "lote",
        "batch",
        "Varios ejemplos apilados en un tensor, a lo largo del primer eje.",
        "Several examples stacked in one tensor, along the first axis.",
    ),
    Term(
        "característica",
        "feature",
        "Cada uno de los números que describen un ejemplo (una columna de `X`).",
        "Each of the numbers that describe an example (a column of `X`).",
        (Avoided("rasgo", r"\brasgos?\b"),),
    ),
    Term(
        "*broadcasting*",
        "broadcasting",
        "La regla que combina tensores de formas distintas repitiendo los ejes de tamaño 1.",
        "The rule that combines tensors of different shapes by repeating axes of size 1.",
    ),
    Term(
        "hoja",
        "leaf",
        "Un tensor creado por nosotros, no por una operación registrada (`is_leaf`); sus gradientes se guardan "
        "en `.grad`.",
        "A tensor we created, not produced by a recorded operation (`is_leaf`); its gradients are stored in `.grad`.",
    ),
    Term(
        "`requires_grad`",
        "`requires_grad`",
        "Marca un tensor para que autograd registre las operaciones que lo usan.",
        "Marks a tensor so that autograd records the operations that use it.",
    ),
    Term(
        "`grad_fn`",
        "`grad_fn`",
        "El nodo del grafo que produjo un tensor: la operación que se derivará en el backward.",
        "The graph node that produced a tensor: the operation to differentiate in the backward pass.",
    ),
    Term(
        "nodo",
        "node",
        "Una operación registrada en el grafo (la de un producto, una suma...) o el `AccumulateGrad` de una hoja.",
        "An operation recorded in the graph (a product's, a sum's...) or a leaf's `AccumulateGrad`.",
    ),
    Term(
        "arista (`next_functions`)",
        "edge (`next_functions`)",
        "El enlace de un nodo al nodo de cada una de sus entradas: por donde viaja el gradiente.",
        "The link from a node to the node of each of its inputs: the way the gradient travels.",
    ),
    Term(
        "`AccumulateGrad`",
        "`AccumulateGrad`",
        "El nodo de una hoja: suma en su `.grad` todos los gradientes que le llegan.",
        "A leaf's node: adds every gradient that reaches it into its `.grad`.",
    ),
    Term(
        "grafo computacional",
        "computational graph",
        "Los nodos y aristas que registra autograd mientras se ejecuta el forward.",
        "The nodes and edges autograd records while the forward pass runs.",
        (Avoided("gráfico computacional", r"gr[aá]fic[oa]s? computacional"),),
    ),
    Term(
        "grafo dinámico",
        "dynamic graph",
        "Un grafo que se construye de nuevo en cada ejecución: refleja los `if` y bucles que de verdad se ejecutaron.",
        "A graph built anew on every run: it reflects the `if`s and loops that actually ran.",
    ),
    Term(
        "forward (pasada hacia delante)",
        "forward pass",
        "Calcular los valores, de las entradas a la salida; de paso se registra el grafo.",
        "Computing the values, from the inputs to the output; the graph is recorded along the way.",
    ),
    Term(
        "backward (pasada hacia atrás)",
        "backward pass",
        "Propagar gradientes de la salida a las hojas, recorriendo el grafo con la regla de la cadena.",
        "Propagating gradients from the output to the leaves, walking the graph with the chain rule.",
    ),
    Term(
        "orden topológico",
        "topological order",
        "Un orden de los nodos en el que cada uno va antes que los nodos de sus entradas: el backward procesa un "
        "nodo cuando ya le llegó todo su gradiente.",
        "An order of the nodes in which each comes before the nodes of its inputs: backward processes a node "
        "once all its gradient has arrived.",
    ),
    Term(
        "regla de la cadena",
        "chain rule",
        "La derivada de una composición es el producto de las derivadas locales a lo largo del camino.",
        "The derivative of a composition is the product of the local derivatives along the path.",
    ),
    Term(
        "derivada local",
        "local derivative",
        "La derivada de la salida de un nodo respecto a una de sus entradas, evaluada con los valores guardados.",
        "The derivative of a node's output with respect to one of its inputs, evaluated at the saved values.",
    ),
    Term(
        "producto vector-Jacobiano",
        "vector-Jacobian product",
        "Lo que calcula el backward de un nodo con tensores: el gradiente que llega por la matriz de derivadas "
        "locales, sin formar esa matriz.",
        "What a node's backward computes with tensors: the incoming gradient times the matrix of local "
        "derivatives, without building that matrix.",
    ),
    Term(
        "gradiente",
        "gradient",
        "Las derivadas parciales de una salida (la pérdida) respecto a cada número de un tensor; tiene su misma forma.",
        "The partial derivatives of an output (the loss) with respect to each number of a tensor; it has its shape.",
    ),
    Term(
        "sensibilidad local",
        "local sensitivity",
        "Lo que mide un gradiente: cuánto cambia la salida ante un cambio pequeño, en este punto.",
        "What a gradient measures: how much the output changes for a small change, at this point.",
    ),
    Term(
        "acumulación de gradientes",
        "gradient accumulation",
        "Cuando un valor llega por varios caminos, sus contribuciones se suman; `.grad` también suma entre llamadas.",
        "When a value is reached along several paths, the contributions add up; `.grad` also adds across calls.",
    ),
    Term(
        "retropropagación",
        "backpropagation",
        "Calcular todos los gradientes de una red con un backward: la regla de la cadena en orden inverso.",
        "Computing all of a network's gradients with one backward pass: the chain rule in reverse order.",
    ),
    Term(
        "diferencias finitas",
        "finite differences",
        "Aproximar una derivada moviendo una entrada un poco (`h`) y midiendo el cambio; una pasada por parámetro.",
        "Approximating a derivative by moving an input a little (`h`) and measuring the change; one pass per "
        "parameter.",
    ),
    Term(
        "parámetro (peso, sesgo)",
        "parameter (weight, bias)",
        "Los números que el entrenamiento ajusta: los pesos de las capas y sus sesgos.",
        "The numbers training adjusts: the layers' weights and their biases.",
    ),
    Term(
        "capa lineal (`nn.Linear`)",
        "linear layer",
        "`x @ Wᵀ + b`: una multiplicación de matrices y la suma de un sesgo.",
        "`x @ Wᵀ + b`: a matrix multiplication and a bias added.",
        (Avoided("capa densa, capa totalmente conectada", r"capas? densas?|totalmente conectad"),),
    ),
    Term(
        "función de activación",
        "activation function",
        "La función no lineal entre capas, elemento a elemento: ReLU, sigmoide, tanh.",
        "The non-linear function between layers, element by element: ReLU, sigmoid, tanh.",
    ),
    Term(
        "pérdida",
        "loss",
        "Un número que mide cuánto se equivoca el modelo; lo que el entrenamiento hace bajar.",
        "A number that measures how wrong the model is; what training brings down.",
        (Avoided("función de coste", r"funci[oó]n de cost[eo]"),),
    ),
    Term(
        "entropía cruzada",
        "cross-entropy",
        "La pérdida de clasificación: menos el logaritmo de la probabilidad que el modelo da a la clase correcta.",
        "The classification loss: minus the log of the probability the model gives the right class.",
    ),
    Term(
        "descenso por gradiente",
        "gradient descent",
        "Mover cada parámetro un paso pequeño en contra de su gradiente: `p ← p − lr · p.grad`.",
        "Moving each parameter a small step against its gradient: `p ← p − lr · p.grad`.",
    ),
    Term(
        "tasa de aprendizaje (`lr`)",
        "learning rate (`lr`)",
        "El tamaño del paso del descenso por gradiente.",
        "The step size of gradient descent.",
        (Avoided("ritmo o velocidad de aprendizaje", r"(ritmo|velocidad) de aprendizaje"),),
    ),
    Term(
        "optimizador",
        "optimizer",
        "El objeto que lee `.grad` y mueve los parámetros (`SGD`, `Adam`); no calcula derivadas.",
        "The object that reads `.grad` and moves the parameters (`SGD`, `Adam`); it computes no derivatives.",
    ),
    Term(
        "época",
        "epoch",
        "Una pasada del entrenamiento por todos los ejemplos de entrenamiento.",
        "One pass of training over every training example.",
    ),
    Term(
        "exactitud",
        "accuracy",
        "La fracción de ejemplos bien clasificados; se dice siempre sobre qué datos: en entrenamiento o en "
        "datos nuevos.",
        "The fraction of examples classified right; always say on which data: training or new data.",
        (
            Avoided(
                "precisión (para la exactitud)",
                r"\bprecisi[oó]n\b",
                allowed_with=("float", "redondeo", "numérica", "mixta", "coma flotante", "cifras", "decimales"),
            ),
        ),
    ),
    Term(
        "precisión (numérica)",
        "(numerical) precision",
        "Cuántas cifras guarda un número de coma flotante: `float32` unas 7, `float64` unas 16.",
        "How many digits a floating-point number keeps: about 7 in `float32`, 16 in `float64`.",
    ),
    Term(
        "desvanecimiento del gradiente",
        "vanishing gradient",
        "Gradientes que se hacen diminutos hacia las primeras capas al multiplicar muchos factores pequeños.",
        "Gradients that become tiny toward the first layers as many small factors multiply.",
    ),
)

AVOID: tuple[Avoided, ...] = tuple(avoided for term in GLOSSARY for avoided in term.avoid)


def glossary_markdown(language: str = "es") -> str:
    """The glossary as a Markdown table: the Spanish term, the English one, the meaning and what we avoid."""
    if language == "es":
        head = "| Término | En inglés | Qué es | No decimos |\n|---|---|---|---|"
        rows = [
            f"| {term.es} | {term.en} | {term.meaning_es} | {', '.join(a.shown for a in term.avoid)} |"
            for term in GLOSSARY
        ]
    elif language == "en":
        head = "| Term (Spanish) | English | Meaning | Avoided in Spanish |\n|---|---|---|---|"
        rows = [
            f"| {term.es} | {term.en} | {term.meaning_en} | {', '.join(a.shown for a in term.avoid)} |"
            for term in GLOSSARY
        ]
    else:
        raise ValueError(f"unknown language {language!r}; choose 'es' or 'en'")
    return "\n".join([head, *rows]).replace("|  |", "| |")
