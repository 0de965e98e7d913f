"""One model specification, validated once, for the CLI, the report and the Python API.

A :class:`ModelSpec` says *what* to fit: the distribution, the cure model and its link, the
covariates (on the location parameter, ancillary parameters and the cure fraction),
background mortality, and how intervals are made (delta method or a seeded bootstrap).  It is
frozen and checks itself on creation, so a bad combination is an
:class:`~remission.errors.OptionError` before any data are read; every rule about which
options go together lives here (and only here), e.g. the semi-parametric ``cox`` latency
exists only as a mixture cure model.

:meth:`ModelSpec.fit` then fits it to :class:`~remission.data.SurvivalData` and returns a
:class:`~remission.models.protocol.FittedModel`, whose ``to_dict()`` is the model document::

    >>> import remission as rm
    >>> spec = ModelSpec(dist="weibull", cure="mixture")
    >>> fit = spec.fit(rm.load_example("lung"))
    >>> fit.cure_kind, fit.converged, fit.cure_fraction().what
    ('mixture', True, 'cure_fraction')
    >>> ModelSpec(dist="cox")
    Traceback (most recent call last):
    ...
    remission.errors.OptionError: --dist cox is available with --cure mixture only

Background mortality (``lifetable`` with the ``age``/``sex``/``year`` of the patients, each a
column of the data or one value for everyone) means two things: without a cure model the
fit is extrapolated with it (``horizon``); with one, the model becomes a relative-survival
(excess-hazard) cure model whose pi is the statistical cure, and the document reports the
loss of lifetime.  ``bhazard`` names a column of background hazards at exit (relative
survival) instead.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import OptionError

#: cure models: None (no cure) or one of these
CURES = ("mixture", "non-mixture")
_CURE_ALIASES = {"none": None, "": None, "mixture": "mixture", "non-mixture": "non-mixture",
                 "nonmixture": "non-mixture", "promotion-time": "non-mixture"}
#: the bootstrap seed used when none is given (reported in the output)
DEFAULT_SEED = 1
#: the semi-parametric latency (a Cox PH model of the uncured; mixture cure only)
COX = "cox"
#: links of the cure fraction (see :mod:`remission.models.cure.links`) and their aliases
LINKS = ("logistic", "loglog", "cloglog", "probit", "identity")
_LINK_ALIASES = {"logit": "logistic", "log-log": "loglog", "complementary-loglog": "cloglog",
                 "linear": "identity"}


def normalize_link(name) -> str:
    """The canonical name of a cure-fraction link (an OptionError for unknown names)."""
    key = str(name).strip().lower()
    key = _LINK_ALIASES.get(key, key)
    if key not in LINKS:
        raise OptionError(f"--link: unknown link '{name}' (choose from {', '.join(LINKS)})")
    return key


def normalize_cure(cure) -> str | None:
    """None, "mixture" or "non-mixture" from the spellings users write; an OptionError
    otherwise (the one check of a cure kind)."""
    if cure is None:
        return None
    key = str(cure).strip().lower().replace("_", "-")
    if key not in _CURE_ALIASES:
        raise OptionError(f"--cure: unknown value '{cure}' (none, mixture, non-mixture)")
    return _CURE_ALIASES[key]


def check_pair(dist: str, cure) -> str | None:
    """Validate one (distribution, cure) pair; returns the normalised cure kind.  The one
    place of the rule that the Cox latency needs a mixture cure model."""
    kind = normalize_cure(cure)
    if str(dist).strip().lower() == COX:
        if kind != "mixture":
            raise OptionError("--dist cox is available with --cure mixture only")
    else:
        from ..distributions import get_distribution

        get_distribution(dist)  # an OptionError names an unknown family
    return kind


def check_hta(smr, discount) -> None:
    """--smr (a positive multiplier, at most 100) and --discount (an annual rate in [0, 1])."""
    for name, v, lo, hi in (("--smr", smr, 0.0, 100.0), ("--discount", discount, 0.0, 1.0)):
        try:
            x = float(v)
        except (TypeError, ValueError):
            raise OptionError(f"{name} must be a number (got {v!r})") from None
        ok = math.isfinite(x) and (lo < x if name == "--smr" else lo <= x) and x <= hi
        if not ok:
            raise OptionError(f"{name} must lie in {'(' if name == '--smr' else '['}{lo:g}, "
                              f"{hi:g}] (got {x:g})")


def _strip_factor(c: str) -> str:
    c = str(c).strip()
    for pre in ("factor(", "C("):
        if c.startswith(pre) and c.endswith(")"):
            return c[len(pre):-1].strip()
    return c


@dataclass(frozen=True)
class ModelSpec:
    """What to fit (see the module docstring); validated on creation."""

    dist: str = "weibull"
    cure: str | None = None           # None, "mixture" or "non-mixture"
    link: str = "logistic"            # the cure fraction's link
    covariates: tuple = ()            # on the location parameter (the latency with a cure)
    cure_covariates: tuple = ()       # on the cure fraction
    anc: tuple = ()                   # {ancillary parameter: [columns]} (no cure), kept as
    #                                   ((parameter, (columns...)), ...) so a spec is hashable
    categorical: tuple = ()
    knots: int = 1                    # spline models
    scale: str = "hazard"             # spline models: hazard, odds or normal
    lifetable: object = None          # "us", a CSV path or a LifeTable
    age: object = None                # column name or value (years)
    sex: object = None                # column name, male/female, or a fraction of men
    year: object = None               # column name or calendar year of diagnosis
    bhazard: object = None            # column name (or array) of background hazards at exit
    horizon: float | None = None      # extrapolation with background mortality (life-years)
    smr: float = 1.0                  # multiplier of the general-population hazard
    discount: float = 0.035           # annual discount rate of life-years (NICE)
    ci: str = "delta"                 # "delta" or "bootstrap"
    bootstrap: str = "nonparametric"  # or "parametric" (with ci="bootstrap")
    reps: int = 200
    seed: int | None = None
    conf_level: float = 0.95

    def __post_init__(self):
        def put(name, value):
            object.__setattr__(self, name, value)

        put("dist", str(self.dist).strip().lower())
        put("cure", check_pair(self.dist, self.cure))
        for name in ("covariates", "cure_covariates", "categorical"):
            put(name, tuple(getattr(self, name) or ()))
        put("anc", tuple((str(k), tuple(v)) for k, v in dict(self.anc or ()).items()))
        put("link", normalize_link(getattr(self.link, "name", self.link)))
        if self.cure is None and (self.cure_covariates or self.link != "logistic"):
            raise OptionError("--cure-covariates and --link need --cure")
        if self.cure is not None and self.anc:
            raise OptionError("--anc is not available with --cure (use --covariates for the "
                              "latency and --cure-covariates for the cure fraction)")
        if self.dist == COX and self.link != "logistic":
            raise OptionError("--dist cox supports the logistic link only (as smcure's default)")
        if self.ci not in ("delta", "bootstrap"):
            raise OptionError("--ci: choose delta or bootstrap")
        if self.bootstrap not in ("nonparametric", "parametric"):
            raise OptionError("--bootstrap: choose nonparametric or parametric")
        if isinstance(self.reps, bool) or int(self.reps) != self.reps or self.reps < 0:
            raise OptionError(f"--reps must be a non-negative integer (got {self.reps})")
        put("reps", int(self.reps))
        if self.ci == "bootstrap" and self.reps < 1:
            raise OptionError("--ci bootstrap needs --reps of at least 1")
        if not self.resampling and self.bootstrap != "nonparametric":
            raise OptionError("--bootstrap needs --ci bootstrap")
        if self.seed is not None and (isinstance(self.seed, bool) or int(self.seed) != self.seed
                                      or self.seed < 0):
            raise OptionError(f"--seed must be a non-negative integer (got {self.seed})")
        c = float(self.conf_level)
        if not (math.isfinite(c) and 0 < c < 1):
            raise OptionError(f"--conf-level must lie strictly between 0 and 1 (got {c:g})")
        if not (isinstance(self.knots, int) and 0 <= self.knots <= 10):
            raise OptionError(f"--knots must be an integer from 0 to 10 (got {self.knots})")
        if self.scale not in ("hazard", "odds", "normal"):
            raise OptionError("--scale: choose hazard, odds or normal")
        has_table = self.lifetable is not None and str(self.lifetable) != ""
        if has_table and self.bhazard is not None:
            raise OptionError("give either --bhazard or --lifetable, not both")
        if self.dist == COX and (has_table or self.bhazard is not None):
            raise OptionError("--dist cox takes no --lifetable or --bhazard (there is no "
                              "relative-survival Cox cure model)")
        if self.dist == COX and self.bootstrap != "nonparametric":
            raise OptionError("--dist cox resamples patients: --bootstrap parametric is not "
                              "available")
        if has_table:
            missing = [n for n, v in (("--age", self.age), ("--sex", self.sex),
                                      ("--year", self.year)) if v is None or v == ""]
            if missing:
                raise OptionError(f"--lifetable needs {', '.join(missing)}")
        if self.horizon is not None:
            h = float(self.horizon)
            if not (math.isfinite(h) and h > 0):
                raise OptionError(f"--horizon must be a positive number (got {h:g})")
            if not has_table:
                # the horizon sets the extrapolation with general-population mortality
                raise OptionError("--horizon needs --lifetable (with --age, --sex and --year):"
                                  " the general-population mortality to extrapolate with")
            if self.dist == COX:
                raise OptionError("--horizon is not available with --dist cox (its baseline "
                                  "ends at the last event)")
        check_hta(self.smr, self.discount)

    # ------------------------------------------------------------------ derived facts
    @property
    def resampling(self) -> bool:
        """True when intervals come from the bootstrap (the Cox cure model always)."""
        return self.ci == "bootstrap" or self.dist == COX

    @property
    def dist_options(self) -> dict:
        return {"k": self.knots, "scale": self.scale} if self.dist in ("spline", "rp") else {}

    @property
    def columns(self) -> list[str]:
        """The data columns the model reads (covariates without ``factor()``, background)."""
        cols = [_strip_factor(c) for c in
                list(self.covariates) + list(self.cure_covariates)
                + [c for _, cols in self.anc for c in cols]]
        if self.lifetable is not None:
            from .background import _SEX, _is_number

            # each of age, sex and year is a column, or one value for every patient
            cols += [v for v in (self.age, self.sex, self.year)
                     if isinstance(v, str) and not _is_number(v)
                     and v.strip().lower() not in _SEX]
        if isinstance(self.bhazard, str):
            cols.append(self.bhazard)
        return list(dict.fromkeys(c for c in cols if c))

    # ------------------------------------------------------------------ fitting
    def fit(self, data, *, scheduler=None, chunk_size=None, progress=False,
            raise_on_failure: bool = True):
        """Fit to ``data``: a :class:`~remission.models.protocol.FittedModel`
        (ParametricFit, CureFit or CoxCureFit).  ``scheduler``/``chunk_size``: where the
        bootstrap refits run (:func:`remission.parallel.map_chunks`)."""
        if scheduler is not None and not self.resampling:
            raise OptionError("--scheduler needs --ci bootstrap")
        _check_columns(data, self)
        _check_identifiable(data, self)
        from .background import background_for

        bg = background_for(data, self.lifetable, self.age, self.sex, self.year)
        if bg is not None:
            bg = bg.with_options(self.smr, self.discount)
        seed = DEFAULT_SEED if self.seed is None else self.seed
        if self.dist == COX:
            from .cure.cox_fit import fit_cox_cure

            return fit_cox_cure(data, covariates=self.covariates,
                                cure_covariates=self.cure_covariates,
                                categorical=self.categorical, link=self.link, reps=self.reps,
                                seed=seed, conf_level=self.conf_level, scheduler=scheduler,
                                chunk_size=chunk_size)
        if self.cure is not None:
            from .cure.fit import fit_cure_model

            return fit_cure_model(data, self.dist, self.cure, self.link,
                                  covariates=self.covariates,
                                  cure_covariates=self.cure_covariates,
                                  categorical=self.categorical, bhazard=self.bhazard,
                                  background=bg, knots=self.knots, scale=self.scale,
                                  conf_level=self.conf_level, ci=self.ci, reps=self.reps,
                                  seed=seed, bootstrap=self.bootstrap, scheduler=scheduler,
                                  chunk_size=chunk_size, progress=progress)
        from dataclasses import replace

        from .background import bhazard_values
        from .fit import fit_parametric

        bh = bhazard_values(data, self.bhazard)
        fit = fit_parametric(data, self.dist, covariates=self.covariates,
                             anc={p: list(cols) for p, cols in self.anc},
                             categorical=self.categorical, bhazard=bh,
                             conf_level=self.conf_level, raise_on_failure=raise_on_failure,
                             **self.dist_options)
        if self.ci == "bootstrap" and fit.converged:
            from .bootstrap import bootstrap_fit

            fit = fit.with_bootstrap(bootstrap_fit(fit, data, reps=self.reps, seed=seed,
                                                   kind=self.bootstrap, scheduler=scheduler,
                                                   chunk_size=chunk_size, progress=progress,
                                                   bhazard=bh))
        return replace(fit, background=bg) if bg is not None else fit


def _check_columns(data, spec) -> None:
    """A DataError naming a covariate column the data do not carry, and how to attach it."""
    from ..errors import DataError

    want = [_strip_factor(c) for c in list(spec.covariates) + list(spec.cure_covariates)
            + [c for _, cols in spec.anc for c in cols]]
    have = set() if getattr(data, "covariates", None) is None else set(data.covariates.columns)
    missing = [c for c in dict.fromkeys(want) if c and c not in have]
    if missing:
        cols = ", ".join(f"'{c}'" for c in missing)
        raise DataError(f"the model needs column {cols}, which the data do not carry: read "
                        f"them with rm.read_survival(path, covariates=[{cols}]) or pass the "
                        "pandas DataFrame itself to rm.fit_model(frame, spec, time=..., "
                        "event=...)", column=missing[0])


#: the fewest events per parameter with which a cure model is fitted at all
EVENTS_PER_PARAMETER = 2


def _check_identifiable(data, spec) -> None:
    """Fewer events than parameters (k, a lower bound: the family's parameters, the cure
    fraction, one per covariate) cannot identify a model, and a cure model, whose fraction is
    seen only through a plateau after the events, needs two events per parameter: refused at
    once (a DataError, exit 2) rather than left to an optimiser and the cure fraction's
    profile that wander on a flat likelihood (a gengamma mixture cure on 6 rows with 5 events
    took 38 s and returned a boundary fit).  The usual rule of thumb is ten events per
    parameter (Peduzzi et al. 1995); these are floors below which no fit is shown."""
    from ..errors import DataError

    if spec.dist == COX:
        return
    from ..distributions import get_distribution

    try:
        k = len(get_distribution(spec.dist, **spec.dist_options).parameters)
    except TypeError:  # a family without options
        k = len(get_distribution(spec.dist).parameters)
    k += (spec.cure is not None) + len(spec.covariates) + len(spec.cure_covariates) \
        + sum(len(cols) for _, cols in spec.anc)
    events = float(getattr(data, "n_events", 0) or 0)
    need = EVENTS_PER_PARAMETER * k if spec.cure is not None else k
    if events < need:
        raise DataError(f"{events:g} events cannot identify the {spec.dist}"
                        f"{' ' + spec.cure + ' cure' if spec.cure else ''} model's {k} "
                        f"parameters ({need} events are needed): use a simpler family (e.g. "
                        "--dist exponential or weibull) or more data", column="event")


#: options of :func:`remission.data.from_dataframe` that :func:`fit_model` accepts with a
#: pandas DataFrame (how to read it; the rest are ModelSpec fields)
READ_OPTIONS = ("time", "event", "cnsr", "param", "entry", "weights", "time_unit",
                "output_unit")


def fit_model(data, spec: ModelSpec | None = None, *, by=None, reference=None, **options):
    """Fit ``spec`` (or ``ModelSpec(**options)``) to ``data``: a FittedModel.

    ``data`` is SurvivalData or a pandas DataFrame; a DataFrame is read with
    :func:`remission.data.from_dataframe` (``time=``, ``event=``/``cnsr=``, ``param=`` ...
    among ``options``) keeping exactly the columns the model needs, so covariates on the
    cure fraction (``cure_covariates=``) need no ``covariates=`` at reading.

    ``by=COL`` fits the model to each group of column ``COL`` alone and returns
    :class:`~remission.models.arms.GroupFits` (per-group fits, and for cure models the
    cure-fraction contrasts against ``reference``, default the first level in sort order).

    >>> import remission as rm
    >>> fit = rm.fit_model(rm.load_example("ovarian"), dist="exponential")
    >>> fit.dist_name, fit.cure_fraction() is None
    ('exponential', True)
    >>> arms = rm.fit_model(rm.load_example("lung"), by="sex", dist="weibull", cure="mixture")
    >>> [g for g, _ in arms.fits]
    ['1', '2']
    """
    read = {k: options.pop(k) for k in READ_OPTIONS if k in options}
    spec = ModelSpec(**options) if spec is None else spec
    if hasattr(data, "columns") and hasattr(data, "iloc"):  # a pandas DataFrame
        from ..data.frame import from_dataframe

        want = list(dict.fromkeys(spec.columns + ([str(by)] if by is not None else [])))
        data = from_dataframe(data, covariates=want or None,
                              group=None if by is None else str(by), **read)
    elif read:
        raise OptionError(f"{', '.join(read)}: reading options apply to a pandas DataFrame "
                          "(SurvivalData was read already)")
    if by is None and reference is None:
        return spec.fit(data)
    from .arms import fit_by_group

    return fit_by_group(data, spec, by=by, reference=reference)
