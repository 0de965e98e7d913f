"""The Guyot et al. (2012) algorithm: individual patient data from a digitised KM curve.

Guyot P, Ades AE, Ouwens MJNM, Welton NJ. Enhanced secondary analysis of survival data:
reconstructing the data from published Kaplan-Meier survival curves. BMC Med Res Methodol
2012; 12:9. doi:10.1186/1471-2288-12-9.

Between consecutive times of the numbers-at-risk table, censorings are spread evenly and
events are found at each digitised point so that the reconstructed Kaplan-Meier estimate
follows the curve; the number censored is then adjusted until the reconstructed number at
risk at the start of the next interval equals the published one.  In the last interval the
censoring rate is that of the earlier intervals, unless the total number of events is known,
in which case the censoring is adjusted to give that total.

This is a fresh implementation with three safeguards the published code lacks: the
adjustment loops are bounded (and keep the best count seen), numbers of events are kept
within the risk set, and when the published number at risk cannot be reached the
reconstruction carries on from the reconstructed one, so the patients always add up.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .clean import CleanCurve, RiskTable

MAX_ITER = 200


@dataclass(frozen=True)
class GuyotFit:
    """Per digitised point: time, reconstructed number at risk, events, censorings (censored
    between this point and the next) and reconstructed KM; plus the patients."""

    time: np.ndarray
    n_risk: np.ndarray
    n_event: np.ndarray
    n_censor: np.ndarray
    km: np.ndarray
    ipd_time: np.ndarray
    ipd_event: np.ndarray
    notes: tuple = field(default_factory=tuple)


def insert_risk_times(curve: CleanCurve, risk_time) -> tuple[CleanCurve, int]:
    """Add a curve point at every risk-table time that is not already a digitised time,
    carrying the curve's value there (so the step is kept where it was digitised)."""
    rt = np.asarray(risk_time, dtype=float)
    new = rt[~np.isin(rt, curve.time) & (rt <= curve.time[-1])]
    if new.size == 0:
        return curve, 0
    t = np.concatenate((curve.time, new))
    s = np.concatenate((curve.survival, curve.at(new)))
    o = np.argsort(t, kind="stable")
    return CleanCurve(time=t[o], survival=s[o], changes=curve.changes), int(new.size)


def _censor_counts(t: np.ndarray, lo: int, hi_point: int, nc: int) -> np.ndarray:
    """Spread ``nc`` censorings evenly over [t[lo], t[hi_point]) and count them per bin
    [t[k], t[k+1]), k = lo .. hi_point-1."""
    counts = np.zeros(hi_point - lo, dtype=np.int64)
    if nc <= 0 or hi_point <= lo:
        return counts
    a, b = t[lo], t[hi_point]
    ct = a + np.arange(1, nc + 1) * (b - a) / (nc + 1)
    k = np.searchsorted(t[lo:hi_point + 1], ct, side="right") - 1
    k = np.clip(k, 0, hi_point - lo - 1)
    np.add.at(counts, k, 1)
    return counts


def _walk(s, lo, up, n_start, cen, km_last, d, km, nh):
    """Events at points lo..up given censorings ``cen`` (aligned to lo..up); returns the
    number at risk after point ``up`` and the KM at the last event."""
    n = int(n_start)
    for j, k in enumerate(range(lo, up + 1)):
        nh[k] = n
        if k == 0 or n <= 0 or km_last <= 0:
            dk = 0
        else:
            dk = int(round(n * (1.0 - s[k] / km_last)))
            dk = min(max(dk, 0), n)
        d[k] = dk
        if dk > 0:
            km_last = km_last * (1.0 - dk / n)
        km[k] = km_last
        c = min(int(cen[j]), n - dk)
        cen[j] = c
        n = n - dk - c
    return n, km_last


