"""Lesson 09's recap quiz: every question can be answered right and wrong, and every answer is explained."""

from __future__ import annotations

import pytest

from autograd_lab import set_language
from autograd_lab.course.quiz import QUESTIONS, Quiz, answer, as_text, parse_number, solution

NUMBERS = [i for i, q in enumerate(QUESTIONS, 1) if not q.options]
CHOICES = [i for i, q in enumerate(QUESTIONS, 1) if q.options]


@pytest.fixture(autouse=True)
def spanish():
    set_language("es")
    yield
    set_language("es")


def right_answer(number):
    spec = QUESTIONS[number - 1]
    return spec.right_option + 1 if spec.options else spec.number


def test_at_least_eight_questions_both_kinds_across_the_lessons():
    assert len(QUESTIONS) >= 8 and NUMBERS and CHOICES
    assert {q.lesson for q in QUESTIONS} >= {"01", "02", "03", "04", "05", "06", "07", "08"}
    assert all(sum(option.why is None for option in q.options) == 1 for q in QUESTIONS if q.options)


@pytest.mark.parametrize("number", range(1, len(QUESTIONS) + 1))
@pytest.mark.parametrize("language", ["es", "en"])
def test_every_question_is_explained_right_and_wrong(number, language):
    set_language(language)
    spec = QUESTIONS[number - 1]
    right = answer(number, right_answer(number))
    assert right.status == "right" and spec.explanation[language] in right.message
    wrong_answers = [i for i in range(1, len(spec.options) + 1) if i != right_answer(number)] or [
        spec.number + 1,
        -spec.number,
        spec.number * 10,
    ]
    for wrong in wrong_answers:
        verdict = answer(number, wrong)
        assert verdict.status == "wrong", (number, wrong)
        assert len(verdict.message) > 30 and spec.explanation[language] not in verdict.message
    assert spec.explanation[language] in solution(number)


def test_a_wrong_choice_says_why_it_is_wrong_without_naming_the_right_one():
    spec = QUESTIONS[0]
    verdict = answer(1, 1)  # (16, 64, 64, 3)
    assert verdict.status == "wrong" and "PIL" in verdict.message
    assert spec.options[spec.right_option].text["es"] not in verdict.message


def test_options_can_be_given_by_their_text():
    spec = QUESTIONS[0]
    assert answer(1, spec.options[spec.right_option].text["es"]).status == "right"
    assert answer(1, "(16, 64, 64, 3)").status == "wrong"


def test_numbers_are_read_as_students_type_them():
    assert parse_number("0,06") == parse_number("0.06") == parse_number(" 6e-2 ") == 0.06
    assert parse_number("1 001") == 1001 and parse_number(7) == 7.0
    assert parse_number("siete") is None and parse_number("nan") is None and parse_number(True) is None
    (numeric,) = [n for n in NUMBERS if QUESTIONS[n - 1].number == 0.06]
    assert answer(numeric, "0,06").status == "right" and answer(numeric, "0,0601").status == "wrong"


def test_what_is_not_an_answer_is_not_counted_wrong():
    assert answer(NUMBERS[0], "no sé").status == "invalid"
    assert answer(CHOICES[0], None).status == "invalid"
    assert answer(CHOICES[0], 9).status == "invalid"
    with pytest.raises(ValueError, match="questions 1 to"):
        answer(len(QUESTIONS) + 1, 1)


def test_the_widget_checks_answers_keeps_score_and_reveals_after_a_miss():
    quiz = Quiz()
    assert quiz.score.value == f"<b>Aciertos: 0 de {len(QUESTIONS)}</b>"
    choice = CHOICES[0]
    wrong = next(i for i in range(1, 5) if i != right_answer(choice))
    assert quiz.answer(choice, wrong).status == "wrong"
    assert quiz.reveal_buttons[choice - 1].layout.display is None  # «Ver la respuesta» appears after a miss
    quiz.reveal_buttons[choice - 1].click()
    assert "Respuesta:" in quiz.feedback[choice - 1].value
    for number in range(1, len(QUESTIONS) + 1):
        quiz.answer(number, right_answer(number))
    assert quiz.right == len(QUESTIONS)
    assert quiz.score.value == f"<b>Aciertos: {len(QUESTIONS)} de {len(QUESTIONS)}</b>"
    assert quiz.answer(NUMBERS[0], "-1").status == "wrong" and quiz.right == len(QUESTIONS) - 1


def test_it_shows_as_text_where_widgets_do_not_run():
    quiz = Quiz()
    text = repr(quiz)
    assert text == as_text() and text.startswith(f"Repaso: {len(QUESTIONS)} preguntas")
    assert all(q.prompt["es"] in text for q in QUESTIONS)
    bundle = quiz._repr_mimebundle_()
    assert bundle["text/plain"] == text and "<ol>" in bundle["text/html"] and "<script" not in bundle["text/html"]
    set_language("en")
    assert repr(Quiz()).startswith(f"Recap: {len(QUESTIONS)} questions")
