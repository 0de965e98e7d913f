"""Design matrices: covariates -> linear predictors of distribution parameters.

A :class:`DesignSpec` remembers how columns were encoded (numeric, or categorical dummy-coded
with the first level as reference) so that the same encoding applies to new data for
predictions.  A column is categorical when it is not numeric, when it is listed in
``categorical``, or when written ``factor(name)``.

>>> import pandas as pd
>>> spec = DesignSpec.from_frame(pd.DataFrame({"arm": ["a", "b", "a"], "age": [50, 60, 70]}),
...                              ["arm", "age"])
>>> spec.names
('(Intercept)', 'arm=b', 'age')
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..errors import DataError

_FACTOR = re.compile(r"^\s*(?:factor|C)\((.+)\)\s*$")


@dataclass(frozen=True)
class Term:
    column: str
    kind: str  # "numeric" or "categorical"
    levels: tuple = ()

    @property
    def names(self) -> tuple[str, ...]:
        if self.kind == "numeric":
            return (self.column,)
        return tuple(f"{self.column}={lev}" for lev in self.levels[1:])


def _level_key(v):
    try:
        return (0, float(v), str(v))
    except (TypeError, ValueError):
        return (1, 0.0, str(v))


def _label(v) -> str:
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)


@dataclass(frozen=True)
class DesignSpec:
    """Encoding of covariate columns into a design matrix with an intercept column."""

    terms: tuple[Term, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        out = ["(Intercept)"]
        for t in self.terms:
            out.extend(t.names)
        return tuple(out)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(t.column for t in self.terms)

    @property
    def intercept_only(self) -> bool:
        return not self.terms

    @classmethod
    def from_frame(cls, frame, columns, categorical=()) -> "DesignSpec":
        cats = set(categorical or ())
        terms = []
        for raw in columns or ():
            m = _FACTOR.match(str(raw))
            col = m.group(1).strip() if m else str(raw).strip()
            force = bool(m) or col in cats
            if frame is None or col not in frame.columns:
                raise DataError("covariate column not found in the data", column=col)
            s = frame[col]
            bad = np.flatnonzero(s.isna().to_numpy())
            if bad.size:
                raise DataError("missing covariate value", column=col, row=int(bad[0]) + 1)
            numeric = s.dtype.kind in "biuf"
            if numeric and not force:
                terms.append(Term(col, "numeric"))
            else:
                levels = sorted({_label(v) for v in s.tolist()}, key=_level_key)
                if len(levels) < 2:
                    raise DataError(f"categorical covariate has a single level ({levels[0]})",
                                    column=col)
                terms.append(Term(col, "categorical", tuple(levels)))
        return cls(tuple(terms))

    def matrix(self, frame, n: int | None = None) -> np.ndarray | None:
        """The design matrix for ``frame`` (None when intercept-only)."""
        if self.intercept_only:
            return None
        n = len(frame) if n is None else n
        cols = [np.ones(n)]
        for t in self.terms:
            if frame is None or t.column not in frame.columns:
                raise DataError("covariate column not found in the new data", column=t.column)
            s = frame[t.column]
            if t.kind == "numeric":
                v = s.to_numpy(dtype=float)
                if np.isnan(v).any():
                    raise DataError("missing covariate value", column=t.column,
                                    row=int(np.flatnonzero(np.isnan(v))[0]) + 1)
                cols.append(v)
            else:
                lab = np.array([_label(v) for v in s.tolist()], dtype=object)
                unknown = ~np.isin(lab, np.array(t.levels, dtype=object))
                if unknown.any():
                    i = int(np.flatnonzero(unknown)[0])
                    raise DataError(f"level {lab[i]!r} was not seen when fitting",
                                    column=t.column, row=i + 1)
                for lev in t.levels[1:]:
                    cols.append((lab == lev).astype(float))
        return np.column_stack(cols)

    def reference_frame(self, frame):
        """One row: categorical terms at their reference level, numeric ones at their mean."""
        import pandas as pd

        row = {}
        for t in self.terms:
            if t.kind == "numeric":
                row[t.column] = float(frame[t.column].astype(float).mean()) if frame is not None else 0.0
            else:
                row[t.column] = t.levels[0]
        return pd.DataFrame([row])


def design_matrices(frame, wanted: dict, categorical=()):
    """Design matrices for the parameters of a model: ``wanted`` maps a parameter to its
    covariate columns (empty = intercept only).  Returns ``(specs, designs, names)``, the
    :class:`DesignSpec`, matrix and column names of each parameter with covariates, as
    :func:`remission.models.fit_distribution` takes them."""
    specs, designs, names = {}, {}, {}
    for p, cols in wanted.items():
        cols = list(cols or ())
        if not cols:
            continue
        if frame is None:
            raise DataError("covariates were requested but the data carry none", column=cols[0])
        spec = DesignSpec.from_frame(frame, cols, categorical)
        specs[p] = spec
        designs[p] = spec.matrix(frame)
        names[p] = list(spec.names)
    return specs, designs, names
