"""Simulated cure data shared by the tests (known truth)."""
import numpy as np


def cure_data(seed, n=100, cure=0.3, shape=1.2, scale=10.0, c_lo=20.0, c_hi=50.0):
    """Weibull mixture cure event times, uniform(c_lo, c_hi) potential follow-up."""
    rng = np.random.default_rng(seed)
    t = np.where(rng.random(n) < cure, np.inf, scale * rng.weibull(shape, n))
    c = rng.uniform(c_lo, c_hi, n)
    return np.minimum(t, c), t <= c
