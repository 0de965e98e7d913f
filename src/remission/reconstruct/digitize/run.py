"""``digitize``: the steps put together (see the package docstring)."""
from __future__ import annotations

import math

import numpy as np

from ...errors import DataError, OptionError
from ...limits import MAX_MODEL_GROUPS, check_count
from . import calibrate
from .result import DigitizeResult, corners

#: a curve must carry votes in at least this share of the plot's width (legend samples and
#: text carry far fewer; a real arm spans most of the axis)
MIN_SPAN = 0.15
#: same-colour curves looked for per colour when --curves is not given
PER_COLOUR = 3


def _check_range(r, option):
    if r is None:
        return None
    lo, hi = (float(v) for v in r)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise OptionError(f"{option} {lo:g},{hi:g}: not finite numbers")
    if lo < 0 or hi <= lo or hi > 1e9:
        raise OptionError(f"{option} {lo:g},{hi:g}: give 0 <= A < B (at most 1e9)")
    return lo, hi


def digitize(path, *, x_range=None, y_range=None, curves: int | None = None,
             page: int | None = None, panel: int | None = None) -> DigitizeResult:
    """Kaplan-Meier curves of the figure at ``path`` (PNG, JPEG, or page ``page`` of a PDF).

    ``x_range``/``y_range`` = (A, B): the values at the two ends of each axis line (y in
    fraction or percent); when not given, they are read from the tick labels (OCR).
    ``curves``: how many curves to return (the strongest), else all found.
    ``panel``: which plotting panel of a multi-panel figure (1-based, left to right then
    top to bottom; :mod:`.panel`); a figure of several panels needs it.
    """
    from . import load

    x_range = _check_range(x_range, "--x-range")
    y_range = _check_range(y_range, "--y-range")
    if curves is not None:
        curves = check_count(curves, "--curves", MAX_MODEL_GROUPS, minimum=1)
    if panel is not None:
        panel = check_count(panel, "--panel", MAX_MODEL_GROUPS, minimum=1)
    if load.is_pdf(path):
        from . import pdf

        return pdf.digitize_pdf(path, page=page or 1, x_range=x_range, y_range=y_range,
                                curves=curves, panel=panel)
    if page is not None:
        raise OptionError("--page applies to a PDF figure")
    rgb = load.read_raster(path)
    return digitize_pixels(rgb, x_range=x_range, y_range=y_range, curves=curves, panel=panel)


def digitize_pixels(rgb, *, x_range=None, y_range=None, curves=None,
                    panel=None) -> DigitizeResult:
    from . import colours
    from .axes import find_frame
    from .panel import select

    rgb, panel_doc = select(rgb, panel)  # one panel of a multi-panel figure
    fr = find_frame(rgb)
    aw = fr.axis_width
    x_axis, y_axis = _axes(rgb, fr, x_range, y_range)
    y_top = float(y_axis.value(fr.top))
    scale = 100.0 if y_top > 1.5 else 1.0  # percent axis
    x0, y0 = fr.left + 2, fr.top + aw + 1
    area = rgb[y0:fr.bottom - 1, x0:fr.right - aw - 1]
    width = area.shape[1]
    found = []  # (votes, colour, segments, gaps, line width)
    for cc in colours.classes(area, min_pixels=int(0.1 * width)):
        found += _curves_of_class(cc, width, curves, fr.bottom - y0 + (aw - 1) / 2)
    found = _plausible(found, width)
    if not found:
        raise DataError("no curve found in the plot area (no coloured or black step line "
                        "spanning at least 15% of its width)")
    if curves is not None:
        if len(found) < curves:
            raise DataError(f"--curves {curves}: only {len(found)} curve(s) found in the figure")
        found = sorted(found, key=lambda f: -f[0])[:curves]
    out, cols, q = {}, {}, []
    made = [(corners(f[2], x_axis, y_axis, x0, y0, scale), f) for f in found]
    made.sort(key=lambda m: -_area(*m[0]))  # curve 1 is the highest
    from .legend import read_labels

    # named from the legend when every curve's label is read, else 1, 2, ...
    labels = read_labels(rgb, {str(k): m[1][1] for k, m in enumerate(made, start=1)},
                         {str(k): m[1][4] for k, m in enumerate(made, start=1)},
                         {str(k): m[1][5] for k, m in enumerate(made, start=1) if len(m[1]) > 5},
                         {str(k): [(a + x0, b + x0, y + y0) for a, b, y in m[1][2]]
                          for k, m in enumerate(made, start=1)})
    for k, ((t, s), f) in enumerate(made, start=1):
        name = labels.get(str(k), str(k))
        out[name], cols[name] = (t, s), f[1]
        q.append({"curve": name, "colour": f[1], "corners": int(t.size),
                  "columns_on_line": int(f[0]), "gaps_bridged": int(f[3]),
                  "line_width_px": round(float(f[4]), 2)})
    report = {
        "source": "pixels", "image_px": [int(rgb.shape[1]), int(rgb.shape[0])],
        "plot_area_px": [int(fr.left), int(fr.top), int(fr.right), int(fr.bottom)],
        "x_axis": _axis_doc(x_axis), "y_axis": _axis_doc(y_axis, scale),
        "y_scale": "percent" if scale == 100 else "fraction",
        "curves_found": len(out), "curves": q, "legend_read": bool(labels),
        "gaps_bridged": int(sum(c["gaps_bridged"] for c in q)), **panel_doc,
    }
    res = DigitizeResult(out, cols, report, pixels=(rgb, x_axis, y_axis, scale))
    warnings = []  # numbers at risk that break the table's structure, left out
    if x_axis.source == "ocr":  # the tick labels are text here: a table may be too
        from . import at_risk

        grid = _tick_grid([v for _, v in x_axis.labels])
        res.at_risk = at_risk.match(at_risk.read_rows(rgb, fr, x_axis, grid), out, res.step,
                                    warnings)
    report["at_risk_rows"] = len(res.at_risk)
    report["at_risk_warnings"] = warnings
    return res


