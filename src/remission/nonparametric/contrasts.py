"""The groups of a summary compared with a reference group: Cox hazard ratios and RMST
differences (``remission summary --group``, SPEC keys ``hazard_ratios`` and
``rmst_differences``).

* Hazard ratios: one Cox model ``coxph(Surv ~ group)`` with the reference level as baseline
  (R: ``relevel(factor(group), ref)``), Efron ties, Wald intervals exp(b +- z se) and Wald
  p-values, fitted by :func:`remission.nonparametric.cox.cox_ph` on the rows with a group.
* RMST differences: each group's restricted mean (Kaplan-Meier area to the common ``tau``, R's
  ``survmean`` standard error) minus the reference group's, interval diff +- z sqrt(se_g^2 +
  se_r^2) (the groups are independent samples).
"""
from __future__ import annotations

import math

import numpy as np

from ..errors import ConvergenceError, DataError, OptionError


def reference_level(levels, reference=None, column: str = "group") -> str:
    """The reference group: ``reference`` (which must be a level) or the first level."""
    if reference is None:
        return levels[0]
    ref = str(reference).strip()
    if ref not in levels:
        raise OptionError(f"--reference '{reference}' is not a level of {column} (levels: "
                          f"{', '.join(list(levels)[:20])})")
    return ref


def hazard_ratios(data, reference: str, conf_level: float = 0.95,
                  strata: str | None = None) -> tuple[dict | None, str]:
    """(the SPEC ``hazard_ratios`` block, or None, and a note saying why it is missing).

    ``strata``: a covariate column of ``data``; the Cox model is then stratified by it (a
    baseline hazard per stratum, R's ``+ strata(COL)``), rows with a missing stratum left
    out."""
    if data.entry is not None or data.weights is not None:
        return None, "hazard ratios not computed: delayed entry or case weights"
    levels = data.group_levels()
    others = [lev for lev in levels if lev != reference]
    if not others:
        return None, "one group only: no hazard ratio"
    from ..limits import MAX_LOGRANK_GROUPS

    if len(levels) > MAX_LOGRANK_GROUPS:  # one Cox coefficient per group: p x p information
        return None, (f"hazard ratios not computed: {len(levels)} groups, more than "
                      f"{MAX_LOGRANK_GROUPS} (a limit of remission)")
    codes = data.group_codes()
    keep = codes >= 0
    st = None
    if strata is not None:
        cov = data.covariates
        if cov is None or strata not in cov.columns:
            raise DataError("--strata: the column is not in the data", column=strata)
        import pandas as pd

        sv = cov[strata]
        keep &= ~pd.isna(sv).to_numpy()
        st = sv.astype(str).to_numpy()[keep]
    lab = np.asarray(levels, dtype=object)[codes[keep]]
    X = np.column_stack([(lab == lev).astype(float) for lev in others])
    from .cox import cox_ph

    try:
        fit = cox_ph(data.time[keep], data.event[keep], X, names=others, ties="efron",
                     strata=st)
    except (ConvergenceError, DataError) as e:
        return None, f"hazard ratios not computed: {e}"
    d = fit.as_dict(conf_level)
    return {"reference": reference, "ties": "efron", "conf_level": conf_level,
            "strata": strata, "n": int(keep.sum()),
            "loglik": [float(v) for v in d["loglik"]],
            "contrasts": [{"group": t["name"], "estimate": t["hazard_ratio"],
                           "lower": t["lower"], "upper": t["upper"], "p": t["p"],
                           "coef": t["coef"], "se": t["se"]} for t in d["terms"]]}, ""


def rmst_differences(groups, reference: str, conf_level: float = 0.95) -> list[dict] | None:
    """RMST of each group minus the reference's (``groups``: GroupSummary, "all" skipped)."""
    from scipy.special import ndtri

    by = {g.group: g for g in groups if g.group != "all"}
    if len(by) < 2 or reference not in by:
        return None
    z = float(ndtri(0.5 + conf_level / 2))
    r = by[reference].rmst
    out = []
    for lev, g in by.items():
        if lev == reference:
            continue
        est = float(g.rmst.estimate) - float(r.estimate)
        se = math.hypot(float(g.rmst.se), float(r.se))
        out.append({"group": lev, "reference": reference, "tau": float(r.tau),
                    "estimate": est, "se": se, "lower": est - z * se, "upper": est + z * se})
    return out
