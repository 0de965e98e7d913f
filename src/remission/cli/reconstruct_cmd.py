"""``remission reconstruct``: individual patient data from a published curve or landmarks."""
from __future__ import annotations

import json

import click

from .common import NON_NEGATIVE, POSITIVE, SEED
from .digitize_cmd import RANGE


def _fmt(v, nd=3):
    return "NR" if v is None else f"{v:.{nd}f}"


def _text(doc: dict) -> str:
    # a figure's numbers at risk that no OCR reading made plausible were left out: say so
    lines = [f"figure: warning: {w}"
             for w in (doc.get("figure") or {}).get("at_risk_warnings", [])]
    for a in doc["arms"]:
        name = "all" if a["arm"] is None else a["arm"]
        q = a["quality"]
        lines.append(f"arm {name}: {a['n']} patients, {a['events']} events, {a['censored']} "
                     f"censored; median {_fmt(a['median'], 2)} ({a['method']}, approximate)")
        for c in a["changes"]:
            lines.append(f"  cleaned: {c}")
        for nt in a["notes"]:
            lines.append(f"  warning: {nt}")
        what = "landmarks" if a["method"] == "landmarks" else "input curve"
        lines.append(f"  KM gap to the {what}: largest {q['max_abs_gap']:.4f} (at "
                     f"{q['max_gap_time']:g}), mean {q['mean_abs_gap']:.4f} over "
                     f"{q['n_points']} points")
        if q["at_risk"]:
            lines.append("  numbers at risk   time  published  reconstructed")
            for r in q["at_risk"]:
                lines.append(f"                 {r['time']:>6g}  {r['published']:>9d}  "
                             f"{r['reconstructed']:>13d}")
        if q["events"]:
            lines.append(f"  total events: published {q['events']['published']}, "
                         f"reconstructed {q['events']['reconstructed']}")
        for lm in q["landmarks"]:
            lines.append(f"  landmark {lm['time']:g}: target {lm['target']:.3f}, "
                         f"reconstructed {lm['reconstructed']:.3f} (gap {lm['gap']:+.4f})")
    lines.append(f"wrote {doc['rows']} patients to {doc['output']} (a reconstruction, not "
                 "trial data)")
    if doc.get("provenance"):
        lines.append(f"wrote their provenance (figure, digitised curves, quality) to "
                     f"{doc['provenance']}: give it to `remission analyze --provenance`")
    return "\n".join(lines)


@click.command("reconstruct")
@click.option("--curve", "curve_path", type=click.Path(dir_okay=False),
              help="Digitised KM curve: columns time,survival[,arm] (fractions or percentages).")
@click.option("--figure", "figure_path", type=click.Path(dir_okay=False),
              help="Instead of --curve: a published Kaplan-Meier figure (PNG, JPEG or PDF "
                   "page), digitised as by `remission digitize`; arms are its curves, named from "
                   "its legend where it is read, else 1, 2, ...")
@click.option("--curve-id", "curve_id",
              help="Take only this curve (the 'curve' column of `digitize` output, or the "
                   "arm column) from --curve or --figure.")
@click.option("--x-range", type=RANGE, help="With --figure: as `digitize --x-range`.")
@click.option("--y-range", type=RANGE, help="With --figure: as `digitize --y-range`.")
@click.option("--page", type=click.IntRange(1, 10_000), help="With --figure: PDF page.")
@click.option("--panel", type=int,
              help="With --figure: as `digitize --panel` (one panel of a multi-panel figure).")
@click.option("--at-risk", "risk_path", type=click.Path(dir_okay=False),
              help="Published numbers at risk: columns time,n_risk[,arm].")
@click.option("--landmarks", "landmark_path", type=click.Path(dir_okay=False),
              help="Instead of a curve: landmark estimates, columns time,survival[,kind] "
                   "(kind km or median).")
@click.option("--n", "n_opt", help="Number of patients (per arm: 97,95 or A=97,B=95).")
@click.option("--events", "events_opt", help="Total number of events (per arm as for --n).")
@click.option("--scale", type=click.Choice(["auto", "percent", "fraction"]), default="auto",
              show_default=True, help="Survival scale of the curve file.")
