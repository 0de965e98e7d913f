"""Multi-panel figures (PFS and OS side by side, or stacked): without --panel a clear error
naming how many panels and how to choose; with --panel N that panel only (its axes, tick
labels, curves, legend and numbers at risk), against the known truth it was drawn from.

Tolerances: as tests/reconstruct/digitize/test_roundtrip.py (a panel of a 11 x 4.4 inch
figure at 100 dpi is 467 x 345 pixels: about 310 pixels per unit of survival and 11.7 per
month, a little below a single-plot figure's 359 and 13.7): levels within 0.01 on the
plateaus, RMSE within 0.006 (measured 0.0037-0.0046); the issue asks 0.02.
"""
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from remission.cli import cli, main
from remission.reconstruct.digitize import digitize
from remission.reconstruct.digitize.load import read_raster
from remission.reconstruct.digitize.panel import find_panels

from .conftest import require_tesseract
from .draw import arm
from .draw_panels import draw_panels
from .measure import errors

PFS = [arm(150, 0.08, 1), arm(150, 0.04, 2)]
OS = [arm(150, 0.05, 3), arm(150, 0.025, 4)]
LABELS = [["Placebo", "Drug"], ["Control", "Active"]]


@pytest.fixture(scope="module")
def figs(tmp_path_factory):
    d = tmp_path_factory.mktemp("panels")
    out = {"side": d / "side.png", "stacked": d / "stacked.png", "pdf": d / "side.pdf",
           "grid": d / "grid.png"}
    draw_panels(out["side"], [PFS, OS], labels=LABELS, titles=["PFS", "OS"],
                risk_table=True, size=(11, 5.5))
    draw_panels(out["stacked"], [PFS, OS], grid=(2, 1), size=(6.4, 8))
    draw_panels(out["pdf"], [PFS, OS], labels=LABELS, risk_table=True, size=(11, 5.5))
    draw_panels(out["grid"], [PFS, OS, OS, PFS], grid=(2, 2), size=(11, 8))
    import matplotlib.pyplot as plt

    out["gg"] = d / "gg.png"
    with plt.style.context("ggplot"):  # grey panels, white grid, no axis lines
        draw_panels(out["gg"], [PFS, OS], labels=LABELS)
    return out


def _err(capsys, argv):
    code = main(argv)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and err[0].startswith("error: "), (code, err)
    return err[0]


def test_panels_are_found_and_numbered_in_reading_order(figs):
    assert len(find_panels(read_raster(figs["side"]))) == 2
    ps = find_panels(read_raster(figs["grid"]))
    assert len(ps) == 4
    # left to right, then top to bottom
    assert ps[0].left < ps[1].left and ps[0].bottom == ps[1].bottom
    assert ps[2].bottom > ps[0].bottom and ps[2].left < ps[3].left
    st = find_panels(read_raster(figs["stacked"]))
    assert len(st) == 2 and st[0].bottom < st[1].top


_READ = {}


def _read(path, panel):
    """Digitise once per module (each read costs about a second)."""
    if (path, panel) not in _READ:
        _READ[(path, panel)] = digitize(path, panel=panel)
    return _READ[(path, panel)]


@pytest.mark.parametrize("panel, arms", [(1, PFS), (2, OS)])
def test_each_panel_round_trips(figs, panel, arms):
    require_tesseract()
    res = _read(figs["side"], panel)
    assert res.report["panels"] == 2 and res.report["panel"] == panel
    got = errors(res, arms)
    # the legend of this panel names its curves (the other panel's labels differ)
    assert [g[0] for g in got] == LABELS[panel - 1], got
    assert max(g[1] for g in got) <= 0.01 and max(g[2] for g in got) <= 0.006, got
    # a panel's x axis is its own: 0 to 40 months across its width
    assert res.report["x_axis"]["ticks"][-1][1] == 40


def test_grey_panels_without_axis_lines(figs, tmp_path, capsys):
    """matplotlib's ggplot style (ggplot2's theme_grey look): panels found by their grey."""
    require_tesseract()
    assert len(find_panels(read_raster(figs["gg"]))) == 2
    res = digitize(figs["gg"], panel=2)
    got = errors(res, OS)
    assert [g[0] for g in got] == LABELS[1], got
    assert max(g[1] for g in got) <= 0.01 and max(g[2] for g in got) <= 0.006, got
    msg = _err(capsys, ["digitize", str(figs["gg"]), "-o", str(tmp_path / "c.csv")])
    assert "2 plotting panels" in msg


def test_panel_numbers_at_risk_are_its_own(figs):
    require_tesseract()
    res = _read(figs["side"], 1)
    for (time, _), name in zip(PFS, LABELS[0]):
        ts, ns = res.at_risk[name]
        assert list(ns) == [int((time >= t).sum()) for t in ts]


def test_stacked_panels(figs):
    require_tesseract()
    res = digitize(figs["stacked"], panel=2)
    got = errors(res, OS)
    assert max(g[1] for g in got) <= 0.01 and max(g[2] for g in got) <= 0.006, got


def test_vector_pdf_panels(figs):
    """A vector PDF's panels: exact coordinates (the curves to 1e-6), the legend and the
    numbers at risk of each panel from the page's text."""
    for panel, arms in ((1, PFS), (2, OS)):
        res = digitize(figs["pdf"], panel=panel)
        assert res.report["panel"] == panel and res.report["legend_read"]
        got = errors(res, arms)
        assert [g[0] for g in got] == LABELS[panel - 1] and max(g[1] for g in got) < 1e-6
        for (time, _), name in zip(arms, LABELS[panel - 1]):
            ts, ns = res.at_risk[name]
            assert list(ns) == [int((time >= t).sum()) for t in ts]