def _tick_grid(values):
    """All tick values of an evenly spaced axis from those read (a misread one restored)."""
    v = np.sort(np.asarray(values, float))
    step = float(np.min(np.diff(v))) if v.size > 1 else 0.0
    if step <= 0:
        return list(v)
    return list(np.arange(v[0], v[-1] + step / 2, step))


def _plausible(found, width):
    """Drop straight lines (grid lines: one level, no drop), lines of text (a legend's: they
    start far from the y axis and have one or two "drops"; a curve that starts late, having
    run under another one, drops often after), and grey traces that repeat another curve
    (the grey halo of a black line)."""
    out = []
    for f in found:
        segs = f[2]
        if len(segs) == 1 or (segs[0][0] > 0.1 * width and len(segs) < 4):
            continue
        if f[1] == "grey" and any(_same_segments(segs, g[2]) for g in out if g[1] != "grey"):
            continue
        out.append(f)
    return out


def _same_segments(a, b) -> bool:
    w = int(max(a[-1][1], b[-1][1])) + 2

    def lev(segs):
        v = np.full(w, np.nan)
        for x0, x1, y in segs:
            v[int(np.ceil(x0)):int(np.floor(x1)) + 1] = y
        return v

    la, lb = lev(a), lev(b)
    both = ~np.isnan(la) & ~np.isnan(lb)
    return bool(both.sum() > 0 and np.mean(np.abs(la[both] - lb[both]) <= 3) > 0.5)


def _ended(segs, tr, h):
    """``segs`` with a last drop to the x axis (row ``h`` of the area) when the trace found
    one."""
    if tr.to_bottom is None:
        return segs
    a, _, lev = segs[-1]
    return segs[:-1] + [(a, tr.to_bottom, lev), (tr.to_bottom, tr.to_bottom, h)]


def _curves_of_class(cc, width, curves, h):
    """[(votes, colour, segments, gaps, line width[, line style])] of the curves drawn in
    one colour (the style, "solid" or "dashed", where both are in the colour).

    Curves of one colour in different line styles are told apart by continuity: a solid
    line is one long connected piece, a dashed or dotted one many short pieces (each under
    :data:`DASH` pixels); each family is traced on its own.  Curves of one colour and one
    style are peeled off one by one (trace the best path, erase it, trace again).
    """
    from . import trace

    lab = _pieces(cc.strength, cc.loose)
    out = []
    if lab is not None:
        short, long_ = lab
        trs = [trace.trace(part) for part in (long_, short)]
        if all(t is not None and t.votes >= MIN_SPAN * width for t in trs) and \
                not _same_line(*trs):
            # the broken line, traced again on every pixel but the solid one's: censoring
            # marks ('+') joining dashes into long pieces are not lost to the solid family
            again = trace.trace(trace.erase(cc.strength, trs[0]), trs[0].line_width)
            if again is not None and again.votes >= 1.15 * trs[1].votes and \
                    not _same_line(trs[0], again):
                trs[1] = again
            for tr, style in zip(trs, ("solid", "dashed")):
                segs = tr.segments
                if out and segs[0][0] > out[0][2][0][0] + 3 * tr.line_width:
                    segs = _shared_start(out[0][2], segs)
                out.append((tr.votes, cc.name, _ended(segs, tr, h), tr.gaps, tr.line_width,
                            style))
            return out
    strength, first, lw = cc.strength, None, None
    for _ in range(curves or PER_COLOUR):
        tr = trace.trace(strength, lw)
        if tr is None or tr.votes < MIN_SPAN * width:
            break
        segs = tr.segments
        if first is not None and segs[0][0] > first.segments[0][0] + 3 * tr.line_width:
            segs = _shared_start(first.segments, segs)
        out.append((tr.votes, cc.name, _ended(segs, tr, h), tr.gaps, tr.line_width))
        first = first or tr
        lw = first.line_width  # the erased remnants (drops, ticks) would look thick
        strength = trace.erase(strength, tr)
    return out