@click.option("--arm-column", default="arm", show_default=True,
              help="Column naming the arm in the curve and numbers-at-risk files.")
@click.option("--median", "median_opt", type=POSITIVE,
              help="With --landmarks: published median (time where survival reaches 0.5).")
@click.option("--followup", "followup_opt",
              help="With --landmarks: shortest,longest potential follow-up (uniform accrual).")
@click.option("--median-followup", type=POSITIVE,
              help="With --landmarks: median follow-up (needs --accrual).")
@click.option("--accrual", type=NON_NEGATIVE, help="With --landmarks: accrual duration.")
@click.option("--tail-hazard", type=NON_NEGATIVE,
              help="With --landmarks: hazard after the last landmark (default: last interval's).")
@click.option("--seed", type=SEED, default=0, show_default=True,
              help="With --landmarks: seed deciding which patients have the events.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Where to write the patients (time,event[,arm]).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def reconstruct(curve_path, figure_path, curve_id, x_range, y_range, page, panel, risk_path, landmark_path, n_opt, events_opt, scale, arm_column,
                median_opt, followup_opt, median_followup, accrual, tail_hazard, seed, output,
                fmt):
    """Rebuild individual patient data from a digitised Kaplan-Meier curve (Guyot et al.
    2012) and its numbers at risk, or approximately from published landmarks.

    The input is cleaned (sorted, rescaled, clipped, made non-increasing, started at (0, 1))
    and every change is reported, with the gap between the reconstructed Kaplan-Meier curve
    and the input and the reconstructed against the published numbers at risk.
    """
    from ..errors import OptionError
    from ..reconstruct import io
    from ..safe_io import check_outputs

    if sum(p is not None for p in (curve_path, figure_path, landmark_path)) != 1:
        raise OptionError("give either --curve (a digitised curve), --figure or --landmarks")
    figure_only = [o for o, v in (("--x-range", x_range), ("--y-range", y_range),
                                  ("--page", page), ("--panel", panel)) if v is not None]
    if figure_only and figure_path is None:
        raise OptionError(f"{figure_only[0]} applies to --figure")
    if curve_id is not None and landmark_path is not None:
        raise OptionError("--curve-id applies to --curve or --figure, not --landmarks")
    from ..reconstruct import provenance as pv

    # with --figure the patients' provenance is written next to them: OUTPUT.provenance.json
    side = pv.sidecar_path(output) if figure_path is not None else None
    check_outputs({"-o": output, "-o (its provenance)": side},
                  {"--curve": curve_path, "--at-risk": risk_path,
                   "--landmarks": landmark_path, "--figure": figure_path})
    figure = None
    if figure_path is not None:
        from ..reconstruct.digitize import digitize

        figure = digitize(figure_path, x_range=x_range, y_range=y_range, page=page,
                          panel=panel)
    if landmark_path is not None:
        recs = [_from_landmarks(landmark_path, n_opt, events_opt, risk_path, median_opt,
                                followup_opt, median_followup, accrual, tail_hazard, seed)]
    else:
        given = [o for o, v in (("--median", median_opt), ("--followup", followup_opt),
                                ("--median-followup", median_followup),
                                ("--accrual", accrual), ("--tail-hazard", tail_hazard))
                 if v is not None]
        if given:  # these only shape a --landmarks reconstruction: refuse, don't ignore
            raise OptionError(f"{given[0]} applies to --landmarks, not --curve")
        recs = _from_curves(curve_path, risk_path, n_opt, events_opt, scale, arm_column,
                            figure=figure, curve_id=curve_id)
    text, rows = io.ipd_csv(recs)
    doc = {"output": str(output), "rows": rows, "n": int(sum(r.n for r in recs)),
           "events": int(sum(r.n_events for r in recs)), "approximate": True,
           "arms": [r.as_dict() for r in recs]}
    if figure is None:
        io.write_ipd(output, recs)
    else:  # provenance: how the curves were read from the figure, written with the patients
        from ..safe_io import write_many

        fig = pv.figure_provenance(figure, figure_path)
        body = json.dumps(pv.sidecar(doc, fig, text), indent=1)
        write_many([(output, text), (side, body)], ["-o", "-o (its provenance)"])
        doc["figure"] = {k: v for k, v in fig.items() if k not in ("digitised", "overlay")}
        doc["provenance"] = side
    if fmt == "json":
        click.echo(json.dumps(doc, indent=2))
    else:
        click.echo(_text(doc))


