"""A PDF page: a figure drawn as vector graphics is read from its path operators.

The page's content stream is interpreted with ``pypdf`` (pure Python): the current
transformation (``cm``, ``q``/``Q``), the stroke colour, opacity and width, and the paths
(``m``, ``l``, ``c``, ``re``) with how they are painted.  Then, with exact coordinates and no
pixels:

* the axes are the LOWEST long horizontal and the LEFTMOST long vertical dark stroke;
* tick marks are markers (``Do``) or short strokes just outside the axes;
* tick labels are the page's text (numbers), placed by their text matrices and snapped to
  the nearest tick mark (so no OCR is needed);
* curves are the opaque, stroked (never filled: confidence bands are fills), non-light paths
  inside the plot spanning at least 15% of its width; every path is one curve, whatever its
  colour or dash pattern, and its vertices are the step function's corners.

A page with no vector curve but an embedded image is read from that image's pixels.
"""
from __future__ import annotations

import re

import numpy as np

from ...errors import DataError, OptionError
from . import calibrate
from .result import DigitizeResult

NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*%?\s*$")
#: advance widths (em) of DejaVu Sans (matplotlib's default) and Helvetica (R's pdf())
#: digits are 0.636 / 0.556 em: the width of a centred label places its centre
WIDTH = {".": 0.318, "-": 0.338, "%": 0.95}
DIGIT = 0.6


def _mul(a, b):
    """Compose two PDF matrices [a b c d e f] (apply ``a`` then ``b``)."""
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def _apply(m, x, y):
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _colour(ops, space):
    v = [float(o) for o in ops if not isinstance(o, str)]
    if len(v) == 1:
        return (v[0],) * 3
    if len(v) == 3:
        return tuple(v)
    if len(v) == 4:  # CMYK
        c, m, y, k = v
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return (0.0, 0.0, 0.0)


def _alpha(resources, name):
    try:
        gs = resources["/ExtGState"][name].get_object()
        return float(gs.get("/CA", 1.0))
    except (KeyError, TypeError, AttributeError):
        return 1.0


def interpret(page):
    """(strokes, markers): strokes [(points (n, 2), rgb, alpha, width, filled, dash array)]
    in page points,
    markers [(x, y)] where a form (a marker: tick, censoring mark) is drawn."""
    from pypdf.generic import ContentStream

    contents = page.get_contents()
    if contents is None:
        return [], []
    resources = page.get("/Resources") or {}
    ops = ContentStream(contents, page.pdf).operations
    ctm = [1, 0, 0, 1, 0, 0]
    st = {"rgb": (0.0, 0.0, 0.0), "alpha": 1.0, "w": 1.0, "dash": ()}
    stack = []
    path, cur = [], []
    strokes, markers = [], []
    for operands, op in ops:
        op = op.decode("latin-1") if isinstance(op, bytes) else op
        if op == "q":
            stack.append((ctm, dict(st)))
        elif op == "Q" and stack:
            ctm, st = stack.pop()
        elif op == "cm" and len(operands) == 6:
            ctm = _mul([float(v) for v in operands], ctm)
        elif op in ("RG", "G", "K", "SC", "SCN"):
            st["rgb"] = _colour(operands, op)
        elif op == "w" and operands:
            st["w"] = float(operands[0]) * abs(ctm[3]) if ctm[3] else float(operands[0])
        elif op == "d" and operands:  # dash array (solid: empty), for the legend
            st["dash"] = tuple(float(v) for v in operands[0])
        elif op == "gs" and operands:
            st["alpha"] = _alpha(resources, operands[0])
        elif op == "m" and len(operands) == 2:
            if len(cur) > 1:
                path.append(cur)
            cur = [_apply(ctm, float(operands[0]), float(operands[1]))]
        elif op == "l" and len(operands) == 2:
            cur.append(_apply(ctm, float(operands[0]), float(operands[1])))
        elif op in ("c", "v", "y") and len(operands) >= 4:
            cur.append(_apply(ctm, float(operands[-2]), float(operands[-1])))
        elif op == "re" and len(operands) == 4:
            x, y, w, h = (float(v) for v in operands)
            if len(cur) > 1:
                path.append(cur)
            path.append([_apply(ctm, *p) for p in ((x, y), (x + w, y), (x + w, y + h),
                                                     (x, y + h), (x, y))])
            cur = []
        elif op in ("S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"):
            if len(cur) > 1:
                path.append(cur)
            if op in ("S", "s", "B", "B*", "b", "b*"):  # stroked (B, b: filled too)
                for sub in path:
                    strokes.append((np.array(sub), st["rgb"], st["alpha"], st["w"],
                                    op not in ("S", "s"), st["dash"]))
            path, cur = [], []
        elif op == "Do":
            markers.append((ctm[4], ctm[5]))
    return strokes, markers


