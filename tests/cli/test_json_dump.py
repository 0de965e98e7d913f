"""The CLI's JSON writer is ``json.dumps(clean(doc), indent=2)``, byte for byte, only faster
for long curves (it lays out lists of numbers encoded by json's C encoder itself)."""
import json
import sys

import numpy as np
import pytest

from remission.cli._parametric_common import clean, dump
from remission.datasets import load_example
from remission.nonparametric.summary import summarize


def reference(doc) -> str:
    return json.dumps(clean(doc), indent=2)


DOCS = [
    {"a": list(range(40)), "b": {"c": [1.5] * 33, "d": [[1, 2, 3] * 20, list(range(50))]},
     "e": [None] * 40, "f": "x", "g": [1, 2]},
    [list(range(100)), {"k": [0.1 * i for i in range(64)]}],
    list(range(33)),
    {"m": [{"x": i, "y": [i] * 40} for i in range(40)]},
    {"n": [float("nan")] * 40 + [1.0], "o": [np.int64(3)] * 40, "p": np.float64(2.5),
     "q": [True, False] * 20, "r": [np.float64("inf")] * 33},
    {"s": ["a, b"] * 40, 1: [-1e-300, 1e300, -0.0] * 20, "t": (1, 2, 3) * 20, "u": [],
     "v": [[]] * 40, "w": [{}] * 40},
]


@pytest.mark.parametrize("doc", DOCS)
def test_same_bytes_as_the_plain_encoder(doc):
    assert dump(doc) == reference(doc)


def test_summary_document_same_bytes():
    doc = summarize(load_example("alloauto")).to_dict()
    assert len(doc["groups"][0]["curve"]["time"]) >= 32  # the fast path is taken
    assert dump(doc) == reference(doc)


def test_curve_values_as_before():
    """KaplanMeier.to_dict: whole numbers (below 2**53) as int, non-finite as None."""
    km = sys.modules["remission.nonparametric.kaplan_meier"]

    def one_by_one(a):
        return [None if not np.isfinite(v) else
                int(v) if float(v).is_integer() and abs(v) < 2**53 else float(v)
                for v in np.asarray(a, dtype=float)]

    rng = np.random.default_rng(0)
    for a in (np.array([0.0, -0.0, 2.5, np.nan, np.inf, -np.inf, 2.0**53, 2.0**53 - 1,
                        -(2.0**53 - 1), 1e300, 5e15 + 0.5]),
              rng.integers(0, 100, 500).astype(float), rng.normal(size=500), np.array([])):
        got, want = km._list(a), one_by_one(a)
        assert got == want and [type(x) for x in got] == [type(x) for x in want]