def guyot(curve: CleanCurve, risk: RiskTable, total_events: int | None = None) -> GuyotFit:
    """Reconstruct patients from a clean curve and a clean numbers-at-risk table.

    ``risk.time`` must start at 0 and lie within the curve; ``curve`` should contain every
    risk time (see :func:`insert_risk_times`).
    """
    t, s = curve.time, curve.survival
    K = t.size
    rt, rn = risk.time, risk.n_risk.astype(np.int64).copy()
    m = rt.size
    lower = np.searchsorted(t, rt, side="left")
    upper = np.r_[lower[1:] - 1, K - 1]
    d = np.zeros(K, dtype=np.int64)
    cen = np.zeros(K, dtype=np.int64)
    km = np.ones(K)
    nh = np.zeros(K + 1, dtype=np.int64)
    notes: list[str] = []
    km_last = 1.0
    n_start = int(rn[0])
    censored_before = 0

    for i in range(m - 1):
        lo, up, nxt = lower[i], upper[i], lower[i + 1]
        target = int(rn[i + 1])
        s_lo = s[lo]
        nc = int(round(n_start * s[nxt] / s_lo - target)) if s_lo > 0 else 0
        nc = max(nc, 0)
        best = None
        seen = {nc}
        for _ in range(MAX_ITER):
            c = _censor_counts(t, lo, nxt, nc)
            c_try = c.copy()
            d_try, km_try, nh_try = d.copy(), km.copy(), nh.copy()
            n_end, kl = _walk(s, lo, up, n_start, c_try, km_last, d_try, km_try, nh_try)
            diff = n_end - target
            if best is None or abs(diff) < abs(best[0]):
                best = (diff, nc, c_try, d_try, km_try, nh_try, n_end, kl)
            if diff == 0 or (diff < 0 and nc <= 0):
                break
            nc = max(nc + diff, 0)
            if nc in seen:
                break
            seen.add(nc)
        diff, nc, c_try, d, km, nh, n_end, km_last = best
        cen[lo:up + 1] = c_try
        censored_before += int(c_try.sum())
        if diff != 0:
            notes.append(f"could not match the {target} at risk at time {rt[i + 1]:g}: "
                         f"reconstructed {n_end}")
        n_start = n_end

    # last interval
    lo, up = lower[m - 1], upper[m - 1]
    if m > 1:
        span = t[upper[m - 2]] - t[lower[0]]
        rate = censored_before / span if span > 0 else 0.0
        nc = min(int(round(rate * (t[up] - t[lo]))), n_start)
        # those censored in the last interval cannot outnumber those the curve leaves
        # without an event (a curve that ends at 0 has no censoring before its end)
        if s[lo] > 0:
            nc = min(nc, int(round(n_start * s[up] / s[lo])))
    else:
        nc = 0

    def run_last(nc):
        c = _censor_counts(t, lo, up, nc)
        c = np.r_[c, 0]
        d_try, km_try, nh_try = d.copy(), km.copy(), nh.copy()
        n_end, _ = _walk(s, lo, up, n_start, c, km_last, d_try, km_try, nh_try)
        return c, d_try, km_try, nh_try, n_end

    c, d_l, km_l, nh_l, n_end = run_last(nc)
    if total_events is not None:
        before = int(d[:lo].sum())
        if before > total_events:
            notes.append(f"the curve already has {before} events before the last "
                         f"numbers-at-risk time, more than the {total_events} total events "
                         "given; the total was not used")
        else:
            best = None
            seen = {nc}
            for _ in range(MAX_ITER):
                tot = int(d_l.sum())
                diff = tot - total_events
                if best is None or abs(diff) < abs(best[0]):
                    best = (diff, c, d_l, km_l, nh_l, n_end)
                if diff == 0 or (diff < 0 and nc <= 0):
                    break
                nc = min(max(nc + diff, 0), n_start)
                if nc in seen:
                    break
                seen.add(nc)
                c, d_l, km_l, nh_l, n_end = run_last(nc)
            diff, c, d_l, km_l, nh_l, n_end = best
            if diff != 0:
                notes.append(f"could not match the {total_events} total events: "
                             f"reconstructed {total_events + diff}")
    cen[lo:up + 1] = c
    d, km, nh = d_l, km_l, nh_l
    nh[K] = n_end

    # patients: events at the digitised times, censorings midway to the next point,
    # and those still at risk at the end censored at the last time
    ev_t = np.repeat(t, d)
    mid = np.r_[(t[:-1] + t[1:]) / 2, t[-1]]
    ce_t = np.repeat(mid, cen)
    rest = np.full(max(n_end, 0), t[-1])
    ipd_t = np.concatenate((ev_t, ce_t, rest))
    ipd_e = np.concatenate((np.ones(ev_t.size, bool), np.zeros(ce_t.size + rest.size, bool)))
    o = np.lexsort((~ipd_e, ipd_t))
    return GuyotFit(time=t, n_risk=nh[:K], n_event=d, n_censor=cen, km=km,
                    ipd_time=ipd_t[o], ipd_event=ipd_e[o], notes=tuple(notes))
