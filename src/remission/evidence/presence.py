"""Maller-Zhou test for the presence of immunes (cured patients), null simulated.

H0: no one is cured (p = 1).  Statistic: the cure estimate KM(t_(n)).  Its null distribution
is simulated from the Weibull without cure fitted by maximum likelihood to the data, with
censoring drawn from the trial's own censoring distribution (reverse Kaplan-Meier, see
:class:`~.simulate.CensoringPattern`).  Monte Carlo p-value (1 + #{stat* >= stat}) / (B + 1).
Replicates run through :func:`remission.parallel.map_chunks`, so the p-value is the same for a
seed whatever the scheduler or the number of workers.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np


@dataclass(frozen=True)
class PresenceTest:
    statistic: float
    p_value: float
    reps: int
    seed: int
    null_shape: float
    null_scale: float
    null_quantile_95: float

    test = "maller-zhou p_n"

    def to_dict(self) -> dict:
        return {"test": self.test, "statistic": self.statistic, "p_value": self.p_value,
                "statistic_definition": "cure estimate KM(t_(n)) = 1 - p_n",
                "null": "no one is cured (p_n = 1)",
                "p_value_method": f"Monte Carlo, {self.reps} replicates from the fitted "
                                  "Weibull without cure and the trial's censoring pattern",
                "null_model": {"dist": "weibull", "shape": self.null_shape,
                               "scale": self.null_scale},
                "null_critical_value_5pct": self.null_quantile_95, "reps": self.reps,
                "mc_se": float(np.sqrt(self.p_value * (1 - self.p_value) / self.reps)),
                "seed": self.seed}


def presence_test(time, event, *, reps: int = 1000, seed: int = 1, scheduler=None,
                  progress: bool = False, null_fit=None) -> PresenceTest:
    from ..distributions import get_distribution
    from ..errors import OptionError
    from ..models import fit_distribution
    from ..parallel import map_chunks
    from .simulate import CensoringPattern, CureModel, null_presence_chunk
    from .tail import tail_facts

    if reps < 1:
        raise OptionError("--reps must be at least 1")
    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=bool)
    stat = tail_facts(t, e).survival_at_plateau
    f0 = null_fit or fit_distribution(get_distribution("weibull"), t, e)
    shape, scale = (float(np.ravel(v)[0]) for v in f0.natural_parameters())
    model = CureModel(0.0, shape, scale)
    pattern = CensoringPattern.from_data(t, e)
    fn = partial(null_presence_chunk, model=model, pattern=pattern, n=t.size)
    sims = np.array(map_chunks(fn, reps, seed=seed, chunk_size=250, scheduler=scheduler,
                               progress=progress, description="presence test"))[:, 0]
    # ties within double-precision rounding count as "at least as extreme"
    p = (1 + np.sum(sims >= stat - 1e-12)) / (reps + 1)
    return PresenceTest(float(stat), float(p), int(reps), int(seed), shape, scale,
                        float(np.quantile(sims, 0.95)))
