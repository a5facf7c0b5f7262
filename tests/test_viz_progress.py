"""What the student sees of progress(): one title (the notebook's heading), a left-aligned table."""

import re

from autograd_lab.course.checks import check, progress
from autograd_lab.course.checks.core import _session


def test_progress_table_has_no_second_title_and_left_aligned_cells():
    _session.outcomes.clear()
    try:
        check("ex03.gradientes", lambda x, y: (y, x))  # a wrong answer is a row too
        page = progress()._repr_html_()
        assert "Progreso" not in page  # the notebook's "## Progreso" heading is the only title
        cells = re.findall(r"<t[dh]( [^>]*)?>", page)
        assert cells and all(attrs in (' style="text-align:left"', None, "") for attrs in cells)
        worded = re.findall(r'<t[dh] style="text-align:left">', page)
        assert len(worded) >= 3 * 2  # header and at least one row, three columns each
    finally:
        _session.outcomes.clear()
