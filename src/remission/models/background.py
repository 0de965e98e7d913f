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

The US table (1940-2014, ages 0-109) ships with the package: :meth:`LifeTable.us`.  A user
table in the same format (columns ``age, sex, year, hazard_per_day``) loads with
:meth:`LifeTable.from_csv` / :meth:`LifeTable.from_frame`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..data.units import DAYS_PER_UNIT, normalize_unit
from ..errors import DataError

#: ages (years) and calendar years accepted for background mortality (beyond: not a patient)
MAX_AGE = 120.0
YEARS = (1800, 2200)

_SEX = {"male": "male", "m": "male", "1": "male", "man": "male", "men": "male",
        "female": "female", "f": "female", "2": "female", "woman": "female", "women": "female"}


def normalize_sex(values, column: str = "sex") -> np.ndarray:
    """'male'/'female' from male/female, m/f, or R's 1 = male, 2 = female."""
    out = []
    for i, v in enumerate(np.asarray(values, dtype=object).ravel()):
        key = str(v).strip().lower()
        if isinstance(v, (float, np.floating)) and float(v).is_integer():
            key = str(int(v))
        if key not in _SEX:
            raise DataError(f"sex value {v!r} is not recognised (use male/female, m/f or "
                            "1 = male, 2 = female)", column=column, row=i + 1)
        out.append(_SEX[key])
    return np.array(out, dtype=object)


def _decimal_year(values, column="year") -> np.ndarray:
    v = np.asarray(values)
    if v.dtype.kind in "biuf":
        y = v.astype(float)
    else:
        import pandas as pd

        try:
            y = pd.to_numeric(pd.Series(v), errors="raise").to_numpy(dtype=float)
        except (ValueError, TypeError):
            d = pd.to_datetime(pd.Series(v), errors="coerce")
            if d.isna().any():
                raise DataError("calendar year/date could not be read", column=column,
                                row=int(np.flatnonzero(d.isna().to_numpy())[0]) + 1) from None
            y = (d.dt.year + (d.dt.dayofyear - 1) / 365.25).to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(y))
    if bad.size:
        raise DataError("missing calendar year", column=column, row=int(bad[0]) + 1)
    return y


