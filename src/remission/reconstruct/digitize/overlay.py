"""An overlay for trust: the digitised curves drawn over the original picture.

Each curve is drawn back into the figure's pixels through the same axis calibration that
read it (thin, in a contrasting colour, its number at its end), with the tick positions the
calibration used marked on the axes: where the overlay's lines do not sit on the figure's,
the digitising went wrong.
"""
from __future__ import annotations

import numpy as np

from ...errors import OptionError

#: the longest side, in pixels, of the overlay embedded in a report (``reconstruct --figure``
#: provenance): a larger figure is drawn downscaled, so the report stays a few hundred KB
REPORT_MAX_SIDE = 1000


def write_overlay(res, path) -> None:
    """Write the overlay of ``res`` (a :class:`DigitizeResult` of a picture) as a PNG at
    the figure's own size (``digitize --overlay``)."""
    from ...safe_io import write_bytes

    write_bytes(path, overlay_png(res), "--overlay")


def overlay_png(res, max_side: int | None = None) -> bytes:
    """The overlay as PNG bytes; ``max_side``: draw it downscaled so that its longer side is
    at most this many pixels (the figure's own size when smaller)."""
    if res.pixels is None:
        raise OptionError("--overlay: the figure was read from a PDF's vector paths, which "
                          "are exact; an overlay is drawn for pictures (PNG, JPEG, images)")
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rgb, x_axis, y_axis, scale = res.pixels
    h, w = rgb.shape[:2]
    shrink = 1.0 if not max_side or max(w, h) <= max_side else max_side / max(w, h)
    dpi = 100
    fig = plt.figure(figsize=(w / dpi, h / dpi), dpi=dpi)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.imshow(rgb, alpha=0.55, interpolation="nearest" if shrink == 1.0 else "antialiased")
    for name, (t, s) in res.curves.items():
        px = x_axis.pixel(np.asarray(t)) + 0.5  # pixel centres: index + 0.5 in imshow
        py = y_axis.pixel(np.asarray(s) * scale) + 0.5
        ax.plot(px - 0.5, py - 0.5, color="#d6006f", lw=0.9 / shrink)  # ~1 px at any size
        ax.annotate(name, (px[-1] - 0.5, py[-1] - 0.5), color="#d6006f", fontsize=8 / shrink,
                    xytext=(3, 2), textcoords="offset points")
    for p, _v in x_axis.labels:
        ax.plot([p, p], [h - 1, h - 6], color="#d6006f", lw=0.8 / shrink)
    for p, _v in y_axis.labels:
        ax.plot([0, 5], [p, p], color="#d6006f", lw=0.8 / shrink)
    ax.set_xlim(-0.5, w - 0.5)
    ax.set_ylim(h - 0.5, -0.5)
    ax.axis("off")
    buf = io.BytesIO()
    try:
        fig.savefig(buf, format="png", dpi=dpi * shrink)
    finally:
        plt.close(fig)
    return buf.getvalue()
