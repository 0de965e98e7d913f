"""The digitised curves and the quality report; written as ``curve,time,survival``."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class DigitizeResult:
    curves: dict                     # name -> (times, survivals): corners of the step curve
    colours: dict                    # name -> colour of the curve ("#1f77b4", "black", ...)
    report: dict = field(default_factory=dict)
    at_risk: dict = field(default_factory=dict)  # name -> (times, n at risk), when printed
    #: (rgb, x axis, y axis, survival scale) of a picture, for the overlay; None for vectors
    pixels: tuple | None = field(default=None, repr=False)

    def risk_csv(self) -> str:
        lines = ["time,n_risk,arm"]
        lines += [f"{t:g},{n},{name}" for name, (ts, ns) in self.at_risk.items()
                  for t, n in zip(ts, ns)]
        return "\n".join(lines) + "\n"

    def rows(self):
        for name, (t, s) in self.curves.items():
            for ti, si in zip(t, s):
                yield name, float(ti), float(si)

    def to_csv(self) -> str:
        lines = ["curve,time,survival"]
        lines += [f"{n},{t:.6g},{s:.6g}" for n, t, s in self.rows()]
        return "\n".join(lines) + "\n"

    def write(self, path) -> None:
        from ...safe_io import write_text

        write_text(path, self.to_csv())

    def step(self, name, t):
        """The digitised survival at times ``t`` (right-continuous step function; 1 before
        the first corner, as the Kaplan-Meier curve it was drawn from)."""
        times, surv = self.curves[name]
        times, surv = np.asarray(times), np.asarray(surv)
        t = np.asarray(t, float)
        # corners come in pairs (time, before) (time, after): the value after each time
        i = np.searchsorted(times, t, side="right") - 1
        return np.where(i >= 0, surv[np.clip(i, 0, None)], 1.0)  # a KM curve starts at 1


def corners(segments, x_axis, y_axis, x0: float, y0: float, scale: float):
    """Corners (times, survivals) of the step path ``segments`` [(x_start, x_end, row)] in
    plot-area pixels offset by (x0, y0) from the image; survival divided by ``scale``."""
    t, s = [], []
    for a, b, lev in segments:  # both ends of each level: (start, s), (end, s)
        sv = float(y_axis.value(lev + y0)) / scale
        t += [float(x_axis.value(a + x0)), float(x_axis.value(b + x0))]
        s += [sv, sv]
    t = np.maximum(np.asarray(t), 0.0)
    s = np.clip(np.asarray(s), 0.0, 1.0)
    return t, s
