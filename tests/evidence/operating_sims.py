"""Simulated data sets shared by tests/evidence/test_operating.py and test_operating_level.py
(one file held all of them; split so that pytest-xdist's --dist loadfile can run them on
two workers).  Sizes, bands and scenarios: see test_operating.py."""
import numpy as np

from ..sizes import REDUCED

R = 60 if REDUCED else 300
B = 99 if REDUCED else 199
N = 100
ALPHA = 0.05
SE0 = np.sqrt(ALPHA * (1 - ALPHA) / R)
LEVEL_BAND = ALPHA + 3 * SE0


def datasets(seed, cure, shape, scale, lo, hi, uniform=False):
    rng = np.random.default_rng(seed)
    for _ in range(R):
        lat = rng.uniform(0, scale, N) if uniform else scale * rng.weibull(shape, N)
        t = np.where(rng.random(N) < cure, np.inf, lat)
        c = rng.uniform(lo, hi, N)
        yield np.minimum(t, c), t <= c


def rate(flags):
    return float(np.mean(list(flags)))


def floor(p):
    """Power floor: 3 SE (at the measured power p) below p."""
    return p - 3 * np.sqrt(p * (1 - p) / R) - (0.02 if p >= 0.99 else 0.0)
