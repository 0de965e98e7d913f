"""remission.plots: the one plotting module behind ``remission plot`` and the report."""
import subprocess
import sys

import numpy as np
import pytest

from remission.datasets import load_example
from remission.nonparametric import kaplan_meier
from remission.plots import interactive, km_plot, static, style


def test_plots_import_neither_report_nor_cli_nor_matplotlib():
    """The floor below the report and the command line: importing it pulls in neither, and
    matplotlib only when a static figure is drawn."""
    code = ("import sys, remission.plots, remission.plots.interactive; "
            "print(sorted(m for m in ('remission.report', 'remission.cli', 'matplotlib', "
            "'plotly') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_report_and_plot_command_share_the_palette_and_geometry():
    """Group i has the same colour in the static figure (matplotlib) and in the report's
    interactive one, and both draw the same step curve."""
    data = load_example("alloauto")
    fig = km_plot(data, risk_table=False)
    ax = fig.axes[0]
    steps = [ln for ln in ax.get_lines() if ln.get_drawstyle() == "steps-post"]
    curves = [(lab, kaplan_meier(sub)) for lab, sub in data.by_group()]
    spec = interactive.km_figure(curves, data.time_unit, 60, [0, 12, 24])
    lines = [tr for tr in spec["data"] if tr.get("mode") == "lines"]
    assert len(steps) == len(lines) == 2
    for i, (ln, tr) in enumerate(zip(steps, lines)):
        assert ln.get_color() == tr["line"]["color"] == style.PALETTE[i]
        np.testing.assert_array_equal(ln.get_xdata(), tr["x"])
        np.testing.assert_array_equal(ln.get_ydata(), tr["y"])


def test_eighth_group_gets_its_own_colour_in_both():
    assert len(set(style.PALETTE)) == len(style.PALETTE) == 8
    assert interactive.PALETTE is style.PALETTE


@pytest.mark.parametrize("tmax,unit,ticks", [
    (62.56, "months", [0, 12, 24, 36, 48, 60]),   # whole years of months
    (30, "months", [0, 6, 12, 18, 24, 30]),
    (1000, "days", [0, 200, 400, 600, 800, 1000]),  # round numbers otherwise
    (0, None, [0.0]),
])
def test_unit_ticks(tmax, unit, ticks):
    assert style.unit_ticks(tmax, unit) == ticks


def test_step_starts_at_one_at_time_zero():
    t, s = style.step([2.0, 5.0], [0.8, 0.5])
    assert t.tolist() == [0.0, 2.0, 5.0] and s.tolist() == [1.0, 0.8, 0.5]


def test_labels_from_the_data_are_escaped():
    assert style.esc('<b>"x"&') == "&lt;b&gt;&quot;x&quot;&amp;"
    assert style.esc(None) == ""


def test_save_refuses_an_unknown_format(tmp_path):
    from remission.errors import OptionError

    fig = km_plot(load_example("lung"), risk_table=False)
    with pytest.raises(OptionError, match="png, .svg or .pdf"):
        static.save(fig, tmp_path / "km.gif")
    assert static.save(fig, tmp_path / "km.svg") == "svg"
    assert (tmp_path / "km.svg").read_text().lstrip().startswith("<?xml")
