"""Digitise Kaplan-Meier figures drawn from known step functions and compare with the truth.

Tolerances, from the figures' resolution (reported as pixels per unit): at 100 dpi a plot
of 6.4 x 4.4 inches has about 359 pixels per unit of survival and 13.7 per month.
matplotlib snaps rectilinear lines to whole pixels (a level is off by up to half a pixel)
and the tick marks that calibrate the axis are snapped too (half a pixel at each end of the
fit), JPEG blurs a line by about a pixel: a level is within 3.6 pixels = 0.01 of survival
on the plateaus (measure.errors), at 100 and at 200 dpi.  The RMSE, over every time,
includes drops placed a pixel early or late (each then counts as the whole drop over a
pixel's width of time) and steep stretches where drops closer than the line is wide merge
into a staircase: 0.005 at 100 dpi (1.8 pixels), 0.007 for a steep arm whose first month
loses a fifth of its patients in ten pixels, and for JPEG.  SurvdigitizeR reports 0.012.
"""
import numpy as np
import pytest

from remission.reconstruct.digitize import digitize

from .conftest import require_tesseract
from .draw import arm, draw
from .measure import errors

ARMS = [arm(150, 0.08, 1), arm(150, 0.04, 2), arm(120, 0.12, 3)]
TICKS_X = [0, 5, 10, 15, 20, 25, 30, 35, 40]
TICKS_Y = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]

CASES = {
    # name: (file, arms, draw options, RMSE bound per arm in drawing order)
    "two colours, CI bands, grid, legend": (
        "two.png", ARMS[:2], dict(band=True, grid=True), (0.005, 0.005)),
    "three colours": ("three.png", ARMS, {}, (0.005, 0.005, 0.007)),
    "one black arm with censor ticks": ("black.png", ARMS[:1], dict(colours=("black",)),
                                        (0.005,)),
    "two black arms, solid and dashed": (
        "dashed.png", ARMS[:2], dict(colours=("black", "black"), styles=("-", "--")),
        (0.005, 0.005)),
    # R's style: black and grey50; the grey arm dashed, over grey grid lines (grid rows
    # are taken out of the grey class, so where the arm runs along one it is bridged:
    # measured RMSE 0.0052)
    "black and grey dashed, grid": (
        "grey.png", ARMS[:2], dict(colours=("black", "#7f7f7f"), styles=("-", "--"),
                                   grid=True), (0.005, 0.006)),
    # R's base style: thin black lines (solid, dashed), '+' censoring marks, y labels
    # written upwards (read by turning them a quarter)
    "R base style": (
        "rbase.png", ARMS[:2], dict(colours=("black", "black"), styles=("-", "--"), lw=1.0,
                                    marker="+", rotate_y=True, legend=False), (0.005, 0.005)),
    "percent axis, JPEG": ("percent.jpg", ARMS[:2], dict(percent=True), (0.007, 0.005)),
    "200 dpi": ("hires.png", ARMS[:2], dict(dpi=200), (0.005, 0.005)),
    # 600 x 400 pixels: 320 pixels per unit of survival, 12.7 per month (measured RMSE
    # 0.0047 and 0.0044: the drops of 150 patients over 510 pixels are denser)
    "600 pixels wide": ("small.png", ARMS[:2], dict(size=(6, 4)), (0.006, 0.006)),
}


class _Figures(dict):
    """The drawn figures by case name; ``.read(case)`` digitises one once (OCR axes)."""

    def __init__(self, paths):
        super().__init__(paths)
        self._read = {}

    def read(self, case):
        if case not in self._read:
            self._read[case] = digitize(self[case])
        return self._read[case]


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    d = tmp_path_factory.mktemp("figures")
    out = {}
    for name, (fn, arms, opts, _) in CASES.items():
        p = d / fn
        draw(p, arms, **opts)
        out[name] = p
    return _Figures(out)


@pytest.mark.parametrize("case", list(CASES))
def test_curves_match_the_truth(case, figures):
    require_tesseract()
    _, arms, opts, rmse_tol = CASES[case]
    res = figures.read(case)
    assert res.report["curves_found"] == len(arms), res.report["curves"]
    ppu_y = res.report["y_axis"]["pixels_per_unit"]
    assert ppu_y >= 320  # the resolution the tolerances are stated for
    assert res.report["y_scale"] == ("percent" if opts.get("percent") else "fraction")
    for (name, mx, rmse), tol in zip(errors(res, arms), rmse_tol):
        assert mx <= 0.01, (case, name, mx)
        assert rmse < tol, (case, name, rmse)


def test_ocr_reads_the_drawn_ticks(figures):
    require_tesseract()
    res = figures.read("two colours, CI bands, grid, legend")
    xs = [v for _, v in res.report["x_axis"]["ticks"]]
    ys = [v for _, v in res.report["y_axis"]["ticks"]]
    # every label used is a drawn tick, and most are read (a misread one is left out)
    assert set(xs) <= set(TICKS_X) and len(xs) >= 5, xs
    assert set(ys) <= set(TICKS_Y) and len(ys) >= 5, ys
    pct = figures.read("percent axis, JPEG")
    assert set(v for _, v in pct.report["y_axis"]["ticks"]) <= {0, 20, 40, 60, 80, 100}


