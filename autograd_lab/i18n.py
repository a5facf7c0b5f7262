"""Spanish (default) and English texts for widgets and exercise feedback.

Every user-facing sentence of the widgets and checks is looked up here by key,
so that ``autograd_lab.set_language("en")`` switches all of them at once.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("es", "en")


class _State:
    language = "es"


_state = _State()

# key -> {"es": ..., "en": ...}; modules add their own texts with ``register``.
MESSAGES: dict[str, dict[str, str]] = {}


def set_language(language: str) -> None:
    """Choose the language of widget labels and feedback: "es" (default) or "en"."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    _state.language = language


def get_language() -> str:
    """The current language code ("es" or "en")."""
    return _state.language


def register(messages: dict[str, dict[str, str]]) -> None:
    """Add texts: ``{"key": {"es": "...", "en": "..."}}``; both languages are required."""
    for key, texts in messages.items():
        missing = [lang for lang in LANGUAGES if lang not in texts]
        if missing:
            raise ValueError(f"message {key!r} lacks a text for {', '.join(missing)}")
        MESSAGES[key] = texts


def t(key: str, **values: Any) -> str:
    """The text for ``key`` in the current language, with ``{placeholders}`` filled in."""
    try:
        text = MESSAGES[key][_state.language]
    except KeyError:
        raise KeyError(f"no message registered under {key!r}") from None
    return text.format(**values) if values else text
