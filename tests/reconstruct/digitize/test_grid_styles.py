"""Plots without dark axis lines drawn by matplotlib's own styles, read back: ``ggplot`` (a
grey panel with white grid lines and faint grey ticks) and seaborn's ``whitegrid`` (light
grey grid lines only, no ticks, tick labels close under the panel).  The plot is found from
its panel (axes.grey_panel) or from its grid lines (axes.light_lines); the R-drawn figures
of the same kinds are in test_r_figures.py.

Tolerances as test_roundtrip.py's (same figure size, resolution and arms): levels within
0.01 on the plateaus, RMSE under 0.005 (measured: max 0.0041, RMSE 0.0030-0.0038).
"""
import pytest

from remission.reconstruct.digitize import digitize

from .conftest import require_tesseract
from .draw import arm, draw
from .measure import errors

ARMS = [arm(150, 0.08, 1), arm(150, 0.04, 2)]


@pytest.mark.parametrize("style", ["ggplot", "seaborn-v0_8-whitegrid"])
def test_plot_without_axis_lines(style, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    require_tesseract()
    p = tmp_path / "km.png"
    with plt.style.context(style):
        draw(p, ARMS, band=True)
    res = digitize(p)
    assert res.report["curves_found"] == 2, res.report["curves"]
    assert len(res.report["x_axis"]["ticks"]) >= 5 and len(res.report["y_axis"]["ticks"]) >= 4
    for name, mx, rmse in errors(res, ARMS):
        assert mx <= 0.01 and rmse < 0.005, (style, name, mx, rmse)
