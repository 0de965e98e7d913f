"""One table of example parameter sets per registered family (natural scale).

Every family in ``remission.distributions.REGISTRY`` must appear here: the identity tests
iterate over the registry, so a new family without examples fails loudly.
"""
from __future__ import annotations

import numpy as np

from remission.distributions import REGISTRY, RoystonParmar, get_distribution

KNOTS = {0: [np.log(0.2), np.log(20.0)],
         2: [np.log(0.2), np.log(2.0), np.log(5.0), np.log(20.0)]}


def examples():
    """(id, distribution, params) triples covering each family's regimes."""
    out = []
    table = {
        "exponential": [(0.3,), (2.0,)],
        "weibull": [(0.7, 3.0), (1.0, 1.0), (2.5, 4.0)],
        "gompertz": [(0.2, 0.1), (-0.3, 0.4), (0.0, 0.5)],
        "lognormal": [(0.5, 0.8), (2.0, 1.5)],
        "loglogistic": [(0.8, 2.0), (3.0, 5.0)],
        "gamma": [(0.6, 0.5), (3.0, 1.2)],
        "gengamma": [(1.0, 0.7, 0.5), (1.2, 0.9, -0.6), (0.5, 0.6, 1.0), (1.0, 0.8, 0.0005),
                     (1.0, 0.8, 1.8)],
    }
    for name in REGISTRY:
        if name == "spline":
            for scale in ("hazard", "odds", "normal"):
                d0 = RoystonParmar(0, scale, KNOTS[0])
                out.append((f"spline-{scale}-k0", d0, (-1.0, 1.3)))
                d2 = RoystonParmar(2, scale, KNOTS[2])
                out.append((f"spline-{scale}-k2", d2, (-1.0, 1.2, 0.02, -0.03)))
            continue
        assert name in table, f"add example parameters for the new family {name!r}"
        for params in table[name]:
            out.append((f"{name}-{params}", get_distribution(name), params))
    return out


EXAMPLES = examples()
IDS = [e[0] for e in EXAMPLES]
TIMES = np.array([0.05, 0.3, 1.0, 2.5, 7.0, 15.0, 40.0])
