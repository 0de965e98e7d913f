"""Background (population) mortality from a life table, following each subject over time.

A life table gives the daily hazard by integer age (years), sex and calendar year, as R's
``survival::survexp.us`` ratetable does.  :class:`BackgroundMortality` follows each subject
from diagnosis: after time t their attained age is ``age + t`` and the calendar year
``year + t`` (both in years), so the hazard changes each time either crosses an integer; the
cumulative hazard integrates that step function exactly (as ``survexp`` does).  Ages beyond
the table use its oldest age and years outside it the nearest year; when that happens at
baseline (a diagnosis year after the table's last year, an age above its oldest) it is said,
never silent: :meth:`BackgroundMortality.notes`.  An age above 120 or a year outside
1800-2200 is refused (not a plausible patient).

The tables themselves and their readers are :mod:`remission.models.lifetable` (re-exported
here: ``LifeTable``, ``lifetable_from``, ``normalize_sex``, ``MAX_AGE``, ``YEARS``).
"""
from __future__ import annotations

import numpy as np

from ..data.units import DAYS_PER_UNIT, normalize_unit
from ..errors import DataError
from .lifetable import (_SEX, MAX_AGE, YEARS, LifeTable, _decimal_year,  # noqa: F401
                        lifetable_from, normalize_sex)  # (re-exported: the public names)


