"""Cure on the cumulative-incidence scale: the Larson & Dinse (1985) mixture model for
competing risks (J R Stat Soc C, Applied Statistics 34:201-211; issue 18).

Every subject eventually has exactly one of the K causes: cause k with probability pi_k
(sum_k pi_k = 1) and then at a time with distribution G_k (any family of the package, a family
per cause allowed).  The likelihood of a subject is

* an event of cause k at t:  pi_k g_k(t)
* censored at t:             1 - sum_k pi_k G_k(t) = sum_k pi_k S_k(t)

so the cumulative incidence is F_k(t) = pi_k G_k(t) and pi_k = F_k(inf) is the probability of
ever having cause k with the others competing.  With relapse and death without relapse,
1 - pi_relapse is the fraction who **never relapse (crude)**: the patients who die without
relapse count among them.  It is the observable (cumulative-incidence) scale, as in Stata's
``stpm2cr`` cure models; the net (latent) fraction cured of the disease, who would never
relapse were death removed, is :mod:`remission.models.cure.competing` (docs/evidence.md says
which answers which question).

Implementation: log g_k(t) and log S_k(t) are the terms of the one censored likelihood
(:func:`remission.models.likelihood.contributions` with the event indicator 1 or 0); the
probabilities are a multinomial logit, pi = softmax(alpha_1, ..., alpha_{K-1}, 0) with the
last cause the reference, so with two causes pi_1 = expit(alpha_1), the logistic link of the
cure models (:mod:`remission.models.cure.links`).  Maximised by the one optimiser
(:func:`remission.models.optimize.maximize`: BFGS with the exact gradient from the
cause-specific fits and from fits to each cause's event times, then Newton polishing);
covariance the inverse observed information.  Intervals (delta method): pi_k and 1 - pi_k
Wald on the logit scale; F_k(t) and the event-free probability 1 - sum_k F_k(t) on the
log(-log) scale (as the cause-specific model, :mod:`.fit`).

pi_k and G_k are told apart only by where the incidence levels off: with follow-up short of
the plateau pi_k rests on the family's tail, and a defective G_k (a Gompertz with negative
shape) makes pi_k larger than F_k(inf), and a heavy tail (log-normal) reaches it only far
beyond the data (a note when G_k leaves more than 0.1% beyond 1,000 times the last time).  Checked by simulation with known
truth and on bmt-cr against Aalen-Johansen (tests/models/competing/test_mixture*.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from scipy.special import logsumexp

from ...errors import ConvergenceError, OptionError, RemissionError
from ..likelihood import Layout, SurvivalArrays, contributions
from ..prediction import TRANSFORMS, Prediction, delta_method
from .fit import LOGLOG, cause_families

METHOD = "mixture (Larson & Dinse 1985)"
LOGIT = TRANSFORMS["logit"]


class MixtureLikelihood:
    """The log-likelihood of the module docstring for families ``dists`` (set up), times
    ``time`` and cause codes ``code`` (0..K-1, -1 censored).  Coefficients: alpha_1..alpha_
    {K-1}, then each cause's parameters on their unconstrained scale."""

    def __init__(self, dists, time, code):
        self.dists = tuple(dists)
        self.time = np.asarray(time, dtype=float)
        self.code = np.asarray(code, dtype=int)
        K = len(self.dists)
        self.allowed = (self.code[:, None] < 0) | (self.code[:, None] == np.arange(K)[None, :])
        self.sizes = [d.n_parameters for d in self.dists]
        self.offsets = np.cumsum([K - 1] + self.sizes)[:-1]

    @property
    def n_coef(self) -> int:
        return len(self.dists) - 1 + sum(self.sizes)

    def theta(self, rows, k):
        """Natural-scale parameters of G_k for coefficient rows (R, p): (R, 1) arrays."""
        rows = np.atleast_2d(rows)
        o = self.offsets[k]
        return [b.forward(rows[:, o + j][:, None])
                for j, b in enumerate(self.dists[k].bijections())]

    def log_pi(self, rows):
        """log pi for coefficient rows (R, p): (R, K)."""
        rows = np.atleast_2d(rows)
        la = np.concatenate([rows[:, :len(self.dists) - 1], np.zeros((rows.shape[0], 1))], 1)
        return la - logsumexp(la, axis=1, keepdims=True)

    def __call__(self, beta, gradient: bool = True):
        """(loglik, gradient); -inf (gradient nan) where the model is invalid."""
        with np.errstate(all="ignore"):
            return self._loglik(np.asarray(beta, dtype=float), gradient)

    def _loglik(self, beta, gradient):
        K, n = len(self.dists), self.time.size
        logpi = self.log_pi(beta)[0]
        A = np.full((n, K), -np.inf)
        parts = []
        for k, dist in enumerate(self.dists):
            o, bij = self.offsets[k], dist.bijections()
            eta = beta[o:o + self.sizes[k]]
            theta = [np.float64(b.forward(e)) for b, e in zip(bij, eta)]
            d = (self.code == k).astype(float)
            terms, scores = contributions(dist, theta, self.time, d, gradient=gradient)
            A[:, k] = np.where(self.allowed[:, k], logpi[k] + terms, -np.inf)
            parts.append((scores, [float(b.jacobian(e, th)) for b, e, th in
                                   zip(bij, eta, theta)]))
        li = logsumexp(A, axis=1)
        ll = float(np.sum(li))
        bad = (-np.inf, np.full(beta.size, np.nan))
        if not np.isfinite(ll):
            return bad if gradient else -np.inf
        if not gradient:
            return ll
        W = np.exp(A - li[:, None])  # posterior probability of each allowed cause
        grad = np.empty(beta.size)
        grad[:K - 1] = W[:, :K - 1].sum(0) - n * np.exp(logpi[:K - 1])
        for k, (scores, jac) in enumerate(parts):
            for j, (s, J) in enumerate(zip(scores, jac)):
                s = np.broadcast_to(s, self.time.shape)
                grad[self.offsets[k] + j] = float(np.sum(np.where(self.allowed[:, k],
                                                                  W[:, k] * s, 0.0))) * J
        return (ll, grad) if np.all(np.isfinite(grad)) else bad


