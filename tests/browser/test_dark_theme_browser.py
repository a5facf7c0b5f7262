"""The widgets with JupyterLab's dark theme: graphs and plots on white cards, text that reads against the page."""

from pathlib import Path

NOTEBOOK = Path(__file__).with_name("dark_theme.ipynb")

# Contrast ratio (WCAG) between each readout's text colour and the page behind it.
_CONTRASTS = """() => {
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const luminance = ([r, g, b]) => {
    const c = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const color = getComputedStyle(el).backgroundColor;
      if (color && color !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(color)) { return rgb(color); }
    }
    return [255, 255, 255];
  };
  const ratio = (a, b) => {
    const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (l1 + 0.05) / (l2 + 0.05);
  };
  const texts = Array.from(document.querySelectorAll(
    '.jp-OutputArea-output .widget-html-content td, .jp-OutputArea-output .widget-html-content div,'
    + ' .jp-OutputArea-output .widget-html-content span, .jp-OutputArea-output .widget-label,'
    + ' .jp-OutputArea-output .widget-readout'))
    .filter(el => el.innerText && el.innerText.trim() && el.getBoundingClientRect().width > 0);
  return texts.map(el => ({
    text: el.innerText.slice(0, 40), ratio: ratio(rgb(getComputedStyle(el).color), background(el)),
  }));
}"""


_THEME = "(theme) => window.jupyterapp.commands.execute('apputils:change-theme', {theme})"

# The dark theme is in place: JupyterLab says so, and the notebook's background (its first opaque one) is dark.
_DARK_PAGE = """() => {
  if (document.body.dataset.jpThemeLight !== 'false') { return false; }
  for (let el = document.querySelector('.jp-Notebook'); el; el = el.parentElement) {
    const color = getComputedStyle(el).backgroundColor;
    const [r, g, b, a] = (color.match(/[\\d.]+/g) || []).map(Number);
    if (a === undefined || a > 0) { return r + g + b < 3 * 96; }
  }
  return false;
}"""


def test_widgets_stay_legible_with_the_dark_theme(run_notebook, artifacts):
    page = run_notebook(NOTEBOOK)
    page.locator(".autograd-lab-graph svg").nth(1).wait_for()
    page.locator(".autograd-lab-figure svg").first.wait_for()
    page.evaluate(_THEME, "JupyterLab Dark")
    try:
        page.wait_for_function(_DARK_PAGE)  # the theme's CSS variables apply to the notebook
        cards = page.evaluate(
            "() => Array.from(document.querySelectorAll('.autograd-lab-graph'))"
            ".map(card => getComputedStyle(card).backgroundColor)"
        )
        assert cards and all(color == "rgb(255, 255, 255)" for color in cards), cards  # graphs on white
        figure_fill = page.evaluate(
            "() => getComputedStyle(document.querySelector('.autograd-lab-figure svg #patch_1 path')).fill"
        )
        assert figure_fill == "rgb(255, 255, 255)"  # plots on white
        contrasts = page.evaluate(_CONTRASTS)
        assert len(contrasts) >= 10, contrasts
        (artifacts / "dark_theme_contrasts.txt").write_text(
            "\n".join(f"{c['ratio']:5.1f}  {c['text']!r}" for c in contrasts), encoding="utf-8"
        )
        low = [c for c in contrasts if c["ratio"] < 4.5]
        assert not low, low  # every readout reads against the dark page (WCAG AA: 4.5)
        code_cells = page.locator(".jp-Notebook .jp-CodeCell")
        for index in (1, 2, 3):
            area = code_cells.nth(index).locator(".jp-OutputArea")
            area.scroll_into_view_if_needed()
            area.screenshot(path=str(artifacts / f"dark_theme_cell{index}.png"))
    finally:  # the theme is a user setting of the shared server: the other tests see the default one
        page.evaluate(_THEME, "JupyterLab Light")
        page.wait_for_function("() => document.body.dataset.jpThemeLight === 'true'")
