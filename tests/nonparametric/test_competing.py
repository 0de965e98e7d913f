"""Aalen-Johansen cumulative incidence and its infinitesimal-jackknife SE against R's
multi-state survfit (survival 3.5-3) and cmprsk::cuminc (tests/fixtures/competing)."""
import numpy as np
import pytest

from remission.data.survival_data import SurvivalData
from remission.errors import DataError
from remission.nonparametric.competing import cumulative_incidence

from ._competing_data import datasets, fixture

DATA = datasets()
# same arithmetic as R (products and sums over the same risk sets); measured <= 3e-13
# (the limits' log/exp transforms amplify rounding near 0), so 1e-8 is far from the noise
RTOL = 1e-8


def _close(a, b, rtol=RTOL):
    a, b = np.asarray(a, float), np.asarray(b, float)
    assert np.array_equal(np.isnan(a), np.isnan(b))
    m = ~np.isnan(b)
    np.testing.assert_allclose(a[m], b[m], rtol=rtol, atol=1e-15)


def _subset(d, g):
    return d if g == "all" else d.subset(np.array([x == g for x in d.group]))


@pytest.mark.parametrize("name", ["bmt", "mgus2"])
@pytest.mark.parametrize("conf_type", ["log", "log-log", "plain"])
def test_matches_survfit_multistate(name, conf_type):
    d = DATA[name]
    ref = fixture(f"{name}_aj.csv")
    ref = ref[ref.conf_type == conf_type]
    for g in ["all"] + d.group_levels():
        ci = cumulative_incidence(_subset(d, g), causes=["1", "2"], conf_type=conf_type)
        for j, state in enumerate(["0", "1", "2"]):
            r = ref[(ref.group == g) & (ref.state == state)]
            np.testing.assert_array_equal(ci.time, r.time.to_numpy())
            np.testing.assert_array_equal(ci.n_risk, r.n_risk.to_numpy())
            _close(ci.estimate[j], r.pstate)
            _close(ci.se[j], r.std_err)
            _close(ci.lower[j], r.lower)
            _close(ci.upper[j], r.upper)


@pytest.mark.parametrize("name", ["bmt", "mgus2"])
def test_estimate_equals_cmprsk_cuminc(name):
    d = DATA[name]
    ref = fixture(f"{name}_cuminc.csv")
    for g in d.group_levels():
        ci = cumulative_incidence(_subset(d, g), causes=["1", "2"])
        for c in ("1", "2"):
            r = ref[ref.curve == f"{g} {c}"]
            # cuminc's curve is a step function listed at both ends of each jump; read ours
            # just after each of its times (and just before, for the left end of the step)
            got = ci.at(r.time.to_numpy(), c)["estimate"]
            left = ci.at(np.nextafter(r.time.to_numpy(), -np.inf), c)["estimate"]
            ok = np.isclose(got, r.est, rtol=RTOL, atol=1e-15) | np.isclose(
                left, r.est, rtol=RTOL, atol=1e-15)
            assert ok.all(), (g, c)


def test_states_add_to_one_and_small_example_by_hand():
    d = SurvivalData.from_arrays([1, 2, 2, 3, 4, 5], cause=["a", "b", None, "a", None, "b"])
    ci = cumulative_incidence(d)
    np.testing.assert_allclose(ci.estimate.sum(axis=0), 1.0, rtol=0, atol=1e-15)
    # by hand: S(1) = 5/6, F_a(1) = 1/6; t=2: F_b += 5/6 * 1/5; S = 5/6 * 4/5 = 2/3;
    # t=3 (3 at risk): F_a += 2/3 * 1/3; S = 4/9; t=5 (1 at risk): F_b += 4/9
    np.testing.assert_allclose(ci.at([5], "a")["estimate"], [1 / 6 + 2 / 9], rtol=1e-15)
    np.testing.assert_allclose(ci.at([5], "b")["estimate"], [1 / 6 + 4 / 9], rtol=1e-15)
    np.testing.assert_allclose(ci.at([0.5, 5], "event-free")["estimate"], [1.0, 0.0])


def _ij_bruteforce(t, cause, K):
    """Infinitesimal jackknife by its definition: the derivative of the weighted
    Aalen-Johansen estimate with respect to each subject's weight, by the chain rule through
    the recursion (an n x times matrix), independent of the closed form in competing.py."""
    times = np.unique(t)
    n = t.size
    US = np.zeros(n)
    UF = np.zeros((K, n))
    S = 1.0
    out = np.zeros((K + 1, times.size))
    for j, s in enumerate(times):
        risk = t >= s
        Y = risk.sum()
        dk = np.array([np.sum((t == s) & (cause == k)) for k in range(K)], float)
        lam_k = dk / Y
        dlam_k = np.array([((t == s) & (cause == k)) - risk * lam_k[k] for k in range(K)]) / Y
        UF = UF + US * lam_k[:, None] + S * dlam_k
        US = US * (1 - lam_k.sum()) - S * dlam_k.sum(axis=0)
        S = S * (1 - lam_k.sum())
        out[0, j] = np.sqrt(np.sum(US ** 2))
        out[1:, j] = np.sqrt(np.sum(UF ** 2, axis=1))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_closed_form_se_equals_the_jackknife_definition(seed):
    rng = np.random.default_rng(seed)
    n = 60
    t = rng.integers(1, 15, n).astype(float)  # many ties
    cause = rng.integers(-1, 3, n)            # -1 censored, causes 0, 1, 2
    t[np.argmax(t)] = t.max() + 1             # the last subject alone: lam = 1 at the end
    cause[np.argmax(t)] = 1
    lab = np.array([None if c < 0 else str(c) for c in cause], dtype=object)
    ci = cumulative_incidence(SurvivalData.from_arrays(t, cause=lab), causes=["0", "1", "2"])
    np.testing.assert_allclose(ci.se, _ij_bruteforce(t, cause, 3), rtol=1e-10, atol=1e-14)


def test_refusals():
    d = SurvivalData.from_arrays([1, 2, 3], cause=["a", "b", None])
    with pytest.raises(DataError, match="not among the causes"):
        cumulative_incidence(d, causes=["a"])
    with pytest.raises(DataError, match="--event-type"):
        cumulative_incidence(SurvivalData.from_arrays([1, 2], [1, 0]))
    with pytest.raises(DataError, match="delayed entry"):
        cumulative_incidence(SurvivalData.from_arrays([2, 3], entry=[1, 1], cause=["a", None]))