def _labels(page):
    """[(x, y, font size, text)] of the numbers on the page (baseline start, page points)."""
    out = []

    def visit(text, cm, tm, font_dict, font_size):
        m = NUMBER.match(text or "")
        if m:
            full = _mul(tm, cm)
            size = font_size * (float(np.hypot(full[2], full[3])) or 1.0)
            y = full[5]
            if abs(full[0]) < 1e-6 and full[1] > 0:  # written upwards (R's default, las = 0)
                y += _width(text.strip(), size) / 2 - 0.36 * size  # y + 0.36 size: its middle
            out.append((full[4], y, size, text.strip()))

    page.extract_text(visitor_text=visit)
    return out


def _width(txt, size):
    return size * sum(WIDTH.get(ch, DIGIT) for ch in txt)


def digitize_pdf(path, *, page=1, x_range=None, y_range=None, curves=None,
                 panel=None) -> DigitizeResult:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        n = len(reader.pages)
    except (PdfReadError, OSError, ValueError) as e:
        raise DataError(f"cannot read the PDF figure {path}: {' '.join(str(e).split())}") \
            from None
    if page > n:
        raise OptionError(f"--page {page}: the PDF has {n} page(s)")
    pg = reader.pages[page - 1]
    strokes, markers = interpret(pg)
    try:
        return _vector(pg, strokes, markers, x_range, y_range, curves, page, panel)
    except DataError:
        if not getattr(pg, "images", None):
            raise
    return _embedded_image(pg, x_range, y_range, curves, panel)


def _embedded_image(pg, x_range, y_range, curves, panel=None):
    from .load import check_pixels
    from .run import digitize_pixels

    best = max(pg.images, key=lambda im: im.image.size[0] * im.image.size[1])
    w, h = best.image.size
    check_pixels(w, h)
    rgb = np.asarray(best.image.convert("RGB"), dtype=np.uint8)
    res = digitize_pixels(rgb, x_range=x_range, y_range=y_range, curves=curves, panel=panel)
    res.report["source"] = "image embedded in the PDF page"
    return res


def _dark(rgb):
    return max(rgb) < 0.45 and max(rgb) - min(rgb) < 0.25