@dataclass(frozen=True, eq=False)
class MixtureCompetingFit:
    """A fitted Larson-Dinse model (module docstring).  ``fits[k]`` is the ParametricFit of
    G_k (its coefficients and covariance block; used for its parameter table)."""

    causes: tuple
    model: MixtureLikelihood
    coef: np.ndarray
    vcov: np.ndarray
    loglik: float
    converged: bool
    fits: tuple
    conf_level: float = 0.95
    time_unit: str | None = None
    tmax: float = 0.0
    n: int = 0
    cause_of_interest: str | None = None
    notes: tuple = field(default=())

    @property
    def k(self) -> int:
        return int(self.coef.size)

    @property
    def aic(self) -> float:
        return -2 * self.loglik + 2 * self.k

    def _index(self, cause) -> int:
        try:
            return self.causes.index(str(cause))
        except ValueError:
            raise OptionError(f"--cause {cause}: no such cause (causes: "
                              f"{', '.join(self.causes)})") from None

    def _cif(self, rows, t):
        """F (K, R, len(t)) for coefficient rows (R, p)."""
        t = np.atleast_1d(np.asarray(t, dtype=float))
        pi = np.exp(self.model.log_pi(rows))
        out = []
        with np.errstate(all="ignore"):
            for k, dist in enumerate(self.model.dists):
                H = dist.cumulative_hazard(self.model.theta(rows, k), t[None, :])
                G = np.where(t[None, :] > 0, -np.expm1(-np.asarray(H, dtype=float)), 0.0)
                out.append(pi[:, k][:, None] * G)
        return np.stack(out)

    def _delta(self, value, transform, what, at):
        est, lo, up, se = delta_method(value, self.coef, self.vcov, self.conf_level, transform)
        return Prediction(what, np.atleast_1d(np.asarray(at, dtype=float)), est, lo, up, se,
                          transform[2], self.conf_level)

    def probability(self, cause) -> Prediction:
        """pi_k = F_k(inf), the probability of ever having ``cause`` (logit-scale interval)."""
        k = self._index(cause)
        return self._delta(lambda r: np.exp(self.model.log_pi(r))[:, k][:, None, None], LOGIT,
                           "probability", [np.inf])

    def never(self, cause) -> Prediction:
        """1 - pi_k: the fraction who never have ``cause`` (crude: deaths from the other
        causes included), logit-scale interval."""
        k = self._index(cause)
        return self._delta(lambda r: -np.expm1(self.model.log_pi(r))[:, k][:, None, None],
                           LOGIT, "never", [np.inf])

    def cumulative_incidence(self, cause, times) -> Prediction:
        """F_k(t) = pi_k G_k(t) (log(-log) interval)."""
        k = self._index(cause)
        return self._delta(lambda r: self._cif(r, times)[k][:, None, :], LOGLOG,
                           "cumulative_incidence", times)

    def event_free(self, times) -> Prediction:
        """1 - sum_k F_k(t): no event of any cause yet (log(-log) interval)."""
        return self._delta(lambda r: (1.0 - self._cif(r, times).sum(0))[:, None, :], LOGLOG,
                           "survival", times)

    def survival(self, times) -> Prediction:
        return self.event_free(times)

    def landmarks(self, times=None, horizon=None) -> list[float]:
        from .grid import landmark_times

        return landmark_times(self.tmax, self.time_unit, times, horizon)

    def as_dict(self, times=None, horizon=None, points: int = 60) -> dict:
        """The ``competing_risks_mixture`` block (docs/cli.md)."""
        from ...table import json_number as num
        from ..document import PARAMETER_KEYS
        from .grid import curve as grid_curve, landmark_rows, time_grid

        h = float(horizon or 3.0 * self.tmax)
        grid, pos = time_grid(h, self.landmarks(times, h), points)

        def lms(p):
            return landmark_rows(p, grid, pos)

        def curve(p):
            return grid_curve(p, grid)

        def cell(p):
            return {**p.triple(), "se": num(p.se[0, 0]), "interval_scale": p.scale}

        cifs = [self.cumulative_incidence(c, grid) for c in self.causes]
        free = self.event_free(grid)
        interest = self.causes[0]
        return {"causes": list(self.causes), "cause_of_interest": self.cause_of_interest,
                "method": METHOD, "ci": "delta", "interval_scale": LOGLOG[2],
                "conf_level": self.conf_level, "time_unit": self.time_unit, "n": self.n,
                "horizon": h, "converged": bool(self.converged), "loglik": num(self.loglik),
                "aic": num(self.aic), "k": self.k,
                "probabilities": [{"cause": c, **cell(self.probability(c))}
                                  for c in self.causes],
                "never": {"cause": interest, **cell(self.never(interest))},
                "models": [{"cause": c, "dist": f.dist_name, "events": f.n_events,
                            "k": f.k, "parameters": [{k: r.get(k) for k in PARAMETER_KEYS}
                                                     for r in f.parameters()]}
                           for c, f in zip(self.causes, self.fits)],
                "cifs": [{"cause": c, "landmarks": lms(p), "curve": curve(p)}
                         for c, p in zip(self.causes, cifs)],
                "event_free": {"landmarks": lms(free), "curve": curve(free)},
                "notes": list(self.notes)}


