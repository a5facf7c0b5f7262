"""The closing line of a test run: which tests were skipped, why, and the command that runs them."""

from __future__ import annotations

from typing import Any

# (what the skip reason mentions, how the line names these tests, how to run them)
_KINDS = [
    ("'torch'", "PyTorch-parity", "no PyTorch: run `make test PARITY=1`"),
    (
        "Chromium",
        "browser",
        "no Chromium: run `make test` as root on Debian/Ubuntu, or `sudo apt-get install chromium`",
    ),
    ("Playwright", "browser", "no Playwright: `make test` installs it with the [test] extra"),
    ("JupyterLab", "browser", "no JupyterLab: `make test` installs it with the [test] extra"),
    ("sklearn", "optional scikit-learn cross-check", "deliberately optional: `pip install scikit-learn` runs it"),
]


def reason_of(report: Any) -> str:
    """The reason a skipped test's report gives."""
    longrepr = report.longrepr
    return str(longrepr[2]) if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)


def skipped_summary(reasons: list[str]) -> str:
    """The closing line for a run whose skipped tests gave ``reasons``."""
    if not reasons:
        return "Nothing skipped."
    groups: dict[tuple[str, str], int] = {}
    for reason in reasons:
        kind = next(((name, fix) for key, name, fix in _KINDS if key in reason), ("other", reason))
        groups[kind] = groups.get(kind, 0) + 1
    parts = [f"{count} {name} test{'s' * (count != 1)} ({fix})" for (name, fix), count in groups.items()]
    return "Skipped " + "; ".join(parts) + "."