def _vector(pg, strokes, markers, x_range, y_range, curves, page, panel=None):
    from .run import _area, _axis_doc

    hs, vs = [], []  # dark straight strokes: (length, fixed coordinate, lo, hi)
    for pts, rgb, alpha, _w, _f, _d in strokes:
        if len(pts) > 5 or not _dark(rgb) or alpha < 0.5:
            continue
        # a line, or the sides of a box (R draws its box as one path: the closing side too)
        ends = list(zip(pts[:-1], pts[1:])) + ([(pts[-1], pts[0])] if len(pts) > 3 else [])
        for (x1, y1), (x2, y2) in ends:
            if abs(y1 - y2) < 1e-6 and abs(x2 - x1) > 0:
                hs.append((abs(x2 - x1), y1, min(x1, x2), max(x1, x2)))
            elif abs(x1 - x2) < 1e-6 and abs(y2 - y1) > 0:
                vs.append((abs(y2 - y1), x1, min(y1, y2), max(y1, y2)))
    if not hs or not vs:
        raise DataError(f"no plot found on page {page} of the PDF: no vector axis lines")
    hmax, vmax = max(h[0] for h in hs), max(v[0] for v in vs)
    # the lowest (leftmost) long line; of lines at one height, the longest (R's box side,
    # not its axis line from the first tick to the last)
    xaxis = min((h for h in hs if h[0] >= 0.8 * hmax), key=lambda h: (round(h[1], 3), -h[0]))
    yaxis = min((v for v in vs if v[0] >= 0.8 * vmax), key=lambda v: (round(v[1], 3), -v[0]))
    left, right, bottom, top = yaxis[1], xaxis[3], xaxis[1], yaxis[3]
    labels = _labels(pg)
    panel_doc = {}
    from .panel import choose, vector_bounds, vector_panels

    box = pg.mediabox
    panels = vector_panels(hs, vs, float(box.width), float(box.height))
    k = choose(panels, panel)
    bounds = None
    if k is not None:  # one panel of several: its axes, and only the text and marks near it
        left, right, bottom, top = panels[k]
        x0, x1, y0, y1 = bounds = vector_bounds(panels, k)
        labels = [w for w in labels if x0 <= w[0] <= x1 and y0 <= w[1] <= y1]
        markers = [(x, y) for x, y in markers if x0 <= x <= x1 and y0 <= y <= y1]
        panel_doc = {"panels": len(panels), "panel": k + 1}
    width = right - left
    # tick marks: markers on the axes, or short dark strokes crossing them
    xt = [x for x, y in markers if abs(y - bottom) < 1 and left - 1 <= x <= right + 1]
    yt = [y for x, y in markers if abs(x - left) < 1 and bottom - 1 <= y <= top + 1]
    xt += [x for ln, x, a, b in vs if ln < 0.05 * width and a <= bottom + 0.5
           and b >= bottom - 0.5 and left - 1 <= x <= right + 1]
    yt += [y for ln, y, a, b in hs if ln < 0.05 * width and a <= left + 0.5
           and b >= left - 0.5 and bottom - 1 <= y <= top + 1]
    x_axis = y_axis = None
    if x_range is not None:
        x_axis = calibrate.from_range(x_range[0], x_range[1], left, right)
    else:
        below = [(x + _width(t, s) / 2, float(t.rstrip("%"))) for x, y, s, t in labels
                 if y < bottom and bottom - y < 4 * s and left - 3 * s <= x <= right + s]
        x_axis = calibrate.fit(calibrate.snap(below, xt), source="pdf-text")
    if y_range is not None:
        y_axis = calibrate.from_range(y_range[0], y_range[1], bottom, top)
    else:
        side = [(y + 0.36 * s, float(t.rstrip("%"))) for x, y, s, t in labels
                if x < left and left - x < 8 * s and bottom - s <= y <= top + s]
        y_axis = calibrate.fit(calibrate.snap(side, yt), source="pdf-text")
    if x_axis is None or y_axis is None:
        which = "--x-range" if x_axis is None else "--y-range"
        raise OptionError(f"cannot read the {'x' if x_axis is None else 'y'} axis's tick "
                          f"labels from the PDF's text; give {which} A,B")
    if x_axis.b <= 0 or y_axis.b <= 0:
        raise DataError("the PDF's axes do not increase to the right and upwards; give "
                        "--x-range and --y-range")
    scale = 100.0 if float(y_axis.value(top)) > 1.5 else 1.0
    found = []
    for pts, rgb, alpha, w, filled, dash in strokes:
        if len(pts) < 3 or filled or alpha < 0.5 or min(rgb) > 0.7:  # bands, grid, frames
            continue
        inside = (pts[:, 0] >= left - 0.5) & (pts[:, 0] <= right + 0.5) & \
                 (pts[:, 1] >= bottom - 0.5) & (pts[:, 1] <= top + 0.5)
        if not inside.all() or np.ptp(pts[:, 0]) < 0.15 * width:
            continue
        if np.any(np.diff(pts[:, 0]) < -1e-6) or np.any(np.diff(pts[:, 1]) > 1e-6):
            continue  # a survival curve never goes back in time nor up
        t = np.maximum(x_axis.value(pts[:, 0]), 0.0)
        s = np.clip(y_axis.value(pts[:, 1]) / scale, 0.0, 1.0)
        keep = np.r_[True, (np.diff(t) != 0) | (np.diff(s) != 0)]
        name = "#" + "".join(f"{int(round(255 * c)):02x}" for c in rgb)
        found.append((t[keep], s[keep], name, float(np.ptp(pts[:, 0])), w, (rgb, dash)))
    if not found:
        raise DataError(f"no curve found on page {page} of the PDF (no stroked step line "
                        "spanning at least 15% of the plot's width)")
    if curves is not None:
        if len(found) < curves:
            raise DataError(f"--curves {curves}: only {len(found)} curve(s) found in the figure")
        found = sorted(found, key=lambda f: -f[3])[:curves]
    found.sort(key=lambda f: -_area(f[0], f[1]))
    from .pdf_legend import read_names

    names = read_names(pg, strokes, [f[5] for f in found], bounds)
    out, cols, q = {}, {}, []
    for k, (t, s, colour, _span, w, _style) in enumerate(found, start=1):
        name = names[k - 1] if names else str(k)
        out[name], cols[name] = (t, s), colour
        q.append({"curve": name, "colour": colour, "corners": int(t.size),
                  "columns_on_line": None, "gaps_bridged": 0, "line_width_px": round(w, 2)})
    res_at_risk, warnings = {}, []
    if x_axis.source == "pdf-text":  # a numbers-at-risk table: lines of numbers below
        from . import at_risk

        ticks = [v for _, v in x_axis.labels]
        tick_line = min(bottom - y for x, y, s, t in labels if y < bottom) if labels else 0
        words = [(float(x_axis.value(x + _width(t, s) / 2)), round(y, 1), t)
                 for x, y, s, t in sorted(labels, key=lambda w: -w[1])
                 if y < bottom - tick_line - 0.5]
        rows = at_risk.rows_from_text(words, _grid(ticks))
        res_at_risk = at_risk.match(rows, out, lambda n, t: _step(out[n], t), warnings)
    report = {"source": "vector paths of the PDF page", "page": page,
              "plot_area_pt": [round(left, 3), round(top, 3), round(right, 3),
                               round(bottom, 3)],
              "x_axis": _axis_doc(x_axis), "y_axis": _axis_doc(y_axis, scale),
              "y_scale": "percent" if scale == 100 else "fraction", "curves_found": len(out),
              "curves": q, "legend_read": bool(names), "gaps_bridged": 0,
              "at_risk_rows": len(res_at_risk), "at_risk_warnings": warnings, **panel_doc}
    return DigitizeResult(out, cols, report, at_risk=res_at_risk)


def _grid(values):
    from .run import _tick_grid

    return _tick_grid(values)


def _step(curve, t):
    times, surv = curve
    i = np.searchsorted(times, np.asarray(t, float), side="right") - 1
    return np.where(i >= 0, surv[np.clip(i, 0, None)], 1.0)
