"""The closing line of a test run names what was skipped and the command that runs it."""

from __future__ import annotations

from skip_summary import skipped_summary


def test_nothing_skipped():
    assert skipped_summary([]) == "Nothing skipped."


def test_each_missing_piece_is_named_with_its_command():
    reasons = [
        "could not import 'torch': No module named 'torch'",
        "could not import 'torch': No module named 'torch'",
        "Chromium not found at /usr/bin/chromium (Debian/Ubuntu: sudo apt-get install chromium)",
        "could not import 'sklearn.datasets': No module named 'sklearn'",
    ]
    line = skipped_summary(reasons)
    assert "\n" not in line
    assert "2 PyTorch-parity tests" in line and "make test PARITY=1" in line
    assert "1 browser test" in line and "apt-get install chromium" in line
    assert "optional scikit-learn" in line and "pip install scikit-learn" in line


def test_an_unknown_reason_is_shown_as_it_is():
    assert "needs a GPU" in skipped_summary(["needs a GPU"])