def fit_mixture(data, dist="weibull", *, cause=None, knots: int = 1, scale: str = "hazard",
                conf_level: float = 0.95) -> MixtureCompetingFit:
    """Fit the Larson-Dinse mixture model (module docstring) to ``data`` (SurvivalData with
    causes); ``dist``, ``cause``, ``knots``, ``scale`` as for
    :func:`~remission.models.competing.fit.fit_competing`.  A ConvergenceError when the
    maximum is not found.

    >>> import numpy as np
    >>> from remission.data import SurvivalData
    >>> rng = np.random.default_rng(1)
    >>> relapse = rng.random(400) < 0.6
    >>> t = np.where(relapse, rng.weibull(1.5, 400) * 2, rng.weibull(1.0, 400) * 6)
    >>> c = rng.uniform(5, 15, 400)
    >>> d = SurvivalData.from_arrays(np.minimum(t, c), cause=np.where(
    ...     t < c, np.where(relapse, "relapse", "nrm"), None))
    >>> m = fit_mixture(d, cause="relapse")
    >>> p = m.probability("relapse")
    >>> bool(p.lower[0, 0] < 0.6 < p.upper[0, 0])
    True
    """
    from ..optimize import maximize
    from ..spec import ModelSpec

    levels, fams = cause_families(data, dist, cause)
    index = {c: k for k, c in enumerate(levels)}
    code = np.array([-1 if v is None else index[str(v)] for v in data.cause], dtype=int)
    fits, starts = [], [[], []]
    for k, c in enumerate(levels):
        fam = str(fams.get(c, "weibull")).strip().lower()
        if fam == "cox":
            raise OptionError("--dist cox is not a parametric family (the mixture model needs "
                              "a distribution of the time to each cause)")
        spec = ModelSpec(dist=fam, knots=knots, scale=scale, conf_level=conf_level)
        try:  # the cause-specific fit: the family set up on this cause's events, a start
            f = spec.fit(data.for_cause(c))
        except RemissionError as e:
            raise type(e)(f"cause '{c}': {e}") from None
        try:  # the event times of this cause alone, uncensored: a second start
            alone = spec.fit(data.subset(code == k)).coef
        except RemissionError:
            alone = f.coef
        fits.append(f)
        starts[0].append(f.coef)
        starts[1].append(alone if alone.size == f.coef.size else f.coef)
    counts = np.bincount(code[code >= 0], minlength=len(levels)).astype(float)
    alpha = np.log(counts[:-1] / counts[-1])
    model = MixtureLikelihood([f.dist for f in fits], data.time, code)
    layout = Layout(None, (), (), tuple(f"b{i}" for i in range(model.n_coef)))
    arrays = SurvivalArrays.build(data.time, code >= 0)
    res = maximize(layout, arrays, [np.concatenate([alpha] + s) for s in starts],
                   objective=model)
    if not res.converged:
        raise ConvergenceError(f"the mixture model (Larson-Dinse) did not converge: "
                               f"{res.message}")
    vcov = np.linalg.inv(-res.hessian)
    parts = [replace(f, coef=res.beta[o:o + f.coef.size],
                     vcov=vcov[o:o + f.coef.size, o:o + f.coef.size], converged=True)
             for f, o in zip(fits, model.offsets)]
    notes = [f"cause '{c}': its {f.dist_name} time distribution G still leaves {s:.3g} "
             f"beyond t = {_far(data):g} (1,000 times the last time): a heavy tail or a "
             "defective G, so F(t) approaches pi only far beyond the data, or never"
             for c, f, s in
             ((c, f, float(np.exp(-f.dist.cumulative_hazard(
                 [b.forward(x) for b, x in zip(f.dist.bijections(), f.coef)], _far(data)))))
              for c, f in zip(levels, parts)) if s > 1e-3]
    return MixtureCompetingFit(tuple(levels), model, res.beta, vcov, res.loglik, True,
                               tuple(parts), conf_level, data.time_unit,
                               float(np.max(data.time)), data.n,
                               None if cause is None else str(cause), tuple(notes))


def _far(data) -> float:
    """A time far beyond the data (1,000 times the last one), where G_k should be ~1."""
    return 1000.0 * float(np.max(data.time))