def test_ranges_without_ocr(tmp_path, monkeypatch):
    """--x-range/--y-range calibrate from the axis lines alone: no tesseract needed."""
    import remission.reconstruct.digitize.ocr as ocr

    monkeypatch.setattr(ocr, "available", lambda: False)
    p = tmp_path / "two.png"
    draw(p, ARMS[:2], band=True, grid=True)  # xlim 0..40, ylim 0..1.02 (draw.py)
    res = digitize(p, x_range=(0, 40), y_range=(0, 1.02))
    assert res.report["x_axis"]["source"] == res.report["y_axis"]["source"] == "range"
    for name, mx, rmse in errors(res, ARMS[:2]):
        assert mx <= 0.01 and rmse < 0.005, (name, mx, rmse)


def test_same_answer_with_ocr_and_with_ranges(figures):
    """OCR calibration agrees with the exact axis ends to within a pixel."""
    require_tesseract()
    p = figures["three colours"]
    a, b = figures.read("three colours"), digitize(p, x_range=(0, 40), y_range=(0, 1.02))
    for name in a.curves:
        ta, sa = a.curves[name]
        tb, sb = b.curves[name]
        assert ta.size == tb.size
        assert np.max(np.abs(ta - tb)) < 1 / a.report["x_axis"]["pixels_per_unit"]
        assert np.max(np.abs(sa - sb)) < 1 / a.report["y_axis"]["pixels_per_unit"]


def test_curves_option_keeps_the_strongest(figures):
    require_tesseract()
    res = digitize(figures["three colours"], curves=2)
    assert res.report["curves_found"] == 2


def test_vector_pdf_is_read_exactly(tmp_path):
    """A vector PDF's curves are its path vertices and its ticks its text: no pixels, no
    OCR.  Levels are exact to the PDF's 6 decimals of a point (1e-6 pt at 259 pt per unit
    of survival); the RMSE over every time is 0.0003, not 0: matplotlib writes a step's
    time rounded to 1e-6 pt, and a grid time between the true and the rounded drop time
    counts the whole drop (bound 0.001, three times what is seen)."""
    p = tmp_path / "km.pdf"
    draw(p, ARMS[:2], percent=True, colours=("black", "black"), styles=("-", "--"),
         band=True, grid=True)
    res = digitize(p)
    assert res.report["source"] == "vector paths of the PDF page"
    assert res.report["x_axis"]["source"] == "pdf-text"
    assert res.report["y_scale"] == "percent" and res.report["curves_found"] == 2
    assert {v for _, v in res.report["x_axis"]["ticks"]} == set(TICKS_X)
    for name, mx, rmse in errors(res, ARMS[:2]):
        assert mx < 1e-6 and rmse < 0.001, (name, mx, rmse)


def test_pdf_with_an_embedded_image(tmp_path):
    """A PDF page holding a raster figure is read from the image's pixels."""
    from PIL import Image

    require_tesseract()
    png = tmp_path / "km.png"
    draw(png, ARMS[:2])
    pdf = tmp_path / "km.pdf"
    # Pillow embeds the image as a JPEG: at quality 95, as a publisher would (the strong
    # compression of the default 75 is the "percent axis, JPEG" case above)
    Image.open(png).convert("RGB").save(pdf, quality=95)
    res = digitize(pdf)
    assert res.report["source"] == "image embedded in the PDF page"
    for name, mx, rmse in errors(res, ARMS[:2]):
        assert mx <= 0.01 and rmse < 0.007, (name, mx, rmse)  # JPEG: as "percent axis, JPEG"


def test_legend_text_and_title_are_not_curves(tmp_path):
    """A large legend (12-point labels, whose letters give long thin strokes in the black
    class), a title and open top/right spines: two curves, as accurate as above."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .draw import truth

    require_tesseract()
    fig, ax = plt.subplots(figsize=(6.4, 4.4), dpi=100)
    for (time, event), c in zip(ARMS[:2], ("tab:red", "tab:purple")):
        t, s, _ = truth(time, event)
        ax.step(np.r_[0, t], np.r_[1, s], where="post", color=c, lw=1.5,
                label="Treatment arm with a long name")
    ax.set_xlim(0, 40)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="upper right", fontsize=12)
    ax.set_title("Overall survival")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    p = tmp_path / "legend.png"
    fig.savefig(p)
    plt.close(fig)
    res = digitize(p)
    assert res.report["curves_found"] == 2, res.report["curves"]
    for name, mx, rmse in errors(res, ARMS[:2]):
        assert mx <= 0.01 and rmse < 0.005, (name, mx, rmse)
