"""Where to look when a part fails: which of the notebook's staged hints to open, and which lesson teaches it.

Every graded part has three collapsible hints below its check cell ("Pista 1",
"Pista 2", "Pista 3"), each more specific than the last.  A ``Guide`` registers
the hint texts of one part with a pointer appended — "Abre la Pista 2; lo
explica la lección 05, «Los dos caminos»." — and ``@guide.part`` makes every
failure of the part carry one: a failure that names no mistake points to the
part's first hint, and a shared hint (``check.hint.sign``...) gets a copy of its
text with the part's pointer.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ...i18n import MESSAGES, register
from .core import Failed, StudentError

POINTER = {
    "es": " → Abre la Pista {pista} de esta parte; lo explica {where}.",
    "en": " → Open Hint {pista} of this part; {where} explains it.",
}
LESSON = {"es": "la lección {lesson}, «{section}»", "en": "lesson {lesson}, «{section}»"}
HERE = {"es": "este cuaderno, «{section}»", "en": "this notebook, «{section}»"}
GUIDES: dict[str, Guide] = {}
RAW: dict[str, dict[str, str]] = {}  # every guided hint's own words, before its pointer
ORIGIN: dict[str, str] = {}  # a part's copy of a shared hint -> the shared hint's key


class Guide:
    """The hints of one graded part, each tied to one of the notebook's staged hints and to a lesson section.

    ``lesson`` is ``("05", "Los dos caminos")`` for a lesson section, or
    ``("", "Cómo se ordena el backward")`` for a section of the exercise
    notebook itself.
    """

    def __init__(self, check_id: str, lesson: tuple[str, str], first: dict[str, str] | None = None) -> None:
        self.check_id = check_id
        self.lesson = lesson
        self.keys: dict[str, int] = {}
        self.attached: dict[str, str] = {}
        GUIDES[check_id] = self
        self.default = self.hint("open", 1, first or {"es": "Revisa tu respuesta.", "en": "Look at your answer again."})

    def where(self, language: str) -> str:
        """The lesson section (or notebook section) that teaches the part, in ``language``."""
        lesson, section = self.lesson
        template = LESSON[language] if lesson else HERE[language]
        return template.format(lesson=lesson, section=section)

    def hint(self, name: str, pista: int, texts: dict[str, str]) -> str:
        """Register the hint ``name`` (its text names staged hint ``pista``); returns its key."""
        key = f"check.{self.check_id}.hint.{name}"
        RAW[key] = {language: texts[language] for language in ("es", "en")}
        register(
            {
                key: {
                    language: texts[language].rstrip()
                    + POINTER[language].format(pista=pista, where=self.where(language))
                    for language in ("es", "en")
                }
            }
        )
        self.keys[key] = pista
        return key

    def hints(self, table: dict[str, tuple[int, dict[str, str]]]) -> dict[str, str]:
        """Register several hints: ``{name: (pista, texts)}`` -> ``{name: key}``."""
        return {name: self.hint(name, pista, texts) for name, (pista, texts) in table.items()}

    def attach(self, table: dict[str, int]) -> None:
        """Point hints registered elsewhere (shared ones, ``{key: pista}``) to this part's staged hints."""
        for key, pista in table.items():
            texts = RAW.get(key, MESSAGES[key])
            own = self.hint("shared." + key.replace(".", "_"), pista, texts)
            self.attached[key] = own
            ORIGIN[own] = ORIGIN.get(key, key)

    def adopt(self, key: str) -> str:
        """The key to show for ``key``: this part's own, its copy of an attached hint, or the first staged hint."""
        if key in self.keys:
            return key
        if key in self.attached:
            return self.attached[key]
        if key:  # a hint nobody tied to a staged one: keep its words, point to the first hint
            self.attach({key: 1})
            return self.attached[key]
        return self.default

    def part(self, run: Callable[..., Any]) -> Callable[..., Any]:
        """Decorator (under ``@register_check``): every failure of ``run`` names a staged hint and a lesson."""

        @functools.wraps(run)
        def guided(*args: Any, **kwargs: Any) -> Any:
            try:
                return run(*args, **kwargs)
            except Failed as failed:
                failed.hint = self.adopt(failed.hint)
                raise
            except StudentError as error:
                error.hint = self.adopt(error.hint)
                raise

        return guided


def original_hint(key: str) -> str:
    """The shared hint a part's copy was made from (``key`` itself when it is not a copy)."""
    return ORIGIN.get(key, key)


def pista_of(key: str) -> int | None:
    """The staged hint (1, 2 or 3) a guided hint key points to, or None for a key no guide registered."""
    for guide in GUIDES.values():
        if key in guide.keys:
            return guide.keys[key]
    return None
