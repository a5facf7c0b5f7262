"""The grader's reading of the student's code (``autograd_lab.course.grading.delegation``), without kernels.

For each way of handing in library code as one's own — plainly, or hidden from a simple reading — the part is
rejected and the message names what was used; ordinary notebook code (comparisons with the library, magics,
display, experiments later replaced) is not; and the course's own solutions and exercises read clean.
"""

from __future__ import annotations

import pytest
from course_notebooks import EXERCISES, SOLUTIONS, STEMS

from autograd_lab.course.checks import get_check
from autograd_lab.course.grading import delegation
from autograd_lab.course.grading.notebook import CheckStep, CodeStep, parse, plan, release_parts

NUMPY_ONLY = ("autograd_lab",)
IMPORTS = "import numpy as np\nimport autograd_lab as t\nfrom autograd_lab.course.checks import check, progress"
OWN = "def softmax(z):\n    e = np.exp(z - z.max(1, keepdims=True))\n    return e / e.sum(1, keepdims=True)"


def verdict(cells: list[str], answers: str = "softmax", forbid=NUMPY_ONLY, check: str = "ex06.softmax"):
    """(rejection message, unbound answers) for one check cell after ``cells``."""
    program = [CodeStep(source, str(i)) for i, source in enumerate(cells)] + [CheckStep(check, answers, "c")]
    return delegation.rejections(program, {check: tuple(forbid)})[check]


# cells -> a word the rejection must contain; each hides library code (or a way to reach it) from a simple reading
HIDDEN = {
    "plain call": ([IMPORTS, "def softmax(z):\n    return t.softmax(t.tensor(z), 1).numpy()"], "autograd_lab"),
    "rebound to itself": ([IMPORTS, "softmax = t.nn.functional.softmax", "softmax = softmax"], "autograd_lab"),
    "helper bound after the answer": (
        [IMPORTS, "def softmax(z):\n    return ayuda(z)", "ayuda = lambda z: z", "ayuda = t.softmax"],
        "autograd_lab",
    ),
    "stored in a dict": (
        [IMPORTS, "caja = {}", "caja['f'] = t.softmax", "def softmax(z):\n    return caja['f'](z)"],
        "autograd_lab",
    ),
    "set as an attribute": (
        [IMPORTS, "class A:\n    pass", "a = A()", "a.f = t.softmax", "def softmax(z):\n    return a.f(z)"],
        "autograd_lab",
    ),
    "appended to a list": (
        [IMPORTS, "lista = []", "lista.append(t.softmax)", "def softmax(z):\n    return lista[0](z)"],
        "autograd_lab",
    ),
    "handed to a function that stores it": (
        [
            IMPORTS,
            "def meter(d):\n    d['f'] = t.softmax",
            "caja = {}",
            "meter(caja)",
            "def softmax(z):\n    return caja['f'](z)",
        ],
        "autograd_lab",
    ),
    "numpy patched with the library": ([IMPORTS, "np.exp = lambda z: t.tensor(z).exp().numpy()", OWN], "autograd_lab"),
    "rebound by a function declaring it global": (
        [IMPORTS, "def f():\n    global softmax\n    softmax = t.softmax", OWN, "f()"],
        "autograd_lab",
    ),
    "walrus": ([IMPORTS, "print(softmax := t.softmax)"], "autograd_lab"),
    "star import": (
        ["from autograd_lab import *\nimport numpy as np", "def softmax(z):\n    return tensor(z)"],
        "tensor",
    ),
    "re-exported module": (
        [IMPORTS, "from autograd_lab.nn import functional as F", "def softmax(z):\n    return F.softmax(z)"],
        "autograd_lab",
    ),
    "imported from a package": ([IMPORTS, "from scipy.special import softmax"], "scipy"),
    "globals()": ([IMPORTS, "def softmax(z):\n    return globals()['t'].softmax(z)"], "globals()"),
    "vars()": ([IMPORTS, "def softmax(z):\n    return vars(t)['softmax'](z)"], "__dict__"),
    "exec": ([IMPORTS, OWN, "exec('softmax = t.softmax')"], "exec()"),
    "getattr with a computed name": ([IMPORTS, "def softmax(z):\n    return getattr(t, 'soft' + 'max')(z)"], "getattr"),
    "getattr as a value": (
        [IMPORTS, "from functools import reduce\nx = reduce(getattr, ['course'], t)", OWN],
        "getattr",
    ),
    "operator.attrgetter": ([IMPORTS, "import operator\nf = operator.attrgetter('course')(t)", OWN], "attrgetter"),
    "the course's internals": (
        [IMPORTS, "import autograd_lab.course.checks.own_work as ow\now.watching = None", OWN],
        "own_work",
    ),
    "a function's globals": ([IMPORTS, "g = check.__globals__", OWN], "__globals__"),
    "sys.modules": ([IMPORTS, "import sys\nm = sys.modules['autograd_lab']", OWN], "sys.modules"),
    "sys reached through os": ([IMPORTS, "import os\nx = os.sys.modules", OWN], "sys.modules"),
    "builtins reached through the library": (
        [IMPORTS, "import autograd_lab.methods as m\nm.builtins.len", OWN],
        "builtins",
    ),
    "the output history": ([IMPORTS, "t.softmax", "softmax = _"], "_"),
    "%run": ([IMPORTS, "%run otro.py", OWN], "get_ipython"),
    "%timeit runs code from a string": ([IMPORTS, OWN, "%timeit softmax = t.softmax"], "get_ipython"),
    "get_ipython()": ([IMPORTS, "ip = get_ipython()\nip.user_ns['softmax'] = t.softmax", OWN], "get_ipython"),
    "frames": (
        [
            IMPORTS,
            "def softmax(z):\n    try:\n        1 / 0\n    except Exception as e:\n        return e.__traceback__",
        ],
        "__traceback__",
    ),
    "object's subclasses": ([IMPORTS, "x = ().__class__.__base__.__subclasses__()", OWN], "__subclasses__"),
    "a module written by the notebook": ([IMPORTS, "open('m.py', 'w').write('x = 1')\nimport m", OWN], "import m"),
    "sys.path": ([IMPORTS, "import sys\nsys.path.insert(0, '.')", OWN], "sys.path"),
    "pickle": ([IMPORTS, "import pickle\npickle.loads(b'')", OWN], "pickle"),
    "numpy's pickles": ([IMPORTS, "x = np.load('a.npy', allow_pickle=True)", OWN], "allow_pickle"),
}

