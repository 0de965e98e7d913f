"""Fitting parametric cure models to data, and the frozen :class:`CureFit` result.

:func:`fit_cure_model` is the rich Python API (returns a :class:`CureFit`); :func:`fit_cure`
returns the ``remission fit --cure`` JSON document of the SPEC; :func:`compare_row` the row of
``remission compare``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ...errors import OptionError
from ..design import DesignSpec
from ..fit import fit_distribution
from ..result import ParametricFit, Prediction
from ..table import SummaryTable
from . import derived as dv
from .boundary import PI_BOUNDARY, Boundary, boundary_fit
from .combinators import cure_distribution


#: the bootstrap seed used when none is given (reported in the output)
DEFAULT_SEED = 1


def _num(v):
    v = float(v)
    return v if np.isfinite(v) else None


@dataclass(frozen=True, eq=False)
class CureFit:
    """A fitted parametric cure model (immutable).

    ``fit`` is the underlying :class:`~remission.models.ParametricFit` of the cure
    distribution (first parameter ``cure``).  ``boundary`` is set when the cure fraction was
    estimated at 0 (no plateau): then ``fit`` is the boundary model and the cure fraction's
    interval is [0, profile upper bound].  ``bootstrap`` holds replicate coefficients when
    intervals are bootstrap percentile intervals (``ci = "bootstrap"``).
    """

    fit: ParametricFit
    kind: str
    link: str
    ci: str = "delta"
    boundary: Boundary | None = None
    bootstrap: object | None = None
    background: object | None = None
    cure_spec: DesignSpec | None = None
    tmax: float = 1.0
    extra: dict = field(default_factory=dict)

    # ------------------------------------------------------------------ basics
    @property
    def dist(self):
        return self.fit.dist

    @property
    def converged(self) -> bool:
        return bool(self.fit.converged or self.boundary is not None)

    @property
    def loglik(self) -> float:
        return self.boundary.loglik if self.boundary is not None else self.fit.loglik

    @property
    def k(self) -> int:
        """Estimated coefficients (the cure fraction counts even at its boundary)."""
        held = self.boundary is not None and self.fit.layout.fixed[0] is not None
        return int(self.fit.coef.size + (1 if held else 0))

    @property
    def aic(self) -> float:
        return -2 * self.loglik + 2 * self.k

    @property
    def bic(self) -> float:
        return -2 * self.loglik + self.k * np.log(self.fit.n)

    @property
    def conf_level(self) -> float:
        return self.fit.conf_level

    # ------------------------------------------------------------------ predictions
    def _predict(self, q, at, newdata=None, average=False) -> Prediction:
        Xs, m = self._designs(newdata)
        if self.bootstrap is not None and self.ci == "bootstrap":
            p = dv.bootstrap_prediction(self.fit, q, at, Xs, m, self.bootstrap.coefs,
                                        self.conf_level, average=average)
        else:
            p = dv.delta_prediction(self.fit, q, at, Xs, m, self.dist.link, self.conf_level,
                                    average=average)
        return p

    def _designs(self, newdata):
        if newdata is None or not self.fit.has_covariates:
            return self.fit._designs_for(newdata)
        return self.fit._designs_for(newdata)

    def _all_subjects(self):
        """Design matrices of every fitted subject (for population averages)."""
        Xs = list(self.fit.layout.designs)
        return Xs, self.fit.n

    def cure_fraction(self, newdata=None) -> Prediction:
        """pi for each profile of ``newdata`` (default: the reference profile)."""
        p = self._predict(dv.cure_fraction_q(self.dist), [np.inf], newdata)
        return self._boundary_pi(p)

    def marginal_cure_fraction(self) -> Prediction:
        """pi averaged over the fitted subjects (equals pi without cure covariates)."""
        if self.cure_spec is None or self.cure_spec.intercept_only:
            return self.cure_fraction()
        Xs, m = self._all_subjects()
        q = dv.cure_fraction_q(self.dist)
        if self.bootstrap is not None and self.ci == "bootstrap":
            p = dv.bootstrap_prediction(self.fit, q, [np.inf], Xs, m, self.bootstrap.coefs,
                                        self.conf_level, average=True)
        else:
            p = dv.delta_prediction(self.fit, q, [np.inf], Xs, m, self.dist.link,
                                    self.conf_level, average=True, scale="logit")
        return p

    def _boundary_pi(self, p: Prediction) -> Prediction:
        if self.boundary is None:
            return p
        shape = p.estimate.shape
        return Prediction(p.what, p.at, np.zeros(shape), np.zeros(shape),
                          np.full(shape, self.boundary.upper), np.full(shape, np.nan),
                          "profile likelihood (one-sided, boundary)", p.conf_level)

    def survival(self, times, newdata=None) -> Prediction:
        return self._predict(dv.survival_q(self.dist), times, newdata)

    def uncured_survival(self, times, newdata=None) -> Prediction:
        """S_u(t), the survival of the uncured (the base distribution)."""
        return self._predict(dv.uncured_survival_q(self.dist), times, newdata)

    def uncured_median(self, newdata=None) -> Prediction:
        return self._predict(dv.uncured_quantile_q(self.dist), [0.5], newdata)

    def median(self, newdata=None) -> Prediction:
        """Median of the overall survival (infinite when the plateau is above 1/2)."""
        q = dv.Quantity("quantile", lambda th, p: self.dist.quantile(
            [np.broadcast_to(x, np.broadcast(*th, p).shape) for x in th],
            np.broadcast_to(p, np.broadcast(*th, p).shape)), "log")
        return self._predict(q, [0.5], newdata)

    def probability_cured(self, times, newdata=None) -> Prediction:
        """P(cured | event-free at t) = pi / S(t) over ``times``.

        Without a bootstrap the interval is the projection of the coefficients' Wald
        confidence ellipsoid (:func:`.derived.projection_prediction`), not the linearised
        delta method: logit(pi / S(t)) = logit(pi) + H_u(t) for the mixture model, and the
        delta-method standard error of H_u(t) grows faster than H_u(t) itself as t passes the
        follow-up, so the delta lower bound fell towards 0 while every fitted curve rises.
        """
        q = dv.probability_cured_q(self.dist)
        if self.bootstrap is not None and self.ci == "bootstrap":
            p = self._predict(q, times, newdata)
        else:
            Xs, m = self._designs(newdata)
            p = dv.projection_prediction(self.fit, q, times, Xs, m, self.conf_level)
        if self.boundary is not None:
            z = np.zeros(p.estimate.shape)
            return Prediction(p.what, p.at, z, z, np.full(z.shape, np.nan), z * np.nan,
                              "boundary", p.conf_level)
        return p

    def cure_time(self, levels=(0.9, 0.95), newdata=None) -> Prediction:
        """Time after which an event-free patient is cured with probability >= level."""
        p = self._predict(dv.cure_time_q(self.dist), levels, newdata)
        if self.boundary is not None:
            inf = np.full(p.estimate.shape, np.inf)
            return Prediction(p.what, p.at, inf, inf, inf, inf * np.nan, "boundary",
                              p.conf_level)
        return p

    def parameters(self) -> list[dict]:
        rows = [dict(r) for r in self.fit.parameters()]
        if self.bootstrap is not None and self.ci == "bootstrap":
            C = self.bootstrap.coefs
            bij = self.dist.bijections()
            a = 1 - self.conf_level
            for j, s in enumerate(self.fit.layout.slices):
                for i in range(s.start, s.stop):
                    r = next(x for x in rows if x["name"] == self.fit.coef_names[i])
                    v = C[:, i]
                    if i == s.start:
                        v = bij[j].forward(v)
                    r["se"] = float(np.std(v, ddof=1)) if v.size > 1 else None
                    r["lower"], r["upper"] = (float(np.quantile(v, a / 2)),
                                              float(np.quantile(v, 1 - a / 2)))
        for r in rows:  # the identity link's Wald interval can leave [0, 1]: clip it
            if r["name"] == "cure" and r.get("lower") is not None:
                r["lower"] = max(0.0, r["lower"])
                r["upper"] = min(1.0, r["upper"])
        if self.boundary is not None:
            for r in rows:
                if r["name"] == "cure":
                    r.update(estimate=0.0, se=None, lower=0.0, upper=self.boundary.upper,
                             fixed=False, boundary=True)
        return rows

    # ------------------------------------------------------------------ reporting
    def cure_fraction_by(self, limit: int = 50) -> list[dict]:
        spec = self.cure_spec
        if spec is None or spec.intercept_only or self.fit.covariates is None:
            return []
        frame = self.fit.covariates[list(spec.columns)].drop_duplicates().head(limit)
        frame = frame.reset_index(drop=True)
        full = self._profile_frame(frame)
        p = self.cure_fraction(full)
        out = []
        for i in range(len(frame)):
            pat = {c: _py(frame.iloc[i][c]) for c in spec.columns}
            out.append({"pattern": pat, "estimate": _num(p.estimate[i, 0]),
                        "lower": _num(p.lower[i, 0]), "upper": _num(p.upper[i, 0])})
        return out

    def _profile_frame(self, frame):
        """Complete ``frame`` with the other covariates at their reference values."""
        import pandas as pd

        ref = {}
        for spec in self.fit.specs.values():
            if spec is not None:
                ref.update(spec.reference_frame(self.fit.covariates).iloc[0].to_dict())
        full = pd.DataFrame({c: [v] * len(frame) for c, v in ref.items()})
        for c in frame.columns:
            full[c] = frame[c].to_numpy()
        return full

    def summary(self) -> SummaryTable:
        rows = tuple((r["name"], r["estimate"], r["se"], r["lower"], r["upper"])
                     for r in self.parameters())
        pct = f"{100 * self.conf_level:g}%"
        cf = self.marginal_cure_fraction()
        foot = [f"n = {self.fit.n}, events = {self.fit.n_events:g}, log-likelihood = "
                f"{self.loglik:.4f}, AIC = {self.aic:.3f}, BIC = {self.bic:.3f}",
                f"cure fraction = {cf.estimate[0, 0]:.4f} ({pct} CI {cf.lower[0, 0]:.4f} to "
                f"{cf.upper[0, 0]:.4f}; {self.ci})",
                "converged: " + ("at the boundary (cure fraction 0: no plateau)"
                                 if self.boundary is not None else
                                 "yes" if self.converged else "NO (" + self.fit.message + ")")]
        return SummaryTable(
            title=f"{self.kind} cure model, {self.dist.base.name} latency, {self.link} link",
            columns=("parameter", "estimate", "se", f"lower {pct}", f"upper {pct}"),
            rows=rows, footer=tuple(foot),
            info={"dist": self.dist.base.name, "cure": self.kind, "loglik": self.loglik,
                  "aic": self.aic, "bic": self.bic, "k": self.k, "converged": self.converged})

    def to_dict(self, times=None) -> dict:
        """The SPEC ``remission fit --cure`` document (plus extras)."""
        from ..document import default_times

        fit = self.fit
        tl = list(times) if times is not None and len(times) else default_times(_times(self))
        pred = self.survival(tl)
        med = self.median()
        cf = self.marginal_cure_fraction()
        um = self.uncured_median()
        us = self.uncured_survival(tl)
        grid = _grid(self)
        pc = self.probability_cured(grid)
        ct = self.cure_time((0.9, 0.95))
        doc = {
            "dist": self.dist.base.name if self.dist.base.name != "spline" else "spline",
            "cure": self.kind,
            "n": fit.n,
            "events": fit.n_events,
            "k": self.k,
            "converged": self.converged,
            "loglik": self.loglik,
            "aic": self.aic,
            "bic": self.bic,
            "parameters": [{k: r.get(k) for k in ("name", "estimate", "se", "lower", "upper")}
                           for r in self.parameters()],
            "predictions": [{"time": float(t), "survival": _num(e), "lower": _num(lo),
                             "upper": _num(up)}
                            for t, e, lo, up in zip(tl, pred.estimate[0], pred.lower[0],
                                                    pred.upper[0])],
            "median": _triple(med),
            "cure_fraction": _triple(cf),
            "cure_fraction_by": self.cure_fraction_by(),
            # extras
            "link": self.link,
            "ci": self.ci,
            "conf_level": self.conf_level,
            "time_unit": fit.time_unit,
            "boundary": self.boundary is not None,
            "message": ("cure fraction estimated at the boundary 0 (no plateau in the data); "
                        "interval from the profile likelihood (one-sided)"
                        if self.boundary is not None else fit.message),
            "relative_survival": bool(fit.relative_survival),
            "uncured": {"median": _triple(um),
                        "survival": [{"time": float(t), "survival": _num(e), "lower": _num(lo),
                                      "upper": _num(up)}
                                     for t, e, lo, up in zip(tl, us.estimate[0], us.lower[0],
                                                             us.upper[0])]},
            "probability_cured": [{"time": float(t), "estimate": _num(e), "lower": _num(lo),
                                   "upper": _num(up)}
                                  for t, e, lo, up in zip(grid, pc.estimate[0], pc.lower[0],
                                                          pc.upper[0])],
            "cure_time": {f"{lev:g}": _triple(ct, j) for j, lev in enumerate((0.9, 0.95))},
            "r_equivalent": self.dist.r_equivalent,
        }
        if fit.has_covariates:
            ref = {}
            for spec in fit.specs.values():
                if spec is not None:
                    ref.update({k: _py(v) for k, v in
                                spec.reference_frame(fit.covariates).iloc[0].to_dict().items()})
            doc["prediction_profile"] = ref
        if self.bootstrap is not None:
            doc["bootstrap"] = self.bootstrap.to_dict()
        doc.update(self.extra)
        return doc

    def __repr__(self) -> str:
        return (f"CureFit({self.kind}, dist={self.dist.base.name}, link={self.link}, "
                f"loglik={self.loglik:.4f}, boundary={self.boundary is not None})")


def _py(v):
    return v.item() if hasattr(v, "item") else v


def _triple(p: Prediction, j: int = 0) -> dict:
    return {"estimate": _num(p.estimate[0, j]), "lower": _num(p.lower[0, j]),
            "upper": _num(p.upper[0, j])}


def _times(cf: CureFit):
    return np.asarray([cf.tmax])


def _grid(cf: CureFit, n: int = 21):
    return np.linspace(0.0, cf.tmax, n)


# ---------------------------------------------------------------------- fitting
def _designs(data, dist, covariates, cure_covariates, categorical):
    frame = data.covariates
    specs, designs, names = {}, {}, {}
    for p, cols in (("cure", list(cure_covariates or ())),
                    (dist.location, list(covariates or ()))):
        if not cols:
            continue
        if frame is None:
            from ...errors import DataError

            raise DataError("covariates were requested but the data carry none", column=cols[0])
        spec = DesignSpec.from_frame(frame, cols, categorical)
        specs[p] = spec
        designs[p] = spec.matrix(frame)
        names[p] = list(spec.names)
    return specs, designs, names


def resolve_bhazard(data, bhazard=None, background=None):
    """Per-subject background hazard at exit from a column name, an array or a
    :class:`~remission.models.background.BackgroundMortality`."""
    if background is not None:
        if bhazard is not None:
            raise OptionError("give either --bhazard or --lifetable, not both")
        return background.hazard_at_exit(data.time)
    if bhazard is None:
        return None
    if isinstance(bhazard, str):
        from ..background import bhazard_column

        return bhazard_column(data, bhazard)
    return np.asarray(bhazard, dtype=float)


def fit_cure_model(data, dist="weibull", cure="mixture", link="logistic", *, covariates=(),
                   cure_covariates=(), categorical=(), bhazard=None, background=None,
                   knots=1, scale="hazard", conf_level=0.95, ci="delta", reps=1000,
                   seed=None, bootstrap="nonparametric", scheduler=None, chunk_size=None,
                   progress=False):
    """Fit a mixture or non-mixture cure model to :class:`~remission.data.SurvivalData`.

    ``dist``: any parametric family name (or object), ``"spline"`` with ``knots``/``scale``,
    or ``"cox"`` (semi-parametric mixture cure with a Cox PH latency, see
    :func:`remission.models.cure.cox_em.fit_cox_cure`).  ``covariates`` act on the latency's
    location parameter, ``cure_covariates`` on the cure fraction (through ``link``).
    ``bhazard`` (column name or array) or ``background`` (BackgroundMortality) turn the model
    into a relative-survival (excess hazard) cure model: pi is then the statistical cure.
    ``ci``: "delta" or "bootstrap" (``bootstrap`` = "nonparametric" or "parametric", ``reps``
    replicates, ``seed``; ``scheduler``/``chunk_size`` as in :func:`remission.parallel.map_chunks`).
    """
    from ...distributions import get_distribution

    if ci not in ("delta", "bootstrap"):
        raise OptionError("--ci: choose delta or bootstrap")
    if seed is None:
        seed = DEFAULT_SEED  # bootstrap results are reproducible even without --seed
    if str(dist).lower() == "cox":
        if str(cure).lower() != "mixture":
            raise OptionError("--dist cox is available with --cure mixture only")
        from .cox_em import fit_cox_cure

        return fit_cox_cure(data, covariates=covariates, cure_covariates=cure_covariates,
                            categorical=categorical, link=link, reps=reps, seed=seed,
                            conf_level=conf_level, scheduler=scheduler, chunk_size=chunk_size)
    opts = {"k": knots, "scale": scale} if str(dist).lower() in ("spline", "rp") else {}
    base = get_distribution(dist, **opts)
    cdist = cure_distribution(base, cure, link)
    specs, designs, names = _designs(data, cdist, covariates, cure_covariates, categorical)
    bh = resolve_bhazard(data, bhazard, background)
    arrays = {"time": data.time, "event": data.event, "entry": data.entry,
              "weights": data.weights, "bhazard": bh}
    fit = fit_distribution(cdist, data.time, data.event, entry=data.entry,
                           weights=data.weights, bhazard=bh, designs=designs,
                           design_names=names, conf_level=conf_level,
                           time_unit=data.time_unit, specs=specs, covariates=data.covariates,
                           raise_on_failure=False)
    bnd = None
    pi_hat = float(fit.natural_parameters()[0][0])
    cure_free = "cure" not in designs
    if cure_free and (pi_hat < PI_BOUNDARY or not fit.converged):
        from dataclasses import replace as _replace

        b = boundary_fit(fit.dist, arrays, designs, names, conf_level)
        if pi_hat < PI_BOUNDARY and fit.converged:
            # the optimiser ran to (numerically) pi = 0: the boundary is the answer; keep the
            # better of the two fits for the latency parameters
            bnd = _replace(b, loglik=max(b.loglik, fit.loglik))
            if b.fit.converged and b.fit.loglik >= fit.loglik:
                fit = _with_meta(b.fit, conf_level, data, specs)
        elif b.fit.converged and (not fit.converged or b.loglik >= fit.loglik - 1e-6):
            bnd = b
            fit = _with_meta(b.fit, conf_level, data, specs)
    cfit = CureFit(fit, cdist.kind, cdist.link.name, "delta", bnd, None, background,
                   specs.get("cure"), float(np.max(data.time)))
    if ci == "bootstrap" and cfit.converged:
        from .bootstrap import bootstrap_cure

        boot = bootstrap_cure(cfit, data, reps=reps, seed=seed, kind=bootstrap,
                              scheduler=scheduler, chunk_size=chunk_size, progress=progress,
                              bhazard=bh)
        cfit = CureFit(fit, cdist.kind, cdist.link.name, "bootstrap", bnd, boot, background,
                       specs.get("cure"), cfit.tmax)
    return cfit


def _with_meta(fit, conf_level, data, specs):
    from dataclasses import replace

    return replace(fit, conf_level=conf_level, time_unit=data.time_unit, specs=specs,
                   covariates=data.covariates)


def fit_cure(data, *, dist="weibull", cure="mixture", link="logistic", covariates=(),
             cure_covariates=(), times=None, ci="delta", reps=1000, seed=None,
             conf_level=0.95, lifetable=None, age=None, sex=None, year=None, bhazard=None,
             knots=1, scale="hazard", scheduler=None, bootstrap="nonparametric",
             categorical=(), progress=False) -> dict:
    """Fit a cure model and return the SPEC ``remission fit --cure`` JSON document.

    ``lifetable`` ("us", a CSV path or a :class:`~remission.models.background.LifeTable`) with
    the ``age``/``sex``/``year`` columns, or ``bhazard`` (a column), make it a relative-survival
    cure model; the document then also reports the loss of lifetime.
    """
    from ..background import background_for

    background = background_for(data, lifetable, age, sex, year)
    res = fit_cure_model(data, dist, cure, link, covariates=covariates,
                         cure_covariates=cure_covariates, categorical=categorical,
                         bhazard=bhazard, background=background, knots=knots, scale=scale,
                         conf_level=conf_level, ci=ci, reps=reps, seed=seed,
                         bootstrap=bootstrap, scheduler=scheduler, progress=progress)
    doc = res.to_dict(times)
    if background is not None and getattr(res, "fit", None) is not None and res.converged:
        from .relative import loss_of_lifetime

        doc["loss_of_lifetime"] = loss_of_lifetime(res, background).to_dict()
    return doc


def compare_fit(data, *, dist="weibull", cure="mixture", horizon=None, conf_level=0.95,
                link="logistic", knots=1, scale="hazard"):
    """Fit one cure model for ``remission compare``: ``(fitted object, compare row)``.

    Horizon summaries are computed only for a converged fit; a non-converged one carries
    its optimiser message instead."""
    h = float(horizon) if horizon else float(np.max(data.time))
    if str(dist).lower() == "cox":
        if cure != "mixture":
            raise OptionError("cox is available with the mixture cure model only")
        from .cox_em import fit_cox_cure

        cx = fit_cox_cure(data, reps=0, conf_level=conf_level)
        return cx, {"dist": "cox", "cure": "mixture", "converged": cx.converged,
                    "loglik": None, "aic": None, "bic": None, "k": None,
                    "cure_fraction": float(cx.marginal_cure_fraction().estimate[0, 0]),
                    "survival_at_horizon": float(cx._surv(cx.b, cx.beta, cx.H0, [h],
                                                          cx._reference())[0][0, 0]),
                    "rmst_at_horizon": cx.rmst(h),
                    "message": "semi-parametric: no likelihood comparable with parametric "
                               "models"}
    res = fit_cure_model(data, dist, cure, link, conf_level=conf_level, knots=knots,
                         scale=scale)
    row = {"dist": dist, "cure": cure, "converged": res.converged, "loglik": res.loglik,
           "aic": res.aic, "bic": res.bic, "k": res.k,
           "cure_fraction": float(res.marginal_cure_fraction().estimate[0, 0]),
           "survival_at_horizon": None, "rmst_at_horizon": None,
           "boundary": res.boundary is not None}
    if res.converged:
        row["survival_at_horizon"] = float(res.survival([h]).estimate[0, 0])
        th = [float(p[0]) for p in res.fit.natural_parameters()]
        row["rmst_at_horizon"] = float(res.dist.rmst(th, h))
    else:
        row["message"] = res.fit.message
    return res, row


def compare_row(data, **options) -> dict:
    """One row of ``remission compare`` for a cure model (see :func:`compare_fit`)."""
    return compare_fit(data, **options)[1]


def cure_text(doc: dict) -> str:
    """Readable text for a ``remission fit --cure`` document."""
    def f(v):
        return "NR" if v is None else f"{v:.4g}"

    def tri(d):
        return f"{f(d['estimate'])} ({f(d['lower'])}, {f(d['upper'])})"

    pct = f"{100 * doc.get('conf_level', 0.95):g}%"
    unit = f" (time in {doc['time_unit']})" if doc.get("time_unit") else ""
    title = f"{doc['dist']} model, {doc['cure']} cure, {doc.get('link', 'logistic')} link" + unit
    lines = [SummaryTable(title, ("parameter", "estimate", "se", f"lower {pct}", f"upper {pct}"),
                          tuple((p["name"], p["estimate"], p["se"], p["lower"], p["upper"])
                                for p in doc["parameters"])).to_text()]
    stats = (f"log-likelihood = {doc['loglik']:.4f}, AIC = {doc['aic']:.3f}, "
             f"BIC = {doc['bic']:.3f}, " if doc.get("loglik") is not None else "")
    lines.append(f"n = {doc['n']}, events = {doc['events']:g}, k = {doc['k']}, {stats}"
                 f"converged: {'yes' if doc['converged'] else 'NO'}")
    lines.append(f"cure fraction: {tri(doc['cure_fraction'])}")
    lines.append(f"median: {tri(doc['median'])}")
    if doc["predictions"]:
        lines.append(SummaryTable("predicted survival", ("time", "survival", f"lower {pct}",
                                                         f"upper {pct}"),
                                  tuple((p["time"], p["survival"], p["lower"], p["upper"])
                                        for p in doc["predictions"])).to_text())
    if doc.get("boundary"):
        lines.append("note: " + doc.get("message", "cure fraction at the boundary"))
    un = doc.get("uncured")
    if un:
        lines.append(f"median survival of the uncured: {tri(un['median'])}")
    ct = doc.get("cure_time") or {}
    for lev, d in ct.items():
        lines.append(f"time after which an event-free patient is cured with probability "
                     f"{float(lev):.0%}: {tri(d)}")
    if doc.get("cure_fraction_by"):
        for r in doc["cure_fraction_by"]:
            pat = ", ".join(f"{k}={v}" for k, v in r["pattern"].items())
            lines.append(f"cure fraction [{pat}]: {tri(r)}")
    bs = doc.get("bootstrap")
    if bs:
        lines.append(f"intervals: {bs['type']} bootstrap, {bs['reps']} replicates (seed "
                     f"{bs['seed']}), {bs['used']} used, {bs['failed']} failed to converge"
                     + (f", {bs['boundary']} with the cure fraction at 0"
                        if bs.get("boundary") else ""))
    lol = doc.get("loss_of_lifetime")
    if lol:
        lines.append(f"loss of lifetime vs the general population: {tri(lol)} "
                     f"{doc.get('time_unit') or ''}".rstrip())
    return "\n".join(lines)
