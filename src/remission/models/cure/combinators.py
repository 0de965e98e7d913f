r"""Cure models as combinators over any base distribution.

Mixture cure (Berkson-Gage; flexsurvcure ``mixture = TRUE``, Stata ``strsmix``):

    S(t) = pi + (1 - pi) S_u(t),   h(t) = (1 - pi) f_u(t) / S(t)

Non-mixture / promotion time (flexsurvcure ``mixture = FALSE``, Stata ``strsnmix``):

    S(t) = pi ^ F_u(t) = exp(log(pi) (1 - S_u(t))),   h(t) = -log(pi) f_u(t)

``pi`` is the cure fraction (long-term survival) and S_u the base ("uncured" / latency)
distribution.  Both combinators are :class:`~remission.distributions.Distribution` objects whose
first parameter is ``cure`` (natural scale pi, constraint unit interval; the link is the
bijection used for it, see :mod:`.links`) followed by the base's parameters (renamed
``base_<name>`` only if a base parameter were itself called ``cure``).  They are fitted by the
one censored likelihood like any family::

    >>> import numpy as np
    >>> from remission.distributions import get_distribution
    >>> from remission.models import fit_distribution
    >>> rng = np.random.default_rng(1)
    >>> n = 400
    >>> cured = rng.random(n) < 0.4
    >>> t = np.where(cured, np.inf, rng.weibull(1.5, n) * 2.0)
    >>> c = rng.uniform(4, 8, n)
    >>> fit = fit_distribution(MixtureCure(get_distribution("weibull")), np.minimum(t, c), t <= c)
    >>> 0.3 < fit.parameters()[0]["estimate"] < 0.5
    True

Covariates on the cure fraction enter through ``designs={"cure": X}`` (X with an intercept
column), on the latency through the base parameters' designs.
"""
from __future__ import annotations

import numpy as np

from ...distributions.base import Distribution
from ...distributions.constraints import unit_interval
from ...distributions._start import km_points
from .links import get_link

#: lowest starting value of the cure fraction
_PI_MIN_START = 0.02


def _as(x):
    return np.asarray(x, dtype=float)


class _CureCombinator(Distribution):
    kind = ""

    def __init__(self, base, link="logistic"):
        from ...distributions import get_distribution

        self.base = get_distribution(base)
        self.link = get_link(link)
        names = tuple(("base_" + p) if p == "cure" else p for p in self.base.parameters)
        self._base_names = names
        self.parameters = ("cure",) + names
        self.constraints = (unit_interval,) + tuple(self.base.constraints)
        self.location = dict(zip(self.base.parameters, names)).get(self.base.location,
                                                                   names[0] if names else "")
        self.name = f"{self.kind}-{self.base.name}" if self.kind else self.base.name
        # start() ranks its candidates by the likelihood, so one optimiser run from the best
        # suffices; fit_distribution retries from all of them if that run does not converge
        self.multimodal = False
        mix = "TRUE" if self.kind == "mixture" else "FALSE"
        link = {"logistic": "logistic", "loglog": "loglog", "probit": "probit",
                "identity": "identity", "cloglog": "cloglog"}[self.link.name]
        self.r_equivalent = (f'flexsurvcure(Surv(time, status) ~ 1, dist = "{self.base.name}", '
                             f'mixture = {mix}, link = "{link}")')

    # ------------------------------------------------------------------ plumbing
    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.base!r}, link={self.link.name!r})"

    def bijections(self):
        return [self.link] + list(self.base.bijections())

    def setup(self, time, event, weights=None):
        b = self.base.setup(time, event, weights)
        if b is self.base:
            return self
        return type(self)(b, self.link)

    def split(self, params):
        """(pi, base parameters) from a full parameter sequence."""
        return _as(params[0]), list(params[1:])

    def __getattr__(self, name):
        # the likelihood's intercept-only fast path, for a Weibull base only
        if name == "fast_loglik" and type(self.__dict__.get("base")).__name__ == "Weibull":
            from . import fast

            return fast.mixture_weibull if self.kind == "mixture" else fast.nonmixture_weibull
        raise AttributeError(name)

    def long_term_survival(self, params):
        """S(infinity): pi for a proper base; more when the base is itself improper."""
        pi, bp = self.split(params)
        su = _as(self.base.long_term_survival(bp))
        out = self._combine(pi, su)
        shape = np.broadcast(*[np.asarray(p) for p in params]).shape
        return np.broadcast_to(out, shape).copy() if shape else float(out)

    def uncured_survival(self, params, t):
        """S_u(t): survival of the uncured (the base distribution)."""
        return self.base.survival(list(params[1:]), t)

    def start(self, time, event, weights=None):
        t = _as(time)
        d = np.asarray(event, dtype=bool)
        _, s = km_points(t, d, weights)
        tail = float(s[-1]) if s.size else 0.5
        pis = sorted({float(np.clip(tail, _PI_MIN_START, 0.9)), float(np.clip(0.5 * tail, _PI_MIN_START, 0.9))})
        # latency starts: the base family's start on the event times alone (the uncured are the
        # ones who can have events), and on all the data
        ev_t = t[d]
        bases = []
        if ev_t.size >= 2:
            w_ev = None if weights is None else _as(weights)[d]
            bases += list(self.base.start(ev_t, np.ones(ev_t.size, bool), w_ev))[:2]
        bases += list(self.base.start(t, d, weights))[:1]
        out = []
        for b in bases:
            for p in pis:
                out.append((p,) + tuple(b))
        return self._rank(out, t, d, weights)

    def _rank(self, cands, t, d, weights):
        """Candidates sorted by their log-likelihood (best first), on a subsample for speed."""
        if t.size > 20000:
            step = t.size // 20000
            t, d = t[::step], d[::step]
            weights = None if weights is None else _as(weights)[::step]
        w = np.ones(t.size) if weights is None else _as(weights)

        def ll(c):
            with np.errstate(all="ignore"):
                v = float(np.sum(w * (np.where(d, self.log_hazard(c, t), 0.0)
                                      - self.cumulative_hazard(c, t))))
            return v if np.isfinite(v) else -np.inf
        scores = [ll(c) for c in cands]
        order = np.argsort(scores)[::-1]
        return [cands[i] for i in order]


