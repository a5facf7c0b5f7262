"""The grading benchmark's own checks: a class graded wrongly must be caught, not reported as fine."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("grade_bench", ROOT / "benchmarks" / "grade_bench.py")
assert spec is not None and spec.loader is not None
bench = importlib.util.module_from_spec(spec)
sys.modules["grade_bench"] = bench  # dataclasses look their module up there
spec.loader.exec_module(bench)


def graded(students: int, points: dict[str, int]) -> object:
    """A run that gave each notebook ``points[kind]`` out of 10."""
    exercises = {key: (points[kind], 10) for key, kind in bench.deserved(students).items()}
    return bench.Run("run", 1.0, 1.0, (0.0, 0.0), 7 * students, {}, exercises)


def test_a_class_graded_as_deserved_passes() -> None:
    assert bench.misgraded(graded(3, {"right": 10, "slow": 10, "pending": 0, "wrong": 4}), 3) == []


def test_the_pattern_mixes_every_kind() -> None:
    kinds = list(bench.deserved(50).values())
    assert {kind: kinds.count(kind) for kind in set(kinds)} == {"right": 140, "wrong": 70, "pending": 105, "slow": 35}


def test_each_kind_of_misgrading_is_caught() -> None:
    for points in (
        {"right": 9, "slow": 10, "pending": 0, "wrong": 4},  # a right answer lost a point
        {"right": 10, "slow": 0, "pending": 0, "wrong": 4},  # the slow notebook timed out
        {"right": 10, "slow": 10, "pending": 1, "wrong": 4},  # an untouched exercise scored
        {"right": 10, "slow": 10, "pending": 0, "wrong": 10},  # a broken answer got full points
    ):
        assert bench.misgraded(graded(2, points), 2), points


def test_a_notebook_missing_from_the_csv_is_caught() -> None:
    run = graded(2, {"right": 10, "slow": 10, "pending": 0, "wrong": 4})
    run.exercises.pop(next(iter(run.exercises)))  # type: ignore[attr-defined]
    assert len(bench.misgraded(run, 2)) == 1


def test_differing_parts_include_those_one_run_lacks() -> None:
    first = {("ana", "ex01.a"): 1, ("ana", "ex01.b"): 0}
    assert bench.differing(first, dict(first)) == []
    assert bench.differing(first, {("ana", "ex01.a"): 1, ("ana", "ex01.b"): 2}) == [("ana", "ex01.b")]
    assert bench.differing(first, {("ana", "ex01.a"): 1}) == [("ana", "ex01.b")]
