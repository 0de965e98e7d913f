"""Whole-process time of the command line, side by side with a lifelines script.

Run: python benchmarks/bench_startup.py [--n 1000000] [--repeat 5] [--json out.json]

Users feel the time from pressing Enter to the prompt coming back, so every number here is
the wall time of a whole process (Python start-up, imports, reading the CSV, the estimate,
printing), best of ``--repeat`` runs after one warm-up run (warm file cache).  The runs of
the two sides of a comparison alternate, so a change in the machine's load hits both.

1. ``remission fit big.csv --dist weibull`` against a script that reads the same CSV with
   pandas and fits lifelines' ``WeibullFitter``; ``remission summary big.csv`` against a
   script that reads it and fits lifelines' ``KaplanMeierFitter``.  ``big.csv`` has ``--n``
   rows (seeded Weibull(shape 1.3, scale 10) times, uniform(0, 30) censoring, ~30%
   censored).  Both sides must agree (Weibull shape and scale, Kaplan-Meier median) before a
   time is reported.  Timed with the default text output; the checks read a separate JSON run.
2. Start-up of every command: ``remission CMD --help`` and a run on tiny data (the bundled
   97-patient CARTITUDE-1 reconstruction, small replicate counts), with the time spent in
   imports (``python -X importtime``) and the heavy packages each one imports.

Results are recorded in benchmarks/README.md ("Start-up").
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

EXE = shutil.which("remission")
PY = sys.executable
HEAVY = ("pandas", "scipy.special", "scipy.optimize", "scipy.stats", "scipy.integrate",
         "matplotlib", "plotly", "dask", "distributed", "pyarrow", "pyreadstat", "openpyxl",
         "rich")

LIFELINES_WEIBULL = """\
import sys
import pandas as pd
from lifelines import WeibullFitter
d = pd.read_csv(sys.argv[1])
f = WeibullFitter().fit(d["time"], d["event"])
print(f.rho_, f.lambda_)
"""
LIFELINES_KM = """\
import sys
import pandas as pd
from lifelines import KaplanMeierFitter
d = pd.read_csv(sys.argv[1])
f = KaplanMeierFitter().fit(d["time"], d["event"])
print(f.median_survival_time_)
"""


def write_big(path, n: int) -> None:
    import numpy as np

    rng = np.random.default_rng(20261202)
    t = 10.0 * rng.weibull(1.3, n)
    c = rng.uniform(0.0, 30.0, n)
    # 4 decimals as a data export would have them; never 0 (lifelines refuses 0 durations)
    time_ = np.maximum(np.round(np.minimum(t, c), 4), 1e-4)
    with open(path, "w") as f:
        f.write("time,event\n")
        f.write("\n".join(f"{a:.4f},{int(b)}" for a, b in zip(time_, t <= c)))
        f.write("\n")


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(argv, cwd, env=None) -> tuple[float, str, float]:
    """(wall seconds, stdout, CPU seconds of the process)."""
    c0, t0 = _cpu(), time.perf_counter()
    p = subprocess.run(argv, cwd=cwd, capture_output=True, text=True,
                       env=None if env is None else {**os.environ, **env})
    dt, cpu = time.perf_counter() - t0, _cpu() - c0
    if p.returncode != 0:
        raise SystemExit(f"failed ({p.returncode}): {' '.join(argv)}\n{p.stderr[-2000:]}")
    return dt, p.stdout, cpu


def best_of(cmds: dict, repeat: int, cwd, env: dict | None = None) -> dict:
    """{name: (best wall seconds, all wall seconds, stdout, best CPU seconds)}; one warm-up
    round, then ``repeat`` rounds in which the commands alternate.  ``env``: extra
    environment variables per command name."""
    times = {k: [] for k in cmds}
    cpus = {k: [] for k in cmds}
    out = {}
    for r in range(repeat + 1):
        for k, argv in cmds.items():
            dt, out[k], cpu = run(argv, cwd, (env or {}).get(k))
            if r:
                times[k].append(dt)
                cpus[k].append(cpu)
    return {k: (min(v), v, out[k], min(cpus[k])) for k, v in times.items()}


def import_profile(argv, cwd) -> tuple[float, list[str]]:
    """(seconds spent in top-level imports, heavy packages imported) of one run."""
    p = subprocess.run([PY, "-X", "importtime", *argv], cwd=cwd, capture_output=True,
                       text=True)
    total, seen = 0, set()
    for line in p.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if not m:
            continue
        if len(m.group(2)) == 1:  # imported by the program itself, not by another module
            total += int(m.group(1))
        seen.add(m.group(3))
    return total / 1e6, [h for h in HEAVY if any(m == h or m.startswith(h + ".") for m in seen)]


def side_by_side(d, n, repeat, baseline=None) -> list[dict]:
    """The two comparisons; with ``baseline`` (the ``src`` folder of another version of
    remission, e.g. from ``git archive``) that version runs in the same rounds too."""
    big = os.path.join(d, "big.csv")
    write_big(big, n)
    for name, code in (("lw.py", LIFELINES_WEIBULL), ("lk.py", LIFELINES_KM)):
        with open(os.path.join(d, name), "w") as f:
            f.write(code)
    opts = ["--time", "time", "--event", "event"]
    tasks = {"fit": (["fit", big, "--dist", "weibull", *opts], "lifelines WeibullFitter",
                     [PY, "lw.py", big]),
             "summary": (["summary", big, *opts], "lifelines KaplanMeierFitter",
                         [PY, "lk.py", big])}
    rows = []
    for task, (args, peer, peer_argv) in tasks.items():
        # timed as a user runs them (text output); the agreement checks read a JSON run
        cmds = {task: [EXE, *args], peer: peer_argv}
        env = {}
        if baseline:
            cmds["baseline"] = [EXE, *args]
            env["baseline"] = {"PYTHONPATH": baseline}
        res = best_of(cmds, repeat, d, env)
        doc = json.loads(run([EXE, *args, "--format", "json"], d)[1])
        check(task, doc, res[peer][2])
        imp, heavy = import_profile([EXE, *args], d)
        row = {"task": task, "n": n, "remission_s": res[task][0], "peer": peer,
               "peer_s": res[peer][0], "ratio": res[task][0] / res[peer][0],
               "remission_cpu_s": res[task][3], "peer_cpu_s": res[peer][3],
               "cpu_ratio": res[task][3] / res[peer][3], "remission_imports_s": imp,
               "heavy_imports": heavy, "all_remission_s": res[task][1],
               "all_peer_s": res[peer][1]}
        if baseline:
            row.update(baseline_s=res["baseline"][0], baseline_cpu_s=res["baseline"][3],
                       baseline_ratio=res["baseline"][0] / res[peer][0],
                       baseline_cpu_ratio=res["baseline"][3] / res[peer][3])
        rows.append(row)
    return rows


def check(task, doc, peer_out) -> None:
    """Refuse to time two programs that do not compute the same thing."""
    if task == "fit":
        par = {p["name"]: p["estimate"] for p in doc["parameters"]}
        rho, lam = map(float, peer_out.split())
        # both are the maximum likelihood estimate; lifelines stops its optimiser at a
        # gradient tolerance, so 1e-5 relative is what the two optimisers can promise
        if abs(par["shape"] / rho - 1) > 1e-5 or abs(par["scale"] / lam - 1) > 1e-5:
            raise SystemExit(f"fits disagree: remission {par}, lifelines {rho}, {lam}")
    else:
        med = doc["groups"][0]["median"]["estimate"]
        # the same step function, so the median is the same data time, exactly
        if med != float(peer_out):
            raise SystemExit(f"Kaplan-Meier medians disagree: {med} vs {peer_out}")


def tiny_commands(d) -> dict:
    """One small run per command: ``remission --help`` lists them all (cli.COMMANDS)."""
    c1 = "cartitude1-pfs-approx"
    lm = os.path.join(d, "lm.csv")
    with open(lm, "w") as f:
        f.write("time,survival,kind\n12,0.8,km\n24,0.6,km\n30,0.5,median\n")
    fig = os.path.join(d, "km-figure.png")  # a figure to digitise (its axes read by OCR)
    run([EXE, "plot", "km", c1, "-o", fig, "--no-risk-table"], d)
    return {
        "summary": ["summary", c1],
        "example": ["example", "list"],
        "fit": ["fit", c1, "--dist", "weibull"],
        "compare": ["compare", c1],
        "cure-test": ["cure-test", c1, "--reps", "200", "--quiet"],
        "plan": ["plan", c1, "--extra-followup", "12", "--sims", "100", "--null-reps", "100",
                 "--quiet"],
        "reconstruct": ["reconstruct", "--landmarks", lm, "--n", "100", "--followup", "36,48",
                        "-o", os.path.join(d, "ipd.csv")],
        "plot": ["plot", "km", c1, "-o", os.path.join(d, "km.png")],
        "digitize": ["digitize", fig, "-o", os.path.join(d, "curves.csv")],
        "analyze": ["analyze", c1, "-o", os.path.join(d, "r.html"), "--reps", "100", "--sims",
                    "50", "--quiet"],
    }


def startup(d, repeat) -> list[dict]:
    from remission.cli import COMMANDS

    cmds = tiny_commands(d)
    missing = set(COMMANDS) - set(cmds)
    if missing:
        raise SystemExit(f"no tiny run for {sorted(missing)}: add one to tiny_commands()")
    base = best_of({"python -c pass": [PY, "-c", "pass"],
                    "remission --help": [EXE, "--help"]}, repeat, d)
    rows = [{"command": k, "help_s": None, "tiny_s": v[0], "tiny_cpu_s": v[3],
             "imports_s": None, "heavy": []} for k, v in base.items()]
    for name in sorted(cmds):
        r = best_of({"help": [EXE, name, "--help"], "tiny": [EXE, *cmds[name]]}, repeat, d)
        imp, heavy = import_profile([EXE, *cmds[name]], d)
        rows.append({"command": name, "help_s": r["help"][0], "tiny_s": r["tiny"][0],
                     "tiny_cpu_s": r["tiny"][3], "imports_s": imp, "heavy": heavy,
                     "argv": cmds[name]})
    return rows


def print_pairs(pair, baseline) -> None:
    base = " | before (s) | before / peer | CPU before / peer" if baseline else ""
    print("| task (n rows) | remission (s) | of which imports (s) | peer script | peer (s) "
          f"| remission / peer | CPU: remission / peer (s) | CPU ratio{base} |")
    print("|---|---:|---:|---|---:|---:|---:|---:|" + ("---:|---:|---:|" if baseline else ""))
    for r in pair:
        b = (f" {r['baseline_s']:.2f} | {r['baseline_ratio']:.2f} | "
             f"{r['baseline_cpu_ratio']:.2f} |" if baseline else "")
        print(f"| {r['task']} ({r['n']:,}) | {r['remission_s']:.2f} | "
              f"{r['remission_imports_s']:.2f} | {r['peer']} | {r['peer_s']:.2f} | "
              f"{r['ratio']:.2f} | {r['remission_cpu_s']:.2f} / {r['peer_cpu_s']:.2f} | "
              f"{r['cpu_ratio']:.2f} |{b}", flush=True)


def print_startup(rows) -> None:
    print("| command | --help (s) | tiny run (s) | tiny run CPU (s) | of which imports (s) "
          "| heavy imports |")
    print("|---|---:|---:|---:|---:|---|")
    for r in rows:
        h = "-" if r["help_s"] is None else f"{r['help_s']:.2f}"
        i = "-" if r["imports_s"] is None else f"{r['imports_s']:.2f}"
        print(f"| {r['command']} | {h} | {r['tiny_s']:.2f} | {r['tiny_cpu_s']:.2f} | {i} | "
              f"{', '.join(r['heavy']) or '-'} |")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", default=None, help="also write the results here")
    ap.add_argument("--no-startup", action="store_true", help="only the side-by-side runs")
    ap.add_argument("--baseline", default=None, metavar="SRC",
                    help="also time the remission found in this src folder (PYTHONPATH), "
                         "in the same rounds: before/after under the same load")
    a = ap.parse_args(argv)
    if EXE is None:
        raise SystemExit("the remission console script is not installed")
    load0 = os.getloadavg()
    print(f"whole-process times, best of {a.repeat} after a warm-up run; {os.cpu_count()} "
          f"cores, load average {load0[0]:.1f} at start; python {sys.version.split()[0]}")
    print()
    with tempfile.TemporaryDirectory() as d:
        pair = side_by_side(d, a.n, a.repeat, a.baseline)
        print_pairs(pair, a.baseline)
        load1 = os.getloadavg()
        print(f"\nload average {load1[0]:.1f} after the comparisons\n", flush=True)
        rows = [] if a.no_startup else startup(d, a.repeat)
    load2 = os.getloadavg()
    if rows:
        print_startup(rows)
        print(f"\nload average {load2[0]:.1f} at the end")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"pairs": pair, "startup": rows, "load": [load0, load1, load2],
                       "cores": os.cpu_count(), "python": sys.version.split()[0]}, f,
                      indent=2)


if __name__ == "__main__":
    main()