class MixtureCure(_CureCombinator):
    """S(t) = pi + (1 - pi) S_u(t) over a base distribution (see the module docstring)."""

    kind = "mixture"

    @staticmethod
    def _combine(pi, su):
        return pi + (1 - pi) * su

    def _parts(self, params, t):
        pi, bp = self.split(params)
        Hu = _as(self.base.cumulative_hazard(bp, t))
        with np.errstate(divide="ignore", invalid="ignore"):
            logpi = np.log(pi)
            log1m = np.log1p(-pi)
            logS = np.logaddexp(logpi, log1m - Hu)
        bad = ~((pi >= 0) & (pi < 1))
        return pi, bp, Hu, logS, log1m, bad

    def cumulative_hazard(self, params, t):
        pi, bp, Hu, logS, log1m, bad = self._parts(params, t)
        return np.where(bad, np.nan, -logS)

    def log_hazard(self, params, t):
        pi, bp, Hu, logS, log1m, bad = self._parts(params, t)
        lhu = _as(self.base.log_hazard(bp, t))
        return np.where(bad, np.nan, log1m + lhu - Hu - logS)

    def survival(self, params, t):
        pi, bp = self.split(params)
        su = _as(self.base.survival(bp, t))
        return np.where((pi >= 0) & (pi < 1), pi + (1 - pi) * su, np.nan)

    def derivatives(self, params, t):
        pi, bp = self.split(params)
        lhu, Hu, dlhu, dHu = self.base.derivatives(bp, t)
        lhu, Hu = _as(lhu), _as(Hu)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            Su = np.exp(-Hu)
            S = pi + (1 - pi) * Su
            H = -np.log(S)
            log1m = np.log1p(-pi)
            logh = log1m + lhu - Hu + H
            dH_dpi = -(1 - Su) / S
            w = (1 - pi) * Su / S  # dH/dHu
            dlogh = [-1.0 / (1 - pi) + dH_dpi]
            dH = [dH_dpi]
            for a, b in zip(dlhu, dHu):
                dH.append(w * b)
                dlogh.append(a - b + w * b)
        bad = ~((pi >= 0) & (pi < 1))
        if np.any(bad):
            logh = np.where(bad, np.nan, logh)
            H = np.where(bad, np.nan, H)
        return logh, H, dlogh, dH


class NonMixtureCure(_CureCombinator):
    """S(t) = pi ^ F_u(t) over a base distribution (see the module docstring)."""

    kind = "non-mixture"

    @staticmethod
    def _combine(pi, su):
        return pi ** (1 - su)

    def cumulative_hazard(self, params, t):
        pi, bp = self.split(params)
        Fu = -np.expm1(-_as(self.base.cumulative_hazard(bp, t)))
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where((pi > 0) & (pi < 1), -np.log(pi) * Fu, np.nan)

    def log_hazard(self, params, t):
        pi, bp = self.split(params)
        Hu = _as(self.base.cumulative_hazard(bp, t))
        lhu = _as(self.base.log_hazard(bp, t))
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where((pi > 0) & (pi < 1), np.log(-np.log(pi)) + lhu - Hu, np.nan)

    def derivatives(self, params, t):
        pi, bp = self.split(params)
        lhu, Hu, dlhu, dHu = self.base.derivatives(bp, t)
        lhu, Hu = _as(lhu), _as(Hu)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            c = -np.log(pi)
            Su = np.exp(-Hu)
            H = c * (1 - Su)
            logh = np.log(c) + lhu - Hu
            dlogh = [-1.0 / (pi * c)]
            dH = [-(1 - Su) / pi]
            for a, b in zip(dlhu, dHu):
                dlogh.append(a - b)
                dH.append(c * Su * b)
        bad = ~((pi > 0) & (pi < 1))
        if np.any(bad):
            logh = np.where(bad, np.nan, logh)
            H = np.where(bad, np.nan, H)
        return logh, H, dlogh, dH


def cure_distribution(base, cure: str = "mixture", link: str = "logistic") -> _CureCombinator:
    """``MixtureCure`` or ``NonMixtureCure`` of ``base`` by name (spellings and errors of
    :func:`remission.models.spec.normalize_cure`)."""
    from ...errors import OptionError
    from ..spec import normalize_cure

    kind = normalize_cure(cure)
    if kind is None:
        raise OptionError("--cure: a cure model is mixture or non-mixture")
    return MixtureCure(base, link) if kind == "mixture" else NonMixtureCure(base, link)