class BackgroundMortality:
    """Population hazard of specific subjects (age at diagnosis in years, sex, calendar year
    of diagnosis), on the model's time scale ``time_unit``.

    >>> bg = BackgroundMortality(LifeTable.us(), age=[60], sex=["female"], year=[2000],
    ...                          time_unit="years")
    >>> 0.0 < float(bg.survival([10.0])[0, 0]) < 1.0
    True
    """

    #: the general-population hazard multiplier and the annual discount rate of life-years
    #: (set by :meth:`with_options`; used by :mod:`remission.models.lifeyears`)
    smr: float = 1.0
    discount: float = 0.035

    def __init__(self, table: LifeTable, age, sex, year, time_unit: str | None = "days",
                 columns=("age", "sex", "year")):
        self.table = table
        self.columns = tuple(columns)
        self.age = np.asarray(age, dtype=float).ravel()
        bad = np.flatnonzero(~np.isfinite(self.age) | (self.age < 0) | (self.age > MAX_AGE))
        if bad.size:
            raise DataError(f"age must be a number of years from 0 to {MAX_AGE:g} (got "
                            f"{self.age[bad[0]]:g})", column=columns[0], row=int(bad[0]) + 1)
        self.sex = normalize_sex(sex, columns[1])
        self.year = _decimal_year(year, columns[2])
        bad = np.flatnonzero((self.year < YEARS[0]) | (self.year > YEARS[1]))
        if bad.size:
            raise DataError(f"calendar year must lie in {YEARS[0]}-{YEARS[1]} (got "
                            f"{self.year[bad[0]]:g})", column=columns[2], row=int(bad[0]) + 1)
        if not (self.age.size == self.sex.size == self.year.size):
            raise DataError("age, sex and year must have one value per subject", column="age")
        unit = normalize_unit(time_unit) or "days"
        self.time_unit = unit
        self.days_per_unit = DAYS_PER_UNIT[unit]
        self.years_per_unit = self.days_per_unit / 365.25

    @property
    def n(self) -> int:
        return int(self.age.size)

    def with_options(self, smr: float = 1.0, discount: float = 0.035) -> "BackgroundMortality":
        """The same subjects with an SMR and a discount rate for life-years."""
        out = self.subset(np.arange(self.n))
        out.smr, out.discount = float(smr), float(discount)
        return out

    def subset(self, idx) -> "BackgroundMortality":
        out = BackgroundMortality(self.table, self.age[idx], self.sex[idx], self.year[idx],
                                  self.time_unit, self.columns)
        out.smr, out.discount = self.smr, self.discount
        return out

    def describe(self) -> dict:
        """The cohort's age, sex and year as used (values, or the columns' summaries), and
        the table: for documents and the report."""
        def one(vals):
            return float(vals[0]) if np.all(vals == vals[0]) else None
        men = float(np.mean(self.sex == "male"))
        return {"lifetable": self.table.source,
                "table_years": list(self.table.years), "table_max_age": self.table.max_age,
                "age": one(self.age) if one(self.age) is not None else
                {"column": self.columns[0], "mean": float(np.mean(self.age)),
                 "min": float(np.min(self.age)), "max": float(np.max(self.age))},
                "sex": (str(self.sex[0]) if men in (0.0, 1.0) else
                        {"column": self.columns[1], "fraction_male": men}),
                "year": one(self.year) if one(self.year) is not None else
                {"column": self.columns[2], "mean": float(np.mean(self.year)),
                 "min": float(np.min(self.year)), "max": float(np.max(self.year))},
                "subjects": self.n, "smr": self.smr}

    def notes(self) -> list[str]:
        """Where the table was stretched at baseline (never silently): years outside the
        table use its nearest year's rates, ages above its oldest age the oldest age's."""
        y0, y1 = self.table.years
        out = []
        late, early = self.year[np.floor(self.year) > y1], self.year[np.floor(self.year) < y0]
        if late.size:
            out.append(f"{_span(late)} is beyond the table's last year {y1}; {y1} rates used")
        if early.size:
            out.append(f"{_span(early)} is before the table's first year {y0}; {y0} rates "
                       "used")
        old = self.age[self.age >= self.table.max_age + 1]
        if old.size:
            out.append(f"age {_span(old)} is beyond the table's oldest age "
                       f"{self.table.max_age}; age-{self.table.max_age} rates used")
        return out

    def hazard(self, t) -> np.ndarray:
        """(n, len(t)) hazard per model time unit at time t after diagnosis."""
        ty = np.atleast_1d(np.asarray(t, dtype=float)) * self.years_per_unit
        h = self.table.daily_hazard(self.age[:, None] + ty[None, :], self.sex[:, None],
                                    self.year[:, None] + ty[None, :])
        return h * self.days_per_unit

    def hazard_at_exit(self, t) -> np.ndarray:
        """Hazard of each subject at their own time t_i (the ``bhazard`` of relative survival)."""
        ty = np.asarray(t, dtype=float).ravel() * self.years_per_unit
        return self.table.daily_hazard(self.age + ty, self.sex, self.year + ty) * self.days_per_unit

    def cumulative_hazard(self, t) -> np.ndarray:
        """(n, len(t)) exact integral of the step-function hazard from 0 to t."""
        t = np.atleast_1d(np.asarray(t, dtype=float))
        tmax_y = float(np.max(t)) * self.years_per_unit if t.size else 0.0
        nb = int(np.ceil(tmax_y)) + 2
        j = np.arange(nb)
        fa = np.ceil(self.age) - self.age
        fy = np.ceil(self.year) - self.year
        br = np.concatenate([fa[:, None] + j[None, :], fy[:, None] + j[None, :]], axis=1)
        br = np.sort(np.concatenate([np.zeros((self.n, 1)), br], axis=1), axis=1)
        br = np.minimum(br, max(tmax_y, 0.0) + 1.0)
        mid = 0.5 * (br[:, 1:] + br[:, :-1])
        rate = self.table.daily_hazard(self.age[:, None] + mid, self.sex[:, None],
                                       self.year[:, None] + mid) * 365.25  # per year
        cum = np.concatenate([np.zeros((self.n, 1)), np.cumsum(rate * np.diff(br, axis=1), axis=1)],
                             axis=1)
        ty = t * self.years_per_unit
        return np.array([np.interp(ty, br[i], cum[i]) for i in range(self.n)])

    def survival(self, t) -> np.ndarray:
        return np.exp(-self.cumulative_hazard(t))

    def expected_survival(self, t) -> np.ndarray:
        """Cohort (Ederer I) expected survival: mean over subjects of their survival."""
        return self.survival(t).mean(axis=0)


def _span(v) -> str:
    v = np.floor(np.asarray(v, dtype=float))
    lo, hi = float(v.min()), float(v.max())
    return f"{lo:g}" if lo == hi else f"{lo:g}-{hi:g} ({v.size} subjects)"


