"""Life tables: the population hazard by integer age (years), sex and calendar year, as R's
``survival::survexp.us`` ratetable gives it, and their readers.

The US table (1940-2014, ages 0-109) ships with the package: :meth:`LifeTable.us`.  A user
table in the same format (columns ``age, sex, year, hazard_per_day``) loads with
:meth:`LifeTable.from_csv` / :meth:`LifeTable.from_frame`; Human Mortality Database text files
with :meth:`LifeTable.from_hmd`.  :func:`lifetable_from` reads any of these from an option
value.  Following subjects through a table is :mod:`remission.models.background`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

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
