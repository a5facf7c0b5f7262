"""One line at the end of the run: which tests were skipped, why, and the command that runs them.

Tests skip only when something optional is missing: PyTorch (the parity tests,
``make test PARITY=1`` installs its CPU build), Chromium (the browser tests; ``make
test`` installs it when run as root on Debian/Ubuntu), or scikit-learn (a deliberately
optional cross-check of the digits data, never installed by the project).
"""

from __future__ import annotations

from typing import Any

import pytest

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


def _reason(report: Any) -> str:
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


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or not hasattr(reporter, "stats") or config.option.collectonly:
        return
    if not any(reporter.stats.get(key) for key in ("passed", "failed", "skipped", "error")):
        return  # nothing ran (e.g. a collection error or --help)
    reasons = [_reason(report) for report in reporter.stats.get("skipped", []) if report.skipped]
    reporter.write_line(skipped_summary(reasons), bold=True)