def _from_curves(curve_path, risk_path, n_opt, events_opt, scale, arm_column, figure=None,
                 curve_id=None):
    from ..errors import DataError
    from ..reconstruct import io, reconstruct_curve

    if figure is not None:
        import numpy as np

        curves = {k: (t, s, np.arange(1, t.size + 1)) for k, (t, s) in figure.curves.items()}
    else:
        curves = io.read_curve(curve_path, arm_column)
        if list(curves) == [None] and arm_column == "arm":  # `digitize` output: a curve column
            by_curve = io.read_curve(curve_path, "curve")
            curves = by_curve if list(by_curve) != [None] else curves
    if curve_id is not None:
        if curve_id not in curves:
            names = ", ".join(str(k) for k in curves if k is not None) or "none named"
            raise DataError(f"--curve-id {curve_id!r}: no such curve (curves: {names})")
        curves = {curve_id: curves[curve_id]}
    arms = list(curves)
    risks = io.read_risk(risk_path, arm_column) if risk_path else {}
    if curve_id is not None and curve_id in risks:  # the other arms' rows are not for it
        risks = {curve_id: risks[curve_id]}
    if not risks and figure is not None and figure.at_risk:  # the figure's own table
        risks = {k: (t.astype(float), n.astype(float), np.arange(1, t.size + 1))
                 for k, (t, n) in figure.at_risk.items() if k in curves}
    if risks:
        if None in risks and arms != [None]:
            if len(arms) > 1:
                raise DataError(f"the curve file has arms ({', '.join(arms)}) but the "
                                f"numbers-at-risk file has no {arm_column!r} column",
                                column=arm_column)
        if None in arms and None not in risks:
            raise DataError(f"the numbers-at-risk file has arms but the curve file has no "
                            f"{arm_column!r} column", column=arm_column)
        extra = [a for a in risks if a is not None and a not in curves]
        if extra:
            raise DataError(f"arm {extra[0]!r} of the numbers-at-risk file is not in the "
                            "curve file", column=arm_column)
        if None in risks and len(arms) == 1:
            risks = {arms[0]: risks[None]}
    ns = io.per_arm(n_opt, arms, "--n")
    evs = io.per_arm(events_opt, arms, "--events")
    out = []
    for a in arms:
        t, s, rows = curves[a]
        rk = risks.get(a)
        if rk is None and ns[a] is None:
            from ..errors import OptionError
            where = "" if a is None else f" for arm {a!r}"
            raise OptionError(f"no numbers at risk{where}: give --at-risk or --n")
        out.append(reconstruct_curve(
            t, s, risk_time=None if rk is None else rk[0], n_risk=None if rk is None else rk[1],
            n=ns[a], total_events=evs[a], scale=scale, arm=a, curve_rows=rows,
            risk_rows=None if rk is None else rk[2]))
    return out


def _from_landmarks(path, n_opt, events_opt, risk_path, median, followup_opt, median_followup,
                    accrual, tail_hazard, seed):
    from ..errors import OptionError
    from ..reconstruct import io, reconstruct_landmarks

    if risk_path or events_opt:
        raise OptionError("--at-risk and --events apply to --curve, not --landmarks")
    if n_opt is None:
        raise OptionError("--landmarks needs the number of patients (--n)")
    n = io.per_arm(n_opt, [None], "--n")[None]
    lms, med_file = io.read_landmarks(path)
    if median is not None and med_file is not None and median != med_file:
        raise OptionError(f"--median {median:g} disagrees with the median {med_file:g} in {path}")
    followup = None
    if followup_opt:
        from ._parametric_common import parse_floats

        vals = parse_floats(followup_opt, "--followup", minimum=0)
        if len(vals) != 2:
            raise OptionError(f"--followup {followup_opt!r}: give shortest,longest")
        followup = (vals[0], vals[1])
    return reconstruct_landmarks(lms, n, median=median if median is not None else med_file,
                                 followup=followup, median_followup=median_followup,
                                 accrual=accrual, tail_hazard=tail_hazard, seed=seed)
