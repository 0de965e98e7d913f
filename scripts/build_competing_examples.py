"""Build the bundled competing-risks examples from bundled datasets.

    python scripts/build_competing_examples.py [--out DIR]

writes into ``src/remission/datasets/`` (or ``--out``), byte-for-byte reproducibly:

``bmt-cr.csv.gz``
    KMsurv's ``bmt`` (Klein & Moeschberger 2003, bundled as ``bmt.csv.gz``), every original
    column unchanged, plus ``event_type``: ``relapse`` where ``d2 == 1``, ``death`` (death in
    remission, i.e. without relapse) where ``d1 == 1`` and ``d2 == 0``, ``0`` (censored)
    where ``d3 == 0``; time ``t2`` (days to relapse, death or end of follow-up).  This is the
    coding of the R reference fixtures in ``tests/fixtures/competing/competing.R`` (etype 1 =
    relapse, 2 = death), so the tests can compare the example with R directly.

``mgus2-cr.csv.gz``
    R ``survival``'s ``mgus2`` (Kyle et al., NEJM 2002) as competing risks, the file that
    ``tests/fixtures/competing/competing.R`` writes (R 4.2.2, survival 3.5.3), copied byte
    for byte: ``etime`` (months to progression, else to death or last contact), ``etype``
    (1 = progression to a plasma-cell malignancy, 2 = death without it, 0 = censored; the
    coding of the survival package's competing-risks vignette) and ``sex``.

``cartitude1-pfs-cr-approx.csv.gz``
    The APPROXIMATE CARTITUDE-1 PFS reconstruction (``cartitude1-pfs-approx.csv.gz``, built
    by ``scripts/build_cartitude1.py``; times and events unchanged) with each event labelled
    ``progression`` or ``death`` (death without progression).  THE LABELS ARE AN
    ALLOCATION CONSISTENT WITH PUBLISHED COUNTS, NOT THE TRIAL'S DATA:

    * 18 deaths not from progressive disease by the 33.4-month median follow-up (Martin et al.
      / Lin et al. 2023 final CARTITUDE-1 results: 35 deaths, 17 from progressive disease,
      6 from treatment-related and 12 from unrelated adverse events), with the study day of
      each published by Janssen Medical Information ("CARVYKTI - Adverse Event - Mortality",
      table "CARTITUDE-1: Deaths": days in ``NRM_DAYS``).  Each is matched to one
      reconstructed PFS event, the order-preserving matching of least total time distance
      (exact dynamic programme), so the reconstructed deaths without progression fall where
      the published ones did.  ASSUMPTION: none of these 18 patients had progressed before
      dying (the publications give the cause of death, not the order of events).
    * 46 patients progressed within 5 years and 32 were alive and progression-free at 5 years
      or more (Jagannath et al., JCO 2025; carvyktihcp.com 5-year follow-up analysis).  The
      reconstruction has no censoring before 60 months, so its 65 PFS events are 46
      progressions and 97 - 32 - 46 = 19 other events: the 18 above and one more (a death
      without progression after the 33.4-month cut, or a patient who left the study without
      progressing), placed by a seeded draw (``SEED``) among the reconstructed events after
      33.4 months.

It records the split in its own ``cartitude1_pfs_cr_provenance.json`` (``datasets``,
``checks`` and ``competing_split`` entries, in the shape of ``cartitude1_provenance.json``, which
stays ``scripts/build_cartitude1.py``'s alone); it reads the PFS reconstruction's checks from
that file, so run it after ``scripts/build_cartitude1.py``.  A build script of the repository, not part of the installed package.
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
MGUS2 = REPO / "tests" / "fixtures" / "competing" / "mgus2.csv.gz"
SPLIT_PROVENANCE = "cartitude1_pfs_cr_provenance.json"
DAYS_PER_MONTH = 365.25 / 12
#: study day of each CARTITUDE-1 death not from progressive disease (median follow-up 33.4
#: months): treatment-related (6) and unrelated (12) adverse events
NRM_DAYS = {
    "treatment-related": {"sepsis and/or septic shock": [45, 162], "CRS/HLH": [99],
                          "lung abscess": [119], "respiratory failure": [121],
                          "neurotoxicity": [247]},
    "unrelated": {"pneumonia": [109, 887], "AML": [418, 582, 718], "ascites": [445],
                  "MDS": [803], "respiratory failure": [733, 793, 829],
                  "septic shock and/or sepsis": [917, 945]},
}
CUT_MONTHS = 33.4          # median follow-up of the data cut the days come from
PROGRESSED_5Y = 46         # PD within 5 years (Jagannath et al. 2025)
PFS_5Y = 32                # alive and progression-free >= 5 years
SEED = 20251202
SOURCES = {
    "deaths": "Lin et al., ASCO 2023 / Martin et al., JCO 2023 (CARTITUDE-1 final results, "
              "median follow-up 33.4 months): 35 deaths, 17 from progressive disease, 6 from "
              "treatment-related and 12 from unrelated adverse events; study day of each "
              "from Janssen Medical Information, 'CARVYKTI - Adverse Event - Mortality' "
              "(jnjmedicalconnect.com), table 'CARTITUDE-1: Deaths'",
    "five_year": "Jagannath et al., JCO 2025 (median follow-up 61.3 months) as summarised on "
                 "carvyktihcp.com (5-year follow-up analysis): 32 of 97 alive and "
                 "progression-free for >= 5 years, 46 with progressive disease within 5 years",
}


def _gz_csv(df: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n")
    return gzip.compress(buf.getvalue().encode("utf-8"), mtime=0)


def build_bmt(src: Path) -> pd.DataFrame:
    bmt = pd.read_csv(src / "bmt.csv.gz")
    et = np.where(bmt["d3"] == 0, "0", np.where(bmt["d2"] == 1, "relapse", "death"))
    return bmt.assign(event_type=et)


def nearest_matching(targets, times) -> np.ndarray:
    """Indices into sorted ``times`` of an increasing assignment of the sorted ``targets``
    minimising the total absolute distance (exact; in one dimension an optimal matching
    preserves order)."""
    a, b = np.sort(np.asarray(targets, float)), np.asarray(times, float)
    m, n = a.size, b.size
    cost = np.full((m + 1, n + 1), np.inf)
    cost[0, :] = 0.0
    take = np.zeros((m + 1, n + 1), dtype=bool)
    for i in range(1, m + 1):
        for j in range(i, n + 1):
            use = cost[i - 1, j - 1] + abs(a[i - 1] - b[j - 1])
            if use < cost[i, j - 1]:
                cost[i, j], take[i, j] = use, True
            else:
                cost[i, j] = cost[i, j - 1]
    out, i, j = [], m, n
    while i > 0:
        if take[i, j]:
            out.append(j - 1)
            i -= 1
        j -= 1
    return np.array(out[::-1])


def build_cartitude(src: Path):
    pfs = pd.read_csv(src / "cartitude1-pfs-approx.csv.gz")
    ev = np.flatnonzero(pfs["event"].to_numpy() == 1)
    ev = ev[np.argsort(pfs["time"].to_numpy()[ev], kind="stable")]
    t_ev = pfs["time"].to_numpy()[ev]
    days = sorted(d for kind in NRM_DAYS.values() for v in kind.values() for d in v)
    months = np.array(days) / DAYS_PER_MONTH
    early = ev[nearest_matching(months, t_ev)]
    late_pool = ev[(t_ev > CUT_MONTHS) & ~np.isin(ev, early)]
    extra = len(ev) - PROGRESSED_5Y - len(early)
    late = np.random.default_rng(SEED).choice(late_pool, size=extra, replace=False)
    et = np.where(pfs["event"] == 1, "progression", "0").astype(object)
    et[np.concatenate([early, late])] = "death"
    out = pfs.assign(event_type=et)
    shift = pfs["time"].to_numpy()[early] - months
    split = {
        "dataset": "cartitude1-pfs-cr-approx",
        "warning": "APPROXIMATE split of the APPROXIMATE PFS reconstruction: which "
                   "reconstructed events are deaths without progression is an allocation "
                   "matching published counts and days, not the trial's data.",
        "sources": SOURCES, "nrm_days": NRM_DAYS, "cut_months": CUT_MONTHS,
        "method": "each published day of a death not from progression (18, by the "
                  "33.4-month cut) matched to one reconstructed PFS event (order-preserving "
                  "matching of least total |time difference|); the remaining "
                  f"{len(ev)} - {PROGRESSED_5Y} - 18 = {extra} non-progression event(s) "
                  f"drawn (seed {SEED}) among the reconstructed events after {CUT_MONTHS} "
                  "months; every other event is progression",
        "assumptions": ["none of the 18 patients who died of causes other than progressive "
                        "disease had progressed before (the publications give the cause of "
                        "death, not the order of events)",
                        "the 19th non-progression event (97 - 32 progression-free at 5 "
                        "years - 46 progressed) is a death without progression after the "
                        "33.4-month cut or a patient leaving the study without progressing; "
                        "the reconstruction has no censoring before 60 months"],
        "counts": {"progression": int((et == "progression").sum()),
                   "death": int((et == "death").sum()),
                   "death_by_cut": int(len(early)), "censored": int((et == "0").sum())},
        "max_shift_months": round(float(np.max(np.abs(shift))), 3),
        "mean_abs_shift_months": round(float(np.mean(np.abs(shift))), 3),
    }
    return out, split


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(REPO / "src" / "remission" / "datasets"))
    out = Path(ap.parse_args(argv).out)
    src = REPO / "src" / "remission" / "datasets"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bmt-cr.csv.gz").write_bytes(_gz_csv(build_bmt(src)))
    (out / "mgus2-cr.csv.gz").write_bytes(MGUS2.read_bytes())
    cr, split = build_cartitude(src)
    (out / "cartitude1-pfs-cr-approx.csv.gz").write_bytes(_gz_csv(cr))
    pfs = json.loads((src / "cartitude1_provenance.json").read_text(encoding="utf-8"))
    name = split["dataset"]
    prov = {
        "datasets": {name: {
            "file": f"{name}.csv.gz",
            "endpoint": "progression-free survival, each event labelled progression or death "
                        "without progression (APPROXIMATE split)",
            "columns": {"time": "months from cilta-cel infusion",
                        "event": "1 = progression or death, 0 = censored",
                        "event_type": "progression, death (without progression) or 0 = "
                                      "censored; APPROXIMATE allocation, see competing_split"}}},
        "checks": {name: pfs["checks"]["cartitude1-pfs-approx"]},  # same times and events
        "competing_split": split}
    (out / SPLIT_PROVENANCE).write_text(
        json.dumps(prov, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote bmt-cr.csv.gz, mgus2-cr.csv.gz, {name}.csv.gz, {SPLIT_PROVENANCE} to {out}; "
          f"split {split['counts']}, largest shift {split['max_shift_months']} months")

if __name__ == "__main__":
    main()
