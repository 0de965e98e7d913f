"""Shared computations of a report, each through the public API, cached per cohort."""
from __future__ import annotations

import weakref

import numpy as np

from .context import YEARS_IN, Context, Cohort


# ---------------------------------------------------------------------- Kaplan-Meier
def km(ctx: Context, data, key):
    from ..nonparametric import kaplan_meier

    return ctx.cached(("km", key), lambda: kaplan_meier(data, conf_level=ctx.options.conf_level))


def summary(ctx: Context) -> dict:
    """The SPEC ``remission summary`` document, from :func:`remission.summarize`."""
    def make():
        from ..nonparametric.summary import summarize

        return summarize(ctx.data, times=landmark_times(ctx), tau=None,
                         conf_level=ctx.options.conf_level, cause=ctx.options.cause).to_dict()
    return ctx.timed("summary", ctx.cached, "summary", make)


def landmark_times(ctx: Context) -> list[float]:
    if ctx.options.landmarks:
        return [float(t) for t in ctx.options.landmarks]
    from .format import nice_ticks

    tmax = float(np.max(ctx.data.time))
    per_year = YEARS_IN.get(ctx.unit)
    if per_year is not None and tmax >= per_year:
        years = [1, 2, 3, 5, 10, 15, 20]
        return [y * per_year for y in years if y * per_year <= tmax][:5]
    return [t for t in nice_ticks(tmax, 5) if 0 < t <= tmax][:5]


# ---------------------------------------------------------------------- data origin
def roundtrip(ctx: Context) -> list[dict] | None:
    """The Guyot round trip of data reconstructed from a figure (``reconstruct --figure``
    provenance): per digitised curve, the largest vertical distance between the Kaplan-Meier
    curve of the reconstructed patients (the cohort named as the curve; the whole data set
    when the figure has one curve) and the digitised curve up to its last time, by
    :func:`remission.reconstruct.assess` at the middle of every interval between the two
    curves' jump times (both are constant there).  Intervals narrower than a tenth of an x
    pixel are skipped: a drop drawn at one time and reconstructed a hair's breadth later (the
    patients file keeps 6 significant digits) is the same drop, not a distance as large as
    it.  ``cohort`` None: no cohort is that curve's (e.g. two arms analysed without
    ``--group arm``).  None when not read off a figure."""
    fig = (ctx.options.provenance or {}).get("digitised")
    if not fig:
        return None
    ppu = (fig.get("x_axis") or {}).get("pixels_per_unit")

    def make():
        from ..reconstruct import assess
        from ..reconstruct.provenance import digitised_result

        dig = digitised_result(fig)
        by_label = {c.label: c for c in ctx.cohorts}
        out = []
        for name, (t, _s) in dig.curves.items():
            c = (by_label.get(str(name)) if ctx.grouped
                 else ctx.cohorts[0] if len(dig.curves) == 1 else None)
            if c is None or t.size == 0:
                out.append({"curve": name, "cohort": None})
                continue
            k = km(ctx, c.data, c.label)
            grid = np.union1d(np.concatenate(([0.0], t)), k.time[k.time <= t.max()])
            tol = 0.1 / ppu if ppu else 1e-6 * float(t.max())
            wide = np.diff(grid) > tol
            mid = (grid[:-1][wide] + grid[1:][wide]) / 2
            q = assess(c.data.time, c.data.event, mid, dig.step(name, mid))
            out.append({"curve": name, "cohort": c.label, "max_abs_difference": q.max_abs_gap,
                        "at": q.max_gap_time, "n_points": q.n_points})
        return out
    return ctx.cached("roundtrip", make)


# ---------------------------------------------------------------------- models
def models(ctx: Context, cohort: Cohort) -> list:
    """Every requested (distribution, cure) model fitted once to ``cohort`` and ranked by AIC
    (:class:`remission.models.compare.ComparedModel`: ``fit``, ``row``, ``label``, ``key``),
    with the SPEC ``compare`` row of each (keys as :func:`remission.models.compare.compare_models`)."""
    return ctx.cached(("models", cohort.label), lambda: ctx.timed("models", _fit_models, ctx,
                                                                  cohort))


def _plan_models(ctx: Context):
    return ([(d, None) for d in ctx.options.dists]
            + [(d, c) for c in ctx.options.cures for d in ctx.options.cure_dists])


def _fit_models(ctx: Context, cohort: Cohort) -> list:
    from ..models.compare import fit_models

    specs = [(d, c or "none") for d, c in _plan_models(ctx)]
    bar = _Bar(ctx.options.progress, f"fitting models ({cohort.label})", len(specs))
    try:
        with _quiet_numerics():
            fitted = fit_models(cohort.data, specs, ctx.horizon, ctx.options.conf_level,
                                on_model=lambda m: bar.advance())
    finally:
        bar.close()
    return fitted


def _quiet_numerics():
    """Overflow/invalid-value warnings inside an optimiser's trial steps are not news for
    the reader of a report: convergence is checked and reported for every model."""
    import contextlib
    import warnings

    stack = contextlib.ExitStack()
    stack.enter_context(np.errstate(all="ignore"))
    stack.enter_context(warnings.catch_warnings())
    warnings.simplefilter("ignore", RuntimeWarning)
    return stack


