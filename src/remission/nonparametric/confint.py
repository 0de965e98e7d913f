"""Pointwise confidence intervals for a survival curve, exactly as R's survfit computes them."""
from __future__ import annotations

import numpy as np

from ..errors import OptionError

CONF_TYPES = ("log-log", "log", "plain")
#: the z of the default 95% level, ndtri(0.975), exactly as scipy.special returns it
#: (tests/nonparametric/test_confint_z.py): a Kaplan-Meier at 95% then imports no SciPy
Z95 = 1.959963984540054


def normalize_conf_type(conf_type: str) -> str:
    c = str(conf_type).strip().lower().replace("_", "-")
    c = {"loglog": "log-log", "log log": "log-log"}.get(c, c)
    if c not in CONF_TYPES:
        raise OptionError(f"unknown confidence interval type '{conf_type}' "
                          f"(choose from {', '.join(CONF_TYPES)})")
    return c


def check_conf_level(conf_level: float) -> float:
    lvl = float(conf_level)
    if not 0.0 < lvl < 1.0:
        raise OptionError(f"confidence level must be strictly between 0 and 1, got {conf_level}")
    return lvl


def normal_quantile(conf_level: float) -> float:
    """z of a two-sided ``conf_level`` interval: ndtri(1 - (1 - level) / 2)."""
    p = 1.0 - (1.0 - check_conf_level(conf_level)) / 2.0
    if p == 0.975:
        return Z95
    from scipy.special import ndtri  # = scipy.stats.norm.ppf, without importing scipy.stats

    return float(ndtri(p))


def survival_ci(surv, std_err, conf_type="log-log", conf_level=0.95):
    """Lower and upper limits for S(t) given ``std_err`` = SE of the cumulative hazard.

    ``log-log`` transforms with log(-log S) and stays within (0, 1); undefined (NaN) where
    S is 0 or 1, as in R.  ``log`` exponentiates limits of log S and caps the upper at 1;
    ``plain`` is S +- z SE(S), clipped to [0, 1].
    """
    conf_type = normalize_conf_type(conf_type)
    z = normal_quantile(conf_level)
    s = np.asarray(surv, dtype=float)
    se = np.asarray(std_err, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if conf_type == "plain":
            se2 = z * se * s
            lower = np.maximum(s - se2, 0.0)
            upper = np.minimum(s + se2, 1.0)
        elif conf_type == "log":
            xx = np.where(s == 0, np.nan, s)
            lower = np.exp(np.log(xx) - z * se)
            upper = np.minimum(np.exp(np.log(xx) + z * se), 1.0)
        else:
            xx = np.where((s == 0) | (s == 1), np.nan, s)
            lx = np.log(xx)
            se2 = z * se / lx
            lower = np.exp(-np.exp(np.log(-lx) - se2))
            upper = np.exp(-np.exp(np.log(-lx) + se2))
    return lower, upper