def _is_number(v) -> bool:
    try:
        float(v)
        return True
    except (TypeError, ValueError):
        return False


def background_for(data, lifetable, age, sex, year, *, time_unit=None
                   ) -> "BackgroundMortality | None":
    """BackgroundMortality of the data's subjects (the one way background mortality is built,
    for the CLI, the report and the Python API); None without a life table.

    ``lifetable``: ``"us"``, a CSV path or a :class:`LifeTable`.  Each of ``age``, ``sex`` and
    ``year`` is a column of ``data.covariates`` or one value for every subject: a number of
    years / a calendar year; for sex ``male``/``female`` (or ``m``/``f``, R's 1/2), or the
    fraction of men in [0, 1] (that share of the cohort is followed as male).  Patients that
    are all alike are followed as one.  The time unit (``time_unit``, default the data's) must
    be known: the life table's hazards are per day."""
    from ..errors import OptionError

    if lifetable is None or lifetable == "":
        return None
    missing = [n for n, v in (("--age", age), ("--sex", sex), ("--year", year))
               if v is None or v == ""]
    if missing:
        raise OptionError(f"--lifetable needs {', '.join(missing)}")
    unit = data.time_unit if time_unit is None else time_unit
    if unit is None:
        raise OptionError("--lifetable needs the data's time unit (--time-unit days, weeks, "
                          "months or years): the life table's hazards are per day")
    table = lifetable_from(lifetable)
    cov = data.covariates

    def column(v):
        return isinstance(v, str) and cov is not None and v in cov.columns

    def one_sex(v):
        return not column(v) and str(v).strip().lower() in _SEX

    def fraction(v):
        return not column(v) and not one_sex(v) and _is_number(v) and 0.0 <= float(v) <= 1.0
    # patients that are all alike (every option one value) are followed as one: the cohort
    # average is that patient's curve (extrapolate repeats them for covariate profiles)
    alike = not any(column(v) for v in (age, sex, year)) and not fraction(sex)
    n = 1 if alike else data.n
    cols = {}
    for name, v in (("age", age), ("sex", sex), ("year", year)):
        if column(v):
            cols[name] = cov[v].to_numpy()
        elif name != "sex" and _is_number(v):
            cols[name] = np.full(n, float(v))
        elif name == "sex" and one_sex(v):
            cols[name] = np.full(n, _SEX[str(v).strip().lower()], dtype=object)
        elif name == "sex" and fraction(v):
            k = int(round(float(v) * n))
            cols[name] = np.array(["male"] * k + ["female"] * (n - k), dtype=object)
        else:
            raise DataError(f"--{name} {v}: neither a value nor a column of the data",
                            column=str(v))
    return BackgroundMortality(table, cols["age"], cols["sex"], cols["year"], unit,
                               columns=(str(age), str(sex), str(year)))


def bhazard_values(data, bhazard):
    """The per-subject background hazard at exit: None, a column name (see
    :func:`bhazard_column`) or an array."""
    if bhazard is None:
        return None
    if isinstance(bhazard, str):
        return bhazard_column(data, bhazard)
    return np.asarray(bhazard, dtype=float)


def bhazard_column(data, column: str) -> np.ndarray:
    """The per-subject background hazard of column ``column``, validated (finite, >= 0; an
    error names the column and the first bad row) and expressed per the data's time unit: the
    column is in the unit of the source's times, so after ``--output-unit`` it is rescaled."""
    from ..data.units import conversion_factor
    import pandas as pd

    frame = data.covariates
    if frame is None or column not in frame.columns:
        raise DataError("background hazard column not found", column=column)
    raw = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(raw) | (raw < 0))
    if bad.size:
        rows = getattr(data, "rows", None)
        row = int(rows[bad[0]]) if rows is not None else int(bad[0]) + 1
        v = raw[bad[0]]
        got = "missing or not a number" if np.isnan(v) else f"got {v:g}"
        raise DataError(f"background hazard must be a finite, non-negative number ({got})",
                        column=column, row=row)
    src = (data.meta or {}).get("input_time_unit")
    # hazard per output unit = hazard per input unit / (output units per input unit)
    return raw / conversion_factor(src, data.time_unit)
