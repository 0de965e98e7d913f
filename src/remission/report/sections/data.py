"""Data provenance and the basic numbers: file, columns, event coding, units, n, events,
median follow-up, and reconstruction quality when the data are reconstructed."""
from __future__ import annotations

from .. import compute
from ..format import esc, fixed
from . import Section


def build(ctx) -> Section:
    d = ctx.data
    m = d.meta or {}
    s = compute.summary(ctx)
    unit = ctx.unit
    mf = (s.get("median_followup") or {}).get("estimate")
    prov = {
        "file": ctx.options.source or m.get("source"),
        "time_column": m.get("time_column"), "event_column": m.get("event_column"),
        "event_coding": m.get("event_coding"), "censor_flag": m.get("censor_flag"),
        "group_column": m.get("group_column"), "groups": d.group_levels(),
        "param": m.get("param"), "time_unit": unit, "notes": list(m.get("notes", [])),
        "n": int(d.n), "events": int(d.n_events), "censored": int(d.n - d.n_events),
        "max_followup": float(d.time.max()), "median_followup": mf,
        "delayed_entry": d.entry is not None, "weighted": d.weights is not None,
    }
    rec = ctx.options.provenance
    u = f" {esc(unit)}" if unit else ""
    rows = [("File", f"<code>{esc(prov['file'] or 'in-memory data')}</code>"),
            ("Time column", f"<code>{esc(prov['time_column'] or 'time')}</code>"
             + (f" ({esc(unit)})" if unit else " (unit not given: use --time-unit)")),
            ("Event column", f"<code>{esc(prov['event_column'] or 'event')}</code>, coded "
             f"{esc(prov['event_coding'])}")]
    if prov["group_column"]:
        rows.append(("Groups", f"<code>{esc(prov['group_column'])}</code>: "
                     + ", ".join(f"<span class='grp'>{esc(g)}</span>" for g in prov["groups"])))
    if prov["param"]:
        rows.append(("ADaM parameter", f"PARAMCD = {esc(prov['param'])}"))
    if prov["delayed_entry"]:
        rows.append(("Delayed entry", "yes (left truncation)"))
    stats = [("Patients", f"{prov['n']:,}"), ("Events", f"{prov['events']:,}"),
             ("Censored", f"{prov['censored']:,}"),
             ("Median follow-up (reverse KM)", f"{fixed(mf)}{u}"),
             ("Longest follow-up", f"{fixed(prov['max_followup'])}{u}")]
    body = ["<div class='cards'>"]
    body += [f"<div class='card'><div class='v'>{v}</div><div class='k'>{k}</div></div>"
             for k, v in stats]
    body.append("</div>")
    body.append("<table class='kv'>" + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>"
                                              for k, v in rows) + "</table>")
    for note in prov["notes"]:
        body.append(f"<p class='note'>Note: {esc(note)}</p>")
    if rec:  # the digitised curves and overlay are the origin section's (sections/origin.py)
        prov["reconstruction"] = {k: v for k, v in rec.items() if k != "digitised"}
        body.append(_reconstruction_html(rec))
    return Section("data", "Data", "\n".join(body), prov)


def _reconstruction_html(rec: dict) -> str:
    out = ["<div class='warn'><b>Reconstructed data.</b> "
           + esc(rec.get("warning") or "These patients were rebuilt from published summaries; "
                 "they approximate the trial's data and are not the data themselves.")
           + "</div>"]
    if rec.get("trial"):
        out.append(f"<p>Trial: {esc(rec['trial'])}.</p>")
    fig = rec.get("figure")
    if fig:  # provenance of data reconstructed from a figure (`reconstruct --figure`)
        ppu = fig.get("pixels_per_unit") or {}
        out.append(f"<p>Source: digitised from the figure <code>{esc(fig.get('file'))}</code> "
                   f"({esc(fig.get('source') or '')}; {fig.get('curves_found', '?')} curve(s) "
                   f"found; {fixed(ppu.get('x'), 1)} pixels per unit of time, "
                   f"{fixed(ppu.get('y'), 1)} per unit of survival).</p>")
    if rec.get("method"):
        out.append(f"<p class='small'>Method: {esc(rec['method'])}</p>")
    lms = rec.get("landmarks") or []
    if lms:
        out.append("<h4>Reconstruction quality: published against reconstructed</h4>"
                   "<table class='num'><thead><tr><th>Time</th><th>Kind</th><th>Published</th>"
                   "<th>Reconstructed</th><th>Gap</th><th>Source</th></tr></thead><tbody>")
        for r in lms:
            out.append(f"<tr><td>{fixed(r.get('time'), 1)}</td><td>{esc(r.get('kind', ''))}</td>"
                       f"<td>{fixed(r.get('published'), 3)}</td>"
                       f"<td>{fixed(r.get('reconstructed'), 3)}</td>"
                       f"<td>{_signed(r.get('gap'))}</td>"
                       f"<td class='src'>{esc(r.get('source', ''))}</td></tr>")
        out.append("</tbody></table>")
    arms = rec.get("arms") or ([{"arm": None, "quality": rec["quality"]}]
                               if rec.get("quality") else [])
    for a in arms:
        q = a.get("quality") or {}
        who = f"Arm {esc(a['arm'])}: " if a.get("arm") is not None else ""
        if q.get("max_abs_gap") is not None:
            out.append(f"<p>{who}{'l' if who else 'L'}argest gap between the reconstructed Kaplan-Meier curve and "
                       f"the published one {fixed(q['max_abs_gap'], 4)} (at "
                       f"{fixed(q.get('max_gap_time'), 1)}), mean "
                       f"{fixed(q.get('mean_abs_gap'), 4)} over {q.get('n_points', '?')} "
                       "points.</p>")
        if q.get("at_risk"):
            out.append("<table class='num'><thead><tr><th>Time</th><th>Published at risk</th>"
                       "<th>Reconstructed</th></tr></thead><tbody>" + "".join(
                           f"<tr><td>{fixed(r['time'], 1)}</td><td>{int(r['published'])}</td>"
                           f"<td>{int(r['reconstructed'])}</td></tr>" for r in q["at_risk"])
                       + "</tbody></table>")
        ev = q.get("events")
        if ev:
            out.append(f"<p>{who}{'t' if who else 'T'}otal events: published {int(ev['published'])}, "
                       f"reconstructed {int(ev['reconstructed'])}.</p>")
    return "\n".join(out)


def _signed(v) -> str:
    return "" if v is None else f"{float(v):+.4f}"