def test_several_panels_need_panel(figs, tmp_path, capsys):
    out = str(tmp_path / "c.csv")
    for fig in (figs["side"], figs["pdf"]):
        msg = _err(capsys, ["digitize", str(fig), "-o", out])
        assert "2 plotting panels" in msg and "--panel N" in msg and "left to right" in msg
        msg = _err(capsys, ["digitize", str(fig), "-o", out, "--panel", "3"])
        assert msg.startswith("error: --panel 3:") and "2 plotting panels" in msg
    r = CliRunner().invoke(cli, ["digitize", str(figs["pdf"]), "-o", out, "--panel", "2"])
    assert r.exit_code == 0 and "panel 2 of 2" in r.output, r.output
    assert pd.read_csv(out)["curve"].unique().tolist() == LABELS[1][::-1]  # highest first
    msg = _err(capsys, ["reconstruct", "--figure", str(figs["side"]), "-o",
                        str(tmp_path / "ipd.csv")])
    assert "--panel N" in msg
    msg = _err(capsys, ["digitize", str(figs["side"]), "-o", out, "--panel", "0"])
    assert "--panel 0" in msg
    msg = _err(capsys, ["reconstruct", "--curve", out, "--panel", "1", "-o",
                        str(tmp_path / "ipd.csv")])
    assert "--panel applies to --figure" in msg


def test_a_table_drawn_as_a_plot_is_not_a_panel(tmp_path):
    """survminer draws the numbers at risk as a flat plot of its own under the curves, with
    axis lines: one panel, not two (so no --panel is asked for)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .draw import truth

    fig, (a1, a2) = plt.subplots(2, 1, figsize=(6.4, 6), height_ratios=[3, 1])
    for k, (t, e) in enumerate(PFS):
        tt, s, _ = truth(t, e)
        a1.step(np.r_[0, tt], np.r_[1, s], where="post")
        for g in range(0, 41, 5):
            a2.text(g, 1 - k, str(int((t >= g).sum())), ha="center")
    for a in (a1, a2):
        a.set_xlim(0, 40)
        a.spines[["top", "right"]].set_visible(False)
    a2.set_ylim(-0.5, 1.5)
    fig.tight_layout()
    fig.savefig(tmp_path / "sm.png", dpi=100)
    plt.close(fig)
    assert len(find_panels(read_raster(tmp_path / "sm.png"))) == 1


def test_one_panel_figure_and_panel_option(tmp_path, capsys):
    from .draw import draw

    fig = tmp_path / "one.png"
    draw(fig, PFS, legend=False)
    assert len(find_panels(read_raster(fig))) == 1
    msg = _err(capsys, ["digitize", str(fig), "-o", str(tmp_path / "c.csv"), "--panel", "2",
                        "--x-range", "0,40", "--y-range", "0,1.02"])
    assert "one plotting panel" in msg


def test_reconstruct_one_panel(figs, tmp_path):
    """figure -> reconstruct --panel 2 with its published numbers at risk: medians within 5%
    and the hazard ratio within 0.05 of the true patients' (the issue's targets; measured
    medians 15.97 vs 16.02 and 28.60 vs 28.64 months, HR 0.533 vs 0.524), the arms named
    from panel 2's legend."""
    require_tesseract()
    import remission as rm

    risk = tmp_path / "risk.csv"
    rows = [(t, int((time >= t).sum()), name) for (time, _), name in zip(OS, LABELS[1])
            for t in range(0, 40, 5)]
    pd.DataFrame(rows, columns=["time", "n_risk", "arm"]).to_csv(risk, index=False)
    ipd = tmp_path / "ipd.csv"
    r = CliRunner().invoke(cli, ["reconstruct", "--figure", str(figs["side"]), "--panel", "2",
                                 "--at-risk", str(risk), "-o", str(ipd), "--format", "json"])
    assert r.exit_code == 0, r.output
    rec = pd.read_csv(ipd)
    assert sorted(rec["arm"].unique()) == sorted(LABELS[1])
    for (time, event), name in zip(OS, LABELS[1]):
        sub = rec[rec["arm"] == name]
        true_med = rm.kaplan_meier(time, event).median().estimate
        med = rm.kaplan_meier(sub["time"].to_numpy(), sub["event"].to_numpy()).median().estimate
        assert abs(med / true_med - 1) < 0.05, (name, med, true_med)
    x_true = np.r_[np.zeros(len(OS[0][0])), np.ones(len(OS[1][0]))]
    hr_true = rm.cox_ph(np.r_[OS[0][0], OS[1][0]], np.r_[OS[0][1], OS[1][1]],
                        x_true[:, None]).hazard_ratio[0]
    x_rec = (rec["arm"] == LABELS[1][1]).to_numpy(float)
    hr_rec = rm.cox_ph(rec["time"].to_numpy(), rec["event"].to_numpy(),
                       x_rec[:, None]).hazard_ratio[0]
    print(f"HR {hr_rec:.4f} vs {hr_true:.4f}")
    assert abs(hr_rec - hr_true) < 0.05, (hr_rec, hr_true)
