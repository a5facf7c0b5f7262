"""One line at the end of the run: which tests were skipped, why, and the command that runs them.

Tests skip only when something optional is missing: PyTorch (the parity tests,
``make test PARITY=1`` installs its CPU build), Chromium (the browser tests; ``make
test`` installs it when run as root on Debian/Ubuntu), or scikit-learn (a deliberately
optional cross-check of the digits data, never installed by the project).
"""

from __future__ import annotations

import pytest
from skip_summary import reason_of, skipped_summary


@pytest.fixture(autouse=True)
def _library_warning_filters() -> None:
    """The warning filter autograd_lab installs when imported, as a learner's session has it.

    pytest imports the library while collecting, inside its own ``catch_warnings``,
    and restores the filters afterwards (and again around each test): this puts the
    library's back for each test.
    ``test_errors.py`` checks the real import in a fresh interpreter.
    """
    from autograd_lab.validation import quiet_numpy_warnings

    quiet_numpy_warnings()


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or not hasattr(reporter, "stats") or config.option.collectonly:
        return
    if not any(reporter.stats.get(key) for key in ("passed", "failed", "skipped")):
        return  # nothing ran (e.g. a collection error or --help)
    reasons = [reason_of(report) for report in reporter.stats.get("skipped", []) if report.skipped]
    reporter.write_line(skipped_summary(reasons), bold=True)
