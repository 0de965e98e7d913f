r"""The governing tests applied to many simulated trials at once (follow-up planning).

:func:`calibrate` does the expensive part ONCE per analysis and per extra follow-up M: the null
sample of the presence statistic and the bootstrap sample of the Yuen-Musta estimator's error;
:func:`decide_batch` then applies both tests to B simulated trials given as (B, n) arrays, with
one batched Kaplan-Meier and one batched smoothed Grenander estimate (no per-trial bootstrap).

* Presence (Maller-Zhou; H0: no one is cured): statistic KM(t_(n)); p = (1 + #{null >= stat})
  / (R + 1) against the calibration's null sample, simulated from the Weibull without cure
  fitted to the data with the trial's censoring pattern followed M longer
  (:mod:`.presence`).  At M = 0 with the same seed the sample is the one
  :func:`~.presence.presence_test` draws, so the p-values agree to the last digit.
* Sufficient follow-up (Yuen-Musta; H0: q_{1-eps} >= tau_G): statistic T - thr
  (:mod:`.yuen_musta`); p = (1 + #{D* <= T - thr}) / (R + 1) against the calibration's sample
  D* of the estimator's error f^SG*(tau*) - f(tau*).  Three worlds:

  - ``"data"`` (M = 0 only): the authors' bootstrap from the smoothed Kaplan-Meier world, the
    very sample :func:`~.yuen_musta.yuen_musta_test` draws for the same seed;
  - ``"model"``: samples from a given generating model (the plan's scenario) with the
    censoring pattern followed M longer; f^SG* is taken at each sample's own largest time and
    f is the model's density there.  This is what each simulated trial's own bootstrap
    approximates (its smoothed Kaplan-Meier world resembles the model it was drawn from), so
    it is the calibration for planning, at every M (M = 0 included, so that a plan's curve
    over M uses one kind of calibration throughout).  For M > 0 today's data say nothing about
    the density beyond today's tau_G, so the data world is not available.
  - ``"boundary"``: as ``"model"`` with the Weibull mixture cure model fitted under
    F_u(tau_G + M) = 1 - eps (the boundary of H0 at the future cut-off,
    :func:`~.simulate.fit_boundary_null`).  Far more conservative than the test it stands for
    (that model's density at the cut-off is far above the test's threshold, so the centred
    errors are wide); kept for comparison.

The batched rule uses :func:`~.rule.conclude_codes` without the model likelihood-ratio test
(refitting a cure model in every simulated trial would dominate the cost), so a simulated
trial's "immature" needs the presence test.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

import numpy as np

from .rule import ALPHA, conclude_codes


@dataclass(frozen=True, eq=False)
class Calibration:
    """Null/bootstrap samples for one analysis and one extra follow-up (see module doc)."""

    extra_followup: float
    alpha: float
    eps: float
    tau_factor: float          # tau = tau_factor * tau_G of each trial
    reps: int
    seed: int
    world: str                 # "data" or "boundary"
    presence_null: np.ndarray  # sorted KM(t_(n)) under no cure
    followup_null: np.ndarray  # sorted D* (error of f^SG at the end of follow-up)
    meta: dict = field(default_factory=dict)

    @property
    def followup_quantile(self) -> float:
        """Q_alpha(D*): a trial rejects when T - thr falls below it (approximately)."""
        return float(np.quantile(self.followup_null, self.alpha))

    @property
    def mc_se(self) -> dict:
        """Monte Carlo error of the calibration: SE of a p-value equal to alpha, and of the
        rejection probability of a trial sitting exactly at the critical value."""
        se = float(np.sqrt(self.alpha * (1 - self.alpha) / self.reps))
        return {"p_value_at_alpha": se, "reps": self.reps}

    def to_dict(self) -> dict:
        return {"extra_followup": self.extra_followup, "alpha": self.alpha, "eps": self.eps,
                "tau_factor": self.tau_factor, "reps": self.reps, "seed": self.seed,
                "world": self.world, "followup_quantile": self.followup_quantile,
                "presence_critical_value": float(np.quantile(self.presence_null,
                                                             1 - self.alpha)),
                "mc_se": self.mc_se, **self.meta}


@dataclass(frozen=True, eq=False)
class BatchDecision:
    presence: np.ndarray      # bool (B,)
    followup: np.ndarray      # bool (B,)
    conclusion: np.ndarray    # int8 codes into rule.CONCLUSIONS
    presence_p: np.ndarray
    followup_p: np.ndarray
    cure: np.ndarray          # KM at the last event (Maller-Zhou cure estimate)
    ci_width: np.ndarray      # width of its log-log Greenwood 95% interval (0 when cure = 0)


def mc_pvalue_upper(null_sorted, stat) -> np.ndarray:
    """(1 + #{null >= stat}) / (R + 1); values within 1e-12 count as ties (as extreme).

    >>> mc_pvalue_upper(np.array([0.1, 0.2, 0.2, 0.5]), np.array([0.2, 0.6, 0.0])).tolist()
    [0.8, 0.2, 1.0]
    """
    r = null_sorted.shape[0]
    ge = r - np.searchsorted(null_sorted, np.asarray(stat) - 1e-12, side="left")
    return (1 + ge) / (r + 1)


def mc_pvalue_lower(null_sorted, stat) -> np.ndarray:
    """(1 + #{null <= stat}) / (R + 1)."""
    r = null_sorted.shape[0]
    return (1 + np.searchsorted(null_sorted, np.asarray(stat), side="right")) / (r + 1)


def calibrate(time, event, *, extra_followup: float = 0.0, reps: int = 1000, seed: int = 1,
              eps: float = 0.01, tau_factor: float = 2.0, alpha: float = ALPHA,
              world: str | None = None, generating=None, dropout: float = 0.0,
              null_fit=None, pattern=None, scheduler=None,
              progress: bool = False) -> Calibration:
    """Calibrate both governing tests once for data (time, event) followed ``extra_followup``
    longer.  ``world``: ``"data"`` (default at M = 0 without ``generating``), ``"model"``
    (default when ``generating`` is given: a model with ``event_times(u_cure, u_time)`` and
    ``survival(t)``, e.g. a plan scenario's) or ``"boundary"`` (default for M > 0 otherwise).
    ``dropout``: per-time-unit hazard of loss during the extra follow-up (as the plan).
    ``null_fit``: an already fitted Weibull without cure (saves a fit).  ``pattern``: the
    :class:`~.simulate.CensoringPattern` to simulate with instead of the reverse Kaplan-Meier
    of (time, event) (competing risks: the plan's pattern with the competing deaths, so the
    calibration's worlds lose patients to them as the simulated trials do)."""
    from ..distributions import get_distribution
    from ..errors import OptionError
    from ..models import fit_distribution
    from ..parallel import map_chunks
    from .simulate import CensoringPattern, CureModel, fit_boundary_null, null_presence_chunk
    from .yuen_musta import bootstrap_chunk, smooth_world

    m = float(extra_followup)
    if not np.isfinite(m) or m < 0:
        raise OptionError(f"extra follow-up must be a non-negative number (got {m:g})")
    if reps < 1:
        raise OptionError("--reps must be at least 1")
    if tau_factor <= 1:
        raise OptionError("tau must exceed tau_G (tau_factor > 1)")
    world = world or ("model" if generating is not None else
                      "data" if m == 0 else "boundary")
    if world == "model" and generating is None:
        raise OptionError("the model world needs the generating model")
    if world == "data" and m > 0:
        raise OptionError("the data world can calibrate only today's follow-up (M = 0)")
    t = np.asarray(time, float)
    e = np.asarray(event, bool)
    n = t.size
    if pattern is None:
        pattern = CensoringPattern.from_data(t, e, dropout=dropout)
    f0 = null_fit or fit_distribution(get_distribution("weibull"), t, e)
    shape, scale = (float(np.ravel(v)[0]) for v in f0.natural_parameters())
    fn = partial(null_presence_chunk, model=CureModel(0.0, shape, scale), pattern=pattern, n=n,
                 extra=(m,))
    # the presence test's own stream (presence_test uses seed=seed): same sample at M = 0
    pres = np.sort(np.array(map_chunks(fn, reps, seed=seed, chunk_size=250,
                                       scheduler=scheduler, progress=progress,
                                       description="presence null"))[:, 0])
    meta = {"presence_null_model": {"dist": "weibull", "shape": shape, "scale": scale}}
    if world == "data":
        sw = smooth_world(t, e)
        bfn = partial(bootstrap_chunk, world=sw, pattern=pattern, n=n)
        meta["followup_world"] = {"kind": "smoothed kaplan-meier (bootstrap)",
                                  "density_at_tau_g": sw.density_end}
    elif world == "model":
        bfn = partial(model_chunk, model=generating, pattern=pattern, n=n, extra=m)
        meta["followup_world"] = {"kind": "the generating model",
                                  "model": getattr(generating, "label",
                                                   type(generating).__name__)}
    elif world == "boundary":
        bnd = fit_boundary_null(t, e, eps, tau_g=float(t.max()) + m)
        bfn = partial(model_chunk, model=bnd, pattern=pattern, n=n, extra=m)
        meta["followup_world"] = {"kind": "weibull mixture cure at the boundary of H0",
                                  "cure": bnd.cure, "shape": bnd.shape,
                                  "scale": float(bnd.scale), "tau_g": float(t.max()) + m}
    else:
        raise OptionError(f"unknown calibration world {world!r}")
    # one stream for every extra follow-up M (common random numbers): the trials are drawn by
    # inverting the same uniforms at every M, so the critical values move smoothly with M and
    # the plan's power curve is not jagged by independent Monte Carlo noise at each M
    ss = np.random.SeedSequence([seed, 3]) if world == "data" else \
        np.random.SeedSequence([seed, 4])
    fu = np.sort(np.array(map_chunks(bfn, reps, seed=ss, chunk_size=100, scheduler=scheduler,
                                     progress=progress, description="follow-up calibration")))
    return Calibration(m, float(alpha), float(eps), float(tau_factor), int(reps), int(seed),
                       world, pres, fu, meta)


def model_chunk(chunk, model, pattern, n: int, extra: float):
    """D* = f^SG*(tau*) - f(tau*) for samples from a parametric world (tau* = each sample's
    largest observed time, f the model's density of the event time)."""
    from ..nonparametric.km_batch import km_batch
    from .simulate import draw_trials, observe
    from .smoothed_grenander import sg_at_end

    t_ev, fu = draw_trials(chunk, model, pattern, n)
    y, d = observe(t_ev, fu.at(extra))
    km = km_batch(y, d)
    return list(sg_at_end(km) - model_density(model, km.time[:, -1]))


def model_density(model, t) -> np.ndarray:
    """Density of the event time, -dS/dt: the model's own ``density`` if it has one, else a
    central difference of its survival (step 1e-4 t; tabulated models are piecewise linear)."""
    t = np.asarray(t, float)
    if hasattr(model, "density"):
        return np.asarray(model.density(t), float)
    h = 1e-4 * np.maximum(t, 1e-12)
    return (np.asarray(model.survival(t - h)) - np.asarray(model.survival(t + h))) / (2 * h)


def decide_batch(times, events, cal: Calibration, z: float = 1.959963984540054) -> BatchDecision:
    """Presence and sufficient-follow-up decisions for the rows of (B, n) arrays."""
    from ..nonparametric.km_batch import km_batch
    from .mz_batch import statistics_from_km
    from .smoothed_grenander import sg_at_end

    km = km_batch(times, events)
    st = statistics_from_km(km, z)
    cure = st["cure"]
    tg = st["t_n"]
    stat = sg_at_end(km)
    thr = cal.eps * (1.0 - cure) / ((cal.tau_factor - 1.0) * tg)
    no_events = st["n_events"] == 0
    p_fu = np.where(no_events, 1.0, mc_pvalue_lower(cal.followup_null, stat - thr))
    p_pres = mc_pvalue_upper(cal.presence_null, cure)
    pres = p_pres < cal.alpha     # the rule's convention: reject when p < alpha
    fu = p_fu < cal.alpha
    zero = cure <= 0
    width = np.where(zero, 0.0, st["upper"] - st["lower"])
    return BatchDecision(pres, fu, conclude_codes(pres, fu, zero), p_pres, p_fu, cure, width)