ORDINARY = {
    "own code": [IMPORTS, OWN],
    "compared with the library": [
        IMPORTS,
        OWN,
        "z = np.ones((2, 3))\nprint(np.allclose(softmax(z), t.softmax(t.tensor(z), 1).numpy()))",
    ],
    "magics and shell commands": [IMPORTS + "\n%matplotlib inline\n!ls", OWN],
    "display": [IMPORTS + "\nfrom IPython.display import display, HTML", OWN, "display(HTML('x'))"],
    "an experiment, then one's own": [IMPORTS, "softmax = t.softmax", OWN],
    "seeds and plot settings": [
        IMPORTS,
        "np.random.seed(0)\nimport matplotlib.pyplot as plt\nplt.rcParams['figure.dpi'] = 100",
        OWN,
    ],
    "the library's datasets": [
        IMPORTS,
        "from autograd_lab import data\nX, y = data.load_digits()",
        "def softmax(z):\n    return np.exp(z) / np.exp(z).sum() + 0 * X.sum()",
    ],
    "throwaway names": [IMPORTS, "for _ in range(3):\n    pass", OWN, "a, _ = 1, 2"],
    "getattr on one's own objects": [IMPORTS, "class M:\n    def p(self, n):\n        return getattr(self, n)", OWN],
    "a star import not used by the answer": ["from autograd_lab import *\nimport numpy as np", OWN],
}


@pytest.mark.parametrize("case", sorted(HIDDEN))
def test_library_code_hidden_from_a_simple_reading_is_found(case):
    cells, word = HIDDEN[case]
    message, _ = verdict(cells)
    assert word in message, message


@pytest.mark.parametrize("case", sorted(ORDINARY))
def test_ordinary_notebook_code_is_not_rejected(case):
    assert verdict(ORDINARY[case]) == ("", [])


def test_the_library_is_fine_where_the_part_allows_it_but_its_ops_and_the_checks_are_not():
    own = "from autograd_lab.autograd import Function\nclass Mul(Function):\n    pass"
    assert verdict([own], "Mul", (), "ex04.matmul") == ("", [])
    for source in (
        "from autograd_lab.ops import Mul",
        "import autograd_lab as torch\nMul = torch.ops.Mul",
        "import autograd_lab.ops as o\nclass Mul(o.Mul):\n    pass",
        "from autograd_lab.ops import *\nclass Mul(Function):\n    forward = Mul.forward",
        "import autograd_lab as t\ndef ayuda(ctx, g):\n    return t.ops.Mul.backward(ctx, g)",
        "import autograd_lab.functional as F\nMul = F.ops.Mul",  # the ops, reached through another module
        "from autograd_lab.course.checks.ex05_backward import reference_order as Mul",
        "import torch\nMul = torch.mul",
    ):
        message, _ = verdict(
            [source, "class Mul:\n    backward = ayuda"] if "ayuda" in source else [source], "Mul", (), "ex04.matmul"
        )
        assert "autograd_lab.ops" in message or "autograd_lab.course" in message or "torch" in message, source


def test_an_answer_no_cell_defines_is_reported_as_unbound():
    assert verdict([IMPORTS, "x = 1"]) == ("", ["softmax"])


def test_a_cell_that_cannot_be_read_rejects_only_the_parts_after_it():
    program = [
        CodeStep(IMPORTS, "a"),
        CodeStep(OWN, "b"),
        CheckStep("ex06.softmax", "softmax", "c"),
        CodeStep("exec('x = 1')", "d"),
        CheckStep("ex06.entropia", "softmax", "e"),
    ]
    verdicts = delegation.rejections(program, {})
    assert verdicts["ex06.softmax"] == ("", [])
    assert "exec()" in verdicts["ex06.entropia"][0] and "exec('x = 1')" in verdicts["ex06.entropia"][0]


@pytest.mark.parametrize("stem", STEMS)
def test_the_solutions_and_the_exercises_read_clean(stem):
    release = parse((EXERCISES / f"{stem}.ipynb").read_bytes())
    forbid = {part: get_check(part).forbid for part in release_parts(release)}
    for folder in (SOLUTIONS, EXERCISES):
        program = plan(parse((folder / f"{stem}.ipynb").read_bytes()), release)
        verdicts = delegation.rejections(program, forbid)
        assert verdicts == dict.fromkeys(release_parts(release), ("", [])), (folder, verdicts)


def test_a_notebook_that_does_not_parse_is_read_as_far_as_it_goes():
    cells = [IMPORTS, "def softmax(z)\n    return z", OWN]
    assert verdict(cells) == ("", [])
    assert verdict(["def (", "x = = 1"]) == ("", ["softmax"])
