"""The conclusion rule: its truth table, the verdict's agreement with the p-values it quotes,
and the conclusions on real data (survival falling to 0) and on a long, well-populated plateau
(simulated with known truth)."""
import doctest
import re

import numpy as np
import pytest

import remission as rm
from remission.data.survival_data import SurvivalData
from remission.evidence import rule
from remission.evidence.rule import CONCLUSIONS, conclude, conclude_codes

from ..bundled import frame
from .conftest_data import cure_data


def test_truth_table_and_vectorised_form_agree():
    cases = [  # presence p, follow-up p, km zero, model p -> conclusion
        (0.01, 0.01, False, None, "supported"),
        (0.01, 0.2, False, None, "immature"),
        (0.2, 0.01, False, None, "no-evidence"),
        (0.2, 0.2, False, 0.001, "immature"),
        (0.2, 0.01, False, 0.001, "immature"),
        (0.01, 0.01, True, 0.001, "no-evidence"),
        (0.05, 0.01, False, None, "no-evidence"),  # p = alpha does not reject
        (float("nan"), 0.01, False, None, "no-evidence"),
    ]
    for p, f, z, m, want in cases:
        assert conclude(p, f, km_reaches_zero=z, model_p=m) == want
        code = conclude_codes(np.array([p < 0.05]), np.array([f < 0.05]), np.array([z]),
                              np.array([m is not None and m < 0.05]))
        assert CONCLUSIONS[int(code[0])] == want


def _pv(s):
    """'p = 0.123' -> 0.123; 'p < 0.001' -> 0.0005 (a marker)."""
    return 0.0005 if s.startswith("p <") else float(s.split("= ")[1])


def check_verdict(doc):
    """Every p-value the verdict quotes is the document's, and its wording agrees with it."""
    v = doc["verdict"]
    assert v.startswith({"supported": "Conclusion: supported",
                         "immature": "Conclusion: immature",
                         "no-evidence": "Conclusion: no evidence"}[doc["conclusion"]])
    pat = r"(p [=<] [0-9.]+)"
    quoted = [(r"Yuen-Musta " + pat, doc["sufficient_followup"]["p_value"]),
              (r"Maller-Zhou " + pat, doc["presence"]["p_value"]),
              (r"presence test does not confirm it \(" + pat, doc["presence"]["p_value"]),
              (r"q_n test [^(]*\(" + pat, doc["sufficient_followup_maller_zhou"]["p_value"]),
              (r"likelihood ratio " + pat, (doc["model"] or {}).get("p_value"))]
    n_quoted = 0
    for rx, p in quoted:
        for m in re.finditer(rx, v):
            q = _pv(m.group(1))
            assert (p < 0.001) if q == 0.0005 else round(p, 3) == q, (rx, p, v)
            n_quoted += 1
    assert n_quoted == len(re.findall(r"p [=<] [0-9]", v))  # every quoted p-value checked
    ym = doc["sufficient_followup"]["p_value"]
    if "few uncured patients would still relapse" in v:
        assert ym < 0.05
    if "follow-up is not shown to be long enough" in v:
        assert ym >= 0.05
    if "higher than a model without cure explains" in v:
        assert doc["presence"]["p_value"] < 0.05
    if "compatible with no cure" in v:
        assert doc["presence"]["p_value"] >= 0.05


def long_plateau(seed=0, n=4000):
    """Scenario (b) of benchmarks/operating_characteristics.py (years): 85% cured, relapses
    within ~3 years, one at 11 years, follow-up to 17 years, ~750 followed beyond it."""
    rng = np.random.default_rng(seed)
    cured = rng.random(n) < 0.85
    t = np.where(cured, np.inf, rng.weibull(1.5, n))
    c = np.minimum(rng.uniform(2, 17, n), rng.exponential(20.0, n))
    t[np.flatnonzero(cured & (c > 11.5))[0]] = 11.0
    return np.minimum(t, c), t <= c


def test_long_well_populated_plateau_is_supported():
    t, e = long_plateau()
    r = rm.cure_test(SurvivalData.from_arrays(t, e, time_unit="years"), reps=199, seed=1)
    d = r.to_dict()
    assert d["tail"]["last_event_time"] == 11.0 and d["tail"]["n_at_risk_at_plateau"] > 600
    assert d["conclusion"] == "supported"
    # the straggler at year 11 leaves Maller-Zhou's q_n powerless; the verdict says which
    # test governs and why
    assert d["sufficient_followup_maller_zhou"]["p_value"] > 0.05
    assert "reported for reference only" in d["verdict"]
    check_verdict(d)


@pytest.mark.parametrize("name,time,event", [("myeloma", "futime", "death"),
                                             ("veteran", "time", "status")])
def test_survival_falling_to_zero_is_no_evidence(name, time, event):
    df = frame(name)
    ev = df[event].to_numpy()
    ev = ev == (2 if ev.max() == 2 else 1)
    r = rm.cure_test(df[time].to_numpy(float), ev, reps=99, seed=1)
    d = r.to_dict()
    assert d["tail"]["survival_at_plateau"] == 0.0
    assert d["conclusion"] == "no-evidence"
    assert "falls to 0" in d["verdict"]
    check_verdict(d)


def test_lung_is_no_evidence():
    df = frame("lung")
    r = rm.cure_test(df["time"].to_numpy(float), df["status"].to_numpy() == 2, reps=199, seed=1)
    d = r.to_dict()
    assert d["conclusion"] == "no-evidence"
    check_verdict(d)


def test_verdicts_agree_with_their_p_values():
    for seed, kw in [(1, {}), (2, dict(cure=0.4, shape=2.0, scale=8.0, c_lo=25, c_hi=50)),
                     (3, dict(cure=0.3, shape=1.0, scale=30.0, c_lo=10, c_hi=30)),
                     (4, dict(cure=0.0))]:
        t, e = cure_data(seed, n=150, **kw)
        check_verdict(rm.cure_test(t, e, reps=99, seed=seed).to_dict())


def test_every_test_has_a_plain_language_question():
    t, e = cure_data(11, n=120, cure=0.4, shape=2.0, scale=8.0, c_lo=25, c_hi=50)
    d = rm.cure_test(t, e, reps=49, seed=1).to_dict()
    for k in ("presence", "sufficient_followup", "sufficient_followup_maller_zhou", "model"):
        assert d[k]["question"].endswith("?")
    assert [k for k in d if isinstance(d[k], dict) and d[k].get("governs")] == \
        ["presence", "sufficient_followup"]


def test_docstring_examples():
    res = doctest.testmod(rule)
    assert res.attempted > 0 and res.failed == 0


def test_groups_share_tau_and_get_their_own_conclusion():
    t1, e1 = cure_data(31, n=120, cure=0.4, shape=2.0, scale=8.0, c_lo=25, c_hi=50)
    t2, e2 = cure_data(32, n=100, cure=0.0, shape=1.2, scale=10.0, c_lo=10, c_hi=30)
    t, e = np.r_[t1, t2], np.r_[e1, e2]
    g = np.array(["A"] * 120 + ["B"] * 100)
    r = rm.evidence.cure_test_by_group(t, g, e, reps=99, seed=3, tau=None)
    a, b = r["groups"]["A"], r["groups"]["B"]
    assert a.sufficient.tau == b.sufficient.tau == 2 * t.max()
    assert a.conclusion == "supported" and b.conclusion == "no-evidence"
    assert r["all_sufficient_p_value"] == max(a.sufficient.p_value, b.sufficient.p_value)