def best(ctx: Context, cohort: Cohort, cure: str | None):
    """The lowest-AIC converged model of one kind (cure None = no cure)."""
    return next((m for m in models(ctx, cohort) if m.ok and m.cure == cure), None)


def compare_doc(ctx: Context, cohort: Cohort) -> dict:
    """The SPEC ``remission compare`` document."""
    return {"horizon": ctx.horizon, "time_unit": ctx.unit, "n": int(cohort.data.n),
            "events": int(cohort.data.n_events),
            "models": [m.row for m in models(ctx, cohort)]}


def fit_doc(model, times=None) -> dict:
    """The SPEC ``remission fit`` document of one fitted model (the one builder,
    :func:`remission.models.document.model_document`); made once per model (the models and
    cure sections both read the best models' documents, whose P(cured | event-free) intervals
    are an optimisation per time point)."""
    if times is not None:
        return model.fit.to_dict(times)
    if model not in _DOCS:
        _DOCS[model] = model.fit.to_dict(None)
    return _DOCS[model]


#: fit_doc's documents, per ComparedModel (identity; dropped with the report's models)
_DOCS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def curve(model, times) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p = model.fit.survival(np.asarray(times, float))
    return p.estimate[0], p.lower[0], p.upper[0]


def cure_contrasts(ctx: Context, kind: str) -> list[dict]:
    """Each group's cure fraction against the first group's, from the best ``kind`` cure
    model of each group (fitted to that group alone): difference, odds ratio and the Wald p
    of equal cure fractions (:func:`remission.models.arms.cure_contrast`)."""
    if not ctx.grouped or len(ctx.cohorts) < 2:
        return []

    def make():
        from ..models.arms import cure_contrast

        ref = ctx.cohorts[0]
        mr = best(ctx, ref, kind)
        out = []
        for c in ctx.cohorts[1:]:
            m = best(ctx, c, kind)
            if mr is None or m is None:
                continue
            out.append({"group": c.label, "reference": ref.label, "dist": m.dist,
                        "reference_dist": mr.dist,
                        **cure_contrast(m.fit, mr.fit, ctx.options.conf_level)})
        return out
    return ctx.cached(("cure_contrasts", kind), make)


def disease_cure(ctx: Context, cohort: Cohort):
    """Competing risks with a cause of interest (``cause``, e.g. relapse): the fraction cured
    of the disease beside the endpoint's (:func:`remission.models.cure.competing.
    fit_disease_cure`, mixture cure, the family of the cohort's best mixture model by AIC,
    else Weibull), as a dict; None without a cause; {"error": ...} when a fit fails."""
    cause = ctx.options.cause
    if cause is None or cohort.data.cause is None:
        return None

    def make():
        from ..models.cure.competing import fit_disease_cure

        m = best(ctx, cohort, "mixture")
        dist = m.dist if m is not None else "weibull"
        with _quiet_numerics():
            res = fit_disease_cure(cohort.data, cause, dist, conf_level=ctx.options.conf_level)
        return {"dist": dist, **res.as_dict()}
    return ctx.cached(("disease_cure", cohort.label),
                      lambda: ctx.timed("disease_cure", _guard, ctx,
                                        f"cure of the disease ({cause}, {cohort.label})", make))


def competing_parametric(ctx: Context, cohort: Cohort):
    """Competing risks: parametric cause-specific hazards (for each cause the lowest-AIC
    family of the report's ``dists``) and the cumulative incidences they imply to the horizon
    (:func:`remission.models.competing.fit_competing`), as the ``competing_risks_parametric``
    block; with general-population mortality and ``nrm_cause`` (else a cause of interest and
    two causes: the other one), death without relapse is bounded below by it from
    ``nrm_from`` (default 0), as ``fit --competing``.  None without causes; {"error": ...}
    when a fit fails."""
    if cohort.data.cause is None:
        return None

    def make():
        from ..models.competing import best_families, fit_competing

        o = ctx.options
        cause = o.cause
        bg = background(ctx, cohort)
        if bg is None or (o.nrm_cause is None and (cause is None or
                                                   len(cohort.data.cause_levels()) != 2)):
            bg = None
        nrm = {} if bg is None else {"nrm_cause": o.nrm_cause, "nrm_from": o.nrm_from}
        with _quiet_numerics():
            fams = best_families(cohort.data, o.dists)
            cr = fit_competing(cohort.data, fams, cause=cause,
                               conf_level=o.conf_level, background=bg, **nrm)
            return cr.as_dict(landmark_times(ctx), ctx.horizon, points=120)
    return ctx.cached(("competing_parametric", cohort.label),
                      lambda: ctx.timed("competing_parametric", _guard, ctx,
                                        f"parametric competing risks ({cohort.label})", make))


# ---------------------------------------------------------------------- background mortality
def background(ctx: Context, cohort: Cohort):
    """BackgroundMortality of the cohort's patients, or None (with a note saying why)."""
    return ctx.cached(("bg", cohort.label), lambda: _background(ctx, cohort))


