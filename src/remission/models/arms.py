"""Models per arm and the arms compared: ``remission fit --group`` and ``compare --group``.

:func:`fit_by_group` fits one :class:`~remission.models.spec.ModelSpec` to each group of the
data separately (each arm's fit is exactly the fit of that arm alone: no parameter is shared)
and, for cure models, compares each arm's cure fraction with the reference arm's
(:func:`cure_contrast`):

* the **odds ratio** pi_g (1 - pi_r) / (pi_r (1 - pi_g)), with a Wald interval on the log
  scale: log OR = logit pi_g - logit pi_r, whose variance is the sum of the two arms'
  delta-method variances of logit pi (the arms are fitted independently, so they add);
* the **difference** pi_g - pi_r, with a delta-method interval built on the atanh scale
  (atanh of the difference, mapped back with tanh), so that it stays inside (-1, 1); the
  variance of the difference is the sum of the arms' variances of pi,
  Var(pi) = (pi (1 - pi))^2 Var(logit pi);
* with ``ci="bootstrap"`` (each group's replicates), ``bootstrap``: percentile intervals of
  the difference and the odds ratio over the paired replicates (:func:`bootstrap_contrast`);
* ``uncured_median_ratio``: the latency compared, the ratio of the uncured's median times
  with a log-scale Wald interval (:func:`latency_contrast`);
* ``p_equal_cure``: the **Wald test** of equal cure fractions, z = log OR / se(log OR),
  two-sided (``test`` says so);
* ``lr_test`` (parametric cure models): the likelihood-ratio test of a common cure fraction
  in one model of all the groups (:func:`lr_equal_cure`; the latency's ancillary parameters
  are shared there, so it is a different model from the per-group fits).

An arm at the boundary (no plateau: its cure fraction is estimated as 0) has no logit, so
its contrasts are null with a ``note``.  A group with fewer than :data:`MIN_EVENTS` events is
refused (a DataError naming the group) rather than fitted badly; a group whose fit does not
converge is a ConvergenceError naming the group (never a result).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from ..errors import ConvergenceError, DataError, OptionError
from ..table import json_number as _num

#: the fewest events a group needs before a model is fitted to it alone
MIN_EVENTS = 5

DIFFERENCE_SCALE = "atanh (Fisher z) of the difference, back-transformed: stays in (-1, 1)"
ODDS_RATIO_SCALE = "log odds ratio (Wald)"
TEST = "Wald test on the logit difference (arms fitted independently)"


# ---------------------------------------------------------------------- the groups
def grouped(data, by=None):
    """``data`` with its group set to column ``by`` (a covariate column of the data, or the
    group the data were read with); ``data`` itself when ``by`` is None."""
    if by is None:
        if data.group is None:
            raise OptionError("--group: the data have no group column (read them with "
                              "group=COL, or pass by=COL)")
        return data
    by = str(by)
    if data.group is not None and data.meta.get("group_column") == by:
        return data
    cov = data.covariates
    if cov is None or by not in cov.columns:
        raise DataError(f"no column '{by}' to group by: read the data with "
                        f"read_survival(path, covariates=['{by}']) (or group='{by}')",
                        column=by)
    from ..data.survival_data import SurvivalData

    g = SurvivalData.from_arrays(data.time, data.event, group=cov[by].to_numpy(
        dtype=object)).group
    return replace(data, group=g, meta={**data.meta, "group_column": by})


def levels_and_reference(data, reference=None) -> tuple[list[str], str]:
    """The group levels (sort order) and the reference level (default: the first)."""
    levels = data.group_levels()
    col = data.meta.get("group_column") or "group"
    if len(levels) < 1:
        raise DataError(f"--group {col}: every value is missing", column=col)
    if reference is None:
        return levels, levels[0]
    ref = str(reference).strip()
    if ref not in levels:
        raise OptionError(f"--reference '{reference}' is not a level of {col} (levels: "
                          f"{', '.join(levels[:20])})")
    return levels, ref


def _check_groups(data, spec, col):
    if col and col in spec.columns:
        raise OptionError(f"--group {col} is also a covariate of the model: each group is "
                          "fitted alone, so the column is constant within a group (drop it "
                          "from --covariates/--cure-covariates, or drop --group)")
    for lev, sub in data.by_group():
        if sub.n_events < MIN_EVENTS:
            raise DataError(f"--group {col}: group '{lev}' has {sub.n_events:g} event"
                            f"{'s' if sub.n_events != 1 else ''} (at least {MIN_EVENTS} are "
                            "needed to fit a model to a group alone)", column=col)


# ---------------------------------------------------------------------- per-arm fits
@dataclass(frozen=True, eq=False)
class GroupFits:
    """One fitted model per group (``fits``: ((level, FittedModel), ...)) and the contrasts
    of each group against ``reference``."""

    column: str
    reference: str
    fits: tuple
    conf_level: float

    def fit(self, level):
        return dict(self.fits)[str(level)]

    def contrasts(self) -> list[dict]:
        """Cure-fraction contrasts against the reference (empty without a cure model)."""
        ref = self.fit(self.reference)
        if ref.cure_kind is None:
            return []
        return [{"group": lev, **cure_contrast(f, ref, self.conf_level)}
                for lev, f in self.fits if lev != self.reference]

    def comparison(self) -> dict:
        out = {"reference": self.reference, "group_column": self.column,
               "contrasts": self.contrasts()}
        if self.fit(self.reference).cure_kind is not None:
            out.update(difference_scale=DIFFERENCE_SCALE, odds_ratio_scale=ODDS_RATIO_SCALE,
                       test=TEST, conf_level=self.conf_level)
        else:
            out["note"] = "no cure model: no cure-fraction contrasts"
        return out

    lr_test: dict | None = None

    def to_dict(self, times=None, *, horizon=None) -> dict:
        """The SPEC ``fit --group`` document."""
        comp = self.comparison()
        if self.lr_test is not None:
            comp["lr_test"] = self.lr_test
        return {"group_column": self.column,
                "groups": [{"group": lev, **f.to_dict(times, horizon=horizon)}
                           for lev, f in self.fits],
                "comparison": comp}


def fit_by_group(data, spec, *, by=None, reference=None, scheduler=None,
                 lr_test: bool = True) -> GroupFits:
    """Fit ``spec`` to each group of ``data`` alone (group ``by``, or the data's own group);
    for a parametric cure model also the likelihood-ratio test of equal cure fractions
    (``lr_test``, two more fits of all the data: :func:`lr_equal_cure`).

    >>> import remission as rm
    >>> d = rm.load_example("lung")            # grouped by sex
    >>> arms = fit_by_group(d, rm.ModelSpec(dist="weibull", cure="mixture"))
    >>> [lev for lev, _ in arms.fits], arms.reference
    (['1', '2'], '1')
    >>> c = arms.contrasts()[0]
    >>> c["group"], sorted(c["cure_fraction_difference"])
    ('2', ['estimate', 'lower', 'upper'])
    """
    data = grouped(data, by)
    col = data.meta.get("group_column") or "group"
    levels, ref = levels_and_reference(data, reference)
    _check_groups(data, spec, col)
    fits = []
    for lev, sub in data.by_group():
        try:
            f = spec.fit(replace(sub, group=None), scheduler=scheduler)
        except DataError as e:  # e.g. too few events for this model: say which group
            raise DataError(f"--group {col}: group '{lev}': {e}", row=e.row) from None
        if not f.converged:
            raise ConvergenceError(f"--group {col}: the model did not converge in group "
                                   f"'{lev}' ({f.message})")
        fits.append((lev, f))
    lr = None
    if lr_test and spec.cure is not None and spec.dist != "cox" and len(fits) > 1:
        lr = lr_equal_cure(data, spec, col)
    return GroupFits(col, ref, tuple(fits), spec.conf_level, lr)


def lr_equal_cure(data, spec, col: str) -> dict:
    """Likelihood-ratio test of equal cure fractions in one model of all the groups: the
    group as a categorical covariate of the latency's location in both models, and of the
    cure fraction in the alternative only (df = groups - 1).  A different model from the
    per-group fits (the latency's other parameters, e.g. the Weibull shape, are shared), so
    it complements the Wald test rather than repeating it."""
    from scipy.stats import chi2

    import pandas as pd

    keep = data.group_codes() >= 0
    sub = data.subset(keep)
    frame = (sub.covariates.copy() if sub.covariates is not None
             else pd.DataFrame(index=range(sub.n)))
    frame[col] = list(sub.group)
    sub = replace(sub, covariates=frame.reset_index(drop=True), group=None)
    term = (f"factor({col})",)
    base = replace(spec, ci="delta", reps=0, seed=None, bootstrap="nonparametric")
    null = replace(base, covariates=tuple(base.covariates) + term)
    alt = replace(null, cure_covariates=tuple(base.cure_covariates) + term)
    out = {"test": "likelihood ratio: group on the cure fraction and the latency location vs "
                   "on the latency location only (one model of all groups)",
           "statistic": None, "df": len(data.group_levels()) - 1, "p": None}
    try:
        f0, f1 = null.fit(sub, raise_on_failure=False), alt.fit(sub, raise_on_failure=False)
    except (DataError, OptionError, ConvergenceError, FloatingPointError,
            np.linalg.LinAlgError) as e:
        return {**out, "note": f"not computed: {e}"}
    if not (f0.converged and f1.converged) or f0.loglik is None or f1.loglik is None:
        return {**out, "note": "not computed: a joint model did not converge"}
    stat = max(0.0, 2 * (float(f1.loglik) - float(f0.loglik)))
    return {**out, "statistic": stat, "p": float(chi2.sf(stat, out["df"])),
            "loglik": [float(f0.loglik), float(f1.loglik)]}


# ---------------------------------------------------------------------- contrasts
def logit_se(fit) -> tuple[float, float]:
    """(pi, se of logit pi) of a cure fit without cure covariates, by the delta method (the
    cure fraction's own standard error on its link scale, carried to the logit scale)."""
    p = fit.cure_fraction()
    pi = float(p.estimate[0, 0])
    se = float(p.se[0, 0])
    if not (0 < pi < 1) or not math.isfinite(se):
        return pi, math.nan
    link = getattr(fit, "link", "logistic")
    if link in ("logistic", "logit"):
        return pi, se
    from .cure.links import get_link

    lk = get_link(link)
    eta = float(np.asarray(lk.inverse(pi)))
    h = 1e-6 * max(1.0, abs(eta))
    d = (float(np.asarray(lk.forward(eta + h))) - float(np.asarray(lk.forward(eta - h)))) / (2 * h)
    return pi, abs(d) * se / (pi * (1 - pi))


def _cure_pi_se(fit):
    if fit.cure_fraction_by():  # no single cure fraction per group: no contrast
        return math.nan, math.nan
    if getattr(fit, "boundary", None) is not None:
        return float(fit.cure_fraction().estimate[0, 0]), math.nan
    if fit.ci == "bootstrap" or "bootstrap" in str(fit.cure_fraction().scale):
        return _bootstrap_logit(fit)
    return logit_se(fit)


def _bootstrap_logit(fit):
    """(pi, sd of logit pi over the bootstrap replicates) of a bootstrapped fit."""
    p = fit.cure_fraction()
    pi = float(p.estimate[0, 0])
    reps = getattr(fit, "cure_replicates", None)
    vals = None if reps is None else np.asarray(reps(), dtype=float)
    if vals is None:
        from scipy.special import ndtri

        z = ndtri(0.5 + fit.conf_level / 2)
        lo, up = float(p.lower[0, 0]), float(p.upper[0, 0])
        if not (0 < lo < up < 1):
            return pi, math.nan
        # the percentile interval's width on the logit scale, read as +- z sd
        return pi, (math.log(up / (1 - up)) - math.log(lo / (1 - lo))) / (2 * z)
    vals = vals[(vals > 0) & (vals < 1)]
    return pi, float(np.std(np.log(vals / (1 - vals)), ddof=1))


def cure_contrast(fit, ref, conf_level: float = 0.95) -> dict:
    """Difference and odds ratio of the cure fractions of ``fit`` vs ``ref`` (two cure fits
    of independent groups) with ``conf_level`` intervals, and the Wald p-value of equal cure
    fractions (see the module docstring for the scales)."""
    from scipy.special import ndtr, ndtri

    z = float(ndtri(0.5 + conf_level / 2))
    pg, sg = _cure_pi_se(fit)
    pr, sr = _cure_pi_se(ref)
    none = {"estimate": None, "lower": None, "upper": None}
    out = {"cure_fraction": _num(pg), "cure_fraction_reference": _num(pr),
           "cure_fraction_difference": {**none, "estimate": _num(pg - pr)},
           "cure_fraction_odds_ratio": dict(none), "p_equal_cure": None}
    if not (math.isfinite(pg) and math.isfinite(pr)):
        out["cure_fraction_difference"]["estimate"] = None
        out["note"] = ("with --cure-covariates a group has no single cure fraction: no "
                       "contrast (see each group's cure_fraction_by)")
        return out
    if not (math.isfinite(sg) and math.isfinite(sr)):
        out["note"] = ("a group's cure fraction is at the boundary (0) or has no standard "
                       "error: no odds ratio, interval or test")
        return out
    lor = math.log(pg / (1 - pg)) - math.log(pr / (1 - pr))
    se_lor = math.hypot(sg, sr)
    d = pg - pr
    se_d = math.hypot(pg * (1 - pg) * sg, pr * (1 - pr) * sr)
    zd = math.atanh(d)
    se_zd = se_d / (1 - d * d)
    out["cure_fraction_difference"] = {"estimate": d, "lower": math.tanh(zd - z * se_zd),
                                       "upper": math.tanh(zd + z * se_zd), "se": se_d}
    out["cure_fraction_odds_ratio"] = {"estimate": math.exp(lor),
                                       "lower": math.exp(lor - z * se_lor),
                                       "upper": math.exp(lor + z * se_lor),
                                       "log_se": se_lor}
    out["p_equal_cure"] = float(2 * ndtr(-abs(lor / se_lor)))
    boot = bootstrap_contrast(fit, ref, conf_level)
    if boot is not None:
        out["bootstrap"] = boot
    lat = latency_contrast(fit, ref, z)
    if lat is not None:
        out["uncured_median_ratio"] = lat
    return out


def latency_contrast(fit, ref, z: float) -> dict | None:
    """The latency compared: the ratio of the uncured's median survival times (group over
    reference), a Wald interval on the log scale from the two independent delta-method SEs
    of log median (None when a median's SE is not on the log scale, e.g. bootstrap)."""
    try:
        a, r = fit.uncured_median(), ref.uncured_median()
    except (AttributeError, ArithmeticError, ValueError):
        return None
    if a.scale != "log" or r.scale != "log":
        return None
    ma, mr = float(a.estimate[0, 0]), float(r.estimate[0, 0])
    sa, sr = float(a.se[0, 0]), float(r.se[0, 0])
    if not all(math.isfinite(v) for v in (ma, mr, sa, sr)) or ma <= 0 or mr <= 0:
        return None
    lr, se = math.log(ma / mr), math.hypot(sa, sr)
    return {"estimate": ma / mr, "lower": math.exp(lr - z * se),
            "upper": math.exp(lr + z * se), "log_se": se,
            "what": "median survival time of the uncured, group / reference"}


def _pi_replicates(fit):
    """The cure fraction of each bootstrap replicate of a parametric cure fit (or None)."""
    b = getattr(fit, "bootstrap", None)
    coefs = getattr(b, "coefs", None)
    if coefs is None or fit.dist_name == "cox" or fit.cure_fraction_by():
        return None
    pi = np.asarray(fit.dist.bijections()[0].forward(np.asarray(coefs)[:, 0]), dtype=float)
    return pi[np.isfinite(pi)]


def bootstrap_contrast(fit, ref, conf_level: float = 0.95) -> dict | None:
    """Percentile intervals of the difference and the odds ratio over the two groups'
    bootstrap replicates (``--ci bootstrap``), paired in order: the groups are resampled
    independently, so replicate i of one group and replicate i of the other are an
    independent draw of the pair.  None without replicates in both groups."""
    a, r = _pi_replicates(fit), _pi_replicates(ref)
    if a is None or r is None:
        return None
    m = min(a.size, r.size)
    if m < 10:
        return None
    a, r = a[:m], r[:m]
    lo, up = 50 * (1 - conf_level), 50 * (1 + conf_level)
    d = a - r
    ok = (a > 0) & (a < 1) & (r > 0) & (r < 1)
    out = {"reps": int(m), "method": "percentile over paired independent replicates",
           "difference": {"lower": float(np.percentile(d, lo)),
                          "upper": float(np.percentile(d, up))},
           "odds_ratio": {"lower": None, "upper": None}}
    if ok.sum() >= 10:
        o = (a[ok] / (1 - a[ok])) / (r[ok] / (1 - r[ok]))
        out["odds_ratio"] = {"lower": float(np.percentile(o, lo)),
                             "upper": float(np.percentile(o, up))}
    return out


# ---------------------------------------------------------------------- compare per group
def compare_by_group(data, dists, cures=("none",), horizon=None, conf_level=0.95, *,
                     spline_options=None, link="logistic", by=None, background=None) -> dict:
    """``remission compare --group``: one ranked table per group, each at the same horizon
    (default the longest follow-up of all the data).  ``background``: a dict of
    :func:`~remission.models.background.background_for` options (``lifetable``, ``age``,
    ``sex``, ``year``; ``smr``, ``discount``) gives every converged model of each group its
    life-years ``extrapolation`` (as ``compare_models``), the general-population mortality
    built from that group's own patients (a column is averaged over the group's rows)."""
    from .background import background_for
    from .compare import check_pairs, compare_models

    check_pairs(dists, cures)
    data = grouped(data, by)
    col = data.meta.get("group_column") or "group"
    _check_groups(data, _NoColumns(), col)
    h = float(horizon) if horizon else float(np.max(data.time))
    o = dict(background or {})
    smr, disc = o.pop("smr", 1.0), o.pop("discount", 0.035)
    if o and not o.get("lifetable"):
        raise OptionError("--age, --sex and --year need --lifetable")
    out = []
    for lev, sub in data.by_group():
        bg = None if not o else background_for(sub, o["lifetable"], o.get("age"), o.get("sex"),
                                               o.get("year")).with_options(smr, disc)
        out.append({"group": lev, **compare_models(replace(sub, group=None), dists, cures, h,
                                                   conf_level, spline_options=spline_options,
                                                   link=link, background=bg)})
    return {"group_column": col, "horizon": h, "time_unit": data.time_unit, "groups": out}


class _NoColumns:
    columns: list = []
