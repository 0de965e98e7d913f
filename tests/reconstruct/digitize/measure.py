"""Compare digitised curves with the true Kaplan-Meier step functions they were drawn from."""
from __future__ import annotations

import numpy as np

from .draw import true_at, truth


def errors(res, arms):
    """Per true arm, the best-matching digitised curve's (name, max error, RMSE).

    The max vertical error is taken on the plateaus: at times more than 2 line widths + 1
    pixel (at least 4 pixels, of the x axis) from every true drop.  Nearer, two drops closer
    than that are drawn as one thick staircase and a drop placed a pixel early or late counts as the whole drop:
    that is a time error of a few pixels, not a level error, and the RMSE, taken over every
    time (drops included) on a grid of 4,000 times up to the arm's last time, counts it.
    """
    ppu = res.report["x_axis"]["pixels_per_unit"]
    lw = max(c["line_width_px"] for c in res.report["curves"])
    time_px = max(2 * lw + 1, 4)  # and at least 4: a drop in a dash's gap or under a '+'
    # censoring mark is placed from the nearest visible pixels, up to ~2 either side
    out = []
    used = set()
    for time, event in arms:
        t, s, _ = truth(time, event)
        grid = np.linspace(0, t.max(), 4000)
        drops = t[np.r_[True, np.diff(s) < 0] & (np.r_[1.0, s[:-1]] > s)]
        far = np.min(np.abs(grid[:, None] - drops[None, :]), axis=1) > time_px / ppu
        best = None
        for name in res.curves:
            if name in used:
                continue
            d = res.step(name, grid) - true_at(t, s, grid)
            rmse = float(np.sqrt(np.mean(d ** 2)))
            mx = float(np.abs(d[far]).max())
            if best is None or rmse < best[2]:
                best = (name, mx, rmse)
        used.add(best[0])
        out.append(best)
    return out