def _is_number(v) -> bool:
    """Whether a background option is a value rather than a column (the rule of
    :func:`remission.models.background.background_for`)."""
    from ..models.background import _is_number as is_number

    return is_number(v)


def _background(ctx: Context, cohort: Cohort):
    o = ctx.options
    age, sex, year = o.age, o.sex, o.year
    base = (o.provenance or {}).get("cohort") or {}
    if age is None and sex is None and year is None and base:
        # published baseline of a reconstructed trial (its provenance says where from)
        age, sex, year = base.get("age"), base.get("male_fraction"), base.get("year")
        if None not in (age, sex, year) and not any("published baseline" in n or
                                                    "cohort of age" in n for n in ctx.notes):
            ctx.notes.append("general-population mortality for a cohort of age "
                             f"{age:g}, {100 * float(sex):.0f}% male, diagnosed in {year:g} "
                             f"({base.get('source', 'published baseline')})")
    if age is None or sex is None or year is None:
        ctx.unavailable.setdefault(
            "general-population mortality",
            "no age, sex and calendar year given (e.g. --age 61 --sex male --year 2018, or "
            "column names)")
        return None
    if ctx.unit is None:
        ctx.unavailable.setdefault("general-population mortality",
                                   "the time unit is unknown (give --time-unit)")
        return None
    from ..models.background import background_for

    # the one builder of background mortality (values or columns of the data)
    bg = background_for(cohort.data, o.lifetable, age, sex, year, time_unit=ctx.unit)
    return None if bg is None else bg.with_options(o.smr, o.discount)  # --smr, --discount


def extrapolation(ctx: Context, cohort: Cohort, model):
    """Cohort survival to the horizon with general-population mortality (or None)."""
    bg = background(ctx, cohort)
    if bg is None or not model.ok:
        return None

    def make():
        from ..models.extrapolate import extrapolate

        # every fitted model (a mixture cure: the cured carry population mortality)
        return extrapolate(model.fit, bg, ctx.horizon, n_grid=480, smr=bg.smr)
    return ctx.cached(("extrap", cohort.label, model.key),
                      lambda: ctx.timed("extrapolation", make))


# ---------------------------------------------------------------------- evidence for cure
def cure_test(ctx: Context, cohort: Cohort):
    def make():
        return ctx.evidence(cohort).to_dict()
    return ctx.cached(("cure_test", cohort.label), lambda: _guard(ctx, "cure test", make))


def cause_cure_test(ctx: Context, cohort: Cohort):
    """:func:`remission.evidence.cure_test` of the cause of interest (the other causes
    censored) for the cohort, as a dict, cached like the endpoint's; None without a cause."""
    cause = ctx.options.cause
    if cause is None or cohort.data.cause is None:
        return None
    o = ctx.options

    def make():
        from ..evidence import cure_test

        return cure_test(cohort.data, cause=cause, reps=o.reps, seed=o.seed,
                         conf_level=o.conf_level, progress=o.progress).to_dict()
    return ctx.cached(("cause_cure_test", cohort.label),
                      lambda: ctx.timed("cure_test", _guard, ctx,
                                        f"cure test of {cause}", make))


def plan(ctx: Context, cohort: Cohort):
    def make():
        from ..evidence import plan_followup

        kw = {}
        if ctx.options.extra_followup:
            kw["extra_followup"] = tuple(ctx.options.extra_followup)
        elif ctx.unit in YEARS_IN:
            kw["extra_followup"] = tuple(round(y * YEARS_IN[ctx.unit], 6)
                                         for y in (0.5, 1, 2, 3))
        # the cure-test result and the model comparison computed once for the whole report
        fitted = models(ctx, cohort)
        return plan_followup(cohort.data, sims=ctx.options.sims, seed=ctx.options.seed,
                             null_reps=ctx.options.null_reps, reps=ctx.options.reps,
                             progress=ctx.options.progress, scheduler="sync",
                             dropout=ctx.options.dropout, evidence=ctx.evidence(cohort),
                             models=fitted, **kw).to_dict()
    return ctx.cached(("plan", cohort.label), lambda: ctx.timed("plan", _guard, ctx,
                                                                "follow-up planning", make))


def _guard(ctx: Context, what: str, fn):
    """Run ``fn``; an anticipated failure (e.g. a model that does not converge) becomes a
    note in the report rather than a crash, because the rest of the report still stands."""
    from ..errors import RemissionError

    try:
        return fn()
    except RemissionError as e:
        ctx.notes.append(f"{what}: {e}")
        return {"error": str(e)}


class _Bar:
    """A rich progress bar on stderr (or nothing)."""

    def __init__(self, enabled: bool, description: str, total: int):
        self.p = None
        import sys

        if enabled and total > 1 and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.p = Progress(TextColumn("{task.description}"), BarColumn(),
                              MofNCompleteColumn(), transient=True,
                              console=Console(stderr=True))
            self.p.start()
            self.task = self.p.add_task(description, total=total)

    def advance(self):
        if self.p is not None:
            self.p.advance(self.task)

    def close(self):
        if self.p is not None:
            self.p.stop()
            self.p = None