def _levels(tr):
    lev = np.full(tr.hits.size, np.nan)
    for a, b, y in tr.segments:
        lev[int(np.ceil(a)):int(np.floor(b)) + 1] = y
    return lev


def _same_line(t1, t2) -> bool:
    """Two traces that run together (within 2 pixels) over most of the columns both span,
    or that follow one another along the width: one line broken into pieces (JPEG noise),
    not a solid and a dashed curve (which both span the plot)."""
    l1, l2 = _levels(t1), _levels(t2)
    both = ~np.isnan(l1) & ~np.isnan(l2)
    if both.sum() < 0.5 * min((~np.isnan(l1)).sum(), (~np.isnan(l2)).sum()):
        return True  # pieces one after the other along the width: one line
    return bool(np.mean(np.abs(l1[both] - l2[both]) <= 2) > 0.5)


#: the longest piece of a dashed or dotted line, in pixels (matplotlib's dashes at a 2-point
#: line are about 10 pixels at 100 dpi; R's about 12 at 150 dpi)
DASH = 30


def _pieces(strength, loose):
    """(short pieces, long pieces) strength images when both hold a good share of the
    class's pixels, else None.  Pieces are connected in the ``loose`` mask (fainter pixels
    too), so that JPEG noise does not break a solid line into pieces."""
    from scipy import ndimage

    lab, n = ndimage.label(loose | (strength > 0), structure=np.ones((3, 3)))
    if n < 2:
        return None
    sl = ndimage.find_objects(lab)
    big = np.array([max(s[0].stop - s[0].start, s[1].stop - s[1].start) >= DASH for s in sl])
    widest = max(s[1].stop - s[1].start for s in sl)
    if widest < 0.25 * strength.shape[1]:  # no solid line: dashes joined by dense '+'
        return None                        # marks into clusters (R's mark.time) are pieces
    is_long = np.r_[False, big][lab]
    core = strength > 0
    n_long, n_all = int((is_long & core).sum()), int(core.sum())
    if not (0.2 * n_all <= n_long <= 0.8 * n_all):
        return None
    return np.where(is_long, 0, strength), np.where(is_long, strength, 0)


def _axes(rgb, fr, x_range, y_range):
    from . import ocr

    aw = fr.axis_width
    p_left, p_right = fr.left - (aw - 1) / 2, fr.right - (aw - 1) / 2
    p_bottom, p_top = fr.bottom + (aw - 1) / 2, fr.top + (aw - 1) / 2
    x_axis = y_axis = None
    if x_range is not None:
        x_axis = calibrate.from_range(x_range[0], x_range[1], p_left, p_right)
    if y_range is not None:
        y_axis = calibrate.from_range(y_range[0], y_range[1], p_bottom, p_top)
    if x_axis is None or y_axis is None:
        missing = " and ".join(o for o, a in (("--x-range", x_axis), ("--y-range", y_axis))
                               if a is None)
        if not ocr.available():
            raise ocr.OCRUnavailable(
                "cannot read the axis tick labels: tesseract-ocr (and the pytesseract "
                f"package) is needed for OCR (apt-get install tesseract-ocr); or give {missing} "
                "A,B (the values at the two ends of each axis line)")
        if x_axis is None:
            x_axis = calibrate.fit(calibrate.snap(ocr.x_labels(rgb, fr), fr.x_ticks), sign=1)
            if x_axis is None:
                raise DataError("cannot read the x axis's tick labels (OCR found fewer than "
                                "two consistent numbers); give --x-range A,B")
        if y_axis is None:
            y_axis = calibrate.fit(calibrate.snap(ocr.y_labels(rgb, fr), fr.y_ticks), sign=-1)
            if y_axis is None or len(y_axis.labels) < 3:  # labels written upwards (R's
                turned = calibrate.fit(calibrate.snap(  # default), read turned a quarter
                    ocr.y_labels(rgb, fr, rotated=True), fr.y_ticks), sign=-1)
                if turned is not None and (y_axis is None or
                                           len(turned.labels) > len(y_axis.labels)):
                    y_axis = turned
            if y_axis is None:
                raise DataError("cannot read the y axis's tick labels (OCR found fewer than "
                                "two consistent numbers); give --y-range A,B")
    if y_axis.b >= 0:
        raise DataError("the y axis does not increase upwards; give --y-range A,B")
    if x_axis.b <= 0:
        raise DataError("the x axis does not increase to the right; give --x-range A,B")
    return x_axis, y_axis


def _axis_doc(ax, scale=1.0):
    return {"source": ax.source, "pixels_per_unit": round(ax.pixels_per_unit * scale, 3),
            "ticks": [[round(float(p), 2), v] for p, v in ax.labels]}


def _area(t, s):
    return float(np.sum(np.diff(t) * s[:-1]))


def _shared_start(first, segs):
    """A same-colour curve whose pixels were erased where it ran on top of ``first``: it
    follows ``first`` until its own line appears."""
    xs = segs[0][0]
    pre = [(a, min(b, xs), lev) for a, b, lev in first if a < xs and lev <= segs[0][2] + 0.75]
    return pre + segs if pre else segs
