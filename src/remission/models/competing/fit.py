"""Parametric competing risks: cause-specific hazards of any family and the cumulative
incidences they imply, extrapolated (issue 18, part 3).

The likelihood of competing-risks data factorises over causes: a subject with an event of
cause k at t contributes h_k(t) prod_j S_j(t), a censored one prod_j S_j(t), so the terms of
cause k are exactly the censored likelihood of ``data.for_cause(k)`` (an event of k the event,
the other causes censored).  Each cause is therefore fitted alone with the one fitter
(:class:`~remission.models.spec.ModelSpec`, any family, splines included, a family per cause
allowed), equal to R's ``survreg(Surv(time, status == k) ~ 1)`` for the families survreg has;
their joint covariance is block-diagonal (no parameter is shared).

From the fits: the event-free survival S(t) = exp(-sum_k H_k(t)) and the cumulative incidence
F_k(t) = integral_0^t h_k(u) S(u) du (:mod:`.integrate`), at landmarks and to a horizon
beyond the data.  Intervals: the delta method on the stacked coefficients with the
block-diagonal covariance, built on the log(-log) scale for F_k and S (cmprsk's
``timepoints`` scale; it keeps the limits inside (0, 1)) and on the log scale for hazards;
coverage is checked by simulation with two Weibull causes (tests/models/competing).

General-population mortality (``background``): from ``nrm_from`` on, the hazard of the cause
of death without relapse (``nrm_cause``) is max(fitted, SMR x population hazard), the
``max`` method of :mod:`remission.models.extrapolate` (NICE DSU TSD 21) applied to that
cause alone: the death rate without relapse never falls below that of the matched general
population times the SMR, and stays the fitted one where that is higher.  The cohort's
incidences average each subject's (age, sex, year of diagnosis), as ``extrapolate`` does.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ...errors import OptionError, RemissionError
from ..prediction import Prediction, delta_method
from ..result import evaluate
from .integrate import Grid, incidence, lifetable_breaks

#: the interval scale of probabilities (F_k and S): log(-log p)
LOGLOG = (lambda p: np.log(-np.log(p)), lambda g: np.exp(-np.exp(g)), "log(-log)")
LOG = (np.log, np.exp, "log")
#: how general-population mortality bounds the cause of death without relapse
RULE = ("from nrm_from on, the hazard of death without relapse is max(fitted, SMR x "
        "general-population hazard) (the 'max' method, NICE DSU TSD 21)")
EVENT_FREE = "event-free"


def parse_dists(value, causes) -> dict:
    """'weibull' or 'lognormal,nrm=gompertz' -> {cause: family} (entries without '=' set
    the family of every cause not named); an OptionError names an unknown cause."""
    default, named = "weibull", {}
    parts = [p.strip() for p in str(value or "weibull").split(",")]
    if not any(parts):  # '--dist ,' is a typo, not a request for the default
        raise OptionError(f"--dist {value!r}: no family given (e.g. --dist weibull or "
                          "'weibull,nrm=gompertz')")
    for part in parts:
        if not part:
            continue
        if "=" in part:
            c, d = (s.strip() for s in part.split("=", 1))
            if c not in causes:
                raise OptionError(f"--dist {part}: no cause '{c}' (causes: "
                                  f"{', '.join(causes)})")
            named[c] = d
        else:
            default = part
    return {c: named.get(c, default) for c in causes}


@dataclass(frozen=True, eq=False)
class CompetingFit:
    """Cause-specific parametric fits (one ParametricFit per cause, in ``causes`` order) and
    what they imply; see the module docstring."""

    causes: tuple
    fits: tuple
    conf_level: float = 0.95
    time_unit: str | None = None
    tmax: float = 0.0
    n: int = 0
    cause_of_interest: str | None = None
    background: object | None = None   # BackgroundMortality (the cohort) or None
    nrm_cause: str | None = None
    nrm_from: float = 0.0
    smr: float = 1.0
    notes: tuple = field(default=())

    # ------------------------------------------------------------------ coefficients
    @property
    def coef(self) -> np.ndarray:
        return np.concatenate([f.coef for f in self.fits])

    @property
    def vcov(self) -> np.ndarray:
        from scipy.linalg import block_diag

        return block_diag(*[f.vcov for f in self.fits])

    @property
    def loglik(self) -> float:
        return float(sum(f.loglik for f in self.fits))

    @property
    def k(self) -> int:
        return int(sum(f.k for f in self.fits))

    @property
    def aic(self) -> float:
        return -2 * self.loglik + 2 * self.k

    def fit_of(self, cause) -> object:
        return self.fits[self._index(cause)]

    def _index(self, cause) -> int:
        try:
            return self.causes.index(str(cause))
        except ValueError:
            raise OptionError(f"--cause {cause}: no such cause (causes: "
                              f"{', '.join(self.causes)})") from None

    # ------------------------------------------------------------------ computation
    def _values(self, rows, times, horizon=None):
        """For coefficient rows (R, k): (F (causes, R, times), S (R, times), hazards
        (causes, R, times)) at ``times`` (>= 0)."""
        t = np.asarray(times, dtype=float)
        top = float(max(np.max(t), horizon or 0.0, 1e-300))
        bg = self.background
        start = self.nrm_from if bg is not None else None
        # life-table steps and spline knots (exp of the log-time knots, where a spline's
        # hazard has a kink) are panel ends: the integrand is smooth inside every panel
        knots = [np.exp(f.dist.knots) for f in self.fits
                 if getattr(f.dist, "knots", None) is not None]
        grid = Grid.build(top, t, start, np.concatenate([lifetable_breaks(bg, top)] + knots))
        rows = np.atleast_2d(rows)
        at_nodes, at_ends = {"h": [], "H": []}, {"h": [], "H": []}
        off = 0
        for f in self.fits:
            c = rows[:, off:off + f.k]
            off += f.k
            Xs, m = f._designs_for(None)
            for where, shape in ((at_nodes, grid.u.shape), (at_ends, grid.ends.shape)):
                pts = (grid.u if where is at_nodes else grid.ends).ravel()
                for key, fn in (("h", f.dist.hazard), ("H", f.dist.cumulative_hazard)):
                    v = evaluate(f, fn, pts, c, Xs, m)[:, 0, :]
                    if key == "H":  # H(0) = 0 (a family may give NaN at t = 0)
                        v = np.where(pts[None, :] > 0, v, 0.0)
                    where[key].append(v.reshape((rows.shape[0],) + shape))
        floor = None
        if bg is not None:
            j = self._index(self.nrm_cause)
            floor = (j, float(self.nrm_from),
                     self.smr * bg.hazard(grid.u.ravel()).reshape((bg.n,) + grid.u.shape),
                     self.smr * bg.hazard(grid.ends))
        with np.errstate(all="ignore"):
            F, S, hz = incidence(grid, at_nodes, at_ends, floor)
        i = grid.index(t)
        return F[:, :, i], S[:, i], hz[:, :, i]

    def _predict(self, times, horizon=None) -> dict:
        """Every prediction at ``times`` in one pass: {cause: (F, hazard), EVENT_FREE: S}
        as Predictions (delta method; see the module docstring)."""
        t = np.atleast_1d(np.asarray(times, dtype=float))
        memo = {}

        def vals(rows):
            key = rows.tobytes()
            if key not in memo:
                memo[key] = self._values(rows, t, horizon)
            return memo[key]

        out = {}
        coef, vcov, lvl = self.coef, self.vcov, self.conf_level
        est, lo, up, se = delta_method(lambda r: vals(r)[1][:, None, :], coef, vcov, lvl, LOGLOG)
        out[EVENT_FREE] = Prediction("survival", t, est, lo, up, se, LOGLOG[2], lvl)
        for k, c in enumerate(self.causes):
            est, lo, up, se = delta_method(lambda r: vals(r)[0][k][:, None, :], coef, vcov, lvl,
                                           LOGLOG)
            F = Prediction("cumulative_incidence", t, est, lo, up, se, LOGLOG[2], lvl)
            est, lo, up, se = delta_method(lambda r: vals(r)[2][k][:, None, :], coef, vcov, lvl,
                                           LOG)
            out[c] = (F, Prediction("hazard", t, est, lo, up, se, LOG[2], lvl))
        return out

    def cumulative_incidence(self, cause, times) -> Prediction:
        """F_k(t) of ``cause`` (a Prediction, log(-log) interval)."""
        return self._predict(times)[self.causes[self._index(cause)]][0]

    def event_free(self, times) -> Prediction:
        """S(t) = exp(-sum_k H_k(t)), the probability of no event of any cause."""
        return self._predict(times)[EVENT_FREE]

    def survival(self, times) -> Prediction:
        """The event-free survival (the composite endpoint, e.g. PFS): :meth:`event_free`."""
        return self.event_free(times)

    def hazard(self, cause, times) -> Prediction:
        """The cohort's hazard of ``cause``: the fitted one, with general-population
        mortality the rule of the module docstring (one subject: exactly
        max(fitted, SMR h*) from ``nrm_from`` on; several: their marginal hazard)."""
        return self._predict(times)[self.causes[self._index(cause)]][1]

    # ------------------------------------------------------------------ documents
    def default_horizon(self) -> float:
        return 3.0 * self.tmax

    def landmarks(self, times=None, horizon=None) -> list[float]:
        from .grid import landmark_times

        return landmark_times(self.tmax, self.time_unit, times,
                              horizon or self.default_horizon())

    def as_dict(self, times=None, horizon=None, points: int = 60) -> dict:
        """The ``competing_risks_parametric`` block (docs/cli.md)."""
        from ...table import json_number as num
        from ..document import PARAMETER_KEYS
        from .grid import curve as grid_curve, landmark_rows, time_grid

        h = float(horizon or self.default_horizon())
        grid, pos = time_grid(h, self.landmarks(times, h), points)
        pred = self._predict(grid, h)

        def lms(p):
            return landmark_rows(p, grid, pos)

        def curve(p):
            return grid_curve(p, grid)

        models = [{"cause": c, "dist": f.dist_name, "events": f.n_events, "k": f.k,
                   "converged": bool(f.converged), "loglik": num(f.loglik), "aic": num(f.aic),
                   "parameters": [{k: r.get(k) for k in PARAMETER_KEYS}
                                  for r in f.parameters()],
                   "r_equivalent": f.r_equivalent}
                  for c, f in zip(self.causes, self.fits)]
        nrm = None
        if self.background is not None:
            nrm = {"cause": self.nrm_cause, "from": float(self.nrm_from), "smr": self.smr,
                   "rule": RULE, "cohort": self.background.describe(),
                   "notes": self.background.notes()}
        return {"causes": list(self.causes), "cause_of_interest": self.cause_of_interest,
                "method": "cause-specific parametric hazards", "ci": "delta",
                "interval_scale": LOGLOG[2], "conf_level": self.conf_level,
                "time_unit": self.time_unit, "n": self.n, "horizon": h,
                "loglik": num(self.loglik), "aic": num(self.aic), "k": self.k,
                "models": models,
                "cifs": [{"cause": c, "landmarks": lms(pred[c][0]), "curve": curve(pred[c][0])}
                         for c in self.causes],
                "event_free": {"landmarks": lms(pred[EVENT_FREE]),
                               "curve": curve(pred[EVENT_FREE])},
                "nrm_population": nrm, "notes": list(self.notes)}


def fit_competing(data, dist="weibull", *, cause=None, knots: int = 1,
                  scale: str = "hazard", conf_level: float = 0.95, background=None,
                  nrm_cause=None, nrm_from=None, smr=None) -> CompetingFit:
    """Fit a parametric cause-specific hazard to every cause of ``data`` (SurvivalData read
    with an event type); see the module docstring.

    ``dist``: one family for every cause, a ``{cause: family}`` dict, or the CLI's
    ``'lognormal,nrm=gompertz'``; ``knots``/``scale`` for spline families.  ``cause``: the
    cause of interest (listed first).  ``background``: a BackgroundMortality of the cohort
    (:func:`remission.models.background.background_for`); ``nrm_cause`` the cause it bounds
    (default: with two causes and a cause of interest, the other one), from time
    ``nrm_from`` (default 0) with multiplier ``smr`` (default ``background.smr``).

    >>> import numpy as np, remission as rm
    >>> from remission.data import SurvivalData
    >>> rng = np.random.default_rng(1)
    >>> t1, t2 = rng.weibull(1.2, 300) * 10, rng.weibull(0.8, 300) * 20
    >>> d = SurvivalData.from_arrays(np.minimum(t1, t2),
    ...                              cause=np.where(t1 < t2, "relapse", "nrm"))
    >>> cr = fit_competing(d, {"relapse": "weibull", "nrm": "exponential"}, cause="relapse")
    >>> p = cr.cumulative_incidence("relapse", [5.0])
    >>> 0 < float(p.lower[0, 0]) < float(p.estimate[0, 0]) < float(p.upper[0, 0]) < 1
    True
    """
    from ..spec import ModelSpec

    levels, fams = cause_families(data, dist, cause)
    fits = []
    for c in levels:
        if str(fams.get(c, "")).strip().lower() == "cox":
            raise OptionError("--dist cox is not a parametric family (cause-specific Cox "
                              "models: remission summary --event-type --group)")
        spec = ModelSpec(dist=fams.get(c, "weibull"), knots=knots, scale=scale,
                         conf_level=conf_level)
        try:
            fits.append(spec.fit(data.for_cause(c)))
        except RemissionError as e:
            raise type(e)(f"cause '{c}': {e}") from None
    notes = []
    if background is not None:
        nrm_cause, nrm_from, smr = _nrm(levels, cause, nrm_cause, nrm_from, smr, background)
        notes += background.notes()
    elif nrm_cause is not None or nrm_from is not None:
        raise OptionError("--nrm-cause and --nrm-from need --lifetable (with --age, --sex "
                          "and --year)")
    return CompetingFit(tuple(levels), tuple(fits), conf_level, data.time_unit,
                        float(np.max(data.time)), data.n,
                        None if cause is None else str(cause), background,
                        nrm_cause, float(nrm_from or 0.0), float(smr or 1.0), tuple(notes))


def check_causes(data, cause=None) -> list:
    """The causes of ``data`` (``cause`` first), checked for every parametric competing-risks
    model: an event type, no delayed entry or weights, at least two causes with events."""
    from ...errors import DataError

    if getattr(data, "cause", None) is None:
        raise DataError("no cause of event in the data (give --event-type)", column="cause")
    if data.entry is not None or data.weights is not None:
        raise DataError("delayed entry and case weights are not supported with competing "
                        "risks", column=data.meta.get("event_column", "cause"))
    levels = data.cause_levels()
    if cause is not None:
        if str(cause) not in levels:
            raise DataError(f"--cause {cause}: no events of that cause (causes: "
                            f"{', '.join(levels)})", column=data.meta.get("event_column"))
        levels = [str(cause)] + [c for c in levels if c != str(cause)]
    if len(levels) < 2:
        raise DataError(f"competing risks need at least two causes with events (found "
                        f"{', '.join(levels) or 'none'})", column=data.meta.get("event_column"))
    return levels


def _nrm(levels, cause, nrm_cause, nrm_from, smr, background):
    """The cause bounded by population mortality, from when, and the SMR (checked)."""
    from ..spec import check_hta

    if nrm_cause is None:
        others = [c for c in levels if c != (None if cause is None else str(cause))]
        if cause is None or len(others) != 1:
            raise OptionError("--lifetable with competing risks needs --nrm-cause C (the "
                              "cause that is death without relapse), or --cause with two "
                              "causes (the other one is then death without relapse)")
        nrm_cause = others[0]
    if str(nrm_cause) not in levels:
        raise OptionError(f"--nrm-cause {nrm_cause}: no such cause (causes: "
                          f"{', '.join(levels)})")
    if cause is not None and str(nrm_cause) == str(cause):
        raise OptionError(f"--nrm-cause {nrm_cause} is the cause of interest (--cause): "
                          "general-population mortality bounds death without relapse")
    t0 = 0.0 if nrm_from is None else float(nrm_from)
    if not (np.isfinite(t0) and t0 >= 0):
        raise OptionError(f"--nrm-from must be a non-negative time (got {nrm_from})")
    smr = background.smr if smr is None else float(smr)
    check_hta(smr, 0.0)
    return str(nrm_cause), t0, smr


def cause_families(data, dist, cause=None) -> tuple[list, dict]:
    """The checked causes (:func:`check_causes`) and the family of each (``dist``: one name,
    ``'weibull,nrm=gompertz'`` or a dict), every named cause one of the data's."""
    levels = check_causes(data, cause)
    fams = dist if isinstance(dist, dict) else parse_dists(dist, levels)
    unknown = [c for c in fams if c not in levels]
    if unknown:
        raise OptionError(f"--dist: no cause '{unknown[0]}' (causes: {', '.join(levels)})")
    return levels, fams
