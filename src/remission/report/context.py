"""What every report section reads: the data, the options, and shared results computed once.

Sections never fit a model or run a simulation themselves; they ask the :class:`Context`,
which calls the public API (the same functions a user calls) at most once per cohort and
remembers the answer.  What cannot be computed for these data (e.g. general-population
mortality without age, sex and year) is listed in ``unavailable`` and its part left out, never
faked.
"""
from __future__ import annotations

import time as _time
from dataclasses import dataclass, field

import numpy as np

DEFAULT_DISTS = ("exponential", "weibull", "gompertz", "lognormal", "loglogistic", "gengamma")
#: cure models are slower to fit (boundary profiles); these four keep `analyze` on ~100
#: patients within a few seconds (``--cure-dists`` widens the set)
DEFAULT_CURE_DISTS = ("exponential", "weibull", "gompertz", "loglogistic")
YEARS_IN = {"days": 365.25, "weeks": 365.25 / 7, "months": 12.0, "years": 1.0}


@dataclass
class Options:
    """Choices of an analysis (all have defaults; see :func:`remission.report.analyze`)."""

    horizon: float | None = None
    dists: tuple = DEFAULT_DISTS
    cure_dists: tuple = DEFAULT_CURE_DISTS
    cures: tuple = ("mixture", "non-mixture")
    reps: int = 500
    sims: int = 200
    null_reps: int = 500
    extra_followup: tuple | None = None
    dropout: float = 0.0     # yearly loss to follow-up during the planned extra follow-up
    seed: int = 1
    conf_level: float = 0.95
    landmarks: tuple | None = None
    age: object = None       # years: a number or a column name
    sex: object = None       # "male"/"female" or a column name
    year: object = None      # calendar year of diagnosis: a number or a column name
    lifetable: object = "us"
    smr: float = 1.0         # general-population hazard multiplier (see models.extrapolate)
    discount: float = 0.035  # annual discount rate of life-years (NICE: 3.5%)
    progress: bool = False
    source: str | None = None
    provenance: dict | None = None
    cause: str | None = None  # competing risks: the cause of interest (e.g. relapse)
    nrm_cause: str | None = None  # competing risks: death without relapse (--nrm-cause)
    nrm_from: float | None = None  # ... bounded by population mortality from then (--nrm-from)

    def to_dict(self) -> dict:
        out = {}
        for k, v in self.__dict__.items():
            if k in ("progress", "provenance"):
                continue
            out[k] = list(v) if isinstance(v, tuple) else v
        return out


@dataclass
class Cohort:
    """One analysed population: the whole data set, or one group."""

    label: str
    data: object
    results: dict = field(default_factory=dict)


class Context:
    """Data + options + a cache of shared results (per cohort)."""

    def __init__(self, data, options: Options):
        self.data = data
        self.options = options
        self.timings: dict[str, float] = {}
        self.notes: list[str] = []
        self.unavailable: dict[str, str] = {}
        self._cache: dict = {}
        levels = data.group_levels()
        if levels:
            self.cohorts = [Cohort(str(lev), sub) for lev, sub in data.by_group()]
        else:
            self.cohorts = [Cohort("all", data)]

    # ------------------------------------------------------------------ helpers
    @property
    def unit(self) -> str | None:
        return self.data.time_unit

    def name(self, label: str) -> str:
        """Display name of a cohort: "All patients" or "<group column> = <label>"."""
        if label == "all":
            return "All patients"
        col = (self.data.meta or {}).get("group_column")
        return f"{col} = {label}" if col else f"group {label}"

    @property
    def grouped(self) -> bool:
        return bool(self.data.group_levels())

    def timed(self, name: str, fn, *args, **kwargs):
        t0 = _time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + _time.perf_counter() - t0

    def cached(self, key, fn):
        if key not in self._cache:
            self._cache[key] = fn()
        return self._cache[key]

    def evidence(self, cohort: Cohort):
        """The cohort's :func:`remission.evidence.cure_test` result, computed once: the
        evidence section, its follow-up plan (``plan_followup(..., evidence=...)``) and the
        overview read the same numbers, equal to ``remission cure-test`` (with ``--group`` for
        grouped data) with the same ``--reps`` and ``--seed``."""
        o = self.options
        kw = dict(reps=o.reps, seed=o.seed, conf_level=o.conf_level, progress=o.progress)

        def make():
            from ..evidence import cure_test

            return cure_test(cohort.data, **kw)

        def groups():
            from ..errors import RemissionError
            from ..evidence import cure_test_groups

            try:  # the groups together, as `cure-test --group` (one Yuen-Musta tau for all)
                return cure_test_groups(self.data, **kw)
            except RemissionError:
                return None  # e.g. a group with fewer than two events: each group alone
        if self.grouped:
            g = self.cached(("cure_test_groups",), lambda: self.timed("cure_test", groups))
            if g is not None:
                return g[cohort.label]
        return self.cached(("cure_test_result", cohort.label),
                           lambda: self.timed("cure_test", make))

    @property
    def horizon(self) -> float:
        """Extrapolation horizon: the option, else the first of 10, 15, 20, 30, 40 years that
        is at least 1.5 times the longest follow-up when the time unit is known, else three
        times the longest follow-up."""
        if self.options.horizon:
            return float(self.options.horizon)
        tmax = float(np.max(self.data.time))
        if self.unit in YEARS_IN:
            per = YEARS_IN[self.unit]
            return float(next((y * per for y in (10, 15, 20, 30, 40) if y * per >= 1.5 * tmax),
                              3 * tmax))
        return float(3 * tmax)

    def grid(self, upto: float | None = None, n: int = 241) -> np.ndarray:
        return np.linspace(0.0, float(upto or self.horizon), n)