@dataclass(frozen=True, eq=False)
class LifeTable:
    """Daily hazards ``rates[sex][age, year - year0]`` for integer ages 0..max_age."""

    rates: dict
    year0: int
    max_age: int
    source: str = ""

    @classmethod
    def from_frame(cls, frame, source: str = "user") -> "LifeTable":
        need = {"age", "sex", "year", "hazard_per_day"}
        missing = need - set(frame.columns)
        if missing:
            raise DataError(f"life table lacks columns {sorted(missing)} (needs age, sex, "
                            "year, hazard_per_day)", column=sorted(missing)[0])
        ages = frame["age"].to_numpy(dtype=int)
        years = frame["year"].to_numpy(dtype=int)
        haz = frame["hazard_per_day"].to_numpy(dtype=float)
        if np.any(~np.isfinite(haz) | (haz < 0)):
            raise DataError("life-table hazards must be finite and non-negative",
                            column="hazard_per_day")
        sex = normalize_sex(frame["sex"].to_numpy())
        y0, y1, amax = int(years.min()), int(years.max()), int(ages.max())
        rates = {}
        for s in ("male", "female"):
            m = sex == s
            if not m.any():
                continue
            arr = np.full((amax + 1, y1 - y0 + 1), np.nan)
            arr[ages[m], years[m] - y0] = haz[m]
            if np.isnan(arr).any():
                raise DataError(f"life table has gaps for sex {s}: every age 0..{amax} and "
                                f"year {y0}..{y1} is needed", column="hazard_per_day")
            rates[s] = arr
        return cls(rates, y0, amax, source)

    @classmethod
    def from_csv(cls, path) -> "LifeTable":
        import pandas as pd

        return cls.from_frame(pd.read_csv(path), source=str(path))

    @classmethod
    def from_hmd(cls, *paths) -> "LifeTable":
        """Period life tables of the Human Mortality Database, text format 1x1
        (``mltper_1x1.txt`` for men, ``fltper_1x1.txt`` for women; one or both): columns
        ``Year Age mx qx ax lx dx Lx Tx ex`` under a title line naming the sex ("Males" /
        "Females"), ages ``0 .. 110+``.  The hazard of each age and year is the central death
        rate, constant within the year: ``hazard_per_day = mx / 365.25``."""
        import pandas as pd

        frames = []
        for path in paths:
            with open(path, encoding="utf-8") as f:
                title = f.readline()
                lines = f.read().splitlines()
            low = title.lower()
            sex = "female" if "female" in low else ("male" if "male" in low else None)
            if sex is None:
                raise DataError(f"{path}: the title line does not say Males or Females (an HMD "
                                "period life table, mltper_1x1.txt / fltper_1x1.txt, is "
                                "expected)", column="sex")
            head = next((i for i, ln in enumerate(lines) if ln.split()[:2] == ["Year", "Age"]),
                        None)
            if head is None:
                raise DataError(f"{path}: no 'Year Age mx ...' header line", column="mx")
            rows = [ln.split() for ln in lines[head + 1:] if ln.strip()]
            try:
                fr = pd.DataFrame({"year": [int(r[0]) for r in rows],
                                   "age": [int(r[1].rstrip("+")) for r in rows],
                                   "mx": [float(r[2]) for r in rows]})
            except (ValueError, IndexError):
                raise DataError(f"{path}: a row is not 'Year Age mx ...' with numbers",
                                column="mx") from None
            frames.append(fr.assign(sex=sex, hazard_per_day=fr["mx"] / 365.25))
        return cls.from_frame(pd.concat(frames, ignore_index=True),
                              source="HMD " + ", ".join(str(p) for p in paths))

    @classmethod
    def us(cls) -> "LifeTable":
        """US population life table 1940-2014 (R ``survexp.us``), bundled with remission."""
        return _us_table()

    @property
    def years(self) -> tuple[int, int]:
        some = next(iter(self.rates.values()))
        return self.year0, self.year0 + some.shape[1] - 1

    def daily_hazard(self, age, sex, year) -> np.ndarray:
        """Daily hazard at attained age and calendar year (arrays broadcast)."""
        age, year = np.broadcast_arrays(np.asarray(age, float), np.asarray(year, float))
        sex = np.broadcast_to(np.asarray(sex, dtype=object), age.shape)
        ai = np.clip(np.floor(age).astype(int), 0, self.max_age)
        y0, y1 = self.years
        yi = np.clip(np.floor(year).astype(int), y0, y1) - y0
        out = np.empty(age.shape)
        for s, arr in self.rates.items():
            m = sex == s
            out[m] = arr[ai[m], yi[m]]
        missing = ~np.isin(sex, list(self.rates))
        if missing.any():
            raise DataError(f"the life table has no rates for sex {sex[missing].flat[0]!r}",
                            column="sex")
        return out


@lru_cache(maxsize=1)
def _us_table() -> LifeTable:
    from importlib import resources

    import pandas as pd

    with resources.files("remission.datasets").joinpath("us_lifetable.csv.gz").open("rb") as f:
        frame = pd.read_csv(f, compression="gzip")
    return LifeTable.from_frame(frame, source="US life tables 1940-2014 (survexp.us)")


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


def lifetable_from(table) -> LifeTable:
    """A :class:`LifeTable` from ``"us"`` (the bundled table), a CSV path, Human Mortality
    Database text files (``.txt``; two comma-separated for both sexes) or a LifeTable."""
    if isinstance(table, LifeTable):
        return table
    text = str(table).strip()
    if text.lower() == "us":
        return LifeTable.us()
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if parts and all(p.lower().endswith(".txt") for p in parts):
        return LifeTable.from_hmd(*parts)
    return LifeTable.from_csv(table)


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
